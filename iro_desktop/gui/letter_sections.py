"""The letter's sections as a Qt list model and the list view that shows them: what the composer's
list reorders by drag and drop or Move up/down, and hands back to the letters core in order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QAbstractItemView, QListView

from iro_desktop.letters.compose import LetterSection

SECTION_KEY_ROLE = Qt.ItemDataRole.UserRole + 1
SECTION_TEXT_ROLE = Qt.ItemDataRole.UserRole + 2
SECTION_PICTURE_ROLE = Qt.ItemDataRole.UserRole + 3

_ROW_MIME = "application/x-iro-letter-section-row"
_ModelIndex = QModelIndex | QPersistentModelIndex


class LetterSectionsModel(QAbstractListModel):
    """The sections in letter order. Rows move with `moveRows` (drag and drop uses it too)."""

    def __init__(self, sections: list[LetterSection] | None = None,
                 icon_for: Callable[[str], QIcon] | None = None,
                 jargon_in: Callable[[str], int] | None = None, parent=None):  # type: ignore[no-untyped-def]
        """`icon_for(picture)` draws a section's picture; `jargon_in(text)` counts the care words
        in it still to change (the section is marked in the list until there are none)."""
        super().__init__(parent)
        self._sections = [replace(s) for s in sections or []]
        self._icon_for = icon_for
        self._jargon_in = jargon_in

    # -- reading and writing the letter ---------------------------------------------------
    def sections(self) -> list[LetterSection]:
        """A copy of the sections in their current order."""
        return [replace(s) for s in self._sections]

    def set_sections(self, sections: list[LetterSection]) -> None:
        self.beginResetModel()
        self._sections = [replace(s) for s in sections]
        self.endResetModel()

    def section(self, row: int) -> LetterSection:
        return self._sections[row]

    def update_section(self, row: int, **changes: str) -> None:
        """Change a section's title, text or picture (the editor calls this as the IRO types)."""
        self._sections[row] = replace(self._sections[row], **changes)
        index = self.index(row)
        self.dataChanged.emit(index, index)

    def insert_section(self, row: int, section: LetterSection) -> None:
        row = max(0, min(row, len(self._sections)))
        self.beginInsertRows(QModelIndex(), row, row)
        self._sections.insert(row, replace(section))
        self.endInsertRows()

    def remove_section(self, row: int) -> LetterSection:
        self.beginRemoveRows(QModelIndex(), row, row)
        section = self._sections.pop(row)
        self.endRemoveRows()
        return section

    def move_section(self, row: int, to_row: int) -> bool:
        """Move one section so that it ends up at `to_row` (as the list shows it afterwards)."""
        if not 0 <= row < len(self._sections) or not 0 <= to_row < len(self._sections):
            return False
        if to_row == row:
            return False
        destination = to_row + 1 if to_row > row else to_row
        return self.moveRows(QModelIndex(), row, 1, QModelIndex(), destination)

    # -- QAbstractListModel ------------------------------------------------------------------
    def rowCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._sections)

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if not index.isValid() or not 0 <= index.row() < len(self._sections):
            return None
        section = self._sections[index.row()]
        if role == Qt.ItemDataRole.EditRole:
            return section.title
        if role == Qt.ItemDataRole.DisplayRole:
            marks = "  ⚠" if self._jargon(section) else ""
            return (section.title or "(no heading)") + marks
        if role == Qt.ItemDataRole.AccessibleTextRole:
            count = self._jargon(section)
            words = f", {count} care word{'s' if count != 1 else ''} to change" if count else ""
            return f"Section {index.row() + 1}: {section.title or 'no heading'}{words}"
        if role == Qt.ItemDataRole.ToolTipRole:
            # The whole heading first: a long one may be cut short in a narrow list.
            first_line = section.text.strip().splitlines()[0] if section.text.strip() else ""
            count = self._jargon(section)
            words = (f"\n⚠ {count} care word{'s' if count != 1 else ''} to change"
                     if count else "")
            return (f"{section.title or '(no heading)'}\n"
                    f"{first_line[:120] or '(no words yet)'}{words}")
        if role == Qt.ItemDataRole.DecorationRole and self._icon_for is not None:
            return self._icon_for(section.picture) if section.picture else None
        if role == SECTION_KEY_ROLE:
            return section.key
        if role == SECTION_TEXT_ROLE:
            return section.text
        if role == SECTION_PICTURE_ROLE:
            return section.picture
        return None

    def _jargon(self, section: LetterSection) -> int:
        return self._jargon_in(f"{section.title}\n{section.text}") if self._jargon_in else 0

    def flags(self, index: _ModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsDropEnabled  # dropping between rows (on the root)
        if not index.isValid():
            return base
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemNeverHasChildren)

    def moveRows(self, source_parent: _ModelIndex, source_row: int, count: int,
                 destination_parent: _ModelIndex, destination_child: int) -> bool:
        if source_parent.isValid() or destination_parent.isValid() or count < 1:
            return False
        last = source_row + count - 1
        if source_row < 0 or last >= len(self._sections):
            return False
        if not 0 <= destination_child <= len(self._sections):
            return False
        if source_row <= destination_child <= last + 1:
            return False  # onto itself
        if not self.beginMoveRows(QModelIndex(), source_row, last, QModelIndex(),
                                  destination_child):
            return False
        moving = self._sections[source_row:last + 1]
        del self._sections[source_row:last + 1]
        insert_at = destination_child - count if destination_child > last else destination_child
        self._sections[insert_at:insert_at] = moving
        self.endMoveRows()
        return True

    # Drag and drop: the view's internal move calls moveRows; these only carry the row.
    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [_ROW_MIME]

    def mimeData(self, indexes) -> QMimeData:  # type: ignore[no-untyped-def]
        mime = QMimeData()
        rows = sorted({i.row() for i in indexes if i.isValid()})
        mime.setData(_ROW_MIME, QByteArray(",".join(map(str, rows)).encode()))
        return mime

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: _ModelIndex) -> bool:
        """A drop from elsewhere (QListView moves rows itself with moveRows)."""
        if action != Qt.DropAction.MoveAction or not data.hasFormat(_ROW_MIME):
            return False
        raw = bytes(data.data(_ROW_MIME).data()).decode()
        rows = [int(r) for r in raw.split(",") if r]
        if len(rows) != 1:
            return False
        destination = len(self._sections) if row < 0 else row
        if parent.isValid():
            destination = parent.row()
        return self.moveRows(QModelIndex(), rows[0], 1, QModelIndex(), destination)


class SectionListView(QListView):
    """The sections in letter order; dragging one moves it (through the model's moveRows)."""

    section_dropped = Signal(int, int)  # from row, insert before row

    def __init__(self) -> None:
        super().__init__()
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # A long heading ("What happens next, and your next meeting") wraps onto a second line
        # rather than being cut off in the narrow list of a 1366-pixel laptop screen; Adjust
        # re-wraps when the IRO drags the splitter.
        self.setWordWrap(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)

    def drop_row(self, point) -> int:  # type: ignore[no-untyped-def]
        """The row a drop at `point` inserts before (the row count: at the end)."""
        index = self.indexAt(point)
        if not index.isValid():
            return self.model().rowCount()
        rect = self.visualRect(index)
        return index.row() + (1 if point.y() > rect.center().y() else 0)

    def dropEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.source() is not self or not self.currentIndex().isValid():
            event.ignore()
            return
        self.section_dropped.emit(self.currentIndex().row(),
                                  self.drop_row(event.position().toPoint()))
        # The move is done: tell the drag not to remove anything at the source.
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        self.stopAutoScroll()
        self.setState(QAbstractItemView.State.NoState)
        self.viewport().update()
