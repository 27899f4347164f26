"""What every template gets: Dutch formatting, the navigation, the current village."""
from __future__ import annotations

from flask import Flask
from flask_login import current_user

from coop.core import dutch, registry
from coop.core import roles as R
from coop.core.clock import local_now
from coop.core.models import User
from coop.core.validation import display_phone
from coop.extensions import db, login_manager


def init_app(app: Flask) -> None:
    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        # The id carries a version: after a password change old sessions no longer load.
        try:
            user_id, version = (int(p) for p in session_id.split(":"))
        except ValueError:
            return None
        user = db.session.get(User, user_id)
        if user is None or user.session_version != version or not user.active:
            return None
        return user

    login_manager.login_view = "auth.login"
    login_manager.login_message = "Log in om deze pagina te zien."
    login_manager.login_message_category = "info"
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
