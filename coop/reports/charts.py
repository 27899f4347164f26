"""Bar charts drawn on the server as SVG: geometry here, markup in templates/reports/_chart.html.

The bars lie down: one row per group (a month, a party) with its name in front and each
value written after its bar, so the chart is read on a phone at its natural size and no
label ever has to squeeze under a narrow column. The chart is never wider than a phone's
content area (340 px), so its text is drawn at 14 px or more and is never scaled down.

A hidden figure draws no bar but the table's own text ("afgeschermd"), so the picture
never shows more than the table beside it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from coop.core import dutch

WIDTH = 340
FONT = 14  # value, tick and legend text, in px at the chart's natural size
GROUP_FONT = 16  # the group names
CHAR_EM = 0.64  # a generous average glyph width, in em, to size text columns
BAR_H, BAR_GAP, GROUP_GAP = 14, 2, 10
LEGEND_LINE = 20
TICK_SPACE = 26  # the value axis with its labels under the bars
PAD = 4


def text_width(text: str, size: int) -> float:
    """A safe estimate of the width a text takes: room is made for it, so nothing is clipped."""
    return len(text) * size * CHAR_EM


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int
    label: str  # the value as shown in the table, e.g. "12" or "< 5"
    hidden: bool
    label_x: float = 0.0  # where the value is written: just after the bar


@dataclass
class Chart:
    key: str
    title: str
    series: list[str]
    groups: list[str]
    bars: list[Bar] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)  # (x, label) on the value axis
    group_y: list[float] = field(default_factory=list)  # the baseline of each group's name
    labels_above: bool = False  # group names on their own line when they are too long to stand in front
    width: int = WIDTH
    height: float = 0.0
    left: float = 0.0  # where the bars start
    right: float = 0.0  # where the longest bar ends
    top: float = 0.0  # the first group's top
    axis_y: float = 0.0  # the value axis line
    font: int = FONT
    group_font: int = GROUP_FONT

    @property
    def legend(self) -> list[tuple[float, str]]:
        """(baseline y, name) of each series, one line each above the bars."""
        return [(PAD + LEGEND_LINE * i + FONT, name) for i, name in enumerate(self.series)]


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 4, 5, 6, 8, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def bar_chart(key: str, title: str, series: list[str], groups: list[str],
              values: list[list[tuple[float | None, str]]], fmt=dutch.number) -> Chart:
    """values[g][s] = (number or None when hidden, text as in the table)."""
    chart = Chart(key=key, title=title, series=series, groups=groups)
    top_value = _nice_max(max((v for g in values for v, _ in g if v is not None), default=0))
    tick_labels = [fmt(top_value * i / 4) for i in range(5)]

    name_w = max((text_width(g, GROUP_FONT) for g in groups), default=0.0) + 8
    chart.labels_above = name_w > WIDTH * 0.4
    chart.left = PAD + (0 if chart.labels_above else name_w)
    value_w = max((text_width(text, FONT) for g in values for _, text in g), default=0.0) + 6
    # The last tick label is centred on the axis end: half of it must fit to the right too.
    tail = max(value_w, text_width(tick_labels[-1], FONT) / 2 + PAD)
    chart.right = WIDTH - tail
    plot_w = chart.right - chart.left

    y = PAD + LEGEND_LINE * len(series) + 6
    chart.top = y
    block_h = len(series) * BAR_H + (len(series) - 1) * BAR_GAP
    for group_values in values:
        if chart.labels_above:
            chart.group_y.append(y + GROUP_FONT)
            y += GROUP_FONT + 4
        else:
            chart.group_y.append(y + block_h / 2 + GROUP_FONT * 0.35)
        for s, (value, text) in enumerate(group_values):
            bar_y = y + s * (BAR_H + BAR_GAP)
            width = 0.0 if value is None else plot_w * value / top_value
            chart.bars.append(Bar(x=round(chart.left, 1), y=round(bar_y, 1), width=round(width, 1),
                                  height=BAR_H, series=s, label=text, hidden=value is None,
                                  label_x=round(chart.left + width + 4, 1)))
        y += block_h + GROUP_GAP
    chart.axis_y = y
    chart.ticks = [(round(chart.left + plot_w * i / 4, 1), label) for i, label in enumerate(tick_labels)]
    chart.height = round(y + TICK_SPACE, 1)
    return chart
