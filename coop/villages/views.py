"""The platform role's pages: the villages (sizes only) and a new village with its coordinator."""
from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from coop.core import registry
from coop.core import roles as R
from coop.core.guard import roles_required
from coop.core.models import Municipality
from coop.core.once import run_once
from coop.extensions import db
from coop.villages import service
from coop.villages.forms import VillageForm

bp = Blueprint("villages", __name__, url_prefix="/platform")


@bp.get("/")
@roles_required(R.PLATFORM)
def index():
    return render_template("villages/index.html", villages=service.village_lines())


@bp.route("/dorpen/nieuw", methods=["GET", "POST"])
@roles_required(R.PLATFORM)
def new():
    form = VillageForm()
    municipalities = db.session.scalars(select(Municipality).order_by(Municipality.name)).all()
    form.municipality_id.choices = [(0, "Een nieuwe gemeente (vul hieronder de naam in)")] + [
        (m.id, m.name) for m in municipalities]
    if not form.is_submitted():
        form.category_set.data = "standaard"
    answer = form.validate_on_submit() and run_once(form, lambda: service.create_village(service.NewVillage(
            name=form.name.data, slug=form.slug.data, cooperative_name=form.cooperative_name.data,
            centre_lat=float(form.centre_lat.data), centre_lon=float(form.centre_lon.data), phone=form.phone.data,
            municipality_id=form.municipality_id.data or None, new_municipality=form.new_municipality.data or "",
            category_set=form.category_set.data, coordinator_first_name=form.coordinator_first_name.data,
            coordinator_last_name=form.coordinator_last_name.data, coordinator_email=form.coordinator_email.data,
            coordinator_is_admin=form.coordinator_is_admin.data), by=current_user),
            f"Het dorp {form.name.data} is aangemaakt. De dorpsondersteuner krijgt een mail om een "
            "wachtwoord te kiezen.", result_url=lambda _: url_for("villages.index"))
    if answer:
        return answer
    return render_template("villages/new.html", form=form), 422 if form.errors or form.form_errors else 200


registry.nav_link("Dorpen", "villages.index", R.PLATFORM, order=80)
registry.home_panel("villages/panel.html", R.PLATFORM, order=10)
