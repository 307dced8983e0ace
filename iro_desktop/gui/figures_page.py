"""The IRO's own figures for a period (this April-March year by default): reviews and their
timeliness, participation by code, midway reviews, escalations, records and letters on time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.caseload import escalations
from iro_desktop.gui.review_parts import (
    Cell,
    ErrorLabel,
    Row,
    RowsModel,
    labelled,
    narrow,
    scrolling,
)
from iro_desktop.gui.widgets import DateField, format_date
from iro_desktop.reports import figures
from iro_desktop.rules.participation import PARTICIPATION_CODES

BAR_COLOUR = QColor("#2f6f9f")
PERIODS = [("this_year", "This year (April to March)"), ("last_year", "Last year (April to March)"),
           ("custom", "Dates I choose")]
# (figure, out of): the rows of the summary table; a share is shown where there is an "out of".
# Decisions, records and letters on time are out of the reviews done or past their deadline; those
# still within it (pending) have a row of their own, so nothing is hidden.
PENDING = "pending"
SUMMARY_ROWS: list[tuple[str, str | None]] = [
    ("reviews_held", None),
    ("reviews_on_time", "reviews_held"),
    ("children_reviewed", None),
    ("children_all_reviews_on_time", "children_reviewed"),
    ("midway_reviews_held", None),
    ("escalations_raised", None),
    ("escalation_children", None),
    ("escalations_referred_to_cafcass", "escalations_raised"),
    ("good_practice_alerts", None),
    ("decisions_circulated_on_time", figures.ON_TIME_OUT_OF["decisions_circulated_on_time"]),
    ("decisions_pending", PENDING),
    ("records_on_time", figures.ON_TIME_OUT_OF["records_on_time"]),
    ("records_pending", PENDING),
    ("letters_on_time", figures.ON_TIME_OUT_OF["letters_on_time"]),
    ("letters_pending", PENDING),
]
PENDING_NOTE = "not counted in the share above yet"


def share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "–"


class BarChart(QWidget):
    """Horizontal bars, each with its label and number written beside it (not colour alone)."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: list[tuple[str, int]] = []
        self.total = 0
        self.setAccessibleName(name)
        self.setMinimumWidth(320)

    def set_bars(self, bars: Sequence[tuple[str, int]], total: int | None = None) -> None:
        self.bars = list(bars)
        self.total = sum(v for _l, v in self.bars) if total is None else total
        self.setAccessibleDescription("; ".join(f"{label}: {value}" for label, value in self.bars))
        # Long labels are cut short on screen ("…"): the whole of each is in the tooltip.
        self.setToolTip("\n".join(f"{label}: {value}" for label, value in self.bars))
        self.updateGeometry()
        self.update()

    def _row_height(self) -> int:
        return self.fontMetrics().height() + 8

    def sizeHint(self) -> QSize:
        return QSize(480, max(1, len(self.bars)) * self._row_height() + 4)

    def minimumSizeHint(self) -> QSize:
        return QSize(320, max(1, len(self.bars)) * self._row_height() + 4)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        metrics = self.fontMetrics()
        text_colour = self.palette().color(QPalette.ColorRole.WindowText)
        if not self.bars:
            painter.setPen(text_colour)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignLeft, "None in this period.")
            return
        label_width = min(max(metrics.horizontalAdvance(label) for label, _v in self.bars) + 12,
                          self.width() * 3 // 5)
        number_width = metrics.horizontalAdvance("000 (100%)") + 8
        largest = max(value for _l, value in self.bars) or 1
        room = max(10, self.width() - label_width - number_width)
        height = self._row_height()
        for row, (label, value) in enumerate(self.bars):
            top = row * height + 2
            painter.setPen(text_colour)
            elided = metrics.elidedText(label, Qt.TextElideMode.ElideRight, label_width - 8)
            painter.drawText(QRectF(0, top, label_width - 8, height), Qt.AlignmentFlag.AlignVCenter,
                             elided)
            width = room * value / largest
            painter.fillRect(QRectF(label_width, top + 3, width, height - 6), BAR_COLOUR)
            painter.drawText(QRectF(label_width + width + 6, top, number_width, height),
                             Qt.AlignmentFlag.AlignVCenter,
                             f"{value} ({share(value, self.total)})" if self.total else str(value))


class FiguresPage(QWidget):
    """The `figures` page."""

    #: Never fired: figures open no child (the page protocol asks every page for it).
    open_child_requested = Signal(int, str, int)

    def __init__(self, store: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.period = QComboBox()
        for key, text in PERIODS:
            self.period.addItem(text, key)
        labelled(self.period, "Period")
        self.start = narrow(DateField(accessible_name="From"))
        self.end = narrow(DateField(accessible_name="To"))
        self.show_button = QPushButton("&Show")
        labelled(self.show_button, "Show the figures for these dates")
        period_label = QLabel("&Period")
        period_label.setBuddy(self.period)
        from_label = QLabel("&From")
        from_label.setBuddy(self.start)
        to_label = QLabel("&To")
        to_label.setBuddy(self.end)
        top = QHBoxLayout()
        for widget in (period_label, self.period, from_label, self.start, to_label, self.end,
                       self.show_button):
            top.addWidget(widget)
        top.addStretch(1)
        self.error = ErrorLabel()
        self.heading = QLabel()
        self.summary_model = RowsModel(["Figure", "Number", "Share"], self)
        self.summary = QTableView()
        self.summary.setModel(self.summary_model)
        labelled(self.summary, "Your figures for the period")
        self.summary.verticalHeader().hide()
        self.summary.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.summary.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.summary.horizontalHeader().setStretchLastSection(True)
        self.summary.setMinimumHeight(
            self.summary.verticalHeader().defaultSectionSize() * (len(SUMMARY_ROWS) + 1) + 8)
        self.participation = BarChart("Participation by code")
        self.by_theme = BarChart("Escalations by theme")
        self.by_stage = BarChart("Escalations by highest stage")
        self.by_outcome = BarChart("Escalations by outcome")
        grid = QGridLayout()
        boxes = ((self.summary, "Reviews, records and letters", 0, 0, 2),
                 (self.participation, "How children took part (participation code)", 0, 1, 1),
                 (self.by_stage, "Escalations: highest stage reached", 1, 1, 1),
                 (self.by_theme, "Escalations by theme (one may have several)", 2, 0, 1),
                 (self.by_outcome, "Escalations by outcome", 2, 1, 1))
        for widget, title, row, column, span in boxes:
            box = QGroupBox(title)
            QVBoxLayout(box).addWidget(widget)
            grid.addWidget(box, row, column, span, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.addWidget(self.heading)
        content_layout.addLayout(grid)
        content_layout.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.error)
        layout.addWidget(scrolling(content), 1)
        self.period.currentIndexChanged.connect(self._period_chosen)
        self.show_button.clicked.connect(self.refresh)
        self.start.edited.connect(lambda: self.period.setCurrentIndex(len(PERIODS) - 1))
        self.end.edited.connect(lambda: self.period.setCurrentIndex(len(PERIODS) - 1))
        self._period_chosen()

    def _period_chosen(self) -> None:
        key = self.period.currentData()
        if key == "custom":
            return
        start, end = figures.april_year(dt.date.today())
        if key == "last_year":
            start, end = figures.april_year(start - dt.timedelta(days=1))
        self.start.set_date(start)
        self.end.set_date(end)
        self.refresh()

    def refresh(self) -> None:
        start, end = self.start.date(), self.end.date()
        if start is None or end is None or end < start:
            self.error.show_error("Give a start and an end date, the end after the start.")
            return
        self.error.show_error(None)
        with self.store.session() as session:
            values = figures.iro_figures(session, start, end)
        self.show_figures(values, start, end)

    def show_figures(self, values: dict[str, Any], start: dt.date, end: dt.date) -> None:
        self.values = values
        self.heading.setText(f"<h2>Your figures, {format_date(start)} to {format_date(end)}</h2>")
        rows = []
        for number, (key, whole) in enumerate(SUMMARY_ROWS):
            value = int(values.get(key, 0))
            if whole == PENDING:
                out_of = PENDING_NOTE if value else ""
            elif whole:
                out_of = f"{share(value, int(values.get(whole, 0)))} of {values.get(whole, 0)}"
            else:
                out_of = ""
            rows.append(Row(number, [Cell(figures.FIGURE_LABELS.get(key, key)),
                                     Cell(str(value), sort=value), Cell(out_of)]))
        self.summary_model.set_rows(rows)
        participation = values.get("participation", {})
        # Drafts saved before a code was chosen get a bar of their own, so the bars add up to
        # the reviews held and the shares are of all of them.
        not_recorded = int(values.get("participation_not_recorded", 0))
        self.participation.set_bars(
            [(f"{code} {PARTICIPATION_CODES[code]}", int(participation.get(code, 0)))
             for code in PARTICIPATION_CODES]
            + ([(figures.FIGURE_LABELS["participation_not_recorded"], not_recorded)]
               if not_recorded else []))
        stages = dict(escalations.STAGES)
        self.by_stage.set_bars([(stages.get(k, k), v) for k, v in
                                values.get("escalations_by_stage", {}).items()])
        self.by_theme.set_bars([(k, v) for k, v in values.get("escalations_by_theme", {}).items()
                                if v], total=int(values.get("escalations_raised", 0)))
        outcomes = dict(escalations.OUTCOMES) | {figures.OPEN: "Still open"}
        self.by_outcome.set_bars([(outcomes.get(k, k), v) for k, v in
                                  values.get("escalations_by_outcome", {}).items()])
