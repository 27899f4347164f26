"""One transaction per request, and error pages that cannot fail, on a database whose commits
are real (its own migrated database per backend; locks are taken from a second connection).

A few probe views are added to this module's own app to provoke what the real views only do
under load: a failed statement, a write after a read while another writer commits, a lock
that does not clear.
"""
from __future__ import annotations

import itertools
import sqlite3
import threading
import time
from contextlib import contextmanager

import pytest
from flask import Blueprint, abort, current_app
from sqlalchemy import create_engine, func, select, text

from coop import create_app
from coop.core import roles as R
from coop.core.errors import DomainError
from coop.core.models import AuditLog
from coop.core.transaction import PASSING_MESSAGE, reads_first, write_phase
from coop.core.web import run
from coop.extensions import db
from coop.requests.models import HelpRequest
from tests.conftest import TEST_CONFIG, Factory
from tests.followups.conftest import new_request

LOCK_TIMEOUT = 0.5
_numbers = itertools.count(1)
probe = Blueprint("probe", __name__)


def _log(tag: str) -> None:
    db.session.add(AuditLog(action="probe", detail=tag))
    db.session.flush()


def _calls(tag: str) -> None:
    current_app.config["PROBE_CALLS"].append(tag)


@probe.post("/probe/write/<tag>")
def write(tag):
    _calls(tag)
    _log(tag)
    return "geschreven"


@probe.post("/probe/fail/<tag>")
def fail(tag):
    _log(tag)
    raise RuntimeError("a bug after a write")


@probe.post("/probe/refused/<tag>")
def refused(tag):
    _log(f"{tag}-kept")

    def action():
        _log(f"{tag}-undone")
        raise DomainError("Dat mag niet.")
    return "gelukt" if run(None, action) else "geweigerd"


@probe.get("/probe/read-then-write/<tag>")
def read_then_write(tag):
    """A GET without @writes that writes anyway, after another writer committed."""
    _calls(tag)
    db.session.scalar(select(func.count()).select_from(AuditLog))  # the read transaction begins here
    if len(current_app.config["PROBE_CALLS"]) == 1:
        current_app.config["PROBE_BETWEEN"]()
    _log(tag)
    return "geschreven"


@probe.post("/probe/read-first/<tag>")
@reads_first
def read_first(tag):
    """Reads (as a login checks a password), another writer commits meanwhile, then writes."""
    _calls(tag)
    db.session.scalar(select(func.count()).select_from(AuditLog))
    current_app.config["PROBE_BETWEEN"]()
    write_phase()
    _log(tag)
    return "geschreven"


@probe.get("/probe/bad-sql")
def bad_sql():
    db.session.execute(text("SELECT no_such_column FROM no_such_table"))
    return "niet bereikt"


@probe.get("/probe/gone")
def gone():
    abort(410)


@pytest.fixture(scope="module")
def probe_app(backend, database_factory):
    url = database_factory(backend, f"txn_probe_{backend}")
    app = create_app({**TEST_CONFIG, "TESTING": False, "SQLALCHEMY_DATABASE_URI": url,
                      "DATABASE_LOCK_TIMEOUT": LOCK_TIMEOUT})
    app.register_blueprint(probe)
    app.config.update(TEST_DATABASE_URL=url, PROBE_CALLS=[])
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def made(probe_app):
    """Make things in an app context of the probe app and commit them; the test gets plain values."""
    probe_app.config["PROBE_CALLS"] = []

    def make(fn):
        with probe_app.app_context():
            factory = Factory(db.session)
            factory._n = next(_numbers) * 1000
            result = fn(factory)
            db.session.commit()
            return result
    return make


def read(app, fn):
    with app.app_context():
        try:
            return fn()
        finally:
            db.session.rollback()


def probes(app, tag: str) -> int:
    return read(app, lambda: db.session.scalar(select(func.count()).select_from(AuditLog).where(
        AuditLog.action == "probe", AuditLog.detail == tag)))


def logged_in(app, user_id: str):
    """A client logged in as the user with this Flask-Login id, with its server-side session row."""
    from coop.auth import sessions
    from coop.core.models import User
    with app.app_context():
        user = db.session.get(User, int(user_id.split(":")[0]))
        token = sessions.open_session(user, ip="127.0.0.1", agent="pytest")
        db.session.commit()
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = user_id
        sess["_fresh"] = True
        sess[sessions.TOKEN_KEY] = token
    return client


def coordinator_and_request(made):
    def build(f):
        village = f.village()
        coordinator = f.user(village, R.COORDINATOR)
        resident = f.user(village, R.RESIDENT)
        req = new_request(db.session, village, resident)
        return {"coordinator": coordinator.get_id(), "resident": resident.get_id(), "request": req.id,
                "category": req.category_id, "village": village.id}
    return made(build)


@contextmanager
def locked(app, backend: str, release_after: float | None = None):
    """Another connection holds the locks a write needs (SQLite: the write lock; PostgreSQL:
    the tables of requests and the audit log) until the block ends or `release_after` seconds."""
    url = app.config["TEST_DATABASE_URL"]
    if backend == "sqlite":
        holder = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None, check_same_thread=False)
        holder.execute("BEGIN IMMEDIATE")

        def release():
            if holder.in_transaction:
                holder.execute("ROLLBACK")
    else:
        engine = create_engine(url)
        connection = engine.connect()
        connection.execute(text("LOCK TABLE help_requests, request_events, audit_log IN SHARE MODE"))
        release = connection.rollback
    timer = threading.Timer(release_after, release) if release_after else None
    if timer:
        timer.start()
    try:
        yield
    finally:
        if timer:
            timer.join()
        release()
        if backend == "sqlite":
            holder.close()
        else:
            connection.close()
            engine.dispose()


def assert_dutch_error_page(response, status: int, title: str) -> None:
    assert response.status_code == status
    assert '<html lang="nl"' in response.text and title in response.text
    assert "Content-Security-Policy" in response.headers and response.headers["X-Frame-Options"] == "DENY"


# --- one transaction per request ----------------------------------------------------------

def test_a_request_commits_what_it_wrote_at_its_end(probe_app, made):
    assert probe_app.test_client().post("/probe/write/ok").status_code == 200
    assert probes(probe_app, "ok") == 1


def test_an_exception_rolls_the_whole_request_back_and_the_page_is_dutch(probe_app, made):
    response = probe_app.test_client().post("/probe/fail/bug")
    assert_dutch_error_page(response, 500, "Er ging iets mis")
    assert probes(probe_app, "bug") == 0


def test_a_refused_service_call_undoes_only_itself(probe_app, made):
    response = probe_app.test_client().post("/probe/refused/r")
    assert response.text == "geweigerd"
    assert probes(probe_app, "r-kept") == 1 and probes(probe_app, "r-undone") == 0


def test_a_lock_that_clears_in_time_is_waited_for(probe_app, made, backend):
    """SQLite: BEGIN IMMEDIATE waits within the busy timeout. PostgreSQL: the lock timeout
    strikes once and the view runs again, after the lock has gone."""
    hold = LOCK_TIMEOUT * (0.4 if backend == "sqlite" else 1.5)
    with locked(probe_app, backend, release_after=hold):
        response = probe_app.test_client().post("/probe/write/waited")
    assert response.status_code == 200
    assert probes(probe_app, "waited") == 1
    assert len(probe_app.config["PROBE_CALLS"]) == (1 if backend == "sqlite" else 2)


def other_writer(app):
    """Commits a row from a connection of its own, as another worker would."""
    def commit():
        engine = create_engine(app.config["TEST_DATABASE_URL"])
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO audit_log (at, action, detail) VALUES (:at, 'probe', 'other')"),
                               {"at": "2026-01-01 00:00:00"})
        engine.dispose()
    return commit


def test_a_get_that_writes_after_another_writer_committed_is_run_again(probe_app, made, backend):
    """SQLite refuses to turn a read that began before another commit into a write; the view
    runs again as a writer. PostgreSQL reads what is committed per statement: one run."""
    probe_app.config["PROBE_BETWEEN"] = other_writer(probe_app)
    response = probe_app.test_client().get("/probe/read-then-write/late")
    assert response.status_code == 200
    assert probes(probe_app, "late") == 1 and probes(probe_app, "other") >= 1
    assert len(probe_app.config["PROBE_CALLS"]) == (2 if backend == "sqlite" else 1)


def test_a_view_that_reads_first_starts_writing_without_a_second_run(probe_app, made):
    """write_phase() ends the read and takes the write lock: another commit meanwhile is fine."""
    probe_app.config["PROBE_BETWEEN"] = other_writer(probe_app)
    assert probe_app.test_client().post("/probe/read-first/phased").status_code == 200
    assert probes(probe_app, "phased") == 1
    assert len(probe_app.config["PROBE_CALLS"]) == 1


def test_a_form_whose_write_stays_blocked_is_shown_again_with_what_was_typed(probe_app, made, backend):
    ids = coordinator_and_request(made)
    resident = logged_in(probe_app, ids["resident"])
    form = {"form_token": f"blocked-{ids['village']}-token-padding", "category_id": str(ids["category"]),
            "description": "Wie maait mijn gras deze week?", "when": "flexible", "recurrence": "once",
            "urgency": "no_rush", "own_address": "yes"}
    with locked(probe_app, backend):
        response = resident.post("/hulp-vragen", data=form)
    assert response.status_code == 503
    assert PASSING_MESSAGE in response.text
    assert "Wie maait mijn gras deze week?" in response.text and form["form_token"] in response.text
    assert "Content-Security-Policy" in response.headers
    stored = read(probe_app, lambda: db.session.scalar(select(func.count()).select_from(HelpRequest).where(
        HelpRequest.form_token == form["form_token"])))
    assert stored == 0

    again = resident.post("/hulp-vragen", data=form)  # the same form, a moment later
    assert again.status_code == 302
    stored = read(probe_app, lambda: db.session.scalar(select(func.count()).select_from(HelpRequest).where(
        HelpRequest.form_token == form["form_token"])))
    assert stored == 1


def test_a_page_that_cannot_write_its_access_log_row_answers_503_in_dutch(probe_app, made, backend):
    ids = coordinator_and_request(made)
    coordinator = logged_in(probe_app, ids["coordinator"])
    with locked(probe_app, backend):
        response = coordinator.get(f"/hulpvragen/{ids['request']}")
    assert_dutch_error_page(response, 503, "Het lukte even niet")
    assert "erg druk" in response.text
    assert coordinator.get(f"/hulpvragen/{ids['request']}").status_code == 200


def test_a_button_whose_write_stays_blocked_gets_the_503_page(probe_app, made, backend):
    ids = coordinator_and_request(made)
    coordinator = logged_in(probe_app, ids["coordinator"])
    with locked(probe_app, backend):
        response = coordinator.post(f"/hulpvragen/{ids['request']}/stap/start_intake", data={"note": ""})
    assert_dutch_error_page(response, 503, "Het lukte even niet")
    assert PASSING_MESSAGE in response.text
    status = read(probe_app, lambda: db.session.get(HelpRequest, ids["request"]).status)
    assert status == "new"


# --- error pages that cannot fail ---------------------------------------------------------

def test_the_error_page_after_a_failed_statement_still_shows_the_users_menu_and_bell(probe_app, made):
    ids = coordinator_and_request(made)
    response = logged_in(probe_app, ids["coordinator"]).get("/probe/bad-sql")
    assert_dutch_error_page(response, 500, "Er ging iets mis")
    assert "Uitloggen" in response.text and "Meldingen" in response.text  # the user's queries ran again


def test_every_http_error_is_dutch(probe_app, made):
    response = probe_app.test_client().get("/probe/gone")
    assert_dutch_error_page(response, 410, "Niet meer beschikbaar")
    assert_dutch_error_page(probe_app.test_client().get("/bestaat-niet"), 404, "Pagina niet gevonden")


def test_the_error_page_when_the_database_is_gone_is_dutch_without_the_users_details(probe_app, made, backend,
                                                                                       postgres_or_none):
    ids = coordinator_and_request(made)
    coordinator = logged_in(probe_app, ids["coordinator"])
    assert "Uitloggen" in coordinator.get("/").text
    with database_gone(probe_app, backend, postgres_or_none):
        response = coordinator.get("/")
    assert_dutch_error_page(response, 500, "Er ging iets mis")
    assert "Uitloggen" not in response.text
    assert "Uitloggen" in coordinator.get("/").text  # and back when the database is


@pytest.fixture
def postgres_or_none(backend, request):
    return request.getfixturevalue("postgres") if backend == "postgresql" else None


@contextmanager
def database_gone(app, backend: str, server):
    """The database cannot be reached: SQLite's file is moved away, PostgreSQL refuses connections."""
    import os
    with app.app_context():
        db.engine.dispose()
    url = app.config["TEST_DATABASE_URL"]
    if backend == "sqlite":
        path = url.removeprefix("sqlite:///")
        moved = [(p, p + ".away") for p in (path, path + "-wal", path + "-shm") if os.path.exists(p)]
        for here, away in moved:
            os.rename(here, away)
        try:
            yield
        finally:
            with app.app_context():
                db.engine.dispose()
            for stray in (path, path + "-wal", path + "-shm"):  # the empty database made meanwhile
                if os.path.exists(stray):
                    os.remove(stray)
            for here, away in moved:
                os.rename(away, here)
    else:
        name = url.rsplit("/", 1)[1]
        server.psql(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        server.psql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
        time.sleep(0.1)
        try:
            yield
        finally:
            server.psql(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
            with app.app_context():
                db.engine.dispose()
