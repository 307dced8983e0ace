"""A midway review: the IRO's check that each decision of the last review is happening, with a way
straight into an escalation when decisions are drifting."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.caseload import midway
from iro_desktop.caseload.validation import ValidationError
from iro_desktop.db.models import Child
from iro_desktop.gui import review_parts
from iro_desktop.gui.note_dialog import not_saved_message
from iro_desktop.gui.review_parts import (
    ChoiceCombo,
    ErrorLabel,
    TextBox,
    chain_tab_order,
    labelled,
    mark_invalid,
    narrow,
    scrolling,
    shortcut,
    show_on_form,
)
from iro_desktop.gui.widgets import DateField, FieldForm, format_date

STATUS_CHOICES = [("", "Choose…"), *midway.PROGRESS_STATUSES]
# The fields in the IRO's words, for the message at the top when the midway review is not saved.
FIELD_NAMES = {"held_on": "the date", "method": "how it was done", "note": "the note"}


class MidwayDialog(QDialog):
    """Record a midway review; "Save and raise an escalation" appears once a decision drifts."""

    def __init__(self, store: Any, child_id: int, midway_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.child_id, self.midway_id = store, child_id, midway_id
        self.escalation_id: int | None = None
        with store.session() as session:
            self.child_name = session.get(Child, child_id).display_name
            data = (midway.load_midway(session, midway_id) if midway_id
                    else midway.MidwayInput(held_on=dt.date.today()))
        self.progress: dict[int, tuple[str, str]] = dict(data.progress)
        self.setWindowTitle(f"Midway review – {self.child_name}")
        column = QVBoxLayout(self)
        self.banner = ErrorLabel()
        column.addWidget(self.banner)
        layout = QFormLayout()
        column.addLayout(layout)
        self.form = FieldForm(layout)
        self.held_on = self.form.add("held_on", "&Date", narrow(DateField()))
        self.method = self.form.add("method", "&How", narrow(ChoiceCombo(midway.METHODS), 20))
        self.note = self.form.add("note", "&Note", TextBox(lines=3))
        self.note.setMaximumHeight(self.note.minimumHeight() * 2)
        self.held_on.set_date(data.held_on)
        self.method.set_value(data.method)
        self.note.setPlainText(data.note)
        self.review_label = QLabel()
        column.addWidget(self.review_label)
        self.rows_box = QWidget()
        self.grid = QGridLayout(self.rows_box)
        column.addWidget(scrolling(self.rows_box), 1)
        self.rows: dict[int, tuple[ChoiceCombo, QLineEdit, ErrorLabel, QLabel]] = {}
        buttons = QDialogButtonBox()
        self.save_button = QPushButton("&Save")
        self.escalate_button = QPushButton("Save and raise an &escalation…")
        cancel = QPushButton("Cancel")
        for button, name in ((self.save_button, "Save the midway review (Ctrl+S)"),
                             (self.escalate_button, "Save and raise an escalation about drift"),
                             (cancel, "Close without saving")):
            labelled(button, name)
            button.setAutoDefault(False)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.escalate_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(cancel, QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(lambda: self.save(escalate=False))
        self.escalate_button.clicked.connect(lambda: self.save(escalate=True))
        cancel.clicked.connect(self.reject)
        column.addWidget(buttons)
        shortcut(self, "Ctrl+S", lambda: self.save(escalate=False))
        self.held_on.edited.connect(self._load_decisions)
        self._load_decisions()
        self.resize(980, 640)
        self._saved_state = self._state()

    def _state(self) -> str:
        return repr((self.collect(), self.held_on.text()))

    def reject(self) -> None:
        """Escape or Cancel: ask before losing what was found."""
        if self._state() != self._saved_state and not review_parts.confirm_discard(self):
            return
        super().reject()

    def _load_decisions(self) -> None:
        """The decisions of the review before the midway date, with what was found last time."""
        self._remember()
        for number in reversed(range(self.grid.count())):
            item = self.grid.takeAt(number)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.rows = {}
        day = self.held_on.date()
        checks = None
        if day is not None:
            with self.store.session() as session:
                checks = midway.decisions_for_midway(session, self.child_id, day)
        if checks is None:
            self.review_label.setText("No review before this date: a midway review follows a "
                                      "review.")
            self._drift_changed()
            return
        self.review_label.setText(f"<b>Decisions of the review of {format_date(checks.review_date)}"
                                  f"</b> ({len(checks.decisions)})")
        for column, text in enumerate(("Decision", "Who / by when", "Progress", "Note")):
            self.grid.addWidget(QLabel(f"<b>{text}</b>"), 0, column)
        order: list[QWidget] = [self.held_on.line_edit, self.method, self.note]
        for number, decision in enumerate(checks.decisions, start=1):
            star = "★ " if decision.key_decision else ""
            what = QLabel(f"{number}. {star}{decision.text}")
            what.setWordWrap(True)
            who = decision.owner_role + (f" ({decision.owner_name})" if decision.owner_name else "")
            due = f"by {format_date(decision.due_on)}" if decision.due_on else "no date"
            if decision.due_on and decision.due_on < day:
                due = f"⚠ was due {format_date(decision.due_on)}"
            who_label = QLabel(f"{who}\n{due}")
            status = ChoiceCombo(STATUS_CHOICES)
            note = QLineEdit()
            note.setPlaceholderText("What you found")
            saved = self.progress.get(decision.decision_id)
            status.set_value(saved[0] if saved else decision.last_status)
            note.setText(saved[1] if saved else decision.last_note)
            labelled(status, f"Decision {number}: progress")
            labelled(note, f"Decision {number}: note")
            error = ErrorLabel()
            row = 2 * number - 1
            self.grid.addWidget(what, row, 0)
            self.grid.addWidget(who_label, row, 1)
            self.grid.addWidget(status, row, 2)
            self.grid.addWidget(note, row, 3)
            self.grid.addWidget(error, row + 1, 0, 1, 4)
            status.currentIndexChanged.connect(self._drift_changed)
            self.rows[decision.decision_id] = (status, note, error, what)
            order += [status, note]
        self.grid.setColumnStretch(0, 4)
        self.grid.setColumnStretch(3, 3)
        self.grid.setRowStretch(2 * len(checks.decisions) + 1, 1)
        chain_tab_order([*order, self.save_button, self.escalate_button])
        self._drift_changed()

    def _remember(self) -> None:
        for decision_id, (status, note, _error, _what) in self.rows.items():
            self.progress[decision_id] = (status.value() or "", note.text().strip())

    def _drift_changed(self) -> None:
        drifting = any(status.value() == midway.DRIFTING for status, *_ in self.rows.values())
        self.escalate_button.setEnabled(drifting)
        self.escalate_button.setToolTip("" if drifting else "Mark a decision as drifting first")

    def collect(self) -> midway.MidwayInput:
        self._remember()
        progress = {i: self.progress[i] for i in self.rows}
        return midway.MidwayInput(held_on=self.held_on.date(), method=self.method.value(),
                                  note=self.note.value(), progress=progress)

    def save(self, *, escalate: bool) -> None:
        if self.held_on.problem():
            self._show({"held_on": str(self.held_on.problem())})
            return
        try:
            with self.store.transaction() as session:
                midway_id = midway.save_midway(session, self.child_id, self.collect(),
                                               self.midway_id)
                prefill = midway.escalation_from_midway(session, midway_id) if escalate else None
        except ValidationError as error:
            self._show(error.errors)
            return
        self.midway_id = midway_id
        if prefill is not None:
            from iro_desktop.gui.escalation_view import EscalationView

            self.escalation_id, _raised = EscalationView.edit(self, self.store, self.child_id,
                                                              prefill=prefill)
        self.accept()

    def _show(self, errors: dict[str, str]) -> None:
        rest = show_on_form(self.form, errors)
        fields = [FIELD_NAMES[key] for key in self.form.fields if key in errors]
        first: QWidget | None = None
        for number, (decision_id, (status, _note, error, _what)) in enumerate(
                self.rows.items(), start=1):
            message = rest.pop(f"progress[{decision_id}]", None)
            error.show_error(message)
            mark_invalid(status, bool(message))
            if message:
                fields.append(f"the progress of decision {number}")
            if message and first is None and not any(k in errors for k in self.form.fields):
                first = status
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)
        self.banner.show_error(not_saved_message(fields, list(rest.values())) if errors else None)

    @staticmethod
    def edit(parent: QWidget | None, store: Any, child_id: int,
             midway_id: int | None = None) -> tuple[int | None, bool]:
        dialog = MidwayDialog(store, child_id, midway_id, parent)
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            return dialog.midway_id, accepted
        finally:
            dialog.deleteLater()
