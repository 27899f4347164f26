"""What every template gets: Dutch formatting, the navigation, the current village."""
from __future__ import annotations

from datetime import datetime

from flask import Flask, g
from flask_babel import format_date, format_datetime, format_decimal, format_time
from flask_login import current_user

from coop.core import registry
from coop.core import roles as R
from coop.core.clock import LOCAL, now
from coop.core.models import User
from coop.core.transaction import PASSING_MESSAGE
from coop.core.validation import display_phone
from coop.extensions import db, login_manager


def waited(since: datetime | None) -> str:
    """How long something has waited, in plain Dutch ("3 dagen", "5 uur")."""
    if since is None:
        return ""
    seconds = max(0, int((now() - since).total_seconds()))
    if seconds < 3600:
        minutes = seconds // 60
        return f"{minutes} {'minuut' if minutes == 1 else 'minuten'}"
    if seconds < 2 * 86400:
        return f"{seconds // 3600} uur"
    days = seconds // 86400
    return f"{days} dagen" if days < 60 else f"{days // 30} maanden"


def init_app(app: Flask) -> None:
    @login_manager.user_loader
    def load_user(session_id: str):
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

    def local(value):
        return value.astimezone(LOCAL) if isinstance(value, datetime) else value

    app.jinja_env.filters.update(
        date=lambda d, fmt="d MMMM yyyy": format_date(d, fmt) if d else "",
        weekday_date=lambda d: format_date(d, "EEEE d MMMM yyyy") if d else "",
        datetime=lambda d, fmt="d MMMM yyyy 'om' HH:mm": format_datetime(d, fmt) if d else "",
        time=lambda d: format_time(d, "HH:mm") if d else "",
        number=lambda n, fmt="#,##0.##": format_decimal(n, fmt) if n is not None else "",
        phone=display_phone,
        waited=waited,
        local=local,
    )

    @app.context_processor
    def layout():
        # An error page drawn after the user's details failed to load shows none of them.
        signed_in = not g.get("bare_page") and current_user.is_authenticated
        return {
            "signed_in": signed_in,
            "save_failed": g.get("save_failed", False),
            "save_failed_message": PASSING_MESSAGE,
            "nav_links": registry.nav_for(current_user.roles if signed_in else set()),
            "role_labels": R.LABELS,
            "R": R,
            "today": now().astimezone(LOCAL).date(),
        }
