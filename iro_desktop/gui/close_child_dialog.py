"""Record that a child has left care: the date and the 903 reason (`children.close_child`)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from iro_desktop.caseload import children
from iro_desktop.caseload.children import CHOICES
from iro_desktop.caseload.validation import ValidationError
from iro_desktop.gui.widgets import ERROR_STYLE, CodeCombo, DateField, FieldForm

log = logging.getLogger(__name__)


class CloseChildDialog(QDialog):
    def __init__(self, store: Any, child_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.child_id = child_id
        self.today = dt.date.today
        self.left_on_saved: dt.date | None = None
        with store.session() as session:
            data = children.load_child(session, child_id)
        name = f"{data.preferred_name or data.first_name} {data.last_name}".strip()
        self.setWindowTitle("Left care")
        intro = QLabel(
            f"Record that <b>{name}</b> ({data.child_ref}) has left care. Their current episode "
            "ends on this date and they leave your caseload list; their record is kept (tick "
            "“Show children who have left care” to see them).")
        intro.setWordWrap(True)
        self.left_on = DateField()
        self.left_on.set_date(dt.date.today())
        self.reason_ended = CodeCombo(CHOICES["reason_ended"], blank="Choose the reason…")
        form_layout = QFormLayout()
        form_layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form = FieldForm(form_layout)
        self.form.add("left_on", "&Left care on:", self.left_on)
        self.form.add("reason_ended", "&Reason (903 REC):", self.reason_ended)
        self.general_message = QLabel()
        self.general_message.setStyleSheet(ERROR_STYLE)
        self.general_message.setWordWrap(True)
        self.general_message.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.close_button = self.buttons.addButton("Record left &care",
                                                   QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form_layout)
        layout.addWidget(self.general_message)
        layout.addWidget(self.buttons)
        QWidget.setTabOrder(self.left_on.line_edit, self.reason_ended)
        self.resize(560, self.sizeHint().height())
        self.reason_ended.setFocus()

    def accept(self) -> None:
        problems: dict[str, str] = {}
        if self.left_on.problem():
            problems["left_on"] = str(self.left_on.problem())
        try:
            if problems:
                raise ValidationError(problems)
            with self.store.transaction() as session:
                children.close_child(session, self.child_id, self.left_on.date(),
                                     self.reason_ended.code(), today=self.today())
        except ValidationError as exc:
            others = self.form.show_messages(exc.errors)
            self.general_message.setText("\n".join(f"⚠ {t}" for t in others.values()))
            self.general_message.setVisible(bool(others))
            return
        self.left_on_saved = self.left_on.date()
        log.info("child %s left care", self.child_id)
        super().accept()

    @staticmethod
    def close_child(store: Any, child_id: int,
                    parent: QWidget | None = None) -> tuple[dt.date | None, bool]:
        """Ask when and why the child left care; (the date, True) once recorded."""
        dialog = CloseChildDialog(store, child_id, parent)
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            return (dialog.left_on_saved if accepted else None), accepted
        finally:
            dialog.deleteLater()
