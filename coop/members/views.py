"""/leden: the member households, joining, the yearly contribution run and its files, payments
and returned debits, the settings, and the message to a group."""
from __future__ import annotations

from types import SimpleNamespace

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from coop.core import audit, csvexport, dutch, registry
from coop.core import roles as R
from coop.core.errors import DomainError
from coop.core.forms import Form, choices
from coop.core.guard import get_in_village_or_404, roles_required
from coop.core.models import User
from coop.core.once import run_once
from coop.core.web import run
from coop.members import broadcast, service
from coop.members.forms import (
    EndForm,
    JoinForm,
    MessageForm,
    PaymentForm,
    ReturnForm,
    RunForm,
    SettingsForm,
)
from coop.members.models import COLLECTING, DIRECT_DEBIT, PAID, Broadcast, Contribution, ContributionRun, Household

bp = Blueprint("members", __name__, url_prefix="/leden")
STAFF = (R.COORDINATOR, R.ADMIN)


def _people_of(households: list[Household]) -> list[int]:
    return [m.user_id for h in households for m in h.members]


@bp.get("/")
@roles_required(*STAFF)
def index():
    year = service.today().year
    found = service.households(current_user.village_id)
    this_year = {h.id: next((c for c in h.contributions if c.year == year), None) for h in found}
    page = render_template("members/index.html", households=found, this_year=this_year, year=year,
                           current=sum(1 for h in found if h.active_on(service.today())))
    audit.shown("members.listed", subjects=_people_of(found))
    return page


@bp.get("/nieuw")
@roles_required(*STAFF)
def pick():
    """Find the resident who joins (the household's contact); others at the address follow."""
    text = request.args.get("zoek", "").strip()[:80]
    found = service.residents_to_join(current_user.village_id, text) if text else []
    page = render_template("members/pick.html", text=text, found=found)
    if text:
        audit.shown("people.searched", subjects=found, detail=f"zoek '{text}' (nieuw lid)")
    return page


@bp.route("/nieuw/<int:person_id>", methods=["GET", "POST"])
@roles_required(*STAFF)
def new(person_id: int):
    person = get_in_village_or_404(User, person_id)
    if not person.has_role(R.RESIDENT) or person.erased_at is not None:
        abort(404)
    mates = service.housemates(person)
    form = JoinForm()
    form.housemates.choices = choices((m.id, m.full_name) for m in mates)
    if not form.is_submitted():
        form.number.data = service.next_number(current_user.village_id)
        form.starts_on.process(None, service.today())
        form.signed_on.process(None, service.today())
        form.account_holder.data = person.full_name
        audit.shown("member.form_opened", subject=person)
    elif form.validate_on_submit():
        chosen = [m for m in mates if m.id in (form.housemates.data or [])]
        answer = run_once(form, lambda: service.join(current_user.village, form.to_input([person, *chosen]),
                                                     by=current_user),
                          f"{person.full_name} is lid.",
                          result_url=lambda h: url_for("members.show", household_id=h.id))
        if answer:
            return answer
    elif form.errors:
        chosen = [m for m in mates if m.id in (form.housemates.data or [])]
        for problem in service.join_problems(current_user.village, form.to_input([person, *chosen])):
            field = getattr(form, problem.field or "", None)
            if field is not None and not field.errors:
                form.attach(problem)
    return render_template("members/new.html", form=form, person=person, mates=mates,
                           fee=service.settings_for(current_user.village_id).yearly_fee), \
        422 if form.errors or form.form_errors else 200


def _household(household_id: int) -> Household:
    return get_in_village_or_404(Household, household_id)


def _contribution(household: Household, contribution_id: int) -> Contribution:
    c = get_in_village_or_404(Contribution, contribution_id)
    if c.household_id != household.id:
        abort(404)
    return c


def _show(household: Household, status: int = 200, log: bool = False, **forms):
    """The household's page; `log`: write down the look (a form shown again after a refusal is
    the same look, already written)."""
    forms.setdefault("end_form", EndForm(formdata=None, prefix="einde"))
    page = render_template("members/show.html", household=household, button=Form(),
                           payment_forms={c.id: forms.get(f"pay_{c.id}") or PaymentForm(formdata=None,
                                                                                       prefix=f"betaald-{c.id}")
                                          for c in household.contributions if c.status != PAID},
                           return_forms={c.id: forms.get(f"return_{c.id}") or ReturnForm(formdata=None,
                                                                                         prefix=f"storno-{c.id}")
                                         for c in household.contributions
                                         if c.method == DIRECT_DEBIT and c.status in (COLLECTING, PAID)},
                           **forms)
    if log:
        audit.shown("member.viewed", subject=household.contact, subjects=[m.user_id for m in household.members],
                    detail=f"lidnummer {household.number}")
    return page, status


@bp.get("/<int:household_id>")
@roles_required(*STAFF)
def show(household_id: int):
    return _show(_household(household_id), log=True)


@bp.post("/<int:household_id>/betaald/<int:contribution_id>")
@roles_required(*STAFF)
def paid(household_id: int, contribution_id: int):
    household = _household(household_id)
    c = _contribution(household, contribution_id)
    form = PaymentForm(prefix=f"betaald-{c.id}")
    if form.validate_on_submit() and run(form, lambda: service.record_payment(c, form.paid_on.data, by=current_user),
                                         f"De contributie van {c.year} staat als betaald."):
        return redirect(url_for("members.show", household_id=household.id))
    return _show(household, 422, **{f"pay_{c.id}": form})


@bp.post("/<int:household_id>/storno/<int:contribution_id>")
@roles_required(*STAFF)
def returned(household_id: int, contribution_id: int):
    household = _household(household_id)
    c = _contribution(household, contribution_id)
    form = ReturnForm(prefix=f"storno-{c.id}")
    if form.validate_on_submit() and run(form, lambda: service.record_return(c, form.returned_on.data,
                                                                             form.reason.data, by=current_user),
                                         "De terugboeking is vastgelegd; het lid krijgt een herinnering om "
                                         "zelf over te maken."):
        return redirect(url_for("members.show", household_id=household.id))
    return _show(household, 422, **{f"return_{c.id}": form})


@bp.post("/<int:household_id>/herinnering/<int:contribution_id>")
@roles_required(*STAFF)
def remind(household_id: int, contribution_id: int):
    household = _household(household_id)
    c = _contribution(household, contribution_id)
    if Form().validate_on_submit():
        done = run(None, lambda: service.remind(c, by=current_user))
        if done:
            flash("De herinnering gaat vandaag weg." if done.value else "Er ging vandaag al een herinnering weg.",
                  "success" if done.value else "info")
    return redirect(url_for("members.show", household_id=household.id))


@bp.post("/<int:household_id>/einde")
@roles_required(*STAFF)
def end(household_id: int):
    household = _household(household_id)
    form = EndForm(prefix="einde")
    if form.validate_on_submit() and run(form, lambda: service.end_membership(household, form.ends_on.data,
                                                                              by=current_user),
                                         "Het einde van het lidmaatschap is vastgelegd."):
        return redirect(url_for("members.show", household_id=household.id))
    return _show(household, 422, end_form=form)


# --- the yearly contribution -----------------------------------------------------------------

def _run_page(form: RunForm, status: int = 200):
    year = form.year.data or service.today().year
    plan = service.plan(current_user.village, year) if 2000 <= year <= 2100 else None
    income = service.income(current_user.village_id, year) if plan else None
    return render_template("members/run.html", form=form, plan=plan, income=income, year=year,
                           runs=service.runs(current_user.village_id), button=Form(),
                           settings=service.settings_for(current_user.village_id)), status


@bp.route("/contributie", methods=["GET", "POST"])
@roles_required(*STAFF)
def contributions():
    form = RunForm()
    if not form.is_submitted():
        year = request.args.get("jaar", type=int) or service.today().year
        form.year.data = year if 2000 <= year <= 2100 else service.today().year
        return _run_page(form)
    if form.validate_on_submit():
        year = form.year.data

        def respond(made: ContributionRun | None):
            if made is None:
                flash(f"Er is niets veranderd: elk huishouden heeft zijn contributie voor {year} al.", "info")
            else:
                flash(f"De contributie voor {year} staat klaar: {made.debit_count} per incasso, "
                      f"{made.transfer_count} zelf overmaken. De leden krijgen bericht.", "success")
            return redirect(url_for("members.contributions", jaar=year))
        answer = run_once(form, lambda: service.run_year(current_user.village, year, form.collection_date.data,
                                                         by=current_user),
                          result_url=lambda _: url_for("members.contributions", jaar=year), respond=respond)
        if answer:
            return answer
    return _run_page(form, 422)


@bp.get("/contributie/<int:run_id>/incasso.xml")
@roles_required(*STAFF)
def debit_file(run_id: int):
    found = get_in_village_or_404(ContributionRun, run_id)
    if not found.debit_file:
        abort(404)
    response = Response(found.debit_file, mimetype="application/xml",
                        headers={"Content-Disposition": f'attachment; filename="incasso-{found.year}-{found.id}.xml"'})
    audit.shown("contributions.debit_file", subjects=service.debited_people(found),
                detail=f"incassobestand {found.year}")
    return response


def _transfer_year() -> int:
    year = request.args.get("jaar", type=int) or service.today().year
    return year if 2000 <= year <= 2100 else service.today().year


@bp.get("/contributie/overmaken")
@roles_required(*STAFF)
def transfer_list():
    year = _transfer_year()
    rows = service.transfer_list(current_user.village_id, year)
    page = render_template("members/transfer_list.html", rows=rows, year=year,
                           settings=service.settings_for(current_user.village_id))
    audit.shown("contributions.transfer_list", subjects=[m.user_id for c in rows for m in c.household.members],
                detail=f"overmaken {year}")
    return page


@bp.get("/contributie/overmaken.csv")
@roles_required(*STAFF)
def transfer_csv():
    year = _transfer_year()
    rows = service.transfer_list(current_user.village_id, year)
    lines = [["Lidnummer", "Leden", "Adres", "Bedrag", "Omschrijving", "Betalen vóór", "Status"]] + [
        [c.household.number, c.household.names, c.household.contact.address_line, dutch.csv_decimal(c.amount),
         c.payment_reference, c.due_on.isoformat(), c.status_label] for c in rows]
    response = csvexport.response(f"overmaken-{current_user.village.slug}-{year}.csv", lines)
    audit.shown("contributions.transfer_exported", subjects=[m.user_id for c in rows for m in c.household.members],
                detail=f"overmaken {year}")
    return response


@bp.post("/contributie/herinneren")
@roles_required(*STAFF)
def remind_all():
    year = _transfer_year()
    if Form().validate_on_submit():
        done = run(None, lambda: service.remind_all(current_user.village_id, year, by=current_user))
        if done:
            flash(f"{done.value} herinnering{'' if done.value == 1 else 'en'} voor {year} klaargezet."
                  if done.value else "Er is niemand meer te herinneren (of ze kregen vandaag al een herinnering).",
                  "success" if done.value else "info")
    return redirect(url_for("members.contributions", jaar=year))


@bp.route("/instellingen", methods=["GET", "POST"])
@roles_required(*STAFF)
def settings():
    current = service.settings_for(current_user.village_id)
    form = SettingsForm(obj=current if request.method == "GET" else None)
    if form.validate_on_submit() and run(form, lambda: service.save_settings(
            current_user.village, yearly_fee=form.yearly_fee.data, creditor_id=form.creditor_id.data or "",
            account_name=form.account_name.data or "", iban=form.iban.data or "", bic=form.bic.data or "",
            by=current_user), "De instellingen zijn opgeslagen."):
        return redirect(url_for("members.settings"))
    return render_template("members/settings.html", form=form), 422 if form.errors or form.form_errors else 200


# --- a message to a group --------------------------------------------------------------------

@bp.route("/bericht", methods=["GET", "POST"])
@roles_required(R.COORDINATOR)
def message():
    village = current_user.village
    groups = broadcast.groups(village)
    form = MessageForm()
    form.group.choices = choices([("", "Kies een groep")] + [(g.key, g.label) for g in groups])
    preview = reach = None
    if form.validate_on_submit():
        try:
            chosen = broadcast.group(village, form.group.data)
            reach = broadcast.reach(chosen, village)
            # As the first recipient will read it (the greeting has their name).
            reader = reach.people[0] if reach.people else SimpleNamespace(first_name="(voornaam)")
            preview = render_template("mail/members_broadcast.txt", village=village, user=reader,
                                      message=Broadcast(subject=form.subject.data, text=form.text.data))
        except DomainError as err:
            form.attach(err)
        if reach is not None and form.confirmed.data and "versturen" in request.form:
            answer = run_once(form, lambda: broadcast.send(village, form.group.data, form.subject.data,
                                                           form.text.data, by=current_user),
                              f"Het bericht gaat naar {len(reach.people)} "
                              f"{'persoon' if len(reach.people) == 1 else 'mensen'}.",
                              result_url=lambda b: url_for("members.message_sent", broadcast_id=b.id))
            if answer:
                return answer
        elif reach is not None and "versturen" in request.form:
            form.confirmed.errors = ["Vink aan dat u het voorbeeld hebt gelezen."]
    failed = bool(form.errors or form.form_errors)
    page = render_template("members/message.html", form=form, preview=preview, reach=reach,
                           sent=broadcast.sent(village.id))
    if reach is not None and not failed:  # a refused submit writes nothing, not even this
        audit.shown("broadcast.previewed", subjects=[p.id for p in reach.people], detail=form.group.data or "")
    return page, 422 if failed else 200


@bp.get("/bericht/<int:broadcast_id>")
@roles_required(R.COORDINATOR)
def message_sent(broadcast_id: int):
    found = get_in_village_or_404(Broadcast, broadcast_id)
    paper = broadcast.on_paper(found)
    page = render_template("members/message_sent.html", message=found, paper=paper)
    audit.shown("broadcast.print_list", subjects=paper, detail=found.group_label)
    return page


registry.nav_link("Leden", "members.index", *STAFF, order=45)
registry.nav_link("Bericht aan een groep", "members.message", R.COORDINATOR, order=46)
