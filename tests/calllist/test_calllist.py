"""The bellijst: a message for someone without e-mail becomes a call, worked on /bellijst."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from coop.core import outbox as O
from coop.core import roles as R
from coop.core.calls import CALLED, OPEN, TAKEN_OVER, CallTask
from coop.core.clock import local_now
from coop.followups import dispatcher
from coop.matching import service as matching
from coop.requests.models import HelpRequest
from coop.respite import rules as respite_rules


def _matched_request(session, make, village, coordinator, resident):
    helper = make.volunteer(village, first_name="Kees", last_name="Bakker")
    req = HelpRequest(village_id=village.id, resident=resident, category=make.category(village, "boodschappen"),
                      description="Boodschappen bij de Plus", status="searching", lat=resident.lat,
                      lon=resident.lon, street=resident.street, house_number=resident.house_number,
                      on_date=local_now().date() + timedelta(days=2), part_of_day="afternoon")
    session.add(req)
    session.flush()
    proposal = matching.propose(req, helper, by=coordinator)
    matching.accept(proposal, by=helper)
    session.flush()
    return req


def test_a_match_for_a_resident_without_email_is_a_call_with_what_to_say(session, make, village, coordinator,
                                                                        client_as):
    bep = make.user(village, R.RESIDENT, email=False, first_name="Bep", last_name="de Vries", phone="+31343123457")
    _matched_request(session, make, village, coordinator, bep)
    [task] = session.scalars(select(CallTask).where(CallTask.person_id == bep.id)).all()
    assert task.status == OPEN and task.kind == "request.matched" and task.village_id == village.id
    page = client_as(coordinator).get("/bellijst/").get_data(as_text=True)
    assert "Bep de Vries" in page
    assert 'href="tel:+31343123457"' in page
    assert "Kees" in page  # what to say: who is coming
    home = client_as(coordinator).get("/").get_data(as_text=True)
    assert "Vandaag 1 persoon zonder e-mailadres om te bellen" in home


def test_the_dispatcher_puts_a_message_whose_address_went_away_on_the_list(session, make, village, coordinator):
    anna = make.user(village, R.RESIDENT, first_name="Anna")
    O.queue("request.matched", anna, payload={"request_id": 0})
    session.flush()
    anna.email = None
    session.commit()
    dispatcher.run_until_idle(max_rounds=2)
    assert session.scalar(select(CallTask.kind).where(CallTask.person_id == anna.id)) == "request.matched"


def test_outcomes_called_not_reached_and_taken_over(session, make, village, coordinator, client_as):
    people = [make.user(village, R.RESIDENT, email=False, first_name=name) for name in ("Cor", "Dirk", "Els")]
    for person in people:
        O.queue(respite_rules.CARER_CHECKIN, person, payload={"round": 1})
    session.flush()
    tasks = {t.person.first_name: t for t in session.scalars(select(CallTask))}
    browser = client_as(coordinator)
    prefix = lambda t: f"oproep-{t.id}-"  # noqa: E731
    assert browser.post(f"/bellijst/{tasks['Cor'].id}", data={prefix(tasks["Cor"]) + "outcome": "called"}
                        ).status_code == 302
    assert browser.post(f"/bellijst/{tasks['Dirk'].id}", data={prefix(tasks["Dirk"]) + "outcome": "not_reached",
                                                              prefix(tasks["Dirk"]) + "note": "voicemail"}
                        ).status_code == 302
    refused = browser.post(f"/bellijst/{tasks['Els'].id}", data={prefix(tasks["Els"]) + "outcome": "taken_over"})
    assert refused.status_code == 422 and "Vul in wie het bellen heeft overgenomen" in refused.get_data(as_text=True)
    assert tasks["Els"].status == OPEN
    assert browser.post(f"/bellijst/{tasks['Els'].id}", data={prefix(tasks["Els"]) + "outcome": "taken_over",
                                                             prefix(tasks["Els"]) + "taken_over_by": "dochter Anja"}
                        ).status_code == 302
    session.expire_all()
    assert tasks["Cor"].status == CALLED
    assert tasks["Dirk"].status == OPEN and tasks["Dirk"].attempts == 1
    assert tasks["Dirk"].due_on == local_now().date() + timedelta(days=1)
    assert tasks["Els"].status == TAKEN_OVER and tasks["Els"].taken_over_by == "dochter Anja"
    page = browser.get("/bellijst/").get_data(as_text=True)
    assert "Er staat vandaag niemand op de bellijst" in page  # Dirk is tomorrow's
    assert "overgenomen door dochter Anja" in page
    again = browser.post(f"/bellijst/{tasks['Cor'].id}", data={prefix(tasks["Cor"]) + "outcome": "called"})
    assert again.status_code == 422 and "al afgehandeld" in again.get_data(as_text=True)


def test_another_villages_call_is_not_found(session, make, village, coordinator, client_as):
    other = make.village("Elders")
    stranger = make.user(other, R.RESIDENT, email=False)
    O.queue(respite_rules.CARER_CHECKIN, stranger, payload={"round": 1})
    session.flush()
    task = session.scalar(select(CallTask).where(CallTask.person_id == stranger.id))
    browser = client_as(coordinator)
    assert browser.post(f"/bellijst/{task.id}", data={f"oproep-{task.id}-outcome": "called"}).status_code == 404
    assert stranger.full_name not in browser.get("/bellijst/").get_data(as_text=True)


def test_the_confirmation_says_truthfully_how_the_resident_will_hear(session, make, village, coordinator,
                                                                    client_as):
    bep = make.user(village, R.RESIDENT, email=False, first_name="Bep")
    req = HelpRequest(village_id=village.id, resident=bep, category=make.category(village, "boodschappen"),
                      description="Boodschappen", status="new", entered_by_id=coordinator.id, channel="phone",
                      on_date=date.today() + timedelta(days=3), part_of_day="morning")
    session.add(req)
    session.flush()
    page = client_as(coordinator).get(f"/hulpvragen/{req.id}/verstuurd").get_data(as_text=True)
    assert "Bep heeft geen e-mail: wie er komt, staat daarna op de bellijst om door te bellen" in page
    assert "krijgt een e-mail" not in page
    anna = make.user(village, R.RESIDENT, first_name="Anna")
    req2 = HelpRequest(village_id=village.id, resident=anna, category=make.category(village, "boodschappen"),
                       description="Boodschappen", status="new", on_date=date.today() + timedelta(days=3),
                       part_of_day="morning")
    session.add(req2)
    session.flush()
    page = client_as(anna).get(f"/hulpvragen/{req2.id}/verstuurd").get_data(as_text=True)
    assert "U krijgt een e-mail wie er komt." in page
