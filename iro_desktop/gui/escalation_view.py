"""An alert or escalation (dispute resolution), or a good-practice alert: raise it, see the stage
ladder with the response due at each rung, record responses, move up, refer to Cafcass, close."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.caseload import escalations
from iro_desktop.caseload.validation import ValidationError
from iro_desktop.db.models import Child
from iro_desktop.gui import review_parts
from iro_desktop.gui.note_dialog import not_saved_message
from iro_desktop.gui.review_parts import (
    DONE_COLOUR,
    LATE_COLOUR,
    Cell,
    ChoiceCombo,
    ErrorLabel,
    Row,
    RowsModel,
    TextBox,
    deadline_text,
    is_late,
    labelled,
    narrow,
    scrolling,
    shortcut,
    show_on_form,
)
from iro_desktop.gui.widgets import DateField, FieldForm, format_date

LADDER_HEADERS = ["Stage", "Started", "Response due", "Where it stands", "Response"]
# Each field in plain words, for the "not saved" message (a panel may name its own: ActionPanel).
FIELD_NAMES = {"kind": "the kind", "raised_on": "the date raised", "concern": "the concern",
               "themes": "the themes", "stage": "the stage", "received_on": "the date received",
               "text": "what it said", "started_on": "the date it started",
               "outcome": "the outcome", "on": "the date"}


class ThemeList(QListWidget):
    """The escalation themes from the settings as a checkable list."""

    def __init__(self, themes: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for theme in themes:
            item = QListWidgetItem(theme)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.addItem(item)
        rows = min(max(len(themes), 3), 8)
        self.setMinimumHeight(self.sizeHintForRow(0) * rows + 8)

    def checked(self) -> list[str]:
        return [self.item(i).text() for i in range(self.count())
                if self.item(i).checkState() == Qt.CheckState.Checked]

    def set_checked(self, themes: list[str] | tuple[str, ...]) -> None:
        for i in range(self.count()):
            item = self.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.text() in themes
                               else Qt.CheckState.Unchecked)


class ActionPanel(QWidget):
    """One thing that can happen next (a response, a move up...), with its fields and button."""

    def __init__(self, button_text: str, parent: QWidget | None = None, *,
                 field_names: dict[str, str] | None = None) -> None:
        super().__init__(parent)
        column = QVBoxLayout(self)
        layout = QFormLayout()
        column.addLayout(layout)
        self.form = FieldForm(layout)
        #: This panel's own plain words for a field, where FIELD_NAMES' would be vague.
        self.field_names = field_names or {}
        self.button = QPushButton(button_text)
        self.button.setAutoDefault(False)
        labelled(self.button, button_text.replace("&", ""))
        column.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)
        column.addStretch(1)


class EscalationView(QDialog):
    """Raise a new escalation (with `prefill`, e.g. from a midway review) or follow an open one."""

    def __init__(self, store: Any, child_id: int, escalation_id: int | None = None,
                 prefill: escalations.EscalationInput | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.child_id, self.escalation_id = store, child_id, escalation_id
        self.changed = False
        self.today = dt.date.today()
        with store.session() as session:
            self.child_name = session.get(Child, child_id).display_name
            self.themes = escalations.theme_choices(session)
        self.setWindowTitle(f"Alert or escalation – {self.child_name}")
        self.column = QVBoxLayout(self)
        self.banner = ErrorLabel()
        self.column.addWidget(self.banner)
        self.body = QWidget()
        self.column.addWidget(scrolling(self.body), 1)
        self.buttons = QDialogButtonBox()
        self.column.addWidget(self.buttons)
        if escalation_id is None:
            self._build_raise(prefill or escalations.EscalationInput(raised_on=self.today))
        else:
            self._build_follow()
        self.resize(1000, 700)
        self._saved_state = self._state()

    def _state(self) -> str:
        if self.escalation_id is None:
            return repr((self.collect(), self.raised_on.text()))
        return self.response_text.toPlainText().strip()

    def reject(self) -> None:
        """Escape or Cancel: ask before losing what was typed."""
        if (self.result() != QDialog.DialogCode.Accepted and self._state() != self._saved_state
                and not review_parts.confirm_discard(self)):
            return
        super().reject()

    # ------------------------------------------------------------------ raise
    def _build_raise(self, data: escalations.EscalationInput) -> None:
        layout = QFormLayout(self.body)
        self.raise_form = FieldForm(layout)
        form = self.raise_form
        self.kind = form.add("kind", "&Kind", ChoiceCombo(escalations.ESCALATION_KINDS))
        self.raised_on = form.add("raised_on", "&Raised on", narrow(DateField()))
        self.concern = form.add("concern", "&Concern", TextBox(lines=7))
        extra = [t for t in data.themes if t not in self.themes]
        self.theme_list = form.add("themes", "&Themes (tick all that apply)",
                                   ThemeList(self.themes + extra))
        self.stage = form.add("stage", "&First stage", ChoiceCombo(escalations.STAGES))
        self.kind.set_value(data.kind)
        self.raised_on.set_date(data.raised_on)
        self.concern.setPlainText(data.concern)
        self.theme_list.set_checked(data.themes)
        self.stage.set_value(data.stage)
        self.midway_review_id = data.midway_review_id
        raise_button = QPushButton("&Raise")
        labelled(raise_button, "Raise the alert or escalation (Ctrl+S)")
        self.buttons.addButton(raise_button, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        labelled(cancel, "Close without raising")
        raise_button.clicked.connect(self.raise_escalation)
        cancel.clicked.connect(self.reject)
        shortcut(self, "Ctrl+S", self.raise_escalation)
        self.kind.setFocus()

    def collect(self) -> escalations.EscalationInput:
        return escalations.EscalationInput(
            kind=self.kind.value(), raised_on=self.raised_on.date(), concern=self.concern.value(),
            themes=self.theme_list.checked(), stage=self.stage.value(),
            midway_review_id=self.midway_review_id)

    def raise_escalation(self) -> None:
        if self.raised_on.problem():
            self._show(self.raise_form, {"raised_on": str(self.raised_on.problem())})
            return
        try:
            with self.store.transaction() as session:
                escalation_id = escalations.raise_escalation(session, self.child_id,
                                                             self.collect())
        except ValidationError as error:
            self._show(self.raise_form, error.errors)
            return
        self.escalation_id = escalation_id
        self.changed = True
        self.accept()

    # ------------------------------------------------------------------ follow
    def _build_follow(self) -> None:
        column = QVBoxLayout(self.body)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(self.summary)
        self.standing = QLabel()
        self.standing.setWordWrap(True)
        column.addWidget(self.standing)
        ladder_box = QGroupBox("The ladder")
        ladder_column = QVBoxLayout(ladder_box)
        self.ladder_model = RowsModel(LADDER_HEADERS, self)
        self.ladder = QTableView()
        self.ladder.setModel(self.ladder_model)
        labelled(self.ladder, "Stage ladder with the response due at each stage")
        self.ladder.verticalHeader().hide()
        self.ladder.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.ladder.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.ladder.setWordWrap(False)
        header = self.ladder.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.ladder.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.ladder.setFixedHeight(self.ladder.verticalHeader().defaultSectionSize() * 7 + 12)
        ladder_column.addWidget(self.ladder)
        column.addWidget(ladder_box)
        self.actions = QTabWidget()
        labelled(self.actions, "What happened next")
        self.response_panel = ActionPanel("Record the &response")
        self.received_on = self.response_panel.form.add("received_on", "Response r&eceived on",
                                                        narrow(DateField()))
        self.response_text = self.response_panel.form.add("text", "What it &said",
                                                          TextBox(lines=4))
        self.move_panel = ActionPanel("&Move up")
        self.next_stage = self.move_panel.form.add("stage", "&To stage", ChoiceCombo([]))
        self.started_on = self.move_panel.form.add("started_on", "&Started on", narrow(DateField()))
        self.cafcass_panel = ActionPanel("Record the re&ferral",
                                         field_names={"on": "the date of the referral"})
        self.cafcass_on = self.cafcass_panel.form.add("on", "Referred to Cafcass &on",
                                                      narrow(DateField()))
        self.close_panel = ActionPanel("&Close it", field_names={"on": "the date it closed"})
        self.outcome = self.close_panel.form.add("outcome", "O&utcome",
                                                 ChoiceCombo(escalations.OUTCOMES))
        self.outcome_on = self.close_panel.form.add("on", "&Date", narrow(DateField()))
        self.correct_panel = ActionPanel("Sa&ve the correction")
        self.edit_concern = self.correct_panel.form.add("concern", "Co&ncern", TextBox(lines=4))
        self.edit_themes = self.correct_panel.form.add("themes", "T&hemes", ThemeList([]))
        for day in (self.received_on, self.started_on, self.cafcass_on, self.outcome_on):
            day.set_date(self.today)
        for panel, title in ((self.response_panel, "Record a response"),
                             (self.move_panel, "Move up a stage"),
                             (self.cafcass_panel, "Refer to Cafcass"),
                             (self.close_panel, "Close with the outcome"),
                             (self.correct_panel, "Correct the concern or themes")):
            self.actions.addTab(panel, title)
        column.addWidget(self.actions)
        self.response_panel.button.clicked.connect(self.record_response)
        self.move_panel.button.clicked.connect(self.move_up)
        self.cafcass_panel.button.clicked.connect(self.refer_to_cafcass)
        self.close_panel.button.clicked.connect(self.close_escalation)
        self.correct_panel.button.clicked.connect(self.correct)
        done = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        labelled(done, "Close this window")
        done.clicked.connect(self._finish)
        self.refresh()

    def refresh(self) -> None:
        with self.store.session() as session:
            view = escalations.load_escalation(session, self.escalation_id)
        self.view = view
        kind = dict(escalations.ESCALATION_KINDS).get(view.kind, view.kind)
        themes = ", ".join(view.themes) or "none"
        concern = view.concern.replace("&", "&amp;").replace("<", "&lt;").replace("\n", "<br>")
        self.summary.setText(f"<b>{kind}</b> raised {format_date(view.raised_on)} – themes: "
                             f"{themes}<br>{concern}")
        self.standing.setText(self._standing(view))
        self.ladder_model.set_rows(self._ladder_rows(view))
        self.next_stage.set_choices(view.next_stages())
        self._fill_correction(view)
        is_escalation = view.kind == escalations.ESCALATION
        self.actions.setTabEnabled(1, is_escalation and not view.closed
                                   and bool(view.next_stages()))
        self.actions.setTabEnabled(2, is_escalation and not view.closed
                                   and view.cafcass_referred_on is None)
        for index in (0, 3):
            self.actions.setTabEnabled(index, not view.closed)
        self.actions.setVisible(not view.closed)

    def _fill_correction(self, view: Any) -> None:
        """The correction panel starts from what is stored (themes no longer in the settings
        stay on the list so they are not lost by accident)."""
        self.edit_concern.setPlainText(view.concern)
        extra = [t for t in view.themes if t not in self.themes]
        self.edit_themes.clear()
        for theme in self.themes + extra:
            item = QListWidgetItem(theme, self.edit_themes)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        self.edit_themes.set_checked(view.themes)

    def _standing(self, view: Any) -> str:
        parts = []
        if view.closed:
            outcome = dict(escalations.OUTCOMES).get(view.outcome, view.outcome)
            parts.append(f"✔ Closed: {outcome.lower()} on {format_date(view.outcome_on)}.")
        elif view.waiting_for_response and view.current is not None:
            stage = view.current
            mark = "⚠ " if is_late(stage.response_due_on, None, self.today) else "◷ "
            parts.append(f"{mark}Waiting for a response at “{stage.label}”: "
                         f"{deadline_text(stage.response_due_on, None, self.today)}.")
        elif view.current is not None:
            parts.append("Response received at the current stage: close it, or move it up if "
                         "the response does not resolve the concern.")
        if view.cafcass_referred_on:
            parts.append(f"Referred to Cafcass on {format_date(view.cafcass_referred_on)}.")
        return " ".join(parts)

    def _ladder_rows(self, view: Any) -> list[Row]:
        reached = {s.stage: s for s in view.stages}
        current = view.current.stage if view.current else ""
        rows = []
        for rank, (key, label) in enumerate(escalations.STAGES):
            stage = reached.get(key)
            if stage is None:
                rows.append(Row(rank, [Cell(label), Cell("—"), Cell("—"), Cell("Not reached"),
                                       Cell("")]))
                continue
            late = is_late(stage.response_due_on, stage.response_received_on, self.today)
            where = deadline_text(stage.response_due_on, stage.response_received_on, self.today)
            if view.closed and not stage.response_received_on:
                late = False  # the clock stopped when it closed
                where = f"No response recorded (was due {format_date(stage.response_due_on)})"
            elif stage.response_received_on:
                where = f"✔ Response {format_date(stage.response_received_on)}" + (
                    " (late)" if late else " (on time)")
            elif late:
                where = f"⚠ {where}"
            here = "▶ " if key == current and not view.closed else ""
            rows.append(Row(rank, [
                Cell(f"{here}{label}", bold=bool(here)),
                Cell(format_date(stage.started_on), sort=stage.started_on),
                Cell(format_date(stage.response_due_on), sort=stage.response_due_on),
                Cell(where, colour=LATE_COLOUR if late and not stage.response_received_on
                     else DONE_COLOUR if stage.response_received_on else None),
                Cell(stage.response, tooltip=stage.response),
            ]))
        return rows

    def _act(self, panel: ActionPanel, action: Any, *args: Any) -> None:
        """Run one action in its own transaction; its problems show beside its fields."""
        typed = {k: str(w.problem()) for k, w in panel.form.fields.items()
                 if isinstance(w, DateField) and w.problem()}
        if typed:
            self._show(panel.form, typed)
            return
        try:
            with self.store.transaction() as session:
                action(session, self.escalation_id, *args)
        except ValidationError as error:
            self._show(panel.form, error.errors)
            return
        self.changed = True
        self._show(panel.form, {})
        self.refresh()

    def record_response(self) -> None:
        self._act(self.response_panel, escalations.record_response, self.received_on.date(),
                  self.response_text.value())
        if self.banner.isHidden():
            self.response_text.clear()

    def move_up(self) -> None:
        self._act(self.move_panel, escalations.move_up, self.next_stage.value() or "",
                  self.started_on.date())

    def refer_to_cafcass(self) -> None:
        self._act(self.cafcass_panel, escalations.refer_to_cafcass, self.cafcass_on.date())

    def close_escalation(self) -> None:
        self._act(self.close_panel, escalations.close_escalation, self.outcome.value(),
                  self.outcome_on.date())

    def correct(self) -> None:
        """Correct the concern and themes after raising (the ladder is not touched)."""
        view = self.view
        data = escalations.EscalationInput(
            kind=view.kind, raised_on=view.raised_on, concern=self.edit_concern.value(),
            themes=self.edit_themes.checked(), midway_review_id=view.midway_review_id)
        self._act(self.correct_panel, escalations.edit_escalation, data)

    def _show(self, form: FieldForm, errors: dict[str, str]) -> None:
        """Each message beside its field; above, how many things to put right and which (as the
        midway review and case note forms say it), then any message that belongs to no field."""
        rest = show_on_form(form, errors)
        own = next((p.field_names for p in self.findChildren(ActionPanel) if p.form is form),
                   {})  # the raise form is no panel: FIELD_NAMES alone
        fields = [own.get(key) or FIELD_NAMES.get(key, key.replace("_", " "))
                  for key in form.fields if key in errors]
        self.banner.show_error(not_saved_message(fields, list(rest.values())) if errors else None)

    def _finish(self) -> None:
        if self.changed:
            self.accept()
        else:
            self.reject()

    @staticmethod
    def edit(parent: QWidget | None, store: Any, child_id: int, escalation_id: int | None = None,
             prefill: escalations.EscalationInput | None = None) -> tuple[int | None, bool]:
        """Raise (no id) or follow an escalation; returns (its id, whether anything was saved)."""
        dialog = EscalationView(store, child_id, escalation_id, prefill, parent)
        try:
            dialog.exec()
            return dialog.escalation_id, dialog.changed
        finally:
            dialog.deleteLater()
