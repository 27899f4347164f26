"""Read-side queries: week rosters, a volunteer's and a carer's shifts, candidate volunteers."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from geopy.distance import geodesic
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coop.core import roles as R
from coop.core.clock import LOCAL, local_now, now
from coop.core.models import User, UserRole
from coop.extensions import db
from coop.people.models import VolunteerProfile
from coop.people.service import ineligibility_reasons
from coop.respite.clashes import clash_reasons, hours_in_month
from coop.respite.models import RespiteRequest, RespiteShift


def local_midnight(on: date) -> datetime:
    return datetime.combine(on, datetime.min.time(), tzinfo=LOCAL)


def week_shifts(village_id: int, monday: date, volunteer_id: int | None = None) -> list[RespiteShift]:
    """Every shift of the village in the local week starting `monday` (cancelled ones too)."""
    stmt = (select(RespiteShift).where(
        RespiteShift.village_id == village_id,
        RespiteShift.starts_at >= local_midnight(monday),
        RespiteShift.starts_at < local_midnight(monday + timedelta(days=7)))
        .options(selectinload(RespiteShift.request).selectinload(RespiteRequest.carer))
        .order_by(RespiteShift.starts_at))
    if volunteer_id is not None:
        stmt = stmt.where(RespiteShift.volunteer_id == volunteer_id, RespiteShift.status == RespiteShift.BOOKED)
    return list(db.session.scalars(stmt))


def by_day(shifts: list[RespiteShift], monday: date) -> list[tuple[date, list[RespiteShift]]]:
    days = [(monday + timedelta(days=i), []) for i in range(7)]
    for shift in shifts:
        days[(shift.local_start.date() - monday).days][1].append(shift)
    return days


def standing_clashes(shifts: list[RespiteShift]) -> dict[int, list[str]]:
    """Booked future shifts whose volunteer no longer fits (absent since, over hours, …)."""
    out = {}
    for shift in shifts:
        if shift.status == RespiteShift.BOOKED and shift.volunteer and shift.starts_at > now():
            reasons = clash_reasons(shift.volunteer, shift.starts_at, shift.ends_at, exclude_shift_id=shift.id)
            if reasons:
                out[shift.id] = reasons
    return out


def volunteer_upcoming(user: User, days: int = 60) -> list[RespiteShift]:
    return list(db.session.scalars(select(RespiteShift).where(
        RespiteShift.volunteer_id == user.id, RespiteShift.status == RespiteShift.BOOKED,
        RespiteShift.ends_at > now(), RespiteShift.starts_at < now() + timedelta(days=days))
        .order_by(RespiteShift.starts_at)))


def carer_requests(carer: User) -> list[RespiteRequest]:
    return list(db.session.scalars(select(RespiteRequest).where(RespiteRequest.carer_id == carer.id)
                                   .order_by(RespiteRequest.created_at.desc())))


def open_requests(village_id: int) -> list[tuple[RespiteRequest, int]]:
    """Requests with future occurrences still without a volunteer, and how many."""
    rows = db.session.execute(
        select(RespiteShift.request_id, db.func.count(RespiteShift.id)).where(
            RespiteShift.village_id == village_id, RespiteShift.status == RespiteShift.OPEN,
            RespiteShift.starts_at > now()).group_by(RespiteShift.request_id)).all()
    counts = dict(rows)
    requests = db.session.scalars(select(RespiteRequest).where(RespiteRequest.id.in_(counts))
                                  .order_by(RespiteRequest.created_at)) if counts else []
    return [(r, counts[r.id]) for r in requests]


@dataclass
class Candidate:
    user: User
    distance_km: float | None
    load_hours: Decimal
    max_hours: int
    fits: int  # of the first `sample` open occurrences, how many this volunteer can take
    sample: int
    first_clash: str | None


def candidates(request: RespiteRequest, sample_size: int = 4) -> list[Candidate]:
    """Eligible volunteers for a request, nearest to the cared-for person first, then the
    least loaded. (Matching's ranking replaces this order once the features meet.)"""
    volunteers = db.session.scalars(
        select(User).join(VolunteerProfile, VolunteerProfile.user_id == User.id)
        .where(User.village_id == request.village_id, User.active,
               User.id.in_(select(UserRole.user_id).where(UserRole.role == R.VOLUNTEER)))).all()
    today = local_now().date()
    home = request.care_recipient
    sample = [s for s in request.shifts if s.status == RespiteShift.OPEN and s.starts_at > now()][:sample_size]
    out = []
    for user in volunteers:
        if ineligibility_reasons(user, request.category, on=today):
            continue
        distance = None
        if None not in (home.lat, home.lon, user.lat, user.lon):
            distance = geodesic((home.lat, home.lon), (user.lat, user.lon)).km
        reasons = [clash_reasons(user, s.starts_at, s.ends_at, exclude_shift_id=s.id) for s in sample]
        first_clash = next((r[0] for r in reasons if r), None)
        out.append(Candidate(user, distance, hours_in_month(user, today), user.volunteer_profile.max_hours_month,
                             sum(1 for r in reasons if not r), len(sample), first_clash))
    out.sort(key=lambda c: (c.distance_km is None, c.distance_km or 0, c.load_hours))
    return out
