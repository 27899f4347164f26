"""Attendance at the activities (ontmoeting): how many were there, per month and kind of
activity, as anonymous counts with every small count hidden like the other tables. The
gemeente funds meeting and fighting loneliness, so it reads this table as well: in each
village's report, and side by side for its villages."""
from __future__ import annotations

from coop.activities.models import KINDS
from coop.activities.queries import attendance_counts
from coop.core import dutch
from coop.core.models import Village
from coop.reports.suppression import Cell, grid_network, hide_small, protect_network


def _margin_weight(row: object, col: object) -> float:
    """Rather hide a cell than a margin, a margin than the grand total."""
    return 1 + (row is None) + (col is None) + 2 * (row is None and col is None)


def protected_grid(village_id: int, year: int, k: int, found: dict | None = None,
                   ) -> dict[tuple[int | None, str | None], Cell]:
    """Month × kind with both margins (None), every small count hidden and what could give
    it away hidden too. `found`: the counts of attendance_counts, when read for several villages."""
    found = attendance_counts([village_id], year) if found is None else found
    months, kinds = list(range(1, 13)), list(KINDS)
    values: dict[tuple[int | None, str | None], int] = {}
    for (v, month, kind), n in found.items():
        if v != village_id or kind not in KINDS:
            continue
        for key in ((month, kind), (month, None), (None, kind), (None, None)):
            values[key] = values.get(key, 0) + n
    grid = {(m, c): Cell(values.get((m, c), 0), weight=_margin_weight(m, c))
            for m in [*months, None] for c in [*kinds, None]}
    hide_small(grid, k)
    protect_network(grid, grid_network(months, kinds))
    return grid


def table(village_id: int, year: int, k: int, fmt, table_cls, month_names):
    """The village report's table (built by report.py with its own Table and Fmt)."""
    grid = protected_grid(village_id, year, k)
    kinds = list(KINDS)
    result = table_cls("ontmoeting", f"Aanwezigen bij activiteiten in {year}",
                       ["Maand"] + [KINDS[c] for c in kinds] + ["Totaal"],
                       note="Hoeveel mensen er waren, zoals de dorpsondersteuner na afloop vastlegde; wie vaker "
                            "kwam telt elke keer. Kleine aantallen zijn verborgen.")
    result.rows = [[month_names[m - 1]] + [fmt.count(grid[(m, c)]) for c in [*kinds, None]] for m in range(1, 13)]
    result.total = ["Totaal"] + [fmt.count(grid[(None, c)]) for c in [*kinds, None]]
    return result


def per_village(villages: list[Village], year: int, fmts: dict, hidden_text: str, table_cls, all_label: str):
    """The gemeente's overview: each village's year per kind, exactly as its own report shows
    them; the sum over the villages only where none of the villages' figures is hidden (a sum
    beside a hidden figure would give it away)."""
    kinds = list(KINDS)
    result = table_cls("gemeente_ontmoeting", f"Aanwezigen bij activiteiten per dorp in {year}",
                       ["Dorp"] + [KINDS[c] for c in kinds] + ["Totaal"])
    sums: dict[str | None, int] = {c: 0 for c in [*kinds, None]}
    complete = dict.fromkeys([*kinds, None], True)
    found = attendance_counts([v.id for v in villages], year)  # one query for all the villages
    for village in villages:
        fmt = fmts[village.id]
        grid = protected_grid(village.id, year, fmt.threshold, found)
        row = [village.name]
        for c in [*kinds, None]:
            cell = grid[(None, c)]
            row.append(fmt.count(cell))
            if cell.shown:
                sums[c] += int(cell.value or 0)
            else:
                complete[c] = False
        result.rows.append(row)
    result.total = [all_label] + [dutch.count(sums[c]) if complete[c] and villages else hidden_text
                                  for c in [*kinds, None]]
    return result
