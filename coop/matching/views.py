"""Matching pages: candidates and map for one request, the village map, the helper's proposals,
and the helper's availability. Thin: parse, call one service, render or redirect."""
from __future__ import annotations

from typing import cast

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload

from coop.core import audit, registry, safejson
from coop.core import roles as R
from coop.core.forms import Form
from coop.core.guard import by_id, get_in_village_or_404, one_in_village_or_404, roles_required
from coop.core.models import User
from coop.core.once import run_once
from coop.core.web import run
from coop.extensions import db
from coop.matching import availability, candidates, mapping, queries, service
from coop.matching.forms import AbsenceForm, DeclineForm, PinForm, ProposeForm, SlotForm
from coop.matching.models import Proposal
from coop.people.models import Absence, WeeklySlot
from coop.requests import place
from coop.requests import service as requests_service
from coop.requests.models import HelpRequest

bp = Blueprint("matching", __name__)
STAFF = (R.COORDINATOR, R.ADMIN)


def _match_page(req: HelpRequest, form=None, pin_form=None, status: int = 200, log: bool = False):
    ranking = candidates.rank_for(req)
    proposals = service.for_request(req)
    page = render_template(
        "matching/match.html", req=req, ranking=ranking, form=form or ProposeForm(formdata=None),
        pin_form=pin_form or PinForm(formdata=None), proposals=proposals,
        map=mapping.request_map(req, ranking), when=requests_service.when_text(req),
        at_home=place.at_home(req))
    if log:
        helpers = [c.helper.id for c in ranking.candidates + ranking.ineligible] + [p.helper_id for p in proposals]
        audit.shown("matching.viewed", subject=req.resident, subjects=helpers, detail=f"hulpvraag {req.id}")
    return page, status


# the category and the resident's name, in the request's query (the ranking needs both)
_MATCH = by_id(HelpRequest, joinedload(HelpRequest.category), joinedload(HelpRequest.resident).lazyload(User.role_rows))


@bp.get("/hulpvragen/<int:request_id>/koppelen")
@roles_required(*STAFF)
def match(request_id: int):
    return _match_page(one_in_village_or_404(_MATCH, request_id), log=True)


@bp.post("/hulpvragen/<int:request_id>/voorstellen")
@roles_required(*STAFF)
def propose(request_id: int):
    req = get_in_village_or_404(HelpRequest, request_id)
    form = ProposeForm()
    if form.validate_on_submit():
        helper = db.session.get(User, form.helper_id.data)
        if helper is None or helper.village_id != req.village_id:
            form.helper_id.errors = ["Deze helper bestaat niet in uw dorp."]
        else:
            answer = run_once(form, lambda: service.propose(req, helper, by=current_user, note=form.note.data,
                                                            by_phone=form.by_phone.data),
                              f"{helper.first_name} is gekoppeld." if form.by_phone.data
                              else f"Het voorstel is naar {helper.first_name} gestuurd.",
                              result_url=lambda _: url_for("matching.match", request_id=req.id))
            if answer:
                return answer
    return _match_page(req, form=form, status=422)


@bp.route("/voorstellen/<int:proposal_id>/intrekken", methods=["GET", "POST"])
@roles_required(*STAFF)
def withdraw(proposal_id: int):
    """Voorstel intrekken: a page that says what happens and who hears it; the POST does it."""
    proposal = get_in_village_or_404(Proposal, proposal_id)
    back = url_for("matching.match", request_id=proposal.request_id)
    if request.method == "POST":
        if Form().validate_on_submit():
            run(None, lambda: service.withdraw(proposal, by=current_user), "Het voorstel is ingetrokken.")
        return redirect(back)
    if not proposal.is_open:
        flash(f"Dit voorstel is al {proposal.status_label}; er valt niets in te trekken.", "info")
        return redirect(back)
    helper, req = proposal.helper, proposal.help_request
    what = [f"Het voorstel aan {helper.full_name} voor '{req.category.name}' van {req.resident.full_name} "
            "wordt ingetrokken."]
    if proposal.status == "accepted":
        what.append(f"{helper.first_name} had al ja gezegd: de hulpvraag gaat terug naar 'zoekt helper'.")
    told = [f"{helper.first_name} krijgt geen bericht. Een uitnodiging die nog niet verstuurd was, gaat niet meer "
            f"uit. Wist {helper.first_name} er al van, bel dan even."]
    confirm = {"title": "Voorstel intrekken", "caption": f"Hulpvraag {req.id}", "what": what, "told": told,
               "calls": [(helper.full_name, helper.phone)] if helper.phone else [],
               "undo": f"Ongedaan maken kan niet, maar u kunt {helper.first_name} daarna opnieuw voorstellen.",
               "button": "Voorstel intrekken", "action": url_for("matching.withdraw", proposal_id=proposal.id),
               "back": back}
    page = render_template("core/confirm.html", confirm=confirm, form=None)
    audit.shown("matching.viewed", subject=req.resident, detail=f"hulpvraag {req.id}, voorstel intrekken",
                subjects=[helper.id])
    return page


@bp.post("/hulpvragen/<int:request_id>/plek")
@roles_required(*STAFF)
def place_pin(request_id: int):
    req = get_in_village_or_404(HelpRequest, request_id)
    form = PinForm()
    if form.validate_on_submit() and run(form, lambda: service.place_pin(req, form.lat.data, form.lon.data,
                                                                       by=current_user),
                                         "De plek staat op de kaart."):
        return redirect(url_for("matching.match", request_id=req.id))
    return _match_page(req, pin_form=form, status=422)


@bp.post("/hulpvragen/<int:request_id>/adres-zoeken")
@roles_required(*STAFF)
def locate(request_id: int):
    req = get_in_village_or_404(HelpRequest, request_id)
    if Form().validate_on_submit():
        if service.locate(req, by=current_user):
            flash("Het adres is gevonden en staat op de kaart.", "success")
        else:
            # Only the geocoder's cached miss is kept (the request commits it); the request is unchanged.
            flash("Dit adres kennen we niet. Klik op de kaart om de plek aan te wijzen.", "error")
    return redirect(url_for("matching.match", request_id=req.id))


@bp.get("/kaart")
@roles_required(*STAFF)
def village_map():
    village = current_user.village
    _log_map_view(village.id)
    return render_template("matching/village_map.html", map=mapping.village_map(village),
                           listed=mapping.village_list(village))


def _log_map_view(village_id: int) -> None:
    # The map shows everyone with a place: written once a day per user, with all of them.
    if not audit.seen_today("map.viewed"):
        audit.shown("map.viewed", subjects=queries.people_on_village_map(village_id))


@bp.get("/kaart/punten")
@roles_required(*STAFF)
def village_map_points():
    """The village map's points as GeoJSON: the staff of the village only, like the map."""
    _log_map_view(current_user.village_id)
    body = safejson.dumps(mapping.village_points(current_user.village), separators=(",", ":"))
    return current_app.response_class(body, mimetype="application/geo+json")


# --- the helper's side -------------------------------------------------------------------

def _own_proposal(proposal_id: int) -> Proposal:
    proposal = get_in_village_or_404(Proposal, proposal_id)
    if proposal.helper_id != current_user.id:
        abort(404)
    return proposal


@bp.get("/voorstellen")
@roles_required(R.VOLUNTEER, R.PROFESSIONAL)
def my_proposals():
    proposals = service.open_for_helper(current_user)
    page = render_template("matching/my_proposals.html", proposals=proposals, view=service.proposal_view)
    audit.shown("proposals.listed", subjects=[p.resident_id for p in proposals])
    return page


@bp.get("/voorstellen/<int:proposal_id>")
@roles_required(R.VOLUNTEER, R.PROFESSIONAL)
def proposal(proposal_id: int, form=None, status=200):
    item = _own_proposal(proposal_id)
    page = render_template("matching/proposal.html", proposal=item, view=service.proposal_view(item),
                           form=form or DeclineForm(formdata=None))
    if request.method == "GET":
        audit.shown("proposal.viewed", subject=item.resident, detail=f"voorstel {item.id}")
    return page, status


@bp.post("/voorstellen/<int:proposal_id>/accepteren")
@roles_required(R.VOLUNTEER, R.PROFESSIONAL)
def accept(proposal_id: int):
    item = _own_proposal(proposal_id)
    if Form().validate_on_submit() and run(None, lambda: service.accept(item, by=current_user),
                                           "Dank u wel! U bent gekoppeld."):
        return redirect(url_for("matching.proposal", proposal_id=item.id))
    return proposal(proposal_id, status=422)


@bp.post("/voorstellen/<int:proposal_id>/afwijzen")
@roles_required(R.VOLUNTEER, R.PROFESSIONAL)
def decline(proposal_id: int):
    item = _own_proposal(proposal_id)
    form = DeclineForm()
    if form.validate_on_submit() and run(form, lambda: service.decline(item, by=current_user, reason=form.reason.data),
                                         "Dank u wel voor het laten weten."):
        return redirect(url_for("matching.my_proposals"))
    return proposal(proposal_id, form=form, status=422)


@bp.route("/beschikbaarheid", methods=["GET", "POST"])
@roles_required(R.VOLUNTEER, R.PROFESSIONAL)
def my_availability():
    slot_form, absence_form = SlotForm(prefix="slot"), AbsenceForm(prefix="absence")
    which = request.form.get("which")
    here = url_for("matching.my_availability")
    answer = None
    if which == "slot" and slot_form.validate_on_submit():
        answer = run_once(slot_form, lambda: availability.add_slot(current_user, int(slot_form.weekday.data),
                                                                   slot_form.start.data, slot_form.end.data),
                          "De vaste tijd is toegevoegd.", result_url=lambda _: here)
    elif which == "absence" and absence_form.validate_on_submit():
        answer = run_once(absence_form, lambda: availability.add_absence(
            current_user, absence_form.starts_on.data, absence_form.ends_on.data, absence_form.note.data),
            "Uw afwezigheid is opgeslagen.", result_url=lambda _: here)
    if answer:
        return answer
    failed = request.method == "POST"
    return render_template("matching/availability.html", slot_form=slot_form, absence_form=absence_form,
                           form=Form()), 422 if failed else 200


@bp.post("/beschikbaarheid/<kind>/<int:item_id>/verwijderen")
@roles_required(R.VOLUNTEER, R.PROFESSIONAL)
def remove_availability(kind: str, item_id: int):
    model = {"tijd": WeeklySlot, "afwezig": Absence}.get(kind)
    if model is None:
        abort(404)
    item = cast("WeeklySlot | Absence | None", db.session.get(model, item_id))  # one of the two models above
    if item is None or item.user_id != current_user.id:
        abort(404)
    if Form().validate_on_submit():
        run(None, lambda: availability.remove(current_user, item), "Verwijderd.")
    return redirect(url_for("matching.my_availability"))


@bp.app_context_processor
def _request_page_helpers() -> dict:
    # requests/show.html includes matching/_request_panel.html, which lists the proposals.
    return {"match_proposals": service.for_request}


def _helper_panel(user) -> dict:
    return {"proposals": service.open_for_helper(user), "view": service.proposal_view}


def _not_on_map_panel(user) -> dict:
    return queries.not_on_map(user.village_id)


registry.nav_link("Kaart", "matching.village_map", *STAFF, order=30)
registry.nav_link("Voorstellen", "matching.my_proposals", R.VOLUNTEER, R.PROFESSIONAL, order=30)
registry.nav_link("Beschikbaarheid", "matching.my_availability", R.VOLUNTEER, R.PROFESSIONAL, order=35)
registry.home_panel("matching/panels/not_on_map.html", R.COORDINATOR, order=45, context=_not_on_map_panel)
registry.home_panel("matching/panels/proposals.html", R.VOLUNTEER, R.PROFESSIONAL, order=10,
                    context=_helper_panel)
