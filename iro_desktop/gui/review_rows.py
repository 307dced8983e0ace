"""The repeating rows of the review form: meetings, people invited, decisions. Each row knows its
widgets by the input's attribute names, so a `ValidationError` key such as
`decisions[2].owner_role` finds its field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.gui.review_parts import (
    ChoiceCombo,
    ErrorLabel,
    TextBox,
    labelled,
    mark_invalid,
)
from iro_desktop.gui.widgets import DateField

ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth")


def ordinal(index: int) -> str:
    return ORDINALS[index] if index < len(ORDINALS) else f"number {index + 1}"


class EditableChoice(QComboBox):
    """A combo of usual answers that also takes the IRO's own words; value is key or text."""

    def __init__(self, choices: Sequence[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for key, label in choices:
            self.addItem(label, key)
        self.setCurrentIndex(-1)

    def value(self) -> str:
        text = self.currentText().strip()
        index = self.findText(text, Qt.MatchFlag.MatchFixedString)
        return str(self.itemData(index)) if index >= 0 else text

    def set_value(self, key: str) -> None:
        index = self.findData(key)
        if index >= 0:
            self.setCurrentIndex(index)
        else:
            self.setCurrentIndex(-1)
            self.setEditText(key)


class EditorRow(QFrame):
    """One row of a repeating list; `fields` maps attribute names to their widgets."""

    remove_requested = Signal(object)  # the row
    move_requested = Signal(object, int)  # the row, -1 up / +1 down

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.fields: dict[str, QWidget] = {}
        self.grid = QGridLayout()
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.error = ErrorLabel()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 4, 6, 4)
        outer.addLayout(self.grid)
        outer.addWidget(self.error)
        self.number = 0
        self.item_id: int | None = None  # the saved row's id, so an edit keeps it

    def is_blank(self) -> bool:
        """Nothing typed in the row (it is not saved); rows that always hold something: never."""
        return False

    def focus_widgets(self) -> list[QWidget]:
        """The row's controls in the order Tab visits them."""
        return [getattr(w, "line_edit", w) for w in self.tab_widgets()]

    def tab_widgets(self) -> list[QWidget]:
        return list(self.fields.values())

    def set_errors(self, errors: dict[str, str]) -> None:
        self.error.show_error("  ".join(errors.values()) if errors else None)
        mark_invalid(self, bool(errors))
        for name, widget in self.fields.items():
            mark_invalid(widget, name in errors)

    def renumber(self, number: int) -> None:
        self.number = number

    def _button(self, text: str, name: str, slot: Callable[[], Any]) -> QPushButton:
        button = QPushButton(text)
        labelled(button, name)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button


class MeetingRow(EditorRow):
    """A meeting of the review's series: date, format, venue, a note."""

    date_changed = Signal()

    def __init__(self, formats: Sequence[tuple[str, str]], meeting: Any = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item_id = getattr(meeting, "id", None)
        self.title = QLabel()
        self.held_on = DateField()
        self.held_on.set_date(getattr(meeting, "held_on", None) or dt.date.today())
        self.format = ChoiceCombo(formats)
        self.venue = QLineEdit(getattr(meeting, "venue", ""))
        self.venue.setPlaceholderText("Where (a foster home, school, Teams...)")
        self.note = QLineEdit(getattr(meeting, "note", ""))
        self.note.setPlaceholderText("Note (optional)")
        if meeting is not None and not meeting.format:  # an imported review: ask, do not guess
            self.format.insertItem(0, "Choose the format…", "")
        if meeting is not None:
            self.format.set_value(meeting.format)
        self.remove = self._button("Remove", "Remove this meeting",
                                   lambda: self.remove_requested.emit(self))
        self.fields = {"held_on": self.held_on, "format": self.format, "venue": self.venue,
                       "note": self.note}
        for column, widget in enumerate((self.title, self.held_on, self.format, self.venue,
                                         self.note, self.remove)):
            self.grid.addWidget(widget, 0, column)
        self.grid.setColumnStretch(3, 2)
        self.grid.setColumnStretch(4, 2)
        self.held_on.edited.connect(self.date_changed)

    def tab_widgets(self) -> list[QWidget]:
        return [self.held_on, self.format, self.venue, self.note, self.remove]

    def renumber(self, number: int) -> None:
        super().renumber(number)
        self.title.setText(f"{number + 1}.")
        what = f"{ordinal(number).capitalize()} meeting"
        labelled(self.held_on, f"{what}: date")
        labelled(self.format, f"{what}: format")
        labelled(self.venue, f"{what}: venue")
        labelled(self.note, f"{what}: note")
        labelled(self.remove, f"Remove the {ordinal(number)} meeting")

    def value(self, problems: dict[str, str], prefix: str) -> Any:
        from iro_desktop.caseload.reviews import MeetingInput

        if self.held_on.problem():
            problems[f"{prefix}.held_on"] = str(self.held_on.problem())
        return MeetingInput(held_on=self.held_on.date(), format=self.format.value() or "",
                            venue=self.venue.text().strip(), note=self.note.text().strip(),
                            id=self.item_id)


class ParticipantRow(EditorRow):
    """Someone invited: name, role, invited, and which meetings they came to."""

    def __init__(self, roles: Sequence[tuple[str, str]], person: Any = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item_id = getattr(person, "id", None)
        self.name = QLineEdit(getattr(person, "name", ""))
        self.name.setPlaceholderText("Name")
        self.role = EditableChoice(roles)
        if person is not None:
            self.role.set_value(person.role)
        self.invited = QCheckBox("Invited")
        self.invited.setChecked(getattr(person, "invited", True))
        self.came = QHBoxLayout()
        self.came.setContentsMargins(0, 0, 0, 0)
        self.came_boxes: list[QCheckBox] = []
        self._came_to: set[int] = set(getattr(person, "meetings_attended", []) or [])
        if person is not None and person.attended and not self._came_to:
            self._came_to = {0}
        came_box = QWidget()
        came_box.setLayout(self.came)
        self.remove = self._button("Remove", "Remove this person",
                                   lambda: self.remove_requested.emit(self))
        self.fields = {"name": self.name, "role": self.role, "invited": self.invited,
                       "attended": came_box, "meetings_attended": came_box}
        for column, widget in enumerate((self.name, self.role, self.invited, came_box,
                                         self.remove)):
            self.grid.addWidget(widget, 0, column)
        self.grid.setColumnStretch(0, 3)
        self.grid.setColumnStretch(1, 2)
        self.grid.setColumnStretch(3, 2)
        self.name.textChanged.connect(lambda _text: self._name_controls())

    def tab_widgets(self) -> list[QWidget]:
        return [self.name, self.role, self.invited, *self.came_boxes, self.remove]

    def set_meetings(self, count: int) -> None:
        """One "came to" box per meeting of the series."""
        self._came_to = {i for i, box in enumerate(self.came_boxes) if box.isChecked()} | {
            i for i in self._came_to if i >= len(self.came_boxes)}
        while self.came.count():
            item = self.came.takeAt(0)
            if item.widget() is not None:
                item.widget().hide()
                item.widget().deleteLater()
        self.came_boxes = []
        for index in range(count):
            box = QCheckBox(f"Came to {index + 1}" if count > 1 else "Came")
            box.setChecked(index in self._came_to)
            self.came.addWidget(box)
            self.came_boxes.append(box)
        self.came.addStretch(1)
        self._came_to = {i for i in self._came_to if i < count}
        self._name_controls()

    def forget_meeting(self, index: int) -> None:
        """A meeting was removed: later meetings move up one place."""
        ticked = {i for i, box in enumerate(self.came_boxes) if box.isChecked()}
        self._came_to = {i if i < index else i - 1 for i in ticked if i != index}
        for box in self.came_boxes:
            box.setChecked(False)

    def _name_controls(self) -> None:
        who = self.name.text().strip() or f"Person {self.number + 1}"
        labelled(self.name, f"Person {self.number + 1}: name")
        labelled(self.role, f"{who}: role")
        labelled(self.invited, f"{who} was invited")
        labelled(self.remove, f"Remove {who}")
        for index, box in enumerate(self.came_boxes):
            labelled(box, f"{who} came to the {ordinal(index)} meeting")

    def renumber(self, number: int) -> None:
        super().renumber(number)
        self._name_controls()

    def is_blank(self) -> bool:
        from iro_desktop.caseload.reviews import blank_participant

        return blank_participant(self.value())

    def value(self) -> Any:
        from iro_desktop.caseload.reviews import ParticipantInput

        came = [i for i, box in enumerate(self.came_boxes) if box.isChecked()]
        return ParticipantInput(name=self.name.text().strip(), role=self.role.value(),
                                invited=self.invited.isChecked(), attended=bool(came),
                                meetings_attended=came, id=self.item_id)


class DecisionRow(EditorRow):
    """A decision of the review: what, who (role and name), by when, starred."""

    def __init__(self, owner_roles: Sequence[str], decision: Any = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item_id = getattr(decision, "id", None)
        self.title = QLabel()
        self.text = TextBox(lines=2)
        self.text.setPlaceholderText("What was decided")
        self.text.setPlainText(getattr(decision, "text", ""))
        self.owner_role = EditableChoice([(role, role) for role in owner_roles])
        self.owner_role.lineEdit().setPlaceholderText("Who: role")
        self.owner_name = QLineEdit(getattr(decision, "owner_name", ""))
        self.owner_name.setPlaceholderText("Who: name")
        self.due_on = DateField()
        self.due_on.set_date(getattr(decision, "due_on", None))
        self.key_decision = QCheckBox("★ Key")
        self.key_decision.setChecked(bool(getattr(decision, "key_decision", False)))
        if decision is not None:
            self.owner_role.set_value(decision.owner_role)
        self.up = self._button("↑", "Move this decision up (Alt+Up)",
                               lambda: self.move_requested.emit(self, -1))
        self.down = self._button("↓", "Move this decision down",
                                 lambda: self.move_requested.emit(self, 1))
        self.remove = self._button("Remove", "Remove this decision",
                                   lambda: self.remove_requested.emit(self))
        for button in (self.up, self.down):
            button.setMaximumWidth(button.fontMetrics().horizontalAdvance("MMM") + 16)

        self.fields = {"text": self.text, "owner_role": self.owner_role,
                       "owner_name": self.owner_name, "due_on": self.due_on,
                       "key_decision": self.key_decision}
        self.grid.addWidget(self.title, 0, 0, 2, 1, Qt.AlignmentFlag.AlignTop)
        self.grid.addWidget(self.text, 0, 1, 2, 1)
        self.grid.addWidget(self.owner_role, 0, 2)
        self.grid.addWidget(self.owner_name, 1, 2)
        self.grid.addWidget(self.due_on, 0, 3)
        self.grid.addWidget(self.key_decision, 1, 3)
        buttons = QHBoxLayout()
        for button in (self.up, self.down, self.remove):
            buttons.addWidget(button)
        self.grid.addLayout(buttons, 0, 4)
        self.grid.setColumnStretch(1, 4)
        self.grid.setColumnStretch(2, 2)

    def tab_widgets(self) -> list[QWidget]:
        return [self.text, self.owner_role, self.owner_name, self.due_on, self.key_decision,
                self.up, self.down, self.remove]

    def renumber(self, number: int) -> None:
        super().renumber(number)
        self.title.setText(f"{number + 1}.")
        what = f"Decision {number + 1}"
        labelled(self.text, f"{what}: what was decided")
        labelled(self.owner_role, f"{what}: who (role)")
        labelled(self.owner_name, f"{what}: who (name)")
        labelled(self.due_on, f"{what}: by when (dd/mm/yyyy)")
        labelled(self.key_decision, f"{what} is a key (starred) decision")
        labelled(self.up, f"Move decision {number + 1} up (Alt+Up)")
        labelled(self.down, f"Move decision {number + 1} down (Alt+Down)")
        labelled(self.remove, f"Remove decision {number + 1}")

    def is_blank(self) -> bool:
        from iro_desktop.caseload.reviews import blank_decision

        return blank_decision(self.value({}, ""))

    def value(self, problems: dict[str, str], prefix: str) -> Any:
        from iro_desktop.caseload.reviews import DecisionInput

        due = self.due_on.date()
        if self.due_on.problem():
            problems[f"{prefix}.due_on"] = str(self.due_on.problem())
        return DecisionInput(text=self.text.value(), owner_role=self.owner_role.value(),
                             owner_name=self.owner_name.text().strip(), due_on=due,
                             key_decision=self.key_decision.isChecked(), id=self.item_id)


class RowList(QWidget):
    """A column of editor rows with a header; rows can be added, removed and moved."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[EditorRow] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self._layout.addStretch(1)

    def add(self, row: EditorRow, at: int | None = None) -> EditorRow:
        position = len(self.rows) if at is None else at
        self.rows.insert(position, row)
        self._layout.insertWidget(position, row)
        row.remove_requested.connect(self.remove)
        row.move_requested.connect(self.move)
        self._renumber()
        return row

    def take_ids(self, saved_ids: Sequence[int]) -> None:
        """After a save: the rows new to it take the ids of the rows just made for them (made in
        the rows' order, so in id order), so saving again edits them rather than making new
        ones. Blank rows were not saved and take none."""
        held = {row.item_id for row in self.rows if row.item_id is not None}
        new_ids = iter(sorted(i for i in saved_ids if i not in held))
        for row in self.rows:
            if row.item_id is None and not row.is_blank():
                row.item_id = next(new_ids, None)

    def remove(self, row: EditorRow) -> None:
        if row not in self.rows:
            return
        self.rows.remove(row)
        self._layout.removeWidget(row)
        row.hide()
        row.deleteLater()
        self._renumber()

    def move(self, row: EditorRow, delta: int) -> None:
        old = self.rows.index(row)
        new = old + delta
        if not 0 <= new < len(self.rows):
            return
        focus = self.focusWidget()
        self.rows.insert(new, self.rows.pop(old))
        self._layout.removeWidget(row)
        self._layout.insertWidget(new, row)
        self._renumber()
        if focus is not None:
            focus.setFocus()

    def move_focused(self, delta: int) -> None:
        """Alt+Up / Alt+Down: move the row the cursor is in, and keep the cursor there."""
        focus = self.focusWidget() or self.window().focusWidget()
        for row in self.rows:
            if focus is not None and row.isAncestorOf(focus):
                self.move(row, delta)
                return

    def _renumber(self) -> None:
        for number, row in enumerate(self.rows):
            row.renumber(number)
        self.changed.emit()
