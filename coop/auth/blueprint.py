"""The auth blueprint and what its page modules share: logging a user in, and asking the
password again before a change to the account."""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, redirect, request, session, url_for
from flask_login import login_user

from coop.auth import sessions
from coop.core.models import User

bp = Blueprint("auth", __name__)
View = Callable[..., Any]


def log_in(user: User) -> None:
    """A fresh cookie session (no fixation) with its server-side row."""
    session.clear()
    login_user(user)
    sessions.begin(user)


def _asking_password(login_counts: bool, back_to: str | None = None) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            if not sessions.recently_confirmed(login_counts=login_counts):
                return redirect(url_for("auth.confirm_password", next=url_for(back_to) if back_to else request.path))
            return view(*args, **kwargs)
        return checked
    return decorate


# The password must have been typed again in this session within REAUTH_MINUTES ...
password_again = _asking_password(login_counts=False)
# ... or typed at the login itself, that long ago (setting up two-step login right after it);
# then back to the two-step page, since its buttons post to addresses of their own.
password_again_or_fresh_login = _asking_password(login_counts=True, back_to="auth.two_step_setup")
