from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from coop.auth import service
from coop.auth.forms import ForgotForm, LoginForm, RegisterForm, ResetForm
from coop.core.errors import DomainError
from coop.core.forms import choices
from coop.core.guard import ANY_USER, public, roles_required
from coop.core.models import Village
from coop.core.once import run_once
from coop.core.transaction import reads_first, write_phase
from coop.core.web import client_ip, run, safe_next
from coop.extensions import db
from coop.people import service as people

bp = Blueprint("auth", __name__)


@bp.route("/inloggen", methods=["GET", "POST"])
@public
@reads_first
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = LoginForm()
    if form.validate_on_submit():
        check = service.check_credentials(form.email.data, form.password.data, client_ip())
        write_phase()  # the password is checked: only now take SQLite's write lock
        try:
            user = service.record_login(check)
        except DomainError as err:
            # Not run(): the failed attempt must stay (it counts towards throttling); the
            # request's transaction commits it with the page.
            form.attach(err)
        else:
            session.clear()  # a fresh session at login (no fixation)
            login_user(user)
            return redirect(safe_next(request.args.get("next"), url_for("core.home")))
    return render_template("auth/login.html", form=form), 200 if not form.errors else 422


@bp.post("/uitloggen")
@roles_required(ANY_USER)
def logout():
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
    if form.validate_on_submit():
        def welcome(user):
            session.clear()
            login_user(user)
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
        # The same answer whether or not the address exists.
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
    if form.validate_on_submit() and run(form, lambda: service.set_password(user, form.password.data)):
        logout_user()
        session.clear()
        flash("Uw nieuwe wachtwoord is ingesteld. U kunt nu inloggen.", "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form, user=user), 422 if form.errors else 200
