"""Small helpers for views: the client's address, safe redirects, committing once."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from flask import flash, request

from coop.core.errors import DomainError
from coop.extensions import db

if TYPE_CHECKING:
    from coop.core.forms import Form


def client_ip() -> str:
    return request.remote_addr or "unknown"


def safe_next(target: str | None, default: str) -> str:
    """Only same-site relative paths are followed after login (no open redirect)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def run(form: Form | None, action: Callable[[], object], success: str | None = None) -> bool:
    """Call a service; on DomainError roll back and show the message on the form.

    Commits on success: the one place in a request that commits.
    """
    try:
        action()
        db.session.commit()
    except DomainError as err:
        db.session.rollback()
        if form is not None:
            form.attach(err)
        else:
            flash(err.message, "error")
        return False
    if success:
        flash(success, "success")
    return True
