"""Fetch the rows for ranking in two SQL queries and hand them to the pure rules.

1. helpers near the request: a bounding box as wide as the largest radius any helper in the
   village chose (an index range on users(village_id, lat, lon)), then each helper's own
   radius as a box; eligibility (category rule, approval, VOG, pause, absence) is computed in
   SQL as a flag beside their load, continuity and open proposal;
2. the weekly slots of the eligible ones.
A cheap spherical distance drops what lies outside a helper's radius; the exact geodesic
distance is computed only on what survives (and on the few ineligible ones listed apart).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from dateutil.relativedelta import relativedelta
from flask import current_app
from sqlalchemy import and_, case, false, func, literal, or_, select, true, union_all

from coop.core import roles as R
from coop.core.clock import LOCAL, local_now
from coop.core.models import TaskCategory, User, UserRole
from coop.extensions import db
from coop.geo.distance import KM_PER_DEGREE_LAT, SPHERE_MARGIN, distance_km, km_per_degree_lon, sphere_km
from coop.matching import rules
from coop.matching.models import ACCEPTED, OPEN, Proposal
from coop.people.models import (
    Absence,
    Competence,
    HoursEntry,
    ProfessionalProfile,
    VolunteerProfile,
    WeeklySlot,
    helper_categories,
)
from coop.requests.models import HelpRequest

INELIGIBLE_SHOWN = 12


@dataclass
class Ranking:
    candidates: list[rules.Candidate]
    ineligible: list[rules.Candidate]
    located: bool  # False: the request has no coordinates yet (set the pin first)


def request_point(req: HelpRequest) -> tuple[float, float] | None:
    if req.lat is not None and req.lon is not None:
        return req.lat, req.lon
    return None


def request_when(req: HelpRequest) -> rules.When:
    """The requested time in local terms (a part of a day, a time window, or flexible)."""
    if req.window_start is not None:
        start = req.window_start.astimezone(LOCAL)
        end = req.window_end.astimezone(LOCAL) if req.window_end else None
        return rules.When(start.date(), start.time(),
                          end.time() if end and end.date() == start.date() else time(23, 59))
    if req.on_date is not None:
        if req.part_of_day in rules.PARTS:
            part_start, part_end, _ = rules.PARTS[req.part_of_day]
            return rules.When(req.on_date, part_start, part_end, req.part_of_day)
        return rules.When(req.on_date)
    return rules.When(None)


def category_info(category: TaskCategory) -> rules.CategoryInfo:
    return rules.CategoryInfo(category.id, category.code, category.name, category.rule)


def _month_bounds(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    return first, first + relativedelta(months=1, days=-1)


def _columns(req: HelpRequest, day: date):
    """The helper columns, with the flags and subqueries the rules need."""
    u, vp, pp = User, VolunteerProfile, ProfessionalProfile
    def role(name):
        return select(UserRole.user_id).where(UserRole.user_id == u.id, UserRole.role == name).exists()
    is_pro = and_(role(R.PROFESSIONAL), pp.user_id.is_not(None))
    first, last = _month_bounds(local_now().date())
    hours = (select(func.coalesce(func.sum(HoursEntry.hours), 0))
             .where(HoursEntry.helper_id == u.id, HoursEntry.worked_on.between(first, last),
                    HoursEntry.status != HoursEntry.REJECTED).scalar_subquery())
    comp = select(Competence.id).where(Competence.volunteer_id == u.id, Competence.category_id == req.category_id)
    cols = dict(
        id=u.id, first_name=u.first_name, last_name=u.last_name, lat=u.lat, lon=u.lon, active=u.active,
        is_pro=is_pro, has_volunteer_role=role(R.VOLUNTEER),
        radius_km=case((is_pro, pp.radius_km), else_=vp.radius_km),
        max_hours_month=vp.max_hours_month, vog_date=vp.vog_date,
        agreement_on=vp.volunteer_agreement_signed_on, paused=func.coalesce(vp.paused, false()),
        approved=vp.approved_at.is_not(None),
        offers=select(helper_categories.c.user_id).where(
            helper_categories.c.user_id == u.id, helper_categories.c.category_id == req.category_id).exists(),
        competence=comp.exists(), backstop=comp.where(Competence.backstop_id.is_not(None)).exists(),
        absent=select(Absence.id).where(Absence.user_id == u.id, Absence.starts_on <= day,
                                        Absence.ends_on >= day).exists(),
        hours_month=hours,
        helped_before=select(Proposal.id).where(
            Proposal.resident_id == req.resident_id, Proposal.helper_id == u.id,
            Proposal.status == ACCEPTED, Proposal.request_id != req.id).exists(),
        open_proposal=select(Proposal.status).where(
            Proposal.request_id == req.id, Proposal.helper_id == u.id,
            Proposal.status.in_(OPEN)).limit(1).scalar_subquery(),
        preferences=vp.preferences,
    )
    return cols, is_pro


def _eligible_clause(cols, is_pro, rule: str, on: date):
    """Eligibility in SQL, the same rules as rules.ineligibility (which re-checks each row)."""
    vog_cutoff = on - relativedelta(years=current_app.config["VOG_VALID_YEARS"])
    volunteer = and_(~is_pro, cols["has_volunteer_role"], VolunteerProfile.user_id.is_not(None),
                     VolunteerProfile.approved_at.is_not(None), cols["paused"] == false(),
                     VolunteerProfile.vog_date > vog_cutoff)
    if rule == TaskCategory.TRAINED:
        volunteer = and_(volunteer, cols["backstop"], VolunteerProfile.volunteer_agreement_signed_on.is_not(None))
        professional = is_pro
    elif rule == TaskCategory.PROFESSIONAL:
        volunteer, professional = false(), and_(is_pro, cols["offers"])
    else:
        volunteer, professional = and_(volunteer, cols["offers"]), is_pro
    return and_(User.active == true(), ~cols["absent"], or_(professional, volunteer))


def _reach_km():
    """The largest radius any helper chose, as a subquery: the half-width of the first box.

    Over all villages (a looser bound, still exact): with the radius indexes of
    coop/matching/models.py each max() is one index lookup, where a per-village max would
    read every profile of the village.
    """
    each = union_all(select(func.max(VolunteerProfile.radius_km).label("km")),
                     select(func.max(ProfessionalProfile.radius_km).label("km"))).subquery()
    return select(func.coalesce(func.max(each.c.km), 0) * 1.01).scalar_subquery()


def _base(req: HelpRequest, point: tuple[float, float], cols, near: bool = True):
    lat, lon = point
    labelled = [c.label(name) for name, c in cols.items()]
    stmt = (select(*labelled)
            .select_from(User)
            .outerjoin(VolunteerProfile, VolunteerProfile.user_id == User.id)
            .outerjoin(ProfessionalProfile, ProfessionalProfile.user_id == User.id)
            .where(User.village_id == req.village_id, User.id != req.resident_id,
                   or_(VolunteerProfile.user_id.is_not(None), ProfessionalProfile.user_id.is_not(None))))
    if not near:
        return stmt
    # Degrees per km at the box's edge nearest the pole (the widest longitude span needed).
    reach = _reach_km()
    per_lon = km_per_degree_lon(min(abs(lat) + 1.0, 89.0))
    radius = cols["radius_km"] * 1.01
    return stmt.where(
        User.lat.between(lat - reach / KM_PER_DEGREE_LAT, lat + reach / KM_PER_DEGREE_LAT),
        User.lon.between(lon - reach / per_lon, lon + reach / per_lon),
        # each helper's own radius, as a box: cheap, and exact distance follows
        func.abs(User.lat - lat) * KM_PER_DEGREE_LAT <= radius,
        func.abs(User.lon - lon) * literal(per_lon) <= radius)


def _row(m) -> rules.HelperRow:
    return rules.HelperRow(
        id=m["id"], first_name=m["first_name"], last_name=m["last_name"], lat=m["lat"], lon=m["lon"],
        kind=rules.PROFESSIONAL if m["is_pro"] else rules.VOLUNTEER, radius_km=float(m["radius_km"] or 0),
        active=bool(m["active"]), has_volunteer_role=bool(m["has_volunteer_role"]),
        max_hours_month=m["max_hours_month"], vog_date=m["vog_date"], agreement_on=m["agreement_on"],
        paused=bool(m["paused"]), approved=bool(m["approved"]), offers=bool(m["offers"]),
        competence=bool(m["competence"]), backstop=bool(m["backstop"]), absent=bool(m["absent"]),
        hours_month=float(m["hours_month"] or 0), helped_before=bool(m["helped_before"]),
        open_proposal=m["open_proposal"], preferences=m["preferences"] or "")


def request_day(req: HelpRequest) -> date:
    return request_when(req).day or local_now().date()


def fetch_rows(req: HelpRequest, point: tuple[float, float], *,
               helper_id: int | None = None) -> tuple[list[rules.HelperRow], list[rules.HelperRow]]:
    """(eligible rows, ineligible rows) near the request, from one query."""
    category = req.category
    day = request_day(req)
    cols, is_pro = _columns(req, day)
    cols["eligible"] = case((_eligible_clause(cols, is_pro, category.rule, day), 1), else_=0)
    stmt = _base(req, point, cols, near=helper_id is None)
    if helper_id is not None:
        stmt = stmt.where(User.id == helper_id)
    good: list[rules.HelperRow] = []
    bad: list[rules.HelperRow] = []
    for m in db.session.execute(stmt).mappings():
        (good if m["eligible"] else bad).append(_row(m))
    return good, bad


def distances(point, good: list[rules.HelperRow], bad: list[rules.HelperRow]) -> dict[int, float]:
    """Geodesic km for the eligible helpers within their radius and the nearest ineligible ones;
    a spherical pre-check spares the exact computation for everyone surely out of reach."""
    def near(rows):
        for row in rows:
            approx = sphere_km(point, (row.lat, row.lon))
            if approx <= row.radius_km * SPHERE_MARGIN:
                yield approx, row
    found = {row.id: distance_km(point, (row.lat, row.lon)) for _, row in near(good)}
    closest = sorted(near(bad), key=lambda pair: (pair[0], pair[1].id))[:INELIGIBLE_SHOWN]
    found.update((row.id, distance_km(point, (row.lat, row.lon))) for _, row in closest)
    return found


def fetch_slots(ids: list[int], day: date | None) -> dict[int, list]:
    if not ids:
        return {}
    stmt = select(WeeklySlot.user_id, WeeklySlot.weekday, WeeklySlot.start, WeeklySlot.end).where(
        WeeklySlot.user_id.in_(ids))
    if day is not None:
        stmt = stmt.where(WeeklySlot.weekday == day.weekday())
    slots: dict[int, list] = {}
    for user_id, weekday, start, end in db.session.execute(stmt):
        slots.setdefault(user_id, []).append((weekday, start, end))
    return slots


def _resident_first_name(req: HelpRequest) -> str:
    # One narrow query unless the resident is loaded already (loading a User also loads its roles).
    if "resident" in req.__dict__:
        return req.resident.first_name
    return db.session.scalar(select(User.first_name).where(User.id == req.resident_id)) or ""


def rank_for(req: HelpRequest, *, helper_id: int | None = None, limit: int = 25) -> Ranking:
    """The ranked candidates for a request (at most 4 queries once the request is loaded)."""
    point = request_point(req)
    if point is None or req.category.rule == TaskCategory.MUNICIPAL:
        return Ranking([], [], point is not None)
    good, bad = fetch_rows(req, point, helper_id=helper_id)
    when = request_when(req)
    km = distances(point, good, bad)
    slots = fetch_slots([r.id for r in good if r.id in km], when.day)
    ranked, ineligible = rules.rank(good + bad, km, slots, when, category_info(req.category),
                                    _resident_first_name(req), when.day or local_now().date(),
                                    current_app.config["VOG_VALID_YEARS"], limit=limit)
    return Ranking(ranked, ineligible, True)


def rank_for_time(category: TaskCategory, point: tuple[float, float] | None, starts_at, ends_at,
                  resident: User, *, limit: int = 25) -> Ranking:
    """Rank helpers for a task that is not a hulpvraag (a respite shift): the same rules as
    rank_for, at `point`, from `starts_at` to `ends_at` (aware datetimes), for `resident`.

    Built on an unsaved request-shaped stand-in, so every change to rank_for applies here too.
    With no id, it matches no proposal: continuity counts every accepted one with `resident`.
    """
    lat, lon = point if point is not None else (None, None)
    stand_in = HelpRequest(village_id=category.village_id, category_id=category.id, category=category,
                           resident_id=resident.id, resident=resident, lat=lat, lon=lon,
                           window_start=starts_at, window_end=ends_at,
                           on_date=starts_at.astimezone(LOCAL).date() if starts_at else None)
    return rank_for(stand_in, limit=limit)
