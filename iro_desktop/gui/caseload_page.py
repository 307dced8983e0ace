"""The caseload page: each child and their next statutory review, filtered as you type."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from iro_desktop import settings
from iro_desktop.caseload.overview import CaseloadRow, caseload_rows
from iro_desktop.gui.caseload_model import (
    AGE,
    CHILD_ID_ROLE,
    CHILD_REF,
    DAYS_LEFT,
    LAST_REVIEW,
    LEGAL,
    NAME,
    NEXT_DUE,
    PLACE,
    SOCIAL_WORKER,
    CaseloadFilter,
    CaseloadModel,
    legal_status_short,
    placement_short,
)
from iro_desktop.interchange.codes903 import LEGAL_STATUS, PLACEMENT

log = logging.getLogger(__name__)


def add_child_action(window: Any) -> None:
    """Menu action (File > Add a child…); Ctrl+N does the same on the caseload page."""
    window.show_page("caseload")
    window.page("caseload").add_child()


class _CaseloadTable(QTableView):
    """Enter or Return on a row opens the child, like a double-click."""

    activated_row = Signal(QModelIndex)

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activated_row.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class CaseloadPage(QWidget):
    """The IRO's children. Signals:

    - `open_child_requested(child_id, tab_key, item_id)`: the IRO opened a child (double-click,
      Enter, or after adding one); tab "" means the record's first tab, item 0 means none.
    - `changed()`: a child was added, edited or closed (other pages may want to reload).
    """

    open_child_requested = Signal(int, str, int)
    changed = Signal()

    def __init__(self, store, parent: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.store = store
        self.today: Callable[[], dt.date] = dt.date.today
        self.model = CaseloadModel(self)
        self.proxy = CaseloadFilter(self)
        self.proxy.setSourceModel(self.model)

        self.summary = QLabel()
        self.summary.setAccessibleName("Caseload summary")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.summary.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.summary.setFont(font)

        self.show_left_care = QCheckBox("Show children who have &left care")
        self.show_left_care.setAccessibleName("Show children who have left care")
        self.show_left_care.toggled.connect(self.refresh)

        self.table = _CaseloadTable()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Caseload")
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(False)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        self.table.setTabKeyNavigation(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setHighlightSections(False)
        self._widths = {
            NAME: 16, CHILD_REF: 8, AGE: 4, NEXT_DUE: 19, DAYS_LEFT: 15, LAST_REVIEW: 9,
            LEGAL: 21, PLACE: 26, SOCIAL_WORKER: 14,
        }
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(self._open_index)
        self.table.activated_row.connect(self._open_index)
        self.table.sortByColumn(NEXT_DUE, Qt.SortOrder.AscendingOrder)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

        self.add_button = QPushButton("&Add child…")
        self.add_button.setToolTip("Add a child to your caseload (Ctrl+N)")
        self.add_button.setAccessibleName("Add child")
        self.add_button.clicked.connect(self.add_child)
        self.edit_button = QPushButton("&Edit…")
        self.edit_button.setAccessibleName("Edit the selected child")
        self.edit_button.clicked.connect(self.edit_selected)
        self.close_button = QPushButton("Left &care…")
        self.close_button.setToolTip("Record that the selected child has left care")
        self.close_button.setAccessibleName("Record that the selected child has left care")
        self.close_button.clicked.connect(self.close_selected)
        self.open_button = QPushButton("&Open record")
        self.open_button.setAccessibleName("Open the selected child's record")
        self.open_button.clicked.connect(lambda: self._open_index(self.table.currentIndex()))
        add_shortcut = QShortcut(QKeySequence.StandardKey.New, self)
        add_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        add_shortcut.activated.connect(self.add_child)

        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.show_left_care)
        buttons = QHBoxLayout()
        for button in (self.open_button, self.add_button, self.edit_button, self.close_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        legend = QLabel("⚠ overdue (red) · due within the next weeks (amber)")
        legend.setAccessibleName("Colour key")
        buttons.addWidget(legend)
        self._legend = legend
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.setTabOrder(self.table, self.open_button)
        self.setTabOrder(self.open_button, self.add_button)
        self.setTabOrder(self.add_button, self.edit_button)
        self.setTabOrder(self.edit_button, self.close_button)
        self.setTabOrder(self.close_button, self.show_left_care)
        self.refresh()

    # -- loading -------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the caseload from the store, keeping the selected child selected."""
        selected = self.selected_child_id()
        today = self.today()
        with self.store.session() as session:
            rows = caseload_rows(session, today, include_left_care=self.show_left_care.isChecked())
            due_soon_days = int(settings.get(session, "due_soon_days"))
        self.model.due_soon_days = due_soon_days
        self.model.set_rows(rows)
        self._legend.setText(f"⚠ overdue (red) · due within {due_soon_days} days (amber)")
        self._size_columns()
        self._update_summary()
        if selected is not None:
            self.select_child(selected)
        self._update_buttons()
        log.debug("caseload page loaded %d rows", len(rows))

    def _size_columns(self) -> None:
        metrics = self.table.fontMetrics()
        char = metrics.horizontalAdvance("0")
        widths = {column: chars * char + 16 for column, chars in self._widths.items()}
        # The code columns fit their longest (short) label, so none is cut off; the full 903
        # label is in each cell's tooltip. 10: the cell's text margins and a little air.
        for column, labels in ((LEGAL, map(legal_status_short, LEGAL_STATUS)),
                               (PLACE, map(placement_short, PLACEMENT))):
            widths[column] = max(widths[column],
                                 max(metrics.horizontalAdvance(t) for t in labels) + 10)
        for column, width in widths.items():
            self.table.setColumnWidth(column, width)

    def _update_summary(self) -> None:
        rows = [r for r in self.model.rows() if r.looked_after]
        overdue = sum(1 for r in rows if self.model.overdue(r))
        soon = sum(1 for r in rows if self.model.due_soon(r))
        children = f"{len(rows)} child{'ren' if len(rows) != 1 else ''}"
        text = f"{children} · {overdue} overdue · {soon} due in {self.model.due_soon_days} days"
        left = self.model.rowCount() - len(rows)
        if left:
            text += f" · {left} left care"
        shown = self.proxy.rowCount()
        if shown != self.model.rowCount():
            text += f"   (showing {shown})"
        self.summary.setText(text)

    # -- filtering and selection ---------------------------------------------------------------
    def set_filter_text(self, text: str) -> None:
        self.proxy.set_search_text(text)
        self._update_summary()
        if self.proxy.rowCount() and not self.table.currentIndex().isValid():
            self.table.selectRow(0)
        self._update_buttons()

    def visible_child_ids(self) -> list[int]:
        return [
            int(self.proxy.index(r, 0).data(CHILD_ID_ROLE)) for r in range(self.proxy.rowCount())
        ]

    def selected_child_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row()):
            return None
        return int(index.data(CHILD_ID_ROLE))

    def selected_row(self) -> CaseloadRow | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.row_at(self.proxy.mapToSource(index).row())

    def select_child(self, child_id: int) -> bool:
        for row in range(self.proxy.rowCount()):
            if self.proxy.index(row, 0).data(CHILD_ID_ROLE) == child_id:
                self.table.selectRow(row)
                self.table.scrollTo(self.proxy.index(row, 0))
                return True
        return False

    def open_first_match(self) -> None:
        """Enter in the search box: open the child when the search found one (or the selected)."""
        index = self.table.currentIndex()
        if not index.isValid() and self.proxy.rowCount():
            index = self.proxy.index(0, 0)
        self._open_index(index)

    def focus_table(self) -> None:
        self.table.setFocus()
        if not self.table.currentIndex().isValid() and self.proxy.rowCount():
            self.table.selectRow(0)

    def _update_buttons(self) -> None:
        row = self.selected_row() if self.selected_child_id() is not None else None
        self.open_button.setEnabled(row is not None)
        self.edit_button.setEnabled(row is not None)
        self.close_button.setEnabled(row is not None and row.looked_after)

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_child_requested.emit(int(index.data(CHILD_ID_ROLE)), "", 0)

    # -- actions -------------------------------------------------------------------------------
    def add_child(self) -> None:
        from iro_desktop.gui.child_dialog import ChildDialog

        child_id, accepted = ChildDialog.add_child(self.store, self)
        if accepted and child_id:
            self.refresh()
            self.select_child(child_id)
            self.changed.emit()

    def edit_selected(self) -> None:
        from iro_desktop.gui.child_dialog import ChildDialog

        child_id = self.selected_child_id()
        if child_id is None:
            return
        _, accepted = ChildDialog.edit_child(self.store, child_id, self)
        if accepted:
            self.refresh()
            self.changed.emit()

    def close_selected(self) -> None:
        from iro_desktop.gui.close_child_dialog import CloseChildDialog

        child_id = self.selected_child_id()
        if child_id is None:
            return
        _, accepted = CloseChildDialog.close_child(self.store, child_id, self)
        if accepted:
            self.refresh()
            self.changed.emit()
