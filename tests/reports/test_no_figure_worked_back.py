"""No hidden figure can be worked back: each published table is solved for its hidden cells.

A reader has the tables as published (the text of each cell, as on the page and in the CSV)
and knows how they hang together: rows and columns add up to their totals, matched and
referred requests are requests, a "< k" is 0 … k − 1 and an "afgeschermd" count at least k,
counts are whole and not negative, a year's distinct people are at least each month's and at
most their sum. From that alone, for every hidden cell, the smallest and largest value it can
have are found with an integer program (scipy's HiGHS). Each must keep at least two possible
values — a "< 5" that must be 0 is a leak —, hours at least half an hour of room.

The gemeente reads its overview and every village's report: those are solved as one.
Data: generated (hypothesis, derandomised, few examples) and the demo's year. The CarerQol
averages are ratios, not sums: they keep their own rule (never one hidden) and are not solved here.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

from coop.core import roles as R
from coop.core.clock import LOCAL
from coop.people.models import HoursEntry
from coop.reports import municipality as overview
from coop.reports import report
from coop.reports.models import ReportSettings
from coop.requests.models import FiveQuestionsAnswer, HelpRequest

HIDDEN = "afgeschermd"
HOURS_ROOM = 0.5
ROUNDING = 0.05  # hours are shown to a tenth


@dataclass
class Model:
    """Variables with bounds, linear constraints, and the published cells to solve for."""
    low: list[float] = field(default_factory=list)
    high: list[float] = field(default_factory=list)
    whole: list[int] = field(default_factory=list)
    rows: list[tuple[dict[int, float], float, float]] = field(default_factory=list)
    hidden: list[tuple[str, dict[int, float], bool]] = field(default_factory=list)  # (where, expression, count?)
    _matrix: tuple | None = None

    def var(self, low: float = 0, high: float = np.inf, whole: bool = True) -> dict[int, float]:
        self.low.append(low)
        self.high.append(high)
        self.whole.append(int(whole))
        return {len(self.low) - 1: 1.0}

    def constrain(self, expr: dict[int, float], low: float, high: float) -> None:
        self.rows.append((expr, low, high))

    def publish(self, where: str, expr: dict[int, float], text: str, threshold: int, count: bool = True) -> None:
        """What the cell's text tells the reader about the expression."""
        text = text.strip()
        small = re.fullmatch(r"< (\d+)", text)
        if small:
            self.constrain(expr, 0, int(small.group(1)) - 1)
            self.hidden.append((where, expr, count))
        elif text == HIDDEN:
            self.constrain(expr, threshold if count else 0, np.inf)
            self.hidden.append((where, expr, count))
        else:
            value = float(text.replace(".", "").replace(",", "."))
            slack = 0 if count else ROUNDING
            self.constrain(expr, value - slack, value + slack)

    def _solve(self, c: np.ndarray, box: float | None = None):
        if self._matrix is None or self._matrix[0] != len(self.rows):
            a = np.zeros((len(self.rows), len(self.low)))
            for i, (row, _, _) in enumerate(self.rows):
                for j, coef in row.items():
                    a[i, j] += coef
            self._matrix = (len(self.rows), LinearConstraint(csr_array(a), [r[1] for r in self.rows],
                                                             [r[2] for r in self.rows]))
        high = np.minimum(self.high, box) if box is not None else np.array(self.high)
        return milp(c, constraints=self._matrix[1], integrality=np.array(self.whole), bounds=Bounds(self.low, high))

    def _vector(self, expr: dict[int, float], sign: float = 1) -> np.ndarray:
        c = np.zeros(len(self.low))
        for j, coef in expr.items():
            c[j] = sign * coef
        return c

    def interval(self, expr: dict[int, float]) -> tuple[float, float]:
        """The smallest and the largest value of `expr` in any table consistent with what is shown."""
        found = []
        for direction in (1, -1):
            result = self._solve(self._vector(expr, direction))
            if result.status != 0:
                feasible = self._solve(np.zeros(len(self.low)))
                assert feasible.status == 0, f"the published figures have no solution at all: {feasible.message}"
                found.append(-direction * np.inf)  # unbounded that way
                continue
            found.append(direction * result.fun)
        return found[0], found[1]

    def _value(self, x: np.ndarray, expr: dict[int, float]) -> float:
        return float(sum(coef * x[j] for j, coef in expr.items()))

    def assert_nothing_worked_back(self, rounds: int = 1) -> None:
        """Two consistent tables in which a hidden cell differs prove that it keeps two values.
        Tables that push all cells not yet proven up, then down, prove most at once; each cell
        still left is solved for its smallest and largest value."""
        seen: list[set[float]] = [set() for _ in self.hidden]
        box = 10 * max([1.0] + [r[2] for r in self.rows if np.isfinite(r[2])])  # keeps the aims bounded

        def room(i: int) -> float:
            return (1 if self.hidden[i][2] else HOURS_ROOM) - 1e-6

        def record(result) -> None:
            for i, (_where, expr, _count) in enumerate(self.hidden):
                seen[i].add(round(self._value(result.x, expr), 6))

        def open_cells() -> list[int]:
            return [i for i in range(len(self.hidden)) if not seen[i] or max(seen[i]) - min(seen[i]) < room(i)]

        for _ in range(rounds):
            todo = open_cells()
            if not todo:
                break
            for direction in (-1, 1):
                aim = np.zeros(len(self.low))
                for i in todo:
                    aim += self._vector(self.hidden[i][1], direction)
                result = self._solve(aim, box)
                assert result.status == 0, f"the published figures have no solution at all: {result.message}"
                record(result)
        for i in open_cells():  # one cell at a time, the far end from what was seen of it
            if max(seen[i]) - min(seen[i]) >= room(i):
                continue
            toward = 1 if min(seen[i]) <= 0 else -1
            result = self._solve(self._vector(self.hidden[i][1], -toward), box)
            if result.status == 0:
                record(result)
        leaks = []
        for i in open_cells():
            where, expr, count = self.hidden[i]
            low, high = self.interval(expr)
            if high - low < room(i):
                leaks.append(f"{where}: {low + 0:g} … {high + 0:g}")  # + 0: no "-0"
        assert leaks == []


def plus(*exprs: dict[int, float], sign: float = 1) -> dict[int, float]:
    out: dict[int, float] = {}
    for expr in exprs:
        for j, coef in expr.items():
            out[j] = out.get(j, 0) + sign * coef
    return out


def total(exprs) -> dict[int, float]:
    return plus(*exprs)


def add_requests(model: Model, built: report.Report, name: str) -> dict:
    """The request tables of one village's report: the month × category table, months and
    categories with matched and referred, the referrals by destination."""
    k = built.threshold
    crossed, by_month, by_cat, to = (built.table(key) for key in ("maand_categorie", "maand", "categorie",
                                                                   "verwijzingen"))
    cats = crossed.columns[1:-1]
    n = {(m, c): model.var() for m in range(12) for c in range(len(cats))}
    matched = {key: model.var() for key in n}
    referred = {key: model.var() for key in n}
    for key in n:  # matched and referred requests are requests
        model.constrain(plus(matched[key], referred[key], plus(n[key], sign=-1)), -np.inf, 0)
    month = {m: total(n[(m, c)] for c in range(len(cats))) for m in range(12)}
    cat = {c: total(n[(m, c)] for m in range(12)) for c in range(len(cats))}
    grand = total(month.values())
    for m, row in enumerate(crossed.rows):
        for c in range(len(cats)):
            model.publish(f"{name} {row[0]} × {cats[c]}", n[(m, c)], row[c + 1], k)
        model.publish(f"{name} {row[0]} totaal", month[m], row[-1], k)
    for c in range(len(cats)):
        model.publish(f"{name} totaal {cats[c]}", cat[c], crossed.total[c + 1], k)
    model.publish(f"{name} totaal", grand, crossed.total[-1], k)
    for kind, col, parts in (("gekoppeld", 2, matched), ("doorverwezen", 5, referred)):
        for m, row in enumerate(by_month.rows):
            assert row[1] == crossed.rows[m][-1]
            model.publish(f"{name} {kind} {row[0]}", total(parts[(m, c)] for c in range(len(cats))), row[col], k)
        for c, row in enumerate(by_cat.rows):
            model.publish(f"{name} {kind} {row[0]}", total(parts[(m, c)] for m in range(12)), row[col], k)
        model.publish(f"{name} {kind} totaal", total(parts.values()), by_month.total[col], k)
    destinations = [model.var() for _ in to.rows]
    model.constrain(plus(total(destinations), plus(total(referred.values()), sign=-1)), 0, 0)
    for row, var in zip(to.rows, destinations, strict=True):
        model.publish(f"{name} naar {row[0]}", var, row[1], k)
    model.publish(f"{name} doorverwezen totaal", total(referred.values()), to.total[1], k)
    return {"month": month, "grand": grand, "matched": total(matched.values()),
            "referred": total(referred.values())}


def add_grid(model: Model, table: report.Table, k: int, name: str, columns: int) -> None:
    """A two-way table with its row totals (the last of `columns`) and column totals."""
    cells = {(r, c): model.var() for r in range(len(table.rows)) for c in range(columns - 1)}
    for r, row in enumerate(table.rows):
        for c in range(columns - 1):
            model.publish(f"{name} {row[0]} {table.columns[c + 1]}", cells[(r, c)], row[c + 1], k)
        model.publish(f"{name} {row[0]} totaal", total(cells[(r, c)] for c in range(columns - 1)), row[columns], k)
    for c in range(columns - 1):
        model.publish(f"{name} totaal {table.columns[c + 1]}", total(cells[(r, c)] for r in range(len(table.rows))),
                      table.total[c + 1], k)
    model.publish(f"{name} totaal", total(cells.values()), table.total[columns], k)


def add_distinct(model: Model, table: report.Table, col: int, k: int, name: str) -> None:
    months = [model.var() for _ in table.rows]
    year = model.var()
    for var in months:
        model.constrain(plus(var, plus(year, sign=-1)), -np.inf, 0)
    model.constrain(plus(year, plus(total(months), sign=-1)), -np.inf, 0)
    for row, var in zip(table.rows, months, strict=True):
        model.publish(f"{name} {row[0]}", var, row[col], k)
    model.publish(f"{name} totaal", year, table.total[col], k)


def add_line(model: Model, table: report.Table, col: int, k: int, name: str, count: bool = True) -> None:
    months = [model.var(whole=count) for _ in table.rows]
    for row, var in zip(table.rows, months, strict=True):
        model.publish(f"{name} {row[0]}", var, row[col], k, count)
    model.publish(f"{name} totaal", total(months), table.total[col], k, count)


def village_model(built: report.Report, model: Model | None = None, requests: bool = True) -> tuple[Model, dict]:
    """One village's report; `requests=False` leaves out the request tables (solved with the
    gemeente's overview, which shares them), `model` adds to another model."""
    model = model or Model()
    name = built.village.name
    k = built.threshold
    if not requests:
        return _other_tables(model, built, name, k), {}
    return model, add_requests(model, built, name)


def _other_tables(model: Model, built: report.Report, name: str, k: int) -> Model:
    split = built.table("schijf_van_vijf")
    parties = report.Table(split.key, split.title, split.columns, [r for r in split.rows if "niet nodig" not in r[0]],
                           split.total)
    add_grid(model, parties, k, f"{name} rolverdeling", 6)
    not_needed = next(r for r in split.rows if "niet nodig" in r[0])
    add_line(model, report.Table("", "", split.columns, [[f"vraag {q}", not_needed[q]] for q in range(1, 6)],
                                 ["Totaal", not_needed[6]]), 1, k, f"{name} niet nodig")
    inzet = built.table("inzet")
    add_line(model, inzet, 1, k, f"{name} uren hulp", count=False)
    add_line(model, inzet, 2, k, f"{name} uren respijt", count=False)
    add_distinct(model, inzet, 3, k, f"{name} actieve vrijwilligers")
    carers = built.table("mantelzorg")
    add_distinct(model, carers, 1, k, f"{name} mantelzorgers")
    add_line(model, carers, 2, k, f"{name} CarerQol-metingen")
    return model


def gemeente_model(built: overview.MunicipalityReport) -> Model:
    """The overview and every village's request tables, as the gemeente reads them together
    (the villages' other tables share nothing with the overview)."""
    model = Model()
    k = built.threshold
    grid, outcome = built.table("gemeente_maand"), built.table("gemeente_uitkomst")
    sums: dict[str, list] = {"grand": [], "matched": [], "referred": [], **{f"m{m}": [] for m in range(12)}}
    for i, village in enumerate(built.villages):
        own = report.build(village, built.year)
        _, parts = village_model(own, model)
        kv = own.threshold
        row = grid.rows[i]
        for m in range(12):
            model.publish(f"overzicht {village.name} {grid.columns[m + 1]}", parts["month"][m], row[m + 1], kv)
            sums[f"m{m}"].append(parts["month"][m])
        model.publish(f"overzicht {village.name} totaal", parts["grand"], row[13], kv)
        line = outcome.rows[i]
        for col, key in ((1, "grand"), (2, "matched"), (3, "referred")):
            model.publish(f"overzicht {village.name} {outcome.columns[col]}", parts[key], line[col], kv)
            sums[key].append(parts[key])
    for m in range(12):
        model.publish(f"overzicht alle dorpen {grid.columns[m + 1]}", total(sums[f"m{m}"]), grid.total[m + 1], k)
    model.publish("overzicht alle dorpen totaal", total(sums["grand"]), grid.total[13], k)
    for col, key in ((1, "grand"), (2, "matched"), (3, "referred")):
        model.publish(f"overzicht alle dorpen {outcome.columns[col]}", total(sums[key]), outcome.total[col], k)
    return model


# --- generated data --------------------------------------------------------------------------

CODES = ("boodschappen", "gezelschap", "medicatie", "wijkverpleging", "woningaanpassing")
DESTINATIONS = ("Wmo-loket", "Thuiszorg")
cell = st.tuples(st.integers(0, 9), st.integers(0, 3), st.integers(0, 2))  # requests, matched, referred
village_data = st.fixed_dictionaries({
    "threshold": st.sampled_from([3, 5]),
    "requests": st.dictionaries(st.tuples(st.integers(1, 12), st.sampled_from(CODES)), cell, max_size=14),
    "split": st.lists(st.tuples(st.integers(1, 5), st.sampled_from(["resident", "family", "volunteer", None])),
                      max_size=25),
    "hours": st.lists(st.tuples(st.integers(1, 12), st.integers(0, 5), st.sampled_from(["1", "2.5", "3"]),
                                st.booleans()), max_size=20),
})


def _fill(session, make, village, data) -> None:
    if data["threshold"] != 5:
        session.add(ReportSettings(village_id=village.id, small_count_threshold=data["threshold"]))
    resident = make.user(village)
    split = list(data["split"])
    for (month, code), (n, matched, referred) in sorted(data["requests"].items()):
        category = make.category(village, code)
        for i in range(n):
            created = datetime(2025, month, 1 + i % 27, 10, tzinfo=LOCAL)
            req = HelpRequest(village_id=village.id, resident_id=resident.id, category_id=category.id,
                              description="Vraag", created_at=created, status="new")
            if i < matched:
                req.status, req.matched_at = "matched", created + timedelta(days=1)
            elif i < matched + referred:
                req.status, req.referred_to = "referred", DESTINATIONS[i % 2]
            if split and i == 0:
                question, party = split.pop()
                req.five_questions = [FiveQuestionsAnswer(question=question, party=party, not_needed=party is None)]
            session.add(req)
    helpers = [make.volunteer(village) for _ in range(6)]
    for month, helper, amount, respite in data["hours"]:
        session.add(HoursEntry(village_id=village.id, helper_id=helpers[helper].id,
                               worked_on=datetime(2025, month, 10).date(), hours=Decimal(amount),
                               status=HoursEntry.APPROVED, source_type="shift" if respite else "request"))
    session.flush()


@settings(max_examples=8, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(villages=st.lists(village_data, min_size=1, max_size=2))
def test_generated_years_leave_every_hidden_figure_two_values(session, make, villages):
    nested = session.begin_nested()
    try:
        first = make.village("Eerste")
        places = [first] + [make.village(f"Dorp{i}", municipality=first.municipality) for i in range(1, len(villages))]
        for place, data in zip(places, villages, strict=True):
            _fill(session, make, place, data)
        for place in places:
            village_model(report.build(place, 2025), requests=False)[0].assert_nothing_worked_back()
        gemeente_model(overview.build(first.municipality, 2025)).assert_nothing_worked_back()
    finally:
        nested.rollback()
        session.expunge_all()  # the example's rows are gone; their ids come back in the next one


def test_the_demo_years_leave_every_hidden_figure_two_values(app, session):
    from coop import demo
    from coop.core.clock import local_now
    from coop.core.models import Village
    demo.build(echo=lambda *_: None)
    village = session.query(Village).filter_by(slug=demo.SLUG).one()
    for year in (local_now().year - 1, local_now().year):
        built = report.build(village, year)
        assert any(HIDDEN in cell for t in built.tables for row in t.rows for cell in row)
        village_model(built, requests=False)[0].assert_nothing_worked_back()
        gemeente_model(overview.build(village.municipality, year)).assert_nothing_worked_back()


def test_the_solver_finds_a_leak_the_old_suppression_left():
    """A line of counts whose shown figures add up to the total: its "< 5" must be 0."""
    model = Model()
    cells = [model.var() for _ in range(3)]
    model.publish("a", cells[0], "12", 5)
    model.publish("b", cells[1], "< 5", 5)
    model.publish("c", cells[2], "< 5", 5)
    model.publish("totaal", total(cells), "12", 5)
    with pytest.raises(AssertionError, match="b: 0 … 0"):
        model.assert_nothing_worked_back()


def test_the_solver_reads_what_the_page_shows(session, make, village, client_as):
    """The tables solved are the ones the page and the CSV show."""
    _fill(session, make, village, {"threshold": 5, "requests": {(3, "boodschappen"): (7, 2, 1)}, "split": [],
                                   "hours": []})
    session.commit()
    page = client_as(make.user(village, R.COORDINATOR)).get(f"/cijfers/dorp/{village.id}?jaar=2025").text
    crossed = report.build(village, 2025).table("maand_categorie")
    assert all(html.escape(cell) in page for cell in crossed.rows[2])
