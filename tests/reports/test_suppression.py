"""Small counts are hidden, and no hidden count can be worked back out of a total."""
from itertools import product

from coop.reports.suppression import PRIMARY, SECONDARY, Cell, grid_lines, hide_small, is_safe, protect


def grid(values):
    rows, cols = range(len(values)), range(len(values[0]))
    cells = {(r, c): Cell(values[r][c]) for r, c in product(rows, cols)}
    for r in rows:
        cells[(r, None)] = Cell(sum(values[r]))
    for c in cols:
        cells[(None, c)] = Cell(sum(v[c] for v in values))
    cells[(None, None)] = Cell(sum(map(sum, values)))
    return cells, grid_lines(list(rows), list(cols))


def test_one_small_cell_in_a_row_takes_a_partner_so_the_total_does_not_give_it_away():
    cells, lines = grid([[3, 10, 20], [12, 15, 30]])
    hide_small(cells, 5)
    assert cells[(0, 0)].hidden == PRIMARY
    protect(cells, lines)
    assert is_safe(cells, lines)
    # Row 0: the smallest other cell is hidden too; column 0: the other row's cell.
    assert cells[(0, 1)].hidden == SECONDARY
    assert cells[(1, 0)].hidden == SECONDARY
    # A hidden figure cannot be rebuilt: every line holds two or more hidden figures, or none.
    for members, total in lines:
        hidden = [k for k in members + [total] if not cells[k].shown]
        assert len(hidden) != 1


def test_a_small_total_is_hidden_and_its_members_with_it():
    cells, lines = grid([[1, 2], [20, 30]])
    hide_small(cells, 5)
    protect(cells, lines)
    assert not cells[(0, None)].shown and not cells[(0, 0)].shown and not cells[(0, 1)].shown
    assert is_safe(cells, lines)


def test_nothing_small_hides_nothing():
    cells, lines = grid([[6, 7], [8, 9]])
    hide_small(cells, 5)
    protect(cells, lines)
    assert all(c.shown for c in cells.values())


def test_one_dimensional_line_with_one_small_month():
    cells = {m: Cell(v) for m, v in enumerate([12, 4, 30, 9])}
    cells["total"] = Cell(55)
    lines = [([0, 1, 2, 3], "total")]
    hide_small(cells, 5, keys=[0, 1, 2, 3, "total"])
    protect(cells, lines)
    assert cells[1].hidden == PRIMARY and cells[3].hidden == SECONDARY and cells["total"].shown


def test_the_threshold_is_a_setting():
    cells = {0: Cell(6), 1: Cell(12), "t": Cell(18)}
    hide_small(cells, 10)
    protect(cells, [([0, 1], "t")])
    assert cells[0].hidden == PRIMARY and cells[1].hidden == SECONDARY
