"""Activities: the coordinator plans them, signs people up, records who came and prints the
list; a resident signs up from "Activiteiten" (with a lift if they like) and withdraws."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from coop.activities import notify, queries, service
from coop.activities.forms import ActivityForm, AttendanceForm, HelperForm, SignupForm
from coop.activities.models import SIGNED_UP, WAITING, Activity, Signup
from coop.core import audit, registry
from coop.core import roles as R
from coop.core.errors import DomainError
from coop.core.forms import choices
from coop.core.guard import get_in_village_or_404, roles_required
from coop.core.models import User, UserRole
from coop.core.once import run_once
from coop.core.web import run
from coop.extensions import db
from coop.people import service as people

bp = Blueprint("activities", __name__)
STAFF = (R.COORDINATOR, R.ADMIN)


def _status(form) -> int:
    return 422 if form.errors or form.form_errors else 200


def _activity(activity_id: int) -> Activity:
    return get_in_village_or_404(Activity, activity_id, queries.detail(activity_id))


# --- the coordinator -----------------------------------------------------------------------

@bp.get("/activiteiten")
@roles_required(*STAFF)
def index():
    coming, recent = queries.overview(current_user.village_id)
    return render_template("activities/index.html", coming=coming, recent=recent)


@bp.route("/activiteiten/nieuw", methods=["GET", "POST"])
@roles_required(*STAFF)
def new():
    form = ActivityForm()
    if form.validate_on_submit():
        answer = run_once(form, lambda: service.create(current_user.village_id, form.to_input(), by=current_user),
                          "De activiteit staat in de agenda.",
                          result_url=lambda activity: url_for("activities.show", activity_id=activity.id))
        if answer:
            return answer
    elif form.is_submitted() and form.errors:
        for problem in service.problems(form.to_input()):
            field = getattr(form, problem.field, None) if problem.field else None
            if field is not None and not field.errors:
                form.attach(problem)
    return render_template("activities/form.html", form=form, activity=None), _status(form)


@bp.route("/activiteiten/<int:activity_id>/wijzigen", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit(activity_id: int):
    activity = _activity(activity_id)
    form = ActivityForm(obj=activity)
    if form.validate_on_submit() and run(form, lambda: service.update(activity, form.to_input(), by=current_user),
                                         "De activiteit is bijgewerkt."):
        return redirect(url_for("activities.show", activity_id=activity.id))
    return render_template("activities/form.html", form=form, activity=activity), _status(form)


def _volunteers(village_id: int) -> list[User]:
    return list(db.session.scalars(select(User).where(
        User.village_id == village_id, User.active.is_(True),
        User.id.in_(select(UserRole.user_id).where(UserRole.role == R.VOLUNTEER)))
        .order_by(User.last_name, User.first_name)))


def _show(activity: Activity, helper_form: HelperForm | None = None, status: int = 200, log: bool = True):
    helper_form = helper_form or HelperForm(formdata=None)
    taken = {h.volunteer_id for h in activity.helpers}
    helper_form.helper.choices = choices([("", "Kies een vrijwilliger")] + [
        (u.id, u.full_name) for u in _volunteers(activity.village_id) if u.id not in taken])
    active = [s for s in activity.signups if s.is_active]
    page = render_template("activities/show.html", activity=activity, lifts=queries.lifts(active),
                           helper_form=helper_form, signed=activity.signed_up, waiting=activity.waiting)
    if log:  # a refused form shown again is not a new look (and writes nothing)
        audit.shown("activity.viewed", detail=f"activiteit {activity.id}",
                    subjects=[s.person_id for s in active] + [h.volunteer_id for h in activity.helpers])
    return page, status


@bp.get("/activiteiten/<int:activity_id>")
@roles_required(*STAFF)
def show(activity_id: int):
    return _show(_activity(activity_id))


@bp.post("/activiteiten/<int:activity_id>/helpers")
@roles_required(*STAFF)
def add_helper(activity_id: int):
    activity = _activity(activity_id)
    form = HelperForm()

    def action():
        if form.helper.data is None:
            raise DomainError("Kies een vrijwilliger uit de lijst.", "helper")
        volunteer = db.session.get(User, form.helper.data)
        if volunteer is None:
            raise DomainError("Kies een vrijwilliger uit de lijst.", "helper")
        return service.add_helper(activity, volunteer, by=current_user)
    if form.validate_on_submit() and run(form, action, "De vrijwilliger helpt mee en ziet het in de agenda."):
        return redirect(url_for("activities.show", activity_id=activity.id))
    return _show(activity, form, 422, log=False)


@bp.post("/activiteiten/<int:activity_id>/helpers/<int:volunteer_id>/weg")
@roles_required(*STAFF)
def remove_helper(activity_id: int, volunteer_id: int):
    activity = _activity(activity_id)
    run(None, lambda: service.remove_helper(activity, volunteer_id, by=current_user),
        "De vrijwilliger helpt niet meer mee.")
    return redirect(url_for("activities.show", activity_id=activity.id))


@bp.route("/activiteiten/<int:activity_id>/afzeggen", methods=["GET", "POST"])
@roles_required(*STAFF)
def cancel(activity_id: int):
    activity = _activity(activity_id)
    if request.method == "POST" and run(None, lambda: service.cancel(activity, by=current_user),
                                        "De activiteit gaat niet door; iedereen krijgt bericht."):
        return redirect(url_for("activities.show", activity_id=activity.id))
    active = [s for s in activity.signups if s.is_active]
    no_mail = [s.person.full_name for s in active if not s.person.email]
    told = [f"{len(active)} aangemelde mensen en wie op de wachtlijst staat krijgen bericht."]
    if no_mail:
        told.append("Zonder e-mailadres, dus op de bellijst: " + ", ".join(no_mail) + ".")
    lifts = sum(1 for s in active if s.lift_request_id)
    what = [f"{activity.title} op {notify.when(activity)} gaat niet door."]
    if lifts:
        what.append(f"De {lifts} aangevraagde lift(en) worden gestopt. Had een vrijwilliger al ja gezegd? Die "
                    "krijgt geen bericht: bel zelf (de naam staat bij de hulpvraag).")
    confirm = {"title": "Activiteit afzeggen", "caption": activity.title, "what": what, "told": told,
               "undo": "Dit kunt u niet ongedaan maken: plan de activiteit zo nodig opnieuw.",
               "button": "Activiteit afzeggen", "action": url_for("activities.cancel", activity_id=activity.id),
               "back": url_for("activities.show", activity_id=activity.id)}
    audit.shown("activity.viewed", detail=f"activiteit {activity.id}, afzeggen", subjects=[s.person_id for s in active])
    return render_template("core/confirm.html", confirm=confirm, form=None), 422 if request.method == "POST" else 200


@bp.get("/activiteiten/<int:activity_id>/aanmelden")
@roles_required(*STAFF)
def sign_up_pick(activity_id: int):
    """Find the resident who calls to sign up (as the coordinator finds people elsewhere)."""
    activity = _activity(activity_id)
    text = request.args.get("zoek", "").strip()[:80]
    found = people.search_people(current_user.village_id, text, R.RESIDENT, limit=50) if text else []
    if text:
        audit.shown("people.searched", subjects=found, detail=f"zoek '{text}' (inwoners, aanmelden activiteit)")
    return render_template("activities/pick.html", activity=activity, text=text, found=found)


def _sign_up(activity: Activity, person: User, form: SignupForm):
    def action():
        return service.sign_up(activity, person, by=current_user, wants_lift=bool(form.wants_lift.data),
                               dietary_note=form.dietary_note.data or "")

    def said(signup: Signup) -> str:
        who = "U bent" if person.id == current_user.id else f"{person.full_name} is"
        if signup.status == WAITING:
            who = "U staat" if person.id == current_user.id else f"{person.full_name} staat"
            return f"De activiteit is vol. {who} op de wachtlijst."
        return f"{who} aangemeld." + (" De lift is aangevraagd." if signup.lift_request_id else "")

    endpoint = "activities.mine_show" if person.id == current_user.id else "activities.show"

    def once():
        signup = action()
        flash(said(signup), "success")
        return signup
    return run_once(form, once, result_url=lambda _s: url_for(endpoint, activity_id=activity.id))


@bp.route("/activiteiten/<int:activity_id>/aanmelden/<int:person_id>", methods=["GET", "POST"])
@roles_required(*STAFF)
def sign_up_for(activity_id: int, person_id: int):
    activity = _activity(activity_id)
    person = get_in_village_or_404(User, person_id)
    if not person.has_role(R.RESIDENT):
        abort(404)
    form = SignupForm()
    if form.validate_on_submit():
        answer = _sign_up(activity, person, form)
        if answer:
            return answer
    if request.method == "GET":
        audit.shown("activity.form_opened", subject=person, on_behalf_of=person, detail=f"activiteit {activity.id}")
    return render_template("activities/sign_up_for.html", activity=activity, person=person, form=form), _status(form)


@bp.route("/activiteiten/<int:activity_id>/aanwezigheid", methods=["GET", "POST"])
@roles_required(*STAFF)
def attendance(activity_id: int):
    activity = _activity(activity_id)
    places = activity.signed_up
    form = AttendanceForm()
    form.present.choices = choices((s.id, s.person.full_name) for s in places)
    if request.method == "GET":
        form.present.data = [s.id for s in places if s.attended]
        audit.shown("activity.viewed", detail=f"activiteit {activity.id}, aanwezigheid",
                    subjects=[s.person_id for s in places])
    if form.validate_on_submit() and run(
            form, lambda: service.record_attendance(activity, set(form.present.data or []), by=current_user),
            "De aanwezigheid is opgeslagen."):
        return redirect(url_for("activities.show", activity_id=activity.id))
    return render_template("activities/attendance.html", activity=activity, form=form, places=places), _status(form)


@bp.get("/activiteiten/<int:activity_id>/afdrukken")
@roles_required(*STAFF)
def print_list(activity_id: int):
    activity = _activity(activity_id)
    places = activity.signed_up
    page = render_template("activities/print.html", activity=activity, places=places, waiting=activity.waiting,
                           lifts=queries.lifts(places))
    audit.shown("activity.printed", detail=f"activiteit {activity.id}",
                subjects=[s.person_id for s in places + activity.waiting])
    return page


# --- withdrawing: the resident themself, or the coordinator for them --------------------------

@bp.route("/activiteiten/aanmeldingen/<int:signup_id>/afmelden", methods=["GET", "POST"])
@roles_required(R.RESIDENT, *STAFF)
def withdraw(signup_id: int):
    signup = get_in_village_or_404(Signup, signup_id)
    staff = current_user.has_role(*STAFF)
    if not staff and signup.person_id != current_user.id:
        abort(404)
    activity = signup.activity
    back = url_for("activities.show" if staff else "activities.mine_show", activity_id=activity.id)
    if request.method == "POST":
        done = run(None, lambda: service.withdraw(signup, by=current_user), "De aanmelding is afgemeld.")
        if done:
            return redirect(back)
    elif staff:
        audit.shown("activity.viewed", subject=signup.person, detail=f"activiteit {activity.id}, afmelden")
    own = signup.person_id == current_user.id
    what = [f"{'U gaat' if own else signup.person.full_name + ' gaat'} niet mee naar "
            f"{activity.title} op {notify.when(activity)}."]
    if signup.lift_request_id:
        what.append("De lift wordt gestopt (de hulpvraag krijgt een notitie). Had een vrijwilliger al ja gezegd, "
                    "dan belt de dorpsondersteuner die.")
    told = ["Wie het eerst op de wachtlijst staat, krijgt de plaats en hoort dat meteen."] \
        if signup.status == SIGNED_UP and activity.waiting else ["Er gaat geen bericht uit."]
    confirm = {"title": "Afmelden", "caption": activity.title, "what": what, "told": told,
               "undo": "Bedacht? Meld u dan opnieuw aan; is het intussen vol, dan komt u op de wachtlijst.",
               "button": "Afmelden", "action": url_for("activities.withdraw", signup_id=signup.id), "back": back}
    return render_template("core/confirm.html", confirm=confirm, form=None), 422 if request.method == "POST" else 200


# --- the resident ----------------------------------------------------------------------------

@bp.get("/mijn-activiteiten")
@roles_required(R.RESIDENT)
def mine():
    return render_template("activities/mine.html", rows=queries.coming_for(current_user))


@bp.route("/mijn-activiteiten/<int:activity_id>", methods=["GET", "POST"])
@roles_required(R.RESIDENT)
def mine_show(activity_id: int):
    activity = get_in_village_or_404(Activity, activity_id)
    own = db.session.scalar(select(Signup).where(Signup.activity_id == activity.id,
                                                 Signup.person_id == current_user.id))
    form = SignupForm()
    if form.validate_on_submit():
        answer = _sign_up(activity, current_user, form)
        if answer:
            return answer
    lift = queries.lifts([own]).get(own.id) if own is not None and own.is_active else None
    return render_template("activities/mine_show.html", activity=activity, own=own, lift=lift, form=form,
                           places_left=activity.places_left), _status(form)


registry.nav_link("Activiteiten", "activities.index", R.COORDINATOR, order=30)
registry.nav_link("Activiteiten", "activities.mine", R.RESIDENT, order=12)
registry.home_panel("activities/panels/resident.html", R.RESIDENT, order=15)
