"""Respijt: carers, the week roster and its print, Mijn rooster, Mijn respijt, hours (the
volunteer's, the coordinator's approval list) and the monthly statement with its CSV."""
from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from markupsafe import Markup

from coop.core import roles as R
from coop.core.clock import LOCAL, local_now, now
from coop.people.models import HoursEntry, WeeklySlot
from coop.respite.models import RespiteShift
from tests.support.factories import (
    CarerProfileFactory,
    CheckinFactory,
    HoursEntryFactory,
    RespiteShiftFactory,
    UserFactory,
    VolunteerFactory,
)


def next_monday():
    today = local_now().date()
    return today + timedelta(days=7 - today.weekday())


def next_month_first():
    today = local_now().date()
    return (today.replace(day=1) + timedelta(days=32)).replace(day=1)


def week_of_shifts(village, n, start_index):
    """n shifts spread over next week, each with a carer profile: every fifth still without a
    volunteer, every fifth booked with the previous shift's volunteer an hour after it began
    (a clash on the roster, as every booked one is: these volunteers gave no weekly times)."""
    monday = datetime.combine(next_monday(), time(8), tzinfo=LOCAL)
    shifts = []
    for i in range(start_index, start_index + n):
        extra = {}
        if i % 5 == 4:
            extra = {"volunteer": None, "status": RespiteShift.OPEN}
        elif i % 5 == 3 and shifts:
            extra = {"volunteer": shifts[-1].volunteer, "starts_at": shifts[-1].starts_at + timedelta(hours=1)}
        shift = RespiteShiftFactory(village=village, **{"starts_at": monday + timedelta(hours=3 * i), **extra})
        CarerProfileFactory(village=village, carer=shift.respite_request.carer,
                            care_recipient=shift.respite_request.care_recipient)
        shifts.append(shift)
    return shifts


@pytest.mark.list_page("respite.carers")
def test_carers(same_queries, client_as, coordinator, village):
    def grow(n):
        profiles = CarerProfileFactory.create_batch(n, village=village)
        for p in profiles:
            CheckinFactory.create_batch(2, carer=p.carer)
        without = UserFactory.create_batch(n, village=village, roles=(R.RESIDENT, R.CARER))
        return [p.carer.full_name for p in profiles] + [p.care_recipient.full_name for p in profiles] + \
            [u.full_name for u in without]
    same_queries(client_as(coordinator), "/respijt/mantelzorgers", grow)


@pytest.mark.list_page("respite.week")
def test_week_roster(same_queries, client_as, coordinator, village):
    made = []

    def grow(n):
        shifts = week_of_shifts(village, n, len(made))
        made.extend(shifts)
        return [s.respite_request.carer.full_name for s in shifts] + \
            [s.volunteer.full_name for s in shifts if s.volunteer is not None] + \
            ["is dan al ingeroosterd bij", "niet beschikbaar (gevraagd:"]
    same_queries(client_as(coordinator), f"/respijt?week={next_monday().isoformat()}", grow)


@pytest.mark.list_page("respite.print_roster")
def test_print_roster(same_queries, client_as, coordinator, village):
    made = []

    def grow(n):
        shifts = week_of_shifts(village, n, len(made))
        made.extend(shifts)
        return [s.respite_request.care_recipient.full_name for s in shifts if s.volunteer is not None] + \
            [s.volunteer.full_name for s in shifts if s.volunteer is not None]
    same_queries(client_as(coordinator), f"/respijt/rooster-afdrukken?week={next_monday().isoformat()}", grow)


@pytest.mark.list_page("respite.my_roster")
def test_my_roster(same_queries, client_as, volunteer, village):
    first = next_month_first()
    start = datetime.combine(first, time(8), tzinfo=LOCAL)
    made = []

    def grow(n):  # one month at a time: 50 shifts, 13 hours apart, fit in any month
        shifts = [RespiteShiftFactory(village=village, volunteer=volunteer,
                                      starts_at=start + timedelta(hours=13 * (len(made) + i))) for i in range(n)]
        for s in shifts:
            CarerProfileFactory(village=village, carer=s.respite_request.carer,
                                care_recipient=s.respite_request.care_recipient)
        made.extend(shifts)
        return ([s.respite_request.care_recipient.full_name for s in shifts]
                + [s.respite_request.carer.full_name for s in shifts])
    same_queries(client_as(volunteer), f"/mijn-rooster?maand={first:%Y-%m}", grow)


@pytest.mark.list_page("respite.my_respite")
def test_my_respite(same_queries, client_as, carer, village):
    CarerProfileFactory(village=village, carer=carer)
    start = datetime.combine(local_now().date() + timedelta(days=1), time(14), tzinfo=LOCAL)
    made = []

    def grow(n):
        shifts = [RespiteShiftFactory(village=village, respite_request__carer=carer,
                                      starts_at=start + timedelta(days=len(made) + i)) for i in range(n)]
        made.extend(shifts)
        return [s.volunteer.first_name for s in shifts]
    same_queries(client_as(carer), "/mijn-respijt", grow)


def this_month_days(n, offset):
    today = local_now().date()
    return [today.replace(day=1) + timedelta(days=(offset + i) % today.day) for i in range(n)]


@pytest.mark.list_page("respite.my_hours")
def test_my_hours(same_queries, client_as, volunteer, village):
    made = []

    def grow(n):
        rows = [HoursEntryFactory(village=village, helper=volunteer, worked_on=day,
                                  status=(HoursEntry.CONFIRMED, HoursEntry.APPROVED, HoursEntry.DRAFT)[i % 3])
                for i, day in enumerate(this_month_days(n, len(made)))]
        made.extend(rows)
        return [Markup(f"/mijn-uren/{e.id}\"") for e in rows if e.status != HoursEntry.APPROVED]
    same_queries(client_as(volunteer), f"/mijn-uren?maand={local_now():%Y-%m}", grow)


@pytest.mark.list_page("respite.review")
def test_hours_to_approve(same_queries, client_as, coordinator, village):
    made = []

    def grow(n):
        rows = HoursEntryFactory.create_batch(n, village=village)
        made.extend(approved_hours(village, n, len(made)))  # the page also works out the month's statements
        return [e.helper.full_name for e in rows]
    same_queries(client_as(coordinator), "/respijt/uren", grow)


def approved_hours(village, n, offset):
    """n volunteers with approved hours this month and in the months before."""
    rows = []
    for day in this_month_days(n, offset):
        entry = HoursEntryFactory(village=village, worked_on=day, status=HoursEntry.APPROVED)
        if day.month > 1:
            HoursEntryFactory(village=village, helper=entry.helper, status=HoursEntry.APPROVED,
                              worked_on=day.replace(month=day.month - 1, day=1))
        rows.append(entry)
    return rows


@pytest.mark.list_page("respite.statements")
def test_monthly_statement(same_queries, client_as, coordinator, village):
    made = []

    def grow(n):
        rows = approved_hours(village, n, len(made))
        made.extend(rows)
        return [e.helper.full_name for e in rows]
    same_queries(client_as(coordinator), f"/respijt/uren/overzicht?maand={local_now():%Y-%m}", grow)


@pytest.mark.list_page("respite.statements_csv")
def test_monthly_statement_csv(same_queries, client_as, coordinator, village):
    made = []

    def grow(n):
        rows = approved_hours(village, n, len(made))
        made.extend(rows)
        return [e.helper.full_name for e in rows]
    same_queries(client_as(coordinator), f"/respijt/uren/overzicht.csv?maand={local_now():%Y-%m}", grow)


@pytest.mark.list_page("respite.checkin")
def test_checkin_history(same_queries, client_as, carer):
    made = []

    def grow(n):
        rows = [CheckinFactory(carer=carer, vas=3 + (len(made) + i) % 7,
                               taken_at=now() - timedelta(days=7 * (len(made) + i + 1))) for i in range(n)]
        made.extend(rows)
        return [f"cijfer {c.vas}" for c in rows if c.flag_reasons]
    same_queries(client_as(carer), "/hoe-gaat-het", grow)


@pytest.mark.list_page("respite.request_detail")
@pytest.mark.parametrize("located", [True, False])
def test_candidates_for_a_request(same_queries, client_as, coordinator, village, session, located):
    start = datetime.combine(next_monday() + timedelta(days=1), time(14), tzinfo=LOCAL)
    first = RespiteShiftFactory(village=village, volunteer=None, status=RespiteShift.OPEN, starts_at=start,
                                **({} if located else {"respite_request__care_recipient__lat": None,
                                                       "respite_request__care_recipient__lon": None}))
    for week in (1, 2):
        RespiteShiftFactory(village=village, respite_request=first.respite_request, volunteer=None,
                            status=RespiteShift.OPEN, starts_at=start + timedelta(weeks=week))

    def grow(n):
        volunteers = VolunteerFactory.create_batch(n, village=village)
        for i, v in enumerate(volunteers):
            if i % 2:  # half of them are free on Tuesday afternoons; a third is already booked one week
                session.add(WeeklySlot(user_id=v.id, weekday=1, start=time(9), end=time(18)))
            if i % 3 == 0:
                RespiteShiftFactory(village=village, volunteer=v, starts_at=start + timedelta(weeks=1))
        session.flush()
        # Located, matching shows its best 25; without a place every volunteer is listed.
        return [Markup('data-testid="candidates"')] if located else [v.full_name for v in volunteers]
    same_queries(client_as(coordinator), f"/respijt/aanvragen/{first.request_id}", grow)
