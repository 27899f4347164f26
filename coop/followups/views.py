"""The bell and its page, the one-click answer pages, the dead-mail panel and its buttons."""
from __future__ import annotations

from flask import Blueprint, abort, g, redirect, render_template, url_for
from flask_login import current_user

from coop.core import outbox as O
from coop.core import registry
from coop.core import roles as R
from coop.core.guard import ANY_USER, get_in_village_or_404, public, roles_required
from coop.core.models import Village
from coop.core.transaction import writes
from coop.core.web import run
from coop.extensions import db
from coop.followups import answers, mail_errors, service

bp = Blueprint("followups", __name__)


@bp.app_context_processor
def bell():
    """The unread count for the bell in the header, on every page of a logged-in user."""
    if g.get("bare_page") or not current_user.is_authenticated:
        return {}
    count = registry.login_figure("unread_notifications")  # read with the login, at the request's start
    return {"unread_notifications": service.unread_count(current_user) if count is None else count}


registry.read_with_login("unread_notifications", service.unread_of_user)


@bp.get("/meldingen")
@writes
@roles_required(ANY_USER)
def notifications():
    items = service.notifications(current_user)
    unread = {n.id for n in items if n.read_at is None}
    # Shown before they are marked read: the commit expires the rows, and reading them again
    # afterwards would cost one query per message.
    page = render_template("followups/notifications.html", items=items, unread=unread, unread_notifications=0)
    if unread:
        service.mark_read(current_user)
    return page


@bp.get("/antwoord/<token>/<answer>")
@public
def answer(token, answer):
    if answer not in answers.ANSWERS:
        abort(404)
    try:
        row = answers.load(token)
    except answers.AnswerProblem as problem:
        return _problem(problem)
    village = db.session.get(Village, row.village_id)
    return render_template("followups/answer_confirm.html", answer=answer, village=village)


@bp.post("/antwoord/<token>/<answer>")
@public
def answer_post(token, answer):
    if answer not in answers.ANSWERS:
        abort(404)
    try:
        with db.session.begin_nested():  # a refused answer leaves nothing behind
            row, _subject = answers.record(token, answer)
    except answers.AnswerProblem as problem:
        return _problem(problem)
    village = db.session.get(Village, row.village_id)
    return render_template("followups/answer_thanks.html", answer=answer, village=village)


def _problem(problem: answers.AnswerProblem):
    status = {answers.INVALID: 400, answers.EXPIRED: 410, answers.USED: 409}[problem.reason]
    return render_template("followups/answer_problem.html", problem=problem,
                           village=problem.village), status


@bp.post("/opvolging/<int:row_id>/opnieuw")
@roles_required(R.COORDINATOR, R.ADMIN)
def retry(row_id):
    return _dead_action(row_id, service.retry_dead, "Het bericht wordt opnieuw verstuurd.")


@bp.post("/opvolging/<int:row_id>/afgehandeld")
@roles_required(R.COORDINATOR, R.ADMIN)
def dismiss(row_id):
    return _dead_action(row_id, service.dismiss_dead, "Het bericht staat niet meer op de lijst.")


def _dead_action(row_id, action, success):
    row = get_in_village_or_404(O.FollowUp, row_id)
    run(None, lambda: action(row), success)
    return redirect(url_for("core.home"))


def _dead_panel(user) -> dict:
    return {"dead": service.dead_for_village(user.village_id), "explain": mail_errors.explain}


registry.home_panel("followups/panels/dead_mail.html", R.COORDINATOR, R.ADMIN, order=15, context=_dead_panel)
