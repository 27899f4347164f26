"""Server-side sessions: every login is a row in `user_sessions`, checked on every request.

The signed cookie carries the user id (with its session version) and a random token; the
row, found by the token's SHA-256, says whether the login still counts. Logout ends that
row; a password change ends every other one; disabling an account and "Overal uitloggen"
end them all. A login also ends after SESSION_IDLE_MINUTES without a request (staff:
SESSION_IDLE_MINUTES_STAFF) and SESSION_MAX_HOURS after it began.

`last_seen_at` is written at most once a minute per session, after the response is made, in
a transaction of its own: most page views write nothing.
"""
from __future__ import annotations

import functools
import hashlib
import logging
import re
import secrets
from datetime import datetime, timedelta
from typing import Any, cast

from flask import current_app, flash, g, has_request_context, request, session
from sqlalchemy import CursorResult, bindparam, select, update
from sqlalchemy.orm import joinedload

from coop.auth.models import UserSession
from coop.core import registry
from coop.core import roles as R
from coop.core.clock import now
from coop.core.models import User
from coop.extensions import db

log = logging.getLogger(__name__)

TOKEN_KEY = "_sid"  # the key of the token in Flask's session
TOUCH_EVERY = timedelta(minutes=1)
STAFF = (R.COORDINATOR, R.ADMIN, R.PLATFORM)

LOGOUT, PASSWORD, DISABLED, EVERYWHERE = "logout", "password", "disabled", "everywhere"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def describe_agent(agent: str | None) -> str:
    """'Firefox op Windows': enough for a person to recognise their own device."""
    agent = agent or ""
    browser = next((name for pattern, name in (
        (r"Edg/", "Edge"), (r"OPR/|Opera", "Opera"), (r"Firefox/", "Firefox"),
        (r"Chrome/|Chromium/|CriOS/", "Chrome"), (r"Safari/", "Safari")) if re.search(pattern, agent)), "")
    system = next((name for pattern, name in (
        (r"iPhone|iPad", "iOS"), (r"Android", "Android"), (r"Windows", "Windows"),
        (r"Mac OS X|Macintosh", "macOS"), (r"Linux|X11", "Linux")) if re.search(pattern, agent)), "")
    if browser and system:
        return f"{browser} op {system}"
    return browser or system or agent[:80] or "onbekend"


def idle_limit(user: User) -> timedelta:
    minutes = current_app.config["SESSION_IDLE_MINUTES_STAFF" if user.has_role(*STAFF)
                                  else "SESSION_IDLE_MINUTES"]
    return timedelta(minutes=minutes)


def expired(row: UserSession, user: User, at: datetime | None = None) -> str | None:
    """Why the login no longer counts by time ("idle", "absolute"), or None."""
    at = at or now()
    if at - row.created_at >= timedelta(hours=current_app.config["SESSION_MAX_HOURS"]):
        return "absolute"
    if at - row.last_seen_at >= idle_limit(user):
        return "idle"
    return None


def open_session(user: User, *, ip: str | None = None, agent: str | None = None) -> str:
    """A new session row for `user`; returns the token for the cookie."""
    token = secrets.token_urlsafe(32)
    at = now()
    db.session.add(UserSession(token_hash=token_hash(token), user_id=user.id, created_at=at,
                               last_seen_at=at, ip=ip, user_agent=describe_agent(agent)))
    db.session.flush()
    return token


def begin(user: User) -> None:
    """After login_user(): the server-side row, its token in the cookie."""
    from coop.core.web import client_ip
    session[TOKEN_KEY] = open_session(user, ip=client_ip(), agent=request.headers.get("User-Agent"))
    g.user_session = current(refresh=True)


def current(refresh: bool = False) -> UserSession | None:
    """The row of this request's login (None outside a request or when not logged in)."""
    if not has_request_context():
        return None
    if "user_session" in g and not refresh:
        return g.user_session
    token = session.get(TOKEN_KEY)
    row = db.session.scalar(select(UserSession).where(UserSession.token_hash == token_hash(token))) \
        if token else None
    g.user_session = row
    return row


def end_current(reason: str = LOGOUT) -> None:
    row = current()
    if row is not None and row.ended_at is None:
        row.ended_at, row.end_reason = now(), reason
    session.pop(TOKEN_KEY, None)


def end_all(user: User, reason: str, *, keep: UserSession | None = None) -> int:
    """End every open session of `user` (but `keep`); returns how many."""
    stmt = (update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
            .values(ended_at=now(), end_reason=reason))
    if keep is not None:
        stmt = stmt.where(UserSession.id != keep.id)
    result = cast(CursorResult[Any], db.session.execute(stmt.execution_options(synchronize_session="fetch")))
    return result.rowcount


def open_sessions(user: User) -> list[UserSession]:
    """The logins of `user` that still count, newest first (for "Mijn gegevens")."""
    rows = db.session.scalars(select(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .order_by(UserSession.last_seen_at.desc())).all()
    at = now()
    return [r for r in rows if expired(r, user, at) is None]


# --- the password typed again -----------------------------------------------------------------

def confirm(row: UserSession) -> None:
    row.confirmed_at = now()


def recently_confirmed(login_counts: bool = False) -> bool:
    """Whether the password was typed again in this session within REAUTH_MINUTES (or, with
    `login_counts`, typed to log in that recently)."""
    row = current()
    if row is None:
        return False
    window = timedelta(minutes=current_app.config["REAUTH_MINUTES"])
    typed = [row.confirmed_at] + ([row.created_at] if login_counts else [])
    return any(at is not None and now() - at < window for at in typed)


# --- every request ---------------------------------------------------------------------------

def load_user(user_id: str) -> User | None:
    """Flask-Login's user loader: the user only while their session row counts."""
    try:
        ident, version = (int(p) for p in user_id.split(":"))
    except ValueError:
        return None
    row, user = _row_and_user(ident)
    if row is None or user is None or row.ended_at is not None \
            or user.session_version != version or not user.active:
        _forget()
        return None
    at = now()
    reason = expired(row, user, at)
    if reason:
        _forget()
        g.session_expired = reason
        return None
    if at - row.last_seen_at >= TOUCH_EVERY:
        g.touch_session = row.id
    return user


_USER_OPTIONS = (joinedload(User.role_rows), joinedload(User.village))


def _row_and_user(ident: int) -> tuple[UserSession | None, User | None]:
    """This request's session row and its user (when that is `ident`), with roles and village,
    and the figures of read_with_login: every page asks for all of them (the guard, the menu,
    the bell), so one query reads them."""
    if "user_session" in g:  # the row was read already this request
        row = g.user_session
        user = db.session.get(User, ident, options=_USER_OPTIONS, populate_existing=True) \
            if row is not None and row.user_id == ident else None
        return row, user
    token = session.get(TOKEN_KEY)
    names = tuple(registry.with_login())
    found = db.session.execute(_login_query(names), {"token_hash": token_hash(token),
                                                     **registry.with_login_params()}
                               ).unique().first() if token else None
    row, user = (found[0], found[1]) if found is not None else (None, None)
    g.user_session = row
    if found is None or user is None or user.id != ident:
        return row, None
    g.login_figures = dict(zip(names, found[2:], strict=True))
    return row, user


@functools.cache
def _login_query(names: tuple[str, ...]):
    """The session row, its user with roles and village, and the figures read with the login:
    built once per process (it holds no value, only bindparams), so that every request does not
    build and key a statement of five subqueries again."""
    with_login = registry.with_login()
    return (select(UserSession, User, *(with_login[n]().label(n) for n in names))
            .join(User, User.id == UserSession.user_id)
            .options(*_USER_OPTIONS)
            .where(UserSession.token_hash == bindparam("token_hash"))
            .execution_options(populate_existing=True))


def _forget() -> None:
    session.pop(TOKEN_KEY, None)
    session.pop("_user_id", None)


def unauthorized():
    """Not logged in (any more): to the login page, saying why when the session timed out."""
    from flask import redirect
    from flask_login import login_url
    reason = g.get("session_expired")
    if reason == "idle":
        flash("U was een tijd niet actief. Log opnieuw in om verder te gaan.", "info")
    elif reason == "absolute":
        flash("U was lang ingelogd. Log opnieuw in om verder te gaan.", "info")
    else:
        flash("Log in om deze pagina te zien.", "info")
    return redirect(login_url("auth.login", next_url=request.full_path.rstrip("?")))


def touch(response):
    """After the response is made: note that the session was used, at most once a minute.

    Whatever the request left uncommitted is discarded first, as the end of the request would
    do; the UPDATE is its own short transaction (on SQLite it takes the write lock at BEGIN).
    """
    row_id = g.pop("touch_session", None)
    if row_id is None:
        return response
    try:
        db.session.rollback()
        db.session.connection(execution_options={"sqlite_begin": "BEGIN IMMEDIATE"})
        at = now()
        db.session.execute(update(UserSession)
                           .where(UserSession.id == row_id, UserSession.last_seen_at <= at - TOUCH_EVERY)
                           .values(last_seen_at=at).execution_options(synchronize_session=False))
        db.session.commit()
    except Exception:  # a busy database must not cost the page; the next request tries again
        log.exception("noting the session's last request failed")
        db.session.rollback()
    return response
