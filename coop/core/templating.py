"""What every template gets: Dutch formatting, the navigation, the current village."""
from __future__ import annotations

from flask import Flask, g
from flask_login import current_user

from coop.core import dutch, registry
from coop.core import roles as R
from coop.core.clock import local_now
from coop.core.transaction import PASSING_MESSAGE
from coop.core.validation import display_phone
from coop.extensions import login_manager


def init_app(app: Flask) -> None:
    # The user loader and the way to the login page are the auth package's (coop/auth/sessions.py).
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"

    dutch.register_filters(app.jinja_env)
    app.jinja_env.filters["phone"] = display_phone

    @app.context_processor
    def layout() -> dict[str, object]:
        # An error page drawn after the user's details failed to load shows none of them.
        signed_in = not g.get("bare_page") and current_user.is_authenticated
        return {
            "signed_in": signed_in,
            "save_failed": g.get("save_failed", False),
            "save_failed_message": PASSING_MESSAGE,
            "nav_links": registry.nav_for(current_user.roles if signed_in else set()),
            "role_labels": R.LABELS,
            "R": R,
            "today": local_now().date(),
        }
