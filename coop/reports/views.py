"""Report pages and CSV export for the coordinator, the gemeente and the administrator."""
from __future__ import annotations

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_login import current_user

from coop.core import csvexport, registry
from coop.core import roles as R
from coop.core.clock import local_now
from coop.core.guard import roles_required
from coop.core.models import Village
from coop.core.web import run
from coop.extensions import db
from coop.reports import report, service
from coop.reports.forms import ThresholdForm

bp = Blueprint("reports", __name__, url_prefix="/cijfers")
READERS = (R.COORDINATOR, R.MUNICIPALITY, R.ADMIN)
NOT_YOURS = "U kunt alleen de cijfers van uw eigen dorp bekijken en downloaden."
# A table's earlier name in a CSV link (bookmarked, or in a mail) still finds the table.
EARLIER_KEYS = {"rolverdeling": "schijf_van_vijf"}


def _refuse():
    return render_template("agreements/refused.html", message=NOT_YOURS, code=403), 403


def _year() -> int:
    this_year = local_now().year
    year = request.args.get("jaar", type=int)
    return year if year is not None and 2000 <= year <= this_year + 1 else this_year


def _village(village_id: int) -> Village | None:
    """The village if the user may read its figures; None (refused) if not; 404 if unknown."""
    village = db.session.get(Village, village_id)
    if village is None:
        abort(404)
    return village if service.may_read(village, current_user) else None


def _own_staff(village: Village) -> bool:
    """The village's own coordinator or admin: they see its money too; the gemeente counts only."""
    return current_user.village_id == village.id and current_user.has_role(R.COORDINATOR, R.ADMIN)


@bp.get("/")
@roles_required(*READERS)
def index():
    return redirect(url_for("reports.village", village_id=current_user.village_id, jaar=_year()))


@bp.get("/dorp/<int:village_id>")
@roles_required(*READERS)
def village(village_id: int):
    place = _village(village_id)
    if place is None:
        return _refuse()
    year = _year()
    built = report.build(place, year, money=_own_staff(place))
    form = ThresholdForm(formdata=None, threshold=built.threshold)
    return render_template("reports/index.html", report=built, form=form, years=range(local_now().year, 2019, -1))


@bp.get("/dorp/<int:village_id>/<key>.csv")
@roles_required(*READERS)
def export(village_id: int, key: str):
    if key in EARLIER_KEYS:
        return redirect(url_for("reports.export", village_id=village_id, key=EARLIER_KEYS[key], **request.args),
                        code=301)
    place = _village(village_id)
    if place is None:
        return _refuse()
    year = _year()
    table = report.build(place, year, money=_own_staff(place)).table(key)
    if table is None:
        return render_template("agreements/refused.html", message="Deze tabel bestaat niet.", code=404), 404
    return _csv(table, f"{place.slug}-{key}-{year}.csv")


def _csv(table, filename: str) -> Response:
    rows = [table.columns, *table.rows] + ([table.total] if table.total else [])
    return csvexport.response(filename, rows)


@bp.get("/gemeente")
@roles_required(R.MUNICIPALITY)
def municipality():
    from coop.reports import municipality as overview
    gemeente = current_user.village.municipality
    if gemeente is None:
        abort(404)
    built = overview.build(gemeente, _year())
    return render_template("reports/municipality.html", report=built, years=range(local_now().year, 2019, -1))


@bp.get("/gemeente/<key>.csv")
@roles_required(R.MUNICIPALITY)
def municipality_export(key: str):
    from coop.reports import municipality as overview
    gemeente = current_user.village.municipality
    if gemeente is None:
        abort(404)
    year = _year()
    table = overview.build(gemeente, year).table(key)
    if table is None:
        return render_template("agreements/refused.html", message="Deze tabel bestaat niet.", code=404), 404
    return _csv(table, f"{gemeente.name.lower().replace(' ', '-')}-{key}-{year}.csv")


@bp.post("/dorp/<int:village_id>/drempel")
@roles_required(R.ADMIN)
def threshold(village_id: int):
    place = _village(village_id)
    if place is None:
        return _refuse()
    form = ThresholdForm()
    if form.validate_on_submit() and run(form, lambda: service.set_threshold(place, form.threshold.data,
                                                                             by=current_user),
                                         "De drempel is opgeslagen."):
        return redirect(url_for("reports.village", village_id=place.id))
    built = report.build(place, _year())
    return render_template("reports/index.html", report=built, form=form,
                           years=range(local_now().year, 2019, -1)), 422


registry.nav_link("Cijfers", "reports.index", *READERS, order=80)
registry.nav_link("Alle dorpen", "reports.municipality", R.MUNICIPALITY, order=81)
