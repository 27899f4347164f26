"""Small-count suppression, primary and complementary.

A table is a set of cells plus the lines that add up (members → their total). Primary:
a count below the threshold is hidden. Complementary: in every line, a hidden figure must
never be the only hidden one, or it could be worked back out of the total; then the smallest
shown member (else the total) is hidden too, until every line is safe.
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

PRIMARY, SECONDARY = "primary", "secondary"


@dataclass
class Cell:
    value: float | int | None
    hidden: str | None = None  # None, PRIMARY or SECONDARY

    @property
    def shown(self) -> bool:
        return self.hidden is None


K = TypeVar("K", bound=Hashable)  # a table's cell keys: (row, col) pairs, or labels of one line
R = TypeVar("R", bound=Hashable)
C = TypeVar("C", bound=Hashable)
Line = tuple[Sequence[K], K]  # members, total


def hide_small(cells: dict[K, Cell], threshold: int, keys: Iterable[K] | None = None) -> None:
    """Primary suppression of counts: every count below the threshold (zero included)."""
    for key in (cells if keys is None else keys):
        cell = cells[key]
        if cell.value is not None and cell.value < threshold:
            cell.hidden = PRIMARY


def protect(cells: dict[K, Cell], lines: Sequence[Line[K]]) -> None:
    """Complementary suppression: afterwards no line has exactly one hidden figure."""
    changed = True
    while changed:
        changed = False
        for members, total in lines:
            items = list(members) + [total]
            hidden = [k for k in items if not cells[k].shown]
            if len(hidden) != 1:
                continue
            candidates = sorted((k for k in members if cells[k].shown),
                                key=lambda k: (cells[k].value or 0))
            partner = candidates[0] if candidates else total
            if cells[partner].shown:
                cells[partner].hidden = SECONDARY
                changed = True


def is_safe(cells: dict[K, Cell], lines: Sequence[Line[K]]) -> bool:
    return all(sum(1 for k in list(m) + [t] if not cells[k].shown) != 1 for m, t in lines)


def grid_lines(rows: Sequence[R], cols: Sequence[C]) -> list[Line[tuple[R | None, C | None]]]:
    """The lines of a two-way table whose keys are (row, col), (row, None), (None, col), (None, None)."""
    lines: list[Line[tuple[R | None, C | None]]] = [([(r, c) for c in cols], (r, None)) for r in rows]
    lines += [([(r, c) for r in rows], (None, c)) for c in cols]
    lines.append(([(r, None) for r in rows], (None, None)))
    lines.append(([(None, c) for c in cols], (None, None)))
    return lines
