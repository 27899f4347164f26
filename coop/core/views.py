"""The home page per role, the landing page, the privacy page."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from coop.core import registry
from coop.core import roles as R
from coop.core.guard import public

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
    return render_template("core/privacy.html")


registry.home_panel("core/panels/welcome.html", *R.ALL, order=0)
