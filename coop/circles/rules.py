"""The periodic rule of the phone circle: a round not confirmed complete by its time alerts
the coordinators, once per circle and day (registered when create_app imports this module)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coop.circles import alerts, service
from coop.circles.models import CircleMember, CircleRound, PhoneCircle
from coop.core.clock import LOCAL
from coop.core.registry import periodic_rule
from coop.extensions import db


@periodic_rule
def unconfirmed_rounds(at: datetime) -> int:
    """Every circle whose time to be round has come today, without a confirmation and without
    an alert yet: mark the round as late and tell the coordinators. A circle with fewer than two
    members at home today has no round; a circle made after today's time starts tomorrow."""
    local = at.astimezone(LOCAL)
    day, clock = local.date(), local.time().replace(tzinfo=None)
    done = select(CircleRound.circle_id).where(CircleRound.day == day,
                                               (CircleRound.confirmed_at.is_not(None))
                                               | (CircleRound.late_alerted_at.is_not(None)))
    circles = db.session.scalars(
        select(PhoneCircle).where(PhoneCircle.confirm_by <= clock, PhoneCircle.id.not_in(done))
        .options(selectinload(PhoneCircle.members).selectinload(CircleMember.absences)))
    queued = 0
    for circle in circles:
        made = circle.created_at.astimezone(LOCAL)
        if made.date() == day and made.time().replace(tzinfo=None) >= circle.confirm_by:
            continue
        if len(service.order_on(circle, day)) < service.MIN_MEMBERS:
            continue
        rnd = service.round_of(circle, day)
        if rnd is None:
            rnd = CircleRound(village_id=circle.village_id, circle_id=circle.id, day=day)
            db.session.add(rnd)
        rnd.late_alerted_at = at
        db.session.flush()
        queued += alerts.round_late(rnd)
    return queued
