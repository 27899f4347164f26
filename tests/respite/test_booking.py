from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from coop.core import outbox
from coop.core.clock import LOCAL
from coop.core.errors import DomainError
from coop.people.models import Absence
from coop.respite import notify, service
from coop.respite.models import RespiteRequest, RespiteShift, ShiftSeries
from tests.respite.conftest import available


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def rows(session, **kw):
    stmt = select(outbox.FollowUp)
    for key, value in kw.items():
        stmt = stmt.where(getattr(outbox.FollowUp, key) == value)
    return list(session.scalars(stmt))


def test_request_makes_open_shifts_for_every_occurrence(weekly):
    assert [s.status for s in weekly.shifts] == ["open"] * 5
    assert weekly.series.freq == "weekly" and not weekly.series.capped
    assert weekly.care_recipient.first_name == "Piet"


def test_series_without_end_is_capped_and_says_so(rcarer):
    result = service.request_respite(rcarer, by=rcarer, first_date=date(2026, 3, 18), start_time=time(10, 0),
                                     end_time=time(12, 0), freq="fortnightly")
    assert result.expansion.capped and result.respite_request.series.capped
    assert len(result.respite_request.shifts) == 27  # 18-3-2026 up to and including 17-3-2027


@pytest.mark.parametrize("kw, message", [
    ({"start_time": time(17, 0), "end_time": time(14, 0)}, "eindtijd moet na de begintijd"),
    ({"first_date": date(2026, 3, 10)}, "verleden"),
    ({"freq": "weekly", "until": date(2026, 3, 1)}, "einddatum ligt voor"),
    ({"freq": "weekly", "until": date(2026, 3, 17), "exceptions": {date(2026, 3, 17)}}, "geen enkele keer"),
])
def test_bad_requests_are_refused_and_write_nothing(rcarer, session, kw, message):
    before = (count(session, RespiteRequest), count(session, RespiteShift), count(session, ShiftSeries))
    args = {"first_date": date(2026, 3, 17), "start_time": time(14, 0), "end_time": time(17, 0), **kw}
    with pytest.raises(DomainError, match=message):
        service.request_respite(rcarer, by=rcarer, **args)
    assert (count(session, RespiteRequest), count(session, RespiteShift), count(session, ShiftSeries)) == before


def test_carer_without_profile_cannot_ask(make, rvillage):
    from coop.core import roles as R
    other = make.user(rvillage, R.CARER)
    with pytest.raises(DomainError, match="voor wie u zorgt"):
        service.request_respite(other, by=other, first_date=date(2026, 3, 17), start_time=time(14, 0),
                                end_time=time(17, 0))


def test_series_books_what_it_can_and_lists_the_clash(weekly, rvolunteer, rcoordinator, session):
    session.add(Absence(user_id=rvolunteer.id, starts_on=date(2026, 3, 24), ends_on=date(2026, 3, 24), note="tandarts"))
    rvolunteer.volunteer_profile.max_hours_month = 40
    session.flush()
    result = service.book_volunteer(weekly, rvolunteer, by=rcoordinator)
    assert len(result.booked) == 4
    (shift, reasons), = result.clashes
    assert shift.local_start.date() == date(2026, 3, 24) and "afwezig" in reasons[0] and "tandarts" in reasons[0]
    assert shift.status == RespiteShift.OPEN and shift.volunteer_id is None


def test_nothing_is_saved_when_no_occurrence_fits(weekly, make, rvillage, rcoordinator, session):
    tuesdays_off = available(session, make.volunteer(rvillage, categories=("respijt",)), weekdays=(0,))
    with pytest.raises(DomainError, match="geen enkele keer"):
        service.book_volunteer(weekly, tuesdays_off, by=rcoordinator)
    session.rollback()  # what web.run does
    assert session.scalar(select(func.count()).select_from(RespiteShift).where(
        RespiteShift.status == RespiteShift.BOOKED)) == 0


def test_trained_respite_needs_a_trained_volunteer(rcarer, rvolunteer, rcoordinator):
    result = service.request_respite(rcarer, by=rcarer, first_date=date(2026, 3, 17), start_time=time(14, 0),
                                     end_time=time(17, 0), with_care=True)
    with pytest.raises(DomainError, match="niet bevoegd"):
        service.book_volunteer(result.respite_request, rvolunteer, by=rcoordinator)


def test_booking_queues_inapp_mail_and_reminders(weekly, rvolunteer, rcoordinator, session):
    rvolunteer.volunteer_profile.max_hours_month = 40
    service.book_volunteer(weekly, rvolunteer, by=rcoordinator)
    session.flush()
    booked = rows(session, kind=notify.BOOKED)
    assert {(r.recipient_id, r.channel) for r in booked} == {
        (rvolunteer.id, "inapp"), (rvolunteer.id, "mail"), (weekly.carer_id, "inapp"), (weekly.carer_id, "mail")}
    first = weekly.shifts[0]
    reminder = next(r for r in rows(session, kind=notify.REMINDER) if r.subject_id == first.id)
    assert reminder.due_at == first.starts_at - timedelta(hours=24)
    carer_reminder = next(r for r in rows(session, kind=notify.REMINDER_CARER) if r.subject_id == first.id)
    assert carer_reminder.due_at.astimezone(LOCAL) == datetime(2026, 3, 16, 19, 0, tzinfo=LOCAL)
    assert len(rows(session, kind=notify.REMINDER)) == 5


def test_cancel_one_occurrence_cancels_its_reminders_and_tells_both(weekly, rvolunteer, rcoordinator, session):
    rvolunteer.volunteer_profile.max_hours_month = 40
    service.book_volunteer(weekly, rvolunteer, by=rcoordinator)
    shift = weekly.shifts[2]
    service.cancel_shift(shift, by=rcoordinator)
    session.flush()
    assert shift.status == RespiteShift.CANCELLED
    reminders = [r for r in rows(session, kind=notify.REMINDER) if r.subject_id == shift.id]
    assert [r.status for r in reminders] == [outbox.CANCELLED]
    cancelled = rows(session, kind=notify.CANCELLED, channel="inapp")
    assert {r.recipient_id for r in cancelled} == {rvolunteer.id, weekly.carer_id}
    with pytest.raises(DomainError, match="al afgezegd"):
        service.cancel_shift(shift, by=rcoordinator)


def test_cancel_the_rest_of_a_series(weekly, rcoordinator):
    gone = service.cancel_rest(weekly.shifts[2], by=rcoordinator)
    assert len(gone) == 3
    assert [s.status for s in weekly.shifts] == ["open", "open", "cancelled", "cancelled", "cancelled"]


def test_swap_one_occurrence(weekly, rvolunteer, make, rvillage, rcoordinator, session):
    rvolunteer.volunteer_profile.max_hours_month = 40
    service.book_volunteer(weekly, rvolunteer, by=rcoordinator)
    other = available(session, make.volunteer(rvillage, categories=("respijt",), first_name="Els"))
    shift = weekly.shifts[1]
    service.assign_shift(shift, other, by=rcoordinator)
    session.flush()
    assert shift.volunteer_id == other.id and shift.status == RespiteShift.BOOKED
    assert {r.recipient_id for r in rows(session, kind=notify.CHANGED, channel="inapp")} == {weekly.carer_id}
    old_reminders = [r for r in rows(session, kind=notify.REMINDER) if r.subject_id == shift.id]
    assert {(r.recipient_id, r.status) for r in old_reminders} == {(rvolunteer.id, outbox.CANCELLED),
                                                                   (other.id, outbox.PENDING)}


def test_swap_to_a_busy_volunteer_names_the_clash(weekly, rvolunteer, make, rvillage, rcoordinator, session):
    busy = available(session, make.volunteer(rvillage, categories=("respijt",), first_name="Els", last_name="Bos"))
    session.add(Absence(user_id=busy.id, starts_on=date(2026, 3, 17), ends_on=date(2026, 3, 17)))
    session.flush()
    with pytest.raises(DomainError, match="Els Bos is afwezig"):
        service.assign_shift(weekly.shifts[0], busy, by=rcoordinator)


def test_past_shift_cannot_change(weekly, rcoordinator, frozen):
    from coop.core import clock
    clock.freeze(frozen + timedelta(days=2))
    with pytest.raises(DomainError, match="voorbij"):
        service.cancel_shift(weekly.shifts[0], by=rcoordinator)
