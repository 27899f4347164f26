"""/hulpmiddelen: the stock (what is free, what is out), who has what, an item and its history,
lending, handing out a reservation, returns and extensions; reserving an item from a
hulpvraag's Schijf van Vijf; the home panels of the coordinator and the resident.

The request's pages show what was reserved for it through core's page panels: requests names
no feature above it.
"""
from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from coop.aids import queries, service
from coop.aids.forms import ExtendForm, HandOutForm, ItemForm, LendForm, NewItemForm, ReserveForm, ReturnForm
from coop.aids.models import ITEM_STATES, KINDS, RESERVED, AidItem, AidLoan
from coop.core import audit, registry
from coop.core import roles as R
from coop.core.clock import local_now
from coop.core.forms import Form, choices
from coop.core.guard import get_in_village_or_404, roles_required
from coop.core.once import run_once
from coop.core.web import run
from coop.requests.models import HelpRequest

bp = Blueprint("aids", __name__, url_prefix="/hulpmiddelen")
STAFF = (R.COORDINATOR, R.ADMIN)


def _status(form) -> int:
    return 422 if form.errors or form.form_errors else 200


def _item(item_id: int) -> AidItem:
    return get_in_village_or_404(AidItem, item_id)


def _loan(loan_id: int) -> AidLoan:
    return get_in_village_or_404(AidLoan, loan_id)


def _period_defaults(form, starts_on: date | None = None, due_on: date | None = None) -> None:
    """A new form proposes today and six weeks from today."""
    if request.method == "GET":
        start = starts_on or local_now().date()
        form.starts_on.process(None, start)
        form.due_on.process(None, due_on or service.default_due(start))


# --- the stock ---------------------------------------------------------------------------------

@bp.get("/")
@roles_required(*STAFF)
def stock():
    kind = request.args.get("soort", "")
    state = request.args.get("status", "")
    kind, state = (kind if kind in KINDS else ""), (state if state in ITEM_STATES else "")
    lines = queries.stock(current_user.village_id, kind or None, state or None)
    counts: dict[str, int] = {}
    for line in lines:
        counts[line.state] = counts.get(line.state, 0) + 1
    page = render_template("aids/stock.html", lines=lines, kind=kind, state=state, kinds=KINDS,
                           states=ITEM_STATES, counts=counts)
    audit.shown("aids.listed", subjects=[line.loan.resident_id for line in lines if line.loan])
    return page


@bp.get("/uitgeleend")
@roles_required(*STAFF)
def loans():
    found = queries.who_has_what(current_user.village_id)
    page = render_template("aids/loans.html", loans=found, today=local_now().date())
    audit.shown("aids.loans_listed", subjects=[loan.resident_id for loan in found])
    return page


@bp.route("/nieuw", methods=["GET", "POST"])
@roles_required(*STAFF)
def new_item():
    form = NewItemForm()
    if form.validate_on_submit():
        answer = run_once(form, lambda: service.add_item(
            current_user.village_id, kind=form.kind.data, label=form.label.data, condition=form.condition.data,
            stored_at=form.stored_at.data or "", notes=form.notes.data or "", by=current_user),
            "Het hulpmiddel staat in de voorraad.", result_url=lambda item: url_for("aids.item", item_id=item.id))
        if answer:
            return answer
    return render_template("aids/item_form.html", form=form, item=None), _status(form)


@bp.get("/<int:item_id>")
@roles_required(*STAFF)
def item(item_id: int):
    found = _item(item_id)
    history = queries.history(found)
    current = next((loan for loan in history if loan.is_open), None)
    page = render_template("aids/item.html", item=found, history=history, current=current)
    audit.shown("aid.viewed", subject=current.resident if current else None,
                subjects=[loan.resident_id for loan in history], detail=found.name)
    return page


@bp.route("/<int:item_id>/wijzigen", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit_item(item_id: int):
    found = _item(item_id)
    form = ItemForm(obj=found)
    if form.validate_on_submit() and run(form, lambda: service.update_item(
            found, kind=form.kind.data, label=form.label.data, condition=form.condition.data,
            stored_at=form.stored_at.data or "", notes=form.notes.data or "", by=current_user), "Opgeslagen."):
        return redirect(url_for("aids.item", item_id=found.id))
    return render_template("aids/item_form.html", form=form, item=found), _status(form)


# --- lending -----------------------------------------------------------------------------------

def _resident_choices(village_id: int) -> list:
    return choices([("", "Kies een inwoner")] + [(p.id, f"{p.full_name}, {p.address_line}")
                                                 for p in queries.residents(village_id)])


@bp.route("/<int:item_id>/uitlenen", methods=["GET", "POST"])
@roles_required(*STAFF)
def lend(item_id: int):
    found = _item(item_id)
    current = service.open_loan(found)
    form = LendForm()
    form.resident.choices = _resident_choices(found.village_id)
    if current is not None and request.method == "GET":
        form.resident.data = current.resident_id
        audit.shown("aid.viewed", subject=current.resident, detail=f"{found.name}, uitlenen")
    _period_defaults(form)
    if form.validate_on_submit():
        def action():
            resident = service.resident_of(current_user.village_id, form.resident.data)
            return service.lend(found, resident, starts_on=form.starts_on.data, due_on=form.due_on.data,
                                by=current_user, notes=form.notes.data or "")
        answer = run_once(form, action, "Uitgeleend.", result_url=lambda _: url_for("aids.item", item_id=found.id))
        if answer:
            return answer
    return render_template("aids/lend.html", form=form, item=found, current=current), _status(form)


@bp.route("/uitleningen/<int:loan_id>/meegeven", methods=["GET", "POST"])
@roles_required(*STAFF)
def hand_out(loan_id: int):
    loan = _loan(loan_id)
    form = HandOutForm()
    _period_defaults(form, max(loan.starts_on or local_now().date(), local_now().date()), loan.due_on)
    if request.method == "GET":
        audit.shown("aid.viewed", subject=loan.resident, detail=loan.item.name)
    if form.validate_on_submit() and run(form, lambda: service.hand_out(
            loan, starts_on=form.starts_on.data, due_on=form.due_on.data, by=current_user,
            notes=form.notes.data or ""), f"{loan.item.name} is meegegeven aan {loan.resident.full_name}."):
        return redirect(url_for("aids.item", item_id=loan.item_id))
    return render_template("aids/loan_step.html", form=form, loan=loan, step="hand_out"), _status(form)


@bp.route("/uitleningen/<int:loan_id>/terug", methods=["GET", "POST"])
@roles_required(*STAFF)
def return_item(loan_id: int):
    loan = _loan(loan_id)
    form = ReturnForm()
    if request.method == "GET":
        form.returned_on.process(None, local_now().date())
        form.condition.data = loan.item.condition
        audit.shown("aid.viewed", subject=loan.resident, detail=loan.item.name)
    if form.validate_on_submit() and run(form, lambda: service.record_return(
            loan, returned_on=form.returned_on.data, condition=form.condition.data, by=current_user,
            notes=form.notes.data or ""), f"{loan.item.name} is terug."):
        return redirect(url_for("aids.item", item_id=loan.item_id))
    return render_template("aids/loan_step.html", form=form, loan=loan, step="return"), _status(form)


@bp.route("/uitleningen/<int:loan_id>/verlengen", methods=["GET", "POST"])
@roles_required(*STAFF)
def extend(loan_id: int):
    loan = _loan(loan_id)
    form = ExtendForm()
    if request.method == "GET":
        form.due_on.process(None, service.default_due(max(loan.due_on, local_now().date()), 4))
        audit.shown("aid.viewed", subject=loan.resident, detail=loan.item.name)
    if form.validate_on_submit() and run(form, lambda: service.extend(loan, due_on=form.due_on.data, by=current_user),
                                         "Verlengd."):
        return redirect(url_for("aids.item", item_id=loan.item_id))
    return render_template("aids/loan_step.html", form=form, loan=loan, step="extend"), _status(form)


@bp.route("/uitleningen/<int:loan_id>/afzeggen", methods=["GET", "POST"])
@roles_required(*STAFF)
def cancel_reservation(loan_id: int):
    """Reservering afzeggen: a page that says what happens; the POST does it."""
    loan = _loan(loan_id)
    back = url_for("aids.item", item_id=loan.item_id)
    if request.method == "POST":
        if Form().validate_on_submit():
            run(None, lambda: service.cancel_reservation(loan, by=current_user), "De reservering is afgezegd.")
        return redirect(back)
    if loan.status != RESERVED:
        flash("Deze reservering is al afgezegd of meegegeven.", "info")
        return redirect(back)
    audit.shown("aid.viewed", subject=loan.resident, detail=f"{loan.item.name}, reservering afzeggen")
    confirm = {"title": "Reservering afzeggen", "caption": loan.item.name,
               "what": [f"{loan.item.name} is dan niet meer gereserveerd voor {loan.resident.full_name}; "
                        "het komt vrij in de voorraad."],
               "told": [f"{loan.resident.first_name} krijgt geen bericht: laat het zelf weten als dat nodig is."],
               "button": "Reservering afzeggen", "action": url_for("aids.cancel_reservation", loan_id=loan.id),
               "back": back}
    return render_template("core/confirm.html", confirm=confirm, form=None)


# --- reserving from a hulpvraag's Schijf van Vijf ----------------------------------------------------

@bp.route("/reserveren/hulpvraag/<int:request_id>", methods=["GET", "POST"])
@roles_required(*STAFF)
def reserve(request_id: int):
    req = get_in_village_or_404(HelpRequest, request_id)
    line = service.aids_line(req)
    kind = request.args.get("soort", "")
    kind = kind if kind in KINDS else (suggested_kind(line.note) if line else "")
    free = queries.free_items(req.village_id, kind or None)
    form = ReserveForm()
    form.item.choices = choices([("", "Kies een hulpmiddel")] + [
        (i.id, f"{i.name}{', ' + i.stored_at if i.stored_at else ''}") for i in free])
    if request.method == "POST":
        # The list was drawn for the kind chosen then; any free item of the village is a valid pick.
        form.item.choices = choices([("", "")] + [(i.id, i.name) for i in queries.free_items(req.village_id)])
    _period_defaults(form)
    if request.method == "GET":
        audit.shown("request.viewed", subject=req.resident, detail=f"hulpvraag {req.id}, hulpmiddel reserveren")
    if form.validate_on_submit():
        def action():
            chosen = service.item_of(req.village_id, form.item.data)
            return service.reserve(chosen, req.resident, starts_on=form.starts_on.data, due_on=form.due_on.data,
                                   by=current_user, help_request=req, notes=form.notes.data or "")
        answer = run_once(form, action, "Gereserveerd.",
                          result_url=lambda _: url_for("requests.show", request_id=req.id))
        if answer:
            return answer
    return render_template("aids/reserve.html", form=form, req=req, line=line, kind=kind, kinds=KINDS,
                           free=free), _status(form)


def suggested_kind(note: str) -> str:
    """The kind the Schijf van Vijf's note names first ("Rollator en een kar" → rollator)."""
    text = (note or "").lower()
    hits = [(text.find(code), code) for code in KINDS if code != "anders" and code in text]
    return min(hits)[1] if hits else ""


@bp.app_context_processor
def _request_page_helpers() -> dict:
    # The request's page and its Schijf van Vijf show what was reserved (core's page panels).
    return {"aid_loans_for": queries.for_request, "aid_line": service.aids_line}


# --- home panels ---------------------------------------------------------------------------------

def _coordinator_panel(user) -> dict:
    return {"overdue": queries.overdue(user.village_id)}


def _resident_panel(user) -> dict:
    if registry.login_figure("aid_loans_open") == 0:
        return {"mine": []}
    return {"mine": queries.of_resident(user.id)}


registry.read_with_login("aid_loans_open", queries.open_of_user)


registry.nav_link("Hulpmiddelen", "aids.stock", *STAFF, order=45)
registry.home_panel("aids/panels/coordinator.html", R.COORDINATOR, order=30, context=_coordinator_panel)
registry.home_panel("aids/panels/resident.html", R.RESIDENT, order=15, context=_resident_panel)
registry.page_panel("requests/show.html", "aids/_request_panel.html")
registry.page_panel("requests/five_questions.html", "aids/_request_panel.html")
