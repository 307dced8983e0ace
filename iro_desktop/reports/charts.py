"""Bar charts for the annual report's PDF (reportlab.graphics: vector drawings, text selectable).

Each function returns a `Drawing` sized for the page; values are plain numbers. Bars carry their
value as a label, so a reader never has to estimate from the axis, and a chart printed in grey
reads the same.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors

BAR = colors.HexColor("#3B6EA5")
BAR_LIGHT = colors.HexColor("#9DB7D5")
BAR_OUTSIDE = colors.HexColor("#E08A2C")
GRID = colors.HexColor("#D9D9D9")
TEXT = colors.HexColor("#333333")
LOW = colors.HexColor("#2E7D32")
HIGH = colors.HexColor("#C62828")


def nice_max(value: float, *, at_least: float = 1) -> float:
    """A round axis end a little above `value` (1, 2, 2.5, 5 times a power of ten)."""
    value = max(value, at_least)
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def _step(top: float) -> float:
    return top / 5 if top > 5 else 1


def _fmt_default(value: float) -> str:
    return f"{value:,.0f}"


def _value_axis(chart: Any, top: float, font: str, label_format: Callable[[float], str]) -> None:
    """Both charts' value axis: from 0 to `top` in round steps, light grid lines."""
    axis = chart.valueAxis
    axis.valueMin, axis.valueMax, axis.valueStep = 0, top, _step(top)
    axis.labels.fontName = font
    axis.labels.fontSize = 7
    axis.labelTextFormat = label_format
    axis.visibleGrid = True
    axis.gridStrokeColor = GRID
    axis.strokeColor = GRID


def vertical_bars(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    width: float,
    height: float,
    font: str,
    bold_font: str,
    label_format: Callable[[float], str] = _fmt_default,
    axis_max: float | None = None,
    axis_label: str = "",
    colour: colors.Color = BAR,
) -> Drawing:
    """Bars standing up, one per label (months, codes, ages)."""
    drawing = Drawing(width, height)
    drawing.initialFontName = font  # the renderer's default is Helvetica, not embedded
    chart = VerticalBarChart()
    chart.x, chart.y = 34, 30
    chart.width, chart.height = width - chart.x - 8, height - chart.y - 16
    chart.data = [list(values) or [0]]
    chart.categoryAxis.categoryNames = list(labels) or [""]
    top = axis_max or nice_max(max(values, default=0) * 1.1)
    _value_axis(chart, top, font, label_format)
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.dy = -3
    chart.categoryAxis.strokeColor = TEXT
    chart.bars[0].fillColor = colour
    chart.bars[0].strokeColor = None
    chart.barWidth = 10
    chart.groupSpacing = 6
    chart.barLabelFormat = label_format
    chart.barLabels.fontName = bold_font
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 6
    chart.barLabels.fillColor = TEXT
    drawing.add(chart)
    if axis_label:
        drawing.add(String(2, height - 8, axis_label, fontName=font, fontSize=7, fillColor=TEXT))
    return drawing


def horizontal_bars(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    width: float,
    font: str,
    bold_font: str,
    label_format: Callable[[float], str] = _fmt_default,
    axis_max: float | None = None,
    label_width: float = 170,
    bar_height: float = 14,
    guides: Sequence[tuple[float, str, colors.Color]] = (),
    colour: colors.Color = BAR,
    bar_colours: Sequence[colors.Color] | None = None,
    labels_inside: bool = False,
) -> Drawing:
    """Bars lying down, one per label, top to bottom in the given order (themes, IROs).
    `guides` are vertical lines at values, with a caption (the 50 and 70 caseload guidance);
    `bar_colours`, one per label, picks out some bars (a caseload above the guidance);
    `labels_inside` writes each value in white inside its bar's end (clear of guide lines)."""
    rows = max(len(labels), 1)
    plot_height = rows * bar_height
    height = plot_height + 38
    drawing = Drawing(width, height)
    drawing.initialFontName = font  # the renderer's default is Helvetica, not embedded
    chart = HorizontalBarChart()
    chart.x, chart.y = label_width, 22
    chart.width, chart.height = width - label_width - 28, plot_height
    # reportlab draws the first category at the bottom: reverse to read top down.
    chart.data = [list(reversed(values)) or [0]]
    chart.categoryAxis.categoryNames = list(reversed(labels)) or [""]
    peak = max([*values, *(g[0] for g in guides)], default=0)
    top = axis_max or nice_max(peak * 1.1)
    _value_axis(chart, top, font, label_format)
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.categoryAxis.strokeColor = TEXT
    chart.bars[0].fillColor = colour
    chart.bars[0].strokeColor = None
    chart.barWidth = bar_height * 0.62
    for i, bar_colour in enumerate(reversed(bar_colours or [])):
        chart.bars[(0, i)].fillColor = bar_colour
    chart.barLabelFormat = label_format
    chart.barLabels.fontName = bold_font
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.nudge = 8
    chart.barLabels.fillColor = TEXT
    if labels_inside:
        chart.barLabels.boxAnchor = "e"
        chart.barLabels.nudge = -14
        chart.barLabels.fillColor = colors.white
    drawing.add(chart)
    for value, caption, colour_ in guides:
        x = chart.x + chart.width * value / top
        drawing.add(Line(x, chart.y - 2, x, chart.y + plot_height + 4, strokeColor=colour_,
                         strokeWidth=1.2, strokeDashArray=[3, 2]))
        drawing.add(String(x, chart.y + plot_height + 7, caption, fontName=bold_font,
                           fontSize=7, fillColor=colour_, textAnchor="middle"))
    return drawing


__all__ = [
    "BAR", "BAR_LIGHT", "BAR_OUTSIDE", "HIGH", "LOW", "horizontal_bars", "nice_max",
    "vertical_bars",
]
