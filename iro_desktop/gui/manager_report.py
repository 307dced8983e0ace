"""The manager's window's "Annual report" tab: the period, the service's name and the export
buttons above the report's tables (the list of tables, the chosen one as a table and as a chart).

The page only shows: it asks for nothing from the database and writes no file. It says what the
manager asked for by its signals, and the window fills it with `show_tables(tables)`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QAbstractTableModel, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.gui.chart_widgets import HIGH, LOW, HorizontalBarChart, count, percent
from iro_desktop.gui.manager_models import ReportTableModel
from iro_desktop.gui.widgets import DateField
from iro_desktop.reports.annual_xlsx import PCT, ReportTable
from iro_desktop.reports.figures import april_year

# Which table gets which chart: (value column, axis to 100%?); labels are the first column.
CHARTS: dict[str, tuple[int, bool]] = {
    "Children by age": (1, False),
    "Reviews on time": (3, True),
    "Participation by code": (3, False),  # percentages, but scaled to the largest share
    "Participation by age": (3, True),
    "Midway reviews": (1, False),
    "Escalations by theme": (1, False),
    "Escalations by stage": (1, False),
    "Escalations by outcome": (1, False),
    "Records and letters": (4, True),
    "Caseloads": (1, False),
}


def table_view(parent: QWidget, model: QAbstractTableModel) -> QTableView:
    """A read-only table of whole rows, as every table in the manager's window is."""
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class ReportPage(QWidget):
    """The report tab. `period()` reads the dates, `show_tables()` shows a report's tables."""

    #: The manager asked for the report of the period shown ("Show report").
    report_requested = Signal()
    #: The manager asked to export the report: "pdf" or "xlsx".
    export_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, service_name: str = "") -> None:
        super().__init__(parent)
        self.tables: dict[str, ReportTable] = {}
        self.table_model = ReportTableModel(self)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        start, end = april_year(dt.date.today())
        self.start = DateField(self, accessible_name="From")
        self.start.set_date(start)
        self.end = DateField(self, accessible_name="To")
        self.end.set_date(end)
        self.service_name = QLineEdit(service_name, self)
        self.service_name.setPlaceholderText("for the report's title page")
        self.service_name.setAccessibleName("Service name")
        self.report_button = QPushButton("&Show report", self)
        self.report_button.clicked.connect(self.report_requested)
        self.pdf_button = QPushButton("Export &PDF…", self)
        self.pdf_button.clicked.connect(lambda: self.export_requested.emit("pdf"))
        self.xlsx_button = QPushButton("Export &XLSX…", self)
        self.xlsx_button.clicked.connect(lambda: self.export_requested.emit("xlsx"))
        second = QHBoxLayout()
        for line, text, widget in ((row, "&From", self.start), (row, "&To", self.end),
                                   (second, "Service &name", self.service_name)):
            label = QLabel(text, self)
            label.setBuddy(widget)
            label.setMinimumWidth(label.fontMetrics().horizontalAdvance(text.replace("&", "")) + 8)
            line.addWidget(label)
            line.addWidget(widget, 1 if widget is self.service_name else 0)
        row.addWidget(self.report_button)
        row.addStretch(1)
        second.addWidget(self.pdf_button)
        second.addWidget(self.xlsx_button)
        layout.addLayout(row)
        layout.addLayout(second)
        self.report_error = QLabel(self)
        self.report_error.setStyleSheet("color: #b00020")
        self.report_error.setAccessibleName("Report problem")
        self.report_error.hide()
        layout.addWidget(self.report_error)
        layout.addWidget(self._tables_area(), 1)

    def _tables_area(self) -> QSplitter:
        splitter = QSplitter(self)
        self.sections = QListWidget(splitter)
        self.sections.setAccessibleName("Report tables")
        self.sections.currentTextChanged.connect(self._show_section)
        right = QWidget(splitter)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(6, 0, 0, 0)
        self.section_title = QLabel(right)
        self.section_title.setStyleSheet("font-size: 15px; font-weight: bold")
        self.section_title.setWordWrap(True)
        right_layout.addWidget(self.section_title)
        self.chart = HorizontalBarChart(right)
        self.chart.setAutoFillBackground(True)
        self.chart.setBackgroundRole(self.chart.palette().ColorRole.Base)
        scroll = QScrollArea(right)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.chart)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.chart_scroll = scroll
        right_layout.addWidget(scroll)
        self.report_view = table_view(right, self.table_model)
        right_layout.addWidget(self.report_view, 1)
        self.section_note = QLabel(right)
        self.section_note.setWordWrap(True)
        self.section_note.setStyleSheet("color: #555; font-style: italic")
        right_layout.addWidget(self.section_note)
        splitter.setStretchFactor(1, 4)
        splitter.setSizes([230, 900])
        return splitter

    # The period ------------------------------------------------------------------------------
    def period(self) -> tuple[dt.date, dt.date] | None:
        """The dates given, or None with the problem shown under them."""
        start, end = self.start.date(), self.end.date()
        problem = self.start.problem() or self.end.problem()
        if problem is None and (start is None or end is None):
            problem = "Give both dates."
        if problem is None and end < start:  # type: ignore[operator]
            problem = "The period ends before it starts."
        self.show_problem(problem)
        return None if problem is not None else (start, end)  # type: ignore[return-value]

    def show_problem(self, problem: str | None) -> None:
        """One line in red under the period (None: none)."""
        self.report_error.setText(problem or "")
        self.report_error.setVisible(problem is not None)

    # The tables ------------------------------------------------------------------------------
    def show_tables(self, tables: dict[str, ReportTable]) -> None:
        """List `tables` (manager_models.view_tables), keeping the chosen one when it is there."""
        self.tables = dict(tables)
        current = self.sections.currentItem().text() if self.sections.currentItem() else ""
        self.sections.clear()
        self.sections.addItems(list(self.tables))
        if self.tables:
            keys = list(self.tables)
            self.sections.setCurrentRow(keys.index(current) if current in keys else 0)
        else:
            self._show_section("")

    def _show_section(self, key: str) -> None:
        table = self.tables.get(key)
        self.table_model.set_table(table)
        self.report_view.resizeColumnsToContents()
        self.section_title.setText(table.title if table else "")
        self.section_note.setText(table.note if table else "")
        spec = CHARTS.get(key)
        self.chart_scroll.setVisible(spec is not None and table is not None)
        if spec is None or table is None:
            return
        value_col, to_100 = spec
        is_pct = table.columns[value_col].kind == PCT
        rows = table.rows[table.extra.get("bands", 0):]  # participation: each year of age
        guides: list[Any] = []
        outside = None
        if key == "Caseloads":
            low, high = table.extra["guidance"]
            guides = [(low, str(low), LOW), (high, str(high), HIGH)]
            outside = (low, high)
        self.chart.set_bars([(str(r[0]), r[value_col] or 0) for r in rows],
                            title="", value_format=percent if is_pct else count,
                            axis_max=100 if to_100 else None,
                            guides=guides, highlight_outside=outside)
        self.chart_scroll.setFixedHeight(min(self.chart.sizeHint().height() + 4, 330))


__all__ = ["CHARTS", "ReportPage", "table_view"]
