"""The respite part of the coordinator's weekly digest: shifts in the coming week that still
have no volunteer (registered in coop/respite/messages.py)."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from coop.core import dutch
from coop.core.clock import now
from coop.core.models import Village
from coop.core.registry import DigestSection
from coop.extensions import db
from coop.respite.models import RespiteRequest, RespiteShift

HEADING = "Respijtdiensten zonder vrijwilliger (komende 7 dagen)"


def open_shifts_next_week(village_id: int) -> list[RespiteShift]:
    start = now()
    return list(db.session.scalars(
        select(RespiteShift).where(RespiteShift.village_id == village_id,
                                   RespiteShift.status == RespiteShift.OPEN,
                                   RespiteShift.starts_at >= start,
                                   RespiteShift.starts_at < start + timedelta(days=7))
        .options(joinedload(RespiteShift.respite_request).joinedload(RespiteRequest.carer))
        .order_by(RespiteShift.starts_at)))


def open_shifts(village: Village) -> DigestSection | None:
    shifts = open_shifts_next_week(village.id)
    if not shifts:
        return None
    return DigestSection(HEADING, [
        f"{dutch.span(s.starts_at, s.ends_at, 'EEEE d MMMM')}, bij {s.respite_request.carer.full_name}"
        for s in shifts])
