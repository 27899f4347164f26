"""Forms that create something, at most once per rendered form.

A `CreateForm` carries a one-time token. `run_once` claims it in `form_submissions` inside the
same transaction as the create, *before* the create: the table's primary key is the token, so
of two submits of the same form only one can insert it. The first one does the work and
records where its result is; every later one (a double click, a reload, a retry on a flaky
connection, a second worker a millisecond behind) is answered with a redirect to that result
and writes nothing. Two concurrent submits collide on the key, not on a read that both might
pass: on PostgreSQL the second INSERT waits for the first transaction and then fails, on
SQLite writers take turns. It holds whether the request commits in `run()` or at its end.

A form posted without a token (a page opened before forms carried one, a script) is handled
as a new submit. A token someone else used, or one used on another form, is refused.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from flask import flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from coop.core.models import FormSubmission
from coop.core.web import run
from coop.extensions import db

# A form is sent again within minutes (a double click, a retry); a month covers a tab left open.
KEEP = timedelta(days=30)
TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
EXPIRED = "Het formulier is verlopen. Laad de pagina opnieuw en probeer het nog eens."
REPEATED = "Dit formulier was al verstuurd; hieronder ziet u wat het opleverde."


class _Taken(Exception):
    """Another submit of the same form claimed the token first."""


def _user_id() -> int | None:
    return current_user.id if current_user.is_authenticated else None


def _lookup(token: str) -> FormSubmission | None:
    return db.session.scalar(select(FormSubmission).where(FormSubmission.token == token))


def _usable(row: FormSubmission) -> bool:
    """A row made by this form and this person (or by someone not yet logged in: a sign-up)."""
    return row.endpoint == request.endpoint and row.user_id in (None, _user_id())


def _insert(token: str) -> FormSubmission:
    row = FormSubmission(token=token, user_id=_user_id(), endpoint=request.endpoint or "")
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        raise _Taken from None
    return row


def _claim(token: str) -> FormSubmission:
    # On SQLite the request already holds the write lock (BEGIN IMMEDIATE, coop.core.transaction);
    # a database that stays busy is the request's to retry, not this claim's.
    return _insert(token)


def _answer_repeat(row: FormSubmission | None, message: str) -> Response:
    flash(message, "info")
    # No address only when the first submit is not visible yet (an isolation level above read
    # committed): the home page, since some forms have no page of their own to go back to.
    return redirect(row.result_url if row is not None and row.result_url else url_for("core.home"))


def repeat_of(form: Any, repeated: str = REPEATED) -> Response | None:
    """The answer to a form that was sent before (by this person, from this form), or None.

    For a view that does something else before `run_once` which a repeat must not do again
    (count a registration towards its limit)."""
    token = (form.form_token.data or "").strip()
    earlier = _lookup(token) if TOKEN.match(token) else None
    return _answer_repeat(earlier, repeated) if earlier is not None and _usable(earlier) else None


def run_once(form: Any, action: Callable[[], Any], success: str | None = None, *,
             result_url: Callable[[Any], str], respond: Callable[[Any], Any] | None = None,
             repeated: str = REPEATED) -> Any:
    """Call `action` once for this rendered form, through `run()`.

    `result_url(result)` is where the result can be seen; the first submit redirects there
    (or answers with `respond(result)`), and so does every repeat. Returns the response, or
    None when the form or the service refused (the messages are on the form).
    """
    token = (form.form_token.data or "").strip()
    if token and not TOKEN.match(token):
        form.form_errors.append(EXPIRED)
        return None
    if token:
        earlier = _lookup(token)
        if earlier is not None:
            if not _usable(earlier):
                form.form_errors.append(EXPIRED)
                return None
            return _answer_repeat(earlier, repeated)
    done: dict[str, Any] = {}

    def once() -> None:
        claim = _claim(token) if token else None
        result = action()
        db.session.flush()  # the result's id, for its address
        done["result"], done["url"] = result, result_url(result)
        if claim is not None:
            claim.result_url = done["url"][:500]

    try:
        if not run(form, once, success):
            return None
    except _Taken:
        # Nothing of this submit was written: the claim is its first write.
        winner = _lookup(token)
        if winner is not None and not _usable(winner):
            form.form_errors.append(EXPIRED)
            return None
        return _answer_repeat(winner, repeated)
    return respond(done["result"]) if respond else redirect(done["url"])


def forget_old_tokens(at: datetime) -> int:
    """Drop the tokens of forms sent more than KEEP ago: nobody sends those again."""
    result = db.session.execute(delete(FormSubmission).where(FormSubmission.created_at < at - KEEP))
    return int(getattr(result, "rowcount", 0) or 0)
