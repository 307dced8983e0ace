"""A child's letters: each review with its letter (none yet, a saved draft, or sent on a date) and
whether it went in time; write or open a letter, save one as a PDF.

`open_letter_for_review(parent, store, review_id)` is what a review form's "Write letter" calls.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.gui.widgets import (
    DUE_SOON_BACKGROUND,
    DUE_SOON_FOREGROUND,
    OVERDUE_BACKGROUND,
    OVERDUE_FOREGROUND,
    format_date,
)
from iro_desktop.letters import compose, pictures
from iro_desktop.letters.compose import LetterSummary

log = logging.getLogger(__name__)

REVIEW, LETTER, DUE_BY, ON_TIME = range(4)
HEADERS = ("Review", "Letter", "Send by", "In time?")
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
REVIEW_ID_ROLE = Qt.ItemDataRole.UserRole + 2
_Index = QModelIndex | QPersistentModelIndex


def open_letter_for_review(parent: QWidget | None, store, review_id: int) -> bool:  # type: ignore[no-untyped-def]
    """Open the letter composer for a review; True when the IRO saved the letter."""
    from iro_desktop.gui.letter_composer import LetterComposer  # the composer loads PDF tools

    saved, _accepted = LetterComposer.edit(parent, store, review_id)
    return saved


def save_letter_pdf(parent: QWidget | None, store, review_id: int) -> Path | None:  # type: ignore[no-untyped-def]
    """Ask where to save the review's letter (the saved one, else a draft) and write the PDF."""
    from iro_desktop.gui.letter_preview import save_pdf_as

    with store.session() as session:
        doc = compose.load_letter(session, review_id)
        pictures.attach_pictures(session, doc)
    return save_pdf_as(parent, doc)


IMPORTED = "Imported review: no letter expected"


def letter_state(row: LetterSummary) -> str:
    if row.sent_on:
        return f"Sent on {format_date(row.sent_on)}"
    if not row.expected:
        return "Draft saved (imported review)" if row.saved else "No letter (imported review)"
    return "Draft saved, not sent" if row.saved else "No letter yet"


def _days(count: int) -> str:
    return f"{count} day{'s' if count != 1 else ''}"


def timeliness(row: LetterSummary, today: dt.date) -> str:
    """Whether the letter went in time, in words (colour is never the only signal). A review
    imported from a 903 file is no letter the IRO owes: never late."""
    if not row.expected:
        return "✔ Sent" if row.sent_on else IMPORTED
    if row.sent_on:
        late_by = (row.sent_on - row.due_by).days
        return f"⚠ Sent {_days(late_by)} late" if row.late else "✔ On time"
    if row.late:
        return f"⚠ Not sent: {_days((today - row.due_by).days)} late"
    days = (row.due_by - today).days
    return "Send today" if days == 0 else f"Send within {_days(days)}"


class LettersModel(QAbstractTableModel):
    """One row per review, newest first: plain `LetterSummary` values from the letters core."""

    def __init__(self, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self._rows: list[LetterSummary] = []
        self._today = dt.date.today()

    def set_rows(self, rows: list[LetterSummary], today: dt.date) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._today = today
        self.endResetModel()

    def summary(self, row: int) -> LetterSummary:
        return self._rows[row]

    def row_of(self, review_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.review_id == review_id), -1)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(HEADERS)):
            return HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        pending = row.sent_on is None
        if role == Qt.ItemDataRole.DisplayRole:
            return (format_date(row.review_date), letter_state(row),
                    format_date(row.due_by) if row.expected else "—",
                    timeliness(row, self._today))[column]
        if role == SORT_ROLE:
            return (row.review_date.toordinal(), (row.sent_on is not None, row.saved),
                    row.due_by.toordinal(), row.late)[column]
        if role == REVIEW_ID_ROLE:
            return row.review_id
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            if column != ON_TIME:
                return None
            background = role == Qt.ItemDataRole.BackgroundRole
            if row.late:
                return OVERDUE_BACKGROUND if background else OVERDUE_FOREGROUND
            if pending and row.expected and (row.due_by - self._today).days <= 5:
                return DUE_SOON_BACKGROUND if background else DUE_SOON_FOREGROUND
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemNeverHasChildren)


class LettersTab(QWidget):
    """The Letters tab of a child's record."""

    #: A letter was saved or marked as sent: the record refreshes its header and other tabs.
    changed = Signal()

    def __init__(self, store, child_id: int, parent: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.store = store
        self.child_id = child_id
        self.today: Callable[[], dt.date] = dt.date.today
        self.setAccessibleName("Letters")

        self.model = LettersModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Letters for each review")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        # Enter or a double click (activated covers both; doubleClicked too would open twice).
        self.table.activated.connect(lambda _index: self.open_letter())
        self.open_button = QPushButton("&Write letter")
        self.open_button.setAccessibleName("Write or open letter")
        self.open_button.clicked.connect(self.open_letter)
        self.pdf_button = QPushButton("Save &PDF…")
        self.pdf_button.setAccessibleName("Save PDF")
        self.pdf_button.clicked.connect(self.save_pdf)
        self.empty_label = QLabel("No reviews yet. After a review, write the child's letter here.")
        self.empty_label.setWordWrap(True)
        self.hint = QLabel("A letter goes to the child after every review: in your words, with "
                           "pictures. Lateness counts from the review date.")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: palette(placeholder-text);")

        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.pdf_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self.refresh()

    def refresh(self) -> None:
        current = self.current_review_id()
        today = self.today()
        with self.store.session() as session:
            rows = compose.letter_summaries(session, self.child_id, today)
        self.model.set_rows(rows, today)
        self.empty_label.setVisible(not rows)
        self.table.setVisible(bool(rows))
        if rows:
            self.show_item(current or rows[0].review_id)
        self._update_buttons()

    def show_item(self, item_id: int) -> None:
        """Select the row of this review (item ids are review ids)."""
        row = self.model.row_of(item_id)
        if row >= 0:
            self.table.selectRow(row)
            self.table.setCurrentIndex(self.model.index(row, 0))

    def current_review_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.summary(index.row()).review_id if index.isValid() else None

    def open_letter(self) -> bool:
        review_id = self.current_review_id()
        if review_id is None:
            return False
        saved = open_letter_for_review(self, self.store, review_id)
        self.refresh()
        if saved:
            self.changed.emit()
        return saved

    def save_pdf(self) -> Path | None:
        review_id = self.current_review_id()
        return None if review_id is None else save_letter_pdf(self, self.store, review_id)

    def _update_buttons(self) -> None:
        index = self.table.currentIndex()
        has_row = index.isValid()
        self.open_button.setEnabled(has_row)
        self.pdf_button.setEnabled(has_row)
        saved = has_row and self.model.summary(index.row()).saved
        self.open_button.setText("&Open letter" if saved else "&Write letter")
