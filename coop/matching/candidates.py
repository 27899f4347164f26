"""Fetch the rows for ranking in few SQL queries and hand them to the pure rules.

1. the helpers near the request: a bounding box as wide as the largest radius any helper in
   the village chose (an index range on ix_users_helpers_village_lat_lon), then for each
   helper a circle of their own radius or of ranking.NEAR_KM, whichever is larger, on a flat
   map that never makes a distance longer; beside them the helpers not on the map yet (a
   bounded list). Each row carries the facts the rules need (approval, VOG, pause, absence,
   competence, load, continuity, an open proposal), computed in SQL;
2. the weekly slots of the helpers who can take the task.
Nobody near is dropped for a reason: who cannot take the task is listed with every reason
(ranking.sort_out). A cheap spherical distance sorts the rows out; the exact geodesic distance
is computed only where it matters: a row on an edge, and the rows shown (the possible ones
whose score may make the list, and the not-possible ones listed).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from functools import cache
from typing import Any

from babel.dates import format_date
from dateutil.relativedelta import relativedelta
from flask import current_app
from sqlalchemy import ARRAY, Date, Float, Integer, bindparam, false, func, literal, select, union_all

from coop.core import roles as R
from coop.core.clock import LOCAL, local_now
from coop.core.models import TaskCategory, User
from coop.core.sql import greatest, one_of
from coop.extensions import db
from coop.geo.distance import KM_PER_DEGREE_LAT, SPHERE_MARGIN, distance_km, km_per_degree_lon, sphere_km
from coop.matching import ranking
from coop.matching.models import ACCEPTED, OPEN, Proposal
from coop.matching.queries import has_role, is_professional
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

INELIGIBLE_SHOWN = 15  # not-possible helpers listed one by one; the rest are counted by reason
UNPLACED_MAX = 50  # helpers not on the map yet, listed beside the near ones


@dataclass
class Ranking:
    candidates: list[ranking.Candidate]
    ineligible: list[ranking.Candidate]  # near, but cannot take it now: nearly possible first
    located: bool  # False: the request has no coordinates yet (set the pin first)
    more: int = 0  # how many more cannot take it than are listed in `ineligible`
    more_reasons: list[tuple[str, int]] = field(default_factory=list)  # their reasons, counted


def request_point(req: HelpRequest) -> tuple[float, float] | None:
    if req.lat is not None and req.lon is not None:
        return req.lat, req.lon
    return None


def request_when(req: HelpRequest) -> ranking.When:
    """The requested time in local terms (a part of a day, a time window, or flexible)."""
    if req.window_start is not None:
        start = req.window_start.astimezone(LOCAL)
        end = req.window_end.astimezone(LOCAL) if req.window_end else None
        return ranking.When(start.date(), start.time(),
                          end.time() if end and end.date() == start.date() else time(23, 59))
    if req.on_date is not None:
        if req.part_of_day in ranking.PARTS:
            part_start, part_end, _ = ranking.PARTS[req.part_of_day]
            return ranking.When(req.on_date, part_start, part_end, req.part_of_day)
        return ranking.When(req.on_date)
    return ranking.When(None)


def category_info(category: TaskCategory) -> ranking.CategoryInfo:
    return ranking.CategoryInfo(category.id, category.code, category.name, category.rule)


def _month_bounds(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    return first, first + relativedelta(months=1, days=-1)


def month_words(day: date) -> str:
    """How the load's month is named: "deze maand", or "in april" for a request in another month."""
    today = local_now().date()
    if (day.year, day.month) == (today.year, today.month):
        return "deze maand"
    return "in " + format_date(day, "MMMM" if day.year == today.year else "MMMM y", locale="nl")


def _columns(req, day, first, last):
    """The helper columns, with the flags and subqueries the rules need; the load is counted
    from `first` to `last`, the month the help is asked for. `req` has the request's
    category_id, resident_id and id (bound parameters: see _statement)."""
    u, vp, pp = User, VolunteerProfile, ProfessionalProfile
    hours = (select(func.coalesce(func.sum(HoursEntry.hours), 0))
             .where(HoursEntry.helper_id == u.id, HoursEntry.worked_on.between(first, last),
                    HoursEntry.status != HoursEntry.REJECTED).scalar_subquery())
    comp = select(Competence.id).where(Competence.volunteer_id == u.id, Competence.category_id == req.category_id)
    return dict(
        id=u.id, first_name=u.first_name, last_name=u.last_name, lat=u.lat, lon=u.lon, active=u.active,
        is_pro=is_professional(), has_volunteer_role=has_role(R.VOLUNTEER),
        volunteer_radius_km=vp.radius_km, professional_radius_km=pp.radius_km,  # _row picks by is_pro
        max_hours_month=vp.max_hours_month, vog_date=vp.vog_date,
        contract_signed_on=vp.volunteer_contract_signed_on, paused=func.coalesce(vp.paused, false()),
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
            one_of(Proposal.status, OPEN)).limit(1).scalar_subquery(),
        preferences=vp.preferences,
    )


def _reach_km():
    """The largest radius any helper chose (or NEAR_KM), as a subquery: the half-width of the
    first box.

    Over all villages (a looser bound, still exact): with the radius indexes of
    coop/matching/models.py each max() is one index lookup, where a per-village max would
    read every profile of the village.
    """
    each = union_all(select(func.max(VolunteerProfile.radius_km).label("km")),
                     select(func.max(ProfessionalProfile.radius_km).label("km")),
                     select(literal(ranking.NEAR_KM).label("km"))).subquery()
    return select(func.coalesce(func.max(each.c.km), 0) * 1.01).scalar_subquery()


def _helpers(req, cols):
    """Every volunteer and professional of the village but the resident, with the columns.

    users.is_helper (a volunteer or professional profile, kept by the database) picks them out
    on the partial index ix_users_helpers_village_lat_lon, so no resident's profiles are
    looked up."""
    labelled = [c.label(name) for name, c in cols.items()]
    return (select(*labelled)
            .select_from(User)
            .outerjoin(VolunteerProfile, VolunteerProfile.user_id == User.id)
            .outerjoin(ProfessionalProfile, ProfessionalProfile.user_id == User.id)
            .where(User.village_id == req.village_id, User.is_helper, User.id != req.resident_id))


def _near(req, lat, lon, per_lon, cols):
    """The helpers within reach of (lat, lon); per_lon: km per degree of longitude at the
    box's edge nearest the pole (the widest longitude span needed)."""
    reach = _reach_km()
    # Each helper's reach: the larger of their radii, or NEAR_KM (who is nearer is listed too),
    # with a margin; without the role lookups that decide which radius is theirs.
    own = greatest(func.coalesce(VolunteerProfile.radius_km, 0), func.coalesce(ProfessionalProfile.radius_km, 0),
                   ranking.NEAR_KM / 1.01) * 1.01
    # The distance on a flat map with the shortest degrees the box holds: never more than the
    # geodesic one, so nobody within their reach is left out, and the corners of the box are.
    north, east = (User.lat - lat) * KM_PER_DEGREE_LAT, (User.lon - lon) * per_lon
    return _helpers(req, cols).where(
        User.lat.between(lat - reach / KM_PER_DEGREE_LAT, lat + reach / KM_PER_DEGREE_LAT),
        User.lon.between(lon - reach / per_lon, lon + reach / per_lon),
        north * north + east * east <= own * own)


def _unplaced(req, cols):
    """The helpers without a pin (a bounded list): nobody can tell whether they are near.

    A pin is always set and removed as a pair (people.service), so `lat IS NULL` finds them:
    one range of the helpers' index on users(village_id, lat, lon).
    """
    ids = (select(User.id)
           .where(User.village_id == req.village_id, User.is_helper, User.id != req.resident_id, User.lat.is_(None))
           .limit(UNPLACED_MAX))  # no ORDER BY: it would make SQLite scan the village in id order
    return _helpers(req, cols).where(User.id.in_(ids))


# The helpers' columns in the order _columns gives them, read by position: a row of a few
# hundred is read for every ranking, and a lookup by name per column cost more than the rules.
ROW_COLUMNS = ("id", "first_name", "last_name", "lat", "lon", "active", "is_pro", "has_volunteer_role",
               "volunteer_radius_km", "professional_radius_km", "max_hours_month", "vog_date",
               "contract_signed_on", "paused", "approved", "offers", "competence", "backstop", "absent",
               "hours_month", "helped_before", "open_proposal", "preferences")


def _row(r) -> ranking.HelperRow:
    (id_, first_name, last_name, lat, lon, active, is_pro, volunteer_role, volunteer_km, professional_km, max_hours,
     vog_date, contract, paused, approved, offers, competence, backstop, absent, hours, helped_before, open_proposal,
     preferences) = r
    return ranking.HelperRow(
        id_, first_name, last_name, lat, lon, ranking.PROFESSIONAL if is_pro else ranking.VOLUNTEER,
        float((professional_km if is_pro else volunteer_km) or 0), bool(active), bool(volunteer_role), max_hours,
        vog_date, contract, bool(paused), bool(approved), bool(offers), bool(competence), bool(backstop),
        bool(absent), float(hours or 0), bool(helped_before), open_proposal, preferences or "")


def request_day(req: HelpRequest) -> date:
    return request_when(req).day or local_now().date()


@dataclass(frozen=True)
class _Shape:
    """What the helpers' statement reads of a request, as bound parameters."""
    category_id: Any
    resident_id: Any
    village_id: Any
    id: Any  # None: a stand-in without an id (rank_for_time), which matches no proposal


@cache
def _statement(one_helper: bool, with_id: bool):
    """The helpers' statement, built once per process for each shape: building it and
    computing its cache key cost more than PostgreSQL takes to run it. Everything that
    differs between rankings is a bound parameter (named in fetch_rows); the statement holds
    no data, so every process builds the same one."""
    p = {name: bindparam(f"rank_{name}", type_=type_) for name, type_ in (
        ("category_id", Integer()), ("resident_id", Integer()), ("village_id", Integer()), ("id", Integer()),
        ("day", Date()), ("first", Date()), ("last", Date()), ("lat", Float()), ("lon", Float()),
        ("per_lon", Float()), ("helper_id", Integer()))}
    req = _Shape(p["category_id"], p["resident_id"], p["village_id"], p["id"] if with_id else None)
    cols = _columns(req, p["day"], p["first"], p["last"])
    assert tuple(cols) == ROW_COLUMNS, "_row reads the columns by position"
    if one_helper:
        return _helpers(req, cols).where(User.id == p["helper_id"])
    return union_all(_near(req, p["lat"], p["lon"], p["per_lon"], cols), _unplaced(req, cols))


def fetch_rows(req: HelpRequest, point: tuple[float, float], *,
               helper_id: int | None = None) -> list[ranking.HelperRow]:
    """The helpers near the request and those not on the map yet, in one query (or one helper)."""
    day = request_day(req)
    first, last = _month_bounds(day)
    lat, lon = point
    params = {"category_id": req.category_id, "resident_id": req.resident_id, "village_id": req.village_id,
              "id": req.id, "day": day, "first": first, "last": last, "lat": lat, "lon": lon,
              "per_lon": km_per_degree_lon(min(abs(lat) + 1.0, 89.0)), "helper_id": helper_id}
    stmt = _statement(helper_id is not None, req.id is not None)
    # all() fetches the few hundred rows at once; iterating would fetch them one by one.
    rows = _connection().execute(stmt, {f"rank_{k}": v for k, v in params.items()}).all()
    return [_row(r) for r in rows]


def _connection():
    """The session's connection, in its transaction, with what the session holds flushed: the
    rows are plain values, and the ORM's layer around a statement cost more than the rows."""
    db.session.flush()
    return db.session.connection()


def approximate(point, rows: list[ranking.HelperRow]) -> dict[int, float]:
    """The spherical distance of every row on the map that may be near (within SPHERE_MARGIN of
    the geodesic); who is surely beyond both their radius and NEAR_KM is left out."""
    found = {}
    for row in rows:
        if row.lat is None or row.lon is None:
            continue
        km = sphere_km(point, (row.lat, row.lon))
        if km <= max(row.radius_km, ranking.NEAR_KM) * SPHERE_MARGIN:
            found[row.id] = km
    return found


@cache
def _slots_statement(one_day: bool, postgresql: bool):
    # The ids as one parameter (a list given to in_() is checked value by value), on
    # PostgreSQL one array: a few hundred ids are one value to send, not a few hundred.
    ids = (WeeklySlot.user_id == func.any(bindparam("ids", type_=ARRAY(Integer()))) if postgresql
           else WeeklySlot.user_id.in_(bindparam("ids", expanding=True)))
    stmt = select(WeeklySlot.user_id, WeeklySlot.weekday, WeeklySlot.start, WeeklySlot.end).where(ids)
    return stmt.where(WeeklySlot.weekday == bindparam("weekday")) if one_day else stmt


def fetch_slots(ids: list[int], day: date | None) -> dict[int, list]:
    if not ids:
        return {}
    slots: dict[int, list] = {}
    params = {"ids": ids, "weekday": day.weekday() if day is not None else None}
    postgresql = db.session.get_bind().dialect.name == "postgresql"
    for user_id, weekday, start, end in _connection().execute(_slots_statement(day is not None, postgresql), params):
        slots.setdefault(user_id, []).append((weekday, start, end))
    return slots


def _resident_first_name(req: HelpRequest) -> str:
    # One narrow query unless the resident is loaded already (loading a User also loads its roles).
    if "resident" in req.__dict__:
        return req.resident.first_name
    return db.session.scalar(select(User.first_name).where(User.id == req.resident_id)) or ""


def rank_for(req: HelpRequest, *, limit: int = 25) -> Ranking:
    """The ranked candidates for a request, and everyone near who cannot take it with why
    (at most 4 queries once the request is loaded)."""
    point = request_point(req)
    if point is None or req.category.rule == TaskCategory.MUNICIPAL:
        return Ranking([], [], point is not None)
    rows = fetch_rows(req, point)
    when = request_when(req)
    day = when.day or local_now().date()
    category, month = category_info(req.category), month_words(day)
    exact: dict[int, float] = {}

    def geodesic(row: ranking.HelperRow) -> float:
        if row.id not in exact:
            assert row.lat is not None and row.lon is not None  # sort_out asks only for rows on the map
            exact[row.id] = distance_km(point, (row.lat, row.lon))
        return exact[row.id]
    vog_years = current_app.config["VOG_VALID_YEARS"]
    possible, impossible = ranking.sort_out(rows, approximate(point, rows), geodesic, category, day, vog_years,
                                          month=month)
    slots = fetch_slots([c.helper.id for c in possible], when.day)
    ranked = ranking.rank_sorted(possible, slots, when, category, _resident_first_name(req), limit, month,
                               exact=geodesic)
    ordered = ranking.order_not_possible(impossible, category)
    shown, rest = ordered[:INELIGIBLE_SHOWN], ordered[INELIGIBLE_SHOWN:]
    for c in shown:  # what is listed reads the geodesic distance, as everywhere
        if c.distance_km is not None and c.approximate:
            c.approximate = False
            c.distance_km = geodesic(c.helper)
            c.ineligible = ranking.not_possible(c.helper, c.distance_km, category, day, vog_years, month)
    return Ranking(ranked, shown, True, len(rest), ranking.reason_counts(rest))


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
