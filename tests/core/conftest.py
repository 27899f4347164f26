"""Fixtures of the audit log's tests: a real, committed database of each test's own."""
from __future__ import annotations

import itertools

import pytest

from coop import create_app
from coop.core import clock
from coop.core import roles as R
from coop.extensions import db
from tests.conftest import TEST_CONFIG, Factory

_databases = itertools.count(1)


@pytest.fixture
def chain_app(backend, database_factory):
    url = database_factory(backend, f"chain_{next(_databases)}_{backend}")
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        yield app
        clock.freeze(None)
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def people(chain_app):
    make = Factory(db.session)
    village, other = make.village(), make.village(name="Den Dolder")
    coordinator = make.user(village, R.COORDINATOR, first_name="Marieke")
    residents = [make.user(village) for _ in range(3)]
    stranger = make.user(other)
    db.session.commit()
    return village, other, coordinator, residents, stranger


