"""The pages of the two-step login (coop/auth/two_step.py): the code after the password, setting
it up on one's own account, and the admin clearing it for a lost phone."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user

from coop.auth import devices, two_step
from coop.auth.blueprint import bp, log_in, password_again_or_fresh_login
from coop.auth.forms import TwoStepCodeForm
from coop.core import roles as R
from coop.core.clock import now
from coop.core.errors import DomainError
from coop.core.forms import Form
from coop.core.guard import ANY_USER, get_in_village_or_404, public, roles_required
from coop.core.models import User
from coop.core.transaction import reads_first, write_phase
from coop.core.web import client_ip, run, safe_next
from coop.extensions import db

PENDING = "two_step_pending"  # in Flask's session between the password and the code
# What staff may open before they have set it up.
BEFORE_SETUP = {"auth.two_step_setup", "auth.two_step_begin", "auth.two_step_confirm", "auth.logout",
                "auth.confirm_password", "core.privacy", "static"}


def to_second_step(user: User, email: str):
    """After the right password of a user with two-step login: ask the code before logging in."""
    target = request.args.get("next")
    session.clear()
    session[PENDING] = {"user": user.id, "version": user.session_version, "at": now().timestamp(), "next": target}
    response = redirect(url_for("auth.two_step_code"))
    devices.remember(response, email)
    return response


def _pending_user() -> User | None:
    pending = session.get(PENDING) or {}
    if not pending or now().timestamp() - float(pending.get("at", 0)) > two_step.PENDING_MINUTES * 60:
        return None
    user = db.session.get(User, int(pending["user"]))
    if user is None or not user.active or user.session_version != pending.get("version"):
        return None
    return user


@bp.route("/inloggen/code", methods=["GET", "POST"])
@public
@reads_first
def two_step_code():
    user = _pending_user()
    if user is None:
        session.pop(PENDING, None)
        flash("Log opnieuw in: de tijd om de code te typen is voorbij.", "info")
        return redirect(url_for("auth.login"))
    recovery = request.args.get("herstelcode") == "1"
    form = TwoStepCodeForm(recovery=recovery)
    if form.validate_on_submit():
        write_phase()
        try:
            used = two_step.check_code(user, form.code.data or "", client_ip())
        except DomainError as err:
            form.attach(err)  # not run(): the wrong try counts towards the wait, and stays
        else:
            target = (session.get(PENDING) or {}).get("next")
            log_in(user)
            if used == "recovery":
                flash(f"U bent ingelogd met een herstelcode. U heeft er nog {two_step.recovery_codes_left(user)}. "
                      "Koppel uw app opnieuw als u uw telefoon kwijt bent.", "info")
            return redirect(safe_next(target, url_for("core.home")))
    return render_template("auth/two_step_code.html", form=form, recovery=recovery), 422 if form.errors else 200


@bp.before_app_request
def set_up_first():
    """Staff set up two-step login before anything else, when TWO_STEP_FOR_STAFF is on."""
    if not current_app.config["TWO_STEP_FOR_STAFF"] or request.endpoint in BEFORE_SETUP or request.endpoint is None:
        return None
    if current_user.is_authenticated and two_step.required(current_user) and not two_step.enabled(current_user):
        flash("Stel eerst de tweestapsverificatie in. Dat is verplicht voor medewerkers, omdat u gegevens "
              "van inwoners ziet.", "info")
        return redirect(url_for("auth.two_step_setup"))
    return None


@bp.get("/mijn-gegevens/tweestaps")
@roles_required(ANY_USER)
@password_again_or_fresh_login
def two_step_setup():
    user = current_user._get_current_object()
    if two_step.enabled(user):
        return render_template("auth/two_step_on.html", left=two_step.recovery_codes_left(user),
                               required=two_step.required(user), form=Form())
    return _setup_page(user, TwoStepCodeForm(), two_step.pending_secret(user))


def _setup_page(user: User, form: TwoStepCodeForm, secret: str | None):
    """The QR code and the secret being set up (None: the button to begin), and the code field."""
    return render_template("auth/two_step_setup.html", form=form, secret=secret,
                           spaced=two_step.spaced(secret) if secret else None,
                           qr=two_step.qr_svg(two_step.setup_uri(user, secret)) if secret else None,
                           required=two_step.required(user))


@bp.post("/mijn-gegevens/tweestaps/beginnen")
@roles_required(ANY_USER)
@password_again_or_fresh_login
def two_step_begin():
    if Form().validate_on_submit():
        run(None, lambda: two_step.begin_setup(current_user._get_current_object()))
    return redirect(url_for("auth.two_step_setup"))


@bp.post("/mijn-gegevens/tweestaps/bevestigen")
@roles_required(ANY_USER)
@password_again_or_fresh_login
def two_step_confirm():
    user = current_user._get_current_object()
    form = TwoStepCodeForm()
    if form.validate_on_submit() and (done := run(form, lambda: two_step.confirm_setup(user, form.code.data or ""))):
        return render_template("auth/two_step_codes.html", codes=done.value, first=True)
    secret = two_step.pending_secret(user)
    if secret is None:
        return redirect(url_for("auth.two_step_setup"))
    return _setup_page(user, form, secret), 422


@bp.post("/mijn-gegevens/tweestaps/herstelcodes")
@roles_required(ANY_USER)
@password_again_or_fresh_login
def two_step_new_codes():
    user = current_user._get_current_object()
    if Form().validate_on_submit() and (done := run(None, lambda: two_step.new_recovery_codes(user))):
        return render_template("auth/two_step_codes.html", codes=done.value, first=False)
    return redirect(url_for("auth.two_step_setup"))


@bp.post("/mijn-gegevens/tweestaps/uitzetten")
@roles_required(ANY_USER)
@password_again_or_fresh_login
def two_step_off():
    user = current_user._get_current_object()
    if two_step.required(user):
        flash("Voor medewerkers kan de tweestapsverificatie niet uit. Nieuwe telefoon? Vraag de beheerder "
              "om de koppeling te wissen; daarna koppelt u de nieuwe.", "info")
    elif Form().validate_on_submit():
        run(None, lambda: two_step.turn_off(user, by=user), "De tweestapsverificatie staat uit.")
    return redirect(url_for("people.my_data"))


@bp.post("/mensen/<int:person_id>/tweestaps-wissen")
@roles_required(R.ADMIN)
def two_step_clear(person_id: int):
    """The village's admin clears a user's setup (a lost phone); every login of theirs ends."""
    person = get_in_village_or_404(User, person_id)
    if Form().validate_on_submit():
        run(None, lambda: two_step.turn_off(person, by=current_user._get_current_object()),
            f"De tweestapsverificatie van {person.full_name} is gewist. Bij de volgende keer inloggen "
            f"koppelt {person.first_name} de app opnieuw.")
    return redirect(url_for("people.show", person_id=person.id))

