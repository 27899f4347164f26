"""An activity with a sign-up for the shared worlds of tests/core (forms_world.World): made once
per world and kept on it, so the access walk and the form walks find real rows."""
from __future__ import annotations

from datetime import date, time
from decimal import Decimal

from coop.activities import service
from coop.activities.models import Activity, Signup
from coop.core.models import TaskCategory
from coop.extensions import db


def activity_of(world) -> Activity:
    """A meal on Thursday 19 March 2026 (the worlds' clock stands on Monday 16 March) with the
    world's resident signed up and the world's volunteer helping."""
    found = world.__dict__.get("_activity")
    if found is not None:
        return found
    village = world.village
    if db.session.query(TaskCategory).filter_by(village_id=village.id, code="vervoer").first() is None:
        db.session.add(TaskCategory(village_id=village.id, code="vervoer", name="Vervoer", rule=TaskCategory.OPEN))
    activity = service.create(village.id, service.ActivityInput(
        kind="meal", title="Austerlitz Eet", on_date=date(2026, 3, 19), start_time=time(17, 30),
        end_time=time(19, 30), venue="De Kapel", street="Dorpsstraat", house_number="12", place=village.name,
        capacity=10, cost=Decimal("7.50")), by=world.coordinator)
    service.sign_up(activity, world.resident, by=world.resident)
    service.add_helper(activity, world.volunteer, by=world.coordinator)
    db.session.commit()
    world.__dict__["_activity"] = activity
    return activity


def signup_of(world) -> Signup:
    activity = activity_of(world)
    return next(s for s in activity.signups if s.person_id == world.resident.id)
