"""The bar charts' axis speaks Dutch: '2,5' and '1.000', never '2.5' or '1000'."""
from __future__ import annotations

from coop.reports.charts import bar_chart


def test_axis_labels_use_dutch_numbers():
    chart = bar_chart("x", "Uren", ["Uren"], ["jan", "feb"], [[(7.0, "7")], [(9.5, "9,5")]])
    assert [label for _, label in chart.ticks] == ["0", "2,5", "5", "7,5", "10"]
    big = bar_chart("y", "Hulpvragen", ["Aantal"], ["jan"], [[(1800.0, "1.800")]])
    assert [label for _, label in big.ticks] == ["0", "500", "1.000", "1.500", "2.000"]
    assert [bar.label for bar in chart.bars] == ["7", "9,5"]  # the table's own text
