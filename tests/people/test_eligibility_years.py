"""plus_years: the same dates as dateutil's relativedelta(years=n), the leap day included."""
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from coop.people.eligibility import plus_years, vog_valid


def test_plus_years_matches_relativedelta_for_every_day_of_four_years():
    day = date(2023, 1, 1)
    while day < date(2027, 1, 1):
        for years in (1, 3, 5):
            assert plus_years(day, years) == day + relativedelta(years=years), (day, years)
        day += timedelta(days=1)


def test_vog_of_a_leap_day_runs_until_the_28th():
    assert vog_valid(date(2024, 2, 29), date(2027, 2, 27), 3)
    assert not vog_valid(date(2024, 2, 29), date(2027, 2, 28), 3)
