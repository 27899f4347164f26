"""Device cookies: a browser that logged in to an account before is recognised by a signed
cookie, and its login tries are counted apart from everyone else's. A stranger guessing
passwords slows down only strangers: the owner's own browser keeps working."""
from __future__ import annotations

import hashlib

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.wrappers import Response

COOKIE = "coop_device"
MAX_AGE = 365 * 24 * 3600
MAX_ACCOUNTS = 5  # a shared family computer


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="device-cookie")


def _key(email: str) -> str:
    return hashlib.sha256((email or "").strip().lower().encode()).hexdigest()[:24]


def _accounts(value: str | None) -> list[str]:
    if not value:
        return []
    try:
        keys = _serializer().loads(value, max_age=MAX_AGE)
    except BadSignature:
        return []
    return [k for k in keys if isinstance(k, str)] if isinstance(keys, list) else []


def trusted(email: str) -> bool:
    """Whether this request's browser logged in to `email`'s account before."""
    return _key(email) in _accounts(request.cookies.get(COOKIE))


def remember(response: Response, email: str) -> None:
    """After a successful login: this browser now counts as the owner's for `email`."""
    key = _key(email)
    keys = [key] + [k for k in _accounts(request.cookies.get(COOKIE)) if k != key]
    response.set_cookie(COOKIE, _serializer().dumps(keys[:MAX_ACCOUNTS]), max_age=MAX_AGE,
                        httponly=True, samesite="Lax",
                        secure=bool(current_app.config["SESSION_COOKIE_SECURE"] or request.is_secure))
