"""A village's small stock of aids, the clock on Monday 16 March 2026, 10:00 in Amsterdam."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from coop.aids import service
from coop.core import clock

MONDAY = datetime(2026, 3, 16, 9, 0, tzinfo=UTC)
TODAY = date(2026, 3, 16)


@pytest.fixture(autouse=True)
def frozen():
    clock.freeze(MONDAY)
    yield MONDAY
    clock.freeze(None)


@pytest.fixture
def rollator(village, coordinator):
    return service.add_item(village.id, kind="rollator", label="R-01", condition="good",
                            stored_at="Schuur achter het dorpshuis", by=coordinator)


@pytest.fixture
def chair(village, coordinator):
    return service.add_item(village.id, kind="douchestoel", label="D-01", condition="good", by=coordinator)


@pytest.fixture
def without_email(make, village):
    return make.user(village, email=None, first_name="Piet", last_name="Visser")
