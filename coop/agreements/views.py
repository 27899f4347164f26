"""Agreement pages for the coordinator and the gemeente. Thin: parse, call the service, show."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user

from coop.agreements import service
from coop.agreements.compare import compare
from coop.agreements.forms import CommentForm, DetailsForm, NewAgreementForm, NewRowForm, RowForm, SignForm, StepForm
from coop.agreements.models import PARTIES, ROLES, Agreement
from coop.core import registry
from coop.core import roles as R
from coop.core.clock import local_now
from coop.core.guard import roles_required
from coop.core.once import run_once
from coop.core.web import run
from coop.extensions import db

bp = Blueprint("agreements", __name__, url_prefix="/afspraken")
READERS = (R.COORDINATOR, R.MUNICIPALITY, R.ADMIN)
NOT_YOURS = "Deze afspraak bestaat niet, of hoort niet bij uw dorp en gemeente."


def refuse(message: str, code: int = 404):
    return render_template("agreements/refused.html", message=message, code=code), code


def _load(agreement_id: int) -> Agreement | None:
    agreement = db.session.get(Agreement, agreement_id)
    if agreement is None or not service.may_see(agreement, current_user):
        return None
    return agreement


def _version(agreement: Agreement, number: int | None):
    return agreement.latest if number is None else agreement.version(number)


def _show(agreement, version, status=200, comment_form=None, **forms):
    return render_template(
        "agreements/show.html", agreement=agreement, version=version, parties=PARTIES, roles=ROLES,
        side=service.side_of(current_user), comment_form=comment_form or CommentForm(),
        step_form=forms.get("step_form") or StepForm(), new_row_form=forms.get("new_row_form") or NewRowForm(),
        sign_form=forms.get("sign_form") or SignForm(formdata=None, name=current_user.full_name),
        transitions=service.TRANSITIONS), status


@bp.get("/")
@roles_required(*READERS)
def index():
    return render_template("agreements/index.html", agreements=service.agreements_for(current_user))


@bp.route("/nieuw", methods=["GET", "POST"])
@roles_required(R.COORDINATOR)
def new():
    form = NewAgreementForm()
    if request.method == "GET":
        year = local_now().year + 1
        form.title.data = f"Afspraken {current_user.village.cooperative_name} en {_gemeente_name()}"
        form.starts_on.data, form.ends_on.data = local_now().date().replace(year=year, month=1, day=1), \
            local_now().date().replace(year=year, month=12, day=31)
        form.review_on.data = local_now().date().replace(year=year, month=7, day=1)
    if form.validate_on_submit():
        answer = run_once(form, lambda: service.create_agreement(current_user.village, by=current_user,
                                                                 **_details(form)),
                          "De afspraak is opgesteld als concept.",
                          result_url=lambda agreement: url_for("agreements.show", agreement_id=agreement.id))
        if answer:
            return answer
    return render_template("agreements/details.html", form=form, agreement=None), \
        422 if form.errors or form.form_errors else 200


def _gemeente_name() -> str:
    municipality = current_user.village.municipality
    return municipality.name if municipality else "de gemeente"


def _details(form) -> dict:
    return {name: getattr(form, name).data for name in
            ("title", "starts_on", "ends_on", "review_on", "cooperative_contact", "municipality_contact")}


@bp.get("/<int:agreement_id>")
@bp.get("/<int:agreement_id>/versie/<int:number>")
@roles_required(*READERS)
def show(agreement_id: int, number: int | None = None):
    agreement = _load(agreement_id)
    version = _version(agreement, number) if agreement else None
    if version is None:
        return refuse(NOT_YOURS)
    return _show(agreement, version)


@bp.get("/<int:agreement_id>/versie/<int:number>/afdrukken")
@roles_required(*READERS)
def print_view(agreement_id: int, number: int):
    agreement = _load(agreement_id)
    version = _version(agreement, number) if agreement else None
    if version is None:
        return refuse(NOT_YOURS)
    return render_template("agreements/print.html", agreement=agreement, version=version, parties=PARTIES)


@bp.route("/<int:agreement_id>/gegevens", methods=["GET", "POST"])
@roles_required(R.COORDINATOR)
def edit_details(agreement_id: int):
    agreement = _load(agreement_id)
    if agreement is None:
        return refuse(NOT_YOURS)
    version = agreement.latest
    form = DetailsForm(obj=version)
    if form.validate_on_submit():
        if run(form, lambda: service.update_details(version, by=current_user, **_details(form)),
               "De gegevens zijn opgeslagen."):
            return redirect(url_for("agreements.show", agreement_id=agreement.id))
    elif request.method == "GET" and version.status != "draft":
        form.form_errors.append("Alleen een concept kan worden gewijzigd. Begin zo nodig een nieuwe versie.")
    return (render_template("agreements/details.html", form=form, agreement=agreement),
            422 if form.errors or form.form_errors else 200)


@bp.route("/<int:agreement_id>/onderwerp/<int:row_id>", methods=["GET", "POST"])
@roles_required(R.COORDINATOR)
def edit_row(agreement_id: int, row_id: int):
    agreement = _load(agreement_id)
    row = agreement.latest.row(row_id) if agreement else None
    if agreement is None or row is None:
        return refuse("Dit onderwerp bestaat niet in de nieuwste versie van deze afspraak.")
    form = RowForm(obj=row)
    if request.method == "GET":
        for cell in row.cells:
            getattr(form, f"role_{cell.party}").data = cell.role or ""
            getattr(form, f"note_{cell.party}").data = cell.note
    if form.validate_on_submit():
        cells = {p: (getattr(form, f"role_{p}").data or None, getattr(form, f"note_{p}").data) for p in PARTIES}
        if run(form, lambda: service.update_row(agreement.latest, row.id, by=current_user, domain=form.domain.data,
                                                funding=form.funding.data, note=form.note.data, cells=cells),
               f"'{form.domain.data}' is opgeslagen."):
            return redirect(url_for("agreements.show", agreement_id=agreement.id, _anchor=f"rij-{row.key}"))
    return (render_template("agreements/row.html", form=form, agreement=agreement, row=row, parties=PARTIES),
            422 if form.errors or form.form_errors else 200)


def _post(agreement_id: int, action, success: str, form_cls=StepForm, form_name="step_form", once=False):
    """Run one service call for a POST on the agreement page; on refusal show the page again (422).

    `once`: the call adds something (a row, a comment), so the same form sent twice adds it once."""
    agreement = _load(agreement_id)
    if agreement is None:
        return refuse(NOT_YOURS)
    form = form_cls()
    if form.validate_on_submit():
        target = url_for("agreements.show", agreement_id=agreement.id)
        if once:
            answer = run_once(form, lambda: action(agreement, form), success, result_url=lambda _: target)
            if answer:
                return answer
        elif run(form, lambda: action(agreement, form), success):
            return redirect(target)
    db.session.expire_all()
    return _show(agreement, agreement.latest, 422, **{form_name: form})


@bp.post("/<int:agreement_id>/onderwerp-toevoegen")
@roles_required(R.COORDINATOR)
def add_row(agreement_id: int):
    return _post(agreement_id, lambda a, f: service.add_row(a.latest, by=current_user, domain=f.domain.data),
                 "Het onderwerp is toegevoegd.", NewRowForm, "new_row_form", once=True)


@bp.post("/<int:agreement_id>/onderwerp/<int:row_id>/verwijderen")
@roles_required(R.COORDINATOR)
def remove_row(agreement_id: int, row_id: int):
    return _post(agreement_id, lambda a, f: service.remove_row(a.latest, row_id, by=current_user),
                 "Het onderwerp is verwijderd.")


@bp.post("/<int:agreement_id>/opmerking")
@roles_required(R.COORDINATOR, R.MUNICIPALITY)
def comment(agreement_id: int):
    return _post(agreement_id, lambda a, f: service.add_comment(a.latest, f.row_id.data, by=current_user,
                                                                text=f.text.data),
                 "Uw opmerking is geplaatst.", CommentForm, "comment_form", once=True)


STEPS = {"voorstellen": (service.propose, "De afspraak is voorgesteld aan de gemeente."),
         "terugnemen": (service.withdraw, "Het voorstel is teruggenomen; u kunt het weer aanpassen."),
         "wijzigingen-vragen": (service.request_changes, "De dorpsondersteuner ziet dat u wijzigingen vraagt.")}


@bp.post("/<int:agreement_id>/stap/<step>")
@roles_required(R.COORDINATOR, R.MUNICIPALITY)
def step(agreement_id: int, step: str):
    if step not in STEPS:
        return refuse("Deze stap bestaat niet.")
    action, success = STEPS[step]
    return _post(agreement_id, lambda a, f: action(a.latest, by=current_user, note=f.note.data), success)


@bp.post("/<int:agreement_id>/tekenen")
@roles_required(R.COORDINATOR, R.MUNICIPALITY)
def sign(agreement_id: int):
    return _post(agreement_id, lambda a, f: service.sign(a.latest, by=current_user, name=f.name.data),
                 "U hebt getekend.", SignForm, "sign_form")


@bp.post("/<int:agreement_id>/nieuwe-versie")
@roles_required(R.COORDINATOR)
def revise(agreement_id: int):
    return _post(agreement_id, lambda a, f: service.start_revision(a, by=current_user),
                 "Er is een nieuwe versie gemaakt; de afgesproken versie blijft gelden tot deze is getekend.")


@bp.get("/<int:agreement_id>/vergelijken")
@roles_required(*READERS)
def compare_versions(agreement_id: int):
    agreement = _load(agreement_id)
    if agreement is None:
        return refuse(NOT_YOURS)
    numbers = [v.number for v in agreement.versions]
    left = agreement.version(request.args.get("van", type=int) or (numbers[-2] if len(numbers) > 1 else 1))
    right = agreement.version(request.args.get("met", type=int) or numbers[-1])
    if left is None or right is None:
        return refuse("Deze versie bestaat niet. Kies twee versies uit de lijst.", 404)
    return render_template("agreements/compare.html", agreement=agreement, comparison=compare(left, right),
                           numbers=numbers)


def _panel_context(user) -> dict:
    agreements = service.agreements_for(user)
    side = service.side_of(user)
    waiting = [a for a in agreements if a.latest.status == "proposed" and side and not a.latest.signed_by(side)]
    return {"agreements": agreements, "waiting": waiting}


registry.nav_link("Afspraken", "agreements.index", *READERS, order=70)
registry.home_panel("agreements/panels/home.html", R.COORDINATOR, R.MUNICIPALITY, order=40,
                    context=_panel_context)
