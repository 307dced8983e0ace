"""Simple bar charts drawn with QPainter (QtCharts is not in PySide6-Essentials).

`HorizontalBarChart` draws one bar per label, top to bottom, each with its value written at its
end, and optional guide lines (the 50 and 70 caseload guidance). Its accessible description
reads the bars out, so a screen reader gets the same figures as the picture.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

BAR = QColor("#3B6EA5")
BAR_OUTSIDE = QColor("#E08A2C")
GRID = QColor("#D9D9D9")
LOW = QColor("#2E7D32")
HIGH = QColor("#C62828")


def count(value: float) -> str:
    """A count as a bar's label: 1,204, or one decimal when it is not whole (an average)."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def percent(value: float) -> str:
    return f"{value:.1f}%"


class HorizontalBarChart(QWidget):
    """Bars lying down. `set_bars([(label, value), ...])`; `guides` are (value, caption, colour)
    lines across the bars; a bar outside `highlight_outside` (low, high) is drawn in orange."""

    ROW = 22
    BOTTOM = 8

    def __init__(self, parent: QWidget | None = None, *, title: str = "") -> None:
        super().__init__(parent)
        self.title = title
        self.bars: list[tuple[str, float]] = []
        self.guides: list[tuple[float, str, QColor]] = []
        self.axis_max: float | None = None
        self.highlight_outside: tuple[float, float] | None = None
        self.value_format: Callable[[float], str] = count
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(320)
        self.setAccessibleName(title or "Bar chart")

    def set_bars(
        self,
        bars: Sequence[tuple[str, float]],
        *,
        title: str | None = None,
        value_format: Callable[[float], str] = count,
        axis_max: float | None = None,
        guides: Sequence[tuple[float, str, QColor]] = (),
        highlight_outside: tuple[float, float] | None = None,
    ) -> None:
        self.bars = [(label, float(value or 0)) for label, value in bars]
        if title is not None:
            self.title = title
        self.value_format = value_format
        self.axis_max = axis_max
        self.guides = list(guides)
        self.highlight_outside = highlight_outside
        self.setAccessibleName(self.title or "Bar chart")
        self.setAccessibleDescription(
            "; ".join(f"{label}: {value_format(value)}" for label, value in self.bars)
        )
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    def _top(self) -> int:
        """Room above the bars: the title, then the guides' captions."""
        return (22 if self.title else 0) + (20 if self.guides else 4)

    def sizeHint(self) -> QSize:
        return QSize(520, self._top() + self.BOTTOM + max(len(self.bars), 1) * self.ROW)

    def _top_value(self) -> float:
        if self.axis_max:
            return self.axis_max
        peak = max([v for _l, v in self.bars] + [g[0] for g in self.guides] + [1.0])
        return peak * 1.12

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(self.font())
        palette_text = self.palette().windowText().color()
        if self.title:
            bold = self.font()
            bold.setBold(True)
            painter.setFont(bold)
            painter.setPen(palette_text)
            painter.drawText(0, metrics.ascent() + 2, self.title)
            painter.setFont(self.font())
        if not self.bars:
            painter.end()
            return
        label_w = min(max(metrics.horizontalAdvance(label) for label, _v in self.bars) + 10,
                      int(self.width() * 0.45))
        value_w = max(metrics.horizontalAdvance(self.value_format(v)) for _l, v in self.bars) + 8
        left = label_w
        plot_w = max(self.width() - left - value_w - 4, 10)
        top_value = self._top_value()
        top = self._top()
        height = len(self.bars) * self.ROW
        painter.setPen(QPen(GRID, 1))
        painter.drawLine(left, top, left, top + height)
        for row, (label, value) in enumerate(self.bars):
            y = top + row * self.ROW
            painter.setPen(palette_text)
            text = metrics.elidedText(label, Qt.TextElideMode.ElideRight, label_w - 8)
            painter.drawText(QRectF(0, y, label_w - 8, self.ROW),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
            width = plot_w * min(value / top_value, 1.0) if top_value else 0
            colour = BAR
            if self.highlight_outside and not (
                self.highlight_outside[0] <= value <= self.highlight_outside[1]
            ):
                colour = BAR_OUTSIDE
            painter.fillRect(QRectF(left, y + 4, width, self.ROW - 8), colour)
            painter.drawText(QRectF(left + width + 4, y, value_w, self.ROW),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             self.value_format(value))
        for value, caption, colour in self.guides:
            x = left + plot_w * value / top_value
            pen = QPen(colour, 1.5, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawLine(int(x), top - 2, int(x), top + height)
            painter.drawText(QRectF(x - 30, top - 18, 60, 16),
                             Qt.AlignmentFlag.AlignCenter, caption)
        painter.end()


__all__ = ["BAR", "BAR_OUTSIDE", "HIGH", "LOW", "HorizontalBarChart", "count", "percent"]
