"""How the phone circle's alerts are written (registered with the outbox by kind), and each
circle as a group the coordinator can write to at once."""
from __future__ import annotations

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coop.circles import alerts
from coop.circles.models import CircleMember, CircleRound, MissedCall, PhoneCircle
from coop.core.mail import render_message
from coop.core.models import User, Village
from coop.core.outbox import FollowUp, Message, Obsolete, message_builder, recipient_of
from coop.core.registry import RecipientGroup, recipient_groups
from coop.extensions import db


def _missed(row: FollowUp) -> MissedCall:
    found = db.session.get(MissedCall, row.payload.get("missed_id") or 0)
    if found is None:
        raise Obsolete("de melding bestaat niet meer")
    return found


@message_builder(alerts.KEY_HOLDER, about="iemand van de telefooncirkel die niet opnam (u heeft een sleutel)")
def key_holder_alert(row: FollowUp) -> Message:
    missed = _missed(row)
    person = missed.member.person
    return render_message("circle_key_holder", subject="Dringend: iemand van de telefooncirkel neemt niet op",
                          village=recipient_of(row).village, user=row.recipient, missed=missed, person=person,
                          circle=missed.round.circle)


@message_builder(alerts.COORDINATOR, about="een deelnemer van de telefooncirkel die niet opnam")
def coordinator_alert(row: FollowUp) -> Message:
    missed = _missed(row)
    person = missed.member.person
    circle = missed.round.circle
    return render_message("circle_no_answer", subject="Telefooncirkel: geen gehoor bij een deelnemer",
                          village=recipient_of(row).village, user=row.recipient, missed=missed, person=person,
                          circle=circle, key_holder=missed.member.key_holder, member=missed.member,
                          url=url_for("circles.show", circle_id=circle.id, _external=True))


@message_builder(alerts.LATE, about="een telefooncirkel die niet op tijd rond was")
def round_late(row: FollowUp) -> Message:
    rnd = db.session.get(CircleRound, row.payload.get("round_id") or 0)
    if rnd is None:
        raise Obsolete("de ronde bestaat niet meer")
    if rnd.confirmed_at is not None:
        raise Obsolete("de ronde is intussen rond gemeld")
    return render_message("circle_round_late", subject="De telefooncirkel is nog niet rond",
                          village=recipient_of(row).village, user=row.recipient, round=rnd, circle=rnd.circle,
                          url=url_for("circles.show", circle_id=rnd.circle_id, _external=True))


@recipient_groups
def circle_groups(village: Village) -> list[RecipientGroup]:
    """One group per circle: its members."""
    circles = db.session.scalars(select(PhoneCircle).where(PhoneCircle.village_id == village.id)
                                 .order_by(PhoneCircle.name)).all()

    def people(circle_id: int):
        def members() -> list[User]:
            return list(db.session.scalars(
                select(User).join(CircleMember, CircleMember.person_id == User.id)
                .where(CircleMember.circle_id == circle_id, User.active.is_(True))
                .options(selectinload(User.role_rows)).order_by(CircleMember.position)))
        return members

    return [RecipientGroup(key=f"cirkel-{c.id}", label=f"Telefooncirkel {c.name}", people=people(c.id))
            for c in circles]
