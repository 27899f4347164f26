"""Hours and expenses: "Mijn uren" for volunteers; review, monthly statements (print and CSV)
and the village's km rate, hourly amount and allowance maxima for the coordinator; the yearly
limits of the volunteer allowance for the admin."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from coop.core import audit, csvexport, dutch, registry
from coop.core import roles as R
from coop.core.clock import local_now
from coop.core.forms import Form
from coop.core.guard import get_in_village_or_404, roles_required
from coop.core.once import run_once
from coop.core.web import run
from coop.people.models import HoursEntry
from coop.respite import allowance, hours
from coop.respite.blueprint import STAFF, bp
from coop.respite.forms import AllowanceLimitsForm, HoursForm, ManualHoursForm, SettingsForm


def month_from_args() -> tuple[int, int]:
    try:
        year, month = (int(p) for p in request.args.get("maand", "").split("-"))
        date(year, month, 1)
        return year, month
    except ValueError:
        return hours.this_month()


def _warn(warnings: list[str]) -> None:
    for text in warnings:
        flash(text, "info")


@bp.get("/mijn-uren")
@roles_required(R.VOLUNTEER)
def my_hours():
    year, month = month_from_args()
    prev = (year - (month == 1), (month - 2) % 12 + 1)
    nxt = (year + (month == 12), month % 12 + 1)
    return render_template("respite/my_hours.html", entries=hours.entries(current_user, year, month),
                           year=year, month=month, labels=hours.STATUS_LABELS,
                           first=date(year, month, 1), prev=f"{prev[0]}-{prev[1]:02d}", next=f"{nxt[0]}-{nxt[1]:02d}",
                           statement=hours.statement(current_user, year, month, include_pending=True),
                           HoursEntry=HoursEntry)


@bp.route("/mijn-uren/<int:entry_id>", methods=["GET", "POST"])
@roles_required(R.VOLUNTEER)
def confirm(entry_id: int):
    entry = get_in_village_or_404(HoursEntry, entry_id)
    if entry.helper_id != current_user.id:
        abort(404)
    form = HoursForm(obj=entry)
    if form.validate_on_submit():
        done = run(form, lambda: hours.confirm_entry(
            entry, by=current_user, hours=form.hours.data, km=form.km.data, costs=form.costs.data,
            description=form.description.data), "Dank u wel, uw uren zijn doorgegeven.")
        if done:
            _warn(done.value)
            return redirect(url_for("respite.my_hours", maand=f"{entry.worked_on:%Y-%m}"))
    return render_template("respite/hours_form.html", form=form, entry=entry), 422 if form.errors else 200


@bp.route("/mijn-uren/nieuw", methods=["GET", "POST"])
@roles_required(R.VOLUNTEER)
def add_hours():
    form = ManualHoursForm()
    if request.method == "GET":
        form.worked_on.data = local_now().date()
    if form.validate_on_submit():
        def action():
            entry, warnings = hours.add_manual_entry(
                current_user, worked_on=form.worked_on.data, hours=form.hours.data, km=form.km.data,
                costs=form.costs.data, description=form.description.data or "")
            _warn(warnings)
            return entry
        answer = run_once(form, action, "Dank u wel, uw uren zijn doorgegeven.",
                          result_url=lambda entry: url_for("respite.my_hours", maand=f"{entry.worked_on:%Y-%m}"))
        if answer:
            return answer
    return render_template("respite/hours_form.html", form=form, entry=None), \
        422 if form.errors or form.form_errors else 200


@bp.get("/respijt/uren")
@roles_required(*STAFF)
def review():
    year, month = month_from_args()
    pending = hours.pending_review(current_user.village_id)
    found = hours.month_statements(current_user.village_id, year, month)
    page = render_template("respite/review.html", pending=pending, year=year, month=month, form=Form(),
                           statements=found)
    audit.shown("hours.listed", subjects=[e.helper_id for e in pending] + [st.volunteer for st in found],
                detail=f"{year}-{month:02d}")
    return page


def _decide(entry_id: int, approve: bool):
    entry = get_in_village_or_404(HoursEntry, entry_id)
    if Form().validate_on_submit() and run(None, lambda: hours.review_entry(entry, by=current_user, approve=approve),
                                           "Goedgekeurd." if approve else "Afgekeurd.") and approve:
        _warn(hours.statement(entry.helper, entry.worked_on.year, entry.worked_on.month).warnings)
    return redirect(url_for("respite.review"))


@bp.post("/respijt/uren/<int:entry_id>/goedkeuren")
@roles_required(*STAFF)
def approve(entry_id: int):
    return _decide(entry_id, True)


@bp.post("/respijt/uren/<int:entry_id>/afkeuren")
@roles_required(*STAFF)
def reject(entry_id: int):
    return _decide(entry_id, False)


@bp.get("/respijt/uren/overzicht")
@roles_required(*STAFF)
def statements():
    year, month = month_from_args()
    settings = hours.settings_for(current_user.village_id)
    found = hours.month_statements(current_user.village_id, year, month)
    page = render_template("respite/statements.html", year=year, month=month, first=date(year, month, 1),
                           settings=settings, terms=allowance.terms(settings, allowance.limits_for(year)),
                           statements=found)
    audit.shown("statements.viewed", subjects=[st.volunteer for st in found], detail=f"{year}-{month:02d}")
    return page


@bp.get("/respijt/uren/overzicht.csv")
@roles_required(*STAFF)
def statements_csv():
    """For the treasurer: one line per volunteer; semicolons and decimal commas for Dutch Excel
    (dutch.csv_decimal: two places, no thousands separator)."""
    year, month = month_from_args()
    # New columns go at the end: the treasurer's sheets read the first nine by position.
    rows = [["maand", "vrijwilliger", "uren", "km", "km-vergoeding", "onkosten", "declaratie",
             "uit te betalen", "boven maximum", "uurvergoeding", "maandmaximum", "jaarmaximum",
             "uitbetaald dit jaar"]]
    num = dutch.csv_decimal
    found = hours.month_statements(current_user.village_id, year, month)
    for st in found:
        rows.append([f"{year}-{month:02d}", st.volunteer.full_name, num(st.hours), num(st.km),
                     num(st.km_amount), num(st.costs), num(st.claim), num(st.payable),
                     num(st.claim - st.payable), num(st.hours_amount), num(st.month_max), num(st.year_max),
                     num(st.paid_this_year)])
    response = csvexport.response(f"vrijwilligersvergoeding-{year}-{month:02d}.csv", rows)
    audit.shown("statements.exported", subjects=[st.volunteer for st in found], detail=f"{year}-{month:02d}")
    return response


@bp.route("/respijt/instellingen", methods=["GET", "POST"])
@roles_required(*STAFF)
def settings():
    current = hours.settings_for(current_user.village_id)
    form = SettingsForm(data={"km_rate": current.km_rate, "hourly_rate": current.hourly_rate,
                              "hourly_rate_young": current.hourly_rate_young,
                              "allowance_month_max": current.own_month_max,
                              "allowance_year_max": current.own_year_max})
    if form.validate_on_submit() and run(form, lambda: hours.save_settings(
            current_user.village_id, by=current_user, km_rate=form.km_rate.data,
            month_max=form.allowance_month_max.data, year_max=form.allowance_year_max.data,
            hourly_rate=form.hourly_rate.data or Decimal("0"),
            hourly_rate_young=form.hourly_rate_young.data or Decimal("0")),
           "De vergoedingen zijn opgeslagen."):
        return redirect(url_for("respite.statements"))
    return render_template("respite/settings.html", form=form, limits=allowance.limits_for(local_now().year)), \
        422 if form.errors else 200


@bp.route("/beheer/vrijwilligersvergoeding", methods=["GET", "POST"])
@roles_required(R.ADMIN)
def allowance_limits():
    """The Belastingdienst's limits per calendar year; ?jaar= opens a known year for correction."""
    rows = allowance.all_limits()
    asked = request.args.get("jaar", "")
    editing = next((r for r in rows if asked.isdigit() and r.year == int(asked)), None)
    form = AllowanceLimitsForm(obj=editing)
    if request.method == "GET" and editing is None:
        form.year.data = rows[0].year + 1 if rows else local_now().year
    if form.validate_on_submit() and run(form, lambda: allowance.save_limits(
            form.year.data, by=current_user, month_max=form.month_max.data, year_max=form.year_max.data,
            hourly_max=form.hourly_max.data, hourly_max_young=form.hourly_max_young.data),
            f"De grenzen voor {form.year.data} zijn opgeslagen."):
        return redirect(url_for("respite.allowance_limits"))
    return render_template("respite/allowance_limits.html", form=form, rows=rows,
                           current=allowance.limits_for(local_now().year)), 422 if form.errors else 200


registry.nav_link("Mijn uren", "respite.my_hours", R.VOLUNTEER, order=21)
registry.nav_link("Uren", "respite.review", *STAFF, order=41)

