"""The report of one village for one year: tables of figures, each protected, each with a chart.

The figures come from queries.py; here they are laid out and every small count is hidden
(suppression.py) before anything is shown or exported.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from coop.aids import queries as aids_queries
from coop.core import dutch
from coop.core.models import TaskCategory, Village
from coop.extensions import db
from coop.members import service as members
from coop.reports import attendance, protection, queries
from coop.reports.charts import Chart, bar_chart
from coop.reports.models import DEFAULT_THRESHOLD, ReportSettings
from coop.reports.suppression import (
    PRIMARY,
    Cell,
    Network,
    grid_network,
    hide_small,
    line_network,
    protect_distinct,
    protect_network,
    protect_pairs,
)
from coop.requests.models import PARTIES

MONTH_NAMES = tuple(dutch.month_name(m) for m in range(1, 13))
MONTH_SHORT = tuple(dutch.month_name(m, "abbreviated") for m in range(1, 13))  # chart labels
QUESTIONS = (1, 2, 3, 4, 5)
HIDDEN_TEXT = "afgeschermd"
HOURS_STEP = 0.5  # a hidden number of hours must be able to differ by at least half an hour
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
        self.threshold = threshold
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


def _categories(village_ids: list[int]) -> dict[int, list[TaskCategory]]:
    """Every category of each village, in use or not, in one query: a category shown only when
    it was used would say that it was (at least one request, where the table may say "< 5")."""
    found: dict[int, list[TaskCategory]] = {i: [] for i in village_ids}
    for category in db.session.scalars(select(TaskCategory).where(TaskCategory.village_id.in_(village_ids))
                                       .order_by(TaskCategory.sort_order, TaskCategory.id)):
        found[category.village_id].append(category)
    return found


def build(village: Village, year: int, money: bool = False) -> Report:
    """The village's figures; `money`: with the contribution income (its own staff only)."""
    villages = villages_with(village)
    thresholds = thresholds_for([v.id for v in villages])  # read once, for this report and its protection
    k = thresholds[village.id]
    fmt = Fmt(k)
    protected, categories = protect_requests(villages, year, thresholds)
    tables = request_tables(village.id, year, protected, categories[village.id], k, fmt)
    tables.append(hours_table(village.id, year, k, fmt))
    tables.append(carers_table(village.id, year, k, fmt))
    tables.append(five_questions_table(village.id, year, k, fmt))
    tables.append(aids_table(village.id, year, k, fmt))
    tables.append(attendance.table(village.id, year, k, fmt, Table, MONTH_NAMES))
    tables.append(members_table(village.id, year, k, fmt))
    if money:
        tables.append(contribution_table(village.id, year))
    return Report(village=village, year=year, threshold=k, tables=tables)


def members_table(village_id: int, year: int, k: int, fmt: Fmt) -> Table:
    """Member households in the year and how many joined: counts, the small ones hidden. The
    two do not add up to anything, so hiding one reveals nothing of the other."""
    every, new = members.member_counts(village_id, year)
    cells = {"all": Cell(every), "new": Cell(new)}
    hide_small(cells, k)
    table = Table("leden", f"Leden in {year}", ["Leden", "Huishoudens"],
                  note="Een huishouden telt één keer, ook als het maar een deel van het jaar lid was.")
    table.rows = [["Lid in het jaar", fmt.count(cells["all"])], ["Nieuw lid geworden", fmt.count(cells["new"])]]
    return table


def contribution_table(village_id: int, year: int) -> Table:
    """The contribution of the year in euros: for the cooperative's own books, never the gemeente's."""
    found = members.income(village_id, year)
    table = Table("contributie", f"Contributie {year}", ["Contributie", "Bedrag"],
                  note="Alleen voor de coöperatie zelf; de gemeente ziet dit niet.")
    table.rows = [["Gevraagd", dutch.money(found.charged)], ["Ontvangen", dutch.money(found.paid)],
                  ["Nog open", dutch.money(found.unpaid)],
                  ["Teruggeboekt (storno)", f"{dutch.count(found.returned)} keer"]]
    return table


def villages_of(municipality_id: int) -> list[Village]:
    return list(db.session.scalars(select(Village).where(Village.municipality_id == municipality_id)
                                   .order_by(Village.name, Village.id)))


def villages_with(village: Village) -> list[Village]:
    """The villages whose request figures are protected together with this one's: all of its
    gemeente's (the gemeente's overview shows them side by side), or this one alone."""
    return villages_of(village.municipality_id) if village.municipality_id is not None else [village]


def protect_requests(villages: list[Village], year: int, thresholds: dict[int, int] | None = None,
                     ) -> tuple[protection.Protected, dict[int, list[TaskCategory]]]:
    """The request figures of these villages, protected as one (protection.py), and each
    village's categories in table order. The same for a village's report and its gemeente's."""
    ids = [v.id for v in villages]
    # One query per kind for all the villages: a gemeente's overview has many.
    counts, referrals = queries.request_counts_per_village(ids, year), queries.referral_counts_per_village(ids, year)
    thresholds, categories = thresholds if thresholds is not None else thresholds_for(ids), _categories(ids)
    figures = [protection.VillageFigures(i, thresholds[i], counts[i], referrals[i], [c.id for c in categories[i]])
               for i in ids]
    joint = bool(villages) and villages[0].municipality_id is not None
    overview = max(f.threshold for f in figures) if joint else None
    return protection.protect(figures, overview), categories


def request_tables(village_id: int, year: int, protected: protection.Protected, categories: list[TaskCategory],
                   k: int, fmt: Fmt) -> list[Table]:
    months = list(range(1, 13))
    cat_ids = [c.id for c in categories]
    v = village_id
    found = queries.median_days_to_match(village_id, year)
    medians = {"m": found["month"], "c": found["category"], "T": found["all"]}

    def row(label: str, n_cell: Cell, m_cell: Cell, r_cell: Cell, median: float | None) -> list[str]:
        share = fmt.share(m_cell.value or 0, n_cell.value or 0) if n_cell.shown and m_cell.shown else HIDDEN_TEXT
        # A median of fewer than k matches would describe single, recognisable cases.
        days = fmt.number(median) if median is not None and (m_cell.value or 0) >= k else HIDDEN_TEXT
        return [label, fmt.count(n_cell), fmt.count(m_cell), share, days, fmt.count(r_cell)]

    def month_row(m: int) -> list[str]:
        return row(MONTH_NAMES[m - 1], protected.requests(v, m), protected.matched(v, "m", m),
                   protected.referred(v, "m", m), medians["m"].get(m))

    def total_row() -> list[str]:
        return row("Totaal", protected.requests(v, None), protected.matched(v), protected.referred(v),
                   medians["T"].get(0))

    columns = ["", "Hulpvragen", "Gekoppeld", "Aandeel gekoppeld", "Mediane tijd tot koppeling (dagen)",
               "Doorverwezen"]
    by_month = Table("maand", f"Hulpvragen per maand in {year}", ["Maand"] + columns[1:])
    by_month.rows = [month_row(m) for m in months]
    by_month.total = total_row()

    def shown_value(cell: Cell) -> float | None:
        return cell.value if cell.shown else None

    by_month.chart = bar_chart(
        "maand", "Hulpvragen en koppelingen per maand", ["Hulpvragen", "Gekoppeld"],
        list(MONTH_SHORT),
        [[(shown_value(protected.requests(v, m)), by_month.rows[m - 1][1]),
          (shown_value(protected.matched(v, "m", m)), by_month.rows[m - 1][2])] for m in months])
    by_cat = Table("categorie", f"Hulpvragen per soort hulp in {year}", ["Soort hulp"] + columns[1:])
    by_cat.rows = [row(c.name, protected.requests(v, None, c.id), protected.matched(v, "c", c.id),
                       protected.referred(v, "c", c.id), medians["c"].get(c.id)) for c in categories]
    by_cat.total = total_row()

    crossed = Table("maand_categorie", f"Hulpvragen per maand en soort hulp in {year}",
                    ["Maand"] + [c.name for c in categories] + ["Totaal"])
    crossed.rows = [[MONTH_NAMES[m - 1]] + [fmt.count(protected.requests(v, m, c)) for c in cat_ids + [None]]
                    for m in months]
    crossed.total = ["Totaal"] + [fmt.count(protected.requests(v, None, c)) for c in cat_ids + [None]]

    to_table = Table("verwijzingen", f"Doorverwijzingen in {year}, naar wie", ["Doorverwezen naar", "Aantal"])
    to_table.rows = [[to, fmt.count(protected.referred(v, "to", to))] for to, _ in protected.referrals[v]]
    to_table.total = ["Totaal", fmt.count(protected.referred(v))]
    return [by_month, by_cat, crossed, to_table]


def hours_table(village_id: int, year: int, k: int, fmt: Fmt) -> Table:
    """Hours of help and of respite, and active volunteers; a figure resting on fewer than
    `k` helpers is hidden (one volunteer's hours are that volunteer's)."""
    months = list(range(1, 13))
    per_month = queries.hours_by_month(village_id, year)
    year_row = queries.hours_for_year(village_id, year)
    cells: dict[tuple[str, int | str], Cell] = {}
    net: Network[tuple[str, int | str]] = Network()
    for kind in ("help", "respite"):
        for m in months:
            data = per_month.get(m, {})
            cells[(kind, m)] = Cell(data.get(f"{kind}_hours", 0.0))
            if data.get(f"{kind}_helpers", 0) < k:
                cells[(kind, m)].hidden = PRIMARY  # hours: a reader knows only that they are 0 or more
        cells[(kind, "T")] = Cell(year_row[f"{kind}_hours"], weight=2)
        if year_row[f"{kind}_helpers"] < k:
            cells[(kind, "T")].hidden = PRIMARY
        net.merge(line_network([(kind, m) for m in months], (kind, "T"), prefix=kind))
    protect_network(cells, net, step=HOURS_STEP)
    active: dict[int | str, Cell] = {m: Cell(per_month.get(m, {}).get("active_helpers", 0)) for m in months}
    active["T"] = Cell(year_row["active_helpers"])
    hide_small(active, k)
    protect_distinct(active, months, "T")  # distinct people: the year is not the sum of the months

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
    hide_small(carers, k)
    protect_distinct(carers, months, 0)  # distinct people: the year is not the sum of the months
    checkins = {m: Cell(vas.get(m, (None, 0, 0))[1]) for m in months + [0]}
    hide_small(checkins, k)
    protect_network(checkins, line_network(months, 0))
    averages = {m: Cell(vas.get(m, (None, 0, 0))[1]) for m in months + [0]}
    for m, cell in averages.items():
        _, n, people = vas.get(m, (None, 0, 0))
        if n < k or people < k:
            cell.hidden = PRIMARY
    protect_pairs(averages, months, 0)

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
    found = queries.five_questions_not_needed(village_id, year)
    cells = {q: Cell(found.get(q, 0)) for q in QUESTIONS}
    cells[0] = Cell(sum(found.values()), weight=2)
    hide_small(cells, k)
    protect_network(cells, line_network(list(QUESTIONS), 0))
    return [NOT_NEEDED_ROW] + [fmt.count(cells[q]) for q in list(QUESTIONS) + [0]] + ["–"]


def five_questions_table(village_id: int, year: int, k: int, fmt: Fmt) -> Table:
    """How many Schijf-van-Vijf lines each party took on, per question, as counts only; and
    apart from them, how many answers were "niet nodig"."""
    parties = list(PARTIES)
    values: dict = {}
    for party, question, n in queries.five_questions_counts(village_id, year):
        if party not in PARTIES or question not in QUESTIONS:
            continue
        for key in ((party, question), (party, None), (None, question), (None, None)):
            values[key] = values.get(key, 0) + n
    grid = {(p, q): Cell(values.get((p, q), 0), weight=_margin_weight(p, q))
            for p in parties + [None] for q in list(QUESTIONS) + [None]}
    hide_small(grid, k)
    protect_network(grid, grid_network(parties, list(QUESTIONS)))
    total = grid[(None, None)]

    def share(cell: Cell) -> str:
        if not (cell.shown and total.shown and total.value):
            return HIDDEN_TEXT
        return fmt.share(cell.value or 0, total.value)

    table = Table("schijf_van_vijf", f"Rolverdeling in de Schijf van Vijf, {year}",
                  ["Wie neemt het op zich"] + [f"Vraag {q}" for q in QUESTIONS] + ["Totaal", "Aandeel"],
                  note="Vraag 1 zelf, 2 hulpmiddel, 3 familie en mantelzorg, 4 netwerk en vrijwilligers, "
                       "5 professional. „Niet nodig” is geen partij: die antwoorden tellen niet mee in het totaal "
                       "en het aandeel.")
    table.rows = [[PARTIES[p]] + [fmt.count(grid[(p, q)]) for q in list(QUESTIONS) + [None]]
                  + [share(grid[(p, None)])] for p in parties]
    table.rows.append(_not_needed_row(village_id, year, k, fmt))
    table.total = (["Totaal"] + [fmt.count(grid[(None, q)]) for q in list(QUESTIONS) + [None]]
                   + [dutch.percent(1) if total.shown else HIDDEN_TEXT])
    table.chart = bar_chart("schijf_van_vijf", "Wie neemt welk deel op zich", ["Regels"],
                            [SHORT_PARTY[p] for p in parties],
                            [[(grid[(p, None)].value if grid[(p, None)].shown else None, table.rows[i][6])]
                             for i, p in enumerate(parties)])
    return table


def _margin_weight(row: object, col: object) -> float:
    """Rather hide a cell than a margin, a margin than the grand total."""
    return 1 + (row is None) + (col is None) + 2 * (row is None and col is None)


def aids_table(village_id: int, year: int, k: int, fmt: Fmt) -> Table:
    """How many items of the stock went out per month: counts only, no one named; a small
    count is hidden, and then at least one more, so it cannot be worked back from the year."""
    months = list(range(1, 13))
    found = aids_queries.loans_per_month(village_id, year)
    cells: dict[int, Cell] = {m: Cell(found.get(m, 0)) for m in months}
    cells[0] = Cell(sum(found.values()), weight=2)
    hide_small(cells, k)
    protect_network(cells, line_network(months, 0))
    table = Table("hulpmiddelen", f"Uitgeleende hulpmiddelen in {year}", ["Maand", "Uitgeleend"],
                  note="Telt hoe vaak een hulpmiddel (rollator, rolstoel, douchestoel …) werd meegegeven, in de "
                       "maand dat het meeging.")
    table.rows = [[MONTH_NAMES[m - 1], fmt.count(cells[m])] for m in months]
    table.total = ["Totaal", fmt.count(cells[0])]
    return table
