"""Read-side queries: week rosters, a volunteer's and a carer's shifts, candidate volunteers
(ranked by matching, checked for clashes here)."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coop.core import dutch
from coop.core import roles as R
from coop.core.clock import LOCAL, local_now, now
from coop.core.models import User, UserRole
from coop.extensions import db
from coop.matching.candidates import rank_for_time
from coop.people.models import VolunteerProfile
from coop.people.service import facts_loaded, ineligibility_reasons
from coop.respite.clashes import Calendar, calendar_for, month_bounds
from coop.respite.models import RespiteRequest, RespiteShift

# A shift on a roster shows its carer, the person cared for and the volunteer.
ON_ROSTER = (selectinload(RespiteShift.respite_request).selectinload(RespiteRequest.carer),
             selectinload(RespiteShift.respite_request).selectinload(RespiteRequest.care_recipient),
             selectinload(RespiteShift.volunteer))


def local_midnight(on: date) -> datetime:
    return datetime.combine(on, datetime.min.time(), tzinfo=LOCAL)


def week_shifts(village_id: int, monday: date, volunteer_id: int | None = None) -> list[RespiteShift]:
    """Every shift of the village in the local week starting `monday` (cancelled ones too)."""
    stmt = (select(RespiteShift).where(
        RespiteShift.village_id == village_id,
        RespiteShift.starts_at >= local_midnight(monday),
        RespiteShift.starts_at < local_midnight(monday + timedelta(days=7)))
        .options(*ON_ROSTER)
        .order_by(RespiteShift.starts_at))
    if volunteer_id is not None:
        stmt = stmt.where(RespiteShift.volunteer_id == volunteer_id, RespiteShift.status == RespiteShift.BOOKED)
    return list(db.session.scalars(stmt))


def by_day(shifts: list[RespiteShift], monday: date) -> list[tuple[date, list[RespiteShift]]]:
    days: list[tuple[date, list[RespiteShift]]] = [(monday + timedelta(days=i), []) for i in range(7)]
    for shift in shifts:
        days[(shift.local_start.date() - monday).days][1].append(shift)
    return days


def standing_clashes(shifts: list[RespiteShift]) -> dict[int, list[str]]:
    """Booked future shifts whose volunteer no longer fits (absent since, over hours, …)."""
    ahead = [(s, v) for s in shifts
             if s.status == RespiteShift.BOOKED and (v := s.volunteer) is not None and s.starts_at > now()]
    if not ahead:
        return {}
    calendar = calendar_for({v.id for _, v in ahead}, min(s.starts_at for s, _ in ahead),
                            max(s.ends_at for s, _ in ahead))
    out = {}
    for shift, volunteer in ahead:
        reasons = calendar.reasons(volunteer, shift.starts_at, shift.ends_at, exclude_shift_id=shift.id)
        if reasons:
            out[shift.id] = reasons
    return out


def volunteer_upcoming(user: User, days: int = 60) -> list[RespiteShift]:
    return list(db.session.scalars(select(RespiteShift).where(
        RespiteShift.volunteer_id == user.id, RespiteShift.status == RespiteShift.BOOKED,
        RespiteShift.ends_at > now(), RespiteShift.starts_at < now() + timedelta(days=days))
        .options(*ON_ROSTER).order_by(RespiteShift.starts_at)))


def volunteer_month(user: User, first: date) -> list[RespiteShift]:
    """Every booked shift of `user` that starts in the local month beginning on `first`."""
    return list(db.session.scalars(select(RespiteShift).where(
        RespiteShift.volunteer_id == user.id, RespiteShift.status == RespiteShift.BOOKED,
        RespiteShift.starts_at >= local_midnight(first), RespiteShift.starts_at < local_midnight(next_month(first)))
        .options(selectinload(RespiteShift.respite_request).selectinload(RespiteRequest.carer),
                 selectinload(RespiteShift.respite_request).selectinload(RespiteRequest.care_recipient))
        .order_by(RespiteShift.starts_at)))


def volunteer_next_after(user: User, moment: datetime) -> RespiteShift | None:
    """The first booked shift of `user` starting at or after `moment` (and not yet over)."""
    return db.session.scalar(select(RespiteShift).where(
        RespiteShift.volunteer_id == user.id, RespiteShift.status == RespiteShift.BOOKED,
        RespiteShift.starts_at >= moment, RespiteShift.ends_at > now())
        .order_by(RespiteShift.starts_at).limit(1))


def next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def previous_month(first: date) -> date:
    return date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)


def carer_requests(carer: User) -> list[RespiteRequest]:
    """A carer's requests, newest first, each with its series and its shifts' volunteers."""
    return list(db.session.scalars(select(RespiteRequest).where(RespiteRequest.carer_id == carer.id)
                                   .order_by(RespiteRequest.created_at.desc())
                                   .options(selectinload(RespiteRequest.series),
                                            selectinload(RespiteRequest.shifts).selectinload(RespiteShift.volunteer))))


def open_requests(village_id: int) -> list[tuple[RespiteRequest, int]]:
    """Requests with future occurrences still without a volunteer, and how many."""
    rows = db.session.execute(
        select(RespiteShift.request_id, db.func.count(RespiteShift.id)).where(
            RespiteShift.village_id == village_id, RespiteShift.status == RespiteShift.OPEN,
            RespiteShift.starts_at > now()).group_by(RespiteShift.request_id)).all()
    counts: dict[int, int] = dict(rows)
    requests: Iterable[RespiteRequest] = db.session.scalars(select(RespiteRequest).where(RespiteRequest.id.in_(counts))
                                  .order_by(RespiteRequest.created_at)) if counts else []
    return [(r, counts[r.id]) for r in requests]


@dataclass
class Candidate:
    user: User
    distance_km: float | None
    reasons: list[str]  # matching's words: distance, availability, load, continuity, preference
    sample: int  # how many of the next open occurrences were checked for clashes
    fits: int  # how many of those this volunteer can take
    first_clash: str | None


@dataclass
class Candidates:
    eligible: list[Candidate]
    ineligible: list[tuple[str, list[str]]]  # (name, why not): nearby volunteers who may not
    located: bool  # False: the cared-for person's address has no place on the map yet


def _sample(respite_request: RespiteRequest, shift: RespiteShift | None, size: int) -> list[RespiteShift]:
    if shift is not None:
        return [shift]
    return [s for s in respite_request.shifts if s.status == RespiteShift.OPEN and s.starts_at > now()][:size]


def _calendar(users, sample: list[RespiteShift], today: date) -> Calendar:
    """One Calendar for every candidate: the sample occurrences and this month's load."""
    first, nxt = month_bounds(today)
    times = [first, nxt] + [s.starts_at for s in sample] + [s.ends_at for s in sample]
    return calendar_for([u.id for u in users], min(times), max(times))


def _fit(user: User, sample: list[RespiteShift], calendar: Calendar) -> tuple[int, str | None]:
    """How many of the sample occurrences `user` can take, and the first clash that stops one."""
    reasons = [calendar.reasons(user, s.starts_at, s.ends_at, exclude_shift_id=s.id) for s in sample]
    return sum(1 for r in reasons if not r), next((r[0] for r in reasons if r), None)


def _unlocated(respite_request: RespiteRequest, sample: list[RespiteShift]) -> list[Candidate]:
    """Without a place on the map matching cannot rank: every eligible volunteer, least loaded first."""
    today = local_now().date()
    volunteers = db.session.scalars(
        select(User).join(VolunteerProfile, VolunteerProfile.user_id == User.id)
        .where(User.village_id == respite_request.village_id, User.active,
               User.id.in_(select(UserRole.user_id).where(UserRole.role == R.VOLUNTEER)))
        .options(*facts_loaded())).all()
    eligible = [user for user in volunteers if not ineligibility_reasons(user, respite_request.category, on=today)]
    calendar = _calendar(eligible, sample, today)
    out = []
    for user in eligible:
        load = calendar.hours_in_month(user.id, today)
        max_hours = user.volunteer_profile.max_hours_month
        words = ["afstand onbekend", f"{dutch.number(load)} van {max_hours} uur deze maand"]
        out.append((load, Candidate(user, None, words, len(sample), *_fit(user, sample, calendar))))
    out.sort(key=lambda pair: (pair[0], pair[1].user.id))
    return [c for _, c in out]


def candidates(respite_request: RespiteRequest, shift: RespiteShift | None = None, sample_size: int = 4) -> Candidates:
    """Volunteers for a request (or one of its occurrences) in matching's order and words,
    with the respite clash checks on top: who can take the most of the next open occurrences
    comes first, then matching's score."""
    sample = _sample(respite_request, shift, sample_size)
    timing = sample[0] if sample else (respite_request.shifts[0] if respite_request.shifts else None)
    home = respite_request.care_recipient
    point = (home.lat, home.lon) if home.lat is not None and home.lon is not None else None
    if timing is None or point is None:
        return Candidates(_unlocated(respite_request, sample), [], point is not None)
    ranking = rank_for_time(respite_request.category, point, timing.starts_at, timing.ends_at, home)
    # Only volunteers are booked for respite shifts (service._check_eligible refuses others).
    rows = [c for c in ranking.candidates if c.helper.has_volunteer_role]
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_([c.helper.id for c in rows]))
                                                 .options(*facts_loaded()))}
    today = local_now().date()
    # The booking would refuse the ineligible ones (e.g. a professional without a volunteer profile).
    eligible = [(position, c) for position, c in enumerate(rows)
                if not ineligibility_reasons(users[c.helper.id], respite_request.category, on=today)]
    calendar = _calendar([users[c.helper.id] for _, c in eligible], sample, today)
    out = []
    for position, c in eligible:
        user = users[c.helper.id]
        out.append((position, Candidate(user, c.distance_km, c.reasons, len(sample), *_fit(user, sample, calendar))))
    out.sort(key=lambda pair: (-pair[1].fits, pair[0]))
    ineligible = [(c.helper.name, c.ineligible) for c in ranking.ineligible if c.helper.has_volunteer_role]
    return Candidates([c for _, c in out], ineligible, True)
