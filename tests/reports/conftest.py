"""A hand-counted year of requests, hours and Schijf van Vijf answers (see test_figures.py for the sums)."""
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest

from coop.core import roles as R
from coop.core.clock import LOCAL
from coop.people.models import HoursEntry
from coop.requests.models import FiveQuestionsAnswer, HelpRequest
from coop.respite.models import CarerQolCheckin, RespiteRequest, RespiteShift


def local(*args):
    return datetime(*args, tzinfo=LOCAL)


@pytest.fixture
def figures(session, make, village, other_village, resident, coordinator):
    cat = {code: make.category(village, code)
           for code in ("boodschappen", "gezelschap", "medicatie", "woningaanpassing")}

    def req(code, created, days=None, referred_to=None, split=(), v=village, who=resident):
        category = cat[code] if v is village else make.category(v, code)
        r = HelpRequest(village_id=v.id, resident_id=who.id, category_id=category.id,
                        description="Vraag", created_at=created, status="new")
        if days is not None:
            r.status, r.matched_at = "matched", created + timedelta(days=days)
        if referred_to:  # a place on the village's list
            r.status, r.referred_to = "referred", referred_to
            r.referral_destination_id = make.destination(v, referred_to).id
        r.five_questions = [FiveQuestionsAnswer(question=q, party=p) for q, p in split]
        session.add(r)

    # March: boodschappen 6 (5 matched: 1,2,3,4,10 days), the last at 31 March 23:30 local time.
    for i, days in enumerate([1, 2, 3, 4, 10, None]):
        when = local(2025, 3, 31, 23, 30) if i == 5 else local(2025, 3, 3 + i, 10)
        req("boodschappen", when, days, split=[(1, "resident"), (4, "volunteer")])
    # March: gezelschap 6, all matched: 2,2,2,4,4,4 days.
    for i, days in enumerate([2, 2, 2, 4, 4, 4]):
        req("gezelschap", local(2025, 3, 10 + i, 14), days, split=[(1, "resident"), (3, "family")])
    # April: boodschappen 7 (6 matched: 1,1,2,2,5,5); the first at 1 April 00:30 local (still 31 March in UTC).
    for i, days in enumerate([1, 1, 2, 2, 5, 5, None]):
        req("boodschappen", local(2025, 4, 1, 0, 30) if i == 0 else local(2025, 4, 2 + i, 9), days)
    # April: 5 woningaanpassing referred to the Wmo desk, 3 medicatie referred to home care.
    for i in range(5):
        req("woningaanpassing", local(2025, 4, 10 + i, 11), referred_to="Wmo-loket Zeist",
            split=[(1, "resident"), (5, "municipality")])
    for i in range(3):
        req("medicatie", local(2025, 4, 20 + i, 11), referred_to="Thuiszorg Heuvelrug")
    # May: gezelschap 2, one matched in 1 day.
    req("gezelschap", local(2025, 5, 5, 10), 1)
    req("gezelschap", local(2025, 5, 6, 10))
    # Not counted: the year before, and another village.
    req("boodschappen", local(2024, 12, 31, 22), 1)
    other_resident = make.user(other_village)
    for _ in range(6):
        req("boodschappen", local(2025, 3, 5, 10), 1, v=other_village, who=other_resident)

    helpers = [make.volunteer(village) for _ in range(6)]

    def hours(helper, day, amount, source="request", status=HoursEntry.APPROVED, v=village):
        session.add(HoursEntry(village_id=v.id, helper_id=helper.id, worked_on=day, hours=Decimal(amount),
                               status=status, source_type=source))

    for h in helpers[:5]:
        hours(h, date(2025, 3, 12), "2")           # March: 10 help hours by 5 volunteers
    hours(helpers[0], date(2025, 3, 13), "7", status=HoursEntry.DRAFT)     # not confirmed: not counted
    hours(helpers[1], date(2025, 3, 13), "9", status=HoursEntry.REJECTED)  # rejected: not counted
    for h in helpers[:2]:
        hours(h, date(2025, 4, 8), "3", "shift")    # April: 6 respite hours by 2: hidden
    for h in helpers:
        hours(h, date(2025, 5, 20), "1.5", "shift")  # May: 9 respite hours by 6
    hours(helpers[0], date(2025, 5, 21), "4", v=other_village)
    add_carer_figures(session, make, village, other_village, resident, cat["gezelschap"])
    session.commit()
    return cat


def add_carer_figures(session, make, village, other_village, resident, category):
    """Six carers. Respite: all six in March; in April c0 (open shift) and c1, c0's other April
    shift cancelled; in May c2, at 1 May 00:30 local (still 30 April in UTC).
    CarerQol-VAS: March 5,6,7,7,8,9 by all six (7.0); April 4 ×5 by c0 alone; May 6 and 8 by
    c1, c2; June 6,6,6,7,5 by c0..c4 (6.0). Year: 18 check-ins, 106/18 = 5.89, six carers."""
    carers = [make.user(village, R.CARER, last_name=f"Zorgvlijt{i}") for i in range(6)]
    session.flush()

    def shift(carer, start, status=RespiteShift.BOOKED, v=village):
        ask = RespiteRequest(village_id=v.id, carer_id=carer.id, care_recipient_id=resident.id,
                             category_id=category.id, start_time=time(14), end_time=time(17))
        ask.shifts = [RespiteShift(village_id=v.id, starts_at=start, ends_at=start + timedelta(hours=3), status=status)]
        session.add(ask)

    def checkin(carer, taken, vas, v=village):
        session.add(CarerQolCheckin(village_id=v.id, carer_id=carer.id, taken_at=taken, vas=vas, fulfilment=0,
                                    support=0, relational=0, mental_health=0, daily_activities=0, financial=0,
                                    physical_health=0))

    for c in carers:
        shift(c, local(2025, 3, 18, 14))
    shift(carers[0], local(2025, 4, 8, 14), RespiteShift.OPEN)
    shift(carers[0], local(2025, 4, 15, 14), RespiteShift.CANCELLED)
    shift(carers[1], local(2025, 4, 9, 14))
    shift(carers[2], local(2025, 5, 1, 0, 30))
    shift(carers[3], local(2024, 12, 31, 23, 30))  # the year before
    for c, vas in zip(carers, (5, 6, 7, 7, 8, 9), strict=True):
        checkin(c, local(2025, 3, 20, 10), vas)
    for day in range(1, 6):
        checkin(carers[0], local(2025, 4, day, 10), 4)
    checkin(carers[1], local(2025, 5, 2, 10), 6)
    checkin(carers[2], local(2025, 5, 3, 10), 8)
    for c, vas in zip(carers[:5], (6, 6, 6, 7, 5), strict=True):
        checkin(c, local(2025, 6, 4, 10), vas)
    checkin(carers[5], local(2026, 1, 1, 0, 30), 1)  # the next year (still 2025 in UTC)
    stranger = make.user(other_village, R.CARER)
    session.flush()
    shift(stranger, local(2025, 3, 18, 14), v=other_village)
    checkin(stranger, local(2025, 3, 20, 10), 2, v=other_village)
    return carers
