"""The request figures of the villages of one gemeente, protected together.

A village's report and the gemeente's overview show the same figures: a village's requests per
month are a row of the overview, its year's total a cell of it, and the overview adds the
months over the villages. A reader who has both must not be able to work a hidden figure back,
so the figures of all villages of a gemeente are protected as one network (suppression.py):

    requests  S → month over the villages (the overview's "Alle dorpen" row)
                → the village's month → month × category → the village's category
                → the village's year → T (its cell in the overview) → S (the overview's total)
    matched   S → the village's month → (month × category, not shown) → category → year → T → S
    referred  the same, and after the category (category × destination, not shown) the
              destination and the year; destinations below the threshold share one row

A village without a gemeente has the same networks without the overview's edges. Each village's
own threshold protects its figures; the overview's sums take the strictest of the villages'.

Matched and referred are parts of the requests: a request counted as matched or referred is a
request, so a hidden month × category count is at least its matched and referred requests, and
the matched (referred) ones at most the requests that were not referred (matched). Each
network is protected with the other two held at their true values, which asks more than
enough: a figure that can change while the others stay is not pinned by them.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

from coop.reports.suppression import (
    Arcs,
    Cell,
    Move,
    Network,
    hide_for_another,
    hide_small,
    protect_network,
    residual,
    rise,
    room_for,
    unpublished,
)

MONTHS = tuple(range(1, 13))
ALL = "all"
OTHER = "Overige bestemmingen"
TOTAL_WEIGHT, GRAND_WEIGHT = 2, 4  # rather hide a cell than its margin, a margin than a grand total


@dataclass
class VillageFigures:
    village_id: int
    threshold: int
    counts: Sequence[tuple[int, int, int, int, int]]  # (month, category, requests, matched, referred)
    referrals: Sequence[tuple[str, int]]  # (referred to, number)
    categories: Sequence[int]  # the category ids the tables show, in order


@dataclass
class Protected:
    """Keys: ("n" | "m" | "r", village id or ALL, …); see the `*_key` helpers."""
    cells: dict[tuple, Cell] = field(default_factory=dict)
    referrals: dict[int, list[tuple[str, int]]] = field(default_factory=dict)  # per village, in table order
    stuck: list[tuple] = field(default_factory=list)  # figures no suppression could protect (none expected)

    def requests(self, village: int | str, month: int | None, category: int | None = None) -> Cell:
        return self.cells[("n", village, month, category)]

    def matched(self, village: int | str, kind: str = "T", item: Hashable = None) -> Cell:
        return self.cells[("m", village, kind, item)]

    def referred(self, village: int | str, kind: str = "T", item: Hashable = None) -> Cell:
        return self.cells[("r", village, kind, item)]


def _split(totals: dict[int, int], parts: Sequence[tuple[str, int]]) -> dict[tuple[int, str], int]:
    """Any split of the categories' referrals over the destinations that adds up both ways (the
    true one is not stored); the reader cannot tell one from another."""
    left = dict(parts)
    out: dict[tuple[int, str], int] = {}
    for category, n in totals.items():
        for to, _ in parts:
            take = min(n, left[to])
            if take:
                out[(category, to)] = take
                n -= take
                left[to] -= take
    return out


def protect(villages: Sequence[VillageFigures], overview_threshold: int | None) -> Protected:
    """Protect the request figures of `villages` together; with `overview_threshold`, the
    gemeente's sums over them too."""
    out = Protected()
    nets = {kind: Network[tuple]() for kind in "nmr"}
    joint = overview_threshold is not None

    def source(kind: str, v: int) -> tuple:
        return (kind, "S") if joint else (kind, v, "S")

    def sink(kind: str, v: int) -> tuple:
        return (kind, "T") if joint else source(kind, v)

    def add(kind: str, key: tuple, cell: Cell, tail: tuple, head: tuple, weight: float = 1) -> None:
        cell.weight = weight
        out.cells[key] = cell
        nets[kind].add(key, tail, head)

    for fig in villages:
        v, k = fig.village_id, fig.threshold
        # A destination with a row of its own would say it had at least one referral, and no rows
        # at all that there were none: destinations below the threshold share one row, always there.
        named = [(to, count) for to, count in fig.referrals if count >= k and to != OTHER]
        rows = named + [(OTHER, sum(count for to, count in fig.referrals if (to, count) not in named))]
        out.referrals[v] = rows
        n: dict[tuple[int | None, int | None], int] = {}
        m: dict[tuple[int, int], int] = {}
        r: dict[tuple[int, int], int] = {}
        for month, cat, count, matched, referred in fig.counts:
            if month not in MONTHS:
                continue
            n[(month, cat)], m[(month, cat)], r[(month, cat)] = count, matched, referred
        cats = list(fig.categories)
        cell_n = {key: n.get(key, 0) for key in ((mo, c) for mo in MONTHS for c in cats)}
        # Requests: the village's month × category table with its margins.
        for mo in MONTHS:
            add("n", ("n", v, mo, None), Cell(sum(cell_n[(mo, c)] for c in cats)),
                ("n", "M", mo) if joint else source("n", v), ("n", v, "month", mo), TOTAL_WEIGHT)
            for c in cats:
                cell = Cell(cell_n[(mo, c)])
                add("n", ("n", v, mo, c), cell, ("n", v, "month", mo), ("n", v, "cat", c))
        for c in cats:
            add("n", ("n", v, None, c), Cell(sum(cell_n[(mo, c)] for mo in MONTHS)), ("n", v, "cat", c),
                ("n", v, "K"), TOTAL_WEIGHT)
        add("n", ("n", v, None, None), Cell(sum(cell_n.values())), ("n", v, "K"), sink("n", v), GRAND_WEIGHT)
        hide_small({key: c for key, c in out.cells.items() if key[0] == "n" and key[1] == v}, k)
        for (mo, c), count in cell_n.items():
            cell = out.cells[("n", v, mo, c)]
            cell.low = max(cell.low, min(count, m.get((mo, c), 0) + r.get((mo, c), 0)))
            cell.floor = max(cell.floor, cell.low)

        # Matched and referred: per month, per category (and destination) and the year.
        for kind, part, other in (("m", m, r), ("r", r, m)):
            mine: dict[tuple, Cell] = {}
            for mo in MONTHS:
                mine[(kind, v, "m", mo)] = Cell(sum(part.get((mo, c), 0) for c in cats))
                add(kind, (kind, v, "m", mo), mine[(kind, v, "m", mo)], source(kind, v), (kind, v, "month", mo),
                    TOTAL_WEIGHT)
                for c in cats:
                    value, room = part.get((mo, c), 0), cell_n[(mo, c)] - other.get((mo, c), 0)
                    add(kind, (kind, v, mo, c), unpublished(value, max(value, room)), (kind, v, "month", mo),
                        (kind, v, "cat", c))
            by_cat = {c: sum(part.get((mo, c), 0) for mo in MONTHS) for c in cats}
            for c in cats:
                mine[(kind, v, "c", c)] = Cell(by_cat[c])
                end = (kind, v, "cat-out", c) if kind == "r" else (kind, v, "K")
                add(kind, (kind, v, "c", c), mine[(kind, v, "c", c)], (kind, v, "cat", c), end, TOTAL_WEIGHT)
            if kind == "r":
                split = _split(by_cat, rows)
                for c in cats:
                    for to, _ in rows:
                        add(kind, (kind, v, c, to), unpublished(split.get((c, to), 0)), (kind, v, "cat-out", c),
                            (kind, v, "to", to))
                for to, count in rows:
                    mine[(kind, v, "to", to)] = Cell(count)
                    add(kind, (kind, v, "to", to), mine[(kind, v, "to", to)], (kind, v, "to", to), (kind, v, "K"),
                        TOTAL_WEIGHT)
            mine[(kind, v, "T", None)] = Cell(sum(by_cat.values()))
            add(kind, (kind, v, "T", None), mine[(kind, v, "T", None)], (kind, v, "K"), sink(kind, v), GRAND_WEIGHT)
            hide_small(mine, k)

    if joint:
        assert overview_threshold is not None
        sums: dict[tuple, Cell] = {}
        for mo in MONTHS:
            sums[("n", ALL, mo, None)] = Cell(sum(out.cells[("n", f.village_id, mo, None)].value or 0
                                                  for f in villages))
            add("n", ("n", ALL, mo, None), sums[("n", ALL, mo, None)], ("n", "S"), ("n", "M", mo), TOTAL_WEIGHT)
        for kind, rest in (("n", (None, None)), ("m", ("T", None)), ("r", ("T", None))):
            key = (kind, ALL, *rest)
            sums[key] = Cell(sum(out.cells[(kind, f.village_id, *rest)].value or 0 for f in villages))
            add(kind, key, sums[key], (kind, "T"), (kind, "S"), GRAND_WEIGHT)
        hide_small(sums, overview_threshold)

    _protect_all(out, nets, {f.village_id: list(f.categories) for f in villages}, joint)
    return out


def _protect_all(out: Protected, nets: dict[str, Network[tuple]], cats: dict[int, list[int]], joint: bool) -> None:
    """Requests first; then matched and referred. A month × category's matches (or referrals),
    as many as room among its requests allows, may still go up when the requests there can go
    up with them (`lift`: a cycle of hidden requests figures); a figure that still cannot be
    protected gets requests around it hidden too, and another try."""
    cells = out.cells
    protect_network(cells, nets["n"])
    lifts: dict[tuple, list[Move] | None] = {}
    requests_arcs: list[Arcs] = []  # the requests' residual graph, while their figures stay as they are

    def interior(key: Any) -> bool:
        return isinstance(key, tuple) and len(key) == 4 and isinstance(key[2], int) and isinstance(key[3], int)

    def lift(key: tuple) -> list[Move] | None:
        if not interior(key):
            return None  # only a month × category count rests on the requests
        n_key = ("n", key[1], key[2], key[3])
        if n_key not in lifts:
            # Most often the month, the category, the year (and the gemeente's sums) are hidden
            # with room: then they all go up with it, which can never break another count.
            plain = [k for k in requests_cycle(key[1], key[2], key[3])]
            if room_for(cells, [(k, 1) for k in plain]):
                lifts[n_key] = [(k, 1) for k in plain]
                return lifts[n_key]
            if not requests_arcs:
                requests_arcs.append(residual(cells, nets["n"]))
            found = rise(cells, nets["n"], n_key, arcs=requests_arcs[0])
            lifts[n_key] = found[1] if found else None
        return lifts[n_key]

    def check(moves: list[Move], needed: list[Move]) -> bool:
        """The requests lifted stay within their labels, and every month × category keeps at
        least as many requests as its matched and referred ones."""
        if not room_for(cells, needed):
            return False
        delta: Counter[Any] = Counter()
        for key, way in [*moves, *needed]:
            delta[key] += way
        places = {key[1:] for key in delta if interior(key)}
        for v, mo, c in places:
            n, m, r = (float(cells[(kind, v, mo, c)].value or 0) + delta[(kind, v, mo, c)] for kind in "nmr")
            if m + r > n:
                return False
        return True

    def requests_cycle(v: int, month: int, cat: int) -> list[tuple]:
        """The requests that go up together with one month × category count: its month, its
        category, the village's year and, in a gemeente, the sums over the villages."""
        keys = [("n", v, month, None), ("n", v, month, cat), ("n", v, None, cat), ("n", v, None, None)]
        return keys + ([("n", ALL, month, None), ("n", ALL, None, None)] if joint else [])

    def related(key: tuple) -> list[tuple]:
        _kind, v, what, item = key
        villages = list(cats) if v == ALL else [v]
        return [("n", w, mo, c) for w in villages for mo in MONTHS for c in cats[w]
                if (what == "m" and mo == item) or (what == "c" and c == item) or what not in ("m", "c")]

    for kind in ("m", "r"):
        for _ in range(4):
            stuck = protect_network(cells, nets[kind], lift=lift, check=check)
            if not stuck:
                break
            for key in stuck:
                hideable = residual(cells, nets["n"], hideable=True)
                options = [found for found in (rise(cells, nets["n"], n_key, hideable=True, arcs=hideable)
                                               for n_key in related(key)) if found is not None]
                if options:
                    for other, _way in min(options, key=lambda option: option[0])[1]:
                        if cells[other].shown:
                            hide_for_another(cells[other])
            protect_network(cells, nets["n"])
            lifts.clear()
            requests_arcs.clear()
        out.stuck += protect_network(cells, nets[kind], lift=lift, check=check)
