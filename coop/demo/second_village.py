"""A second village in the same gemeente, made the way the platform role makes one, and the
platform account itself: the gemeente then reads two villages, each village's staff only its own.
"""
from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select

from coop.core import roles as R
from coop.core.clock import local_now, now
from coop.core.models import TaskCategory, User
from coop.demo.base import FIRST, LAST, DemoContext, _person
from coop.extensions import db
from coop.people.models import VolunteerProfile
from coop.villages import service as villages

SLUG = "bosch-en-duin"
CENTRE = (52.1150, 5.2420)


def build(ctx, pw: str) -> None:
    from coop.reports import demo as history

    platform = _person(ctx.rng, ctx.village, "Platform", "Beheer", roles=(R.PLATFORM,),
                            email="platform@coop.demo", pw_hash=pw, n=900)
    db.session.flush()
    village = villages.create_village(villages.NewVillage(
        name="Bosch en Duin", slug=SLUG, cooperative_name="Zorgcoöperatie Bosch en Duin",
        centre_lat=CENTRE[0], centre_lon=CENTRE[1], phone="+31302251234",
        municipality_id=ctx.village.municipality_id, new_municipality="", category_set="standaard",
        coordinator_first_name="Sanne", coordinator_last_name="de Ruiter",
        coordinator_email="coordinator@boschenduin.demo", coordinator_is_admin=True), by=platform)
    coordinator = _user("coordinator@boschenduin.demo")
    coordinator.password_hash = pw  # the demo skips the welcome mail's link
    rng = random.Random(1896)
    small = DemoContext(village=village, categories={c.code: c for c in _categories(village.id)},
                             coordinator=coordinator, municipality_user=ctx.municipality_user, admin=coordinator,
                             rng=rng)
    today = local_now().date()
    for i in range(8):
        user = _person(rng, village, FIRST[(i * 3 + 1) % len(FIRST)],
                            LAST[(i * 5 + 4) % len(LAST)], roles=(R.VOLUNTEER,), n=500 + i)
        user.place, user.lat, user.lon = "Bosch en Duin", CENTRE[0] + (i - 4) * 0.002, CENTRE[1] + (i % 3) * 0.003
        db.session.add(VolunteerProfile(user=user, radius_km=3.0, max_hours_month=8,
                                        vog_date=today - timedelta(days=200),
                                        volunteer_contract_signed_on=today - timedelta(days=150),
                                        approved_at=now() - timedelta(days=300), approved_by_id=coordinator.id,
                                        categories=[small.categories["boodschappen"], small.categories["vervoer"]]))
        small.volunteers.append(user)
    for i in range(30):
        user = _person(rng, village, FIRST[(i * 7 + 2) % len(FIRST)],
                            LAST[(i * 3 + 9) % len(LAST)], roles=(R.RESIDENT,), n=600 + i)
        user.place = "Bosch en Duin"
        small.residents.append(user)
    db.session.flush()
    history.seed(small)


def _categories(village_id: int) -> list[TaskCategory]:
    return list(db.session.scalars(select(TaskCategory).where(TaskCategory.village_id == village_id)))


def _user(email: str) -> User:
    return db.session.scalars(select(User).where(User.email == email)).one()
