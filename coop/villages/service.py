"""Creating a village: the tenant, its categories from a set, the list it refers requests to,
its gemeente and first coordinator."""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select

from coop.core import audit
from coop.core import roles as R
from coop.core.errors import DomainError
from coop.core.models import Municipality, User, UserRole, Village, default_referral_destinations
from coop.core.outbox import queue
from coop.core.validation import normalise_phone
from coop.extensions import db
from coop.geo.distance import in_netherlands
from coop.people.service import create_person
from coop.villages.category_sets import SETS, categories_for

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
WELCOME = "account_welcome"


@dataclass(frozen=True)
class NewVillage:
    name: str
    slug: str
    cooperative_name: str
    centre_lat: float
    centre_lon: float
    phone: str
    municipality_id: int | None
    new_municipality: str
    category_set: str
    coordinator_first_name: str
    coordinator_last_name: str
    coordinator_email: str
    coordinator_is_admin: bool


def _municipality(data: NewVillage) -> Municipality:
    if data.municipality_id:
        found = db.session.get(Municipality, data.municipality_id)
        if found is None:
            raise DomainError("Kies een gemeente uit de lijst.", "municipality_id")
        return found
    name = data.new_municipality.strip()
    if not name:
        raise DomainError("Kies een gemeente, of vul de naam van een nieuwe gemeente in.", "municipality_id")
    existing = db.session.scalar(select(Municipality).where(func.lower(Municipality.name) == name.lower()))
    if existing is not None:
        return existing
    municipality = Municipality(name=name)
    db.session.add(municipality)
    return municipality


def create_village(data: NewVillage, *, by: User) -> Village:
    """A new tenant with its categories and its first coordinator, who is mailed a link to set a
    password. The platform role that does this sees no one's data afterwards."""
    slug = data.slug.strip().lower()
    if not SLUG.match(slug):
        raise DomainError("Gebruik voor de code alleen kleine letters, cijfers en streepjes.", "slug")
    if db.session.scalar(select(Village.id).where(Village.slug == slug)) is not None:
        raise DomainError("Er is al een dorp met deze code.", "slug")
    if not in_netherlands(data.centre_lat, data.centre_lon):
        raise DomainError("Het midden van het dorp ligt niet in Nederland. Controleer de coördinaten.", "centre_lat")
    if data.category_set not in SETS:
        raise DomainError("Kies een set taakcategorieën.", "category_set")
    village = Village(name=data.name.strip(), slug=slug, cooperative_name=data.cooperative_name.strip(),
                      municipality=_municipality(data), centre_lat=data.centre_lat, centre_lon=data.centre_lon,
                      coordinator_phone=normalise_phone(data.phone))
    db.session.add(village)
    db.session.flush()
    db.session.add_all(categories_for(data.category_set, village.id))
    db.session.add_all(default_referral_destinations(village.id))
    roles = (R.COORDINATOR, R.ADMIN) if data.coordinator_is_admin else (R.COORDINATOR,)
    coordinator = create_person(village=village, first_name=data.coordinator_first_name,
                                last_name=data.coordinator_last_name, email=data.coordinator_email,
                                roles=roles, by=by)
    queue(WELCOME, coordinator, payload={}, village_id=village.id)
    audit.record("village.created", actor=by, village_id=village.id, detail=f"village {village.id} ({slug})")
    return village


@dataclass(frozen=True)
class VillageLine:
    """What the platform role sees of a village: no person, only sizes."""
    id: int
    name: str
    slug: str
    municipality: str
    people: int
    staff: int


def village_lines() -> list[VillageLine]:
    people = (select(User.village_id, func.count(User.id).label("n")).group_by(User.village_id).subquery())
    staff = (select(User.village_id, func.count(func.distinct(User.id)).label("n"))
             .join(UserRole, UserRole.user_id == User.id)
             .where(UserRole.role.in_((R.COORDINATOR, R.ADMIN))).group_by(User.village_id).subquery())
    rows = db.session.execute(
        select(Village.id, Village.name, Village.slug, Municipality.name, people.c.n, staff.c.n)
        .outerjoin(Municipality, Municipality.id == Village.municipality_id)
        .outerjoin(people, people.c.village_id == Village.id)
        .outerjoin(staff, staff.c.village_id == Village.id)
        .order_by(Municipality.name, Village.name))
    return [VillageLine(id=r[0], name=r[1], slug=r[2], municipality=r[3] or "–", people=r[4] or 0, staff=r[5] or 0)
            for r in rows]
