"""Fixtures for follow-ups: a helper to make requests, and a database whose commits are real
(the dispatcher commits its claims; concurrency needs separate connections and processes)."""
from __future__ import annotations

import itertools
from datetime import datetime, timedelta

import pytest
from sqlalchemy import delete, select

from coop import create_app
from coop.core import clock
from coop.core import outbox as O
from coop.core.calls import CallTask
from coop.core.clock import LOCAL, now
from coop.extensions import db
from coop.followups.models import AnswerToken, FollowUpSettings
from tests.conftest import TEST_CONFIG, Factory


def new_request(session, village, resident, *, code="boodschappen", status="new", urgency="no_rush",
                created_at=None, **kw):
    from coop.requests.models import HelpRequest
    req = HelpRequest(village_id=village.id, resident=resident,
                      category=Factory(session).category(village, code),
                      description=kw.pop("description", "Boodschappen bij de Jumbo"),
                      status=status, urgency=urgency, created_at=created_at or now(),
                      status_changed_at=kw.pop("status_changed_at", created_at or now()),
                      street="Dorpsstraat", house_number="3", postcode="3712AB", place=village.name, **kw)
    session.add(req)
    session.flush()
    return req


@pytest.fixture
def make_request(session):
    return lambda *a, **kw: new_request(session, *a, **kw)


@pytest.fixture(scope="module")
def live_app(backend, database_factory, request):
    """An app on its own migrated database (one per test module and backend), real commits."""
    module = request.module.__name__.rsplit(".", 1)[-1]
    url = database_factory(backend, f"fu_{module}_{backend}"[:60])
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url,
                      "FOLLOWUP_RETRY_BASE_SECONDS": 60, "FOLLOWUP_MAX_ATTEMPTS": 3})
    app.config["TEST_DATABASE_URL"] = url
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def live(live_app, smtp_server):
    """An app context on the live database, the outbox emptied, mail to the loopback server."""
    smtp_server.clear()
    live_app.config["MAIL_PORT"] = smtp_server.port
    with live_app.app_context():
        for model in (CallTask, O.FollowUp, AnswerToken, FollowUpSettings):
            db.session.execute(delete(model))
        db.session.commit()
        yield live_app
        db.session.rollback()
        db.session.remove()
    smtp_server.clear()


_factories = itertools.count(1)


@pytest.fixture
def live_make(live):
    """The usual Factory, numbering on from earlier tests (the live database keeps their rows)."""
    factory = Factory(db.session)
    factory._n = next(_factories) * 1000
    return factory


def later(**kw):
    return now() + timedelta(**kw)


@pytest.fixture
def at():
    """Freeze the clock at a local moment: at(2026, 3, 2, 8, 0)."""
    def freeze(*parts):
        moment = datetime(*parts, tzinfo=LOCAL)
        clock.freeze(moment)
        return moment
    yield freeze
    clock.freeze(None)


def queued(session, kind):
    return list(session.scalars(select(O.FollowUp).where(O.FollowUp.kind == kind).order_by(O.FollowUp.id)))
