"""Signing up, the waiting list that moves up, and the lift as a linked hulpvraag."""
from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import select

from coop.activities import service
from coop.activities.models import SIGNED_UP, WAITING, WITHDRAWN
from coop.core.calls import CallTask
from coop.core.clock import LOCAL
from coop.followups.dispatcher import dispatch_due
from coop.requests.models import CANCELLED, NEW, HelpRequest, RequestEvent


def test_a_full_activity_puts_the_next_person_on_the_waiting_list(plan, people, coordinator):
    meal = plan(capacity=2)
    first = service.sign_up(meal, people["bep"], by=people["bep"])
    second = service.sign_up(meal, people["piet"], by=coordinator)
    third = service.sign_up(meal, people["kees"], by=people["kees"])
    assert (first.status, second.status, third.status) == (SIGNED_UP, SIGNED_UP, WAITING)
    assert meal.places_left == 0 and [s.person.first_name for s in meal.waiting] == ["Kees"]


def test_withdrawing_moves_the_first_on_the_waiting_list_up_and_tells_them_by_mail(
        plan, people, coordinator, make, village, smtp, session):
    meal = plan(capacity=1)
    bep = service.sign_up(meal, people["bep"], by=people["bep"])
    kees = service.sign_up(meal, people["kees"], by=people["kees"])
    later = service.sign_up(meal, make.user(village, "resident", first_name="Riek"), by=coordinator)
    session.commit()
    dispatch_due()
    smtp.clear()

    moved = service.withdraw(bep, by=people["bep"])
    session.commit()
    assert moved is kees and kees.status == SIGNED_UP and later.status == WAITING and bep.status == WITHDRAWN
    dispatch_due()
    (mail,) = smtp.to(people["kees"].email)
    text = mail.get_body(("plain",)).get_content()
    assert mail["Subject"] == "Er is een plaats voor u vrijgekomen"
    assert "u kunt mee met Austerlitz Eet, donderdag 19 maart 2026 van 17:30 tot 19:30" in text
    assert "Dorpshuis De Kapel, Dorpsstraat 12, Austerlitz" in text
    assert smtp.to(people["bep"].email) == []  # she withdrew herself: nothing to tell her


def test_someone_without_e_mail_who_moves_up_is_on_the_bellijst(plan, people, coordinator, session):
    meal = plan(capacity=1)
    bep = service.sign_up(meal, people["bep"], by=people["bep"])
    piet = service.sign_up(meal, people["piet"], by=coordinator)
    assert session.scalars(select(CallTask).where(CallTask.person_id == people["piet"].id)).all() == []
    service.withdraw(bep, by=coordinator)
    session.flush()
    (call,) = session.scalars(select(CallTask).where(CallTask.person_id == people["piet"].id)).all()
    assert piet.status == SIGNED_UP and call.kind == "activity.moved_up" and call.status == "open"


def test_a_lift_is_a_linked_hulpvraag_in_vervoer_at_the_activity_time_and_stops_with_the_sign_up(
        plan, people, vervoer, session):
    meal = plan(capacity=5)
    bep = people["bep"]
    signup = service.sign_up(meal, bep, by=bep, wants_lift=True)
    session.flush()
    lift = session.get(HelpRequest, signup.lift_request_id)
    assert lift.resident_id == bep.id and lift.category_id == vervoer.id and lift.status == NEW
    assert (lift.street, lift.house_number) == (bep.street, bep.house_number)
    assert lift.on_date == meal.on_date
    assert lift.window_start == datetime(2026, 3, 19, 17, 0, tzinfo=LOCAL)
    assert lift.window_end == datetime(2026, 3, 19, 20, 0, tzinfo=LOCAL)
    assert "Austerlitz Eet" in lift.description and "17:30" in lift.description
    assert lift.consent_contact and lift.entered_by_id == bep.id

    service.withdraw(signup, by=bep)
    session.flush()
    session.refresh(lift)
    assert lift.status == CANCELLED
    note = session.scalar(select(RequestEvent.note).where(RequestEvent.request_id == lift.id,
                                                          RequestEvent.action == "cancel"))
    assert note == "Afgemeld voor Austerlitz Eet op 19 maart 2026: de lift is niet meer nodig."


def test_the_lift_of_someone_on_the_waiting_list_is_asked_when_they_move_up(plan, people, coordinator, session):
    meal = plan(capacity=1)
    bep = service.sign_up(meal, people["bep"], by=people["bep"])
    piet = service.sign_up(meal, people["piet"], by=coordinator, wants_lift=True)
    assert piet.status == WAITING and piet.wants_lift and piet.lift_request_id is None
    service.withdraw(bep, by=people["bep"])
    session.flush()
    lift = session.get(HelpRequest, piet.lift_request_id)
    assert lift.resident_id == people["piet"].id and lift.entered_by_id == coordinator.id and lift.channel == "phone"


def test_cancelling_the_activity_tells_everyone_and_stops_the_lifts(plan, people, coordinator, session):
    from coop.core import outbox as O
    meal = plan(capacity=1)
    bep = service.sign_up(meal, people["bep"], by=people["bep"], wants_lift=True)
    service.sign_up(meal, people["kees"], by=people["kees"])
    service.cancel(meal, by=coordinator)
    session.flush()
    assert session.get(HelpRequest, bep.lift_request_id).status == CANCELLED
    told = session.scalars(select(O.FollowUp.recipient_id).where(O.FollowUp.kind == "activity.cancelled")).all()
    assert sorted(told) == sorted([people["bep"].id, people["kees"].id])


def test_attendance_is_recorded_once_the_activity_began(plan, people, coordinator, session):
    from coop.core import clock
    from coop.core.errors import DomainError
    meal = plan(capacity=5, start=time(17, 30))
    bep = service.sign_up(meal, people["bep"], by=people["bep"])
    kees = service.sign_up(meal, people["kees"], by=people["kees"])
    try:
        service.record_attendance(meal, {bep.id}, by=coordinator)
        raise AssertionError("attendance before the start")
    except DomainError as err:
        assert "zodra de activiteit begonnen is" in err.message
    clock.freeze(meal.starts_at)
    assert service.record_attendance(meal, {bep.id}, by=coordinator) == 1
    assert (bep.attended, kees.attended) == (True, False)


def test_each_coming_activity_is_a_group_to_write_to(plan, people, village):
    from coop.core.registry import groups_for
    meal = plan(capacity=1)
    service.sign_up(meal, people["bep"], by=people["bep"])
    service.sign_up(meal, people["kees"], by=people["kees"])  # waiting: not in the group
    (group,) = [g for g in groups_for(village) if g.key == f"activiteit-{meal.id}"]
    assert group.label == "Aanmeldingen Austerlitz Eet (19 maart 2026)"
    assert [p.first_name for p in group.people()] == ["Bep"]
