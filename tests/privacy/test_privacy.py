"""The resident's AVG rights: a copy of everything stored (JSON and a print page), being
forgotten, retention per kind of data with the village's own periods, the processing register."""
from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import JSON, String, Text, cast, func, or_, select

from coop.auth.models import LoginAttempt, UserSession
from coop.core import outbox as O
from coop.core import roles as R
from coop.core.calls import CallTask
from coop.core.clock import local_now, now
from coop.core.models import AuditLog, User
from coop.extensions import db
from coop.people.models import HoursEntry
from coop.privacy import erasure, export, register, retention
from coop.privacy.models import FIELDS, RetentionSettings, periods_for
from coop.requests.models import FiveQuestionsAnswer, HelpRequest, RequestEvent
from coop.respite.models import CarerProfile, CarerQolCheckin
from tests.support.factories import (
    CheckinFactory,
    HelpRequestFactory,
    HoursEntryFactory,
    ProposalFactory,
    RespiteShiftFactory,
)

BEP_PHONE, PIET_PHONE = "+31612340001", "+31612349999"


@pytest.fixture
def world(session, make, village, coordinator, admin):
    """Bep (resident and carer of Piet) with a finished request, its timeline, Schijf van Vijf
    and a proposal; past respite, a check-in, messages, a call, a login; Kees helped her and
    wrote her name in his hours. Piet has his own request."""
    bep = make.user(village, R.RESIDENT, R.CARER, first_name="Bep", last_name="Jansen", phone=BEP_PHONE,
                    email="bep.jansen@example.nl")
    piet = make.user(village, R.RESIDENT, first_name="Piet", last_name="Visser", phone=PIET_PHONE,
                     email="piet.visser@example.nl")
    kees = make.volunteer(village, first_name="Kees", last_name="Bakker", phone="+31612345555",
                          email="kees.bakker@example.nl")
    closed = now() - timedelta(days=20)
    req = HelpRequestFactory(village=village, resident=bep, status="done", description="Boodschappen bij de Plus",
                             closed_at=closed, created_at=closed - timedelta(days=3),
                             matched_at=closed - timedelta(days=2))
    session.add_all([
        RequestEvent(help_request=req, actor_id=coordinator.id, action="posted", note="Bep Jansen belde zelf"),
        FiveQuestionsAnswer(help_request=req, question=1, party="resident", note="doet zelf de lijst"),
    ])
    ProposalFactory(village=village, help_request=req, helper=kees, status="accepted",
                    note="Bep Jansen wacht op je, bel 06 12340001")
    HelpRequestFactory(village=village, resident=piet, status="searching", description="Piet zijn eigen vraag")
    session.add(CarerProfile(user_id=bep.id, village_id=village.id, care_recipient_id=piet.id,
                             relationship_label="partner", routines="Koffie om drie uur",
                             support_needs="Bep Jansen is moe"))
    RespiteShiftFactory(village=village, respite_request__carer=bep, respite_request__care_recipient=piet,
                        volunteer=kees, respite_request__notes="Sleutel onder de mat",
                        starts_at=now() - timedelta(days=9))
    CheckinFactory(carer=bep, vas=4)
    HoursEntryFactory(village=village, helper=kees, description="Bij Bep Jansen geweest",
                      worked_on=local_now().date() - timedelta(days=9))
    session.add_all([
        O.FollowUp(village_id=village.id, recipient_id=bep.id, kind="request.helped", status=O.SENT,
                   title="Bent u geholpen?", body="Beste Bep Jansen, bent u geholpen?", payload={"name": "Bep Jansen"}),
        O.FollowUp(village_id=village.id, recipient_id=coordinator.id, kind=O.PHONE_NEEDED, channel=O.INAPP,
                   status=O.SENT, body="Bel Bep Jansen op 06 12340001 of 0612340001", payload={"person_id": bep.id}),
        CallTask(village_id=village.id, person_id=bep.id, kind="request.helped", status="called",
                 outcome_note="Bep Jansen gebeld, alles goed"),
        LoginAttempt(email="bep.jansen@example.nl", ip="192.0.2.7", success=True),
        UserSession(token_hash="a" * 64, user_id=bep.id, ip="192.0.2.7", user_agent="Firefox op Windows"),
    ])
    session.flush()
    from coop.core import audit
    audit.record("person.viewed", actor=coordinator, subject=bep)
    session.commit()
    return {"bep": bep, "piet": piet, "kees": kees, "req": req, "coordinator": coordinator, "admin": admin}


# --- the copy ---------------------------------------------------------------------------------

def test_the_json_holds_everything_about_bep_and_nothing_of_anyone_else(world, client_as):
    response = client_as(world["bep"]).get("/mijn-gegevens/download.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    text = json.dumps(data, ensure_ascii=False)
    assert data["person"]["email"] == "bep.jansen@example.nl" and data["person"]["phone"] == BEP_PHONE
    assert [r["description"] for r in data["help_requests"]] == ["Boodschappen bij de Plus"]
    request = data["help_requests"][0]
    assert request["timeline"][0]["note"] == "Bep Jansen belde zelf" and request["timeline"][0]["by"] == "medewerker"
    assert request["role_split"][0]["note"] == "doet zelf de lijst"
    assert request["helpers_asked"][0]["status"] == "geaccepteerd"
    assert data["carer_profile"]["routines"] == "Koffie om drie uur"
    assert data["respite_requests"][0]["notes"] == "Sleutel onder de mat"
    assert data["respite_requests"][0]["times"][0]["volunteer"] == "vrijwilliger"
    assert data["carerqol"][0]["vas"] == 4
    assert data["messages"][0]["body"] == "Beste Bep Jansen, bent u geholpen?"
    assert data["calls"][0]["outcome_note"] == "Bep Jansen gebeld, alles goed"
    assert data["login_attempts"][0]["ip"] == "192.0.2.7"
    assert any(s["device"] == "Firefox op Windows" for s in data["logins"])
    assert any(line["sentence"].startswith("Marieke (dorpsondersteuner) bekeek uw gegevens") for line in data["audit"])
    for other in ("Piet", "Visser", PIET_PHONE, "piet.visser@example.nl", "Piet zijn eigen vraag", "Kees", "Bakker",
                  "kees.bakker", "+31612345555", "Bij Bep Jansen geweest", "Marieke van Dam"):
        assert other not in text, other


def test_the_print_page_reads_in_dutch(world, client_as):
    page = client_as(world["bep"]).get("/mijn-gegevens/afdrukken").text
    assert "Alles wat wij over u bewaren" in page and "Boodschappen bij de Plus" in page
    assert "Koffie om drie uur" in page and "Hoe gaat het? (CarerQol)" in page
    assert "bekeek uw gegevens" in page and "Piet" not in page.split("<main", 1)[1]
    assert "css/privacy.css" in page


def test_the_coordinator_makes_the_copy_on_bep_s_behalf_and_it_is_logged(session, world, client_as):
    bep, coordinator = world["bep"], world["coordinator"]
    before = session.scalar(select(func.max(AuditLog.id)))
    data = client_as(coordinator).get(f"/mensen/{bep.id}/gegevens.json").get_json()
    assert data["person"]["last_name"] == "Jansen"
    row = session.scalar(select(AuditLog).where(AuditLog.id > before))
    assert (row.action, row.subject_user_id, row.on_behalf_of_id) == ("person.exported", bep.id, bep.id)
    assert "Gegevens van Bep Jansen" in client_as(coordinator).get(f"/mensen/{bep.id}/gegevens-afdrukken").text


def test_only_staff_of_the_village_make_a_copy_or_forget(make, other_village, world, client_as):
    bep = world["bep"]
    stranger = make.user(other_village, R.COORDINATOR)
    for url in (f"/mensen/{bep.id}/gegevens.json", f"/mensen/{bep.id}/gegevens-afdrukken",
                f"/mensen/{bep.id}/vergeten"):
        assert client_as(stranger).get(url).status_code == 404
        assert client_as(world["piet"]).get(url).status_code == 403
        assert client_as(world["kees"]).get(url).status_code == 403
    assert client_as(stranger).post(f"/mensen/{bep.id}/vergeten").status_code == 404
    assert client_as(world["piet"]).post(f"/mensen/{bep.id}/vergeten").status_code == 403


# --- forgetting -------------------------------------------------------------------------------

def _occurrences(words: list[str]) -> list[str]:
    """Every text column of every table (JSON too) that still holds one of `words`, any case."""
    found = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if not isinstance(column.type, String | Text | JSON):
                continue
            text = func.lower(cast(column, Text))
            hits = db.session.scalar(select(func.count()).select_from(table).where(
                or_(*(text.contains(w.lower(), autoescape=True) for w in words))))
            if hits:
                found.append(f"{table.name}.{column.name}")
    return found


def _figures(village) -> list:
    from coop.reports import report
    built = report.build(village, local_now().year)
    return [(t.key, t.columns, t.rows, t.total) for t in built.tables]


def test_forgetting_bep_removes_her_name_and_contact_everywhere_and_keeps_the_figures(
        session, village, world, client_as):
    bep, coordinator = world["bep"], world["coordinator"]
    words = ["Bep Jansen", "bep.jansen@example.nl", BEP_PHONE, "06 12340001", "0612340001"]
    assert len(_occurrences(words)) >= 8  # the world really holds them
    figures = _figures(village)

    confirm = client_as(coordinator).get(f"/mensen/{bep.id}/vergeten")
    assert confirm.status_code == 200 and "Ja, vergeet Bep Jansen" in confirm.text
    assert f"Persoon {bep.id}" in confirm.text
    response = client_as(coordinator).post(f"/mensen/{bep.id}/vergeten")
    assert response.status_code == 302
    session.expire_all()

    assert _occurrences(words) == []
    person = session.get(User, bep.id)
    assert person.full_name == f"Persoon {bep.id}" and person.erased_at is not None and not person.active
    assert person.email is None and person.phone is None and person.street is None and person.lat is None
    assert _figures(village) == figures
    req = session.get(HelpRequest, world["req"].id)
    assert req.description == "" and req.anonymised_at is not None and req.status == "done"
    # Kees keeps his hours for the allowance; only Bep's name left his description.
    entry = session.scalar(select(HoursEntry).where(HoursEntry.helper_id == world["kees"].id))
    assert entry.description == "Bij [verwijderd] geweest" and entry.hours > Decimal("0") and entry.km == Decimal("4.0")
    assert entry.costs == Decimal("2.50") and entry.worked_on == local_now().date() - timedelta(days=9)
    assert session.scalar(select(CarerQolCheckin.vas).where(CarerQolCheckin.carer_id == bep.id)) == 4
    assert session.scalar(select(func.count(UserSession.id)).where(UserSession.user_id == bep.id)) == 0
    # The audit log is untouched, its chain whole, and reads the pseudonym.
    from coop.core import audit
    assert audit.verify(session.connection()).broken is None
    row = session.scalar(select(AuditLog).where(AuditLog.action == "person.erased"))
    assert row.subject_user_id == bep.id and row.on_behalf_of_id == bep.id and row.actor_id == coordinator.id
    log = client_as(world["admin"]).get("/beheer/logboek?persoon=Persoon").text
    assert f"Persoon {bep.id}" in log
    shown = client_as(coordinator).get(f"/mensen/{bep.id}").text
    assert "Deze persoon is vergeten" in shown


def test_forgetting_waits_for_what_is_still_open(session, village, world, client_as):
    piet, coordinator = world["piet"], world["coordinator"]
    page = client_as(coordinator).get(f"/mensen/{piet.id}/vergeten").text
    assert "Er staat nog 1 open hulpvraag" in page and "Ja, vergeet" not in page
    client_as(coordinator).post(f"/mensen/{piet.id}/vergeten")
    session.expire_all()
    assert session.get(User, piet.id).last_name == "Visser"
    assert erasure.blockers(world["coordinator"], world["admin"])[0].text.startswith("Deze persoon werkt")
    assert erasure.blockers(coordinator, coordinator)[0].text.startswith("U kunt uzelf")


def test_forgetting_twice_is_refused(session, world):
    erasure.erase(world["bep"], by=world["coordinator"])
    session.flush()
    with pytest.raises(Exception, match="al vergeten"):
        erasure.erase(session.get(User, world["bep"].id), by=world["coordinator"])


def test_the_scrub_stays_in_the_village(session, make, other_village, world):
    namesake = make.user(other_village, R.RESIDENT, first_name="Bep", last_name="Jansen", email=None)
    HelpRequestFactory(village=other_village, resident=namesake, description="Ook een Bep Jansen")
    session.flush()
    erasure.erase(world["bep"], by=world["coordinator"])
    kept = select(func.count(HelpRequest.id)).where(HelpRequest.description == "Ook een Bep Jansen")
    assert session.scalar(kept) == 1


# --- retention --------------------------------------------------------------------------------

def test_retention_deletes_only_what_is_older_than_each_period(session, village, world):
    bep = world["bep"]
    at = now()
    session.add_all([
        LoginAttempt(email="bep.jansen@example.nl", ip="192.0.2.1", at=at - timedelta(days=31)),
        LoginAttempt(email="bep.jansen@example.nl", ip="192.0.2.2", at=at - timedelta(days=29)),
        O.FollowUp(village_id=village.id, recipient_id=bep.id, kind="old", status=O.SENT, body="oud bericht",
                   title="oud", created_at=at - timedelta(days=91)),
        O.FollowUp(village_id=village.id, recipient_id=bep.id, kind="new", status=O.SENT, body="nieuw bericht",
                   created_at=at - timedelta(days=89)),
        O.FollowUp(village_id=village.id, recipient_id=bep.id, kind="waiting", status=O.PENDING, body="wacht nog",
                   created_at=at - timedelta(days=200)),
    ])
    old_checkin = CheckinFactory(carer=bep, taken_at=at - timedelta(days=37 * 31)).id
    quiet = make_quiet_carer(session, village, world, at)
    session.flush()

    retention.apply_retention_periods(at)
    session.expire_all()

    assert {a.ip for a in session.scalars(select(LoginAttempt).where(LoginAttempt.email == "bep.jansen@example.nl"))} \
        == {"192.0.2.2", "192.0.2.7"}
    bodies = {f.kind: f.body for f in session.scalars(select(O.FollowUp).where(O.FollowUp.recipient_id == bep.id))}
    assert bodies["old"] is None and bodies["new"] == "nieuw bericht" and bodies["waiting"] == "wacht nog"
    assert session.get(CarerQolCheckin, old_checkin) is None
    assert session.scalar(select(func.count(CarerQolCheckin.id)).where(CarerQolCheckin.carer_id == bep.id)) == 1
    assert session.get(CarerProfile, quiet).routines == ""
    assert session.get(CarerProfile, bep.id).routines == "Koffie om drie uur"  # respite nine days ago


def make_quiet_carer(session, village, world, at) -> int:
    """A carer whose last respite ended 13 months ago."""
    from tests.support.factories import UserFactory
    carer = UserFactory(village=village, roles=(R.RESIDENT, R.CARER))
    session.add(CarerProfile(user_id=carer.id, village_id=village.id, care_recipient_id=world["piet"].id,
                             routines="Wil om vijf uur eten", updated_at=at - timedelta(days=400)))
    RespiteShiftFactory(village=village, respite_request__carer=carer, respite_request__care_recipient=world["piet"],
                        volunteer=world["kees"], starts_at=at - timedelta(days=400))
    session.flush()
    return carer.id


def test_a_village_s_shorter_period_counts(session, village, world, client_as):
    response = client_as(world["admin"]).post("/beheer/bewaartermijnen", data={
        "retention_months": "12", "carer_notes_months": "6", "carerqol_months": "12", "outbox_body_days": "30",
        "login_attempt_days": "7", "audit_years": "7"})
    assert response.status_code == 302, response.text[-2000:]
    periods = periods_for(village.id)
    assert (periods.login_attempt_days, periods.outbox_body_days, periods.audit_years) == (7, 30, 7)
    session.add(LoginAttempt(email="bep.jansen@example.nl", ip="192.0.2.3", at=now() - timedelta(days=8)))
    session.flush()
    retention.apply_retention_periods()
    assert session.scalar(select(func.count(LoginAttempt.id)).where(LoginAttempt.ip == "192.0.2.3")) == 0
    assert session.scalar(select(AuditLog.detail).where(AuditLog.action == "retention.changed")).startswith(
        "login_attempt_days=7")


def test_settings_are_refused_outside_their_bounds(session, village, world, client_as):
    response = client_as(world["admin"]).post("/beheer/bewaartermijnen", data={
        "retention_months": "12", "carer_notes_months": "6", "carerqol_months": "12", "outbox_body_days": "30",
        "login_attempt_days": "90", "audit_years": "2"})
    assert response.status_code == 422
    assert "Kies een getal van 2 tot en met 30 dagen." in response.text
    assert "Kies een getal van 5 tot en met 20 jaar." in response.text
    assert session.get(RetentionSettings, village.id) is None
    assert client_as(world["coordinator"]).get("/beheer/bewaartermijnen").status_code == 403


def test_the_daily_job_is_registered():
    from coop.core.registry import daily_jobs
    assert retention.apply_retention_periods in daily_jobs()


# --- the register -----------------------------------------------------------------------------

def test_the_register_lists_every_setting_with_the_village_s_value(session, village, world, client_as):
    assert {e.setting for e in register.entries(village.id)} - {None} == set(FIELDS) | {"retention_months"}
    session.add(RetentionSettings(village_id=village.id, carerqol_months=17, outbox_body_days=45,
                                  login_attempt_days=9, carer_notes_months=11, audit_years=6))
    session.commit()
    for who in ("coordinator", "admin"):
        page = client_as(world[who]).get("/verwerkingsregister").text
        for text in ("17 maanden", "45 dagen na het versturen", "pogingen: 9 dagen", "11 maanden na de laatste",
                     "6 jaar", "24 maanden na het afronden", "7 jaar (fiscale bewaarplicht)"):
            assert text in page, (who, text)
    for who in ("bep", "kees"):
        assert client_as(world[who]).get("/verwerkingsregister").status_code == 403
    public = client_as(world["bep"]).get("/privacy").text
    assert "17 maanden" in public and "Wat wij bewaren, waarom en hoe lang" in public


def test_the_public_privacy_page_shows_the_defaults(client):
    page = client.get("/privacy").text
    assert "36 maanden" in page and "5 jaar" in page and "90 dagen" in page


def test_the_copy_has_every_section_the_print_page_shows(world):
    assert set(export.SECTIONS) <= set(export.gather(world["bep"]))


def test_a_forgotten_volunteer_keeps_only_what_the_tax_rules_ask_of_the_hours(session, world):
    kees = world["kees"]
    erasure.erase(kees, by=world["coordinator"])
    entry = session.scalar(select(HoursEntry).where(HoursEntry.helper_id == kees.id))
    assert entry.description == "" and entry.hours > Decimal("0")
    assert (entry.km, entry.costs, entry.worked_on) == (Decimal("4.0"), Decimal("2.50"),
                                                        local_now().date() - timedelta(days=9))
    assert session.get(User, kees.id).full_name == f"Persoon {kees.id}"
    assert _occurrences(["Kees Bakker", "kees.bakker@example.nl", "+31612345555"]) == []
