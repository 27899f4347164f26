"""The gemeente's view over all its villages: each village's figures and their sum.

One two-way table, villages × months of requests with every margin, and one table per village
of matched and referred requests beside their sum. They are protected together with the
villages' own reports (protection.py): a figure shown in a village's report is the same figure
here, and a hidden one can be worked back neither from its village's year, nor from the
month's sum over the villages, nor from anything a village's report shows. Each village's
figures keep its own threshold; the sums over the villages take the strictest of them.
"""
from __future__ import annotations

from dataclasses import dataclass

from coop.core.models import Municipality, Village
from coop.reports import attendance, protection
from coop.reports.report import HIDDEN_TEXT, MONTH_SHORT, Fmt, Table, protect_requests, thresholds_for
from coop.reports.report import villages_of as villages_of
from coop.reports.suppression import Cell

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


def build(municipality: Municipality, year: int) -> MunicipalityReport:
    villages = villages_of(municipality.id)
    fmts = {i: Fmt(k) for i, k in thresholds_for([v.id for v in villages]).items()}
    k = max((f.threshold for f in fmts.values()), default=5)
    months = list(range(1, 13))
    protected, _categories = protect_requests(villages, year)
    every = protection.ALL

    def count(cell: Cell, village: Village | None = None) -> str:
        # A village's figure reads as in its own report ("< 3" where its threshold is 3).
        return (fmts[village.id] if village else Fmt(k)).count(cell)

    by_month = Table("gemeente_maand", f"Hulpvragen per dorp en maand in {year}",
                     ["Dorp"] + list(MONTH_SHORT) + ["Totaal"])
    by_month.rows = [[v.name] + [count(protected.requests(v.id, m), v) for m in months + [None]] for v in villages]
    by_month.total = [ALL] + [count(protected.requests(every, m)) for m in months + [None]]

    outcome = Table("gemeente_uitkomst", f"Gekoppeld en doorverwezen per dorp in {year}",
                    ["Dorp", "Hulpvragen", "Gekoppeld", "Doorverwezen"])
    outcome.rows = [[v.name, count(protected.requests(v.id, None), v), count(protected.matched(v.id), v),
                     count(protected.referred(v.id), v)] for v in villages]
    outcome.total = [ALL, count(protected.requests(every, None)), count(protected.matched(every)),
                     count(protected.referred(every))]
    meeting = attendance.per_village(villages, year, fmts, HIDDEN_TEXT, Table, ALL)
    return MunicipalityReport(municipality=municipality, year=year, threshold=k, villages=villages,
                              tables=[by_month, outcome, meeting])
