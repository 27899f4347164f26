"""What every template gets: Dutch formatting, the navigation, the current village."""
from __future__ import annotations

from flask import Flask
from flask_login import current_user

from coop.core import dutch, registry
from coop.core import roles as R
from coop.core.clock import local_now
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
        roles = current_user.roles if current_user.is_authenticated else set()
        return {
            "nav_links": registry.nav_for(roles),
            "role_labels": R.LABELS,
            "R": R,
            "today": local_now().date(),
        }
