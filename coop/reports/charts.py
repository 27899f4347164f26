"""Bar charts drawn on the server as SVG: geometry here, markup in templates/reports/_chart.svg.

A hidden figure draws no bar but a short label, so the picture never shows more than the
table beside it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from coop.core import dutch

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 8, 16, 44


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int
    label: str  # the value as shown in the table, e.g. "12" or "< 5"
    hidden: bool


@dataclass
class Chart:
    key: str
    title: str
    series: list[str]
    groups: list[str]
    bars: list[Bar] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)
    group_x: list[float] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    baseline: float = HEIGHT - BOTTOM
    left: int = LEFT


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def bar_chart(key: str, title: str, series: list[str], groups: list[str],
              values: list[list[tuple[float | None, str]]], fmt=dutch.number) -> Chart:
    """values[g][s] = (number or None when hidden, text as in the table)."""
    chart = Chart(key=key, title=title, series=series, groups=groups)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = _nice_max(max((v for g in values for v, _ in g if v is not None), default=0))
    chart.ticks = [(TOP + plot_h * (1 - i / 4), fmt(top * i / 4)) for i in range(5)]
    slot = plot_w / max(1, len(groups))
    bar_w = slot * 0.8 / max(1, len(series))
    for g, group_values in enumerate(values):
        chart.group_x.append(LEFT + slot * (g + 0.5))
        for s, (value, text) in enumerate(group_values):
            x = LEFT + slot * g + slot * 0.1 + bar_w * s
            height = 0.0 if value is None else plot_h * value / top
            chart.bars.append(Bar(x=round(x, 1), y=round(TOP + plot_h - height, 1), width=round(bar_w, 1),
                                  height=round(height, 1), series=s, label=text, hidden=value is None))
    return chart
