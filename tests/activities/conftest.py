from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest

from coop.activities import service
from coop.core import clock
from coop.core import roles as R
from coop.core.models import TaskCategory

MONDAY = datetime(2026, 3, 16, 9, 0, tzinfo=UTC)  # 10:00 in Amsterdam
THURSDAY = date(2026, 3, 19)


@pytest.fixture
def frozen():
    clock.freeze(MONDAY)
    yield MONDAY
    clock.freeze(None)


@pytest.fixture
def vervoer(session, village):
    category = TaskCategory(village_id=village.id, code="vervoer", name="Vervoer naar arts of ziekenhuis",
                            rule=TaskCategory.OPEN, sort_order=9)
    session.add(category)
    session.flush()
    return category


@pytest.fixture
def plan(frozen, village, coordinator, vervoer):
    def make(capacity=2, kind="meal", title="Austerlitz Eet", on_date=THURSDAY, start=time(17, 30), end=time(19, 30)):
        return service.create(village.id, service.ActivityInput(
            kind=kind, title=title, on_date=on_date, start_time=start, end_time=end, venue="Dorpshuis De Kapel",
            street="Dorpsstraat", house_number="12", place="Austerlitz", capacity=capacity, cost=Decimal("7.50"),
            description="Soep, stamppot en vla."), by=coordinator)
    return make


@pytest.fixture
def people(make, village):
    """Bep and Kees with e-mail, Piet without (the coordinator phones him)."""
    return {"bep": make.user(village, R.RESIDENT, first_name="Bep", last_name="Jansen"),
            "kees": make.user(village, R.RESIDENT, first_name="Kees", last_name="Smit"),
            "piet": make.user(village, R.RESIDENT, email=None, first_name="Piet", last_name="Visser")}
