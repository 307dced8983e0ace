"""The five parts of the review form (meetings and people, the child's voice, the record,
decisions, status): their fields and rows, and how they keep in step as the IRO types (the codes
and headings for the child's age on the review date, the people's meetings, the tab order)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.caseload import reviews
from iro_desktop.gui.review_parts import (
    ChoiceCombo,
    ErrorLabel,
    TextBox,
    YesNoCombo,
    chain_tab_order,
    labelled,
    narrow,
)
from iro_desktop.gui.review_rows import DecisionRow, MeetingRow, ParticipantRow, RowList
from iro_desktop.gui.widgets import DateField, FieldForm
from iro_desktop.rules.participation import PARTICIPATION_CODES, age_on

KINDS, FORMATS, SERVICES = reviews.REVIEW_KINDS, reviews.MEETING_FORMATS, reviews.SERVICE_OPTIONS
ROLES, OWNER_ROLES = reviews.PARTICIPANT_ROLES, reviews.DECISION_OWNER_ROLES


class ReviewPages:
    """The parts of `ReviewForm`, built as its tabs. A mixin: the dialog sets what is declared
    here (the child, the store, its tabs and forms) and provides `_refresh_header`; the pages
    set the fields the dialog loads, collects and marks (`kind`, `meetings`, `code`...)."""

    store: Any
    child_id: int
    review_id: int | None
    today: dt.date
    child_name: str
    date_of_birth: dt.date
    headings: list[tuple[str, str]]
    tabs: QTabWidget
    forms: list[FieldForm]

    def _refresh_header(self) -> None:
        raise NotImplementedError  # the dialog's: the header shows the review date and age

    # ----------------------------------------------------------------- parts
    def _form(self, page: QVBoxLayout) -> FieldForm:
        layout = QFormLayout()
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        page.addLayout(layout)
        form = FieldForm(layout)
        self.forms.append(form)
        return form

    def _meetings_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        form = self._form(column)
        self.kind = form.add("kind", "&Kind of review", ChoiceCombo(KINDS))
        self.extra_reason = form.add("extra_reason", "&Why an extra review",
                                     QLineEdit(),
                                     help_text="For example: a placement move is planned.")
        self._extra_row = self.extra_reason.parentWidget()
        self.kind.currentIndexChanged.connect(self._kind_changed)
        column.addWidget(QLabel("<b>Meetings</b> – date, format, venue and a note for each "
                                "meeting; the review's date is the first meeting's"))
        self.meetings = RowList()
        self.meetings_error = ErrorLabel()
        column.addWidget(self.meetings)
        column.addWidget(self.meetings_error)
        self.add_meeting_button = QPushButton("Add &meeting")
        labelled(self.add_meeting_button, "Add a meeting to the series")
        self.add_meeting_button.clicked.connect(lambda: self.add_meeting(focus=True))
        column.addWidget(self.add_meeting_button, 0, Qt.AlignmentFlag.AlignLeft)
        column.addWidget(QLabel("<b>People</b> – name, role, invited, and which meetings they "
                                "came to"))
        self.people = RowList()
        self.people_error = ErrorLabel()
        column.addWidget(self.people)
        column.addWidget(self.people_error)
        self.add_person_button = QPushButton("Add &person")
        labelled(self.add_person_button, "Add a person invited")
        self.add_person_button.clicked.connect(lambda: self.add_person(focus=True))
        column.addWidget(self.add_person_button, 0, Qt.AlignmentFlag.AlignLeft)
        column.addStretch(1)
        self.meetings.changed.connect(self._meetings_changed)
        self.people.changed.connect(self._fix_tab_order)
        return page

    def _voice_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        form = self._form(column)
        self.code = form.add("participation_code", "&Participation code", ChoiceCombo([]))
        self._chosen_code = ""  # the IRO's own choice, kept while a date typed crosses age 4
        self.code.activated.connect(lambda _i: setattr(self, "_chosen_code", self.code.value()))
        self.code.setSizeAdjustPolicy(ChoiceCombo.SizeAdjustPolicy.AdjustToContents)
        self.code_note = QLabel()
        form.layout.addRow("", self.code_note)
        self.seen_alone = form.add("seen_alone", "Child seen &alone beforehand", YesNoCombo())
        self.consultation_child = form.add("consultation_child", "Consultation returned: c&hild",
                                           YesNoCombo())
        self.consultation_parents = form.add("consultation_parents",
                                             "Consultation returned: pa&rents", YesNoCombo())
        self.consultation_carers = form.add("consultation_carers",
                                            "Consultation returned: car&ers", YesNoCombo())
        self.advocacy = form.add("advocacy", "Ad&vocacy", ChoiceCombo(SERVICES))
        self.independent_visitor = form.add("independent_visitor", "&Independent visitor",
                                            ChoiceCombo(SERVICES))
        self.communication = form.add("communication_needs_met", "Communication needs &met",
                                      YesNoCombo())
        column.addStretch(1)
        return page

    def _record_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        form = self._form(column)
        self.record_boxes: dict[str, TextBox] = {}
        for key, label in self.headings:
            box = form.add(f"record.{key}", label, TextBox(lines=4))
            self.record_boxes[key] = box
        self.record_form = form
        return page

    def _decisions_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.addWidget(QLabel("<b>Decisions</b> – what, who (role and name), by when; tick "
                                "★ Key for a starred decision. Ctrl+Enter adds one; "
                                "Alt+Up and Alt+Down move it."))
        self.decisions = RowList()
        self.decisions_error = ErrorLabel()
        column.addWidget(self.decisions)
        column.addWidget(self.decisions_error)
        self.add_decision_button = QPushButton("Add &decision (Ctrl+Enter)")
        labelled(self.add_decision_button, "Add a decision (Ctrl+Enter)")
        self.add_decision_button.clicked.connect(self.add_decision)
        column.addWidget(self.add_decision_button, 0, Qt.AlignmentFlag.AlignLeft)
        column.addStretch(1)
        self.decisions.changed.connect(self._fix_tab_order)
        return page

    def _status_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        self.status_label = QLabel()
        column.addWidget(self.status_label)
        form = self._form(column)
        self.circulated_on = form.add("decisions_circulated_on", "Decisions &circulated on",
                                      narrow(DateField()),
                                      help_text="Leave empty until they have gone.")
        self.circulate_due = QLabel()
        form.layout.addRow("", self.circulate_due)
        self.completed_on = form.add("record_completed_on", "Record c&ompleted on",
                                     narrow(DateField()),
                                     help_text="Finish record fills in today's date.")
        self.complete_due = QLabel()
        form.layout.addRow("", self.complete_due)
        self.letter_due = QLabel()
        form.layout.addRow("Letter to the child", self.letter_due)
        column.addStretch(1)
        return page

    # ----------------------------------------------------------------- rows
    def add_meeting(self, meeting: Any = None, *, focus: bool = False) -> MeetingRow:
        row = MeetingRow(FORMATS, meeting)
        if meeting is None and self.meetings.rows:
            last = self.meetings.rows[-1]
            row.format.set_value(last.format.value())
            row.venue.setText(last.venue.text())
        row.date_changed.connect(self._update_codes)
        self.meetings.add(row)
        if focus:
            row.held_on.setFocus()
        return row

    def add_person(self, person: Any = None, *, focus: bool = False) -> ParticipantRow:
        row = ParticipantRow(ROLES, person)
        self.people.add(row)
        row.set_meetings(len(self.meetings.rows))
        self._fix_tab_order()
        if focus:
            self.tabs.setCurrentIndex(0)
            row.name.setFocus()
        return row

    def add_decision(self, decision: Any = None) -> DecisionRow:
        row = DecisionRow(OWNER_ROLES, decision if not isinstance(decision, bool) else None)
        self.decisions.add(row)
        if decision is None or isinstance(decision, bool):
            self.tabs.setCurrentIndex(3)
            row.text.setFocus()
        return row

    def _meetings_changed(self) -> None:
        count = len(self.meetings.rows)
        for row in self.meetings.rows:
            row.remove.setEnabled(count > 1)
        for person in self.people.rows:
            person.set_meetings(count)
        self._update_codes()
        self._fix_tab_order()

    def _kind_changed(self) -> None:
        extra = self.kind.value() == "extra"
        self._extra_row.setVisible(extra)
        label = self.forms[0].layout.labelForField(self._extra_row)
        if label is not None:
            label.setVisible(extra)

    def review_date(self) -> dt.date | None:
        """The first meeting's date (the review's date), as typed so far."""
        return self.meetings.rows[0].held_on.date() if self.meetings.rows else None

    def _update_codes(self) -> None:
        """PN0 only (fixed) under 4 on the review date; PN1-PN7 otherwise."""
        day = self.review_date() or self.today
        if day.year < 1990:  # still typing the year ("1/3/2"): wait for the whole date
            return
        with self.store.session() as session:
            codes = reviews.allowed_codes_for(session, self.child_id, day)
            headings = {key for key, _label in
                        reviews.record_headings_for(session, self.child_id, day)}
            statutory = reviews.statutory_kind(session, self.child_id, day, self.review_id)
        # The rules say which statutory review it is; the IRO only says whether it is extra.
        extra = self.kind.value() == reviews.EXTRA
        name = reviews.label(KINDS, statutory) if statutory else "Worked out from the dates"
        self.kind.set_choices([(statutory, f"{name} (from the dates)"),
                               (reviews.EXTRA, reviews.label(KINDS, reviews.EXTRA))])
        self.kind.set_value(reviews.EXTRA if extra else statutory)
        current = self.code.value() or self._chosen_code
        fixed = codes == ["PN0"]
        choices = [(code, f"{code} – {PARTICIPATION_CODES[code]}") for code in codes]
        if not fixed:
            choices.insert(0, ("", "Choose how the child took part…"))
        self.code.set_choices(choices)
        self.code.set_value(current if current in codes else codes[0] if fixed else "")
        self.code.setEnabled(not fixed)
        age = age_on(self.date_of_birth, day)
        self.code_note.setText(
            f"Fixed: {self.child_name} is under 4 on the review date." if fixed
            else f"{self.child_name} is {age} on the review date.")
        for key, box in self.record_boxes.items():
            shown = key in headings or bool(box.value())
            holder = box.parentWidget()
            holder.setVisible(shown)
            label = self.record_form.layout.labelForField(holder)
            if label is not None:
                label.setVisible(shown)
        self._refresh_header()

    def _fix_tab_order(self) -> None:
        order: list[QWidget] = [self.kind, self.extra_reason]
        for row in self.meetings.rows:
            order += row.focus_widgets()
        order.append(self.add_meeting_button)
        for row in self.people.rows:
            order += row.focus_widgets()
        order.append(self.add_person_button)
        chain_tab_order(order)
        decisions: list[QWidget] = []
        for row in self.decisions.rows:
            decisions += row.focus_widgets()
        chain_tab_order([*decisions, self.add_decision_button])
