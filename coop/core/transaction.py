"""One transaction per unit of work: a web request, a CLI command, a scheduler job.

A web request runs its view inside one transaction that commits when the view has returned
(before the response leaves) and rolls back on any exception; views and services never
commit. On SQLite a request that may write (every POST/PUT/PATCH/DELETE, and a GET marked
`@writes`) starts with BEGIN IMMEDIATE: it waits for the write lock within the busy timeout
instead of failing when it upgrades a read after another writer committed. Two kinds of view
read a while before they write, and take the lock only then, so that others need not wait
meanwhile: a page that logs who looked writes its row when it has been drawn
(write_after_view), and a view marked `@reads_first` (the login: argon2 is slow on purpose)
calls write_phase() before it writes. A GET that writes without saying so is run once more
with BEGIN IMMEDIATE when SQLite refuses it. On PostgreSQL a serialization failure, deadlock,
lock timeout or a unique key taken by a concurrent transaction runs the view once more, after
the rollback, on what is committed now.

When the write still fails for a passing reason, a form is shown again with what was typed
and PASSING_MESSAGE (status 503); other requests get the 503 page.
"""
from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from flask import current_app, g, has_request_context, request, session
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, SessionTransaction

from coop.core.error_pages import error_response
from coop.core.rollback import rollback_quietly
from coop.extensions import db

log = logging.getLogger(__name__)

PASSING_MESSAGE = "Het lukte even niet om dit op te slaan. Probeer het nog eens."
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# PostgreSQL SQLSTATEs: serialization failure, deadlock detected, lock not available (lock_timeout).
PG_PASSING = frozenset({"40001", "40P01", "55P03"})
PG_UNIQUE_VIOLATION = "23505"
SQLITE_BUSY, SQLITE_LOCKED = 5, 6
V = TypeVar("V", bound=Callable[..., Any])


def writes(view: V) -> V:
    """Mark a GET view that writes (an access-log row, a read mark): on SQLite it takes the
    write lock when its transaction begins."""
    view.writes = True  # type: ignore[attr-defined]  # a mark read by request_writes()
    return view


def reads_first(view: V) -> V:
    """Mark a writing view whose slow first part only reads (checking a password): on SQLite
    its transaction begins as a reader, and the view calls write_phase() before it writes."""
    view.reads_first = True  # type: ignore[attr-defined]  # a mark read by request_writes()
    return view


# --- what kind of failure ---------------------------------------------------------------

def _driver_error(err: BaseException) -> BaseException | None:
    found: BaseException | None = err
    while found is not None:
        if isinstance(found, DBAPIError):
            return found.orig
        found = found.__cause__
    return None


def is_passing(err: BaseException) -> bool:
    """A failure that trying again a moment later can cure: the database was busy."""
    orig = _driver_error(err)
    if orig is None:
        return False
    code = getattr(orig, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in (SQLITE_BUSY, SQLITE_LOCKED)
    if type(orig).__module__.startswith("sqlite3"):
        return "database is locked" in str(orig) or "database is busy" in str(orig)
    return getattr(orig, "sqlstate", None) in PG_PASSING


def _retry_cures(err: BaseException, dialect: str, immediate: bool) -> bool:
    """Whether running the view once more, in a new transaction, can succeed."""
    if dialect == "sqlite":
        # BEGIN IMMEDIATE already waited for the lock; a deferred read that could not become a
        # write is run again as a writer from the start.
        return not immediate and is_passing(err)
    orig = _driver_error(err)
    return is_passing(err) or getattr(orig, "sqlstate", None) == PG_UNIQUE_VIOLATION


# --- beginning, ending ------------------------------------------------------------------

def _dialect() -> str:
    return db.session.get_bind().dialect.name


def begin(immediate: bool) -> None:
    """Begin the session's transaction now; on SQLite with BEGIN IMMEDIATE when it will write.

    Nothing happens when a transaction is already open (its BEGIN cannot be changed anymore).
    """
    if db.session().in_transaction():
        return
    if immediate and _dialect() == "sqlite":
        if has_request_context():
            g.began_immediately = True
        db.session.connection(execution_options={"sqlite_begin": "BEGIN IMMEDIATE"})


def _wrote() -> bool:
    return bool(db.session.new or db.session.dirty or db.session.deleted or db.session.info.get("flushed"))


def write_phase() -> None:
    """From here on the request writes. On SQLite the read-only part so far (it wrote
    nothing) is ended and the write transaction begins with BEGIN IMMEDIATE; what was read
    is read again when used. On PostgreSQL nothing changes."""
    if _dialect() != "sqlite" or (has_request_context() and g.get("began_immediately")):
        return
    if _wrote():
        raise RuntimeError("write_phase() after the request already wrote")
    db.session.rollback()
    begin(True)


def write_after_view(fn: Callable[[], Any]) -> None:
    """Do a small write (an access-log row) when the view has returned, in the request's
    transaction. A page that only read until then begins writing there (on SQLite with
    BEGIN IMMEDIATE), so the write lock is held for the row, not while the page is drawn."""
    if has_request_context():
        g.setdefault("after_view", []).append(fn)
    else:
        fn()


@event.listens_for(Session, "after_flush")
def _note_flush(session: Session, flush_context: object) -> None:
    session.info["flushed"] = True  # write_phase() must not roll back a write


@event.listens_for(Session, "after_transaction_end")
def _forget_flush(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop("flushed", None)


@contextmanager
def unit_of_work(immediate: bool = True) -> Iterator[None]:
    """One transaction for a CLI command, a scheduler job or a rule: commit at the end,
    roll back on any exception (and raise it again)."""
    begin(immediate)
    try:
        yield
        db.session.commit()
    except BaseException:
        rollback_quietly()
        raise


# --- the web request --------------------------------------------------------------------

def request_writes() -> bool:
    """Whether the request's transaction begins as a writer (see the module's doc)."""
    view = current_app.view_functions.get(request.endpoint or "")
    if request.method not in SAFE_METHODS:
        return not getattr(view, "reads_first", False)
    return bool(getattr(view, "writes", False))


def _snapshot() -> dict:
    return copy.deepcopy(dict(session))


def _restore(saved: dict) -> None:
    """Undo what a failed attempt did to the cookie session (flashes, a login) and to `g`."""
    session.clear()
    session.update(copy.deepcopy(saved))
    g.pop("_login_user", None)


def _write_after_view() -> None:
    pending = g.pop("after_view", [])
    if not pending:
        return
    if not _wrote():
        write_phase()
    for fn in pending:
        fn()


def dispatch(view: Callable[[], Any]) -> Any:
    """Run `view` as the request's one unit of work and return what it returned."""
    immediate = request_writes()
    dialect = _dialect()
    saved = _snapshot()
    attempt = 1
    while True:
        g.began_immediately = False
        g.pop("after_view", None)
        try:
            begin(immediate)
            result = view()
            _write_after_view()
            db.session.commit()
            return result
        except BaseException as err:
            rollback_quietly()
            if attempt == 1 and _retry_cures(err, dialect, g.began_immediately):
                log.warning("%s %s: %s; running it once more", request.method, request.path,
                            type(_driver_error(err)).__name__)
                _restore(saved)
                attempt += 1
                immediate = immediate or dialect == "sqlite"
                continue
            if is_passing(err):
                log.warning("%s %s: the database stayed busy (%s)", request.method, request.path,
                            _driver_error(err))
                return _save_failed(view, saved)
            raise


def _save_failed(view: Callable[[], Any], saved: dict) -> Any:
    """The write did not get through: show the form again as it was typed, with the message.

    The view runs once more, read only, with every form refusing to validate (see
    coop.core.forms.Form), and is rolled back. A view that would redirect, or a GET, gets the
    503 page instead.
    """
    _restore(saved)
    if request.method in SAFE_METHODS:
        return error_response(503)
    g.save_failed = True
    response = None
    try:
        with db.session.no_autoflush:
            response = current_app.make_response(view())
    except Exception:
        log.exception("showing the form again failed")
    finally:
        g.pop("after_view", None)  # nothing of this run is written
        rollback_quietly()
    if response is None or 300 <= response.status_code < 400:
        _restore(saved)
        g.save_failed = False
        return error_response(503)
    response.status_code = 503
    return response
