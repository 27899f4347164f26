"""How the follow-ups this package queues are written (Dutch, plain text and HTML).

A subject (and every other header) carries no text that people typed — no names, no
descriptions, no titles: it shows on a locked phone's screen and in every mail log.

Builders run in the dispatcher, when the row goes out, so they show the state of that
moment; one that finds its reason gone raises `Obsolete` and the row is cancelled.
"""
from __future__ import annotations

from datetime import date

from flask import url_for
from sqlalchemy import func, select

from coop.core import dutch
from coop.core import outbox as O
from coop.core.mail import render_message
from coop.core.models import User
from coop.core.validation import display_phone
from coop.extensions import db
from coop.followups import rules
from coop.followups.answers import answer_url
from coop.followups.models import AnswerToken
from coop.requests.models import INTAKE, MATCHED, NEW, SEARCHING, URGENCY_LABELS, HelpRequest

# Extra lines for the weekly digest from other features (e.g. respite: open shifts):
# functions (village) -> (heading, [lines]) | None, registered with `digest_section`.
DIGEST_SECTIONS: list = []


def digest_section(fn):
    if fn not in DIGEST_SECTIONS:
        DIGEST_SECTIONS.append(fn)
    return fn


def link(endpoint: str, **values) -> str:
    """An absolute link to a page. A page that cannot be built fails the message (and shows
    as an error), rather than sending people to the wrong place."""
    return url_for(endpoint, _external=True, **values)


def _request(row: O.FollowUp) -> HelpRequest:
    req = db.session.get(HelpRequest, row.payload.get("request_id") or row.subject_id)
    if req is None or req.anonymised_at is not None:
        raise O.Obsolete("de hulpvraag bestaat niet meer")
    return req


def _inapp(subject: str, text: str) -> O.Message:
    return O.Message(subject=subject, text=text)


@O.message_builder(rules.ASK_HELPED)
def ask_helped(row: O.FollowUp) -> O.Message:
    req = _request(row)
    if req.status != MATCHED:
        raise O.Obsolete(f"de hulpvraag is nu '{req.status_label}'")
    token = db.session.get(AnswerToken, row.payload["token_id"])
    if token is None:
        raise O.Obsolete("de antwoordlink bestaat niet meer")
    return render_message("ask_helped", subject="Bent u geholpen?", village=req.resident.village,
                          user=row.recipient, req=req,
                          yes_url=answer_url(token, "ja"), no_url=answer_url(token, "nee"))


@O.message_builder(rules.ESCALATION)
def escalation(row: O.FollowUp) -> O.Message:
    req = _request(row)
    if req.status not in (NEW, INTAKE, SEARCHING):
        raise O.Obsolete(f"de hulpvraag is nu '{req.status_label}'")
    subject = f"Nog geen helper: hulpvraag {req.id} ({URGENCY_LABELS[req.urgency]})"
    url = link("requests.show", request_id=req.id)
    if row.channel == O.INAPP:
        return _inapp(subject, f"{req.category.name} voor {req.resident.full_name} wacht al "
                               f"sinds {dutch.short_date(req.created_at)}. {url}")
    return render_message("escalation", subject=subject, village=req.resident.village,
                          user=row.recipient, req=req, url=url)


@O.message_builder(rules.NOT_HELPED)
def not_helped(row: O.FollowUp) -> O.Message:
    req = _request(row)
    subject = f"Niet geholpen: hulpvraag {req.id} staat weer open"
    url = link("requests.show", request_id=req.id)
    if row.channel == O.INAPP:
        return _inapp(subject, f"{req.resident.full_name} antwoordde 'nee, niet geholpen' "
                               f"({req.category.name}). Bel {req.resident.phone or 'de inwoner'}.")
    return render_message("not_helped", subject=subject, village=req.resident.village,
                          user=row.recipient, req=req, url=url)


@O.message_builder(rules.CARER_CHECKIN)
def carer_checkin(row: O.FollowUp) -> O.Message:
    return render_message("carer_checkin", subject="Hoe gaat het met u als mantelzorger?",
                          village=O.recipient_of(row).village, user=row.recipient,
                          url=link("respite.checkin"))


@O.message_builder(rules.AGREEMENT_REVIEW)
def agreement_review(row: O.FollowUp) -> O.Message:
    review_on = date.fromisoformat(row.payload["review_on"])
    # The title is typed by people: it goes in the text, never in the subject.
    subject = f"Afspraken met de gemeente herzien voor {dutch.short_date(review_on)}"
    url = link("agreements.show", agreement_id=row.payload["agreement_id"])
    if row.channel == O.INAPP:
        return _inapp(subject, f"De afspraken met de gemeente worden op {dutch.short_date(review_on)} "
                               f"herzien. {url}")
    return render_message("agreement_review", subject=subject, village=O.recipient_of(row).village,
                          user=row.recipient, title=row.payload["title"], review_on=review_on, url=url)


@O.message_builder(rules.DIGEST)
def weekly_digest(row: O.FollowUp) -> O.Message:
    village = O.recipient_of(row).village
    waiting = list(db.session.scalars(
        select(HelpRequest).where(HelpRequest.village_id == village.id,
                                  HelpRequest.status.in_((NEW, INTAKE, SEARCHING)))
        .order_by(HelpRequest.created_at)))
    dead = db.session.scalar(select(func.count(O.FollowUp.id)).where(
        O.FollowUp.village_id == village.id, O.FollowUp.status == O.DEAD))
    sections = [s for s in (fn(village) for fn in DIGEST_SECTIONS) if s]
    return render_message("digest", subject=f"Weekoverzicht {row.payload['week']}", village=village,
                          user=row.recipient, waiting=waiting, dead=dead, sections=sections,
                          home=link("core.home"))


@O.message_builder(rules.DEAD_ALERT)
def dead_alert(row: O.FollowUp) -> O.Message:
    count = row.payload.get("count", 1)
    return _inapp("Bericht niet bezorgd",
                  f"{count} {'bericht kon' if count == 1 else 'berichten konden'} niet worden bezorgd. "
                  "Kijk op de startpagina bij 'Niet bezorgd' wie u kunt bellen.")


@O.message_builder(O.PHONE_NEEDED)
def phone_needed(row: O.FollowUp) -> O.Message:
    person = db.session.get(User, row.payload["person_id"])
    if person is None:
        raise O.Obsolete("de persoon bestaat niet meer")
    what = ABOUT.get(row.payload.get("about", ""), "een bericht")
    phone = display_phone(person.phone) if person.phone else "geen telefoonnummer bekend"
    return _inapp(f"Bel {person.full_name}",
                  f"{person.full_name} heeft geen e-mailadres. Wilt u bellen over {what}? "
                  f"Telefoon: {phone}.")


ABOUT = {
    rules.ASK_HELPED: "de vraag of de hulp goed is gegaan",
    rules.CARER_CHECKIN: "hoe het gaat met de mantelzorg",
    "request.matched": "de helper die gevonden is",
    "proposal.new": "een nieuwe hulpvraag",
    "shift.booked": "een geboekte respijtdienst",
    "shift.changed": "een gewijzigde respijtdienst",
    "shift.cancelled": "een afgezegde respijtdienst",
    "shift.reminder": "de respijtdienst van morgen",
    "shift.reminder_carer": "de respijtdienst van morgen",
}
