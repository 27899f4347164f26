"""The gemeente's overview of all its villages: per village and summed, protected across both."""
from __future__ import annotations

from datetime import datetime, timedelta

from coop.core import roles as R
from coop.core.clock import LOCAL
from coop.reports import municipality as overview
from coop.reports.suppression import Cell, grid_lines, hide_small, is_safe, protect
from coop.requests.models import HelpRequest


def add_requests(session, make, village, month: int, n: int, matched: int = 0) -> None:
    resident = make.user(village)
    category = make.category(village, "boodschappen")
    for i in range(n):
        created = datetime(2025, month, 3 + i % 20, 10, tzinfo=LOCAL)
        r = HelpRequest(village_id=village.id, resident_id=resident.id, category_id=category.id,
                        description="Vraag", created_at=created, status="new")
        if i < matched:
            r.status, r.matched_at = "matched", created + timedelta(days=1)
        session.add(r)
    session.flush()


def test_the_overview_sums_the_villages_and_hides_what_could_be_worked_back(session, make, village):
    sibling = make.village("Bosch", municipality=village.municipality)
    elsewhere = make.village("Elders")
    add_requests(session, make, village, 3, 12, matched=10)
    add_requests(session, make, village, 4, 9, matched=6)
    add_requests(session, make, sibling, 3, 2, matched=2)   # small: hidden
    add_requests(session, make, sibling, 4, 8, matched=7)
    add_requests(session, make, elsewhere, 3, 40)           # another gemeente: not counted
    built = overview.build(village.municipality, 2025)
    assert [v.name for v in built.villages] == sorted([village.name, sibling.name])
    table = built.table("gemeente_maand")
    rows = {row[0]: row[1:] for row in table.rows}
    assert rows[sibling.name][2] == "< 5"              # March in the sibling village
    # April is large enough in both, but shown beside each village's year it would make every
    # empty month of that village exactly 0: hidden, with March of the village that has 12.
    assert rows[village.name][2:4] == ["afgeschermd", "afgeschermd"] and rows[sibling.name][3] == "afgeschermd"
    assert table.total[3] == "14"                      # March over the villages: 12 + 2
    assert table.total[-1] == "31"                     # 12 + 9 + 2 + 8: the sum over the villages
    # No line of the grid, across villages or across months, has exactly one hidden figure,
    # so no hidden figure can be worked back from a total.
    grid = [row[1:] for row in table.rows] + [table.total[1:]]
    hidden = [[cell in ("< 5", "afgeschermd") for cell in row] for row in grid]
    assert all(sum(row) != 1 for row in hidden)
    assert all(sum(column) != 1 for column in zip(*hidden, strict=True))
    outcome = {row[0]: row[1:] for row in built.table("gemeente_uitkomst").rows}
    assert outcome[village.name][1] == "16" and outcome[sibling.name][1] == "9"


def test_protection_holds_on_every_line_of_the_grid():
    villages, months = [1, 2, 3], list(range(1, 13))
    values = {(v, m): (v * 7 + m * 3) % 11 for v in villages for m in months}
    cells = {key: Cell(n) for key, n in values.items()}
    for v in villages + [None]:
        cells[(v, None)] = Cell(sum(n for (vv, _m), n in values.items() if v is None or vv == v))
    for m in months:
        cells[(None, m)] = Cell(sum(n for (_v, mm), n in values.items() if mm == m))
    hide_small(cells, 5)
    lines = grid_lines(villages, months)
    protect(cells, lines)
    assert is_safe(cells, lines)


def test_only_the_gemeente_opens_the_overview(make, village, client_as, session):
    add_requests(session, make, village, 3, 6)
    gemeente = client_as(make.user(village, R.MUNICIPALITY))
    page = gemeente.get("/cijfers/gemeente?jaar=2025")
    assert page.status_code == 200
    assert f"Cijfers van alle dorpen in {village.municipality.name}" in page.get_data(as_text=True)
    csv = gemeente.get("/cijfers/gemeente/gemeente_maand.csv?jaar=2025")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    assert client_as(make.user(village, R.COORDINATOR)).get("/cijfers/gemeente").status_code == 403
