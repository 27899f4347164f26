"""A message to a group at once (all members, a phone circle, an activity's sign-ups): the
groups come from every feature through `coop.core.registry.groups_for`.

Each person gets their own outbox rows, with the message as their subject: a mail to whoever
has an address, a note in the app's bell for whoever can log in, and for whoever has no
e-mail a line on the print list (a letter through the door: a message to all members is too
long to phone to each). The coordinator sees these numbers before sending.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from coop.core import audit, registry
from coop.core import outbox as O
from coop.core.errors import DomainError, DomainErrors
from coop.core.models import User, Village
from coop.extensions import db
from coop.members.models import Broadcast
from coop.members.service import BROADCAST

MAX_SUBJECT, MAX_TEXT = 150, 5000


@dataclass
class Reach:
    """Who a group reaches, and how."""
    people: list[User]

    @property
    def by_mail(self) -> list[User]:
        return [p for p in self.people if p.email]

    @property
    def in_app(self) -> list[User]:
        return [p for p in self.people if p.can_log_in]

    @property
    def on_paper(self) -> list[User]:
        return [p for p in self.people if not p.email]


def groups(village: Village) -> list[registry.RecipientGroup]:
    return registry.groups_for(village)


def group(village: Village, key: str | None) -> registry.RecipientGroup:
    found = next((g for g in groups(village) if g.key == key), None)
    if found is None:
        raise DomainError("Kies aan wie het bericht gaat.", "group")
    return found


def reach(found: registry.RecipientGroup, village: Village) -> Reach:
    """The group's people, each once, of this village and not forgotten, by name."""
    seen: dict[int, User] = {}
    for person in found.people():
        if person.village_id == village.id and person.erased_at is None and person.active:
            seen.setdefault(person.id, person)
    return Reach(sorted(seen.values(), key=lambda p: (p.last_name, p.first_name, p.id)))


def _check(subject: str, text: str) -> tuple[str, str]:
    subject, text = " ".join((subject or "").split()), (text or "").strip()
    found = []
    if not subject:
        found.append(DomainError("Vul het onderwerp in.", "subject"))
    elif len(subject) > MAX_SUBJECT:
        found.append(DomainError(f"Gebruik hier hoogstens {MAX_SUBJECT} tekens.", "subject"))
    if not text:
        found.append(DomainError("Schrijf het bericht.", "text"))
    elif len(text) > MAX_TEXT:
        found.append(DomainError(f"Gebruik hier hoogstens {MAX_TEXT} tekens.", "text"))
    if found:
        raise DomainErrors(found)
    return subject, text


def send(village: Village, key: str | None, subject: str, text: str, *, by: User) -> Broadcast:
    """Queue the message for everyone in the group; the dispatcher sends each row once."""
    found = group(village, key)
    subject, text = _check(subject, text)
    people = reach(found, village)
    if not people.people:
        raise DomainError("In deze groep zit nog niemand; er is niemand om het bericht aan te sturen.", "group")
    message = Broadcast(village_id=village.id, group_key=found.key, group_label=found.label[:120], subject=subject,
                        text=text, recipients=len(people.people), sent_by_id=by.id)
    db.session.add(message)
    db.session.flush()
    for person in people.people:
        base = f"{BROADCAST}:{message.id}:{person.id}"
        if person.email:
            O.queue(BROADCAST, person, payload={"broadcast_id": message.id}, subject=message,
                    village_id=village.id, dedupe_key=f"{base}:mail")
        if person.can_log_in or not person.email:
            # Without e-mail: the row is the record that they were sent it (on paper, the print list).
            O.queue(BROADCAST, person, payload={"broadcast_id": message.id}, subject=message,
                    village_id=village.id, channel=O.INAPP, dedupe_key=f"{base}:app")
    audit.record("broadcast.sent", actor=by, village_id=village.id, subjects=[p.id for p in people.people],
                 detail=f"{found.label}: {len(people.people)}")
    return message


def on_paper(message: Broadcast) -> list[User]:
    """Those without e-mail the message went to: the print list, from its outbox rows."""
    rows = db.session.scalars(select(O.FollowUp).where(
        O.FollowUp.subject_type == Broadcast.__name__, O.FollowUp.subject_id == message.id,
        O.FollowUp.kind == BROADCAST, O.FollowUp.channel == O.INAPP)
        .options(joinedload(O.FollowUp.recipient).lazyload(User.role_rows)))
    people = [r.recipient for r in rows if r.recipient is not None and not r.recipient.email]
    return sorted(people, key=lambda p: (p.street or "", _house(p.house_number), p.last_name))


def _house(number: str | None) -> tuple[int, str]:
    digits = "".join(ch for ch in (number or "") if ch.isdigit())
    return (int(digits) if digits else 0, number or "")


def sent(village_id: int, limit: int = 20) -> list[Broadcast]:
    return list(db.session.scalars(select(Broadcast).where(Broadcast.village_id == village_id)
                                   .order_by(Broadcast.id.desc()).limit(limit)))
