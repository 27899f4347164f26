"""A copy of one's data (JSON and a print page), the coordinator's copy for a person, "Vergeet
mij", the retention periods and the processing register."""
from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from coop.core import audit, dutch, registry
from coop.core import roles as R
from coop.core.forms import Form
from coop.core.guard import ANY_USER, get_in_village_or_404, roles_required
from coop.core.models import User
from coop.core.web import run
from coop.followups.models import durations_for
from coop.privacy import erasure, export, register, retention, service
from coop.privacy.forms import RetentionForm
from coop.privacy.models import FIELDS, periods_for

bp = Blueprint("privacy", __name__)
STAFF = (R.COORDINATOR, R.ADMIN)


def _json(person: User, filename: str) -> Response:
    return Response(export.as_json(export.gather(person)), mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"',
                             "Cache-Control": "no-store"})


def _print(person: User, own: bool) -> str:
    return render_template("privacy/copy.html", data=export.gather(person), sections=export.SECTIONS,
                           labels=export.LABELS, person=person, own=own)


@bp.get("/mijn-gegevens/download.json")
@roles_required(ANY_USER)
def my_export():
    """Everything stored about me, machine-readable (AVG art. 15 and 20)."""
    return _json(current_user._get_current_object(), "mijn-gegevens.json")


@bp.get("/mijn-gegevens/afdrukken")
@roles_required(ANY_USER)
def my_print():
    return _print(current_user._get_current_object(), own=True)


@bp.get("/mensen/<int:person_id>/gegevens.json")
@roles_required(*STAFF)
def person_export(person_id: int):
    """The copy for a person without a login, made by the coordinator on their behalf."""
    person = get_in_village_or_404(User, person_id)
    response = _json(person, f"gegevens-{person.id}.json")
    audit.shown("person.exported", subject=person, on_behalf_of=person)
    return response


@bp.get("/mensen/<int:person_id>/gegevens-afdrukken")
@roles_required(*STAFF)
def person_print(person_id: int):
    person = get_in_village_or_404(User, person_id)
    page = _print(person, own=False)
    audit.shown("person.printed", subject=person, on_behalf_of=person)
    return page


@bp.route("/mensen/<int:person_id>/vergeten", methods=["GET", "POST"])
@roles_required(*STAFF)
def erase(person_id: int):
    """First a page that says what happens; the button on it forgets the person."""
    person = get_in_village_or_404(User, person_id)
    if request.method == "POST":
        if Form().validate_on_submit() and run(None, lambda: erasure.erase(person, by=current_user)):
            flash(f"De gegevens zijn gewist. In lijsten en in het logboek heet deze persoon nu "
                  f"{erasure.pseudonym(person_id)}.", "success")
            return redirect(url_for("people.show", person_id=person_id))
        return redirect(url_for("privacy.erase", person_id=person_id))
    page = render_template("privacy/erase.html", person=person, form=Form(),
                           blockers=erasure.blockers(person, current_user), pseudonym=erasure.pseudonym(person.id))
    audit.shown("person.viewed", subject=person, detail="vergeten")
    return page


@bp.route("/beheer/bewaartermijnen", methods=["GET", "POST"])
@roles_required(R.ADMIN)
def settings():
    village = current_user.village
    periods = periods_for(village.id)
    data = {name: getattr(periods, name) for name in FIELDS}
    data["retention_months"] = durations_for(village.id).retention_months
    form = RetentionForm(data=data)
    if form.validate_on_submit() and run(form, lambda: service.set_periods(
            village, {name: getattr(form, name).data for name in data}, by=current_user),
            "De bewaartermijnen zijn opgeslagen."):
        return redirect(url_for("privacy.register_page"))
    return render_template("privacy/settings.html", form=form), 422 if form.errors or form.form_errors else 200


@bp.get("/verwerkingsregister")
@roles_required(*STAFF)
def register_page():
    village_id = current_user.village_id
    return render_template("privacy/register.html", entries=register.entries(village_id),
                           audit_past=retention.audit_rows_past(village_id))


def privacy_summary(user: User | None) -> dict:
    """The public privacy page's table: the reader's village's periods, or the defaults."""
    return {"entries": register.entries(user.village_id if user is not None else None)}


registry.nav_link("Verwerkingsregister", "privacy.register_page", *STAFF, order=95)
registry.page_context("core/privacy.html", privacy_summary)


def _shown(value: object) -> str:
    """A value of the copy in plain Dutch."""
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, datetime):
        return dutch.datetime(value)
    if isinstance(value, date):
        return dutch.date(value)
    if isinstance(value, time):
        return dutch.time(value)
    if isinstance(value, Decimal | float):
        return dutch.number(value)
    if isinstance(value, list):
        return ", ".join(_shown(v) for v in value)
    return str(value)


@bp.app_template_filter("copy_value")
def copy_value(value: object) -> str:
    return _shown(value)
