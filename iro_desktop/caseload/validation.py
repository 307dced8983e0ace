"""Field-level validation errors shared by every use case, form and importer."""

from __future__ import annotations


class ValidationError(Exception):
    """Input that cannot be saved; `errors` maps each wrong field to a sentence saying why.

    Field keys are the input's attribute names; items in a list use `name[index].attribute`
    (`decisions[2].owner_role`), so a form can put each message beside its own widget.
    """

    def __init__(self, errors: dict[str, str]) -> None:
        if not errors:
            raise ValueError("a ValidationError needs at least one field error")
        self.errors = dict(errors)
        super().__init__("; ".join(f"{field}: {message}" for field, message in self.errors.items()))

    def __str__(self) -> str:
        return "\n".join(self.errors.values())


class Problems:
    """Collects field errors while a whole input is checked, so every problem is told at once."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, message)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)
