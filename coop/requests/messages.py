"""How the follow-ups about a hulpvraag are written ("Bent u geholpen?", escalation, "nee"),
and the waiting requests in the coordinator's weekly digest."""
from __future__ import annotations

from sqlalchemy import select

from coop.core import dutch
from coop.core import outbox as O
from coop.core.mail import render_message
from coop.core.models import Village
from coop.core.registry import DigestSection, digest_section
from coop.extensions import db
from coop.followups.answers import answer_url
from coop.followups.messages import inapp, link
from coop.followups.models import AnswerToken
from coop.requests import rules
from coop.requests.models import INTAKE, MATCHED, NEW, SEARCHING, URGENCY_LABELS, HelpRequest


def _request(row: O.FollowUp) -> HelpRequest:
    req = db.session.get(HelpRequest, row.payload.get("request_id") or row.subject_id)
    if req is None or req.anonymised_at is not None:
        raise O.Obsolete("de hulpvraag bestaat niet meer")
    return req


@O.message_builder(rules.ASK_HELPED, about="de vraag of de hulp goed is gegaan")
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
        return inapp(subject, f"{req.category.name} voor {req.resident.full_name} wacht al "
                              f"sinds {dutch.short_date(req.created_at)}. {url}")
    return render_message("escalation", subject=subject, village=req.resident.village,
                          user=row.recipient, req=req, url=url)


@O.message_builder(rules.NOT_HELPED)
def not_helped(row: O.FollowUp) -> O.Message:
    req = _request(row)
    subject = f"Niet geholpen: hulpvraag {req.id} staat weer open"
    url = link("requests.show", request_id=req.id)
    if row.channel == O.INAPP:
        return inapp(subject, f"{req.resident.full_name} antwoordde 'nee, niet geholpen' "
                              f"({req.category.name}). Bel {req.resident.phone or 'de inwoner'}.")
    return render_message("not_helped", subject=subject, village=req.resident.village,
                          user=row.recipient, req=req, url=url)


@digest_section(order=10)
def waiting_requests(village: Village) -> DigestSection:
    """Always there, also when nothing waits (the coordinator then reads that it is so)."""
    waiting = list(db.session.scalars(
        select(HelpRequest).where(HelpRequest.village_id == village.id,
                                  HelpRequest.status.in_((NEW, INTAKE, SEARCHING)))
        .order_by(HelpRequest.created_at)))
    lines = [f"{req.id}: {req.category.name} ({req.urgency_label}, {req.status_label}), "
             f"wacht {dutch.waited(req.created_at)}" for req in waiting]
    return DigestSection(f"Hulpvragen die wachten: {len(waiting)}", lines, empty="Geen. Mooi!")
