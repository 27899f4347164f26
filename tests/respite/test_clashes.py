from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from coop.core.clock import LOCAL
from coop.core.errors import DomainError
from coop.people.models import Absence, HoursEntry
from coop.respite import service
from coop.respite.clashes import check_times, clash_reasons, hours_in_month
from coop.respite.models import RespiteShift


def local(y, m, d, h, mi=0):
    return datetime(y, m, d, h, mi, tzinfo=LOCAL).astimezone(UTC)


def test_free_volunteer_has_no_clash(rvolunteer):
    assert clash_reasons(rvolunteer, local(2026, 3, 17, 14), local(2026, 3, 17, 17)) == []


def test_end_before_start_and_past_are_refused(rvolunteer, frozen):
    with pytest.raises(DomainError, match="eindtijd moet na de begintijd"):
        check_times(local(2026, 3, 17, 17), local(2026, 3, 17, 14))
    with pytest.raises(DomainError, match="verleden"):
        check_times(local(2026, 3, 13, 14), local(2026, 3, 13, 17))
    assert "verleden" in clash_reasons(rvolunteer, local(2026, 3, 13, 14), local(2026, 3, 13, 17))[0]


def test_booked_elsewhere_names_the_other_booking(rvolunteer, weekly, rcoordinator):
    service.book_volunteer(weekly, rvolunteer, by=rcoordinator)
    reasons = clash_reasons(rvolunteer, local(2026, 3, 17, 16), local(2026, 3, 17, 18))
    assert reasons[0] == ("Kees Bakker is dan al ingeroosterd bij Truus Visser (dinsdag 17 maart 2026 14:00–17:00).")


def test_outside_availability(rvolunteer):
    reasons = clash_reasons(rvolunteer, local(2026, 3, 17, 17), local(2026, 3, 17, 20))
    assert reasons == ["Kees Bakker is niet beschikbaar op dinsdag 17:00–20:00; wel op dinsdag 09:00–18:00."]
    weekend = clash_reasons(rvolunteer, local(2026, 3, 21, 10), local(2026, 3, 21, 12))
    assert weekend == ["Kees Bakker is op zaterdag niet beschikbaar (gevraagd: zaterdag 10:00–12:00)."]


def test_availability_is_checked_in_local_time_in_a_summer_time_week(rvolunteer):
    # 31 March is CEST: 14:00 local is 12:00 UTC, still inside the 09:00–18:00 local slot.
    assert clash_reasons(rvolunteer, local(2026, 3, 31, 14), local(2026, 3, 31, 17)) == []
    assert clash_reasons(rvolunteer, local(2026, 3, 31, 16), local(2026, 3, 31, 19))  # past 18:00 local


def test_absent(rvolunteer, session):
    session.add(Absence(user_id=rvolunteer.id, starts_on=date(2026, 3, 23), ends_on=date(2026, 3, 27), note="vakantie"))
    session.flush()
    reasons = clash_reasons(rvolunteer, local(2026, 3, 24, 14), local(2026, 3, 24, 17))
    assert reasons == ["Kees Bakker is afwezig van maandag 23 maart 2026 tot en met vrijdag 27 maart 2026 (vakantie)."]


def test_over_monthly_hours_counts_logged_hours_and_booked_shifts(rvolunteer, weekly, rcoordinator, session):
    session.add(HoursEntry(village_id=rvolunteer.village_id, helper_id=rvolunteer.id, worked_on=date(2026, 3, 2),
                           hours=Decimal("3"), source_type="manual"))
    session.flush()
    result = service.book_volunteer(weekly, rvolunteer, by=rcoordinator)
    # max 10 h a month: 3 logged + 17 and 24 March (6 h) fit; 31 March would make 12 h.
    assert [s.local_start.day for s in result.booked] == [17, 24, 7, 14]
    (clash, reasons), = result.clashes
    assert clash.local_start.date() == date(2026, 3, 31)
    assert reasons == ["Kees Bakker komt dan op 12 uur in maart 2026; het maximum is 10 uur per maand."]
    assert hours_in_month(rvolunteer, date(2026, 3, 1)) == Decimal("9.00")


def test_rejected_hours_do_not_count(rvolunteer, session):
    session.add(HoursEntry(village_id=rvolunteer.village_id, helper_id=rvolunteer.id, worked_on=date(2026, 3, 2),
                           hours=Decimal("9"), source_type="manual", status=HoursEntry.REJECTED))
    session.flush()
    assert hours_in_month(rvolunteer, date(2026, 3, 2)) == Decimal("0")


def test_swap_ignores_the_shift_itself(rvolunteer, weekly, rcoordinator):
    service.book_volunteer(weekly, rvolunteer, by=rcoordinator)
    shift = weekly.shifts[0]
    assert clash_reasons(rvolunteer, shift.starts_at, shift.ends_at, exclude_shift_id=shift.id) == []
    assert shift.status == RespiteShift.BOOKED
