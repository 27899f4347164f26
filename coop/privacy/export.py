"""Everything stored about one person (AVG art. 15, and art. 20 as JSON), from every table that
holds it, one query per kind so that a long history costs no more queries than a short one.

Other people appear by their role only ("vrijwilliger", "dorpsondersteuner"), never by name or
contact: this is the person's copy, not anyone else's. The audit log reads as the sentences of
"Mijn gegevens", with the first name and role of the staff member who acted.
"""
from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from coop.activities import queries as activity_queries
from coop.activities.models import SIGNUP_LABELS, ActivityHelper
from coop.aids.models import CONDITIONS as AID_CONDITIONS
from coop.aids.models import AidLoan
from coop.auth.models import LoginAttempt, UserSession
from coop.circles.models import CircleMember
from coop.core import audit, audit_text, safejson
from coop.core import outbox as O
from coop.core import roles as R
from coop.core.calls import STATUS_LABELS as CALL_LABELS
from coop.core.calls import CallTask
from coop.core.clock import now
from coop.core.models import AuditLog, User
from coop.extensions import db
from coop.matching.models import STATUS_LABELS as PROPOSAL_LABELS
from coop.matching.models import Proposal
from coop.members.models import Household, Member
from coop.people.models import Absence, HoursEntry, ProfessionalProfile, VolunteerProfile, WeeklySlot
from coop.requests import service as requests_service
from coop.requests.models import FIVE_QUESTIONS, HelpRequest
from coop.respite.models import CalendarFeed, CarerProfile, CarerQolCheckin, RespiteRequest, RespiteShift

FORMAT = "coop-persoonsgegevens/1"
# The sections of the copy, in the order the print page shows them, with their Dutch heading.
SECTIONS = {
    "person": "Uw gegevens", "volunteer_profile": "Vrijwilligerswerk", "professional_profile": "Zorgprofessional",
    "availability": "Wanneer u kunt helpen", "absences": "Afwezig", "help_requests": "Uw hulpvragen",
    "proposals": "Voorstellen om te helpen", "carer_profile": "Mantelzorg",
    "respite_requests": "Respijt", "respite_shifts": "Respijt waarbij u hielp",
    "carerqol": "Hoe gaat het? (CarerQol)", "hours": "Uren en onkosten", "messages": "Berichten aan u",
    "calls": "Telefoontjes van de dorpsondersteuner", "phone_circles": "Telefooncirkel",
    "membership": "Lidmaatschap en contributie", "logins": "Waar en wanneer u inlogde",
    "login_attempts": "Pogingen om in te loggen", "calendar_feeds": "Agenda-koppelingen",
    "activity_signups": "Aanmeldingen voor activiteiten", "activity_helping": "Activiteiten waarbij u hielp",
    "audit": "Wie heeft uw gegevens bekeken of veranderd",
    "aid_loans": "Geleende hulpmiddelen",
}


def _role(user_id: int | None, person_id: int, role: str) -> str | None:
    if user_id is None:
        return None
    return "u" if user_id == person_id else role


def _rows(stmt: Any) -> list[Any]:
    return list(db.session.scalars(stmt))


def gather(person: User) -> dict[str, Any]:
    """The copy as plain data: dicts, lists, strings, numbers, dates."""
    pid = person.id
    data: dict[str, Any] = {
        "format": FORMAT, "made_at": now(),
        "about": f"Alles wat {person.village.cooperative_name} over u bewaart.",
        "person": {
            "id": pid, "first_name": person.first_name, "last_name": person.last_name, "email": person.email,
            "phone": person.phone, "street": person.street, "house_number": person.house_number,
            "postcode": person.postcode, "place": person.place, "lat": person.lat, "lon": person.lon,
            "village": person.village.name, "roles": sorted(R.LABELS.get(r, r) for r in person.roles),
            "active": person.active, "created_at": person.created_at, "last_login_at": person.last_login_at,
        },
    }
    vp = db.session.scalar(select(VolunteerProfile).where(VolunteerProfile.user_id == pid).options(
        selectinload(VolunteerProfile.categories), selectinload(VolunteerProfile.competences)))
    data["volunteer_profile"] = None if vp is None else {
        "radius_km": vp.radius_km, "max_hours_month": vp.max_hours_month, "vog_date": vp.vog_date,
        "volunteer_contract_signed_on": vp.volunteer_contract_signed_on, "paused": vp.paused,
        "under_21": vp.under_21, "approved_at": vp.approved_at, "motivation": vp.motivation,
        "preferences": vp.preferences, "offers": [c.name for c in vp.categories],
        "competences": [{"category_id": c.category_id, "recorded_on": c.recorded_on, "note": c.note,
                         "has_backstop": c.backstop_id is not None} for c in vp.competences],
    }
    pp = db.session.get(ProfessionalProfile, pid)
    data["professional_profile"] = None if pp is None else {
        "organisation": pp.organisation, "discipline": pp.discipline, "radius_km": pp.radius_km}
    data["availability"] = [{"weekday": s.weekday, "start": s.start, "end": s.end}
                            for s in _rows(select(WeeklySlot).where(WeeklySlot.user_id == pid)
                                           .order_by(WeeklySlot.weekday, WeeklySlot.start))]
    data["absences"] = [{"starts_on": a.starts_on, "ends_on": a.ends_on, "note": a.note}
                        for a in _rows(select(Absence).where(Absence.user_id == pid).order_by(Absence.starts_on))]
    data["help_requests"] = _requests(pid)
    data["proposals"] = [{"request_id": p.request_id, "status": PROPOSAL_LABELS[p.status], "proposed_at": p.proposed_at,
                          "answered_at": p.answered_at, "by_phone": p.by_phone, "your_reason": p.reason}
                         for p in _rows(select(Proposal).where(Proposal.helper_id == pid).order_by(Proposal.id))]
    cp = db.session.get(CarerProfile, pid)
    data["carer_profile"] = None if cp is None else {
        "relationship": cp.relationship_label, "care_hours_week": cp.care_hours_week, "routines": cp.routines,
        "what_calms": cp.what_calms, "who_to_call": cp.who_to_call, "sofa_roles": cp.sofa_roles,
        "support_needs": cp.support_needs, "updated_at": cp.updated_at}
    data["respite_requests"] = _respite(pid)
    data["respite_shifts"] = [{"starts_at": s.starts_at, "ends_at": s.ends_at, "status": RespiteShift.LABELS[s.status]}
                              for s in _rows(select(RespiteShift).where(RespiteShift.volunteer_id == pid)
                                             .order_by(RespiteShift.starts_at))]
    data["carerqol"] = [{"taken_at": c.taken_at, "filled_in_by": _role(c.filled_by_id, pid, "dorpsondersteuner"),
                         "fulfilment": c.fulfilment, "support": c.support, "relational": c.relational,
                         "mental_health": c.mental_health, "daily_activities": c.daily_activities,
                         "financial": c.financial, "physical_health": c.physical_health, "vas": c.vas,
                         "flag_reasons": c.flag_reasons}
                        for c in _rows(select(CarerQolCheckin).where(CarerQolCheckin.carer_id == pid)
                                       .order_by(CarerQolCheckin.taken_at))]
    data["hours"] = [{"worked_on": h.worked_on, "hours": h.hours, "km": h.km, "costs": h.costs,
                      "description": h.description, "status": h.status, "for": h.source_type,
                      "approved_at": h.approved_at}
                     for h in _rows(select(HoursEntry).where(HoursEntry.helper_id == pid)
                                    .order_by(HoursEntry.worked_on))]
    data["messages"] = [{"created_at": m.created_at, "kind": m.kind, "channel": m.channel,
                         "status": O.STATUS_LABELS.get(m.status, m.status), "sent_at": m.sent_at, "read_at": m.read_at,
                         "title": m.title, "body": m.body}
                        for m in _rows(select(O.FollowUp).where(O.FollowUp.recipient_id == pid)
                                       .order_by(O.FollowUp.id))]
    data["calls"] = [{"kind": c.kind, "status": CALL_LABELS.get(c.status, c.status), "due_on": c.due_on,
                      "attempts": c.attempts, "outcome_note": c.outcome_note, "handled_at": c.handled_at}
                     for c in _rows(select(CallTask).where(CallTask.person_id == pid).order_by(CallTask.id))]
    # Other members appear by place only: their names are theirs.
    data["phone_circles"] = [
        {"circle": m.circle.name, "place": m.position, "start_time": m.circle.start_time,
         "has_key_holder": m.key_holder_id is not None, "key_holder_relation": m.key_holder_relation,
         "absences": [{"starts_on": a.starts_on, "ends_on": a.ends_on, "reason": a.reason_label} for a in m.absences]}
        for m in _rows(select(CircleMember).where(CircleMember.person_id == pid).options(
            selectinload(CircleMember.circle), selectinload(CircleMember.absences)).order_by(CircleMember.id))]
    data["logins"] = [{"created_at": s.created_at, "last_seen_at": s.last_seen_at, "ip": s.ip,
                       "device": s.user_agent, "ended_at": s.ended_at, "end_reason": s.end_reason}
                      for s in _rows(select(UserSession).where(UserSession.user_id == pid).order_by(UserSession.id))]
    data["login_attempts"] = [] if not person.email else [
        {"at": a.at, "ip": a.ip, "success": a.success}
        for a in _rows(select(LoginAttempt).where(LoginAttempt.email == person.email.lower())
                       .order_by(LoginAttempt.at))]
    data["calendar_feeds"] = [{"created_at": f.created_at, "revoked_at": f.revoked_at}
                              for f in _rows(select(CalendarFeed).where(CalendarFeed.user_id == pid))]
    data["aid_loans"] = [{"aid": loan.item.name, "status": loan.status_label, "starts_on": loan.starts_on,
                          "due_on": loan.due_on, "returned_on": loan.returned_on,
                          "return_condition": AID_CONDITIONS.get(loan.return_condition or "", None),
                          "request_id": loan.help_request_id, "notes": loan.notes, "created_at": loan.created_at}
                         for loan in _rows(select(AidLoan).where(AidLoan.resident_id == pid)
                                           .options(joinedload(AidLoan.item)).order_by(AidLoan.id))]
    data["activity_signups"] = [{"activity": s.activity.title, "on_date": s.activity.on_date,
                                 "status": SIGNUP_LABELS[s.status], "queued_at": s.queued_at,
                                 "withdrawn_at": s.withdrawn_at, "wants_lift": s.wants_lift,
                                 "lift_request_id": s.lift_request_id, "dietary_note": s.dietary_note,
                                 "attended": s.attended,
                                 "signed_up_by": _role(s.entered_by_id, pid, "dorpsondersteuner")}
                                for s in activity_queries.signups_of(pid)]
    data["activity_helping"] = [{"activity": h.activity.title, "on_date": h.activity.on_date, "added_at": h.added_at}
                                for h in _rows(select(ActivityHelper).where(ActivityHelper.volunteer_id == pid)
                                               .options(joinedload(ActivityHelper.activity)))]
    data["membership"] = _membership(pid)
    rows = _rows(select(AuditLog).where(audit.concerning(pid)).options(
        selectinload(AuditLog.actor), selectinload(AuditLog.on_behalf_of)).order_by(AuditLog.id))
    data["audit"] = [{"at": r.at, "sentence": audit_text.sentence(r, person)} for r in rows]
    return data


def _membership(pid: int) -> dict[str, Any] | None:
    """The household the person is (or was last) a member of, its mandate and contributions: one query."""
    found = db.session.scalars(select(Household).join(Member, Member.household_id == Household.id)
                               .where(Member.user_id == pid).order_by(Household.starts_on.desc())
                               .options(joinedload(Household.mandate), joinedload(Household.contributions)))
    household = found.unique().first()
    if household is None:
        return None
    m = household.mandate
    return {
        "number": household.number, "starts_on": household.starts_on, "ends_on": household.ends_on,
        "pays_by": household.method_label, "reduction": household.reduction,
        "reduction_reason": household.reduction_reason, "gets_the_letters": household.contact_id == pid,
        "mandate": None if m is None else {"reference": m.reference, "signed_on": m.signed_on, "iban": m.iban,
                                           "account_holder": m.account_holder},
        "contributions": [{"year": c.year, "amount": c.amount, "status": c.status_label, "due_on": c.due_on,
                           "paid_on": c.paid_on, "debit_returned_on": c.returned_on,
                           "why_returned": c.return_reason_label}
                          for c in household.contributions],
    }


def _requests(pid: int) -> list[dict[str, Any]]:
    found = _rows(select(HelpRequest).where(HelpRequest.resident_id == pid).order_by(HelpRequest.id).options(
        selectinload(HelpRequest.category), selectinload(HelpRequest.events), selectinload(HelpRequest.five_questions)))
    proposals: dict[int, list[Proposal]] = {}
    if found:
        for p in _rows(select(Proposal).where(Proposal.request_id.in_([r.id for r in found])).order_by(Proposal.id)):
            proposals.setdefault(p.request_id, []).append(p)
    return [{
        "id": r.id, "category": r.category.name, "description": r.description, "status": r.status_label,
        "urgency": r.urgency_label, "flexible": r.flexible, "on_date": r.on_date, "part_of_day": r.part_of_day,
        "window_start": r.window_start, "window_end": r.window_end, "recurrence": r.recurrence,
        "street": r.street, "house_number": r.house_number, "postcode": r.postcode, "place": r.place,
        "consent_contact": r.consent_contact, "channel": r.channel_label,
        "entered_by": _role(r.entered_by_id, pid, "dorpsondersteuner"), "created_at": r.created_at,
        "closed_at": r.closed_at, "referred_to": r.referred_to, "referral_reason": r.referral_reason,
        "anonymised_at": r.anonymised_at,
        "timeline": [{"at": e.at, "what": requests_service.event_label(e.action),
                      "by": _role(e.actor_id, pid, "medewerker"), "note": e.note} for e in r.events],
        "role_split": [{"question": FIVE_QUESTIONS[line.question], "note": line.note, "who": line.who_label}
                       for line in r.five_questions],
        "helpers_asked": [{"status": PROPOSAL_LABELS[p.status], "proposed_at": p.proposed_at,
                           "answered_at": p.answered_at} for p in proposals.get(r.id, [])],
    } for r in found]


def _respite(pid: int) -> list[dict[str, Any]]:
    mine = (RespiteRequest.carer_id == pid) | (RespiteRequest.care_recipient_id == pid)
    found = _rows(select(RespiteRequest).where(mine)
                  .order_by(RespiteRequest.id).options(selectinload(RespiteRequest.category),
                                                       selectinload(RespiteRequest.series),
                                                       selectinload(RespiteRequest.shifts)))
    return [{
        "id": r.id, "you_are": "mantelzorger" if r.carer_id == pid else "naaste", "category": r.category.name,
        "kind": r.kind_label, "start_time": r.start_time, "end_time": r.end_time, "notes": r.notes,
        "created_at": r.created_at,
        "times": [{"starts_at": s.starts_at, "ends_at": s.ends_at, "status": RespiteShift.LABELS[s.status],
                   "volunteer": _role(s.volunteer_id, pid, "vrijwilliger")}
                  for s in r.shifts],
    } for r in found]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"not in a copy: {type(value).__name__}")


def as_json(data: dict[str, Any]) -> str:
    return safejson.dumps(data, default=_plain, indent=2)


# --- the print page ----------------------------------------------------------------------

LABELS = {
    "id": "nummer", "first_name": "voornaam", "last_name": "achternaam", "email": "e-mailadres", "phone": "telefoon",
    "street": "straat", "house_number": "huisnummer", "postcode": "postcode", "place": "plaats",
    "lat": "breedtegraad", "lon": "lengtegraad", "village": "dorp", "roles": "rollen", "active": "account aan",
    "created_at": "vastgelegd op", "last_login_at": "laatst ingelogd", "radius_km": "hoe ver (km)",
    "max_hours_month": "uren per maand", "vog_date": "datum VOG",
    "volunteer_contract_signed_on": "vrijwilligersovereenkomst getekend", "paused": "op pauze",
    "under_21": "jonger dan 21", "approved_at": "goedgekeurd op", "motivation": "waarom u helpt",
    "preferences": "voorkeuren", "offers": "biedt aan", "competences": "bevoegdheden", "category_id": "taak",
    "recorded_on": "vastgelegd op", "note": "notitie", "has_backstop": "met achterwacht",
    "organisation": "organisatie", "discipline": "beroep", "weekday": "dag", "start": "van", "end": "tot",
    "starts_on": "van", "ends_on": "tot", "category": "soort hulp", "description": "omschrijving",
    "status": "status", "urgency": "hoe dringend", "flexible": "wanneer het uitkomt", "on_date": "datum",
    "part_of_day": "dagdeel", "window_start": "vanaf", "window_end": "uiterlijk", "recurrence": "hoe vaak",
    "consent_contact": "helper mag naam en telefoon zien", "channel": "hoe", "entered_by": "ingevoerd door",
    "closed_at": "afgerond op", "referred_to": "doorverwezen naar", "referral_reason": "waarom doorverwezen",
    "anonymised_at": "geanonimiseerd op", "timeline": "tijdlijn", "at": "wanneer", "what": "wat", "by": "door",
    "role_split": "Schijf van Vijf", "question": "vraag", "who": "wie", "helpers_asked": "helpers gevraagd",
    "request_id": "bij hulpvraag", "proposed_at": "gevraagd op", "answered_at": "beantwoord op",
    "by_phone": "telefonisch", "your_reason": "uw reden", "relationship": "relatie",
    "care_hours_week": "uren zorg per week", "routines": "vaste gewoontes", "what_calms": "wat rust geeft",
    "who_to_call": "wie te bellen", "sofa_roles": "rol als mantelzorger", "support_needs": "wat u nodig hebt",
    "updated_at": "bijgewerkt op", "you_are": "u bent", "kind": "soort", "start_time": "van", "end_time": "tot",
    "notes": "notities", "times": "keren", "starts_at": "begint", "ends_at": "eindigt", "volunteer": "vrijwilliger",
    "taken_at": "ingevuld op", "filled_in_by": "ingevuld door", "fulfilment": "voldoening", "support": "steun",
    "relational": "relatie met uw naaste", "mental_health": "psychisch", "daily_activities": "dagelijkse dingen",
    "financial": "geld", "physical_health": "lichamelijk", "vas": "cijfer (0–10)", "flag_reasons": "opgevallen",
    "worked_on": "datum", "hours": "uren", "km": "kilometers", "costs": "onkosten", "for": "waarvoor",
    "sent_at": "verstuurd op", "read_at": "gelezen op", "title": "onderwerp", "body": "tekst", "due_on": "datum",
    "attempts": "pogingen", "outcome_note": "wat er uitkwam", "handled_at": "afgehandeld op",
    "last_seen_at": "laatst actief", "ip": "internetadres", "device": "apparaat", "ended_at": "uitgelogd op",
    "end_reason": "waarom", "success": "gelukt", "revoked_at": "ingetrokken op", "sentence": "wat er gebeurde",
    "aid": "hulpmiddel", "returned_on": "teruggebracht op", "return_condition": "staat bij terugbrengen",
    "number": "lidnummer", "pays_by": "betaalt met", "reduction": "korting", "reduction_reason": "waarom korting",
    "gets_the_letters": "krijgt de post", "mandate": "machtiging", "reference": "kenmerk", "signed_on": "getekend op",
    "iban": "IBAN", "account_holder": "naam bij de rekening", "contributions": "contributie", "year": "jaar",
    "amount": "bedrag", "paid_on": "betaald op", "debit_returned_on": "teruggeboekt op", "why_returned": "waarom "
    "teruggeboekt",
}
