"""Read-side SQL for the maps: points as plain rows (one query per group), no ORM objects."""
from __future__ import annotations

from sqlalchemy import ColumnElement, case, false, func, select

from coop.core import dutch
from coop.core import roles as R
from coop.core.models import TaskCategory, User, UserRole
from coop.core.sql import written
from coop.extensions import db
from coop.people.models import ProfessionalProfile, VolunteerProfile
from coop.requests.models import IS_OPEN, OPEN_STATUSES, STATUS_LABELS, URGENCY_LABELS, HelpRequest
from coop.requests.queries import INBOX_ORDER

SNIPPET = 140


def request_points(village_id: int, url_prefix: str, limit: int = 20000, urgent_first: bool = False) -> list[list]:
    """[lat, lon, id, status, urgency, title, text, url, status label, urgency label] per open request
    (in id order, or as the inbox orders them)."""
    resident = User.__table__.alias("resident")
    # A request's own pin only: one at home has its resident's (requests/place.py); one at an
    # address no geocoder knew is listed under "Nog niet op de kaart", never drawn at home.
    lat, lon = HelpRequest.lat, HelpRequest.lon
    order = INBOX_ORDER if urgent_first else (HelpRequest.id,)
    # The page's few rows are chosen from help_requests alone, then joined: joined first, the
    # sort would wait for a join of every open request of the village with its resident.
    chosen = (select(HelpRequest.id).where(HelpRequest.village_id == village_id,
                                           IS_OPEN, lat.is_not(None), lon.is_not(None))
              .order_by(*order).limit(written(limit)))
    stmt = (select(lat, lon, HelpRequest.id, HelpRequest.status, HelpRequest.urgency, TaskCategory.name,
                   resident.c.first_name, func.substr(HelpRequest.description, 1, SNIPPET))
            .join(resident, resident.c.id == HelpRequest.resident_id)
            .join(TaskCategory, TaskCategory.id == HelpRequest.category_id)
            .where(HelpRequest.id.in_(chosen.scalar_subquery()))
            .order_by(*order))
    return [[round(la, 6), round(lo, 6), rid, status, urgency, f"{cat} – {first}", text or "",
             f"{url_prefix}{rid}/koppelen", STATUS_LABELS[status], URGENCY_LABELS[urgency]]
            for la, lo, rid, status, urgency, cat, first, text in db.session.execute(stmt)]


def has_role(name: str) -> ColumnElement[bool]:
    """Whether the User of the statement has the role `name` (an EXISTS on user_roles)."""
    return select(UserRole.user_id).where(UserRole.user_id == User.id, UserRole.role == name).exists()


def is_professional() -> ColumnElement[bool]:
    """Whether the User of the statement, joined to their ProfessionalProfile (outer), is a
    professional. The role is looked up only for someone with a professional profile (few): as
    a plain EXISTS, PostgreSQL read every role row of every village to hash the professionals."""
    return case((ProfessionalProfile.user_id.is_not(None), has_role(R.PROFESSIONAL)), else_=false())


def helper_points(village_id: int, url_prefix: str, limit: int = 20000, by_name: bool = False) -> list[list]:
    """[lat, lon, id, kind, name, detail, url] per volunteer or professional with a place (in id
    order, or by name)."""
    stmt = (select(User.lat, User.lon, User.id, User.first_name, User.last_name, is_professional(),
                   ProfessionalProfile.discipline, VolunteerProfile.radius_km, VolunteerProfile.paused)
            .outerjoin(VolunteerProfile, VolunteerProfile.user_id == User.id)
            .outerjoin(ProfessionalProfile, ProfessionalProfile.user_id == User.id)
            .where(User.village_id == village_id, User.is_helper, User.active, User.lat.is_not(None),
                   User.lon.is_not(None))
            .order_by(*((User.last_name, User.first_name, User.id) if by_name else (User.id,))).limit(limit))
    rows = []
    for lat, lon, uid, first, last, pro, discipline, radius, paused in db.session.execute(stmt):
        assert lat is not None and lon is not None  # the query keeps only helpers with a place
        if pro and discipline:
            kind, detail = "professional", f"zorgprofessional, {discipline}"
        else:
            kind = "volunteer"
            detail = "vrijwilliger" + (", staat op pauze" if paused else "") + \
                (f", helpt tot {dutch.km(radius, None)}" if radius else "")
        rows.append([round(lat, 6), round(lon, 6), uid, kind, f"{first} {last}", detail, f"{url_prefix}{uid}"])
    return rows


def _count(stmt) -> int:
    return db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


PLACE_ROLES = (R.RESIDENT, R.CARER, R.VOLUNTEER, R.PROFESSIONAL)


def not_on_map(village_id: int, limit: int = 20) -> dict:
    """People (residents, carers, helpers) and open requests without a place on the map:
    {"people": [(id, name, address)], "requests": [(id, category, resident name)], and the counts}."""
    people = (select(User.id, User.first_name, User.last_name, User.street, User.house_number)
              .where(User.village_id == village_id, User.active, User.lat.is_(None) | User.lon.is_(None),
                     User.id.in_(select(UserRole.user_id).where(UserRole.role.in_(PLACE_ROLES)))))
    requests = (select(HelpRequest.id, TaskCategory.name, User.first_name, User.last_name)
                .join(TaskCategory, TaskCategory.id == HelpRequest.category_id)
                .join(User, User.id == HelpRequest.resident_id)
                .where(HelpRequest.village_id == village_id, HelpRequest.status.in_(OPEN_STATUSES),
                       HelpRequest.lat.is_(None) | HelpRequest.lon.is_(None)))
    found_people = [(uid, f"{first} {last}", " ".join(p for p in (street, number) if p))
                    for uid, first, last, street, number in db.session.execute(
                        people.order_by(User.last_name, User.first_name, User.id).limit(limit))]
    found_requests = [(rid, cat, f"{first} {last}") for rid, cat, first, last in db.session.execute(
        requests.order_by(HelpRequest.created_at, HelpRequest.id).limit(limit))]
    # Counted only when the list is full: usually both lists are short or empty.
    return {"people": found_people, "requests": found_requests,
            "people_count": _count(people) if len(found_people) == limit else len(found_people),
            "requests_count": _count(requests) if len(found_requests) == limit else len(found_requests)}


def people_on_village_map(village_id: int, limit: int = 20000) -> list[int]:
    """Who the village map shows (for the audit log): residents of the open requests with a
    place, and the helpers with a place, under the same conditions as the points above."""
    resident = User.__table__.alias("resident")
    residents = (select(HelpRequest.resident_id).join(resident, resident.c.id == HelpRequest.resident_id)
                 .where(HelpRequest.village_id == village_id, HelpRequest.status.in_(OPEN_STATUSES),
                        func.coalesce(HelpRequest.lat, resident.c.lat).is_not(None),
                        func.coalesce(HelpRequest.lon, resident.c.lon).is_not(None))
                 .order_by(HelpRequest.id).limit(limit))
    helpers = (select(User.id)
               .where(User.village_id == village_id, User.is_helper, User.active, User.lat.is_not(None),
                      User.lon.is_not(None))
               .order_by(User.id).limit(limit))
    return list(db.session.scalars(residents)) + list(db.session.scalars(helpers))
