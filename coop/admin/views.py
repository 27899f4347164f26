from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from coop.admin import service
from coop.admin.forms import CategoryForm, DestinationForm
from coop.core import audit, audit_text, csvexport, registry
from coop.core import roles as R
from coop.core.forms import Form
from coop.core.guard import get_in_village_or_404, roles_required
from coop.core.models import ReferralDestination, TaskCategory
from coop.core.once import run_once
from coop.core.web import run
from coop.extensions import db

bp = Blueprint("admin", __name__, url_prefix="/beheer")


@bp.get("/")
@roles_required(R.ADMIN)
def index():
    from coop.ops import health
    villages = [current_user.village]  # a village's admin manages that village only
    return render_template("admin/index.html", villages=villages, scheduler_beat=health.last_beat(),
                           scheduler_alive=health.scheduler_alive())


@bp.route("/categorieen", methods=["GET", "POST"])
@roles_required(R.ADMIN, R.COORDINATOR)
def categories():
    form = CategoryForm()
    if form.validate_on_submit():
        answer = run_once(form, lambda: service.add_category(
            village_id=current_user.village_id, name=form.name.data, code=form.code.data,
            rule=form.rule.data, description=form.description.data, by=current_user,
            members_only=form.members_only.data),
            "De categorie is toegevoegd.", result_url=lambda _: url_for("admin.categories"))
        if answer:
            return answer
    return _categories_page(form=form)


def _categories_page(form=None, destination_form=None):
    form = form or CategoryForm(formdata=None)
    destination_form = destination_form or DestinationForm(formdata=None, prefix="bestemming")
    rows = db.session.scalars(select(TaskCategory).where(TaskCategory.village_id == current_user.village_id)
                              .order_by(TaskCategory.sort_order)).all()
    failed = request.method == "POST"
    return render_template("admin/categories.html", categories=rows, form=form, destination_form=destination_form,
                           destinations=service.destinations(current_user.village_id), toggle_form=Form()), \
        422 if failed else 200


@bp.post("/categorieen/<int:category_id>/<change>")
@roles_required(R.ADMIN, R.COORDINATOR)
def toggle_members_only(category_id: int, change: str):
    """A category only for members, or for everyone again (Categorieën page)."""
    if change not in ("alleen-leden", "voor-iedereen"):
        abort(404)
    category = get_in_village_or_404(TaskCategory, category_id)
    if Form().validate_on_submit():
        only = change == "alleen-leden"
        run(None, lambda: service.set_members_only(category, only, by=current_user),
            f"'{category.name}' is nu alleen voor leden." if only else f"'{category.name}' is weer voor iedereen.")
    return redirect(url_for("admin.categories"))


@bp.post("/doorverwijzen")
@roles_required(R.ADMIN, R.COORDINATOR)
def add_destination():
    """A name for the list the coordinator refers requests to (Categorieën page)."""
    form = DestinationForm(prefix="bestemming")
    if form.validate_on_submit():
        answer = run_once(form, lambda: service.add_destination(
            village_id=current_user.village_id, name=form.name.data, by=current_user),
            f"'{(form.name.data or '').strip()}' staat nu in de lijst.",
            result_url=lambda _: url_for("admin.categories", _anchor="doorverwijzen"))
        if answer:
            return answer
    return _categories_page(destination_form=form)


@bp.post("/doorverwijzen/<int:destination_id>/<change>")
@roles_required(R.ADMIN, R.COORDINATOR)
def toggle_destination(destination_id: int, change: str):
    if change not in ("tonen", "verbergen"):
        abort(404)
    destination = get_in_village_or_404(ReferralDestination, destination_id)
    if Form().validate_on_submit():
        run(None, lambda: service.set_destination_active(destination, change == "tonen", by=current_user),
            f"'{destination.name}' staat weer in de keuzelijst." if change == "tonen"
            else f"'{destination.name}' staat niet meer in de keuzelijst; eerdere doorverwijzingen houden de naam.")
    return redirect(url_for("admin.categories", _anchor="doorverwijzen"))


@bp.get("/logboek")
@roles_required(R.ADMIN)
def audit_log():
    """The village's audit log, searched by person and period (NEN 7513: readable by those who must)."""
    f = service.LogFilter.from_args(request.args)
    people = service.people_named(current_user.village_id, f.text)
    rows = service.log_rows(current_user.village_id, f, people)
    page = render_template("admin/audit_log.html", rows=rows, f=f, people=people, limit=service.PAGE_ROWS,
                           label=audit_text.label, system=audit_text.SYSTEM)
    audit.shown("audit.searched", subjects=service.people_in(rows) | {p.id for p in people},
                detail=_search_text(f))
    return page


@bp.get("/logboek.csv")
@roles_required(R.ADMIN)
def audit_log_csv():
    f = service.LogFilter.from_args(request.args)
    people = service.people_named(current_user.village_id, f.text)
    rows = service.log_rows(current_user.village_id, f, people, limit=None)
    response = csvexport.response(f"logboek-{current_user.village.slug}.csv", service.csv_rows(rows))
    audit.shown("audit.exported", subjects=service.people_in(rows) | {p.id for p in people},
                detail=_search_text(f))
    return response


def _search_text(f: service.LogFilter) -> str:
    return ", ".join(f"{k} {v}" for k, v in f.args().items()) or "alles"


registry.nav_link("Beheer", "admin.index", R.ADMIN, order=80)
registry.nav_link("Categorieën", "admin.categories", R.ADMIN, R.COORDINATOR, order=70)
