"""Respite fixtures: a village with the two respite categories, a carer caring for a resident,
a volunteer available on weekday afternoons, and the clock fixed on a Monday in March 2026
(so a weekly series crosses the change to summer time on 29 March)."""
from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from coop.core import clock
from coop.core import roles as R
from coop.core.models import TaskCategory
from coop.people.models import WeeklySlot
from coop.respite import service

MONDAY = datetime(2026, 3, 16, 9, 0, tzinfo=UTC)  # 10:00 in Amsterdam


@pytest.fixture
def frozen():
    clock.freeze(MONDAY)
    yield MONDAY
    clock.freeze(None)


@pytest.fixture
def rvillage(make, frozen, session):
    village = make.village()
    session.add_all([
        TaskCategory(village_id=village.id, code="respijt", name="Respijt: gezelschap", rule=TaskCategory.OPEN),
        TaskCategory(village_id=village.id, code="respijt_zorg", name="Respijt met verzorging",
                     rule=TaskCategory.TRAINED)])
    session.flush()
    return village


def available(session, user, weekdays=(0, 1, 2, 3, 4), start=time(9, 0), end=time(18, 0)):
    for day in weekdays:
        session.add(WeeklySlot(user_id=user.id, weekday=day, start=start, end=end))
    session.flush()
    return user


@pytest.fixture
def cared_for(make, rvillage):
    return make.user(rvillage, R.RESIDENT, email=None, first_name="Piet", last_name="Visser", lat=52.081, lon=5.312)


@pytest.fixture
def rcarer(make, rvillage, cared_for, session):
    carer = make.user(rvillage, R.RESIDENT, R.CARER, first_name="Truus", last_name="Visser")
    service.save_carer_profile(carer, by=carer, care_recipient=cared_for, relationship_label="partner",
                               care_hours_week=40, routines="Koffie om drie uur.", what_calms="Muziek van vroeger.",
                               who_to_call="Dochter Anja 06-12345678", sofa_roles=["O", "A"])
    session.flush()
    return carer


@pytest.fixture
def rvolunteer(make, rvillage, session):
    user = make.volunteer(rvillage, categories=("respijt",), first_name="Kees", last_name="Bakker",
                          lat=52.082, lon=5.313)
    return available(session, user)


@pytest.fixture
def rcoordinator(make, rvillage):
    return make.user(rvillage, R.COORDINATOR, first_name="Marieke", last_name="van Dam")


@pytest.fixture
def weekly(rcarer, session):
    """Every Tuesday 14:00–17:00 from 17 March to 14 April 2026: five times, across DST."""
    from datetime import date
    result = service.request_respite(rcarer, by=rcarer, first_date=date(2026, 3, 17), start_time=time(14, 0),
                                     end_time=time(17, 0), freq="weekly", until=date(2026, 4, 14))
    session.flush()
    return result.respite_request
