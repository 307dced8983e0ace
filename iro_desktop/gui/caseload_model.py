"""The caseload as a Qt table model over `caseload_rows`, and the proxy that sorts and filters."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from iro_desktop.caseload.overview import DUE_SOON_DAYS, CaseloadRow
from iro_desktop.gui.widgets import (
    DUE_SOON_BACKGROUND,
    DUE_SOON_FOREGROUND,
    LEFT_CARE_FOREGROUND,
    OVERDUE_BACKGROUND,
    OVERDUE_FOREGROUND,
    days_text,
    format_date,
)
from iro_desktop.interchange.codes903 import LEGAL_STATUS, PLACEMENT, label

# What the IRO looks for first comes first: at large text sizes the last columns may need a scroll.
NAME, CHILD_REF, AGE, NEXT_DUE, DAYS_LEFT, LAST_REVIEW, LEGAL, PLACE, SOCIAL_WORKER = range(9)
HEADERS = (
    "Name", "CHILD id", "Age", "Next review due", "Days left", "Last review", "Legal status",
    "Placement", "Social worker",
)
# The real value a column sorts by (dates as ordinals, ints), never the display string.
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
# The child's database id, on every cell.
CHILD_ID_ROLE = Qt.ItemDataRole.UserRole + 2
# Everything the search box looks in, lower case.
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 3

# Short placement labels for the caseload's Placement column, so it fits a 1366-pixel laptop
# screen: the 903 guide's own labels (in the tooltip, the search and the child's record) run to 70
# characters. The code leads, so two placements never read the same.
SHORT_PLACEMENT = {
    "U1": "Kinship foster, long term",
    "U2": "Kinship, FFA/concurrent",
    "U3": "Kinship foster, other",
    "U4": "Foster, long term",
    "U5": "Foster, FFA/concurrent",
    "U6": "Foster, other",
    "A3": "Adoption: consent, same carers",
    "A4": "Adoption: consent, new carers",
    "A5": "Adoption: order, same carers",
    "A6": "Adoption: order, new carers",
    "K3": "Supported accommodation 16+",
    "R3": "Family centre, mother & baby",
    "R5": "Young offender inst./prison",
    "T0": "Temporary move",
    "T2": "Temporary: child's holiday",
    "T3": "Temporary: carers' holiday",
    "T4": "Temporary: 7 days or less",
    "Z12": "Other: unregistered, support",
    "Z13": "Other: unregistered",
}

# The same for the legal statuses whose 903 label is too long for the Legal status column.
SHORT_LEGAL_STATUS = {
    "V3": "Short breaks (single)",
    "L2": "Emergency protection",
    "J1": "Remanded to LA",
    "J3": "Youth justice (residence)",
}


def legal_status_short(code: str) -> str:
    text = SHORT_LEGAL_STATUS.get(code)
    return f"{code} {text}" if text else label(LEGAL_STATUS, code)


def placement_short(code: str) -> str:
    """'U5 Foster, FFA/concurrent' for the caseload's column; the 903 label when that is short."""
    text = SHORT_PLACEMENT.get(code)
    return f"{code} {text}" if text else label(PLACEMENT, code)


_NO_DATE = 10**7  # sorts after every real date ordinal
_KIND_WORDS = {"initial": "first", "second": "second", "subsequent": "6-monthly"}

_Index = QModelIndex | QPersistentModelIndex


def next_review_text(row: CaseloadRow) -> str:
    if row.next_review is None:
        return "Left care" if not row.looked_after else "No review due"
    kind = _KIND_WORDS.get(row.next_review.kind.value, row.next_review.kind.value)
    return f"{format_date(row.next_review.due)} ({kind})"


class CaseloadModel(QAbstractTableModel):
    """One row per child; plain `CaseloadRow` values, refreshed whole by `set_rows`."""

    def __init__(self, parent: Any = None, *, due_soon_days: int = DUE_SOON_DAYS) -> None:
        super().__init__(parent)
        self._rows: list[CaseloadRow] = []
        self.due_soon_days = due_soon_days
        self._sort_by: tuple[int, Qt.SortOrder] | None = None

    # -- loading -------------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[CaseloadRow]) -> None:
        self.beginResetModel()
        self._rows = self._sorted(list(rows))
        self.endResetModel()

    # -- sorting: in Python, one key per row --------------------------------------------------
    # QSortFilterProxyModel's own sort calls data() for every comparison (about 250,000 Python
    # calls for 10,000 children, most of a second); sorting the rows by key here costs one
    # _sort_value per row. CaseloadFilter forwards the view's sort requests to this.
    def _sorted(self, rows: list[CaseloadRow]) -> list[CaseloadRow]:
        if self._sort_by is None:
            return rows
        column, order = self._sort_by
        return sorted(rows, key=lambda row: self._sort_value(row, column),
                      reverse=order == Qt.SortOrder.DescendingOrder)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort_by = (column, order) if 0 <= column < len(HEADERS) else None
        self.layoutAboutToBeChanged.emit()
        old_rows = self._rows
        self._rows = self._sorted(list(old_rows))
        position = {id(row): number for number, row in enumerate(self._rows)}
        before = self.persistentIndexList()
        after = [self.index(position[id(old_rows[i.row()])], i.column()) for i in before]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def row_at(self, row: int) -> CaseloadRow:
        return self._rows[row]

    def rows(self) -> list[CaseloadRow]:
        return list(self._rows)

    def overdue(self, row: CaseloadRow) -> bool:
        days = row.days_until_due
        return days is not None and days < 0

    def due_soon(self, row: CaseloadRow) -> bool:
        days = row.days_until_due
        return days is not None and 0 <= days <= self.due_soon_days

    # -- QAbstractTableModel -------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
            if role == Qt.ItemDataRole.DisplayRole:
                return HEADERS[section]
            if role == Qt.ItemDataRole.ToolTipRole and section == DAYS_LEFT:
                return "Days until the next statutory review is due (negative: overdue)"
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == SORT_ROLE:
            return self._sort_value(row, column)
        if role == CHILD_ID_ROLE:
            return row.child_id
        if role == SEARCH_ROLE:
            return self._search_text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.BackgroundRole:
            if self.overdue(row):
                return OVERDUE_BACKGROUND
            if self.due_soon(row):
                return DUE_SOON_BACKGROUND
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if not row.looked_after:
                return LEFT_CARE_FOREGROUND
            if self.overdue(row):
                return OVERDUE_FOREGROUND
            if self.due_soon(row):
                return DUE_SOON_FOREGROUND
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (AGE,):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if column in (LEGAL, PLACE):  # a screen reader reads the 903 label in full
                return self._tooltip(row, column)
            return self._display(row, column)
        return None

    # -- cells ---------------------------------------------------------------------------------
    def _display(self, row: CaseloadRow, column: int) -> str:
        if column == NAME:
            return row.name
        if column == CHILD_REF:
            return row.child_ref
        if column == AGE:
            return str(row.age)
        if column == LEGAL:
            return legal_status_short(row.legal_status)
        if column == PLACE:
            return placement_short(row.placement)
        if column == SOCIAL_WORKER:
            return row.social_worker
        if column == LAST_REVIEW:
            return format_date(row.last_review, "None yet" if row.looked_after else "")
        if column == NEXT_DUE:
            return next_review_text(row)
        if column == DAYS_LEFT:
            if not row.looked_after:
                return "Left care"
            days = row.days_until_due
            if days is None:
                return ""
            if days < 0 or self.due_soon(row):
                return days_text(days)
            return f"{days} days"
        return ""

    def _sort_value(self, row: CaseloadRow, column: int) -> Any:
        if column == NAME:
            return row.name.casefold()
        if column == CHILD_REF:
            return row.child_ref.casefold()
        if column == AGE:
            return -row.date_of_birth.toordinal()  # ascending: youngest first, exact to the day
        if column == LEGAL:
            return row.legal_status
        if column == PLACE:
            return row.placement
        if column == SOCIAL_WORKER:
            return row.social_worker.casefold()
        if column == LAST_REVIEW:
            return row.last_review.toordinal() if row.last_review else _NO_DATE
        if column in (NEXT_DUE, DAYS_LEFT):
            if row.next_review is None:
                return _NO_DATE
            return row.next_review.due.toordinal()
        return ""

    def _search_text(self, row: CaseloadRow) -> str:
        return " ".join(
            (row.name, row.child_ref, row.social_worker, label(PLACEMENT, row.placement),
             SHORT_PLACEMENT.get(row.placement, ""), label(LEGAL_STATUS, row.legal_status))
        ).casefold()

    def _tooltip(self, row: CaseloadRow, column: int) -> str | None:
        if column == LEGAL:
            return label(LEGAL_STATUS, row.legal_status)
        if column == PLACE:
            return label(PLACEMENT, row.placement)
        if column == AGE:
            return f"Born {format_date(row.date_of_birth)}"
        if column in (NEXT_DUE, DAYS_LEFT):
            if row.next_review is None:
                return "Not looked after: no review due" if not row.looked_after else None
            text = f"Next review due {format_date(row.next_review.due)}"
            if row.placement_changed:
                text += "\nPlacement changed since the last review: consider a review"
            return text
        if column == NAME and row.placement_changed:
            return "Placement changed since the last review: consider a review"
        return None


class CaseloadFilter(QSortFilterProxyModel):
    """Sorts by the real values and keeps the rows where every typed word appears in the name,
    CHILD id, social worker, placement or legal status."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._words: tuple[str, ...] = ()
        self.setSortRole(SORT_ROLE)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def set_search_text(self, text: str) -> None:
        words = tuple(text.casefold().split())
        if words == self._words:
            return
        if hasattr(self, "beginFilterChange"):  # Qt 6.10+: the non-deprecated way
            self.beginFilterChange()
            self._words = words
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._words = words
            self.invalidateRowsFilter()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """The caseload model sorts itself (fast, by key); this proxy only filters."""
        source = self.sourceModel()
        if isinstance(source, CaseloadModel):
            source.sort(column, order)
        else:
            super().sort(column, order)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        if not self._words:
            return True
        source = self.sourceModel()
        haystack = source.data(source.index(source_row, 0, source_parent), SEARCH_ROLE) or ""
        return all(word in haystack for word in self._words)
