"""The child's timeline: reviews, meetings, midway reviews, notes, escalations and letters in date
order, each with a symbol and a word for its kind (never colour alone)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from iro_desktop.caseload import timeline
from iro_desktop.gui.review_parts import (
    DONE_COLOUR,
    ITEM_ID_ROLE,
    LATE_COLOUR,
    Cell,
    Row,
    RowsModel,
    labelled,
)
from iro_desktop.gui.reviews_tab import ListView
from iro_desktop.gui.widgets import format_date

# (symbol, word) per entry kind: the symbol helps the eye; the entry's title, or this word when it
# has none, carries the meaning.
KIND_MARKS: dict[str, tuple[str, str]] = {
    timeline.REVIEW: ("●", "Review"),
    timeline.REVIEW_MEETING: ("○", "Review meeting"),
    timeline.DECISIONS_CIRCULATED: ("➜", "Decisions circulated"),
    timeline.RECORD_COMPLETED: ("✔", "Record completed"),
    timeline.MIDWAY: ("◐", "Midway review"),
    timeline.NOTE: ("✎", "Case note"),
    timeline.LETTER_SENT: ("✉", "Letter sent"),
    timeline.ESCALATION_RAISED: ("⚑", "Escalation raised"),
    timeline.ESCALATION_STAGE: ("▲", "Escalation moved up"),
    timeline.ESCALATION_RESPONSE: ("↩", "Escalation response"),
    timeline.CAFCASS: ("⚖", "Cafcass referral"),
    timeline.ESCALATION_CLOSED: ("■", "Escalation closed"),
}
ESCALATION_KINDS = {timeline.ESCALATION_RAISED, timeline.ESCALATION_STAGE, timeline.CAFCASS}
TAB_ROLE = Qt.ItemDataRole.UserRole + 11


class TimelineModel(RowsModel):
    """Rows of the timeline; the tab key of each row is kept for opening it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(["Date", "What", "Details"], parent)
        self.tabs: dict[int, str] = {}

    def load(self, entries: list[Any]) -> None:
        rows = []
        self.tabs = {}
        for number, entry in enumerate(entries):
            symbol, word = KIND_MARKS.get(entry.kind, ("•", entry.kind.replace("_", " ")))
            colour = (LATE_COLOUR if entry.kind in ESCALATION_KINDS
                      else DONE_COLOUR if entry.kind == timeline.ESCALATION_CLOSED else None)
            # The title says what happened in full ("Review record completed"); the kind's word
            # only stands in for a missing one (word + title read "Record completed: Review
            # record completed").
            title = entry.title or word
            rows.append(Row(number, [
                Cell(format_date(entry.on), sort=entry.on),
                Cell(f"{symbol} {title}", colour=colour, bold=entry.kind == timeline.REVIEW),
                Cell(entry.text, tooltip=entry.text),
            ]))
            self.tabs[number] = entry.tab
        self._entries = list(entries)
        self.set_rows(rows)

    def entry(self, row: int) -> Any:
        return self._entries[row]


class TimelineTab(QWidget):
    """The `timeline` tab; Enter or a double-click opens the review, note or escalation."""

    #: The IRO saved something from here: the record refreshes its header and other tabs.
    changed = Signal()

    def __init__(self, store: Any, child_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.child_id = store, child_id
        self.model = TimelineModel(self)
        self.view = ListView()
        self.view.setModel(self.model)
        labelled(self.view, "Timeline of the child's reviews, notes and escalations",
                 "Press Enter to open the selected entry.")
        self.newest_first = QCheckBox("&Newest first")
        self.newest_first.setChecked(True)
        labelled(self.newest_first, "Show the newest entries first")
        self.newest_first.toggled.connect(self.refresh)
        self.count = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.count, 1)
        top.addWidget(self.newest_first)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        self.view.open_requested.connect(self.open_index)
        self.refresh()

    def refresh(self) -> None:
        with self.store.session() as session:
            entries = timeline.timeline(session, self.child_id,
                                        newest_first=self.newest_first.isChecked())
        self.model.load(entries)
        self.count.setText(f"{len(entries)} entr{'ies' if len(entries) != 1 else 'y'}, up to "
                           f"{format_date(dt.date.today())}.")

    def show_item(self, item_id: int) -> None:
        for row in range(self.model.rowCount()):
            if self.model.entry(row).item_id == item_id:
                self.view.selectRow(row)
                return

    def open_index(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        entry = self.model.entry(int(index.data(ITEM_ID_ROLE)))
        saved = self._open(entry.tab, entry.item_id)
        if saved:
            self.refresh()
            self.changed.emit()

    def _open(self, tab: str, item_id: int) -> bool:
        if tab == "reviews":
            from iro_desktop.gui.review_form import ReviewForm

            return ReviewForm.edit(self, self.store, self.child_id, item_id)[1]
        if tab == "midway":
            from iro_desktop.gui.midway_dialog import MidwayDialog

            return MidwayDialog.edit(self, self.store, self.child_id, item_id)[1]
        if tab == "notes":
            from iro_desktop.gui.note_dialog import NoteDialog

            return NoteDialog.edit(self, self.store, self.child_id, item_id)[1]
        if tab == "escalations":
            from iro_desktop.gui.escalation_view import EscalationView

            return EscalationView.edit(self, self.store, self.child_id, item_id)[1]
        return False  # letters open from the Letters tab
