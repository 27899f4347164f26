"""How the outbox's own follow-ups are written: the weekly digest, dead mail, "Bel …".

A subject (and every other header) carries no text that people typed — no names, no
descriptions, no titles: it shows on a locked phone's screen and in every mail log.

Builders run in the dispatcher, when the row goes out, so they show the state of that
moment; one that finds its reason gone raises `Obsolete` and the row is cancelled. Each
feature writes its own kinds in its `messages.py` (coop.core.outbox.message_builder), and adds
its part of the digest with coop.core.registry.digest_section.
"""
from __future__ import annotations

import datetime as dt

from flask import url_for
from sqlalchemy import func, select

from coop.core import dutch, registry
from coop.core import outbox as O
from coop.core.mail import render_message
from coop.core.models import User
from coop.core.validation import display_phone
from coop.extensions import db
from coop.followups import rules


def link(endpoint: str, **values) -> str:
    """An absolute link to a page. A page that cannot be built fails the message (and shows
    as an error), rather than sending people to the wrong place."""
    return url_for(endpoint, _external=True, **values)


def inapp(subject: str, text: str) -> O.Message:
    """An in-app message: a subject and one line of text, no HTML."""
    return O.Message(subject=subject, text=text)


def digest_subject(week: str) -> str:
    """'Weekoverzicht vanaf maandag 30 november' for the ISO week '2026-W49': people read dates,
    not week numbers."""
    year, number = week.split("-W")
    monday = dt.date.fromisocalendar(int(year), int(number), 1)
    return f"Weekoverzicht vanaf maandag {dutch.date(monday, 'd MMMM')}"


@O.message_builder(rules.DIGEST)
def weekly_digest(row: O.FollowUp) -> O.Message:
    village = O.recipient_of(row).village
    dead = db.session.scalar(select(func.count(O.FollowUp.id)).where(
        O.FollowUp.village_id == village.id, O.FollowUp.status == O.DEAD))
    return render_message("digest", subject=digest_subject(row.payload["week"]), village=village,
                          user=row.recipient, dead=dead, sections=registry.digest_sections(village),
                          home=link("core.home"))


@O.message_builder(rules.DEAD_ALERT)
def dead_alert(row: O.FollowUp) -> O.Message:
    count = row.payload.get("count", 1)
    return inapp("Bericht niet bezorgd",
                 f"{count} {'bericht kon' if count == 1 else 'berichten konden'} niet worden bezorgd. "
                 "Kijk op de startpagina bij 'Niet bezorgd' wie u kunt bellen.")


@O.message_builder(O.PHONE_NEEDED)
def phone_needed(row: O.FollowUp) -> O.Message:
    person = db.session.get(User, row.payload["person_id"])
    if person is None:
        raise O.Obsolete("de persoon bestaat niet meer")
    what = O.about(row.payload.get("about", "")) or "een bericht"
    phone = display_phone(person.phone) if person.phone else "geen telefoonnummer bekend"
    return inapp(f"Bel {person.full_name}",
                 f"{person.full_name} heeft geen e-mailadres. Wilt u bellen over {what}? "
                 f"Telefoon: {phone}.")
