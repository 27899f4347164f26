"""Respite for the coordinator: week roster, carers, requests and booking volunteers.

The volunteer's and carer's own pages live in views_own.py, hours in views_hours.py; they add
their routes to the same blueprint (coop/respite/blueprint.py), and this module, which
create_app wires in, imports them.
"""
from __future__ import annotations

from datetime import date, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select, true

from coop.core import audit, dutch, registry
from coop.core import roles as R
from coop.core.clock import local_now
from coop.core.errors import DomainError
from coop.core.forms import Form, choices
from coop.core.guard import get_in_village_or_404, roles_required
from coop.core.models import User, UserRole
from coop.core.once import run_once
from coop.core.web import run
from coop.extensions import db
from coop.respite import carerqol, queries, service, views_hours, views_own  # noqa: F401 (their routes)
from coop.respite.blueprint import STAFF, bp
from coop.respite.clashes import week_start
from coop.respite.forms import CarerProfileForm, PickVolunteerForm
from coop.respite.models import SOFA, RespiteRequest, RespiteShift


def monday_from_args() -> date:
    try:
        return week_start(date.fromisoformat(request.args.get("week", "")))
    except ValueError:
        return week_start(local_now().date())


@bp.get("/respijt")
@roles_required(*STAFF)
def week():
    monday = monday_from_args()
    shifts = queries.week_shifts(current_user.village_id, monday)
    open_requests = queries.open_requests(current_user.village_id)
    page = render_template("respite/week.html", monday=monday, days=queries.by_day(shifts, monday),
                           clashes=queries.standing_clashes(shifts), prev=monday - timedelta(days=7),
                           next=monday + timedelta(days=7), open_requests=open_requests)
    audit.shown("roster.viewed", subjects=_people_of(shifts) + [r.carer_id for r, _ in open_requests],
                detail=f"week van {monday.isoformat()}")
    return page


def _people_of(shifts: list[RespiteShift]) -> list[int | None]:
    """Everyone a roster names: the volunteers, the carers and the people cared for."""
    return [person for s in shifts
            for person in (s.volunteer_id, s.respite_request.carer_id, s.respite_request.care_recipient_id)]


@bp.get("/respijt/rooster-afdrukken")
@roles_required(*STAFF)
def print_roster():
    """One page per volunteer: their shifts of the week, for those without a smartphone."""
    monday = monday_from_args()
    shifts = [s for s in queries.week_shifts(current_user.village_id, monday) if s.status == RespiteShift.BOOKED]
    per_volunteer: dict[int | None, list[RespiteShift]] = {}
    for shift in shifts:
        per_volunteer.setdefault(shift.volunteer_id, []).append(shift)
    wanted = request.args.get("vrijwilliger", type=int)
    pages = [(items[0].volunteer, items) for vid, items in per_volunteer.items() if wanted in (None, vid)]
    page = render_template("respite/print_roster.html", monday=monday, pages=pages,
                           profiles=service.profiles_for(s.respite_request.carer_id for s in shifts))
    audit.shown("roster.printed", subjects=_people_of([s for _, items in pages for s in items]),
                detail=f"week van {monday.isoformat()}")
    return page


@bp.get("/respijt/mantelzorgers")
@roles_required(*STAFF)
def carers():
    profiles = service.carers(current_user.village_id)
    with_profile = {p.user_id for p in profiles}
    without = db.session.scalars(select(User).where(
        User.village_id == current_user.village_id, User.id.not_in(with_profile) if with_profile else true(),
        User.id.in_(select(UserRole.user_id).where(UserRole.role == R.CARER))).order_by(User.last_name)).all()
    latest = carerqol.latest_for(p.user_id for p in profiles)
    page = render_template("respite/carers.html", profiles=profiles, without=without, latest=latest)
    audit.shown("carers.listed", subjects=[p.user_id for p in profiles] + [p.care_recipient_id for p in profiles]
                + list(without))
    return page


def _residents_choices(carer: User) -> list[tuple[int, str]]:
    people = db.session.scalars(select(User).where(
        User.village_id == carer.village_id, User.id != carer.id,
        User.id.in_(select(UserRole.user_id).where(UserRole.role == R.RESIDENT)))
        .order_by(User.last_name, User.first_name)).all()
    return [(0, "Kies een persoon")] + [(p.id, f"{p.full_name}, {p.address_line}") for p in people]


@bp.route("/respijt/mantelzorgers/<int:carer_id>", methods=["GET", "POST"])
@roles_required(*STAFF)
def carer(carer_id: int):
    person = get_in_village_or_404(User, carer_id)
    profile = service.profile_for(person)
    form = CarerProfileForm(obj=profile)
    form.care_recipient.choices = _residents_choices(person)
    if request.method == "GET":
        audit.shown("carer.viewed", subject=person, subjects=[profile.care_recipient_id] if profile else ())
        if profile:
            form.care_recipient.data = profile.care_recipient_id
    if form.validate_on_submit():
        def action():
            recipient = db.session.get(User, form.care_recipient.data)
            if recipient is None:
                raise DomainError("Kies de persoon voor wie gezorgd wordt.", "care_recipient")
            service.save_carer_profile(
                person, by=current_user, care_recipient=recipient,
                relationship_label=form.relationship_label.data or "", care_hours_week=form.care_hours_week.data,
                routines=form.routines.data or "", what_calms=form.what_calms.data or "",
                who_to_call=form.who_to_call.data or "", sofa_roles=form.sofa_roles.data or [],
                support_needs=form.support_needs.data or "")
        if run(form, action, "Het profiel is opgeslagen."):
            return redirect(url_for("respite.carer", carer_id=person.id))
    checkins = carerqol.history(person)
    return render_template("respite/carer.html", person=person, profile=profile, form=form, sofa=SOFA,
                           checkins=checkins, chart=carerqol.chart(checkins), dimensions=carerqol.DIMENSIONS,
                           answers=carerqol.ANSWERS, requests=queries.carer_requests(person)), \
        422 if form.errors else 200


def _request_page(req: RespiteRequest, form=None, result=None, status=200, log: bool = False):
    form = form or PickVolunteerForm(formdata=None)  # a fresh token: the page may book again
    has_open = any(s.status == RespiteShift.OPEN and not s.is_past for s in req.shifts)
    found = queries.candidates(req) if has_open else queries.Candidates([], [], True)
    form.volunteer.choices = _choices(found)
    page = render_template("respite/request.html", req=req, form=form, result=result, found=found,
                           has_open=has_open)
    if log:
        audit.shown("respite.viewed", subject=req.carer, detail=f"respijtvraag {req.id}",
                    subjects=[req.care_recipient_id] + [s.volunteer_id for s in req.shifts]
                    + [c.user.id for c in found.eligible])
    return page, status


def _choices(found: queries.Candidates):
    # Say in the list itself who fits none of the open times, so nobody picks them by mistake.
    return choices([(0, "Kies een vrijwilliger")] + [
        (c.user.id, c.user.full_name + (" (past nu niet)" if c.sample and not c.fits else "")) for c in found.eligible])


@bp.get("/respijt/aanvragen/<int:request_id>")
@roles_required(*STAFF)
def request_detail(request_id: int):
    return _request_page(get_in_village_or_404(RespiteRequest, request_id), log=True)


@bp.post("/respijt/aanvragen/<int:request_id>/boeken")
@roles_required(*STAFF)
def book(request_id: int):
    req = get_in_village_or_404(RespiteRequest, request_id)
    form = PickVolunteerForm()
    form.volunteer.choices = choices((u.id, "") for u in _village_volunteers())
    if form.validate_on_submit():
        volunteer = get_in_village_or_404(User, form.volunteer.data)
        # The first answer shows what was booked and what clashed; a repeat shows the request.
        answer = run_once(form, lambda: service.book_volunteer(req, volunteer, by=current_user),
                          result_url=lambda _: url_for("respite.request_detail", request_id=req.id),
                          respond=lambda result: _request_page(req, result=result))
        if answer:
            return answer
    return _request_page(req, form=form, status=422)


def _village_volunteers() -> list[User]:
    return list(db.session.scalars(select(User).where(
        User.village_id == current_user.village_id,
        User.id.in_(select(UserRole.user_id).where(UserRole.role == R.VOLUNTEER)))))


@bp.post("/respijt/keren/<int:shift_id>/vrijwilliger")
@roles_required(*STAFF)
def assign(shift_id: int):
    shift = get_in_village_or_404(RespiteShift, shift_id)
    form = PickVolunteerForm()
    form.volunteer.choices = choices((u.id, "") for u in _village_volunteers())
    if form.validate_on_submit():
        volunteer = get_in_village_or_404(User, form.volunteer.data)
        answer = run_once(form, lambda: service.assign_shift(shift, volunteer, by=current_user),
                          f"{volunteer.full_name} is ingeroosterd.",
                          result_url=lambda _: url_for("respite.request_detail", request_id=shift.request_id))
        if answer:
            return answer
    return _shift_page(shift, form, status=422)


def _shift_page(shift: RespiteShift, form=None, status=200, log: bool = False):
    sees_notes = current_user.has_role(*STAFF) or shift.volunteer_id == current_user.id
    form = form or PickVolunteerForm(formdata=None)
    found = None
    if current_user.has_role(*STAFF):
        found = queries.candidates(shift.respite_request, shift=shift)
        form.volunteer.choices = _choices(found)
    page = render_template("respite/shift.html", shift=shift, form=form, sees_notes=sees_notes, found=found,
                           profile=service.profile_for(shift.respite_request.carer) if sees_notes else None,
                           may_change=service.may_change(shift, current_user), undo=_undo(shift))
    if log:
        audit.shown("shift.viewed", subject=shift.respite_request.carer, detail=f"respijtkeer {shift.id}",
                    subjects=[shift.respite_request.care_recipient_id, shift.volunteer_id]
                    + [c.user.id for c in (found.eligible if found else [])])
    return page, status


@bp.get("/respijt/keren/<int:shift_id>")
@roles_required(R.COORDINATOR, R.ADMIN, R.VOLUNTEER, R.CARER)
def shift_detail(shift_id: int):
    shift = get_in_village_or_404(RespiteShift, shift_id)
    is_own_volunteer = shift.volunteer_id == current_user.id and shift.status == RespiteShift.BOOKED
    if not (current_user.has_role(*STAFF) or is_own_volunteer or shift.respite_request.carer_id == current_user.id):
        abort(404)
    return _shift_page(shift, log=True)


def _changeable(shift_id: int) -> RespiteShift:
    shift = get_in_village_or_404(RespiteShift, shift_id)
    if not service.may_change(shift, current_user):
        abort(404)  # another carer's booking: reveal nothing
    return shift


def _told(shifts: list[RespiteShift]) -> list[str]:
    """Who hears of a change to these shifts, and how (as notify._tell sends it)."""
    def how(user: User) -> str:
        return ("krijgt een bericht in coop en een mail" if user.email else
                "heeft geen e-mailadres: de dorpsondersteuner belt (het komt op de bellijst)")
    carer = shifts[0].respite_request.carer
    lines = [f"{'U zelf' if carer.id == current_user.id else carer.full_name} (mantelzorger) {how(carer)}."]
    volunteers = {s.volunteer_id: s.volunteer for s in shifts
                  if s.volunteer is not None and s.status == RespiteShift.BOOKED}
    for volunteer in volunteers.values():
        lines.append(f"{volunteer.full_name} (vrijwilliger) {how(volunteer)}.")
    if not volunteers:
        lines.append("Er was nog geen vrijwilliger ingeroosterd; die hoeft dus niets te horen.")
    return lines


def _confirm_cancel(shift: RespiteShift, rest: bool):
    shifts = service.rest_of(shift) if rest else [shift]
    if not shifts or shift.status == RespiteShift.CANCELLED or shift.is_past:
        flash("Deze keer is al afgezegd of voorbij; er valt niets af te zeggen.", "info")
        return redirect(url_for("respite.shift_detail", shift_id=shift.id))
    recipient = shift.respite_request.care_recipient.full_name
    minutes = int(service.UNDO_WINDOW.total_seconds() // 60) if service.UNDO_WINDOW else 0
    if rest:
        what = [f"Deze en alle volgende keren respijt bij {recipient} gaan niet door: {len(shifts)} keer, "
                f"de eerste op {dutch.span(shifts[0].starts_at, shifts[0].ends_at)}, "
                f"de laatste op {dutch.span(shifts[-1].starts_at, shifts[-1].ends_at)}."]
    else:
        what = [f"Het bezoek op {dutch.span(shift.starts_at, shift.ends_at)} bij {recipient} gaat niet door.",
                "Andere keren blijven zoals ze zijn." if shift.respite_request.series else ""]
    confirm = {"title": "Alle volgende bezoeken afzeggen" if rest else "Bezoek afzeggen",
               "caption": "Respijt", "what": [w for w in what if w], "told": _told(shifts),
               "undo": f"Vergist? Tot {minutes} minuten na het afzeggen kunt u het ongedaan maken; "
                       "dan hoort iedereen dat het toch doorgaat.",
               "button": "Alle volgende bezoeken afzeggen" if rest else "Bezoek afzeggen",
               "action": url_for("respite.cancel_rest" if rest else "respite.cancel", shift_id=shift.id),
               "back": url_for("respite.shift_detail", shift_id=shift.id)}
    audit.shown("shift.viewed", subject=shift.respite_request.carer, detail=f"respijtkeer {shift.id}, afzeggen",
                subjects=[shift.respite_request.care_recipient_id] + [s.volunteer_id for s in shifts])
    return render_template("core/confirm.html", confirm=confirm, form=None)


def _change(shift_id: int, fn, message: str):
    shift = _changeable(shift_id)
    if Form().validate_on_submit():
        run(None, lambda: fn(shift, by=current_user), message)
    # The shift's own page shows its new state at once, with "Ongedaan maken" for a while.
    return redirect(url_for("respite.shift_detail", shift_id=shift.id))


@bp.route("/respijt/keren/<int:shift_id>/afzeggen", methods=["GET", "POST"])
@roles_required(R.COORDINATOR, R.ADMIN, R.CARER)
def cancel(shift_id: int):
    """Bezoek afzeggen: a page that says what happens and who hears it; the POST does it."""
    if request.method == "GET":
        return _confirm_cancel(_changeable(shift_id), rest=False)
    return _change(shift_id, service.cancel_shift, "Het bezoek is afgezegd.")


@bp.route("/respijt/keren/<int:shift_id>/rest-afzeggen", methods=["GET", "POST"])
@roles_required(R.COORDINATOR, R.ADMIN, R.CARER)
def cancel_rest(shift_id: int):
    if request.method == "GET":
        return _confirm_cancel(_changeable(shift_id), rest=True)
    return _change(shift_id, service.cancel_rest, "Deze en alle volgende bezoeken zijn afgezegd.")


@bp.post("/respijt/keren/<int:shift_id>/afzeggen-ongedaan")
@roles_required(R.COORDINATOR, R.ADMIN, R.CARER)
def undo_cancel(shift_id: int):
    return _change(shift_id, service.undo_cancel, "Ongedaan gemaakt: het bezoek gaat toch door.")


@bp.post("/respijt/keren/<int:shift_id>/rest-afzeggen-ongedaan")
@roles_required(R.COORDINATOR, R.ADMIN, R.CARER)
def undo_cancel_rest(shift_id: int):
    return _change(shift_id, service.undo_cancel_rest, "Ongedaan gemaakt: de bezoeken gaan toch door.")


def _undo(shift: RespiteShift) -> dict | None:
    """The "Ongedaan maken" banner on a shift cancelled a moment ago, for who may change it."""
    until = service.undo_until(shift)
    if until is None or not service.may_change(shift, current_user):
        return None
    rest = service.undoable_rest(shift)
    told = "Wie hoorde dat het niet doorging, hoort dan dat het toch doorgaat."
    if len(rest) > 1:
        return {"action": url_for("respite.undo_cancel_rest", shift_id=shift.id), "until": until, "told": told,
                "what": f"{len(rest)} bezoeken vanaf deze keer zijn afgezegd."}
    return {"action": url_for("respite.undo_cancel", shift_id=shift.id), "until": until, "told": told,
            "what": "Dit bezoek is afgezegd."}


def _coordinator_panel(user):
    return {"flagged": carerqol.flagged_carers(user.village_id),
            "open_requests": queries.open_requests(user.village_id)}


registry.nav_link("Respijt", "respite.week", *STAFF, order=40)
registry.home_panel("respite/panels/coordinator.html", *STAFF, order=20, context=_coordinator_panel)
