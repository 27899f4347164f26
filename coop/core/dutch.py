"""Dutch wording of dates, times, durations, money and numbers: the one place for it.

Everything goes through Babel's CLDR data for nl_NL. Datetimes are stored in UTC (a naive one
is taken as UTC, as SQLite hands them back) and shown in Europe/Amsterdam wall-clock time.
Templates get these functions as filters (`register_filters`, once at start-up); services,
mails, CSV exports and charts call them directly, so no request context is needed.

Babel parses a pattern on every call; the report page formats a thousand numbers, so the
compiled patterns are cached here (`_number_pattern`, `_date_pattern`), and so are the texts
of whole counts and of measures such as "0,8 km" (`_count`, `_unit_text`).

CSV: a Dutch spreadsheet reads "12,50" as a number in a ';'-separated file. The exports keep
what they did: the treasurer's statement writes fixed places without a thousands separator
(`csv_decimal`, "1234,50"); the report export writes the table's own text ("1.234", "92 %",
"< 5"), which Dutch Excel and LibreOffice read as numbers too.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache
from typing import Any, Literal

from babel import Locale
from babel.dates import DateTimePattern, get_day_names, get_month_names
from babel.dates import parse_pattern as parse_date_pattern
from babel.lists import format_list
from babel.numbers import NumberPattern, format_currency, parse_pattern
from babel.units import format_unit

from coop.core.clock import LOCAL, now

LOCALE = Locale.parse("nl_NL")
TIMEZONE = LOCAL

DATE = "d MMMM yyyy"                      # 17 maart 2026
WEEKDAY_DATE = "EEEE d MMMM yyyy"         # dinsdag 17 maart 2026
SHORT_DATE = "dd-MM-yyyy"                 # 17-03-2026, as typed in the forms
TIME = "HH:mm"                            # 14:00
DATETIME = "d MMMM yyyy 'om' HH:mm"       # 17 maart 2026 om 14:00
PERCENT_SIGN = " %"                       # 92 %: the reports have always put a space before it

Number = int | float | Decimal


@lru_cache(maxsize=64)
def _number_pattern(pattern: str) -> NumberPattern:
    return parse_pattern(pattern)


@lru_cache(maxsize=64)
def _date_pattern(pattern: str) -> DateTimePattern:
    return parse_date_pattern(pattern)


@lru_cache(maxsize=16)
def _places(places: int | None, max_places: int = 2) -> str:
    """The Babel pattern for a number: `places` decimals exactly, or up to `max_places` when None."""
    if places is None:
        return "#,##0" + ("." + "#" * max_places if max_places else "")
    return "#,##0" + ("." + "0" * places if places else "")


# --- dates and times -------------------------------------------------------------------------

def local(value: dt.datetime) -> dt.datetime:
    """The moment in Amsterdam time (a naive datetime counts as UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(TIMEZONE)


def _localised(value: Any) -> Any:
    return local(value) if isinstance(value, dt.datetime) else value


def date(value: dt.date | dt.datetime | None, pattern: str = DATE) -> str:
    """'17 maart 2026'; a datetime gives its Amsterdam date. `pattern` is a CLDR date pattern."""
    if value is None:
        return ""
    return _date_pattern(pattern).apply(_localised(value), LOCALE)


def weekday_date(value: dt.date | dt.datetime | None) -> str:
    """'dinsdag 17 maart 2026'."""
    return date(value, WEEKDAY_DATE)


def short_date(value: dt.date | dt.datetime | None) -> str:
    """'17-03-2026', the way the forms ask for a date."""
    return date(value, SHORT_DATE)


def time(value: dt.time | dt.datetime | None) -> str:
    """'14:00'; a datetime in Amsterdam time, a time of day as it is."""
    if value is None:
        return ""
    return _date_pattern(TIME).apply(_localised(value), LOCALE)


def time_span(start: dt.time | dt.datetime, end: dt.time | dt.datetime) -> str:
    """'14:00–17:00'."""
    return f"{time(start)}–{time(end)}"


def datetime(value: dt.datetime | None, pattern: str = DATETIME) -> str:
    """'17 maart 2026 om 14:00' in Amsterdam time."""
    if value is None:
        return ""
    return _date_pattern(pattern).apply(local(value), LOCALE)


def span(starts_at: dt.datetime, ends_at: dt.datetime, pattern: str = WEEKDAY_DATE) -> str:
    """'dinsdag 17 maart 2026 14:00–17:00': the day of the start and both times, in Amsterdam."""
    return f"{date(starts_at, pattern)} {time_span(starts_at, ends_at)}"


DayWidth = Literal["abbreviated", "narrow", "short", "wide"]
MonthWidth = Literal["abbreviated", "narrow", "wide"]
UnitLength = Literal["short", "long", "narrow"]


def weekday(value: int | dt.date, width: DayWidth = "wide") -> str:
    """'dinsdag' (width 'abbreviated': 'di') for a date or a weekday number (0 is Monday)."""
    index = value.weekday() if isinstance(value, dt.date) else int(value)
    return get_day_names(width, locale=LOCALE)[index]


def weekday_names(width: DayWidth = "wide") -> list[str]:
    """Monday to Sunday: ['maandag', …, 'zondag']."""
    return [weekday(i, width) for i in range(7)]


def month_name(month: int, width: MonthWidth = "wide") -> str:
    """'maart' (width 'abbreviated': 'mrt') for a month number (1 is January)."""
    return get_month_names(width, locale=LOCALE)[month]


# --- durations -------------------------------------------------------------------------------

_UNITS = (("month", 30 * 86400), ("day", 86400), ("hour", 3600), ("minute", 60))


def _measure(amount: Number, unit: str, length: UnitLength = "long", places: int | None = 0,
             max_places: int = 2) -> str:
    """'3 dagen', '0,8 km': a number with its CLDR unit. The amount is rounded first, as Babel
    rounds it (half to even): the plural then agrees with the number shown, and the distances
    of a ranking (forty or so per request) mostly hit the cache."""
    decimals = max_places if places is None else places
    rounded = Decimal(str(amount)).quantize(Decimal(1).scaleb(-decimals))
    return _unit_text(rounded, unit, length, _places(places, max_places))


@lru_cache(maxsize=4096)
def _unit_text(amount: Decimal, unit: str, length: UnitLength, pattern: str) -> str:
    return format_unit(amount, unit, length=length, format=pattern, locale=LOCALE)


def duration(delta: dt.timedelta, parts: int = 2) -> str:
    """How long, in words: '3 dagen', '2 uur', '1 uur en 30 minuten'.

    The largest unit is chosen the way people say it: minutes below an hour, hours below two
    days, days below sixty, then months; `parts` more units may follow ('3 dagen en 5 uur').
    Rounded down; a negative span counts as none.
    """
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 3600:
        first = 3
    elif seconds < 2 * 86400:
        first = 2
    elif seconds < 60 * 86400:
        first = 1
    else:
        first = 0
    words: list[str] = []
    for unit, size in _UNITS[first:first + parts]:
        amount, seconds = divmod(seconds, size)
        if amount or not words:  # the first unit always shows, even '0 minuten'
            words.append(_measure(amount, f"duration-{unit}"))
    return format_list(words, locale=LOCALE)


def waited(since: dt.datetime | None, at: dt.datetime | None = None) -> str:
    """The waiting clock on a request: '5 minuten', '3 uur', '3 dagen', '2 maanden'."""
    if since is None:
        return ""
    return duration((at or now()) - (since if since.tzinfo else since.replace(tzinfo=dt.UTC)), parts=1)


# --- numbers ---------------------------------------------------------------------------------

def number(value: Number | None, places: int | None = None, max_places: int = 2) -> str:
    """'1.234,5': `places` decimals exactly, or up to `max_places` when None ('2,5', '3')."""
    if value is None:
        return ""
    return _number_pattern(_places(places, max_places)).apply(value, LOCALE)


def count(value: Number) -> str:
    """A whole number: '1.234' (rounded half to even)."""
    if isinstance(value, int):
        return _count(value)
    return _number_pattern("#,##0").apply(value, LOCALE)


@lru_cache(maxsize=4096)
def _count(value: int) -> str:
    # A report repeats the same small counts hundreds of times.
    return _number_pattern("#,##0").apply(value, LOCALE)


def percent(ratio: Number, places: int = 0) -> str:
    """0.92 → '92 %'."""
    return _number_pattern(_places(places) + PERCENT_SIGN).apply(ratio, LOCALE)


def money(amount: Number | None) -> str:
    """'€ 1.234,50' (with a non-breaking space after the euro sign)."""
    if amount is None:
        return ""
    return format_currency(amount, "EUR", locale=LOCALE)


def hours(amount: Number, places: int | None = None) -> str:
    """'2,5 uur', '1 uur'."""
    return _measure(amount, "duration-hour", places=places)


def km(distance: Number, places: int | None = 1) -> str:
    """'0,8 km'; places=None drops a zero fraction ('3 km', '2,5 km')."""
    return _measure(distance, "length-kilometer", "short", places=places)


def csv_decimal(value: Number, places: int = 2) -> str:
    """A number for a ';'-separated CSV that a Dutch spreadsheet reads: '1234,50'."""
    return _number_pattern("0" + ("." + "0" * places if places else "")).apply(value, LOCALE)


# --- templates -------------------------------------------------------------------------------

def register_filters(env: Any) -> None:
    """The formatters as Jinja filters of the same name (pages and mails share the env).
    `count` is left out: Jinja's own `count` is the length of a list; use `number(0)`."""
    env.filters.update(
        date=date, weekday_date=weekday_date, short_date=short_date, time=time, time_span=time_span,
        datetime=datetime, span=span, weekday=weekday, month_name=month_name, duration=duration,
        waited=waited, number=number, percent=percent, money=money, hours=hours, km=km,
    )
