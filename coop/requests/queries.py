"""Read-side queries: the coordinator's inbox, counts per status, a resident's own requests."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from coop.core.clock import now
from coop.extensions import db
from coop.requests.models import (
    INTAKE,
    NEW,
    OPEN_STATUSES,
    SEARCHING,
    STATUSES,
    THIS_WEEK,
    TODAY,
    URGENCIES,
    HelpRequest,
)

# Waiting filters offered in the inbox: label → days.
WAITED_CHOICES = {1: "langer dan 1 dag", 3: "langer dan 3 dagen", 7: "langer dan een week",
                  14: "langer dan twee weken"}
# Requests that still need the coordinator's action (matched ones wait for the helper).
NEEDS_ACTION = (NEW, INTAKE, SEARCHING)

URGENCY_ORDER = case((HelpRequest.urgency == TODAY, 0), (HelpRequest.urgency == THIS_WEEK, 1), else_=2)


@dataclass
class InboxFilter:
    status: str = "open"  # "open", "all" or one status
    category_id: int | None = None
    urgency: str | None = None
    street: str = ""
    waited_days: int | None = None

    @classmethod
    def from_args(cls, args) -> InboxFilter:
        """Read the filter from query arguments; unknown values are ignored, never an error."""
        status = args.get("status", "open")
        status = status if status in STATUSES or status in ("open", "all") else "open"
        urgency = args.get("urgentie")
        waited = args.get("wacht", type=int)
        return cls(status=status, category_id=args.get("soort", type=int),
                   urgency=urgency if urgency in URGENCIES else None,
                   street=(args.get("straat") or "").strip()[:80],
                   waited_days=waited if waited in WAITED_CHOICES else None)


def inbox(village_id: int, f: InboxFilter | None = None, limit: int = 500) -> list[HelpRequest]:
    """Requests of the village, most urgent first, then those waiting longest."""
    f = f or InboxFilter()
    stmt = select(HelpRequest).where(HelpRequest.village_id == village_id)
    if f.status == "open":
        stmt = stmt.where(HelpRequest.status.in_(OPEN_STATUSES))
    elif f.status != "all":
        stmt = stmt.where(HelpRequest.status == f.status)
    if f.category_id:
        stmt = stmt.where(HelpRequest.category_id == f.category_id)
    if f.urgency:
        stmt = stmt.where(HelpRequest.urgency == f.urgency)
    if f.street:
        like = f"%{f.street.lower()}%"
        stmt = stmt.where(func.lower(HelpRequest.street).like(like) | func.lower(HelpRequest.postcode).like(like))
    if f.waited_days:
        stmt = stmt.where(HelpRequest.created_at <= now() - timedelta(days=f.waited_days))
    stmt = (stmt.options(selectinload(HelpRequest.resident), selectinload(HelpRequest.category))
            .order_by(URGENCY_ORDER, HelpRequest.created_at, HelpRequest.id).limit(limit))
    return list(db.session.scalars(stmt))


def counts_per_status(village_id: int) -> dict[str, int]:
    rows = db.session.execute(select(HelpRequest.status, func.count(HelpRequest.id))
                              .where(HelpRequest.village_id == village_id).group_by(HelpRequest.status))
    counts = {status: 0 for status in STATUSES}
    counts.update({status: n for status, n in rows})
    return counts


def most_urgent(village_id: int, n: int = 5) -> list[HelpRequest]:
    stmt = (select(HelpRequest).where(HelpRequest.village_id == village_id,
                                      HelpRequest.status.in_(NEEDS_ACTION))
            .options(selectinload(HelpRequest.resident), selectinload(HelpRequest.category))
            .order_by(URGENCY_ORDER, HelpRequest.created_at, HelpRequest.id).limit(n))
    return list(db.session.scalars(stmt))


def own_requests(resident_id: int) -> list[HelpRequest]:
    stmt = (select(HelpRequest).where(HelpRequest.resident_id == resident_id)
            .options(selectinload(HelpRequest.category))
            .order_by(HelpRequest.created_at.desc(), HelpRequest.id.desc()))
    return list(db.session.scalars(stmt))
