"""Small-count suppression, primary and complementary, so that no hidden figure can be worked back.

Primary: a count below the threshold is hidden ("< 5"; zero included). Complementary: what is
shown must leave every hidden figure at least two possible values, whatever a reader combines:
every row, column and total of a table, and the other tables that share its figures.

A reader knows of a hidden figure what its label says: "< k" is 0 … k − 1, "afgeschermd" (a
count hidden to protect another) is k or more, a hidden amount is 0 or more. A table whose
figures add up along its rows, columns and totals is a flow network: each figure is an edge,
each line that adds up is a node (what flows in equals what flows out). A month × category
table with all its margins is S → month → category → K → S: a month's total flows from S to
the month, each cell from its month to its category, a category's total from the category to
K, and the grand total from K back to S. Several tables that share figures are one network
(the villages of a gemeente with their sums over the villages, see reports/municipality.py);
figures nobody publishes — how many of March's matches were shopping — are edges too, hidden
for good, with what the reader can tell of them (at least 0, at most the requests).

A hidden figure can take another value exactly when it lies on a cycle of hidden figures along
which each can move one step (one for counts) within what its label allows: going round the
cycle forwards a figure goes up, backwards down, and every line still adds up. (Any other
consistent table differs from the true one by such cycles, so there is no other way.) `protect`
checks every hidden figure; where there is no such cycle it hides the shown figures of the
cheapest one (the smallest values, by a shortest path), which protects every figure on it.
Hiding only adds freedom, so one pass over the figures suffices.

Counts of distinct people (carers in a month and in the year) do not add up: the year's count
is at least each month's and at most their sum. `protect_distinct` checks those exactly too.
"""
from __future__ import annotations

import heapq
import itertools
from collections import Counter, deque
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

PRIMARY, SECONDARY, UNPUBLISHED = "primary", "secondary", "unpublished"
COUNT_STEP = 1


@dataclass
class Cell:
    value: float | int | None
    hidden: str | None = None  # None, PRIMARY, SECONDARY or UNPUBLISHED (never shown)
    low: float = 0  # what a reader can tell of the value while it is hidden: at least `low` …
    high: float | None = None  # … and at most `high` (None: no upper bound)
    floor: float = 0  # what a reader knows of it once hidden to protect another: the threshold
    weight: float = 1  # how much it costs to hide it for another (totals say more than cells)

    @property
    def shown(self) -> bool:
        return self.hidden is None


K = TypeVar("K", bound=Hashable)  # a table's cell keys: (row, col) pairs, or labels of one line
R = TypeVar("R", bound=Hashable)
C = TypeVar("C", bound=Hashable)
Line = tuple[Sequence[K], K]  # members, total
Node = Hashable


def hide_small(cells: Mapping[K, Cell], threshold: int, keys: Iterable[K] | None = None) -> None:
    """Primary suppression of counts: every count below the threshold (zero included)."""
    for key in (cells if keys is None else keys):
        cell = cells[key]
        cell.floor = max(cell.floor, threshold)  # "afgeschermd" then means: at least the threshold
        if cell.value is not None and cell.value < threshold:
            cell.hidden, cell.low, cell.high = PRIMARY, 0, threshold - 1


def unpublished(value: float, high: float | None = None, low: float = 0) -> Cell:
    """A figure that is never shown but adds up with the shown ones (a reader knows its bounds)."""
    return Cell(value, UNPUBLISHED, low, high)


@dataclass
class Network(Generic[K]):
    """Figures as edges between the lines they add up in: `edges[key] = (tail, head)`."""
    edges: dict[K, tuple[Node, Node]] = field(default_factory=dict)

    def add(self, key: K, tail: Node, head: Node) -> None:
        self.edges[key] = (tail, head)

    def merge(self, other: Network[K]) -> None:
        self.edges.update(other.edges)


def grid_network(rows: Sequence[R], cols: Sequence[C], prefix: Hashable = ()) -> Network[tuple[R | None, C | None]]:
    """A two-way table with keys (row, col), (row, None), (None, col), (None, None)."""
    net: Network[tuple[R | None, C | None]] = Network()
    source, sink = (prefix, "S"), (prefix, "K")
    for r in rows:
        net.add((r, None), source, (prefix, "row", r))
        for c in cols:
            net.add((r, c), (prefix, "row", r), (prefix, "col", c))
    for c in cols:
        net.add((None, c), (prefix, "col", c), sink)
    net.add((None, None), sink, source)
    return net


def line_network(members: Sequence[K], total: K, prefix: Hashable = ()) -> Network[K]:
    """One line of figures and its total."""
    net: Network[K] = Network()
    for key in members:
        net.add(key, (prefix, "in"), (prefix, "sum"))
    net.add(total, (prefix, "sum"), (prefix, "in"))
    return net


def network_from_lines(lines: Sequence[Line[K]]) -> Network[K]:
    """The network of lines that add up, where each figure is in at most two of them (a line
    of its own, or a row and a column); a figure in one line only is tied to a common ground."""
    where: dict[K, list[tuple[int, int]]] = {}
    for i, (members, total) in enumerate(lines):
        for key in members:
            where.setdefault(key, []).append((i, 1))
        where.setdefault(total, []).append((i, -1))
    # Give each line a sign so that every figure flows out of one line and into the other.
    sign: dict[int, int] = {}
    links: dict[int, list[tuple[int, int]]] = {}
    for places in where.values():
        if len(places) > 2:
            raise ValueError("a figure in more than two lines: build the network by hand")
        if len(places) == 2:
            (a, ca), (b, cb) = places
            links.setdefault(a, []).append((b, -ca * cb))
            links.setdefault(b, []).append((a, -ca * cb))
    for start in range(len(lines)):
        if start in sign:
            continue
        sign[start], todo = 1, [start]
        while todo:
            a = todo.pop()
            for b, rel in links.get(a, []):
                want = sign[a] * rel
                if b not in sign:
                    sign[b] = want
                    todo.append(b)
                elif sign[b] != want:
                    raise ValueError("lines that cannot be one network")
    net: Network[K] = Network()
    ground = ("ground",)
    for key, places in where.items():
        signed: list[tuple[Node, int]] = [(("line", i), c * sign[i]) for i, c in places]
        if len(signed) == 1:
            signed.append((ground, -signed[0][1]))
        (first, into_first), (second, _) = signed
        # A figure flows out of the line where it counts negatively and into the other one.
        if into_first > 0:
            net.add(key, second, first)
        else:
            net.add(key, first, second)
    return net


def _cost(cell: Cell) -> float:
    return (float(cell.value or 0) + 1) * cell.weight


def _bounds(cell: Cell) -> tuple[float, float | None]:
    """What a reader could tell of the figure if it were hidden (as it is, or to protect another)."""
    return (cell.floor, None) if cell.shown else (cell.low, cell.high)


Move = tuple[Any, int]  # a figure's key and the way it goes: +1 up, -1 down
Arc = tuple[Node, Any, float, int, tuple[Move, ...]]  # to, figure, cost to hide it, way, moves it needs elsewhere
Lift = Callable[[K], "Sequence[Move] | None"]
Check = Callable[[list[Move], list[Move]], bool]


Arcs = dict[Node, list[Arc]]


def residual(cells: Mapping[K, Cell], net: Network[K], step: float = COUNT_STEP, hideable: bool = False,
             lift: Lift | None = None) -> Arcs:
    """The moves each figure allows, as arcs of the residual graph. A figure at its upper bound
    may still go up when `lift` gives moves elsewhere that make room (a month × category's
    matches, as many as its requests, go up when the requests there can)."""
    out: Arcs = {}
    for key, (tail, head) in net.edges.items():
        cell = cells[key]
        if cell.shown and not hideable:
            continue
        (low, high), cost = _bounds(cell), _cost(cell) if cell.shown else 0.0
        value = float(cell.value or 0)
        if high is None or value + step <= high:
            out.setdefault(tail, []).append((head, key, cost, 1, ()))
        elif lift is not None:
            needed = lift(key)
            if needed is not None:
                out.setdefault(tail, []).append((head, key, cost, 1, tuple(needed)))
        if value - step >= low:
            out.setdefault(head, []).append((tail, key, cost, -1, ()))
    return out


def _reach(arcs: Arcs, start: Node, goal: Node, skip: Any) -> tuple[float, list[Move], list[Move]] | None:
    """A path of moves over hidden figures only (all free): breadth first, fewest moves."""
    back: dict[Node, tuple[Node, Any, int, tuple[Move, ...]]] = {}
    seen, todo = {start}, deque([start])
    while todo:
        node = todo.popleft()
        if node == goal:
            return (0.0, *_walked(back, node, start))
        for to, key, _extra, way, elsewhere in arcs.get(node, []):
            if key != skip and to not in seen:
                seen.add(to)
                back[to] = (node, key, way, elsewhere)
                todo.append(to)
    return None


def _walked(back: dict, node: Node, start: Node) -> tuple[list[Move], list[Move]]:
    """The moves from `start` to `node` along the `back` links, and the moves they need elsewhere."""
    moves: list[Move] = []
    needed: list[Move] = []
    while node != start:
        node, key, way, elsewhere = back[node]
        moves.append((key, way))
        needed += elsewhere
    return moves, needed


def _path(arcs: Arcs, start: Node, goal: Node, skip: Any) -> tuple[float, list[Move], list[Move]] | None:
    """The cheapest path of moves from `start` to `goal` (Dijkstra) that leaves `skip` alone:
    its cost, its moves and the moves it needs elsewhere."""
    best: dict[Node, float] = {start: 0.0}
    back: dict[Node, tuple[Node, Any, int, tuple[Move, ...]]] = {}
    order = itertools.count()
    queue: list[tuple[float, int, Node]] = [(0.0, next(order), start)]
    while queue:
        cost, _, node = heapq.heappop(queue)
        if node == goal:
            return (cost, *_walked(back, node, start))
        if cost > best.get(node, float("inf")):
            continue
        for to, key, extra, way, elsewhere in arcs.get(node, []):
            if key != skip and cost + extra < best.get(to, float("inf")):
                best[to] = cost + extra
                back[to] = (node, key, way, elsewhere)
                heapq.heappush(queue, (cost + extra, next(order), to))
    return None


def room_for(cells: Mapping, moves: Iterable[Move], step: float = COUNT_STEP) -> bool:
    """Moves, added up per figure, that keep every figure within what its label allows (and
    leave the shown ones alone)."""
    total: Counter[Any] = Counter()
    for key, way in moves:
        total[key] += way
    for key, delta in total.items():
        if delta == 0:
            continue
        cell = cells[key]
        low, high = (cell.low, cell.high) if not cell.shown else (cell.value, cell.value)
        value = float(cell.value or 0) + delta * step
        if value < float(low or 0) - 1e-9 or (high is not None and value > high + 1e-9):
            return False
    return True


def _cycles(cells: Mapping[K, Cell], net: Network[K], key: K, step: float, hideable: bool,
            lift: Lift | None = None, check: Check | None = None, ways: tuple[int, ...] = (1, -1),
            arcs: Arcs | None = None) -> list[tuple[float, list[Move]]]:
    """Cycles through `key` that move it a step up or down: (cost, every move on it). `arcs`:
    the residual graph already built for these cells (see `residual`)."""
    cell, (tail, head) = cells[key], net.edges[key]
    if arcs is None:
        arcs = residual(cells, net, step, hideable, lift)
    search = _path if hideable else _reach
    value = float(cell.value or 0)
    low, high = _bounds(cell)
    found = []
    if 1 in ways and (high is None or value + step <= high):  # up: back from head to tail
        up = search(arcs, head, tail, key)
        if up is not None:
            found.append((up[0], up[1] + [(key, 1)], up[2]))
    if -1 in ways and value - step >= low:  # down: from tail to head
        down = search(arcs, tail, head, key)
        if down is not None:
            found.append((down[0], down[1] + [(key, -1)], down[2]))
    ok = check or (lambda _moves, needed: room_for(cells, needed, step))
    return [(cost, moves) for cost, moves, needed in found if ok(moves, needed)]


def rise(cells: Mapping[K, Cell], net: Network[K], key: K, step: float = COUNT_STEP,
         hideable: bool = False, arcs: Arcs | None = None) -> tuple[float, list[Move]] | None:
    """The cheapest cycle that takes `key` a step up (hiding shown figures on it if
    `hideable`): its cost and its moves, or None."""
    found = _cycles(cells, net, key, step, hideable, ways=(1,), arcs=arcs)
    return min(found, key=lambda option: option[0]) if found else None


def movable(cells: Mapping[K, Cell], net: Network[K], key: K, step: float = COUNT_STEP,
            lift: Lift | None = None, check: Check | None = None) -> bool:
    """Whether a hidden figure can take another value, given everything shown."""
    return bool(_cycles(cells, net, key, step, False, lift, check))


def hide_for_another(cell: Cell) -> None:
    cell.hidden, cell.low, cell.high = SECONDARY, cell.floor, None


def protect_network(cells: Mapping[K, Cell], net: Network[K], step: float = COUNT_STEP,
                    lift: Lift | None = None, check: Check | None = None) -> list[K]:
    """Complementary suppression: afterwards every hidden published figure of `net` can take
    another value; a figure hidden here is SECONDARY ("afgeschermd", at least its floor).
    `step` is the smallest difference that counts (1 for counts). Returns the figures that
    could not be protected at all: none, unless what the labels alone say pins one."""
    stuck = []
    built: dict[bool, Arcs] = {}  # the residual graphs, until a figure is hidden

    def arcs(hideable: bool) -> Arcs:
        if hideable not in built:
            built[hideable] = residual(cells, net, step, hideable, lift)
        return built[hideable]

    for key in list(net.edges):
        cell = cells[key]
        if cell.shown or cell.hidden == UNPUBLISHED or _cycles(cells, net, key, step, False, lift, check,
                                                                arcs=arcs(False)):
            continue
        options = _cycles(cells, net, key, step, True, lift, check, arcs=arcs(True))
        if not options:
            stuck.append(key)
            continue
        _, path = min(options, key=lambda option: option[0])
        for other, _way in path:
            if cells[other].shown:
                hide_for_another(cells[other])
                built.clear()
    return stuck


def protect(cells: Mapping[K, Cell], lines: Sequence[Line[K]], step: float = COUNT_STEP) -> None:
    """Complementary suppression over lines that add up (rows and columns of a table)."""
    protect_network(cells, network_from_lines(lines), step=step)


def is_safe(cells: Mapping[K, Cell], lines: Sequence[Line[K]], step: float = COUNT_STEP) -> bool:
    """No hidden figure of these lines has only one possible value."""
    net = network_from_lines(lines)
    return all(movable(cells, net, key, step) for key in net.edges
               if not cells[key].shown and cells[key].hidden != UNPUBLISHED)


def grid_lines(rows: Sequence[R], cols: Sequence[C]) -> list[Line[tuple[R | None, C | None]]]:
    """The lines of a two-way table whose keys are (row, col), (row, None), (None, col), (None, None)."""
    lines: list[Line[tuple[R | None, C | None]]] = [([(r, c) for c in cols], (r, None)) for r in rows]
    lines += [([(r, c) for r in rows], (None, c)) for c in cols]
    lines.append(([(r, None) for r in rows], (None, None)))
    lines.append(([(None, c) for c in cols], (None, None)))
    return lines


# --- counts of distinct people ------------------------------------------------------------------

def _distinct_feasible(parts: Sequence[tuple[float, float, float | None]], whole: tuple[float, float | None]) -> bool:
    """Is there a year's count y in `whole` and month counts in `parts` (low, high) with every
    month at most y and y at most their sum? Values are whole numbers."""
    low_y, high_y = whole
    top = sum((hi if hi is not None else 10**9) for _, lo, hi in parts)
    start = max([low_y] + [lo for _, lo, _hi in parts])
    stop = min(high_y if high_y is not None else top, top)
    y = start
    while y <= stop:
        if sum(min(hi, y) if hi is not None else y for _, _lo, hi in parts) >= y:
            return True
        y += 1
    return False


def _distinct_movable(cells: Mapping[K, Cell], parts: Sequence[K], whole: K, key: K) -> bool:
    def bounds(k: K, fixed: float | None = None) -> tuple[float, float, float | None]:
        cell = cells[k]
        if fixed is not None:
            return (fixed, fixed, fixed)
        if cell.shown:
            v = float(cell.value or 0)
            return (v, v, v)
        return (float(cell.value or 0), cell.low, cell.high)

    value = float(cells[key].value or 0)
    for other in (value - 1, value + 1):
        cell = cells[key]
        if other < cell.low or (cell.high is not None and other > cell.high):
            continue
        month_bounds = [bounds(p, other if p == key else None) for p in parts]
        _, lo, hi = bounds(whole, other if whole == key else None)
        if _distinct_feasible([(v, a, b) for v, a, b in month_bounds], (lo, hi)):
            return True
    return False


def protect_distinct(cells: Mapping[K, Cell], parts: Sequence[K], whole: K) -> None:
    """Counts of distinct people per month and in the year: hide the smallest shown months (then
    the year) until every hidden count can take another value."""
    for key in [*parts, whole]:
        while not cells[key].shown and not _distinct_movable(cells, parts, whole, key):
            shown = sorted((p for p in parts if cells[p].shown), key=lambda p: cells[p].value or 0)
            partner = shown[0] if shown else (whole if cells[whole].shown else None)
            if partner is None:
                break
            hide_for_another(cells[partner])


def protect_pairs(cells: Mapping[K, Cell], members: Sequence[K], total: K) -> None:
    """For figures that do not add up but could be estimated from the others and the total (an
    average beside the year's average): never exactly one hidden; the smallest shown goes too."""
    hidden = [k for k in [*members, total] if not cells[k].shown]
    if len(hidden) == 1:
        shown = sorted((k for k in members if cells[k].shown), key=lambda k: cells[k].value or 0)
        hide_for_another(cells[shown[0]] if shown else cells[total])
