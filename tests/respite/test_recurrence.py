from datetime import UTC, date, datetime, time

from coop.core.clock import LOCAL
from coop.respite import recurrence


def test_weekly_keeps_local_wall_clock_across_spring_forward():
    exp = recurrence.expand(date(2026, 3, 17), time(14, 0), time(17, 0), "weekly", date(2026, 4, 7))
    assert [o.on for o in exp.occurrences] == [date(2026, 3, 17), date(2026, 3, 24), date(2026, 3, 31),
                                               date(2026, 4, 7)]
    assert all(o.starts_at.astimezone(LOCAL).time() == time(14, 0) for o in exp.occurrences)
    # CET (UTC+1) before 29 March, CEST (UTC+2) after: the UTC hour moves, the local one does not.
    assert exp.occurrences[1].starts_at == datetime(2026, 3, 24, 13, 0, tzinfo=UTC)
    assert exp.occurrences[2].starts_at == datetime(2026, 3, 31, 12, 0, tzinfo=UTC)
    assert not exp.capped


def test_weekly_across_fall_back_in_october():
    exp = recurrence.expand(date(2026, 10, 20), time(9, 30), time(12, 0), "weekly", date(2026, 10, 27))
    assert [o.starts_at.hour for o in exp.occurrences] == [7, 8]  # UTC: CEST then CET
    assert all(o.ends_at - o.starts_at == (datetime(2000, 1, 1, 12) - datetime(2000, 1, 1, 9, 30))
               for o in exp.occurrences)


def test_fortnightly_with_exceptions_and_until_inclusive():
    exp = recurrence.expand(date(2026, 5, 5), time(10, 0), time(12, 0), "fortnightly", date(2026, 6, 30),
                            {date(2026, 6, 2)})
    assert [o.on for o in exp.occurrences] == [date(2026, 5, 5), date(2026, 5, 19), date(2026, 6, 16),
                                               date(2026, 6, 30)]


def test_series_without_end_is_capped_at_one_year():
    exp = recurrence.expand(date(2026, 3, 17), time(14, 0), time(17, 0), "weekly", None)
    assert exp.capped
    assert exp.until == date(2027, 3, 16)
    assert len(exp.occurrences) == 53  # 17-3-2026 up to and including 16-3-2027
    assert exp.occurrences[-1].on == date(2027, 3, 16)


def test_a_series_of_years_is_capped_too():
    exp = recurrence.expand(date(2026, 3, 17), time(14, 0), time(17, 0), "weekly", date(2036, 1, 1))
    assert exp.capped and len(exp.occurrences) <= recurrence.MAX_OCCURRENCES
    assert exp.occurrences[-1].on <= date(2027, 3, 16)


def test_one_off_is_one_occurrence():
    exp = recurrence.expand(date(2026, 3, 20), time(13, 0), time(16, 0), None, None)
    assert len(exp.occurrences) == 1 and not exp.capped


def test_time_that_does_not_exist_on_the_spring_forward_night_is_skipped():
    exp = recurrence.expand(date(2026, 3, 22), time(2, 30), time(4, 0), "weekly", date(2026, 4, 5))
    assert exp.skipped == [date(2026, 3, 29)]
    assert [o.on for o in exp.occurrences] == [date(2026, 3, 22), date(2026, 4, 5)]
