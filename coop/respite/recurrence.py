"""Expanding a respite series into occurrences.

Shifts are local Europe/Amsterdam times: "every Tuesday 14:00–17:00" stays 14:00 on both sides
of a daylight-saving change. So the rule is expanded in naive local wall-clock time and each
occurrence is converted to UTC on its own; a naive start means UNTIL is a naive local time too.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from dateutil.rrule import WEEKLY, rrule

from coop.core.clock import LOCAL

MAX_OCCURRENCES = 60
MAX_SPAN = relativedelta(years=1)
INTERVALS = {"weekly": 1, "fortnightly": 2}


@dataclass(frozen=True)
class Occurrence:
    on: date  # the local date
    starts_at: datetime  # aware UTC
    ends_at: datetime


@dataclass(frozen=True)
class Expansion:
    occurrences: list[Occurrence]
    until: date  # the last date the series may reach, after capping
    capped: bool  # True when the wish was cut to MAX_OCCURRENCES or MAX_SPAN
    skipped: list[date]  # dates whose wall-clock time does not exist (spring forward)


def to_utc(on: date, at: time) -> datetime | None:
    """Local date and wall-clock time as aware UTC; None when that time does not exist locally."""
    local = datetime.combine(on, at, tzinfo=LOCAL)
    utc = local.astimezone(UTC)
    if utc.astimezone(LOCAL).replace(tzinfo=None) != local.replace(tzinfo=None):
        return None  # e.g. 02:30 on the last Sunday of March
    return utc


def occurrence(on: date, start: time, end: time) -> Occurrence | None:
    starts_at, ends_at = to_utc(on, start), to_utc(on, end)
    if starts_at is None or ends_at is None:
        return None
    return Occurrence(on, starts_at, ends_at)


def expand(first: date, start: time, end: time, freq: str | None, until: date | None,
           exceptions: frozenset[date] | set[date] = frozenset()) -> Expansion:
    """Every occurrence of a one-off (freq None) or a weekly/fortnightly series.

    A series with no end, or one reaching past a year or MAX_OCCURRENCES, is cut there and
    marked `capped` so the form can say so.
    """
    if freq is None:
        occ = occurrence(first, start, end)
        return Expansion([occ] if occ else [], first, False, [] if occ else [first])
    limit = first + MAX_SPAN - timedelta(days=1)
    capped = until is None or until > limit
    last = limit if until is None or capped else until
    rule = rrule(WEEKLY, interval=INTERVALS[freq], dtstart=datetime.combine(first, start),
                 until=datetime.combine(last, start), count=None)
    dates = [d.date() for d in rule]
    if len(dates) > MAX_OCCURRENCES:
        dates, capped = dates[:MAX_OCCURRENCES], True
        last = dates[-1]
    occurrences, skipped = [], []
    for on in dates:
        if on in exceptions:
            continue
        occ = occurrence(on, start, end)
        if occ is None:
            skipped.append(on)
        else:
            occurrences.append(occ)
    return Expansion(occurrences, last, capped, skipped)
