"""/bellijst: the coordinator's calls to make today."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from coop.calllist import service
from coop.calllist.forms import OutcomeForm
from coop.core import audit, registry
from coop.core import roles as R
from coop.core.calls import CallTask
from coop.core.guard import get_in_village_or_404, roles_required
from coop.core.web import run

bp = Blueprint("calllist", __name__, url_prefix="/bellijst")


def _form(task_id: int) -> OutcomeForm:
    return OutcomeForm(prefix=f"oproep-{task_id}")  # one form per call: ids stay unique on the page


def _page(failed: OutcomeForm | None = None, failed_id: int | None = None, status: int = 200, log: bool = False):
    calls = service.calls_due(current_user.village_id)
    forms = {c.task.id: failed if c.task.id == failed_id and failed else _form(c.task.id) for c in calls}
    handled = service.recently_handled(current_user.village_id)
    page = render_template("calllist/index.html", calls=calls, forms=forms, failed=failed, handled=handled,
                           outcomes=service.OUTCOMES)
    if log:
        audit.shown("calls.listed", subjects=[c.task.person_id for c in calls] + [t.person_id for t in handled])
    return page, status


@bp.get("/")
@roles_required(R.COORDINATOR)
def index():
    return _page(log=True)


@bp.post("/<int:task_id>")
@roles_required(R.COORDINATOR)
def record(task_id: int):
    task = get_in_village_or_404(CallTask, task_id)
    form = _form(task.id)
    if form.validate_on_submit() and run(form, lambda: service.record_outcome(
            task, form.outcome.data, by=current_user, note=form.note.data or "",
            taken_over_by=form.taken_over_by.data or ""), "Vastgelegd."):
        return redirect(url_for("calllist.index"))
    return _page(form, failed_id=task.id, status=422)


def _panel(user) -> dict:
    return {"due": service.count_due(user.village_id)}


registry.nav_link("Bellijst", "calllist.index", R.COORDINATOR, order=25)
registry.home_panel("calllist/panel.html", R.COORDINATOR, order=12, context=_panel)
