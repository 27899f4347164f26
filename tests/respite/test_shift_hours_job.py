"""record_shift_hours(village_id) as the periodic job calls it: no page, no user, idempotent,
and one entry per source even if two runs race."""
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from coop.core import clock
from coop.people.models import HoursEntry
from coop.respite import hours, service
from coop.respite.models import RespiteShift


def shift_entries(session):
    return list(session.scalars(select(HoursEntry).where(HoursEntry.source_type == hours.SHIFT)
                                .order_by(HoursEntry.worked_on)))


def test_only_finished_booked_shifts_of_the_village_count(weekly, rvolunteer, rcoordinator, make, other_village,
                                                          frozen, session):
    service.book_volunteer(weekly, rvolunteer, by=rcoordinator)  # 17, 24, 31 March and 7, 14 April
    service.cancel_shift(weekly.shifts[1], by=rcoordinator)
    clock.freeze(frozen + timedelta(days=16))  # Wednesday 1 April: three have passed, one cancelled
    assert hours.record_shift_hours(other_village.id) == 0
    assert hours.record_shift_hours(weekly.village_id) == 2
    assert [(e.worked_on.isoformat(), e.hours, e.status) for e in shift_entries(session)] == [
        ("2026-03-17", Decimal("3.00"), HoursEntry.DRAFT), ("2026-03-31", Decimal("3.00"), HoursEntry.DRAFT)]
    assert hours.record_shift_hours(weekly.village_id) == 0
    clock.freeze(frozen + timedelta(days=30))
    assert hours.record_shift_hours(weekly.village_id) == 2  # 7 and 14 April, and only those


def test_a_rejected_entry_is_not_made_again(weekly, rvolunteer, rcoordinator, frozen, session):
    service.book_volunteer(weekly, rvolunteer, by=rcoordinator)
    clock.freeze(frozen + timedelta(days=2))
    hours.record_shift_hours(weekly.village_id)
    (entry,) = shift_entries(session)
    hours.review_entry(entry, by=rcoordinator, approve=False)
    assert hours.record_shift_hours(weekly.village_id) == 0
    assert [e.status for e in shift_entries(session)] == [HoursEntry.REJECTED]


def test_the_database_holds_one_entry_per_source(weekly, rvolunteer, rcoordinator, frozen, session):
    service.book_volunteer(weekly, rvolunteer, by=rcoordinator)
    clock.freeze(frozen + timedelta(days=2))
    hours.record_shift_hours(weekly.village_id)
    shift = weekly.shifts[0]
    twin = dict(village_id=shift.village_id, helper_id=rvolunteer.id, worked_on=shift.local_start.date(),
                hours=Decimal("3"), source_type=hours.SHIFT, source_id=shift.id, status=HoursEntry.DRAFT)
    # What a second run that read the shifts at the same moment would add: refused, the rest kept.
    assert hours._add_once(HoursEntry(**twin)) is False
    assert len(shift_entries(session)) == 1
    with pytest.raises(IntegrityError), session.begin_nested():
        session.add(HoursEntry(**twin))
    manual = [HoursEntry(village_id=shift.village_id, helper_id=rvolunteer.id, worked_on=shift.local_start.date(),
                         hours=Decimal("1"), source_type=hours.MANUAL, description="Koffie") for _ in range(2)]
    session.add_all(manual)
    session.flush()  # manual entries have no source: any number of them


def test_runs_without_a_request(app, weekly, rvolunteer, rcoordinator, frozen, session):
    from flask import has_request_context
    service.book_volunteer(weekly, rvolunteer, by=rcoordinator)
    clock.freeze(frozen + timedelta(days=2))
    assert not has_request_context()
    assert hours.record_shift_hours(weekly.village_id) == 1
    assert session.get(RespiteShift, weekly.shifts[0].id).status == RespiteShift.BOOKED


def test_the_hours_pages_write_nothing_the_periodic_rule_records_finished_shifts(weekly, rvolunteer, rcoordinator,
                                                                                frozen, session, client_as):
    from coop.followups import rules
    from coop.respite import rules as respite_rules
    service.book_volunteer(weekly, rvolunteer, by=rcoordinator)
    clock.freeze(frozen + timedelta(days=2))  # the shift of 17 March is over
    volunteer, coordinator = client_as(rvolunteer), client_as(rcoordinator)
    assert volunteer.get("/mijn-uren?maand=2026-03").status_code == 200
    assert coordinator.get("/respijt/uren?maand=2026-03").status_code == 200
    assert shift_entries(session) == []  # looking at a page records no hours
    assert rules.run_rules(rules=[respite_rules.respite_shift_hours]) == {"respite_shift_hours": 1}
    page = volunteer.get("/mijn-uren?maand=2026-03").text
    assert "Bevestigen" in page and "17 maart" in page
    assert [e.worked_on.isoformat() for e in shift_entries(session)] == ["2026-03-17"]
