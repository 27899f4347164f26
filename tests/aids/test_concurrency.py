"""Two coordinators lend the same item at the same moment, in real server processes on SQLite
and on PostgreSQL: one loan is stored, the other gets the Dutch reason and nothing is written."""
from __future__ import annotations

import itertools
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from coop.aids import service
from coop.aids.models import AidLoan
from coop.core import roles as R
from coop.core.clock import local_now
from coop.core.forms import new_form_token
from coop.extensions import db
from tests.conftest import Factory
from tests.core.test_concurrency import at_once, browsers, committed, no_server_errors
from tests.support.live_server import servers_and_app

_numbers = itertools.count(1)


@pytest.fixture(scope="module")
def live(backend, database_factory):
    yield from servers_and_app(database_factory, backend, "aids_live")


@pytest.fixture
def setup(live):
    with live[1].app_context():
        factory = Factory(db.session)
        factory._n = next(_numbers) * 1000
        yield factory
        db.session.rollback()


def _form(resident) -> dict:
    today = local_now().date()
    due = today + timedelta(weeks=6)
    return {"form_token": new_form_token(), "resident": str(resident.id), "starts_on-day": str(today.day),
            "starts_on-month": str(today.month), "starts_on-year": str(today.year), "due_on-day": str(due.day),
            "due_on-month": str(due.month), "due_on-year": str(due.year)}


def test_two_coordinators_lending_one_item_at_once_lend_it_once(live, setup):
    servers = live[0]
    village = committed(setup.village)
    coordinators = committed(lambda: [setup.user(village, R.COORDINATOR) for _ in range(2)])
    rounds = []
    for n in range(4):  # a few races, so the timing varies
        item = service.add_item(village.id, kind="rollator", label=f"R-{n}", condition="good", by=coordinators[0])
        rounds.append((item, [setup.user(village, R.RESIDENT) for _ in range(2)]))
    db.session.commit()
    people = browsers(servers, coordinators)

    for item, residents in rounds:
        path = f"/hulpmiddelen/{item.id}/uitlenen"
        forms = [_form(r) for r in residents]
        responses = at_once([lambda b=b, f=f, path=path: b.post(path, f) for b, f in zip(people, forms, strict=True)],
                            threads=2)
        no_server_errors(responses, servers)
        assert sorted(r.status_code for r in responses) == [302, 422]
        loser = next(r for r in responses if r.status_code == 422)
        assert re.search(r"is al uitgeleend aan|net door iemand anders", loser.text), loser.text[:2000]
        assert db.session.scalar(select(func.count(AidLoan.id)).where(AidLoan.item_id == item.id)) == 1
