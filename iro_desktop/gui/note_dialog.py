"""A case note: the IRO's footprint between reviews (a visit, a call, a contact)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.caseload import notes
from iro_desktop.caseload.validation import ValidationError
from iro_desktop.db.models import Child
from iro_desktop.gui import review_parts
from iro_desktop.gui.review_parts import (
    ChoiceCombo,
    ErrorLabel,
    TextBox,
    labelled,
    narrow,
    shortcut,
    show_on_form,
)
from iro_desktop.gui.widgets import DateField, FieldForm

# The fields in the IRO's words, for the message at the top when a note cannot be saved.
FIELD_NAMES = {"noted_on": "the date", "kind": "the type", "seen_alone": "seen alone",
               "text": "what happened"}


def not_saved_message(fields: list[str], others: list[str]) -> str:
    """The message at the top of a form that could not be saved: how many things to put right,
    which fields they are (in plain words, each marked beside its field), then any message that
    belongs to no field. Like the review form's."""
    count = len(fields) + len(others)
    text = f"{count} thing{'s' if count != 1 else ''} to put right before this can be saved"
    if fields:
        named = fields[0] if len(fields) == 1 else f"{', '.join(fields[:-1])} and {fields[-1]}"
        marked = "It is" if len(fields) == 1 else "Each is"
        text += f": {named}. {marked} marked beside its field."
    else:
        text += "."
    return f"{text} Nothing was saved." + "".join(f"\n{other}" for other in others)


class NoteDialog(QDialog):
    """Add or correct one case note; saved in one transaction when the IRO presses Save."""

    def __init__(self, store: Any, child_id: int, note_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.child_id, self.note_id = store, child_id, note_id
        with store.session() as session:
            child_name = session.get(Child, child_id).display_name
            data = (notes.load_note(session, note_id) if note_id
                    else notes.NoteInput(noted_on=dt.date.today(), kind=notes.VISIT))
        self.setWindowTitle(f"Case note – {child_name}")
        column = QVBoxLayout(self)
        self.banner = ErrorLabel()
        column.addWidget(self.banner)
        layout = QFormLayout()
        column.addLayout(layout)
        self.form = FieldForm(layout)
        self.noted_on = self.form.add("noted_on", "&Date", narrow(DateField()))
        self.kind = self.form.add("kind", "&Type", ChoiceCombo(notes.NOTE_KINDS))
        self.seen_alone = self.form.add("seen_alone", "Seen &alone",
                                        QCheckBox(f"I saw {child_name} alone"))
        self.text = self.form.add("text", "&What happened", TextBox(lines=8))
        self.noted_on.set_date(data.noted_on)
        self.kind.set_value(data.kind)
        self.seen_alone.setChecked(data.seen_alone)
        self.text.setPlainText(data.text)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        labelled(buttons.button(QDialogButtonBox.StandardButton.Save), "Save the note (Ctrl+S)")
        labelled(buttons.button(QDialogButtonBox.StandardButton.Cancel), "Close without saving")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)
        shortcut(self, "Ctrl+S", self.save)
        self.resize(640, 480)
        self._saved_state = self._state()

    def _state(self) -> str:
        return repr((self.collect(), self.noted_on.text()))

    def reject(self) -> None:
        """Escape or Cancel: ask before losing what was typed."""
        if self.result() != QDialog.DialogCode.Accepted and self._state() != self._saved_state \
                and not review_parts.confirm_discard(self):
            return
        super().reject()

    def _kind_changed(self) -> None:
        """Seen alone only where it can happen (a visit, pre-meeting, consultation)."""
        possible = self.kind.value() in notes.SEEN_ALONE_KINDS
        self.seen_alone.setEnabled(possible)
        if not possible:
            self.seen_alone.setChecked(False)

    def collect(self) -> notes.NoteInput:
        return notes.NoteInput(noted_on=self.noted_on.date(), kind=self.kind.value(),
                               seen_alone=self.seen_alone.isChecked(), text=self.text.value())

    def save(self) -> None:
        if self.noted_on.problem():  # a date that is not one, and every other problem with it
            errors = notes.check_note(self.collect(), dt.date.today()).errors
            self._show(errors | {"noted_on": str(self.noted_on.problem())})
            return
        try:
            with self.store.transaction() as session:
                note_id = notes.save_note(session, self.child_id, self.collect(), self.note_id)
        except ValidationError as error:
            self._show(error.errors)
            return
        self.note_id = note_id
        self.accept()

    def _show(self, errors: dict[str, str]) -> None:
        rest = show_on_form(self.form, errors)
        fields = [FIELD_NAMES.get(key, key) for key in self.form.fields if key in errors]
        self.banner.show_error(not_saved_message(fields, list(rest.values())) if errors else None)

    @staticmethod
    def edit(parent: QWidget | None, store: Any, child_id: int,
             note_id: int | None = None) -> tuple[int | None, bool]:
        dialog = NoteDialog(store, child_id, note_id, parent)
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            return dialog.note_id, accepted
        finally:
            dialog.deleteLater()
