"""The home page per role, the landing page, the privacy page."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from coop.core import registry
from coop.core import roles as R
from coop.core.guard import public
from coop.core.models import Village
from coop.extensions import db

bp = Blueprint("core", __name__)


@bp.get("/")
@public
def home() -> str:
    if not current_user.is_authenticated:
        return render_template("core/landing.html")
    panels = [(p, p.context(current_user) if p.context else {})
              for p in registry.panels_for(current_user.roles)]
    return render_template("core/home.html", panels=panels)


@bp.get("/privacy")
@public
def privacy() -> str:
    reader = current_user if current_user.is_authenticated else None
    return render_template("core/privacy.html", **registry.context_for("core/privacy.html", reader))


def contact_villages() -> list[tuple[str, str]]:
    """(village, coordinator's phone) for an error page a visitor meets logged out.

    An error page must render even when the database is the trouble: then it names none.
    """
    if current_user.is_authenticated:
        return []
    query = select(Village.name, Village.coordinator_phone).order_by(Village.name)
    for _attempt in range(2):
        try:
            return [(name, phone) for name, phone in db.session.execute(query)]
        except SQLAlchemyError:
            # A failed flush leaves the session unusable until it is rolled back.
            db.session.rollback()
    return []


registry.home_panel("core/panels/welcome.html", *R.ALL, order=0)
