"""Small helpers for views: the client's address, safe redirects, calling a service."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from flask import flash, request

from coop.core.errors import DomainError
from coop.extensions import db

if TYPE_CHECKING:
    from coop.core.forms import Form


def client_ip() -> str:
    return request.remote_addr or "unknown"


def safe_next(target: str | None, default: str) -> str:
    """Only same-site relative paths are followed after login (no open redirect).

    Browsers read a backslash as a slash ("/\\evil.example" goes to evil.example) and drop
    tabs and line breaks from a URL, so a target with either is refused before it is parsed.
    """
    if not target or "\\" in target or any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


class Outcome:
    """What run() gives back: true when the service succeeded, its result in `value`."""

    __slots__ = ("ok", "value")

    def __init__(self, ok: bool, value: Any = None):
        self.ok, self.value = ok, value

    def __bool__(self) -> bool:
        return self.ok


def run(form: Form | None, action: Callable[[], Any], success: str | None = None) -> Outcome:
    """Call one service; on DomainError undo just that call and show its message on the form
    (or flash it when there is no form).

    The call runs in a savepoint, so a refused action leaves nothing behind while the rest of
    the request (an access-log row, a login attempt) stays. It does not commit: the request's
    one transaction commits when the view has returned (coop.core.transaction).

        done = run(form, lambda: service.create_person(...), "De persoon is opgeslagen.")
        if done:
            return redirect(url_for("people.show", person_id=done.value.id))
    """
    try:
        with db.session.begin_nested():
            value = action()
    except DomainError as err:
        if form is not None:
            form.attach(err)
        else:
            flash(err.message, "error")
        return Outcome(False)
    if success:
        flash(success, "success")
    return Outcome(True, value)
