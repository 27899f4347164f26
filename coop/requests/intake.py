"""How a hulpvraag comes in: posted by the resident or recorded for them by the coordinator,
and the Schijf van Vijf intake that records its answers.

Every check happens before anything is added to the session, so a refused request writes
nothing; the caller commits once.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from coop.core import audit
from coop.core import roles as R
from coop.core.clock import LOCAL, local_now
from coop.core.errors import DomainError, DomainErrors, collect
from coop.core.models import TaskCategory, User
from coop.core.validation import normalise_postcode
from coop.extensions import db
from coop.members import service as members
from coop.people import service as people
from coop.requests import place as where
from coop.requests.models import (
    CANCELLED,
    CHANNEL_LABELS,
    FIVE_QUESTIONS,
    FIVE_QUESTIONS_ACTION,
    PARTIES,
    PARTS_OF_DAY,
    RECURRENCE_LABELS,
    URGENCIES,
    WEB,
    FiveQuestionsAnswer,
    HelpRequest,
)
from coop.requests.service import add_event

MAX_DESCRIPTION = 1000
MAX_ANSWER_NOTE = 500
DAY, WINDOW, FLEXIBLE = "day", "window", "flexible"
WHEN_KINDS = (DAY, WINDOW, FLEXIBLE)


@dataclass
class RequestInput:
    """What the posting form collected, already typed (dates, times, booleans)."""
    category_id: object
    description: str
    when: str
    urgency: str
    recurrence: str = "once"
    on_date: date | None = None
    part_of_day: str | None = None
    start_time: time | None = None
    end_time: time | None = None
    own_address: bool = True
    street: str | None = None
    house_number: str | None = None
    postcode: str | None = None
    place: str | None = None
    consent_contact: bool = False
    channel: str = WEB


def _category(village_id: int, raw) -> TaskCategory:
    try:
        category = db.session.get(TaskCategory, int(raw))
    except (TypeError, ValueError):
        category = None
    if category is None or category.village_id != village_id or not category.active:
        raise DomainError("Kies een soort hulp uit de lijst.", "category_id")
    return category


def _description(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError("Schrijf in een paar woorden waarmee u hulp wilt.", "description")
    if len(text) > MAX_DESCRIPTION:
        raise DomainError(f"Gebruik hoogstens {MAX_DESCRIPTION} tekens; de rest kunt u telefonisch vertellen.",
                          "description")
    return text


def _when(data: RequestInput) -> dict:
    """The columns for 'when', judged against today in Europe/Amsterdam."""
    if data.when not in WHEN_KINDS:
        raise DomainError("Kies wanneer u hulp wilt.", "when")
    if data.recurrence not in RECURRENCE_LABELS:
        raise DomainError("Kies of het eenmalig is of vaker.", "recurrence")
    if data.when == FLEXIBLE:
        return {"flexible": True, "on_date": None, "part_of_day": None, "window_start": None, "window_end": None}
    if data.on_date is None:
        raise DomainError("Vul de datum in.", "on_date")
    today = local_now().date()
    if data.on_date < today:
        raise DomainError("Deze datum is al voorbij. Kies vandaag of een dag later.", "on_date")
    if data.when == DAY:
        if data.part_of_day not in PARTS_OF_DAY:
            raise DomainError("Kies een dagdeel: ochtend, middag of avond.", "part_of_day")
        return {"flexible": False, "on_date": data.on_date, "part_of_day": data.part_of_day,
                "window_start": None, "window_end": None}
    if data.start_time is None:
        raise DomainError("Vul de begintijd in.", "start_time")
    if data.end_time is None:
        raise DomainError("Vul de eindtijd in.", "end_time")
    if data.end_time <= data.start_time:
        raise DomainError("De eindtijd moet na de begintijd liggen.", "end_time")
    start = datetime.combine(data.on_date, data.start_time, tzinfo=LOCAL)
    end = datetime.combine(data.on_date, data.end_time, tzinfo=LOCAL)
    if end <= local_now():
        raise DomainError("Deze tijd is vandaag al voorbij. Kies een latere tijd of dag.", "start_time")
    return {"flexible": False, "on_date": data.on_date, "part_of_day": None,
            "window_start": start, "window_end": end}


def _check_where(data: RequestInput, resident: User) -> None:
    """The address's rules, without looking it up: every refusal of `_where`, checked first."""
    if data.own_address:
        if not resident.street:
            raise DomainError("Er staat nog geen adres bij ons bekend. Vul hieronder het adres in.", "street")
        return
    street, number = (data.street or "").strip(), (data.house_number or "").strip()
    found = []
    if not street:
        found.append(DomainError("Vul de straat in.", "street"))
    elif len(street) > 120:
        found.append(DomainError("Gebruik hier hoogstens 120 tekens.", "street"))
    if not number:
        found.append(DomainError("Vul het huisnummer in.", "house_number"))
    elif len(number) > 12:
        found.append(DomainError("Gebruik hier hoogstens 12 tekens.", "house_number"))
    if len((data.place or "").strip()) > 80:
        found.append(DomainError("Gebruik hier hoogstens 80 tekens.", "place"))
    if found:
        raise DomainErrors(found)


def _urgency(data: RequestInput) -> None:
    if data.urgency not in URGENCIES:
        raise DomainError("Kies hoe snel u hulp nodig hebt.", "urgency")


def _for_members(resident: User, data: RequestInput) -> None:
    """A category only for members: who is not one hears how to join (the coordinator can
    make them a member on the spot, see requests/views.py)."""
    if members.category_needs_membership(data.category_id, resident):
        raise DomainError(members.not_a_member_message(resident.village), "category_id")


def problems(resident: User, data: RequestInput) -> list[DomainError]:
    """Everything wrong with a posting at once, each on its field (the form shows them together)."""
    found = collect(lambda: _category(resident.village_id, data.category_id), lambda: _description(data.description),
                    lambda: _urgency(data), lambda: _when(data), lambda: _check_where(data, resident),
                    lambda: _for_members(resident, data))
    if data.channel not in CHANNEL_LABELS:
        found.insert(0, DomainError("Kies hoe de hulpvraag binnenkwam.", "channel"))
    return found


def _where(data: RequestInput, resident: User, by: User) -> dict:
    _check_where(data, resident)
    if data.own_address:
        if resident.lat is None or resident.lon is None:
            people.locate_person(resident, by=by)  # not on the map yet: perhaps a geocoder knows it now
        return {"street": resident.street, "house_number": resident.house_number, "postcode": resident.postcode,
                "place": resident.place, "lat": resident.lat, "lon": resident.lon}
    street, number = (data.street or "").strip(), (data.house_number or "").strip()
    if not street:
        raise DomainError("Vul de straat in.", "street")
    if len(street) > 120:
        raise DomainError("Gebruik hier hoogstens 120 tekens.", "street")
    if not number:
        raise DomainError("Vul het huisnummer in.", "house_number")
    if len(number) > 12:
        raise DomainError("Gebruik hier hoogstens 12 tekens.", "house_number")
    place = (data.place or "").strip() or resident.village.name
    if len(place) > 80:
        raise DomainError("Gebruik hier hoogstens 80 tekens.", "place")
    postcode = normalise_postcode(data.postcode) if data.postcode and data.postcode.strip() else None
    # Another address is geocoded on its own; when no geocoder knows it the coordinator pins it.
    lat, lon = where.other_address_point(street, number, postcode, place, resident.village_id)
    return {"street": street, "house_number": number, "postcode": postcode, "place": place,
            "lat": lat, "lon": lon}


def _by_token(token: str) -> HelpRequest | None:
    return db.session.scalar(select(HelpRequest).where(HelpRequest.form_token == token))


def _check_token(token: str | None, resident: User) -> HelpRequest | None:
    """The request this form already made, if any (a double submit), else None."""
    token = (token or "").strip()
    if not (16 <= len(token) <= 64):
        raise DomainError("Het formulier is verlopen. Laad de pagina opnieuw en probeer het nog eens.")
    existing = _by_token(token)
    if existing is not None and existing.resident_id != resident.id:
        raise DomainError("Het formulier is verlopen. Laad de pagina opnieuw en probeer het nog eens.")
    return existing


def _check_actor(resident: User, by: User) -> None:
    if by.id == resident.id:
        return
    if not by.has_role(R.COORDINATOR, R.ADMIN) or by.village_id != resident.village_id:
        raise DomainError("U kunt alleen voor uzelf een hulpvraag plaatsen.")


def post_request(resident: User, data: RequestInput, *, by: User, form_token: str | None) -> tuple[HelpRequest, bool]:
    """Record a hulpvraag for `resident`, posted by themselves or by the coordinator for them.

    Returns (request, created). The same form posted twice returns the first request and
    creates nothing (idempotent by the form's one-time token).
    """
    existing = _check_token(form_token, resident)
    if existing is not None:
        return existing, False
    assert form_token is not None  # _check_token refused a missing one
    _check_actor(resident, by)
    found = problems(resident, data)
    if found:
        raise DomainErrors(found)
    category = _category(resident.village_id, data.category_id)
    description = _description(data.description)
    req = HelpRequest(
        village_id=resident.village_id, resident=resident, category=category, description=description,
        urgency=data.urgency, recurrence=data.recurrence, consent_contact=bool(data.consent_contact),
        entered_by_id=by.id, channel=data.channel, form_token=form_token.strip(),
        **_when(data), **_where(data, resident, by))
    try:
        with db.session.begin_nested():
            db.session.add(req)
            db.session.flush()
    except IntegrityError:
        # The same form won a race in another worker a moment ago: show that one.
        existing = _by_token(form_token.strip())
        if existing is None or existing.resident_id != resident.id:
            raise
        return existing, False
    note = "" if by.id == resident.id else \
        f"ingevoerd door {by.full_name} namens {resident.full_name} ({CHANNEL_LABELS[data.channel]})"
    add_event(req, by, "posted", note, to_status=req.status)
    audit.record("request.posted", actor=by, subject=resident, detail=f"hulpvraag {req.id}",
                 on_behalf_of=resident if by.id != resident.id else None)
    return req, True


def record_five_questions(req: HelpRequest, answers: dict[int, tuple], *, by: User) -> None:
    """Store the Schijf van Vijf: per question a short note and the party that takes it on,
    or "niet nodig" (not needed: nobody takes anything on; a note on why may go with it).

    `answers` maps a question to (note, party) or (note, party, not_needed). A note needs a
    party and a party needs a note; "niet nodig" has no party; at least one question is answered.
    """
    if req.status == CANCELLED or req.anonymised_at is not None:
        raise DomainError("Deze hulpvraag is afgesloten; de rolverdeling kan niet meer worden aangepast.")
    cleaned: dict[int, tuple[str, str | None, bool]] = {}
    for question in FIVE_QUESTIONS:
        note, party, not_needed = (tuple(answers.get(question, ())) + ("", "", False))[:3]
        note, party, not_needed = (note or "").strip(), (party or "").strip(), bool(not_needed)
        if len(note) > MAX_ANSWER_NOTE:
            raise DomainError(f"Gebruik hier hoogstens {MAX_ANSWER_NOTE} tekens.", f"note_{question}")
        if not_needed:
            if party:
                raise DomainError("Kies wie dit op zich neemt, of vink 'niet nodig' aan; niet allebei.",
                                  f"party_{question}")
            cleaned[question] = (note, None, True)
            continue
        if party and party not in PARTIES:
            raise DomainError("Kies een partij uit de lijst.", f"party_{question}")
        if note and not party:
            raise DomainError("Kies wie dit op zich neemt.", f"party_{question}")
        if party and not note:
            raise DomainError("Schrijf kort op wat er gebeurt.", f"note_{question}")
        if note:
            cleaned[question] = (note, party, False)
    if not cleaned:
        raise DomainError("Vul minstens één van de vijf vragen in.")
    had_lines = bool(req.five_questions)
    lines = {line.question: line for line in req.five_questions}
    for question, line in lines.items():
        if question not in cleaned:
            req.five_questions.remove(line)
    for question, (note, party, not_needed) in cleaned.items():
        if question in lines:
            line = lines[question]
            line.note, line.party, line.not_needed = note, party, not_needed
        else:
            req.five_questions.append(FiveQuestionsAnswer(question=question, note=note, party=party,
                                                              not_needed=not_needed))
    add_event(req, by, FIVE_QUESTIONS_ACTION,
              "Schijf van Vijf bijgewerkt" if had_lines else "Schijf van Vijf vastgelegd")
