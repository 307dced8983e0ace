"""A new episode of care: "Moved home / change of legal status" (`children.record_placement_change`:
the current episode ends with X1 and the next starts with the RNE that says what changed) and
"Came back into care" (`children.start_new_period`: RNE S, the review cycle restarts)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.caseload import children
from iro_desktop.caseload.children import CHOICES
from iro_desktop.caseload.validation import ValidationError
from iro_desktop.db.models import Child, Episode
from iro_desktop.gui.widgets import ERROR_STYLE, CodeCombo, DateField, FieldForm

log = logging.getLogger(__name__)

MOVE = "move"
NEW_PERIOD = "new_period"


def _open_episode(child: Child) -> Episode | None:
    return next((e for e in reversed(child.episodes) if e.end is None), None)


class EpisodeDialog(QDialog):
    """`mode` MOVE (the child is in care) or NEW_PERIOD (the child has left care)."""

    def __init__(self, store: Any, child_id: int, mode: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if mode not in (MOVE, NEW_PERIOD):
            raise ValueError(f"unknown mode {mode!r}")
        self.store = store
        self.child_id = child_id
        self.mode = mode
        self.today = dt.date.today
        self.saved_episode_id: int | None = None
        with store.session() as session:
            child = session.get(Child, child_id)
            if child is None:
                raise LookupError(f"no child with id {child_id}")
            name = child.display_name
            current = _open_episode(child)
            latest = child.episodes[-1] if child.episodes else None
            carer_name, carer_phone = child.carer_name, child.carer_phone

        form_layout = QFormLayout()
        form_layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form = FieldForm(form_layout)
        self.on = DateField()
        self.on.set_date(dt.date.today())
        self.legal_status = CodeCombo(CHOICES["legal_status"], blank="Choose…")
        self.placement = CodeCombo(CHOICES["placement"], blank="Choose…")
        self.placement_postcode = QLineEdit()
        self.placement_postcode.setMaxLength(8)
        self.placement_provider = CodeCombo(CHOICES["placement_provider"], blank="Not recorded")
        if mode == MOVE:
            self.setWindowTitle("Moved home or change of legal status")
            intro_text = (
                f"Record a move or a new legal status for <b>{name}</b>. The current episode "
                "ends on this date and a new one starts: change only what changed.")
            self.carer_changed = QCheckBox("The child has a new &carer")
            self.carer_changed.setChecked(True)
            self.reason_place_change = CodeCombo(CHOICES["reason_place_change"],
                                                 blank="Not recorded")
            self.carer_name = QLineEdit(carer_name)
            self.carer_phone = QLineEdit(carer_phone)
            if current is not None:
                self.legal_status.set_code(current.legal_status)
                self.placement.set_code(current.placement)
                self.placement_postcode.setText(current.placement_postcode)
                self.placement_provider.set_code(current.placement_provider)
            self.form.add("on", "Date of the &change:", self.on)
            self.form.add("legal_status", "&Legal status:", self.legal_status)
            self.form.add("placement", "&Placement type:", self.placement)
            self.form.add("placement_postcode", "Placement p&ostcode:", self.placement_postcode)
            self.form.add("placement_provider", "Placement pro&vider:", self.placement_provider)
            self.form.add("reason_place_change", "&Reason for the move:", self.reason_place_change,
                          help_text="Only when the child moved (903 REASON_PLACE_CHANGE).")
            self.form.add("carer_changed", "", self.carer_changed)
            self.form.add("carer_name", "Carer's &name:", self.carer_name)
            self.form.add("carer_phone", "Carer's p&hone:", self.carer_phone)
            save_text = "&Save the change"
        else:
            self.setWindowTitle("Came back into care")
            intro_text = (
                f"<b>{name}</b> is looked after again. A new period of care starts on this date, "
                "so the review cycle starts again with an initial review.")
            self.cin = CodeCombo(CHOICES["cin"], blank="Not recorded")
            self.home_postcode = QLineEdit()
            self.home_postcode.setMaxLength(8)
            if latest is not None:
                self.cin.set_code(latest.cin)
                self.home_postcode.setText(latest.home_postcode)
            self.form.add("on", "Looked after &again from:", self.on)
            self.form.add("legal_status", "&Legal status:", self.legal_status)
            self.form.add("placement", "&Placement type:", self.placement)
            self.form.add("placement_postcode", "Placement p&ostcode:", self.placement_postcode)
            self.form.add("placement_provider", "Placement pro&vider:", self.placement_provider)
            self.form.add("cin", "Category of &need:", self.cin)
            self.form.add("home_postcode", "&Home postcode:", self.home_postcode)
            save_text = "&Start the new period"
        intro = QLabel(intro_text)
        intro.setWordWrap(True)
        self.general_message = QLabel()
        self.general_message.setStyleSheet(ERROR_STYLE)
        self.general_message.setWordWrap(True)
        self.general_message.setAccessibleName("Problem")
        self.general_message.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.addButton(save_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setAccessibleName(save_text.replace("&", ""))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form_layout)
        layout.addWidget(self.general_message)
        layout.addWidget(self.buttons)
        self.resize(600, self.sizeHint().height())
        self.on.setFocus()

    def _save(self, session: Any) -> int:
        common = dict(on=self.on.date(), legal_status=self.legal_status.code(),
                      placement=self.placement.code(),
                      placement_postcode=self.placement_postcode.text(),
                      placement_provider=self.placement_provider.code(), today=self.today())
        if self.mode == MOVE:
            return children.record_placement_change(
                session, self.child_id, **common,
                carer_changed=self.carer_changed.isChecked(),
                reason_place_change=self.reason_place_change.code(),
                carer_name=self.carer_name.text(), carer_phone=self.carer_phone.text())
        return children.start_new_period(session, self.child_id, **common, cin=self.cin.code(),
                                         home_postcode=self.home_postcode.text())

    def accept(self) -> None:
        try:
            if self.on.problem():
                raise ValidationError({"on": str(self.on.problem())})
            with self.store.transaction() as session:
                episode_id = self._save(session)
        except ValidationError as exc:
            others = self.form.show_messages(exc.errors)
            self.general_message.setText("\n".join(f"⚠ {t}" for t in others.values()))
            self.general_message.setVisible(bool(others))
            return
        self.saved_episode_id = episode_id
        log.info("episode %s recorded for child %s (%s)", episode_id, self.child_id, self.mode)
        super().accept()

    @staticmethod
    def record(store: Any, child_id: int, mode: str,
               parent: QWidget | None = None) -> tuple[int | None, bool]:
        """Ask for the change and save it; (the new episode's id, True) once saved."""
        dialog = EpisodeDialog(store, child_id, mode, parent)
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            return (dialog.saved_episode_id if accepted else None), accepted
        finally:
            dialog.deleteLater()
