"""The matching rules as pure functions over plain rows: who may help (eligibility) and how
well they fit (score, with its reasons in words). No database here; candidates.py fetches.

Eligibility is people.eligibility.ineligibility, applied to rows fetched in bulk; a helper's
row carries the same facts (and "afwezig" for the requested day).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

from coop.core import dutch
from coop.people.eligibility import PROFESSIONAL, VOLUNTEER, ineligibility, vog_valid  # noqa: F401

PARTS = {"morning": (time(8), time(12), "ochtend"), "afternoon": (time(12), time(17), "middag"),
         "evening": (time(17), time(21), "avond")}
WHOLE_DAY = (time(8), time(21))
# Weights of the score (0–100): distance matters most, then time, load, continuity, preference.
W_DISTANCE, W_TIME, W_LOAD, W_CONTINUITY, W_PREFERENCE = 35, 25, 20, 15, 5


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
    agreement_on: date | None = None
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
    distance_km: float
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    ineligible: list[str] = field(default_factory=list)

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


def score(candidate: Candidate, slots, when: When, category: CategoryInfo, resident_first_name: str) -> Candidate:
    """Fill in the score and its reasons: distance, time, load, continuity, preference."""
    row = candidate.helper
    reasons = [dutch.km(candidate.distance_km)]
    total = W_DISTANCE * max(0.0, 1 - candidate.distance_km / max(row.radius_km, 0.1))
    fit, words = time_fit(slots, when)
    total += W_TIME * fit
    reasons.append(words)
    if row.max_hours_month:
        ratio = row.hours_month / row.max_hours_month
        total += W_LOAD * max(0.0, 1 - ratio)
        reasons.append("zit aan het maximum van " + dutch.hours(row.max_hours_month)
                       if ratio >= 1 else
                       f"{dutch.number(row.hours_month)} van {row.max_hours_month} uur deze maand")
    else:
        total += W_LOAD / 2
    if row.helped_before:
        total += W_CONTINUITY
        reasons.append(f"hielp {resident_first_name} eerder")
    prefs = (row.preferences or "").lower()
    if prefs and (category.code.lower() in prefs or category.name.lower() in prefs):
        total += W_PREFERENCE
        reasons.append(f"wil graag helpen met {category.name.lower()}")
    candidate.score = round(total, 1)
    candidate.reasons = reasons
    return candidate


def rank(rows: list[HelperRow], distances: dict[int, float], slots: dict[int, list], when: When,
         category: CategoryInfo, resident_first_name: str, on: date, vog_years: int,
         limit: int = 25) -> tuple[list[Candidate], list[Candidate]]:
    """(eligible candidates best first, ineligible ones nearest first), within each helper's radius."""
    good, bad = [], []
    for row in rows:
        km = distances.get(row.id)
        if km is None or km > row.radius_km:
            continue
        candidate = Candidate(row, km, ineligible=ineligibility(row, category, on, vog_years))
        if candidate.eligible:
            good.append(score(candidate, slots.get(row.id, []), when, category, resident_first_name))
        else:
            bad.append(candidate)
    good.sort(key=lambda c: (-c.score, c.distance_km, c.helper.id))
    bad.sort(key=lambda c: (c.distance_km, c.helper.id))
    return good[:limit], bad[:limit]
