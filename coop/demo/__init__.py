"""The demo village: a fictional "Austerlitz" with people in every role.

`flask --app coop demo` builds it once (running it again changes nothing). Each feature adds
its own part in `coop/<feature>/demo.py`, a `seed(ctx)` function, called in DEMO_ORDER.
"""
from __future__ import annotations

import importlib
import random
from datetime import timedelta

from sqlalchemy import select

from coop.auth.passwords import hash_password
from coop.core import roles as R
from coop.core.clock import local_now, now
from coop.core.models import Municipality, TaskCategory, Village, default_referral_destinations
from coop.core.transaction import unit_of_work
from coop.demo import second_village
from coop.demo.base import CENTRE, FIRST, LAST, DemoContext, _person
from coop.extensions import db
from coop.people.models import Competence, VolunteerProfile
from coop.people.service import add_professional_profile
from coop.villages.category_sets import categories_for

SLUG = "austerlitz"

PASSWORD = "demo-wachtwoord"
DEMO_ORDER = ("requests", "matching", "respite", "agreements", "reports", "followups", "circles", "aids",
              "activities", "members")


def exists() -> bool:
    return db.session.scalar(select(Village.id).where(Village.slug == SLUG)) is not None


def build(echo=print) -> DemoContext | None:
    """Build the demo village unless it is there already, as one unit of work (commits)."""
    with unit_of_work():
        ctx = _build(echo)
    if ctx is not None:
        echo("Het demodorp Austerlitz is gemaakt.")
    return ctx


def _build(echo) -> DemoContext | None:
    if exists():
        echo("Het demodorp bestaat al; er is niets veranderd.")
        return None
    rng = random.Random(1812)
    pw = hash_password(PASSWORD)
    gemeente = Municipality(name="Gemeente Zeist")
    village = Village(name="Austerlitz", slug=SLUG, cooperative_name="Zorgcoöperatie Austerlitz",
                      municipality=gemeente, centre_lat=CENTRE[0], centre_lon=CENTRE[1],
                      coordinator_phone="+31343123456")
    db.session.add_all([gemeente, village])
    db.session.flush()
    categories = {c.code: c for c in categories_for("standaard", village.id)}
    db.session.add_all(categories.values())
    db.session.add_all(default_referral_destinations(village.id))
    ctx = DemoContext(
        village=village, categories=categories, rng=rng,
        coordinator=_person(rng, village, "Marieke", "van Dam", roles=(R.COORDINATOR,),
                            email="coordinator@austerlitz.demo", pw_hash=pw, n=1),
        municipality_user=_person(rng, village, "Ahmed", "El Amrani", roles=(R.MUNICIPALITY,),
                                  email="gemeente@zeist.demo", pw_hash=pw, n=2),
        admin=_person(rng, village, "Beheer", "Coöperatie", roles=(R.ADMIN,),
                      email="beheer@austerlitz.demo", pw_hash=pw, n=3))
    db.session.flush()
    _professionals(ctx, pw)
    _volunteers(ctx, pw)
    _residents(ctx, pw)
    for name in DEMO_ORDER:
        importlib.import_module(f"coop.{name}.demo").seed(ctx)
        db.session.flush()
    second_village.build(ctx, pw)
    return ctx


def _professionals(ctx: DemoContext, pw: str) -> None:
    """Four professionals, each with the tasks of their discipline."""
    for i, (org, discipline, codes) in enumerate([
            ("Thuiszorg Heuvelrug", "wijkverpleegkundige", ["wijkverpleging", "medicatie", "respijt_zorg"]),
            ("Thuiszorg Heuvelrug", "verzorgende IG", ["wijkverpleging", "respijt_zorg"]),
            ("Huisartsenpraktijk Austerlitz", "praktijkondersteuner", ["medicatie"]),
            ("Alzheimer Centrum Zeist", "casemanager dementie", ["wijkverpleging"])]):
        user = _person(ctx.rng, ctx.village, FIRST[(i * 5) % len(FIRST)], LAST[(i * 3 + 7) % len(LAST)],
                       roles=(R.PROFESSIONAL,), email=f"professional{i + 1}@austerlitz.demo", pw_hash=pw, n=10 + i)
        db.session.flush()
        add_professional_profile(user, organisation=org, discipline=discipline,
                                 categories=[ctx.categories[code] for code in codes])
        ctx.professionals.append(user)
    db.session.flush()


def _volunteers(ctx: DemoContext, pw: str) -> None:
    """Forty volunteers: varied offers, radius and hours; one with an expired VOG, one paused,
    two waiting for approval, some trained for care tasks with a professional backstop."""
    rng, today = ctx.rng, local_now().date()
    open_codes = [c for c, t in ctx.categories.items() if t.rule == TaskCategory.OPEN]
    for i in range(40):
        user = _person(rng, ctx.village, FIRST[(i * 7 + 3) % len(FIRST)], LAST[(i * 11 + 2) % len(LAST)],
                       roles=(R.VOLUNTEER,), email=f"vrijwilliger{i + 1}@austerlitz.demo", pw_hash=pw, n=100 + i)
        offers = rng.sample(open_codes, k=rng.randint(1, 4))
        profile = VolunteerProfile(
            user=user, radius_km=rng.choice([1.0, 2.0, 3.0, 5.0, 8.0]),
            max_hours_month=rng.choice([4, 8, 12, 16, 24]),
            vog_date=today - timedelta(days=rng.randint(30, 900)),
            volunteer_contract_signed_on=today - timedelta(days=rng.randint(10, 700)),
            approved_at=now() - timedelta(days=rng.randint(5, 700)), approved_by_id=ctx.coordinator.id,
            categories=[ctx.categories[c] for c in offers])
        if i == 0:
            profile.vog_date = today - timedelta(days=365 * 3 + 40)  # expired: shows as ineligible
        if i == 1:
            profile.paused = True
        if i >= 38:
            profile.approved_at = profile.approved_by_id = None
            user.created_at = now() - timedelta(days=i - 35)
        db.session.add(profile)
        if i % 6 == 2:
            for code in ("respijt_zorg", "medicatie")[: 1 + (i % 2)]:
                profile.competences.append(Competence(
                    category=ctx.categories[code], recorded_on=today - timedelta(days=100),
                    backstop_id=ctx.professionals[0].id, note="Training bij Thuiszorg Heuvelrug"))
        ctx.volunteers.append(user)


def _residents(ctx: DemoContext, pw: str) -> None:
    """Sixty residents; most without e-mail (the coordinator acts for them), some carers."""
    for i in range(60):
        has_login = i % 3 == 0 or i == 1
        roles = (R.RESIDENT, R.CARER) if i % 6 == 1 or i == 0 else (R.RESIDENT,)
        user = _person(ctx.rng, ctx.village, FIRST[(i * 13 + 5) % len(FIRST)], LAST[(i * 5 + 1) % len(LAST)],
                       roles=roles, email=f"inwoner{i + 1}@austerlitz.demo" if has_login else None,
                       pw_hash=pw if has_login else None, n=300 + i)
        user.created_by = ctx.coordinator
        ctx.residents.append(user)
        if R.CARER in roles:
            ctx.carers.append(user)
    db.session.flush()


def logins() -> list[tuple[str, str]]:
    """(role label, e-mail) of the demo accounts, for the README and the console."""
    return [
        ("dorpsondersteuner", "coordinator@austerlitz.demo"),
        ("gemeente", "gemeente@zeist.demo"),
        ("beheerder", "beheer@austerlitz.demo"),
        ("zorgprofessional", "professional1@austerlitz.demo"),
        ("vrijwilliger", "vrijwilliger3@austerlitz.demo"),
        ("vrijwilliger met verlopen VOG", "vrijwilliger1@austerlitz.demo"),
        ("inwoner en mantelzorger", "inwoner1@austerlitz.demo"),
        ("dorpsondersteuner Bosch en Duin", "coordinator@boschenduin.demo"),
        ("platformbeheer (maakt dorpen aan)", "platform@coop.demo"),
    ]
