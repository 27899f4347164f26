"""A village with something behind every form, and the table of the forms that create things.

Shared by the double-submit tests (test_once.py) and the walk of every form with generated
nonsense (test_every_form.py). The clock stands on Monday 16 March 2026, 10:00 in Amsterdam.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from sqlalchemy import func, select

from coop.agreements import service as agreements
from coop.core import calls
from coop.core import roles as R
from coop.core.models import ReferralDestination, TaskCategory, User, default_referral_destinations
from coop.extensions import db
from coop.matching import service as matching
from coop.people import service as people
from coop.people.models import HoursEntry, WeeklySlot
from coop.requests.models import HelpRequest
from coop.respite import service as respite

MONDAY = datetime(2026, 3, 16, 9, 0, tzinfo=UTC)


@dataclass
class World:
    village: object
    coordinator: User
    admin: User
    gemeente: User
    platform: User
    resident: User
    carer: User
    volunteer: User
    professional: User
    searching: HelpRequest
    referable: HelpRequest
    respite: object
    shift: object
    agreement: object
    draft_hours: HoursEntry
    proposal: object
    destination: ReferralDestination
    call: object
    competence: object
    ids: list[str] = field(default_factory=list)
    circle: object = None  # Bep, Piet and Gerrit phone each other
    circle_missed: object = None  # nobody answered at Piet this morning
    # Lending aids: a free item, one lent to the resident, one reserved for them.
    aid: object = None
    loan: object = None
    reservation: object = None
    # Members: Bep's household (direct debit), this year's contribution run, a message to all members.
    household: object = None
    contribution: object = None
    run: object = None
    broadcast: object = None

    def role(self, name: str) -> User | None:
        return None if name == "anonymous" else getattr(self, name)


def build_world(session, make) -> World:
    village = make.village()
    session.add_all([
        TaskCategory(village_id=village.id, code="respijt", name="Respijt: gezelschap", rule=TaskCategory.OPEN),
        TaskCategory(village_id=village.id, code="respijt_zorg", name="Respijt met verzorging",
                     rule=TaskCategory.TRAINED)])
    session.add_all(default_referral_destinations(village.id))
    session.flush()
    coordinator = make.user(village, R.COORDINATOR, first_name="Marieke", last_name="van Dam")
    admin = make.user(village, R.ADMIN)
    gemeente = make.user(village, R.MUNICIPALITY)
    platform = make.user(village, R.PLATFORM)
    resident = make.user(village, R.RESIDENT, first_name="Bep", last_name="Jansen")
    cared_for = make.user(village, R.RESIDENT, email=None, first_name="Piet", last_name="Visser")
    carer = make.user(village, R.RESIDENT, R.CARER, first_name="Truus", last_name="Visser")
    respite.save_carer_profile(carer, by=carer, care_recipient=cared_for, relationship_label="partner",
                               care_hours_week=40, routines="Koffie om drie uur.", what_calms="Muziek.",
                               who_to_call="Anja", sofa_roles=["O"])
    volunteer = make.volunteer(village, categories=("boodschappen", "gezelschap", "respijt"),
                               first_name="Kees", last_name="Bakker")
    for day in range(5):
        session.add(WeeklySlot(user_id=volunteer.id, weekday=day, start=time(9, 0), end=time(18, 0)))
    professional = make.professional(village)
    category = make.category(village, "boodschappen")

    def help_request(status):
        req = HelpRequest(village_id=village.id, resident=resident, category=category, description="Boodschappen",
                          status=status, urgency="week", flexible=True, street="Dorpsstraat", house_number="1",
                          place=village.name, lat=52.08, lon=5.31, entered_by_id=resident.id)
        session.add(req)
        session.flush()
        return req

    searching, referable = help_request("searching"), help_request("intake")
    asked = respite.request_respite(carer, by=carer, first_date=date(2026, 3, 17), start_time=time(14, 0),
                                    end_time=time(17, 0), freq="weekly", until=date(2026, 4, 14))
    session.flush()
    weekly = asked.respite_request
    agreement = agreements.create_agreement(village, by=coordinator, title="Wie doet wat", starts_on=date(2026, 1, 1),
                                            ends_on=date(2026, 12, 31), review_on=date(2026, 7, 1))
    draft = HoursEntry(village_id=village.id, helper_id=volunteer.id, worked_on=date(2026, 3, 10),
                       hours=2, km=0, costs=0, status=HoursEntry.DRAFT, source_type="manual", description="Hulp")
    session.add(draft)
    other = help_request("searching")
    proposal = matching.propose(other, volunteer, by=coordinator)
    call = calls.add_call(resident, "request.matched")
    trained = session.scalar(select(TaskCategory).where(TaskCategory.village_id == village.id,
                                                        TaskCategory.code == "respijt_zorg"))
    competence = people.record_competence(volunteer, category=trained, backstop=professional, note="", by=coordinator)
    session.flush()
    destination = session.scalar(select(ReferralDestination).where(ReferralDestination.village_id == village.id))
    household, contribution, run, message = _members(session, village, coordinator, resident)
    world = World(village=village, coordinator=coordinator, admin=admin, gemeente=gemeente, platform=platform,
                  resident=resident, carer=carer, volunteer=volunteer, professional=professional,
                  searching=searching, referable=referable, respite=weekly, shift=weekly.shifts[0],
                  agreement=agreement, draft_hours=draft, proposal=proposal, destination=destination,
                  call=call, competence=competence, household=household, contribution=contribution, run=run,
                  broadcast=message)
    _circle(session, make, world, cared_for)
    _aids(world)
    categories = session.scalars(select(TaskCategory.id).where(TaskCategory.village_id == village.id)).all()
    destinations = session.scalars(select(ReferralDestination.id)
                                   .where(ReferralDestination.village_id == village.id)).all()
    world.ids = [str(i) for i in [*categories, *destinations, resident.id, cared_for.id, volunteer.id,
                                  professional.id, coordinator.id, *(r.id for r in agreement.latest.rows)]]
    session.commit()
    return world


def _circle(session, make, world: World, piet: User) -> None:
    from coop.circles import service as circles
    gerrit = make.user(world.village, R.RESIDENT, first_name="Gerrit", last_name="Kok")
    world.circle = circles.create_circle(world.village, name="Belt", start_time=time(9, 0), confirm_by=time(10, 0),
                                         members=[world.resident, piet, gerrit], by=world.coordinator)
    members = sorted(world.circle.members, key=lambda m: m.position)
    circles.set_key_holder(members[0], key_holder=world.volunteer, relation="buurman", by=world.coordinator)
    circles.add_absence(members[2], starts_on=date(2027, 1, 4), ends_on=date(2027, 1, 8), reason="holiday",
                        by=world.coordinator)
    world.circle_missed = circles.report_missed(world.circle, members[1], by=world.coordinator)
    session.flush()
def _aids(world: World) -> None:
    from coop.aids import service as aids
    day = date(2026, 3, 2)
    village, by, resident = world.village, world.coordinator, world.resident
    world.aid = aids.add_item(village.id, kind="rollator", label="R-01", condition="good", by=by)
    lent = aids.add_item(village.id, kind="rollator", label="R-02", condition="good", by=by)
    kept = aids.add_item(village.id, kind="douchestoel", label="D-01", condition="good", by=by)
    world.loan = aids.lend(lent, resident, starts_on=day, due_on=date(2026, 4, 13), by=by)
    world.reservation = aids.reserve(kept, resident, starts_on=date(2026, 3, 18), due_on=date(2026, 4, 30), by=by)
def _members(session, village, coordinator, resident) -> tuple:
    """Bep is a member by direct debit, this year's contribution is asked (collected on 1 April),
    and a message went to all members."""
    from coop.members import broadcast
    from coop.members import service as members
    from coop.members.models import Contribution, MemberSettings
    session.add(MemberSettings(village_id=village.id, creditor_id="NL69ZZZ123456780000",
                               account_name=village.cooperative_name, iban="NL91ABNA0417164300", bic="ABNANL2A"))
    household = members.join(village, members.JoinInput(
        people=[resident], method="direct_debit", starts_on=date(2026, 1, 1), iban="NL20INGB0001234567",
        account_holder=resident.full_name, signed_on=date(2026, 1, 1)), by=coordinator)
    run = members.run_year(village, 2026, date(2026, 4, 1), by=coordinator)
    contribution = session.scalar(select(Contribution).where(Contribution.household_id == household.id))
    message = broadcast.send(village, "leden", "Koffieochtend", "Vrijdag is er koffie.", by=coordinator)
    return household, contribution, run, message


def token() -> str:
    return secrets.token_urlsafe(24)


# --- the forms that create something: what to post, as whom, and what it makes ----------------

def _request_form(w: World, **extra) -> dict:
    return {"category_id": str(w.searching.category_id), "description": "Wie doet donderdag boodschappen?",
            "when": "day", "on_date": "2026-03-19", "part_of_day": "morning", "recurrence": "once",
            "urgency": "week", "own_address": "yes", **extra}


def _respite_form() -> dict:
    return {"first_date": "2026-03-24", "start_time": "10:00", "end_time": "12:00", "freq": "weekly",
            "until": "2026-04-07", "with_care": "0"}


def _carerqol() -> dict:
    from coop.respite.carerqol import DIMENSIONS
    return {"vas": "6", **{name: "1" for name, _, _ in DIMENSIONS}}


def _village_form() -> dict:
    return {"name": "Bosch en Duin", "cooperative_name": "Zorgcoöperatie Bosch en Duin", "slug": "bosch-en-duin",
            "centre_lat": "52,11", "centre_lon": "5,24", "phone": "0343 123456", "municipality_id": "0",
            "new_municipality": "Gemeente Zeist Test", "category_set": "standaard",
            "coordinator_first_name": "Ria", "coordinator_last_name": "de Boer",
            "coordinator_email": "ria@bosch-en-duin.example.nl", "coordinator_is_admin": "y"}


def _booked():
    from coop.respite.models import RespiteShift
    return select(func.count()).select_from(RespiteShift).where(RespiteShift.status == RespiteShift.BOOKED)


def _count(model):
    return select(func.count()).select_from(model)


@dataclass(frozen=True)
class CreateCase:
    name: str
    role: str
    url: object  # World -> str
    data: object  # World -> dict (without the token)
    counts: object  # () -> a select of one number
    token_field: str = "form_token"


def create_cases() -> list[CreateCase]:
    from coop.activities.models import Activity, Signup
    from coop.agreements.models import Agreement, AgreementRow, RowComment
    from coop.aids.models import AidItem, AidLoan
    from coop.circles.models import CircleAbsence, CircleMember, PhoneCircle
    from coop.core.models import Village
    from coop.matching.models import Proposal
    from coop.members.models import Broadcast, ContributionRun, Household
    from coop.people.models import Absence, Competence
    from coop.requests.models import RequestEvent
    from coop.respite.models import CarerQolCheckin, RespiteRequest
    from tests.activities.world import activity_of
    return [
        CreateCase("person", "coordinator", lambda w: "/mensen/nieuw",
                   lambda w: {"first_name": "Riek", "last_name": "Mulder", "street": "Molenweg", "house_number": "3"},
                   lambda: _count(User)),
        CreateCase("resident by phone", "coordinator", lambda w: "/hulpvragen/namens",
                   lambda w: {"first_name": "Riek", "last_name": "Mulder", "street": "Molenweg", "house_number": "3"},
                   lambda: _count(User)),
        CreateCase("help request", "resident", lambda w: "/hulp-vragen", _request_form, lambda: _count(HelpRequest)),
        CreateCase("help request by phone", "coordinator", lambda w: f"/hulpvragen/namens/{w.resident.id}",
                   lambda w: _request_form(w, channel="phone"), lambda: _count(HelpRequest)),
        CreateCase("addition to a request", "resident", lambda w: f"/hulpvragen/{w.searching.id}/aanvullen",
                   lambda w: {"text": "Liever 's middags"}, lambda: _count(RequestEvent)),
        CreateCase("respite request", "carer", lambda w: "/mijn-respijt/aanvragen", lambda w: _respite_form(),
                   lambda: _count(RespiteRequest)),
        CreateCase("respite request for a carer", "coordinator",
                   lambda w: f"/respijt/mantelzorgers/{w.carer.id}/aanvragen", lambda w: _respite_form(),
                   lambda: _count(RespiteRequest)),
        CreateCase("check-in", "carer", lambda w: "/hoe-gaat-het", lambda w: _carerqol(),
                   lambda: _count(CarerQolCheckin)),
        CreateCase("check-in for a carer", "coordinator", lambda w: f"/respijt/mantelzorgers/{w.carer.id}/carerqol",
                   lambda w: _carerqol(), lambda: _count(CarerQolCheckin)),
        CreateCase("agreement", "coordinator", lambda w: "/afspraken/nieuw",
                   lambda w: {"title": "Nieuwe afspraken", "starts_on": "2027-01-01", "ends_on": "2027-12-31",
                              "review_on": "2027-07-01"}, lambda: _count(Agreement)),
        CreateCase("agreement row", "coordinator", lambda w: f"/afspraken/{w.agreement.id}/onderwerp-toevoegen",
                   lambda w: {"domain": "Vervoer naar de dagbesteding"}, lambda: _count(AgreementRow)),
        CreateCase("agreement comment", "gemeente", lambda w: f"/afspraken/{w.agreement.id}/opmerking",
                   lambda w: {"row_id": str(w.agreement.latest.rows[0].id), "text": "Wie betaalt dit?"},
                   lambda: _count(RowComment)),
        CreateCase("hours", "volunteer", lambda w: "/mijn-uren/nieuw",
                   lambda w: {"worked_on": "2026-03-12", "hours": "2,5", "km": "12", "costs": "0",
                              "description": "Boodschappen gedaan"}, lambda: _count(HoursEntry)),
        CreateCase("proposal", "coordinator", lambda w: f"/hulpvragen/{w.searching.id}/voorstellen",
                   lambda w: {"helper_id": str(w.volunteer.id)}, lambda: _count(Proposal)),
        CreateCase("booking", "coordinator", lambda w: f"/respijt/aanvragen/{w.respite.id}/boeken",
                   lambda w: {"volunteer": str(w.volunteer.id)}, _booked),
        CreateCase("booking of one time", "coordinator", lambda w: f"/respijt/keren/{w.shift.id}/vrijwilliger",
                   lambda w: {"volunteer": str(w.volunteer.id)}, _booked),
        CreateCase("weekly slot", "volunteer", lambda w: "/beschikbaarheid",
                   lambda w: {"which": "slot", "slot-weekday": "5", "slot-start": "10:00", "slot-end": "12:00"},
                   lambda: _count(WeeklySlot), "slot-form_token"),
        CreateCase("absence", "volunteer", lambda w: "/beschikbaarheid",
                   lambda w: {"which": "absence", "absence-starts_on": "2026-07-01",
                              "absence-ends_on": "2026-07-14"}, lambda: _count(Absence), "absence-form_token"),
        CreateCase("competence", "coordinator", lambda w: f"/mensen/{w.volunteer.id}/vrijwilliger",
                   lambda w: {"bevoegd-category": str(_medication(w).id), "bevoegd-backstop": str(w.professional.id),
                              "bevoegd-note": "training gevolgd", "bevoegd-submit": "1"},
                   lambda: _count(Competence), "bevoegd-form_token"),
        CreateCase("category", "coordinator", lambda w: "/beheer/categorieen",
                   lambda w: {"name": "Klussen", "code": "klussen", "rule": "open"}, lambda: _count(TaskCategory)),
        CreateCase("referral destination", "coordinator", lambda w: "/beheer/doorverwijzen",
                   lambda w: {"bestemming-name": "Fysiotherapeut"}, lambda: _count(ReferralDestination),
                   "bestemming-form_token"),
        CreateCase("village", "platform", lambda w: "/platform/dorpen/nieuw", lambda w: _village_form(),
                   lambda: _count(Village)),
        CreateCase("aid", "coordinator", lambda w: "/hulpmiddelen/nieuw",
                   lambda w: {"kind": "rolstoel", "label": "RS-09", "condition": "good"}, lambda: _count(AidItem)),
        CreateCase("loan", "coordinator", lambda w: f"/hulpmiddelen/{w.aid.id}/uitlenen",
                   lambda w: {"resident": str(w.resident.id), "starts_on": "2026-03-16", "due_on": "2026-04-27"},
                   lambda: _count(AidLoan)),
        CreateCase("phone circle", "coordinator", lambda w: "/telefooncirkels/nieuw",
                   lambda w: {"name": "Ochtendronde", "start_time": "09:00", "confirm_by": "10:00",
                              "members": [str(w.resident.id), str(w.carer.id)]}, lambda: _count(PhoneCircle)),
        CreateCase("circle member", "coordinator", lambda w: f"/telefooncirkels/{w.circle.id}/deelnemers",
                   lambda w: {"person": str(w.carer.id)}, lambda: _count(CircleMember)),
        CreateCase("circle absence", "coordinator",
                   lambda w: f"/telefooncirkels/deelnemers/{min(w.circle.members, key=lambda m: m.position).id}"
                             "/afwezig",
                   lambda w: {"afwezig-starts_on-day": "6", "afwezig-starts_on-month": "4",
                              "afwezig-starts_on-year": "2026", "afwezig-ends_on-day": "10",
                              "afwezig-ends_on-month": "4", "afwezig-ends_on-year": "2026",
                              "afwezig-reason": "holiday"}, lambda: _count(CircleAbsence),
                   token_field="afwezig-form_token"),
        CreateCase("activity", "coordinator", lambda w: "/activiteiten/nieuw",
                   lambda w: {"kind": "coffee", "title": "Koffieochtend", "on_date": "2026-03-20",
                              "start_time": "10:00", "end_time": "11:30", "venue": "De Kapel", "capacity": "20",
                              "cost": "0"}, lambda: _count(Activity)),
        CreateCase("sign-up for an activity", "carer", lambda w: f"/mijn-activiteiten/{activity_of(w).id}",
                   lambda w: {"dietary_note": "vegetarisch"}, lambda: _count(Signup)),
        CreateCase("sign-up for an activity by phone", "coordinator",
                   lambda w: f"/activiteiten/{activity_of(w).id}/aanmelden/{w.carer.id}",
                   lambda w: {"wants_lift": "y"}, lambda: _count(Signup)),
        CreateCase("member household", "coordinator", lambda w: f"/leden/nieuw/{w.carer.id}",
                   lambda w: {"method": "transfer", "starts_on": "2026-03-01"}, lambda: _count(Household)),
        CreateCase("contribution run", "coordinator", lambda w: "/leden/contributie",
                   lambda w: {"year": "2027", "collection_date": "2027-01-15"}, lambda: _count(ContributionRun)),
        CreateCase("message to a group", "coordinator", lambda w: "/leden/bericht",
                   lambda w: {"group": "leden", "subject": "Nieuws", "text": "Vrijdag is er koffie.", "confirmed": "y",
                              "versturen": "1"}, lambda: _count(Broadcast)),
        CreateCase("sign-up", "anonymous", lambda w: "/aanmelden",
                   lambda w: {"kind": "resident", "first_name": "Jan", "last_name": "Smit",
                              "email": "jan.smit@example.nl", "password": "een lange zin om te onthouden",
                              "password2": "een lange zin om te onthouden"}, lambda: _count(User)),
    ]


def _medication(w: World):
    return db.session.scalar(select(TaskCategory).where(TaskCategory.village_id == w.village.id,
                                                        TaskCategory.code == "medicatie"))
