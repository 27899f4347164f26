"""The report of one village for one year: tables of figures, each protected, each with a chart.

The figures come from queries.py; here they are laid out and every small count is hidden
(suppression.py) before anything is shown or exported.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from coop.core import dutch
from coop.core.models import TaskCategory, Village
from coop.extensions import db
from coop.reports import queries
from coop.reports.charts import Chart, bar_chart
from coop.reports.models import DEFAULT_THRESHOLD, ReportSettings
from coop.reports.suppression import PRIMARY, Cell, grid_lines, hide_small, protect
from coop.requests.models import PARTIES

MONTH_NAMES = tuple(dutch.month_name(m) for m in range(1, 13))
MONTH_SHORT = tuple(dutch.month_name(m, "abbreviated") for m in range(1, 13))  # chart labels
QUESTIONS = (1, 2, 3, 4, 5)
HIDDEN_TEXT = "afgeschermd"
NOT_NEEDED_ROW = "niet nodig (geen partij, niet in het totaal)"
SHORT_PARTY = {"resident": "inwoner", "family": "familie", "volunteer": "vrijwilligers",
               "coordinator": "ondersteuner", "professional": "professional", "municipality": "gemeente",
               "organisation": "organisatie"}


def threshold_for(village_id: int) -> int:
    settings = db.session.get(ReportSettings, village_id)
    return settings.small_count_threshold if settings else DEFAULT_THRESHOLD


def thresholds_for(village_ids) -> dict[int, int]:
    """threshold_for for several villages in one query."""
    ids = set(village_ids)
    found = dict(db.session.execute(select(ReportSettings.village_id, ReportSettings.small_count_threshold)
                                    .where(ReportSettings.village_id.in_(ids))).all()) if ids else {}
    return {i: found.get(i, DEFAULT_THRESHOLD) for i in ids}


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    total: list[str] | None = None
    chart: Chart | None = None
    note: str = ""


@dataclass
class Report:
    village: Village
    year: int
    threshold: int
    tables: list[Table]

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables if t.key == key), None)


class Fmt:
    """Turns cells into the text the reader sees: Dutch numbers, '< 5' for a small count."""

    def __init__(self, threshold: int):
        self.small = f"< {threshold}"

    def count(self, cell: Cell) -> str:
        if cell.hidden == PRIMARY:
            return self.small
        return HIDDEN_TEXT if cell.hidden else dutch.count(cell.value or 0)

    def number(self, value: float | None, places: int = 1) -> str:
        return HIDDEN_TEXT if value is None else dutch.number(value, places)

    def share(self, part: float, whole: float) -> str:
        return dutch.percent(part / whole)

    def hours(self, cell: Cell) -> str:
        return HIDDEN_TEXT if cell.hidden or cell.value is None else dutch.number(cell.value, max_places=1)


def _categories(village_id: int, used: set[int]) -> list[TaskCategory]:
    return [c for c in db.session.scalars(select(TaskCategory).where(TaskCategory.village_id == village_id)
                                          .order_by(TaskCategory.sort_order, TaskCategory.id))
            if c.active or c.id in used]


def build(village: Village, year: int) -> Report:
    k = threshold_for(village.id)
    fmt = Fmt(k)
    counts = queries.request_counts(village.id, year)
    categories = _categories(village.id, {c for _, c, *_ in counts})
    tables = request_tables(village.id, year, counts, categories, k, fmt)
    tables.append(hours_table(village.id, year, k, fmt))
    tables.append(carers_table(village.id, year, k, fmt))
    tables.append(role_split_table(village.id, year, k, fmt))
    return Report(village=village, year=year, threshold=k, tables=tables)


def _line_cells(values: dict, keys: list, total: int) -> dict:
    cells = {key: Cell(values.get(key, 0)) for key in keys}
    cells["T"] = Cell(total)
    return cells


def request_tables(village_id, year, counts, categories, k, fmt) -> list[Table]:
    months = list(range(1, 13))
    cat_ids = [c.id for c in categories]
    req: dict[tuple[int | None, int | None], int] = {}
    matched: dict[tuple[str, int] | str, int] = {}
    referred: dict[tuple[str, int] | str, int] = {}
    for month, cat, n, m, r in counts:
        if month == 0:
            continue
        for key in ((month, cat), (month, None), (None, cat), (None, None)):
            req[key] = req.get(key, 0) + n
        for store, v in ((matched, m), (referred, r)):
            store[("m", month)] = store.get(("m", month), 0) + v
            store[("c", cat)] = store.get(("c", cat), 0) + v
            store["T"] = store.get("T", 0) + v

    # The month × category grid: its margins are the request columns of the other two tables.
    grid = {(r, c): Cell(req.get((r, c), 0)) for r in months + [None] for c in cat_ids + [None]}
    hide_small(grid, k)
    protect(grid, grid_lines(months, cat_ids))

    referrals = queries.referral_counts(village_id, year)
    line_keys = [("m", m) for m in months] + [("c", c) for c in cat_ids]
    m_cells = _line_cells(matched, line_keys, matched.get("T", 0))
    r_cells = _line_cells(referred, line_keys, referred.get("T", 0))
    for to, n in referrals:
        r_cells[("to", to)] = Cell(n)
    hide_small(m_cells, k)
    hide_small(r_cells, k)
    protect(m_cells, [([("m", m) for m in months], "T"), ([("c", c) for c in cat_ids], "T")])
    protect(r_cells, [([("m", m) for m in months], "T"), ([("c", c) for c in cat_ids], "T"),
                      ([("to", to) for to, _ in referrals], "T")])

    found = queries.median_days_to_match(village_id, year)
    medians = {"m": found["month"], "c": found["category"], "T": found["all"]}

    def row(label, grid_key, line_key, median):
        n_cell, m_cell, r_cell = grid[grid_key], m_cells[line_key], r_cells[line_key]
        share = fmt.share(m_cell.value, n_cell.value) if n_cell.shown and m_cell.shown else HIDDEN_TEXT
        # A median of fewer than k matches would describe single, recognisable cases.
        days = fmt.number(median) if median is not None and (m_cell.value or 0) >= k else HIDDEN_TEXT
        return [label, fmt.count(n_cell), fmt.count(m_cell), share, days, fmt.count(r_cell)]

    columns = ["", "Hulpvragen", "Gekoppeld", "Aandeel gekoppeld", "Mediane tijd tot koppeling (dagen)",
               "Doorverwezen"]
    by_month = Table("maand", f"Hulpvragen per maand in {year}", ["Maand"] + columns[1:])
    by_month.rows = [row(MONTH_NAMES[m - 1], (m, None), ("m", m), medians["m"].get(m)) for m in months]
    by_month.total = row("Totaal", (None, None), "T", medians["T"].get(0))
    by_month.chart = bar_chart(
        "maand", "Hulpvragen en koppelingen per maand", ["Hulpvragen", "Gekoppeld"],
        list(MONTH_SHORT),
        [[(grid[(m, None)].value if grid[(m, None)].shown else None, by_month.rows[m - 1][1]),
          (m_cells[("m", m)].value if m_cells[("m", m)].shown else None, by_month.rows[m - 1][2])]
         for m in months])
    by_cat = Table("categorie", f"Hulpvragen per soort hulp in {year}", ["Soort hulp"] + columns[1:])
    by_cat.rows = [row(c.name, (None, c.id), ("c", c.id), medians["c"].get(c.id)) for c in categories]
    by_cat.total = by_month.total

    crossed = Table("maand_categorie", f"Hulpvragen per maand en soort hulp in {year}",
                    ["Maand"] + [c.name for c in categories] + ["Totaal"])
    crossed.rows = [[MONTH_NAMES[m - 1]] + [fmt.count(grid[(m, c)]) for c in cat_ids + [None]] for m in months]
    crossed.total = ["Totaal"] + [fmt.count(grid[(None, c)]) for c in cat_ids + [None]]

    to_table = Table("verwijzingen", f"Doorverwijzingen in {year}, naar wie", ["Doorverwezen naar", "Aantal"])
    to_table.rows = [[to, fmt.count(r_cells[("to", to)])] for to, _ in referrals]
    to_table.total = ["Totaal", fmt.count(r_cells["T"])]
    return [by_month, by_cat, crossed, to_table]


def hours_table(village_id: int, year: int, k: int, fmt: Fmt) -> Table:
    """Hours of help and of respite, and active volunteers; a figure resting on fewer than
    `k` helpers is hidden (one volunteer's hours are that volunteer's)."""
    months = list(range(1, 13))
    per_month = queries.hours_by_month(village_id, year)
    year_row = queries.hours_for_year(village_id, year)
    cells: dict[tuple[str, int | str], Cell] = {}
    for kind in ("help", "respite"):
        for m in months:
            data = per_month.get(m, {})
            cells[(kind, m)] = Cell(data.get(f"{kind}_hours", 0.0))
            if data.get(f"{kind}_helpers", 0) < k:
                cells[(kind, m)].hidden = PRIMARY
        cells[(kind, "T")] = Cell(year_row[f"{kind}_hours"])
        if year_row[f"{kind}_helpers"] < k:
            cells[(kind, "T")].hidden = PRIMARY
    protect(cells, [([(kind, m) for m in months], (kind, "T")) for kind in ("help", "respite")])
    active: dict[int | str, Cell] = {m: Cell(per_month.get(m, {}).get("active_helpers", 0)) for m in months}
    active["T"] = Cell(year_row["active_helpers"])
    hide_small(active, k)  # distinct people: the year is not the sum of the months

    table = Table("inzet", f"Inzet van vrijwilligers in {year}",
                  ["Maand", "Uren hulp", "Uren respijtzorg", "Actieve vrijwilligers"],
                  note="Actieve vrijwilligers in het jaar telt iedereen één keer, ook wie in meer maanden hielp.")
    table.rows = [[MONTH_NAMES[m - 1], fmt.hours(cells[("help", m)]), fmt.hours(cells[("respite", m)]),
                   fmt.count(active[m])] for m in months]
    table.total = ["Totaal", fmt.hours(cells[("help", "T")]), fmt.hours(cells[("respite", "T")]),
                   fmt.count(active["T"])]
    table.chart = bar_chart(
        "inzet", "Uren hulp en respijtzorg per maand", ["Uren hulp", "Uren respijtzorg"],
        list(MONTH_SHORT),
        [[(cells[(kind, m)].value if cells[(kind, m)].shown else None, table.rows[m - 1][i + 1])
          for i, kind in enumerate(("help", "respite"))] for m in months])
    return table


def carers_table(village_id: int, year: int, k: int, fmt: Fmt) -> Table:
    """Carers who had respite and their average CarerQol-VAS. An average is hidden when fewer
    than `k` check-ins or carers lie behind it (it would be one carer's own score), and then
    at least one more month's too, so it cannot be worked back out of the year's average."""
    months = list(range(1, 13))
    supported = queries.carers_supported(village_id, year)
    vas = queries.carerqol_vas_average(village_id, year)
    carers = {m: Cell(supported.get(m, 0)) for m in months + [0]}
    hide_small(carers, k)  # distinct people: the year is not the sum of the months
    checkins = {m: Cell(vas.get(m, (None, 0, 0))[1]) for m in months + [0]}
    hide_small(checkins, k)
    protect(checkins, [(months, 0)])
    averages = {m: Cell(vas.get(m, (None, 0, 0))[1]) for m in months + [0]}
    for m, cell in averages.items():
        _, n, people = vas.get(m, (None, 0, 0))
        if n < k or people < k:
            cell.hidden = PRIMARY
    protect(averages, [(months, 0)])

    def row(label: str, m: int) -> list[str]:
        average = fmt.number(vas[m][0]) if averages[m].shown else HIDDEN_TEXT
        return [label, fmt.count(carers[m]), fmt.count(checkins[m]), average]

    table = Table("mantelzorg", f"Mantelzorgers met respijtzorg in {year}",
                  ["Maand", "Mantelzorgers met respijt", "CarerQol-metingen", "Gemiddelde CarerQol-VAS (0–10)"],
                  note="Mantelzorgers in het jaar telt iedereen één keer, ook wie in meer maanden respijt kreeg. "
                       "Een gemiddelde staat er alleen als er genoeg metingen en mantelzorgers achter zitten.")
    table.rows = [row(MONTH_NAMES[m - 1], m) for m in months]
    table.total = row("Totaal", 0)
    return table


def _not_needed_row(village_id: int, year: int, k: int, fmt: Fmt) -> list[str]:
    """How often each question was answered "niet nodig": no party takes anything on, so these
    are in no party's count, total or share; a line of their own, protected on its own."""
    found = queries.role_split_not_needed(village_id, year)
    cells = {q: Cell(found.get(q, 0)) for q in QUESTIONS}
    cells[0] = Cell(sum(found.values()))
    hide_small(cells, k)
    protect(cells, [(list(QUESTIONS), 0)])
    return [NOT_NEEDED_ROW] + [fmt.count(cells[q]) for q in list(QUESTIONS) + [0]] + ["–"]


def role_split_table(village_id: int, year: int, k: int, fmt: Fmt) -> Table:
    """How many Schijf-van-Vijf lines each party took on, per question, as counts only; and
    apart from them, how many answers were "niet nodig"."""
    parties = list(PARTIES)
    values: dict = {}
    for party, question, n in queries.role_split_counts(village_id, year):
        if party not in PARTIES or question not in QUESTIONS:
            continue
        for key in ((party, question), (party, None), (None, question), (None, None)):
            values[key] = values.get(key, 0) + n
    grid = {(p, q): Cell(values.get((p, q), 0)) for p in parties + [None] for q in list(QUESTIONS) + [None]}
    hide_small(grid, k)
    protect(grid, grid_lines(parties, list(QUESTIONS)))
    total = grid[(None, None)]

    def share(cell: Cell) -> str:
        if not (cell.shown and total.shown and total.value):
            return HIDDEN_TEXT
        return fmt.share(cell.value or 0, total.value)

    table = Table("rolverdeling", f"Rolverdeling in de Schijf van Vijf, {year}",
                  ["Wie neemt het op zich"] + [f"Vraag {q}" for q in QUESTIONS] + ["Totaal", "Aandeel"],
                  note="Vraag 1 zelf, 2 hulpmiddel, 3 familie en mantelzorg, 4 netwerk en vrijwilligers, "
                       "5 professional. „Niet nodig” is geen partij: die antwoorden tellen niet mee in het totaal "
                       "en het aandeel.")
    table.rows = [[PARTIES[p]] + [fmt.count(grid[(p, q)]) for q in list(QUESTIONS) + [None]]
                  + [share(grid[(p, None)])] for p in parties]
    table.rows.append(_not_needed_row(village_id, year, k, fmt))
    table.total = (["Totaal"] + [fmt.count(grid[(None, q)]) for q in list(QUESTIONS) + [None]]
                   + [dutch.percent(1) if total.shown else HIDDEN_TEXT])
    table.chart = bar_chart("rolverdeling", "Wie neemt welk deel op zich", ["Regels"],
                            [SHORT_PARTY[p] for p in parties],
                            [[(grid[(p, None)].value if grid[(p, None)].shown else None, table.rows[i][6])]
                             for i, p in enumerate(parties)])
    return table

