"""My week, the page the app opens on: what needs doing across the caseload, overdue first, each
line opening the child at the right tab and item."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QFont, QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyle,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.caseload import myweek
from iro_desktop.gui.review_parts import (
    ITEM_ID_ROLE,
    LATE_COLOUR,
    SOON_COLOUR,
    SORT_ROLE,
    days_phrase,
    labelled,
)
from iro_desktop.gui.widgets import format_date

CHILD_ROLE = Qt.ItemDataRole.UserRole + 10
TAB_ROLE = Qt.ItemDataRole.UserRole + 11
# A line can open a part of the item as well as its tab: "tab:part" (ChildRecord.show_tab).
# Decisions to circulate and records to complete open the review form at its Status part.
PART_FOR: dict[str, str] = {myweek.DECISIONS: "status", myweek.RECORD: "status"}
# ...but a record waiting for a field opens the part that has it: a draft with no participation
# code yet opens at the child's voice, where the code is chosen.
PART_FOR_MISSING: dict[str, str] = {"participation_code": "voice"}


def tab_target(item: Any) -> str:
    """The tab key (with a ":part" when the line opens a part of the item) for a My week line."""
    part = PART_FOR.get(item.category)
    if part and getattr(item, "missing", ""):
        part = PART_FOR_MISSING.get(item.missing, part)
    return f"{item.tab}:{part}" if part and item.item_id else item.tab
REVIEWS_OVERDUE = "review_overdue"
# Sections in a fixed order (statutory reviews first), each line within them overdue first.
SECTIONS: list[tuple[str, str]] = [
    (REVIEWS_OVERDUE, "⚠ Reviews overdue"),
    (myweek.REVIEW, "Reviews due soon"),
    (myweek.ESCALATION_RESPONSE, "Escalations waiting for a response"),
    (myweek.MIDWAY, "Midway reviews due"),
    (myweek.DECISIONS, "Decisions not yet circulated"),
    (myweek.RECORD, "Review records not yet completed"),
    (myweek.LETTER, "Letters to children not yet sent"),
    (myweek.NOT_SEEN, "Children you have not seen for a while"),
    (myweek.PLACEMENT_CHANGE, "Placement changes since the last review – consider a review"),
]
SECTION_TITLES = dict(SECTIONS)
LONG_SECTION = 15  # longer sections start folded so the others stay in view
COLUMNS = ["Child", "What", "Due", "When"]


def when_text(due: dt.date, overdue: bool, today: dt.date) -> str:
    """Words for how a line stands: never colour alone."""
    days = (due - today).days
    if overdue:
        return f"⚠ {days_phrase(-days)} late" if days < 0 else "⚠ due today"
    if days < 0:  # a past date that is not a deadline (a placement move): not "late"
        return f"{days_phrase(-days)} ago"
    if days == 0:
        return "Due today"
    return f"In {days_phrase(days)}"


class MyWeekModel(QStandardItemModel):
    """Sections (top-level rows) of week items (their children). Each item row carries the child
    id, the tab key and the item id in roles on its first column."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setHorizontalHeaderLabels(COLUMNS)

    def load(self, items: Sequence[Any], today: dt.date) -> None:
        self.removeRows(0, self.rowCount())
        groups: dict[str, list[Any]] = {key: [] for key, _title in SECTIONS}
        for item in sorted(items, key=lambda i: i.sort_key()):
            key = item.category
            if key == myweek.REVIEW and item.overdue:
                key = REVIEWS_OVERDUE
            groups.setdefault(key, []).append(item)
        for key, members in groups.items():
            if not members:
                continue
            late = sum(1 for m in members if m.overdue)
            title = SECTION_TITLES.get(key, key)
            count = f"{len(members)}" + (f", ⚠ {late} late" if late and key != REVIEWS_OVERDUE
                                         else "")
            section = QStandardItem(f"{title} ({count})")
            font = QFont()
            font.setBold(True)
            section.setFont(font)
            section.setEditable(False)
            section.setData(key, TAB_ROLE)
            if late:
                section.setForeground(QBrush(LATE_COLOUR))
            fillers = [QStandardItem("") for _ in COLUMNS[1:]]
            for filler in fillers:
                filler.setEditable(False)
            for item in members:
                section.appendRow(self._line(item, today))
            self.appendRow([section, *fillers])

    @staticmethod
    def _line(item: Any, today: dt.date) -> list[QStandardItem]:
        child = QStandardItem(item.child_name)
        child.setData(item.child_id, CHILD_ROLE)
        child.setData(tab_target(item), TAB_ROLE)
        child.setData(item.item_id, ITEM_ID_ROLE)
        what = QStandardItem(item.text)
        due = QStandardItem(format_date(item.due))
        due.setData(item.due.toordinal(), SORT_ROLE)
        when = QStandardItem(when_text(item.due, item.overdue, today))
        colour = LATE_COLOUR if item.overdue else (
            SOON_COLOUR if (item.due - today).days <= 7 else None)
        cells = [child, what, due, when]
        for cell in cells:
            cell.setEditable(False)
            cell.setToolTip(f"{item.child_name}: {item.text}")
            if colour is not None:
                cell.setForeground(QBrush(colour))
        return cells


class WeekTree(QTreeView):
    """Enter or Return opens the line, as a double-click does."""

    open_requested = Signal(QModelIndex)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class MyWeekPage(QWidget):
    """The `my_week` page."""

    #: (child id, tab key, item id or 0): the IRO opened a line; the window shows that child.
    open_child_requested = Signal(int, str, int)

    def __init__(self, store: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.today = dt.date.today()
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.model = MyWeekModel(self)
        self.tree = WeekTree()
        self.tree.setModel(self.model)
        labelled(self.tree, "My week: what needs doing, overdue first",
                 "Press Enter on a line to open the child at that place.")
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column in (0, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.tree.activated.connect(self.open_index)
        self.tree.doubleClicked.connect(self.open_index)
        self.tree.open_requested.connect(self.open_index)
        self.open_button = QPushButton("&Open")
        labelled(self.open_button, "Open the child at this line")
        self.open_button.clicked.connect(lambda: self.open_index(self.tree.currentIndex()))
        self.refresh_button = QPushButton("&Refresh")
        labelled(self.refresh_button, "Refresh my week")
        self.refresh_button.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.open_button)
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        self.refresh()

    def refresh(self) -> None:
        self.today = dt.date.today()
        with self.store.session() as session:
            items = myweek.my_week(session, self.today)
        self.model.load(items, self.today)
        warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        for row in range(self.model.rowCount()):
            self.tree.setFirstColumnSpanned(row, QModelIndex(), True)
            section = self.model.item(row)
            self.tree.setExpanded(section.index(), section.rowCount() <= LONG_SECTION)
            for line in range(section.rowCount()):
                if "⚠" in section.child(line, 3).text():
                    section.child(line, 0).setIcon(warning)
        late = sum(1 for i in items if i.overdue)
        self.title.setText(f"<h2>My week – {self.today:%A} {self.today.day} "
                           f"{self.today:%B %Y}</h2>")
        if not items:
            self.summary.setText("✔ Nothing needs doing this week.")
        else:
            self.summary.setText(f"{len(items)} thing{'s' if len(items) != 1 else ''} to do; "
                                 f"⚠ {late} overdue or late." if late else
                                 f"{len(items)} things to do; nothing overdue.")
        first = self.model.index(0, 0)
        if first.isValid() and self.model.rowCount(first):
            self.tree.setCurrentIndex(self.model.index(0, 0, first))
        self.tree.setToolTip("Enter opens the child; → and ← open and fold a section.")

    def open_index(self, index: QModelIndex) -> None:
        """Open the child of a line (a section header opens nothing)."""
        if not index.isValid() or not index.parent().isValid():
            return
        first = index.siblingAtColumn(0)
        child_id = first.data(CHILD_ROLE)
        if child_id is None:
            return
        self.open_child_requested.emit(int(child_id), str(first.data(TAB_ROLE) or ""),
                                       int(first.data(ITEM_ID_ROLE) or 0))
