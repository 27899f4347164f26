"""Read-side queries of activities: the lists, a volunteer's activities for the calendar feed,
the lifts' state, and the attendance counts the figures use."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from coop.activities.models import ACTIVE, PLANNED, SIGNED_UP, Activity, ActivityHelper, Signup
from coop.core.clock import local_now
from coop.core.models import User
from coop.extensions import db
from coop.requests.models import HelpRequest

HISTORY = timedelta(days=60)  # how far back the coordinator's list and the calendar feed reach


@dataclass(frozen=True)
class Lift:
    help_request: HelpRequest

    @property
    def found(self) -> bool:
        """A volunteer said yes (the request's page names them)."""
        return self.help_request.status in ("matched", "done")


def _with_counts():
    signed = (select(func.count(Signup.id)).where(Signup.activity_id == Activity.id, Signup.status == SIGNED_UP)
              .correlate(Activity).scalar_subquery())
    waiting = (select(func.count(Signup.id)).where(Signup.activity_id == Activity.id, Signup.status == "waiting")
               .correlate(Activity).scalar_subquery())
    return signed.label("signed"), waiting.label("waiting")


def overview(village_id: int) -> tuple[list[tuple[Activity, int, int]], list[tuple[Activity, int, int]]]:
    """(coming, recent): each activity with how many signed up and wait; one query."""
    today = local_now().date()
    signed, waiting = _with_counts()
    rows = db.session.execute(select(Activity, signed, waiting).where(
        Activity.village_id == village_id, Activity.on_date >= today - HISTORY)
        .order_by(Activity.on_date, Activity.start_time, Activity.id)).all()
    coming = [(a, s, w) for a, s, w in rows if a.on_date >= today]
    recent = [(a, s, w) for a, s, w in rows if a.on_date < today][::-1]
    return coming, recent


def coming_for(person: User) -> list[tuple[Activity, int, Signup | None]]:
    """The coming activities of the person's village, with the places taken and their own sign-up."""
    today = local_now().date()
    signed, _waiting = _with_counts()
    rows = db.session.execute(select(Activity, signed).where(
        Activity.village_id == person.village_id, Activity.on_date >= today)
        .order_by(Activity.on_date, Activity.start_time, Activity.id)).all()
    ids = [a.id for a, _ in rows]
    own = {s.activity_id: s for s in db.session.scalars(select(Signup).where(
        Signup.person_id == person.id, Signup.activity_id.in_(ids)))} if ids else {}
    return [(a, n, own.get(a.id)) for a, n in rows]


def detail(activity_id: int) -> list:
    """Loader options for an activity's page: its sign-ups with their people, and its helpers."""
    return [selectinload(Activity.signups).joinedload(Signup.person).lazyload(User.role_rows),
            selectinload(Activity.helpers).joinedload(ActivityHelper.volunteer).lazyload(User.role_rows)]


def lifts(signups: list[Signup]) -> dict[int, Lift]:
    """The lift of each sign-up that has one: one query."""
    ids = [s.lift_request_id for s in signups if s.lift_request_id]
    if not ids:
        return {}
    requests = {r.id: r for r in db.session.scalars(select(HelpRequest).where(HelpRequest.id.in_(ids)))}
    return {s.id: Lift(requests[s.lift_request_id]) for s in signups if s.lift_request_id in requests}


def helping(user: User) -> list[Activity]:
    """The planned activities `user` helps at, from HISTORY ago on (for the calendar feed)."""
    since = local_now().date() - HISTORY
    return list(db.session.scalars(select(Activity).join(ActivityHelper, ActivityHelper.activity_id == Activity.id)
                                   .where(ActivityHelper.volunteer_id == user.id, Activity.status == PLANNED,
                                          Activity.on_date >= since)
                                   .order_by(Activity.on_date, Activity.start_time)))


def signups_of(person_id: int) -> list[Signup]:
    return list(db.session.scalars(select(Signup).where(Signup.person_id == person_id)
                                   .options(joinedload(Signup.activity)).order_by(Signup.id)))


def coming_planned(village_id: int) -> list[Activity]:
    return list(db.session.scalars(select(Activity).where(
        Activity.village_id == village_id, Activity.status == PLANNED, Activity.on_date >= local_now().date())
        .order_by(Activity.on_date, Activity.start_time, Activity.id)))


def people_signed_up(activity_id: int) -> list[User]:
    return list(db.session.scalars(select(User).join(Signup, Signup.person_id == User.id).where(
        Signup.activity_id == activity_id, Signup.status == SIGNED_UP).order_by(User.last_name, User.first_name)))


def attendance_counts(village_ids: list[int], year: int) -> dict[tuple[int, int, str], int]:
    """(village, month, kind) -> how many were there, from the attendance the coordinator recorded;
    activities that did not go on count nothing."""
    if not village_ids:
        return {}
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    rows = db.session.execute(select(Activity.village_id, Activity.on_date, Activity.kind, func.count(Signup.id))
                              .join(Signup, Signup.activity_id == Activity.id)
                              .where(Activity.village_id.in_(village_ids), Activity.status == PLANNED,
                                     Activity.on_date >= start, Activity.on_date < end,
                                     Signup.status == SIGNED_UP, Signup.attended.is_(True))
                              .group_by(Activity.village_id, Activity.on_date, Activity.kind)).all()
    found: dict[tuple[int, int, str], int] = {}
    for village_id, on_date, kind, n in rows:
        key = (village_id, on_date.month, kind)
        found[key] = found.get(key, 0) + n
    return found


def future_for(person_id: int) -> int:
    """How many coming activities `person_id` is signed up for, waits for or helps at."""
    today = local_now().date()
    signed = db.session.scalar(select(func.count(Signup.id)).join(Activity, Activity.id == Signup.activity_id).where(
        Signup.person_id == person_id, Signup.status.in_(ACTIVE), Activity.status == PLANNED,
        Activity.on_date >= today)) or 0
    helps = db.session.scalar(select(func.count()).select_from(ActivityHelper)
                              .join(Activity, Activity.id == ActivityHelper.activity_id).where(
        ActivityHelper.volunteer_id == person_id, Activity.status == PLANNED, Activity.on_date >= today)) or 0
    return signed + helps
