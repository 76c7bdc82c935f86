"""The timeline chart: how many items fell in each day, week or month of the period.

Harassment is a course of conduct; a bar for every day (or week) across the whole
period shows a pattern at a glance, including the quiet days between incidents, so
the empty buckets are drawn too.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib.colors import Color, HexColor

BAR = HexColor("#3b6ea5")
MAX_BUCKETS = 60


@dataclass(frozen=True)
class Series:
    unit: str  # "day", "week" or "month"
    labels: tuple[str, ...]
    counts: tuple[int, ...]


def _bucket(moment: dt.date, unit: str) -> dt.date:
    if unit == "day":
        return moment
    if unit == "week":
        return moment - dt.timedelta(days=moment.weekday())
    return moment.replace(day=1)


def _next(moment: dt.date, unit: str) -> dt.date:
    if unit == "day":
        return moment + dt.timedelta(days=1)
    if unit == "week":
        return moment + dt.timedelta(days=7)
    return (moment.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def series(dates: Sequence[dt.date]) -> Series:
    """Counts per bucket from the first to the last date, choosing the coarsest unit
    that keeps the bars readable."""
    if not dates:
        return Series("day", (), ())
    first, last = min(dates), max(dates)
    span = (last - first).days
    unit = "day" if span < 45 else "week" if span < 7 * MAX_BUCKETS else "month"
    counts = Counter(_bucket(d, unit) for d in dates)
    labels, values = [], []
    cursor = _bucket(first, unit)
    while cursor <= last:
        labels.append(cursor.strftime("%b %Y") if unit == "month" else cursor.strftime("%d %b"))
        values.append(counts.get(cursor, 0))
        cursor = _next(cursor, unit)
    return Series(unit, tuple(labels), tuple(values))


def timeline_drawing(data: Series, width: float, font: str, height: float = 190) -> Drawing:
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 34, 42
    chart.width, chart.height = width - 44, height - 62
    chart.data = [list(data.counts) or [0]]
    chart.bars[0].fillColor = BAR
    chart.bars[0].strokeColor = None
    chart.barSpacing = 1
    chart.groupSpacing = 2 if len(data.counts) > 20 else 6
    chart.valueAxis.valueMin = 0
    top = max(data.counts, default=1)
    chart.valueAxis.valueMax = max(top, 1) + (1 if top < 5 else top // 5)
    chart.valueAxis.valueStep = max(1, (top + 4) // 5)
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = Color(0.85, 0.85, 0.85)
    labels = list(data.labels) or [""]
    step = max(1, len(labels) // 16)  # every label would overlap on long periods
    chart.categoryAxis.categoryNames = [
        label if index % step == 0 else "" for index, label in enumerate(labels)
    ]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 6.5
    chart.categoryAxis.labels.angle = 45 if len(labels) > 8 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(labels) > 8 else "n"
    drawing.add(chart)
    drawing.add(String(0, height - 10, f"Items per {data.unit}", fontName=font, fontSize=8))
    return drawing
