"""The phone circle's pages: the coordinator's circles (order, key holders, absences, the
morning's alerts, the print for the fridge) and the member's own page, phone first.

A member sees of the others only their name and phone number: never an address, an e-mail
address or the key holders (the caller hears that an alert went out, not to whom)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import Date, bindparam, func, select
from sqlalchemy.orm import selectinload

from coop.circles import service
from coop.circles.forms import (
    AbsenceForm,
    AddMemberForm,
    CircleDetailsForm,
    CircleForm,
    ConfirmForm,
    HandleForm,
    KeyHolderForm,
    ReportForm,
)
from coop.circles.models import CircleAbsence, CircleMember, CircleRound, MissedCall, PhoneCircle
from coop.core import audit, registry
from coop.core import roles as R
from coop.core.clock import local_now
from coop.core.forms import choices
from coop.core.guard import get_in_village_or_404, roles_required
from coop.core.models import User, UserRole
from coop.core.once import run_once
from coop.core.web import run
from coop.extensions import db

bp = Blueprint("circles", __name__)
STAFF = (R.COORDINATOR, R.ADMIN)


def _residents(village_id: int) -> list[User]:
    return list(db.session.scalars(
        select(User).where(User.village_id == village_id, User.erased_at.is_(None),
                           User.id.in_(select(UserRole.user_id).where(UserRole.role == R.RESIDENT)))
        .order_by(User.last_name, User.first_name)))


def _people(village_id: int) -> list[User]:
    return list(db.session.scalars(
        select(User).where(User.village_id == village_id, User.erased_at.is_(None))
        .order_by(User.last_name, User.first_name)))


def _circle(circle_id: int) -> PhoneCircle:
    return get_in_village_or_404(PhoneCircle, circle_id, options=[
        selectinload(PhoneCircle.members).selectinload(CircleMember.person),
        selectinload(PhoneCircle.members).selectinload(CircleMember.key_holder),
        selectinload(PhoneCircle.members).selectinload(CircleMember.absences)])


# --- the coordinator's pages --------------------------------------------------------------------

@bp.get("/telefooncirkels")
@roles_required(*STAFF)
def index():
    day = service.today()
    circles = service.circles_of_village(current_user.village_id)
    found = service.rounds_on(current_user.village_id, day)
    rounds = {c.id: found.get(c.id) for c in circles}
    return render_template("circles/index.html", circles=circles, rounds=rounds, day=day,
                           present={c.id: len(service.order_on(c, day)) for c in circles})


@bp.route("/telefooncirkels/nieuw", methods=["GET", "POST"])
@roles_required(*STAFF)
def new():
    form = CircleForm()
    residents = _residents(current_user.village_id)
    form.members.choices = choices((p.id, p.full_name) for p in residents)
    if form.validate_on_submit():
        picked = [db.session.get(User, i) for i in form.members.data or []]
        answer = run_once(form, lambda: service.create_circle(
            current_user.village, name=form.name.data or "", start_time=form.start_time.data,
            confirm_by=form.confirm_by.data, members=picked, by=current_user),
            "De telefooncirkel is gemaakt. Zet de deelnemers in de goede volgorde.",
            result_url=lambda circle: url_for("circles.show", circle_id=circle.id))
        if answer:
            return answer
    page = render_template("circles/new.html", form=form)
    if request.method == "GET":
        audit.shown("circle.form_viewed", subjects=residents)
    return page, 422 if form.errors or form.form_errors else 200


def _show(circle: PhoneCircle, *, details=None, add=None, report=None, confirm=None, failed=None,
          status: int = 200, log: bool = False):
    """The circle's page; a form that was sent and refused is shown as sent (`failed`: an
    alert's id and its form)."""
    day = service.today()
    members = sorted(circle.members, key=lambda m: m.position)
    in_circle = {m.person_id for m in members}
    details = details or CircleDetailsForm(formdata=None, obj=circle)
    add = add or AddMemberForm(formdata=None)
    add.person.choices = choices([(None, "Kies een inwoner")] + [
        (p.id, p.full_name) for p in _residents(circle.village_id) if p.id not in in_circle])
    present = service.order_on(circle, day)
    report = report or ReportForm(formdata=None)
    report.member.choices = choices([(None, "Kies een deelnemer")] + [(m.id, m.person.full_name) for m in present])
    report.caller.choices = choices([(None, "Weet ik niet / niet nodig")] + [(m.person_id, m.person.full_name)
                                                                             for m in present])
    confirm = confirm or ConfirmForm(formdata=None)
    confirm.for_member.choices = choices([(None, "Niet nodig")] + [(m.person_id, m.person.full_name)
                                                                  for m in present])
    rnd = service.round_of(circle, day)
    open_alerts = [a for a in service.open_alerts(circle.village_id) if a.round.circle_id == circle.id]
    page = render_template(
        "circles/show.html", circle=circle, members=members, day=day, calls=service.calls_on(circle, day),
        rnd=rnd, details=details, add=add, report=report, confirm=confirm, open_alerts=open_alerts,
        handle_forms={a.id: failed[1] if failed and failed[0] == a.id else
                      HandleForm(formdata=None, prefix=f"melding-{a.id}") for a in open_alerts},
        late=rnd is not None and rnd.late_alerted_at is not None and rnd.confirmed_at is None)
    if log:
        audit.shown("circle.viewed", subjects=[m.person_id for m in members] + [m.key_holder_id for m in members],
                    detail=f"telefooncirkel {circle.id}")
    return page, status


@bp.route("/telefooncirkels/<int:circle_id>", methods=["GET", "POST"])
@roles_required(*STAFF)
def show(circle_id: int):
    circle = _circle(circle_id)
    form = CircleDetailsForm()
    if form.validate_on_submit() and run(form, lambda: service.change_times(
            circle, name=form.name.data or "", start_time=form.start_time.data, confirm_by=form.confirm_by.data,
            by=current_user), "Opgeslagen."):
        return redirect(url_for("circles.show", circle_id=circle.id))
    if form.is_submitted():
        return _show(circle, details=form, status=422)
    return _show(circle, log=True)


@bp.post("/telefooncirkels/<int:circle_id>/deelnemers")
@roles_required(*STAFF)
def add_member(circle_id: int):
    circle = _circle(circle_id)
    form = AddMemberForm()
    form.person.choices = choices((p.id, p.full_name) for p in _residents(circle.village_id))
    if form.validate_on_submit():
        person = db.session.get(User, form.person.data)
        answer = run_once(form, lambda: service.add_member(circle, person, by=current_user),
                          "De deelnemer staat achteraan in de volgorde.",
                          result_url=lambda member: url_for("circles.member", member_id=member.id))
        if answer:
            return answer
    return _show(circle, add=form, status=422)


@bp.post("/telefooncirkels/deelnemers/<int:member_id>/<any(omhoog, omlaag):direction>")
@roles_required(*STAFF)
def move(member_id: int, direction: str):
    member = get_in_village_or_404(CircleMember, member_id)
    run(None, lambda: service.move(member, "up" if direction == "omhoog" else "down", by=current_user))
    return redirect(url_for("circles.show", circle_id=member.circle_id) + f"#deelnemer-{member.id}")


@bp.post("/telefooncirkels/deelnemers/<int:member_id>/verwijderen")
@roles_required(*STAFF)
def remove_member(member_id: int):
    member = get_in_village_or_404(CircleMember, member_id)
    circle_id = member.circle_id
    run(None, lambda: service.remove_member(member, by=current_user), "De deelnemer is uit de cirkel gehaald.")
    return redirect(url_for("circles.show", circle_id=circle_id))


def _member_page(member: CircleMember, key_form=None, absence_form=None, status: int = 200, log: bool = False):
    key_form = key_form or KeyHolderForm(formdata=None, prefix="sleutel",
                                         data={"key_holder": member.key_holder_id,
                                               "relation": member.key_holder_relation})
    key_form.key_holder.choices = choices([(None, "Niemand gekozen")] + [
        (p.id, f"{p.full_name}" + (f", {p.address_line}" if p.address_line else ""))
        for p in _people(member.village_id) if p.id != member.person_id])
    absence_form = absence_form or AbsenceForm(formdata=None, prefix="afwezig")
    page = render_template("circles/member.html", member=member, circle=member.circle, key_form=key_form,
                           absence_form=absence_form, today=service.today())
    if log:
        audit.shown("circle.member_viewed", subject=member.person, subjects=[member.key_holder_id],
                    detail=f"telefooncirkel {member.circle_id}")
    return page, status


@bp.get("/telefooncirkels/deelnemers/<int:member_id>")
@roles_required(*STAFF)
def member(member_id: int):
    return _member_page(get_in_village_or_404(CircleMember, member_id), log=True)


@bp.post("/telefooncirkels/deelnemers/<int:member_id>/sleutelhouder")
@roles_required(*STAFF)
def key_holder(member_id: int):
    member = get_in_village_or_404(CircleMember, member_id)
    form = KeyHolderForm(prefix="sleutel")
    form.key_holder.choices = choices([(None, "")] + [(p.id, "") for p in _people(member.village_id)])
    if form.validate_on_submit():
        chosen = get_in_village_or_404(User, form.key_holder.data) if form.key_holder.data else None
        if run(form, lambda: service.set_key_holder(
                member, key_holder=chosen, relation=form.relation.data or "", by=current_user,
                new_first_name=form.new_first_name.data or "", new_last_name=form.new_last_name.data or "",
                new_phone=form.new_phone.data or "", new_email=form.new_email.data or ""),
               "De sleutelhouder is opgeslagen."):
            return redirect(url_for("circles.member", member_id=member.id))
    return _member_page(member, key_form=form, status=422)


@bp.post("/telefooncirkels/deelnemers/<int:member_id>/afwezig")
@roles_required(*STAFF)
def add_absence(member_id: int):
    member = get_in_village_or_404(CircleMember, member_id)
    form = AbsenceForm(prefix="afwezig")
    if form.validate_on_submit():
        answer = run_once(form, lambda: service.add_absence(
            member, starts_on=form.starts_on.data, ends_on=form.ends_on.data, reason=form.reason.data or "",
            by=current_user), "De afwezigheid is opgeslagen: de cirkel slaat deze deelnemer dan over.",
            result_url=lambda _: url_for("circles.member", member_id=member.id))
        if answer:
            return answer
    return _member_page(member, absence_form=form, status=422)


@bp.post("/telefooncirkels/afwezigheid/<int:absence_id>/verwijderen")
@roles_required(*STAFF)
def remove_absence(absence_id: int):
    absence = get_in_village_or_404(CircleAbsence, absence_id)
    member_id = absence.member_id
    run(None, lambda: service.remove_absence(absence, by=current_user), "De afwezigheid is verwijderd.")
    return redirect(url_for("circles.member", member_id=member_id))


@bp.post("/telefooncirkels/<int:circle_id>/geen-gehoor")
@roles_required(*STAFF)
def report_for(circle_id: int):
    circle = _circle(circle_id)
    form = ReportForm()
    form.member.choices = choices((m.id, "") for m in circle.members)
    form.caller.choices = choices([(None, "")] + [(m.person_id, "") for m in circle.members])
    if form.validate_on_submit():
        missed = next(m for m in circle.members if m.id == form.member.data)
        caller = db.session.get(User, form.caller.data) if form.caller.data else None
        if run(form, lambda: service.report_missed(circle, missed, by=current_user, caller=caller),
               "Gemeld: de sleutelhouder en de dorpsondersteuners zijn gewaarschuwd."):
            return redirect(url_for("circles.show", circle_id=circle.id))
    return _show(circle, report=form, status=422)


@bp.post("/telefooncirkels/<int:circle_id>/rond")
@roles_required(*STAFF)
def confirm_for(circle_id: int):
    circle = _circle(circle_id)
    form = ConfirmForm()
    form.for_member.choices = choices([(None, "")] + [(m.person_id, "") for m in circle.members])
    if form.validate_on_submit():
        who = db.session.get(User, form.for_member.data) if form.for_member.data else None
        if run(form, lambda: service.confirm_round(circle, by=current_user, for_member=who),
               "De ronde van vandaag is rond."):
            return redirect(url_for("circles.show", circle_id=circle.id))
    return _show(circle, confirm=form, status=422)


@bp.post("/telefooncirkels/meldingen/<int:missed_id>/afgehandeld")
@roles_required(*STAFF)
def handle(missed_id: int):
    row = get_in_village_or_404(MissedCall, missed_id)
    form = HandleForm(prefix=f"melding-{row.id}")
    if form.validate_on_submit() and run(form, lambda: service.handle_missed(row, by=current_user,
                                                                             note=form.note.data or ""),
                                         "Afgehandeld."):
        return redirect(url_for("circles.show", circle_id=row.round.circle_id))
    return _show(_circle(row.round.circle_id), failed=(row.id, form), status=422)


@bp.get("/telefooncirkels/<int:circle_id>/afdrukken")
@roles_required(*STAFF)
def print_order(circle_id: int):
    """The order for the fridge: one page per member, in large type."""
    circle = _circle(circle_id)
    day = service.today()
    calls = service.calls_on(circle, day)
    page = render_template("circles/print.html", circle=circle, calls=calls, day=day,
                           away=[m for m in circle.members if m.absent_on(day)])
    audit.shown("circle.printed", subjects=[m.person_id for m in circle.members],
                detail=f"telefooncirkel {circle.id}")
    return page


# --- the member's own page ------------------------------------------------------------------------

def _own_circle(circle_id: int) -> tuple[PhoneCircle, CircleMember]:
    """A circle the current user is a member of; any other answers 404 (it reveals nothing)."""
    circle = _circle(circle_id)
    me = service.member_of(circle, current_user)
    if me is None:
        abort(404)
    return circle, me


@bp.get("/mijn-telefooncirkel")
@roles_required(R.RESIDENT)
def mine():
    day = service.today()
    circles = service.circles_of_person(current_user)
    views = []
    for circle in circles:
        me = service.member_of(circle, current_user)
        assert me is not None
        calls = service.calls_on(circle, day)
        rnd = service.round_of(circle, day)
        reported = {m.member_id for m in rnd.missed} if rnd else set()
        my_call = next((c for c in calls if c.member.id == me.id), None)
        # Whom the member phones now: past those already reported, as the round goes on.
        skipped: list[CircleMember] = []
        to_call = my_call.to if my_call else None
        while to_call is not None and to_call.id in reported and to_call.id != me.id and len(skipped) < len(calls):
            skipped.append(to_call)
            to_call = service.next_after(circle, to_call, day)
        views.append({
            "circle": circle, "me": me, "calls": calls, "away_today": me.absent_on(day),
            "to_call": to_call if to_call is not None and to_call.id != me.id else None, "skipped": skipped,
            "reported": reported,
            "confirmed": rnd is not None and rnd.confirmed_at is not None,
            "may_confirm": service.may_confirm(circle, current_user, day)})
    page = render_template("circles/mine.html", views=views, day=day,
                           coordinator_phone=current_user.village.coordinator_phone)
    audit.shown("circle.viewed", subjects=[m.person_id for c in circles for m in c.members],
                detail="mijn telefooncirkel")
    return page


@bp.post("/mijn-telefooncirkel/<int:circle_id>/geen-gehoor/<int:member_id>")
@roles_required(R.RESIDENT)
def report(circle_id: int, member_id: int):
    circle, _me = _own_circle(circle_id)
    missed = next((m for m in circle.members if m.id == member_id), None)
    if missed is None:
        abort(404)
    done = run(None, lambda: service.report_missed(circle, missed, by=current_user))
    if done:
        after = service.next_after(circle, missed, service.today())
        who = f" Bel nu {after.person.full_name}." if after is not None and after.person_id != current_user.id \
            else ""
        flash(f"Dank u. De sleutelhouder van {missed.person.first_name} en de dorpsondersteuner zijn "
              f"gewaarschuwd.{who}", "success")
    return redirect(url_for("circles.mine") + f"#cirkel-{circle.id}")


@bp.post("/mijn-telefooncirkel/<int:circle_id>/rond")
@roles_required(R.RESIDENT)
def confirm(circle_id: int):
    circle, _me = _own_circle(circle_id)
    run(None, lambda: service.confirm_round(circle, by=current_user),
        "Dank u. De ronde van vandaag is rond: iedereen is gebeld.")
    return redirect(url_for("circles.mine") + f"#cirkel-{circle.id}")


# --- on the home page -------------------------------------------------------------------------------

def _open_alerts_of_user():
    """How many alerts of the phone circle wait for the user's village (missed calls not closed,
    rounds of today late and unconfirmed): read with the login, so the coordinator's home page
    asks the database again only when there are some."""
    missed = (select(func.count(MissedCall.id))
              .where(MissedCall.village_id == User.village_id, MissedCall.handled_at.is_(None)).scalar_subquery())
    late = (select(func.count(CircleRound.id))
            .where(CircleRound.village_id == User.village_id,
                   CircleRound.day == bindparam("circle_today", type_=Date),
                   CircleRound.late_alerted_at.is_not(None), CircleRound.confirmed_at.is_(None)).scalar_subquery())
    return missed + late


def _member_of_user():
    return select(func.count(CircleMember.id)).where(CircleMember.person_id == User.id).scalar_subquery()


registry.read_with_login("circle_alerts", _open_alerts_of_user, lambda: {"circle_today": service.today()})
registry.read_with_login("circle_memberships", _member_of_user)


def _coordinator_panel(user: User) -> dict:
    count = registry.login_figure("circle_alerts")
    if count == 0:
        return {"alerts": [], "late": []}
    alerts = service.open_alerts(user.village_id)
    late = service.late_rounds(user.village_id, local_now().date())
    return {"alerts": alerts, "late": late}


def _member_panel(user: User) -> dict:
    count = registry.login_figure("circle_memberships")
    return {"member": bool(count) if count is not None else bool(service.circles_of_person(user))}


registry.nav_link("Telefooncirkels", "circles.index", *STAFF, order=40)
registry.home_panel("circles/panel_alerts.html", R.COORDINATOR, order=5, context=_coordinator_panel)
registry.home_panel("circles/panel_member.html", R.RESIDENT, order=6, context=_member_panel)
