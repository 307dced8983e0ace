"""Small form parts shared by the review work views: dates, yes/no and choice combos, field errors,
a plain table model, and the wording of deadlines ("Due 12/03/2026 - 2 days late")."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QWidget,
)

from iro_desktop.gui.widgets import format_date

ERROR_COLOUR = "#b00020"
LATE_COLOUR = QColor("#b00020")
SOON_COLOUR = QColor("#8a5a00")
DONE_COLOUR = QColor("#1b6e20")
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ITEM_ID_ROLE = Qt.ItemDataRole.UserRole + 2
ModelIndex = QModelIndex | QPersistentModelIndex


def days_phrase(days: int) -> str:
    return f"{days} day" if days == 1 else f"{days} days"


def deadline_text(due: dt.date | None, done_on: dt.date | None, today: dt.date) -> str:
    """How a deadline stands, in words (never colour alone): "Due 12/03/2026 - 2 days late"."""
    if due is None:
        return "No deadline yet"
    head = f"Due {format_date(due)}"
    if done_on is not None:
        late = (done_on - due).days
        return f"{head} – done {format_date(done_on)}, " + (
            f"{days_phrase(late)} late" if late > 0 else "on time"
        )
    left = (due - today).days
    if left < 0:
        return f"{head} – {days_phrase(-left)} late"
    if left == 0:
        return f"{head} – due today"
    return f"{head} – {days_phrase(left)} left"


def is_late(due: dt.date | None, done_on: dt.date | None, today: dt.date) -> bool:
    if due is None:
        return False
    return (done_on or today) > due


def narrow(field: QWidget, characters: int = 12) -> QWidget:
    """A date or short field as wide as what it holds, not the whole row (and still so at 150%)."""
    field.setMaximumWidth(field.fontMetrics().horizontalAdvance("0" * characters) + 48)
    return field


def confirm_discard(parent: QWidget) -> bool:
    """True when the IRO agrees to close without saving their changes (tests patch this)."""
    from PySide6.QtWidgets import QMessageBox

    buttons = QMessageBox.StandardButton
    answer = QMessageBox.question(
        parent, "Close without saving?",
        "You have changes here that are not saved. Close and lose them?",
        buttons.Discard | buttons.Cancel, buttons.Cancel)
    return answer == buttons.Discard


def confirm_delete(parent: QWidget, what: str, detail: str = "") -> bool:
    """True when the IRO confirms deleting `what` ("the review of 02/06/2025"); tests patch
    this. The default button is Cancel: Enter never deletes."""
    from PySide6.QtWidgets import QMessageBox

    buttons = QMessageBox.StandardButton
    text = f"Delete {what}? This cannot be undone." + (f"\n\n{detail}" if detail else "")
    answer = QMessageBox.question(parent, "Delete?", text, buttons.Yes | buttons.Cancel,
                                  buttons.Cancel)
    return answer == buttons.Yes


def show_on_form(form: Any, errors: dict[str, str]) -> dict[str, str]:
    """Show the messages that belong to `form`'s fields beside them; return the others as given
    (list keys such as `progress[3]` are placed by the caller, on their row)."""
    form.show_messages({k: v for k, v in errors.items() if k in form.fields})
    return {k: v for k, v in errors.items() if k not in form.fields}


def labelled(widget: QWidget, name: str, description: str = "") -> QWidget:
    """Give a control its accessible name (screen readers, tests) and return it."""
    widget.setAccessibleName(name)
    if description:
        widget.setAccessibleDescription(description)
        widget.setToolTip(description)
    return widget


class ChoiceCombo(QComboBox):
    """A combo of (key, label) choices whose value is the key."""

    def __init__(self, choices: Iterable[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.set_choices(choices)

    def set_choices(self, choices: Iterable[tuple[str, str]]) -> None:
        current = self.value() if self.count() else None
        self.blockSignals(True)
        self.clear()
        for key, label in choices:
            self.addItem(label, key)
        if current is not None:
            self.set_value(current)
        self.blockSignals(False)

    def value(self) -> Any:
        return self.currentData()

    def set_value(self, key: Any) -> None:
        index = self.findData(key)
        if index >= 0:
            self.setCurrentIndex(index)


class YesNoCombo(ChoiceCombo):
    """Yes / No / Not recorded: the answer may honestly be unknown (bool | None)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__([("", "Not recorded"), ("yes", "Yes"), ("no", "No")], parent)

    def value(self) -> bool | None:  # type: ignore[override]
        key = self.currentData()
        return None if not key else key == "yes"

    def set_value(self, answer: Any) -> None:
        key = "" if answer is None else ("yes" if answer else "no")
        super().set_value(key)


class TextBox(QPlainTextEdit):
    """A multi-line text box where Tab moves on (keyboard users go field to field)."""

    def __init__(self, lines: int = 4, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        height = self.fontMetrics().lineSpacing() * lines + 14
        self.setMinimumHeight(height)

    def value(self) -> str:
        return self.toPlainText().strip()


class ErrorLabel(QLabel):
    """The message shown beside a wrong field; hidden when there is none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet(f"color: {ERROR_COLOUR}; font-weight: bold;")
        self.setAccessibleName("Problem")
        self.hide()

    def show_error(self, message: str | None) -> None:
        if message:
            self.setText(f"⚠ {message}")
            self.show()
        else:
            self.clear()
            self.hide()


class ToDoNote(QLabel):
    """A calm note (not an error) of what a draft review still needs before its record can be
    completed: "Still to do before the record can be completed: participation code, ..."."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setAccessibleName("Still to do")
        self.setStyleSheet("color: palette(window-text); padding: 2px 0;")
        self.hide()

    def show_to_do(self, words: Sequence[str], *, just_saved: bool, completed: bool) -> None:
        """`words` from `reviews.to_do_words`; hidden once the record is completed."""
        if completed:
            self.clear()
            self.hide()
            return
        head = "Draft saved." if just_saved else "Record not finished."
        if words:
            text = f"{head} Still to do before the record can be completed: {', '.join(words)}."
        else:
            text = f"{head} Nothing is missing: choose Finish record when it is ready."
        self.setText(f"✎ {text}")
        self.show()


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    """Outline a wrong field or row (with the message beside it, never colour alone)."""
    widget.setProperty("invalid", invalid)
    name = widget.metaObject().className()
    widget.setStyleSheet(
        f"{name}[invalid=\"true\"] {{ border: 2px solid {ERROR_COLOUR}; }}" if invalid else ""
    )


def scrolling(content: QWidget) -> QScrollArea:
    """Content in a scroll area, so a form holds at 150% text and on a 1366x768 screen."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(content)
    return area


def shortcut(parent: QWidget, keys: str | QKeySequence, slot: Callable[[], Any]) -> QShortcut:
    sequence = keys if isinstance(keys, QKeySequence) else QKeySequence(keys)
    short = QShortcut(sequence, parent)
    short.setContext(Qt.ShortcutContext.WindowShortcut)
    short.activated.connect(slot)
    return short


def chain_tab_order(widgets: Sequence[QWidget]) -> None:
    """Tab goes through `widgets` in this order (rows added later join in their place)."""
    focusable = [w for w in widgets if w.focusPolicy() & Qt.FocusPolicy.TabFocus]
    for first, second in itertools.pairwise(focusable):
        QWidget.setTabOrder(first, second)


def label_of(key: str, choices: Iterable[tuple[str, str]]) -> str:
    for choice_key, label in choices:
        if choice_key == key:
            return label
    return key.replace("_", " ").capitalize()


@dataclass
class Cell:
    """One cell of a `RowsModel`: what is shown, how it sorts, and its emphasis."""

    text: str
    sort: Any = None
    colour: QColor | None = None
    tooltip: str = ""
    bold: bool = False


@dataclass
class Row:
    item_id: int
    cells: list[Cell] = field(default_factory=list)


class RowsModel(QAbstractTableModel):
    """A read-only table of rows the view built from a use case's plain values; the sort role
    holds the real value (a date, a number), not the display string."""

    def __init__(self, headers: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self._rows: list[Row] = []

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_of(self, item_id: int) -> int:
        for number, row in enumerate(self._rows):
            if row.item_id == item_id:
                return number
        return -1

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self._headers)):
            return self._headers[section]
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if index.column() >= len(row.cells):
            return None
        cell = row.cells[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return cell.text
        if role == SORT_ROLE:
            return cell.sort if cell.sort is not None else cell.text
        if role == ITEM_ID_ROLE:
            return row.item_id
        if role == Qt.ItemDataRole.ForegroundRole and cell.colour is not None:
            return cell.colour
        if role == Qt.ItemDataRole.ToolTipRole and cell.tooltip:
            return cell.tooltip
        if role == Qt.ItemDataRole.FontRole and cell.bold:
            from PySide6.QtGui import QFont

            font = QFont()
            font.setBold(True)
            return font
        return None
