"""Own pages: "Mijn rooster" and the calendar feed for volunteers; "Mijn respijt", asking for
respite and "Hoe gaat het met u?" for carers (the coordinator can do the last two for them)."""
from __future__ import annotations

from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from coop.core import audit, dutch, registry
from coop.core import roles as R
from coop.core.clock import local_now
from coop.core.forms import Form
from coop.core.guard import get_in_village_or_404, public, roles_required
from coop.core.models import User
from coop.core.once import run_once
from coop.core.web import run
from coop.extensions import db
from coop.people.models import HoursEntry
from coop.respite import calendar, carerqol, notify, queries, recurrence, service
from coop.respite.blueprint import STAFF, bp
from coop.respite.carerqol import DIMENSIONS
from coop.respite.forms import CarerNotesForm, CarerQolForm, RespiteRequestForm


def _month() -> date:
    """The month asked for as ?maand=2026-04; this month when absent or not a sensible month."""
    try:
        year, month = (int(p) for p in request.args.get("maand", "").split("-"))
        first = date(year, month, 1)
    except ValueError:
        first = None
    today = local_now().date()
    if first is None or abs(first.year - today.year) > 10:
        return today.replace(day=1)
    return first


def _roster(form: Form, feed_url: str | None = None):
    """Mijn rooster, one month at a time: everything booked in it, past days included."""
    first = _month()
    shifts = queries.volunteer_month(current_user, first)
    after = queries.next_month(first)
    following = queries.volunteer_next_after(current_user, queries.local_midnight(after))
    profiles = service.profiles_for(s.respite_request.carer_id for s in shifts)
    page = render_template("respite/my_roster.html", shifts=shifts, profiles=profiles, form=form,
                           first=first, previous=queries.previous_month(first), after=after,
                           following=following, this_month=local_now().date().replace(day=1),
                           feed=calendar.active_feed(current_user), feed_url=feed_url,
                           webcal_url=calendar.webcal(feed_url) if feed_url else None,
                           inbox=notify.inbox(current_user))
    shown = shifts + ([following] if following else [])
    audit.shown("roster.viewed",
                subjects=[p for s in shown for p in (s.respite_request.carer_id, s.respite_request.care_recipient_id)],
                detail=f"mijn rooster, {first:%Y-%m}")
    return page


@bp.get("/mijn-rooster")
@roles_required(R.VOLUNTEER)
def my_roster():
    return _roster(Form())


@bp.post("/mijn-rooster/agenda")
@roles_required(R.VOLUNTEER)
def feed_create():
    form = Form()
    if not form.validate_on_submit():
        abort(400)
    token = calendar.create_feed(current_user)
    return _roster(form, url_for("respite.feed", token=token, _external=True))


@bp.post("/mijn-rooster/agenda/intrekken")
@roles_required(R.VOLUNTEER)
def feed_revoke():
    if Form().validate_on_submit():
        run(None, lambda: calendar.revoke(current_user), "De agenda-link werkt niet meer.")
    return redirect(url_for("respite.my_roster"))


@bp.get("/agenda/<token>.ics")
@public
def feed(token: str):
    """The secret feed a phone calendar subscribes to. Wrong or revoked: 404, nothing more."""
    user = calendar.user_for_token(token)
    if user is None:
        abort(404)
    body = calendar.build_ics(user)
    calendar.log_fetch(user)
    return Response(body, mimetype="text/calendar",
                    headers={"Cache-Control": "private, max-age=300", "X-Robots-Tag": "noindex"})


@bp.get("/mijn-respijt")
@roles_required(R.CARER)
def my_respite():
    return render_template("respite/my_respite.html", profile=service.profile_for(current_user),
                           requests=queries.carer_requests(current_user), form=Form(),
                           inbox=notify.inbox(current_user), latest=carerqol.latest(current_user))


@bp.route("/mijn-respijt/wat-te-weten", methods=["GET", "POST"])
@roles_required(R.CARER)
def my_notes():
    """The carer writes what a volunteer must know about the person they care for."""
    profile = service.profile_for(current_user)
    if profile is None:
        return redirect(url_for("respite.my_respite"))
    form = CarerNotesForm(obj=profile)
    if form.validate_on_submit() and run(form, lambda: service.save_carer_notes(
            current_user, by=current_user, routines=form.routines.data or "",
            what_calms=form.what_calms.data or "", who_to_call=form.who_to_call.data or ""),
            "Dank u wel. De vrijwilliger leest dit voor de volgende keer."):
        return redirect(url_for("respite.my_respite"))
    return render_template("respite/my_notes.html", form=form, profile=profile), 422 if form.errors else 200


def _ask(carer: User, done_endpoint: str, **done_args):
    form = RespiteRequestForm()
    if request.method == "GET":
        audit.shown("respite.form_opened", subject=carer, on_behalf_of=carer)
    if request.method == "POST" and "meer_datums" in request.form:
        # "Nog een datum": the same form again with one more empty date row, nothing sent.
        form.add_exception_row()
        return render_template("respite/ask.html", form=form, carer=carer, cap=recurrence.MAX_OCCURRENCES)
    if form.validate_on_submit():
        def action():
            result = service.request_respite(
                carer, by=current_user, first_date=form.first_date.data, start_time=form.start_time.data,
                end_time=form.end_time.data, freq=None if form.freq.data == "once" else form.freq.data,
                until=form.until.data, exceptions=form.exception_dates, with_care=form.with_care.data == "1",
                notes=form.notes.data or "")
            flash(_booked_message(result, carer), "success")
            return result
        answer = run_once(form, action, result_url=lambda _: url_for(done_endpoint, **done_args))
        if answer:
            return answer
    return render_template("respite/ask.html", form=form, carer=carer, cap=recurrence.MAX_OCCURRENCES), \
        422 if form.errors or form.form_errors else 200


def _booked_message(result: service.RequestResult, carer: User) -> str:
    """What was asked, said to whoever typed it: the carer, or the coordinator for them."""
    n = len(result.expansion.occurrences)
    times = f"{n} {'keer' if n == 1 else 'keren'}"
    if carer.id == current_user.id:
        text = f"Uw vraag is doorgegeven: {times}. De dorpsondersteuner zoekt een vrijwilliger."
    else:
        text = f"De respijtvraag van {carer.full_name} is doorgegeven: {times}. Zoek nu een vrijwilliger."
    if result.expansion.capped:
        text += (f" Let op: we plannen tot en met {dutch.short_date(result.expansion.until)} (hoogstens "
                 f"{recurrence.MAX_OCCURRENCES} keer of een jaar); daarna kunt u opnieuw vragen.")
    if result.expansion.skipped:
        text += " Op " + ", ".join(dutch.short_date(d) for d in result.expansion.skipped) + \
                " bestaat die tijd niet door de zomertijd; die keer is overgeslagen."
    return text


@bp.route("/mijn-respijt/aanvragen", methods=["GET", "POST"])
@roles_required(R.CARER)
def ask():
    return _ask(current_user, "respite.my_respite")


@bp.route("/respijt/mantelzorgers/<int:carer_id>/aanvragen", methods=["GET", "POST"])
@roles_required(*STAFF)
def ask_for(carer_id: int):
    carer = get_in_village_or_404(User, carer_id)
    return _ask(carer, "respite.carer", carer_id=carer.id)


def _checkin(carer: User, done_url: str):
    form = CarerQolForm()
    if form.validate_on_submit():
        answers = {name: int(getattr(form, name).data) for name, _, _ in DIMENSIONS}
        answer = run_once(form, lambda: carerqol.submit(carer, by=current_user, answers=answers,
                                                        vas=int(form.vas.data)),
                          "Dank u wel. Uw antwoorden zijn bewaard." if carer.id == current_user.id
                          else f"De antwoorden van {carer.full_name} zijn bewaard.", result_url=lambda _: done_url)
        if answer:
            return answer
    checkins = carerqol.history(carer)
    page = render_template("respite/carerqol.html", form=form, carer=carer, dimensions=DIMENSIONS,
                           checkins=checkins, chart=carerqol.chart(checkins), answers=carerqol.ANSWERS)
    if request.method == "GET":
        audit.shown("carerqol.viewed", subject=carer, on_behalf_of=carer)
    return page, 422 if form.errors or form.form_errors else 200


@bp.route("/hoe-gaat-het", methods=["GET", "POST"])
@roles_required(R.CARER)
def checkin():
    return _checkin(current_user, url_for("respite.my_respite"))


@bp.route("/respijt/mantelzorgers/<int:carer_id>/carerqol", methods=["GET", "POST"])
@roles_required(*STAFF)
def checkin_for(carer_id: int):
    carer = get_in_village_or_404(User, carer_id)
    return _checkin(carer, url_for("respite.carer", carer_id=carer.id))


def _hours_panel(user: User) -> dict:
    """The volunteer's hours still to confirm, oldest first (written when a shift or a helped
    request is done), so the home page asks for them before the month's statement."""
    waiting = db.session.scalars(select(HoursEntry).where(
        HoursEntry.helper_id == user.id, HoursEntry.status == HoursEntry.DRAFT)
        .order_by(HoursEntry.worked_on, HoursEntry.id)).all()
    return {"waiting": waiting}


registry.nav_link("Mijn rooster", "respite.my_roster", R.VOLUNTEER, order=20)
registry.nav_link("Mijn respijt", "respite.my_respite", R.CARER, order=20)
registry.nav_link("Hoe gaat het met u?", "respite.checkin", R.CARER, order=21)
registry.home_panel("respite/panels/volunteer.html", R.VOLUNTEER, order=15,
                    context=lambda user: {"shifts": queries.volunteer_upcoming(user, days=14)})
registry.home_panel("respite/panels/hours.html", R.VOLUNTEER, order=12, context=_hours_panel)
registry.home_panel("respite/panels/carer.html", R.CARER, order=15,
                    context=lambda user: {"latest": carerqol.latest(user)})
