"""The manager's window's Qt item models: trusted IROs with their last import, one file per row of
the last import run, and one annual report table; plus the list of tables the window offers.

The models hold plain values only (no ORM rows, no session), so they can be filled from a
worker's results on the GUI thread.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from iro_desktop.reports.annual_xlsx import (
    TEXT,
    Column,
    ReportTable,
    format_value,
    key_figures,
    report_tables,
)

_Index = QModelIndex | QPersistentModelIndex
SUMMARY = "Key figures"
FIGURE = "figure"  # a column of figures already formatted (85.4%, 1,204): shown as given
STATUS_COLOURS = {"applied": QColor("#1B5E20"), "already imported": QColor("#555555"),
                  "refused": QColor("#B00020"), "not started": QColor("#B00020"),
                  "stopped": QColor("#B00020")}


def view_tables(report: dict[str, Any]) -> dict[str, ReportTable]:
    """The tables the window lists for `report`, by key: the key figures first, then every
    table of the exported report. Qt-free, so the report worker can make them."""
    rows = [[label, format_value(value, kind), of]
            for label, value, kind, of in key_figures(report)]
    summary = ReportTable(SUMMARY, "Key figures",
                          [Column("Figure", TEXT), Column("Value", FIGURE),
                           Column("Details", TEXT)], rows)
    return {SUMMARY: summary, **{t.key: t for t in report_tables(report)}}


class _ListModel(QAbstractTableModel):
    """A flat table with fixed column headings: subclasses say what their rows are."""

    HEADERS: tuple[str, ...] = ()

    def _row_count(self) -> int:
        raise NotImplementedError

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._row_count()

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None


class IroModel(_ListModel):
    """Trusted IROs with their key fingerprint and their latest import."""

    NAME, FINGERPRINT, TRUSTED, EXPORTED, IMPORTED, PERIOD, CHILDREN, REVIEWS = range(8)
    HEADERS = ("IRO", "Key fingerprint", "Trusted on", "Last export made", "Imported on",
               "Period of the last export", "Children", "Reviews")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[Any, ...]] = []

    def _row_count(self) -> int:
        return len(self._rows)

    def set_rows(self, pairs: Sequence[tuple[Any, Any]]) -> None:
        """`pairs`: db.service.iros_with_last_import (TrustedIro, ImportLog | None)."""
        self.beginResetModel()
        self._rows = []
        for iro, last in pairs:
            counts = (last.counts or {}) if last is not None else {}
            self._rows.append((
                iro.name + (" (revoked)" if iro.revoked_at else ""),
                iro.fingerprint,
                iro.trusted_at.date() if iro.trusted_at else None,
                last.exported_at if last is not None else None,
                last.applied_at if last is not None else None,
                (last.period_from, last.period_to) if last is not None else None,
                counts.get("children"),
                counts.get("reviews"),
            ))
        self.endResetModel()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        value = self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(value)
        if role == Qt.ItemDataRole.UserRole:  # the real value, for sorting and tests
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() >= self.CHILDREN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _text(value: Any) -> str:
        if value is None:
            return "–"
        if isinstance(value, dt.datetime):
            return value.strftime("%d/%m/%Y %H:%M")
        if isinstance(value, dt.date):
            return value.strftime("%d/%m/%Y")
        if isinstance(value, tuple):
            return f"{value[0]:%d/%m/%Y} to {value[1]:%d/%m/%Y}"
        return str(value)


class ReportTableModel(QAbstractTableModel):
    """One report table (`annual_xlsx.ReportTable`), its total row last and bold."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.table: ReportTable | None = None
        self._rows: list[list[Any]] = []

    def set_table(self, table: ReportTable | None) -> None:
        self.beginResetModel()
        self.table = table
        self._rows = [] if table is None else [*table.rows,
                                               *([table.total] if table.total else [])]
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.table is None else len(self.table.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and self.table is not None):
            return self.table.columns[section].heading
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.table is None:
            return None
        column = self.table.columns[index.column()]
        value = self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return format_value(value, column.kind)
        if role == Qt.ItemDataRole.UserRole:
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind != TEXT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if (role == Qt.ItemDataRole.FontRole and self.table.total is not None
                and index.row() == len(self._rows) - 1):
            font = QFont()
            font.setBold(True)
            return font
        return None


class ImportResultsModel(_ListModel):
    """One row per file of the last import run: the file, what happened, and why; the tooltip
    lists what an applied file removed (`manager_worker.file_result`)."""

    HEADERS = ("File", "Result", "Details")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.results: list[dict[str, str]] = []

    def _row_count(self) -> int:
        return len(self.results)

    def clear(self) -> None:
        self.beginResetModel()
        self.results = []
        self.endResetModel()

    def add(self, result: dict[str, str]) -> None:
        row = len(self.results)
        self.beginInsertRows(QModelIndex(), row, row)
        self.results.append(result)
        self.endInsertRows()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        result = self.results[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (result["file"], result["status"], result["details"])[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            # The details in full, and for an applied file the records it removed (903 ids and
            # dates), or for a refusal the whole message.
            if index.column() == 0:
                return result["file"]
            return result.get("tooltip") or result["details"]
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 1:
            return STATUS_COLOURS.get(result["status"])
        return None


__all__ = ["FIGURE", "SUMMARY", "ImportResultsModel", "IroModel", "ReportTableModel",
           "view_tables"]
