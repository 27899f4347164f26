"""Hulpvragen: the resident's form and own list, the coordinator's inbox, intake and steps."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from coop.core import audit, registry
from coop.core import roles as R
from coop.core.clock import local_now
from coop.core.forms import Form, choices
from coop.core.guard import by_id, get_in_village_or_404, one_in_village_or_404, roles_required
from coop.core.models import TaskCategory, User
from coop.core.once import run_once
from coop.core.web import run
from coop.extensions import db
from coop.members import service as members
from coop.members.forms import KitchenTableForm
from coop.people import service as people
from coop.requests import intake, queries, service
from coop.requests.forms import (
    FiveQuestionsForm,
    InfoForm,
    NewResidentForm,
    NoteForm,
    OnBehalfForm,
    ReferForm,
    RequestForm,
    five_questions_answers,
)
from coop.requests.models import FIVE_QUESTIONS, PARTIES, STATUS_LABELS, HelpRequest

bp = Blueprint("requests", __name__)
STAFF = (R.COORDINATOR, R.ADMIN)
# The coordinator's step buttons; matching is done from a proposal, referring has its own form.
# Stopping has a page of its own first (stop): nothing is undone by one tap.
STEP_BUTTONS = {"start_intake": "Gesprek starten", "start_search": "Helper zoeken", "complete": "Afronden",
                "reopen": "Opnieuw zoeken"}


# What the request's page shows, in one query and one for its events (the people by name and
# address: their roles are read only if something asks). The Schijf van Vijf's lines (one per
# question, five at most) are joined: a query more cost more than five rows of the request.
SHOW_OPTIONS = (joinedload(HelpRequest.category), joinedload(HelpRequest.resident).lazyload(User.role_rows),
                joinedload(HelpRequest.entered_by).lazyload(User.role_rows),
                joinedload(HelpRequest.five_questions), selectinload(HelpRequest.events))
_SHOW = by_id(HelpRequest, *SHOW_OPTIONS)  # the request page, read on every view: built once


def _is_staff() -> bool:
    return current_user.has_role(*STAFF)


def _load(request_id: int, statement=None) -> HelpRequest:
    """The request, if it is in the user's village and the user may see it (else 404);
    `statement` (guard.by_id) loads what the page shows with it."""
    req = one_in_village_or_404(statement, request_id) if statement is not None \
        else get_in_village_or_404(HelpRequest, request_id)
    if not _is_staff() and req.resident_id != current_user.id:
        abort(404)
    return req


def _categories(village_id: int) -> list[TaskCategory]:
    return list(db.session.scalars(select(TaskCategory).where(
        TaskCategory.village_id == village_id, TaskCategory.active).order_by(TaskCategory.sort_order)))


def _prepare(form: RequestForm, village_id: int) -> RequestForm:
    form.category_id.choices = choices([("", "Kies een soort hulp")]
                                       + [(c.id, f"{c.name} (alleen voor leden)" if c.members_only else c.name)
                                          for c in _categories(village_id)])
    return form


ALREADY_SENT = "Deze hulpvraag was al verstuurd; hieronder staat hij."


def _post(form: RequestForm, for_resident: User, channel: str, template: str,
          join: KitchenTableForm | None = None):
    """Shared by the resident's form and the phone intake: validate, post once, confirm.

    `join`: the resident is not a member and the category is only for members; the
    coordinator makes them one in the same step (their form is on the page), then the
    request goes on."""
    valid = form.validate_on_submit()
    if join is not None:
        valid = join.validate() and valid
        if valid:
            for problem in members.join_problems(for_resident.village, join.to_input(for_resident)):
                join.attach(problem)
            valid = not join.errors
    if valid:
        def action():
            if join is not None:
                members.join(for_resident.village, join.to_input(for_resident), by=current_user)
            req, created = intake.post_request(
                for_resident, form.to_input(channel), by=current_user, form_token=form.form_token.data)
            if not created:  # made with this token before the form tokens had their own table
                flash(ALREADY_SENT, "info")
            return req
        answer = run_once(form, action, repeated=ALREADY_SENT,
                          result_url=lambda req: url_for("requests.confirmation", request_id=req.id))
        if answer:
            return answer
    elif form.is_submitted() and form.errors:
        # The form's own checks failed, so the service never ran: add its findings on the other
        # fields, so every mistake shows at once instead of one per submit.
        for problem in intake.problems(for_resident, form.to_input(channel)):
            field = getattr(form, problem.field, None) if problem.field else None
            if field is not None and not field.errors:
                form.attach(problem)
    failed = form.errors or form.form_errors or (join is not None and join.errors)
    not_a_member = bool(failed) and join is None and form.is_submitted() and \
        members.category_needs_membership(form.category_id.data, for_resident)
    return render_template(template, form=form, resident=for_resident, join=join, not_a_member=not_a_member,
                           fee=members.settings_for(for_resident.village_id).yearly_fee), 422 if failed else 200


def _joining(form: RequestForm, resident: User) -> tuple[KitchenTableForm | None, bool]:
    """The form to make `resident` a member on the spot, when the chosen category asks for it,
    and whether it is shown for the first time (then it was not filled in yet)."""
    if not form.is_submitted() or not members.category_needs_membership(request.form.get("category_id"), resident):
        return None, False
    join = KitchenTableForm(prefix="lid")
    if join.shown.data:
        return join, False
    join = KitchenTableForm(formdata=None, prefix="lid", account_holder=resident.full_name, shown="1")
    join.signed_on.process(None, local_now().date())
    return join, True


@bp.route("/hulp-vragen", methods=["GET", "POST"])
@roles_required(R.RESIDENT)
def new():
    form = _prepare(RequestForm(), current_user.village_id)
    return _post(form, current_user, "web", "requests/new.html")


@bp.get("/hulpvragen/<int:request_id>/verstuurd")
@roles_required(R.RESIDENT, *STAFF)
def confirmation(request_id: int):
    req = _load(request_id)
    page = render_template("requests/confirmation.html", req=req, when=service.when_text)
    audit.shown("request.viewed", subject=req.resident, detail=f"hulpvraag {req.id}, bevestiging")
    return page


@bp.get("/mijn-hulpvragen")
@roles_required(R.RESIDENT)
def mine():
    return render_template("requests/mine.html", requests=queries.own_requests(current_user.id),
                           when=service.when_text)


@bp.route("/hulpvragen/namens", methods=["GET", "POST"])
@roles_required(*STAFF)
def on_behalf_pick():
    """Find the resident who called, or record them first (many have no e-mail)."""
    text = request.args.get("zoek", "").strip()[:80]
    found = people.search_people(current_user.village_id, text, R.RESIDENT) if text else []
    if request.method == "GET" and text:
        audit.shown("people.searched", subjects=found, detail=f"zoek '{text}' (inwoners, hulpvraag namens)")
    form = NewResidentForm()
    if form.validate_on_submit():
        answer = run_once(form, lambda: people.create_person(
            village=current_user.village, first_name=form.first_name.data, last_name=form.last_name.data,
            phone=form.phone.data, street=form.street.data, house_number=form.house_number.data,
            postcode=form.postcode.data, by=current_user), "De inwoner is vastgelegd. Vul nu de hulpvraag in.",
            result_url=lambda person: url_for("requests.on_behalf", resident_id=person.id))
        if answer:
            return answer
    return (render_template("requests/on_behalf_pick.html", form=form, text=text, found=found),
            422 if form.errors or form.form_errors else 200)


@bp.route("/hulpvragen/namens/<int:resident_id>", methods=["GET", "POST"])
@roles_required(*STAFF)
def on_behalf(resident_id: int):
    resident = get_in_village_or_404(User, resident_id)
    if not resident.has_role(R.RESIDENT):
        abort(404)
    form = _prepare(OnBehalfForm(), resident.village_id)
    if request.method == "GET":
        audit.shown("request.form_opened", subject=resident, on_behalf_of=resident)
    join, first_time = _joining(form, resident)
    if first_time:
        # The coordinator learns the category is for members only: the page again, as typed,
        # with the form to join; nothing is checked or saved yet.
        return render_template("requests/on_behalf.html", form=form, resident=resident, join=join,
                               fee=members.settings_for(resident.village_id).yearly_fee)
    return _post(form, resident, form.channel.data or "phone", "requests/on_behalf.html", join=join)


@bp.get("/hulpvragen")
@roles_required(*STAFF)
def inbox():
    f = queries.InboxFilter.from_args(request.args)
    village_id = current_user.village_id
    head = queries.inbox_head(village_id)
    found = queries.inbox(village_id, f, head.counts)
    audit.shown("requests.listed", subjects=[r.resident_id for r in found.requests])
    return render_template("requests/inbox.html", found=found, requests=found.requests, f=f,
                           counts=head.counts, categories=head.categories,
                           waited_choices=queries.WAITED_CHOICES, status_labels=STATUS_LABELS)


def _undo(req: HelpRequest) -> dict | None:
    """The "Ongedaan maken" banner while a stop may still be taken back by this user."""
    until = service.undo_until(req)
    if until is None or not service.may_undo(req, current_user):
        return None
    told = ("Niemand kreeg een bericht over het stoppen, dus niemand hoeft opnieuw iets te horen."
            if _is_staff() else "De dorpsondersteuner ziet dat de hulpvraag weer open staat.")
    return {"action": url_for("requests.undo", request_id=req.id), "until": until, "told": told,
            "what": "De hulpvraag is gestopt." if _is_staff() else "Uw hulpvraag is ingetrokken."}


@bp.get("/hulpvragen/<int:request_id>")
@roles_required(R.RESIDENT, *STAFF)
def show(request_id: int):
    req = _load(request_id, _SHOW)
    if _is_staff():
        audit.shown("request.viewed", subject=req.resident, detail=f"hulpvraag {req.id}")
        allowed = service.allowed_actions(req)
        actions = [a for a in allowed if a in STEP_BUTTONS]
        return render_template("requests/show.html", req=req, when=service.when_text, actions=actions,
                               buttons=STEP_BUTTONS, can_refer="refer" in allowed, can_stop="cancel" in allowed,
                               note_form=NoteForm(), info_form=InfoForm(), event_label=service.event_label,
                               undo=_undo(req))
    return render_template("requests/show_resident.html", req=req, when=service.when_text,
                           info_form=InfoForm(), note_form=NoteForm(), event_label=service.event_label,
                           can_cancel=req.status in service.RESIDENT_CANCELLABLE, undo=_undo(req))


def _stop_page(req: HelpRequest, form: NoteForm, status: int = 200):
    minutes = int(service.UNDO_WINDOW.total_seconds() // 60) if service.UNDO_WINDOW else 0
    what = [f"De hulpvraag '{req.category.name}' van {req.resident.full_name} stopt: er wordt geen helper "
            "meer voor gezocht.",
            "Een helper met een open voorstel kan daarna geen ja meer zeggen."]
    told = [f"{req.resident.first_name} ziet op de eigen pagina dat de hulpvraag gestopt is. "
            "Er gaat geen mail of bericht uit; bel zelf als dat nodig is."]
    if req.status == "matched":
        # The helper's name is on the matching panel below the request (matching sits above requests).
        told.append("De helper had al ja gezegd en krijgt geen bericht: bel de helper zelf.")
    undo = (f"Vergist? Tot {minutes} minuten na het stoppen kunt u het ongedaan maken."
            if req.status != "matched" else
            "Dit kunt u niet ongedaan maken: de koppeling met de helper moet dan opnieuw.")
    confirm = {"title": "Hulpvraag stoppen", "caption": f"Hulpvraag {req.id}", "what": what, "told": told,
               "undo": undo, "button": "Hulpvraag stoppen",
               "action": url_for("requests.stop", request_id=req.id),
               "back": url_for("requests.show", request_id=req.id)}
    return render_template("core/confirm.html", confirm=confirm, form=form), status


@bp.route("/hulpvragen/<int:request_id>/stoppen", methods=["GET", "POST"])
@roles_required(*STAFF)
def stop(request_id: int):
    """Hulpvraag stoppen: a page that says what happens and who hears it; the POST does it."""
    req = _load(request_id)
    form = NoteForm()
    form.note.label.text = "Waarom stopt de hulpvraag? (niet verplicht)"
    if request.method == "GET":
        audit.shown("request.viewed", subject=req.resident, detail=f"hulpvraag {req.id}, stoppen")
        if "cancel" not in service.allowed_actions(req):
            flash(f"Deze hulpvraag kan niet meer stoppen: hij is '{req.status_label}'.", "info")
            return redirect(url_for("requests.show", request_id=req.id))
    if form.validate_on_submit() and run(form, lambda: service.stop(req, by=current_user, note=form.note.data or ""),
                                         "De hulpvraag is gestopt."):
        return redirect(url_for("requests.show", request_id=req.id))
    return _stop_page(req, form, 422 if form.errors or form.form_errors else 200)


@bp.post("/hulpvragen/<int:request_id>/ongedaan-maken")
@roles_required(R.RESIDENT, *STAFF)
def undo(request_id: int):
    req = _load(request_id)
    if Form().validate_on_submit() and run(None, lambda: service.undo_cancel(req, by=current_user)):
        flash(f"Ongedaan gemaakt: de hulpvraag is weer '{req.status_label}'.", "success")
    return redirect(url_for("requests.show", request_id=req.id))


@bp.post("/hulpvragen/<int:request_id>/stap/<action>")
@roles_required(*STAFF)
def step(request_id: int, action: str):
    req = _load(request_id)
    if action not in STEP_BUTTONS:
        abort(404)
    form = NoteForm()
    if form.validate_on_submit():
        run(None, lambda: service.apply_transition(req, action, by=current_user, note=form.note.data or ""),
            f"De hulpvraag is nu '{STATUS_LABELS[service.TRANSITIONS[action].target]}'.")
    else:
        flash(" ".join(form.note.errors) or "Dat ging niet goed; probeer het opnieuw.", "error")
    return redirect(url_for("requests.show", request_id=req.id))


@bp.route("/hulpvragen/<int:request_id>/doorverwijzen", methods=["GET", "POST"])
@roles_required(*STAFF)
def refer(request_id: int):
    req = _load(request_id)
    form = ReferForm()
    destinations = service.referral_destinations(req.village_id)
    if request.method == "GET":
        audit.shown("request.viewed", subject=req.resident, detail=f"hulpvraag {req.id}, doorverwijzen")
    form.referred_to.choices = choices([("", "– kies –")] + [(d.id, d.name) for d in destinations])
    if form.validate_on_submit() and run(form, lambda: service.refer(
            req, by=current_user, to=service.chosen_destination(req.village_id, form.referred_to.data),
            reason=form.referral_reason.data), "De hulpvraag is doorverwezen."):
        return redirect(url_for("requests.show", request_id=req.id))
    return render_template("requests/refer.html", req=req, form=form, destinations=destinations), \
        422 if form.errors or form.form_errors else 200


@bp.route("/hulpvragen/<int:request_id>/schijf-van-vijf", methods=["GET", "POST"])
@roles_required(*STAFF)
def five_questions(request_id: int):
    req = _load(request_id)
    form = FiveQuestionsForm()
    if request.method == "GET":
        audit.shown("role_split.viewed", subject=req.resident, detail=f"hulpvraag {req.id}")
        for line in req.five_questions:
            form[f"note_{line.question}"].data = line.note
            form[f"party_{line.question}"].data = line.party or ""
            form[f"not_needed_{line.question}"].data = line.not_needed
    if form.validate_on_submit() and run(form, lambda: intake.record_five_questions(req, five_questions_answers(form),
                                                                                by=current_user),
                                         "De Schijf van Vijf is opgeslagen."):
        return redirect(url_for("requests.show", request_id=req.id))
    return (render_template("requests/five_questions.html", req=req, form=form, questions=FIVE_QUESTIONS),
            422 if form.errors or form.form_errors else 200)


@bp.get("/hulpvragen/<int:request_id>/afspraken")
@roles_required(R.RESIDENT, *STAFF)
def five_questions_print(request_id: int):
    """The Schijf van Vijf on one page, to print for the kitchen table."""
    req = _load(request_id)
    page = render_template("requests/five_questions_print.html", req=req, when=service.when_text,
                           questions=FIVE_QUESTIONS, parties=PARTIES)
    audit.shown("request.printed", subject=req.resident, detail=f"hulpvraag {req.id}")
    return page


@bp.post("/hulpvragen/<int:request_id>/aanvullen")
@roles_required(R.RESIDENT, *STAFF)
def add_info(request_id: int):
    req = _load(request_id)
    form = InfoForm()
    if form.validate_on_submit():
        answer = run_once(form, lambda: service.add_information(req, by=current_user, text=form.text.data),
                          "Dank u wel, uw aanvulling is bewaard.",
                          result_url=lambda _: url_for("requests.show", request_id=req.id))
        if answer:
            return answer
    # Refused by the form or the service: the message goes with the page it came from.
    flash(" ".join(form.all_messages) or "Dat ging niet goed; probeer het opnieuw.", "error")
    return redirect(url_for("requests.show", request_id=req.id))


@bp.route("/hulpvragen/<int:request_id>/intrekken", methods=["GET", "POST"])
@roles_required(R.RESIDENT)
def withdraw(request_id: int):
    """Hulpvraag intrekken: the resident reads what happens first; the POST does it."""
    req = _load(request_id)
    form = NoteForm()
    form.note.label.text = "Waarom is de hulp niet meer nodig? (niet verplicht)"
    if request.method == "GET" and req.status not in service.RESIDENT_CANCELLABLE:
        flash(f"Deze hulpvraag kunt u niet meer zelf intrekken: hij is '{req.status_label}'.", "info")
        return redirect(url_for("requests.show", request_id=req.id))
    if form.validate_on_submit() and run(
            form, lambda: service.cancel_by_resident(req, by=current_user, note=form.note.data or ""),
            "Uw hulpvraag is ingetrokken."):
        return redirect(url_for("requests.show", request_id=req.id))
    minutes = int(service.UNDO_WINDOW.total_seconds() // 60) if service.UNDO_WINDOW else 0
    village = current_user.village
    confirm = {"title": "Hulpvraag intrekken", "caption": "Mijn hulpvraag",
               "what": [f"Uw hulpvraag '{req.category.name}' stopt. Er wordt niemand meer voor gezocht."],
               "told": ["De dorpsondersteuner ziet dat u de hulpvraag hebt ingetrokken. U krijgt geen mail."],
               "undo": f"Vergist? Tot {minutes} minuten na het intrekken kunt u het ongedaan maken. "
                       "Daarna belt u de dorpsondersteuner.",
               "calls": [("De dorpsondersteuner", village.coordinator_phone)] if village.coordinator_phone else [],
               "button": "Hulpvraag intrekken",
               "action": url_for("requests.withdraw", request_id=req.id),
               "back": url_for("requests.show", request_id=req.id)}
    return render_template("core/confirm.html", confirm=confirm, form=form), \
        422 if form.errors or form.form_errors else 200


def _coordinator_panel(user):
    return {"counts": queries.counts_per_status(user.village_id),
            "urgent": queries.most_urgent(user.village_id, 5)}


def _resident_panel(user):
    return {"mine": queries.open_own_requests(user.id, 3)}


registry.nav_link("Hulpvragen", "requests.inbox", R.COORDINATOR, order=10)
registry.nav_link("Hulp vragen", "requests.new", R.RESIDENT, order=10)
registry.nav_link("Mijn hulpvragen", "requests.mine", R.RESIDENT, order=11)
registry.home_panel("requests/panels/coordinator.html", R.COORDINATOR, order=10, context=_coordinator_panel)
registry.home_panel("requests/panels/resident.html", R.RESIDENT, order=10, context=_resident_panel)
