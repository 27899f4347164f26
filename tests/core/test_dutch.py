"""Dutch formatting: real Babel output for dates, times, durations, money and numbers."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from jinja2 import Environment

from coop.core import dutch

NBSP = "\u00a0"


def test_money_is_euro_sign_space_dutch_separators():
    assert dutch.money(Decimal("1234.5")) == f"€{NBSP}1.234,50"
    assert dutch.money(12.5) == f"€{NBSP}12,50"
    assert dutch.money(0) == f"€{NBSP}0,00"
    assert dutch.money(Decimal("-4.6")) == f"€{NBSP}-4,60"
    assert dutch.money(None) == ""


@pytest.mark.parametrize("value, places, text", [
    (2.5, None, "2,5"), (3, None, "3"), (1234.567, None, "1.234,57"), (Decimal("7"), 1, "7,0"),
    (1234567, 0, "1.234.567"), (0.05, 1, "0,0"), (0.15, 1, "0,2"), (None, None, ""),
])
def test_numbers_use_comma_and_dot(value, places, text):
    assert dutch.number(value, places) == text


def test_numbers_up_to_a_number_of_places():
    assert dutch.number(12.04, max_places=1) == "12" and dutch.number(12.25, max_places=1) == "12,2"
    assert dutch.number(1234.5, max_places=0) == "1.234"


def test_counts_round_half_to_even_like_round():
    assert [dutch.count(v) for v in (1234.4, 1234.5, 1235.5, 0)] == ["1.234", "1.234", "1.236", "0"]


def test_percent_hours_and_distances():
    assert dutch.percent(11 / 12) == "92 %"
    assert dutch.percent(0.125, 1) == "12,5 %"
    assert dutch.percent(1) == "100 %"
    assert dutch.hours(2.5) == "2,5 uur" and dutch.hours(1) == "1 uur" and dutch.hours(Decimal("12.0")) == "12 uur"
    assert dutch.km(0.8) == "0,8 km" and dutch.km(3) == "3,0 km" and dutch.km(0.06) == "0,1 km"
    assert dutch.km(2.5, None) == "2,5 km" and dutch.km(3.0, None) == "3 km"


def test_csv_decimal_is_what_a_dutch_spreadsheet_reads():
    assert dutch.csv_decimal(Decimal("1234.5")) == "1234,50"  # no thousands dot in a CSV cell
    assert dutch.csv_decimal(2.5) == "2,50" and dutch.csv_decimal(Decimal("4.6"), 1) == "4,6"
    assert dutch.csv_decimal(7, 0) == "7"


@pytest.mark.parametrize("delta, parts, text", [
    (timedelta(days=3), 2, "3 dagen"),
    (timedelta(hours=2), 2, "2 uur"),
    (timedelta(minutes=90), 2, "1 uur en 30 minuten"),
    (timedelta(minutes=1), 2, "1 minuut"),
    (timedelta(seconds=20), 2, "0 minuten"),
    (timedelta(hours=47, minutes=59), 1, "47 uur"),
    (timedelta(days=3, hours=5), 2, "3 dagen en 5 uur"),
    (timedelta(days=3, hours=5), 1, "3 dagen"),
    (timedelta(days=1), 2, "24 uur"),
    (timedelta(days=75), 1, "2 maanden"),
    (timedelta(days=75), 2, "2 maanden en 15 dagen"),
    (timedelta(hours=1, minutes=1), 3, "1 uur en 1 minuut"),
    (timedelta(days=2, minutes=5), 3, "2 dagen en 5 minuten"),
    (timedelta(minutes=-5), 2, "0 minuten"),
])
def test_durations_in_words(delta, parts, text):
    assert dutch.duration(delta, parts) == text


def test_waiting_clock():
    at = datetime(2026, 3, 20, 12, tzinfo=UTC)
    assert dutch.waited(at - timedelta(days=3, hours=4), at) == "3 dagen"
    assert dutch.waited(at - timedelta(hours=5, minutes=59), at) == "5 uur"
    assert dutch.waited(at - timedelta(minutes=1), at) == "1 minuut"
    assert dutch.waited((at - timedelta(days=20)).replace(tzinfo=None), at) == "20 dagen"  # naive: UTC
    assert dutch.waited(None) == ""


def test_datetimes_show_amsterdam_time_across_daylight_saving():
    # Summer time starts on 29 March 2026 at 01:00 UTC (02:00 becomes 03:00 in Amsterdam).
    assert dutch.datetime(datetime(2026, 3, 29, 0, 30, tzinfo=UTC)) == "29 maart 2026 om 01:30"
    assert dutch.datetime(datetime(2026, 3, 29, 1, 30, tzinfo=UTC)) == "29 maart 2026 om 03:30"
    # …and ends on 25 October 2026 at 01:00 UTC (03:00 becomes 02:00).
    assert dutch.time(datetime(2026, 10, 25, 0, 30, tzinfo=UTC)) == "02:30"
    assert dutch.time(datetime(2026, 10, 25, 1, 30, tzinfo=UTC)) == "02:30"
    assert dutch.time(datetime(2026, 1, 15, 12, 0)) == "13:00"  # naive, as SQLite gives it: UTC
    # Late in the evening in UTC is already the next day in Amsterdam.
    assert dutch.date(datetime(2026, 3, 31, 22, 30, tzinfo=UTC)) == "1 april 2026"
    assert dutch.weekday_date(datetime(2026, 3, 31, 22, 30, tzinfo=UTC)) == "woensdag 1 april 2026"


def test_dates_times_and_names():
    assert dutch.date(date(2026, 3, 17)) == "17 maart 2026"
    assert dutch.date(date(2026, 3, 17), "EEEE d MMMM") == "dinsdag 17 maart"
    assert dutch.date(date(2026, 11, 1), "MMMM yyyy") == "november 2026"
    assert dutch.short_date(date(2027, 3, 6)) == "06-03-2027"
    assert dutch.time(time(9, 5)) == "09:05" and dutch.time(None) == "" and dutch.date(None) == ""
    assert dutch.time_span(time(14), time(17)) == "14:00–17:00"
    start = datetime(2026, 3, 17, 13, tzinfo=UTC)
    assert dutch.span(start, start + timedelta(hours=3)) == "dinsdag 17 maart 2026 14:00–17:00"
    assert dutch.weekday(1) == "dinsdag" and dutch.weekday(date(2026, 3, 21), "abbreviated") == "za"
    assert dutch.weekday_names()[0] == "maandag" and dutch.weekday_names()[6] == "zondag"
    assert dutch.month_name(3) == "maart" and dutch.month_name(3, "abbreviated") == "mrt"


def test_registered_filters_give_the_same_text():
    env = Environment(autoescape=True)
    dutch.register_filters(env)
    out = env.from_string(
        "{{ a|money }}|{{ b|number(1) }}|{{ c|date }}|{{ d|time }}|{{ 2|weekday }}|{{ 0.8|km }}|{{ 0.5|percent }}"
    ).render(a=Decimal("1234.5"), b=7, c=datetime(2026, 3, 31, 22, 30, tzinfo=UTC), d=time(8))
    assert out == f"€{NBSP}1.234,50|7,0|1 april 2026|08:00|woensdag|0,8 km|50 %"
    assert env.from_string("{{ [1, 2]|count }}").render() == "2"  # Jinja's own count stays
