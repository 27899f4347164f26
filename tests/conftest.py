"""Fixtures: the app on SQLite and on PostgreSQL, a rolled-back transaction per test,
people in every role, logged-in clients, a real SMTP server on loopback.

Every test that uses the database runs twice: once on SQLite, once on a throwaway
PostgreSQL server started here (COOP_TEST_DATABASES=sqlite limits it while developing).
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import Connection
from sqlalchemy.orm import scoped_session, sessionmaker

from coop import create_app
from coop.core import roles as R
from coop.core.clock import local_now, now
from coop.extensions import db
from tests.support.queries import request_queries  # noqa: F401 (a fixture for every test dir)
from tests.support.smtp import SMTPServer

BACKENDS = [b.strip() for b in os.environ.get("COOP_TEST_DATABASES", "sqlite,postgresql").split(",") if b.strip()]
TEST_CONFIG = {
    "TESTING": True,
    "WTF_CSRF_ENABLED": False,
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_COST": 1024,
    "MAIL_BACKEND": "smtp",
    "MAIL_HOST": "127.0.0.1",
    "MAIL_PORT": 1,  # the smtp fixture sets the real port; port 1 refuses: no mail leaks
    "SECRET_KEY": "test-secret-key-not-for-production",
    "BASE_URL": "http://localhost",
    # Many tests move the clock by days with a client logged in; sessions then stay valid. The
    # session tests put the real timeouts back (tests/auth/test_sessions.py, `timeouts`).
    "SESSION_IDLE_MINUTES_STAFF": 10 ** 7,
    "SESSION_IDLE_MINUTES": 10 ** 7,
    "SESSION_MAX_HOURS": 10 ** 6,
}


@pytest.fixture(scope="session")
def postgres():
    from tests.support.postgres import TemporaryPostgres
    with TemporaryPostgres() as server:
        yield server


def _sqlite_url(tmp: Path, name: str) -> str:
    return f"sqlite:///{tmp / name}.sqlite"


@pytest.fixture(scope="session")
def workdir():
    with tempfile.TemporaryDirectory(prefix="coop-tests-") as tmp:
        yield Path(tmp)


def empty_database(request, workdir, backend: str, name: str) -> str:
    """The URL of a new, empty database of that backend (not yet migrated)."""
    if backend == "sqlite":
        return _sqlite_url(workdir, name)
    server = request.getfixturevalue("postgres")
    server.create_database(name)
    return server.url(name)


@pytest.fixture(scope="session")
def database_factory(request, workdir):
    """Makes fresh, migrated databases: `database_factory(backend, name) -> url`."""
    def make(backend: str, name: str) -> str:
        url = empty_database(request, workdir, backend, name)
        app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade()
            db.engine.dispose()
        return url
    return make


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def app(backend, database_factory):
    url = database_factory(backend, "coop_test")
    application = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    application.test_client_class = RequestIsolatedClient
    yield application
    with application.app_context():
        db.engine.dispose()


class _TestSession(scoped_session):
    """One session for the whole test, shared by the test and the requests it makes.

    Flask-SQLAlchemy removes the session when an app context ends; here that would close
    it under the test's feet after every request, so removal waits for the test's end.
    """

    def remove(self):
        pass

    def really_remove(self):
        super().remove()


@contextmanager
def rolled_back(app) -> Iterator[Connection]:
    """db.session on one connection inside one outer transaction, rolled back at the end.

    Commits inside the code under test release savepoints within that transaction. Yields
    the connection (for savepoints of one's own)."""
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
        db.session = _TestSession(factory, scopefunc=lambda: "test")
        try:
            yield connection
        finally:
            db.session.really_remove()
            db.session = original
            outer.rollback()
            connection.close()


@pytest.fixture
def session(app):
    """The test's database session: everything it writes is rolled back at the end."""
    with rolled_back(app):
        yield db.session


@pytest.fixture(scope="session")
def smtp_server():
    with SMTPServer() as server:
        yield server


@pytest.fixture
def smtp(app, smtp_server):
    """The real SMTP server, emptied, with the app pointed at it for this test."""
    smtp_server.clear()
    old = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = smtp_server.port
    yield smtp_server
    app.config["MAIL_PORT"] = old
    smtp_server.clear()


# --- people -----------------------------------------------------------------------------

PASSWORD = "een-lang-wachtwoord"


class Factory:
    """Makes villages and people in the test's transaction (flush, never commit)."""

    def __init__(self, session):
        self.session = session
        self._n = 0

    def _next(self) -> int:
        self._n += 1
        return self._n

    def village(self, name="Austerlitz", **kw):
        from coop.core.models import Municipality, TaskCategory, Village
        n = self._next()
        municipality = kw.pop("municipality", None) or Municipality(name=f"Gemeente {name} {n}")
        village = Village(name=name, slug=f"{name.lower()}-{n}", cooperative_name=f"Zorgcoöperatie {name}",
                          municipality=municipality, centre_lat=kw.pop("centre_lat", 52.08),
                          centre_lon=kw.pop("centre_lon", 5.31), coordinator_phone="+31343123456", **kw)
        self.session.add(village)
        self.session.flush()
        for i, (code, cat_name, rule) in enumerate([
                ("boodschappen", "Boodschappen", TaskCategory.OPEN),
                ("gezelschap", "Gezelschap", TaskCategory.OPEN),
                ("medicatie", "Hulp bij medicijnen", TaskCategory.TRAINED),
                ("wijkverpleging", "Wijkverpleging", TaskCategory.PROFESSIONAL),
                ("woningaanpassing", "Woningaanpassing", TaskCategory.MUNICIPAL)]):
            self.session.add(TaskCategory(village_id=village.id, code=code, name=cat_name, rule=rule, sort_order=i))
        self.session.flush()
        return village

    def destination(self, village, name="Wmo-loket", active=True):
        """A place on the village's referral list (found by name, or made)."""
        from sqlalchemy import select

        from coop.core.models import ReferralDestination
        found = self.session.scalar(select(ReferralDestination).where(
            ReferralDestination.village_id == village.id, ReferralDestination.name == name))
        if found is None:
            found = ReferralDestination(village_id=village.id, name=name, active=active, sort_order=self._next())
            self.session.add(found)
            self.session.flush()
        return found

    def category(self, village, code):
        from sqlalchemy import select

        from coop.core.models import TaskCategory
        return self.session.scalar(select(TaskCategory).where(TaskCategory.village_id == village.id,
                                                              TaskCategory.code == code))

    def user(self, village, *roles, email=True, password=PASSWORD, **kw):
        from coop.auth.passwords import hash_password
        from coop.core.models import User
        n = self._next()
        user = User(village=village, first_name=kw.pop("first_name", f"Voornaam{n}"),
                    last_name=kw.pop("last_name", f"Achternaam{n}"),
                    email=(f"persoon{n}@{village.slug}.example.nl" if email is True else email) or None,
                    password_hash=hash_password(password) if email else None,
                    phone=kw.pop("phone", "+31612345678"), street=kw.pop("street", "Dorpsstraat"),
                    house_number=str(n), postcode="3712 AB", place=village.name,
                    lat=kw.pop("lat", 52.08), lon=kw.pop("lon", 5.31), **kw)
        for role in roles or (R.RESIDENT,):
            user.add_role(role)
        self.session.add(user)
        self.session.flush()
        return user

    def volunteer(self, village, categories=("boodschappen", "gezelschap"), approved=True, vog_days_ago=100, **kw):
        from coop.people.models import VolunteerProfile
        user = self.user(village, R.VOLUNTEER, **kw)
        profile = VolunteerProfile(
            user=user, radius_km=5.0, max_hours_month=10,
            vog_date=(local_now().date() - timedelta(days=vog_days_ago)) if vog_days_ago is not None else None,
            volunteer_contract_signed_on=local_now().date() - timedelta(days=50),
            approved_at=now() if approved else None,
            categories=[self.category(village, c) for c in categories])
        self.session.add(profile)
        self.session.flush()
        return user

    def professional(self, village, categories=("wijkverpleging",), **kw):
        from coop.people.service import add_professional_profile
        user = self.user(village, R.PROFESSIONAL, **kw)
        add_professional_profile(user, organisation="Thuiszorg", discipline="wijkverpleegkundige",
                                 categories=[self.category(village, c) for c in categories])
        self.session.flush()
        return user


@pytest.fixture
def make(session):
    return Factory(session)


@pytest.fixture
def village(make):
    return make.village()


@pytest.fixture
def other_village(make):
    return make.village(name="Den Dolder")


@pytest.fixture
def coordinator(make, village):
    return make.user(village, R.COORDINATOR, first_name="Marieke", last_name="van Dam")


@pytest.fixture
def resident(make, village):
    return make.user(village, R.RESIDENT, first_name="Bep", last_name="Jansen")


@pytest.fixture
def carer(make, village):
    return make.user(village, R.RESIDENT, R.CARER, first_name="Truus", last_name="Visser")


@pytest.fixture
def volunteer(make, village):
    return make.volunteer(village, first_name="Kees", last_name="Bakker")


@pytest.fixture
def professional(make, village):
    return make.professional(village, first_name="Anna", last_name="de Wit")


@pytest.fixture
def municipality_user(make, village):
    return make.user(village, R.MUNICIPALITY, first_name="Ahmed", last_name="El Amrani")


@pytest.fixture
def admin(make, village):
    return make.user(village, R.ADMIN, first_name="Beheer", last_name="Coop")


class RequestIsolatedClient(FlaskClient):
    """Each request runs in its own app context (its own `g`), as in production.

    Tests hold an app context open for their own database work; without this, requests
    would reuse it, and Flask-Login's user cached in `g` would leak from one request
    (say, a logout) into the next.
    """

    def open(self, *args, **kwargs):
        # What the test set up counts as committed before a request comes in (a RELEASE
        # SAVEPOINT inside the outer transaction), so a request that rolls back its own
        # work cannot take the test's data with it.
        db.session.commit()
        with self.application.app_context():
            return super().open(*args, **kwargs)

    def session_transaction(self, *args, **kwargs):
        return _in_fresh_context(self.application, super().session_transaction(*args, **kwargs))


@contextmanager
def _in_fresh_context(app, inner):
    with app.app_context(), inner as sess:
        yield sess


def login_client(app, user):
    """A test client with `user` logged in (the session as Flask-Login and coop/auth/sessions.py
    write it: the user id in the cookie, a server-side session row)."""
    from coop.auth import sessions
    client = app.test_client()
    token = sessions.open_session(user, ip="127.0.0.1", agent="pytest")
    with client.session_transaction() as sess:
        sess["_user_id"] = user.get_id()
        sess["_fresh"] = True
        sess[sessions.TOKEN_KEY] = token
    return client


@pytest.fixture
def client(app, session):
    return app.test_client()


@pytest.fixture
def client_as(app, session):
    return lambda user: login_client(app, user)
