"""The matching rules as pure functions over plain rows: who may help (eligibility) and how
well they fit (score, with its reasons in words). No database here; candidates.py fetches.

Eligibility is people.eligibility.ineligibility, applied to rows fetched in bulk; a helper's
row carries the same facts (and "afwezig" for the requested day).
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time

from coop.core import dutch
from coop.geo.distance import SPHERE_MARGIN
from coop.people.eligibility import (  # noqa: F401
    OPEN,
    PROFESSIONAL,
    PROFESSIONAL_RULE,
    VOLUNTEER,
    ineligibility,
    vog_valid,
)

PARTS = {"morning": (time(8), time(12), "ochtend"), "afternoon": (time(12), time(17), "middag"),
         "evening": (time(17), time(21), "avond")}
WHOLE_DAY = (time(8), time(21))
# Weights of the score (0–100): distance matters most, then time, load, continuity, preference.
W_DISTANCE, W_TIME, W_LOAD, W_CONTINUITY, W_PREFERENCE = 35, 25, 20, 15, 5
# Helpers this close to a request are listed with why they cannot take it, even when it lies
# outside their own radius ("1,4 km; gaat tot 1 km"); further away and outside it: not near.
NEAR_KM = 2.0
NOT_ON_MAP = "nog niet op de kaart"


@dataclass(frozen=True)
class CategoryInfo:
    id: int
    code: str
    name: str
    rule: str


@dataclass(frozen=True)
class When:
    """The requested time in local terms: a day (or none: flexible) and a from–to on it."""
    day: date | None
    start: time | None = None
    end: time | None = None
    part: str | None = None  # morning / afternoon / evening, for the words


@dataclass
class HelperRow:
    id: int
    first_name: str
    last_name: str
    lat: float | None
    lon: float | None
    kind: str  # volunteer | professional
    radius_km: float
    active: bool = True
    has_volunteer_role: bool = True
    max_hours_month: int | None = None
    vog_date: date | None = None
    contract_signed_on: date | None = None
    paused: bool = False
    approved: bool = True
    offers: bool = False
    competence: bool = False
    backstop: bool = False
    absent: bool = False
    hours_month: float = 0.0
    helped_before: bool = False
    open_proposal: str | None = None
    preferences: str = ""

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass
class Candidate:
    helper: HelperRow
    distance_km: float | None  # None: not on the map
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    ineligible: list[str] = field(default_factory=list)
    # distance_km is the cheap spherical one (within SPHERE_MARGIN of the geodesic): the
    # exact one is asked only for a candidate that is shown
    approximate: bool = False

    @property
    def eligible(self) -> bool:
        return not self.ineligible


def time_fit(slots: list[tuple[int, time, time]], when: When) -> tuple[float, str]:
    """(0..1, words) for how the helper's weekly slots meet the requested time."""
    if not slots:
        return 0.4, "beschikbaarheid niet ingevuld"
    if when.day is None:
        days = sorted({s[0] for s in slots})
        return 0.6, "flexibel; meestal beschikbaar op " + ", ".join(dutch.weekday(d, "abbreviated") for d in days)
    weekday = when.day.weekday()
    start, end = (when.start, when.end) if when.start and when.end else WHOLE_DAY
    for slot_day, slot_start, slot_end in slots:
        if slot_day == weekday and slot_start < end and slot_end > start:
            label = PARTS[when.part][2] if when.part in PARTS else \
                f" {dutch.time_span(max(start, slot_start), min(end, slot_end))}"
            joiner = "-" if when.part in PARTS else ""
            return 1.0, f"kan {dutch.weekday(weekday, 'abbreviated')}{joiner}{label}"
    return 0.0, f"meestal niet beschikbaar op {dutch.weekday(weekday, 'abbreviated')}"


def _points(row: HelperRow, km: float, fit: float, category: CategoryInfo) -> float:
    """The score before rounding, summed in one fixed order: it grows as km shrinks, so the
    score at a lower and an upper bound of the distance bounds the score at the distance."""
    total = W_DISTANCE * max(0.0, 1 - km / max(row.radius_km, 0.1))
    total += W_TIME * fit
    if row.max_hours_month:
        total += W_LOAD * max(0.0, 1 - row.hours_month / row.max_hours_month)
    else:
        total += W_LOAD / 2
    if row.helped_before:
        total += W_CONTINUITY
    if _prefers(row, category):
        total += W_PREFERENCE
    return total


def _prefers(row: HelperRow, category: CategoryInfo) -> bool:
    prefs = (row.preferences or "").lower()
    return bool(prefs) and (category.code.lower() in prefs or category.name.lower() in prefs)


def score(candidate: Candidate, slots, when: When, category: CategoryInfo, resident_first_name: str,
          month: str = "deze maand") -> Candidate:
    """Fill in the score and its reasons: distance, time, load, continuity, preference."""
    row = candidate.helper
    km = candidate.distance_km
    assert km is not None  # only possible helpers are scored, and they are on the map
    reasons = [dutch.km(km)]
    fit, words = time_fit(slots, when)
    reasons.append(words)
    if row.max_hours_month:
        ratio = row.hours_month / row.max_hours_month
        reasons.append("zit aan het maximum van " + dutch.hours(row.max_hours_month)
                       if ratio >= 1 else
                       f"{dutch.number(row.hours_month)} van {row.max_hours_month} uur {month}")
    if row.helped_before:
        reasons.append(f"hielp {resident_first_name} eerder")
    if _prefers(row, category):
        reasons.append(f"wil graag helpen met {category.name.lower()}")
    candidate.score = round(_points(row, km, fit, category), 1)
    candidate.reasons = reasons
    return candidate


def place_reasons(row: HelperRow, km: float | None) -> list[str]:
    """Why the helper's place rules them out: no pin yet, or the request lies beyond their radius."""
    if row.lat is None or row.lon is None or km is None:
        return [NOT_ON_MAP]
    if km > row.radius_km:
        return [f"{dutch.km(km)}; gaat tot {dutch.km(row.radius_km, places=None)}"]
    return []


def hours_reasons(row: HelperRow, month: str = "deze maand") -> list[str]:
    """A volunteer who reached their own maximum of hours gets no more (protect from overload)."""
    if row.max_hours_month and row.hours_month >= row.max_hours_month:
        return [f"zit {month} aan het maximum van {dutch.hours(row.max_hours_month)}"]
    return []


def not_possible(row: HelperRow, km: float | None, category: CategoryInfo, on: date, vog_years: int,
                 month: str = "deze maand") -> list[str]:
    """Every reason this helper cannot take the task now (empty: they can): place, the
    eligibility rule (people/eligibility.py), and the month's hours."""
    return place_reasons(row, km) + ineligibility(row, category, on, vog_years) + hours_reasons(row, month)


def _ambiguous(approx: float, bound: float) -> bool:
    """The spherical distance cannot tell on which side of `bound` the geodesic one lies."""
    return bound / SPHERE_MARGIN < approx <= bound * SPHERE_MARGIN


def sort_out(rows: list[HelperRow], approx: dict[int, float], exact: Callable[[HelperRow], float],
             category: CategoryInfo, on: date, vog_years: int, near_km: float = NEAR_KM,
             month: str = "deze maand") -> tuple[list[Candidate], list[Candidate]]:
    """(possible, not possible) among the rows near the request; the rest are not near.

    `approx` holds a cheap distance (within SPHERE_MARGIN of the geodesic) for each row on the
    map that may be near; `exact(row)` is asked only where the answer depends on it: a row on
    the edge of its radius or of near_km. Every other candidate keeps the cheap distance and
    says so (`approximate`): rank_sorted measures the ones that can make the list.
    """
    possible: list[Candidate] = []
    impossible: list[Candidate] = []
    for row in rows:
        if row.lat is None or row.lon is None:
            impossible.append(Candidate(row, None, ineligible=not_possible(row, None, category, on, vog_years, month)))
            continue
        km = approx.get(row.id)
        if km is None:
            continue
        other = ineligibility(row, category, on, vog_years) + hours_reasons(row, month)
        measured = _ambiguous(km, row.radius_km) or _ambiguous(km, near_km)
        if measured:
            km = exact(row)
        if km > row.radius_km and km > near_km:
            continue  # neither within their own radius nor near: not one of the people near
        reasons = place_reasons(row, km) + other
        (impossible if reasons else possible).append(Candidate(row, km, ineligible=reasons,
                                                               approximate=not measured))
    return possible, impossible


def _offers_nothing_here(candidate: Candidate, category: CategoryInfo) -> bool:
    """The helper does not offer this kind of help at all: listed last."""
    row = candidate.helper
    if row.kind == VOLUNTEER:
        return category.rule == OPEN and not row.offers
    return category.rule == PROFESSIONAL_RULE and not row.offers


def order_not_possible(impossible: list[Candidate], category: CategoryInfo) -> list[Candidate]:
    """Nearly possible first: fewest reasons, then nearest; who does not offer this help last."""
    return sorted(impossible, key=lambda c: (
        _offers_nothing_here(c, category), len(c.ineligible),
        c.distance_km if c.distance_km is not None else math.inf, c.helper.id))


def reason_counts(candidates: list[Candidate]) -> list[tuple[str, int]]:
    """How often each reason occurs (distance reasons counted as one), most frequent first."""
    counts = Counter("buiten de eigen straal" if r.endswith(" km") and "; gaat tot " in r else r
                     for c in candidates for r in c.ineligible)
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))


def _can_make_the_list(possible: list[Candidate], slots: dict[int, list], when: When, category: CategoryInfo,
                       limit: int) -> list[Candidate]:
    """The candidates whose score at the exact distance may reach the first `limit`.

    The geodesic lies within SPHERE_MARGIN of a cheap distance, so each score lies between its
    value at the far and at the near bound. Whoever scores, even at their best, below the
    `limit`-th best of the scores at worst is beaten by `limit` others whatever the geodesic
    says, ties and their tie-break included: they are left out unmeasured.
    """
    if len(possible) <= limit:
        return possible
    bounds = []
    for c in possible:
        km = c.distance_km
        assert km is not None
        fit = time_fit(slots.get(c.helper.id, []), when)[0]
        if c.approximate:
            worst = round(_points(c.helper, km * SPHERE_MARGIN, fit, category), 1)
            best = round(_points(c.helper, km / SPHERE_MARGIN, fit, category), 1)
        else:
            worst = best = round(_points(c.helper, km, fit, category), 1)
        bounds.append((c, worst, best))
    bar = sorted((worst for _, worst, _ in bounds), reverse=True)[limit - 1]
    return [c for c, _, best in bounds if best >= bar]


def rank_sorted(possible: list[Candidate], slots: dict[int, list], when: When, category: CategoryInfo,
                resident_first_name: str, limit: int = 25, month: str = "deze maand",
                exact: Callable[[HelperRow], float] | None = None) -> list[Candidate]:
    """The possible helpers scored, best first. Candidates with an `approximate` distance
    get the exact one from `exact(row)`, asked only of those that can make the list."""
    if exact is not None:
        possible = _can_make_the_list(possible, slots, when, category, limit)
        for c in possible:
            if c.approximate:
                c.distance_km, c.approximate = exact(c.helper), False
    good = [score(c, slots.get(c.helper.id, []), when, category, resident_first_name, month) for c in possible]
    good.sort(key=lambda c: (-c.score, c.distance_km, c.helper.id))
    return good[:limit]


def rank(rows: list[HelperRow], distances: dict[int, float], slots: dict[int, list], when: When,
         category: CategoryInfo, resident_first_name: str, on: date, vog_years: int,
         limit: int = 25, near_km: float = NEAR_KM) -> tuple[list[Candidate], list[Candidate]]:
    """(possible helpers best first, the others near with their reasons, nearly possible first),
    from exact distances."""
    possible, impossible = sort_out(rows, distances, lambda row: distances[row.id], category, on, vog_years,
                                    near_km)
    return (rank_sorted(possible, slots, when, category, resident_first_name, limit,
                        exact=lambda row: distances[row.id]),
            order_not_possible(impossible, category)[:limit])
