from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, logout_user
from sqlalchemy import select

from coop.auth import devices, service, sessions, two_step, views_two_step
from coop.auth.blueprint import bp, log_in, password_again
from coop.auth.forms import (
    ChangePasswordForm,
    ContactForm,
    ForgotForm,
    LoginForm,
    PasswordAgainForm,
    RegisterForm,
    ResetForm,
)
from coop.core import roles as R
from coop.core.errors import DomainError
from coop.core.forms import Form, choices
from coop.core.guard import ANY_USER, get_in_village_or_404, public, roles_required
from coop.core.models import User, Village
from coop.core.once import repeat_of, run_once
from coop.core.transaction import reads_first, write_phase
from coop.core.validation import display_phone
from coop.core.web import client_ip, run, safe_next
from coop.extensions import db, login_manager
from coop.people import service as people

# Every request checks its session row (coop/auth/sessions.py).
login_manager.user_loader(sessions.load_user)
login_manager.unauthorized_handler(sessions.unauthorized)
bp.after_app_request(sessions.touch)
# "Mijn gegevens" lists where one is logged in.
bp.add_app_template_global(sessions.open_sessions, "open_logins")
bp.add_app_template_global(sessions.current, "current_login")
bp.add_app_template_global(two_step.enabled, "two_step_on")


@bp.route("/inloggen", methods=["GET", "POST"])
@public
@reads_first
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = LoginForm()
    if form.validate_on_submit():
        check = service.check_credentials(form.email.data, form.password.data, client_ip(),
                                          devices.trusted(form.email.data))
        write_phase()  # the password is checked: only now take SQLite's write lock
        try:
            user = service.record_login(check)
        except DomainError as err:
            # Not run(): the failed attempt must stay (it counts towards throttling); the
            # request's transaction commits it with the page.
            form.attach(err)
        else:
            if two_step.enabled(user):
                return views_two_step.to_second_step(user, form.email.data)
            log_in(user)
            response = redirect(safe_next(request.args.get("next"), url_for("core.home")))
            devices.remember(response, form.email.data)
            return response
    return render_template("auth/login.html", form=form), 200 if not form.errors else 422


@bp.post("/uitloggen")
@roles_required(ANY_USER)
def logout():
    sessions.end_current()
    logout_user()
    session.clear()
    flash("U bent uitgelogd.", "success")
    return redirect(url_for("auth.login"))


def _villages():
    return list(db.session.scalars(select(Village).order_by(Village.name, Village.id)))


@bp.route("/aanmelden", methods=["GET", "POST"])
@public
def register():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    villages = _villages()
    if not villages:
        abort(404)
    form = RegisterForm()
    village = villages[0]
    if len(villages) > 1 and request.values.get("dorp"):
        village = next((v for v in villages if v.slug == request.values.get("dorp")), None) or abort(404)
    offered = people.offered_categories(village.id)
    form.offers.choices = choices((c.id, c.name) for c in offered)
    sent = form.validate_on_submit()
    if sent and (repeat := repeat_of(form)):
        return repeat  # a double click: neither counted nor registered again
    # The request is counted (in its own savepoint) whether or not the registration succeeds:
    # a refused one (an e-mail address already in use) is just what a prober sends.
    if sent and run(form, lambda: service.limit_registration(form.email.data, client_ip())):
        def welcome(user):
            log_in(user)
            if form.kind.data == "volunteer":
                flash("Dank u wel voor uw aanmelding als vrijwilliger! De dorpsondersteuner neemt "
                      "contact met u op. Daarna kunt u aan de slag.", "success")
            else:
                flash("Welkom! Uw account is gemaakt.", "success")
            return redirect(url_for("core.home"))
        answer = run_once(form, lambda: service.register(
            village=village, first_name=form.first_name.data, last_name=form.last_name.data,
            email=form.email.data, password=form.password.data, phone=form.phone.data,
            street=form.street.data, house_number=form.house_number.data,
            postcode=form.postcode.data, as_volunteer=form.kind.data == "volunteer",
            motivation=form.motivation.data, offers=[c for c in offered if c.id in set(form.offers.data or [])],
            radius_km=form.radius_km.data), result_url=lambda _: url_for("core.home"), respond=welcome)
        if answer:
            return answer
    status = 422 if form.errors or form.form_errors else 200
    return render_template("auth/register.html", form=form, village=village, villages=villages), status


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@public
def forgot_password():
    form = ForgotForm()
    if form.validate_on_submit():
        service.request_reset(form.email.data, client_ip())
        # The same answer whether or not the address exists, and when too many were asked.
        return render_template("auth/forgot_sent.html")
    return render_template("auth/forgot.html", form=form)


@bp.route("/wachtwoord-instellen/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str):
    try:
        user = service.user_for_reset_token(token)
    except DomainError as err:
        return render_template("auth/reset_invalid.html", message=err.message), 400
    form = ResetForm()
    form.person = user
    if form.validate_on_submit() and run(form, lambda: service.set_password(user, form.password.data,
                                                                            ip=client_ip())):
        logout_user()
        session.clear()
        flash("Uw nieuwe wachtwoord is ingesteld. U kunt nu inloggen.", "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form, user=user), 422 if form.errors else 200


# --- one's own account ---------------------------------------------------------------------------

@bp.route("/mijn-gegevens/bevestigen", methods=["GET", "POST"])
@roles_required(ANY_USER)
@reads_first
def confirm_password():
    form = PasswordAgainForm()
    target = safe_next(request.args.get("next"), url_for("people.my_data"))
    if form.validate_on_submit():
        check = service.check_credentials(current_user.email or "", form.password.data, client_ip(),
                                          devices.trusted(current_user.email or ""))
        write_phase()  # the password is checked: only now take SQLite's write lock
        try:
            service.record_confirmation(current_user, check, sessions.current())
        except DomainError as err:
            form.attach(err)  # not run(): a wrong password counts towards throttling, as at login
        if not form.errors:
            return redirect(target)
    return render_template("auth/confirm.html", form=form), 422 if form.errors else 200


@bp.route("/mijn-gegevens/wachtwoord", methods=["GET", "POST"])
@roles_required(ANY_USER)
@password_again
def change_password():
    form = ChangePasswordForm()
    form.person = current_user
    if form.validate_on_submit() and run(form, lambda: service.set_password(
            current_user, form.password.data, keep=sessions.current(), ip=client_ip()),
            "Uw nieuwe wachtwoord is opgeslagen. Op andere apparaten bent u uitgelogd."):
        session["_user_id"] = current_user.get_id()  # this session goes on with the new version
        return redirect(url_for("people.my_data"))
    return render_template("auth/change_password.html", form=form), 422 if form.errors else 200


@bp.route("/mijn-gegevens/contact", methods=["GET", "POST"])
@roles_required(ANY_USER)
@password_again
def change_contact():
    form = ContactForm(obj=current_user)
    if request.method == "GET":
        form.phone.data = display_phone(current_user.phone)  # 06 12345678, as people write it
    if form.validate_on_submit() and run(form, lambda: service.change_contact(
            current_user, email=form.email.data, phone=form.phone.data, ip=client_ip()),
            "Uw gegevens zijn opgeslagen."):
        return redirect(url_for("people.my_data"))
    return render_template("auth/change_contact.html", form=form), 422 if form.errors else 200


@bp.post("/mijn-gegevens/overal-uitloggen")
@roles_required(ANY_USER)
def logout_everywhere():
    form = Form()
    if not form.validate_on_submit():
        return redirect(url_for("people.my_data"))
    user = current_user._get_current_object()
    if not run(None, lambda: service.logout_everywhere(user)):
        return redirect(url_for("people.my_data"))
    logout_user()
    session.clear()
    flash("U bent overal uitgelogd, ook hier.", "success")
    return redirect(url_for("auth.login"))


@bp.post("/mensen/<int:person_id>/account")
@roles_required(R.ADMIN)
def set_account_active(person_id: int):
    """The village's admin disables an account (every session ends) or enables it again."""
    person = get_in_village_or_404(User, person_id)
    form = Form()
    if form.validate_on_submit():
        active = request.form.get("active") == "1"
        run(None, lambda: service.set_active(person, active, by=current_user),
            f"Het account van {person.full_name} is weer aangezet." if active
            else f"Het account van {person.full_name} is uitgezet; overal uitgelogd.")
    return redirect(url_for("people.show", person_id=person.id))

