"""The gemeente's view over all its villages: each village's figures and their sum.

One two-way table, villages × months of requests with every margin, protected across both
dimensions (a hidden village-month can be worked back neither from its village's year nor
from the month's sum over the villages), and one table per village of matched and referred
requests beside their sum. The threshold is the strictest of the villages' own.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from coop.core.models import Municipality, Village
from coop.extensions import db
from coop.reports import queries
from coop.reports.report import MONTH_SHORT, Fmt, Table, thresholds_for
from coop.reports.suppression import Cell, grid_lines, hide_small, protect

ALL = "Alle dorpen"


@dataclass
class MunicipalityReport:
    municipality: Municipality
    year: int
    threshold: int
    villages: list[Village]
    tables: list[Table]

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables if t.key == key), None)


def villages_of(municipality_id: int) -> list[Village]:
    return list(db.session.scalars(select(Village).where(Village.municipality_id == municipality_id)
                                   .order_by(Village.name)))


def build(municipality: Municipality, year: int) -> MunicipalityReport:
    villages = villages_of(municipality.id)
    ids = [v.id for v in villages]
    k = max(thresholds_for(ids).values(), default=5)
    fmt = Fmt(k)
    months = list(range(1, 13))
    requests: dict = {}
    outcomes: dict[str, dict] = {"matched": {}, "referred": {}}
    counts = queries.request_counts_per_village(ids, year)
    for village in villages:
        for month, _category, n, matched, referred in counts[village.id]:
            if month == 0:
                continue
            for key in ((village.id, month), (village.id, None), (None, month), (None, None)):
                requests[key] = requests.get(key, 0) + n
            for name, value in (("matched", matched), ("referred", referred)):
                store = outcomes[name]
                store[village.id] = store.get(village.id, 0) + value
                store[None] = store.get(None, 0) + value

    grid = {(v, m): Cell(requests.get((v, m), 0)) for v in ids + [None] for m in months + [None]}
    hide_small(grid, k)
    protect(grid, grid_lines(ids, months))
    by_month = Table("gemeente_maand", f"Hulpvragen per dorp en maand in {year}",
                     ["Dorp"] + list(MONTH_SHORT) + ["Totaal"])
    by_month.rows = [[v.name] + [fmt.count(grid[(v.id, m)]) for m in months + [None]] for v in villages]
    by_month.total = [ALL] + [fmt.count(grid[(None, m)]) for m in months + [None]]

    outcome_cells = {}
    for name, store in outcomes.items():
        cells = {key: Cell(store.get(key, 0)) for key in ids + [None]}
        hide_small(cells, k)
        protect(cells, [(ids, None)])
        outcome_cells[name] = cells
    outcome = Table("gemeente_uitkomst", f"Gekoppeld en doorverwezen per dorp in {year}",
                    ["Dorp", "Hulpvragen", "Gekoppeld", "Doorverwezen"])
    outcome.rows = [[v.name, fmt.count(grid[(v.id, None)]), fmt.count(outcome_cells["matched"][v.id]),
                     fmt.count(outcome_cells["referred"][v.id])] for v in villages]
    outcome.total = [ALL, fmt.count(grid[(None, None)]), fmt.count(outcome_cells["matched"][None]),
                     fmt.count(outcome_cells["referred"][None])]
    return MunicipalityReport(municipality=municipality, year=year, threshold=k, villages=villages,
                              tables=[by_month, outcome])
