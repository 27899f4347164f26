"""The coordinator's people pages, and everyone's own data page."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coop.core import audit, audit_text, registry
from coop.core import roles as R
from coop.core.forms import Form, choices
from coop.core.guard import ANY_USER, get_in_village_or_404, roles_required
from coop.core.models import AuditLog, TaskCategory, User
from coop.core.web import run
from coop.extensions import db
from coop.people import service
from coop.people.forms import CompetenceForm, PersonForm, VolunteerPapersForm, VolunteerProfileForm

bp = Blueprint("people", __name__)
MY_LOG_ROWS = 100


@bp.get("/mensen")
@roles_required(R.COORDINATOR, R.ADMIN)
def index():
    text = request.args.get("zoek", "").strip()[:80]
    role = request.args.get("rol")
    role = role if role in R.ALL else None
    people = service.search_people(current_user.village_id, text, role)
    page = render_template("people/index.html", people=people, text=text, role=role)
    audit.shown("people.searched", subjects=people,
                detail=f"zoek '{text}'" + (f", rol {role}" if role else "") if text or role else "de lijst van mensen")
    return page


@bp.route("/mensen/nieuw", methods=["GET", "POST"])
@roles_required(R.COORDINATOR, R.ADMIN)
def new():
    form = PersonForm()
    if form.validate_on_submit():
        holder = {}

        def action():
            roles = (R.RESIDENT, R.CARER) if form.is_carer.data else (R.RESIDENT,)
            holder["person"] = service.create_person(
                village=current_user.village, first_name=form.first_name.data,
                last_name=form.last_name.data, email=form.email.data, phone=form.phone.data,
                street=form.street.data, house_number=form.house_number.data,
                postcode=form.postcode.data, roles=roles, by=current_user)
        if run(form, action, "De persoon is opgeslagen."):
            return redirect(url_for("people.show", person_id=holder["person"].id))
    return render_template("people/new.html", form=form), 422 if form.errors else 200


@bp.get("/mensen/<int:person_id>")
@roles_required(R.COORDINATOR, R.ADMIN)
def show(person_id: int):
    person = get_in_village_or_404(User, person_id)
    audit.shown("person.viewed", subject=person)
    categories = db.session.scalars(select(TaskCategory).where(
        TaskCategory.village_id == person.village_id, TaskCategory.active)).all()
    eligibility = {}
    if person.has_role(R.VOLUNTEER, R.PROFESSIONAL):
        eligibility = {c: service.ineligibility_reasons(person, c) for c in categories
                       if c.rule != TaskCategory.MUNICIPAL}
    return render_template("people/show.html", person=person, form=Form(), eligibility=eligibility,
                           vog_until=service.vog_valid_until(person.volunteer_profile)
                           if person.volunteer_profile else None)


@bp.post("/mensen/<int:person_id>/goedkeuren")
@roles_required(R.COORDINATOR, R.ADMIN)
def approve(person_id: int):
    person = get_in_village_or_404(User, person_id)
    form = Form()
    if form.validate_on_submit():
        run(None, lambda: service.approve_volunteer(person, by=current_user),
            f"{person.full_name} is goedgekeurd als vrijwilliger.")
    return redirect(url_for("people.show", person_id=person.id))


def _competence_form(person: User) -> CompetenceForm:
    form = CompetenceForm(prefix="bevoegd")
    trained = db.session.scalars(select(TaskCategory).where(
        TaskCategory.village_id == person.village_id, TaskCategory.rule == TaskCategory.TRAINED)).all()
    professionals = service.search_people(person.village_id, role=R.PROFESSIONAL)
    form.category.choices = choices((c.id, c.name) for c in trained)
    form.backstop.choices = choices((p.id, f"{p.full_name} ({p.professional_profile.discipline})")
                                    for p in professionals if p.professional_profile)
    return form


@bp.route("/mensen/<int:person_id>/vrijwilliger", methods=["GET", "POST"])
@roles_required(R.COORDINATOR, R.ADMIN)
def volunteer_papers(person_id: int):
    """Record the VOG, the signed agreement and competences for trained tasks."""
    person = get_in_village_or_404(User, person_id)
    if person.volunteer_profile is None:
        abort(404)
    papers = VolunteerPapersForm(prefix="papieren", data={
        "vog_date": person.volunteer_profile.vog_date,
        "agreement_date": person.volunteer_profile.volunteer_agreement_signed_on,
        "under_21": person.volunteer_profile.under_21})
    competence = _competence_form(person)
    if request.method == "GET":
        audit.shown("volunteer.papers_viewed", subject=person)
    if request.method == "POST" and "papieren-submit" in request.form and papers.validate():
        if run(papers, lambda: service.record_papers(
                person, vog_date=papers.vog_date.data, agreement_date=papers.agreement_date.data,
                by=current_user, under_21=papers.under_21.data), "De gegevens zijn opgeslagen."):
            return redirect(url_for("people.show", person_id=person.id))
    elif request.method == "POST" and "bevoegd-submit" in request.form and competence.validate():
        category = db.session.get(TaskCategory, competence.category.data)
        backstop = db.session.get(User, competence.backstop.data)
        if run(competence, lambda: service.record_competence(
                person, category=category, backstop=backstop, note=competence.note.data, by=current_user),
               "De bevoegdheid is vastgelegd."):
            return redirect(url_for("people.show", person_id=person.id))
    failed = papers.errors or competence.errors
    return render_template("people/volunteer_papers.html", person=person, papers=papers,
                           competence=competence), 422 if failed else 200


@bp.post("/mensen/<int:person_id>/pauze")
@roles_required(R.COORDINATOR, R.ADMIN)
def pause(person_id: int):
    person = get_in_village_or_404(User, person_id)
    form = Form()
    if form.validate_on_submit():
        paused = request.form.get("paused") == "1"
        run(None, lambda: service.set_paused(person, paused, by=current_user),
            "Opgeslagen.")
    return redirect(url_for("people.show", person_id=person.id))


@bp.get("/mijn-gegevens")
@roles_required(ANY_USER)
def my_data():
    """What is stored about me (AVG: the right of access), in plain words."""
    log = db.session.scalars(select(AuditLog).where(audit.concerning(current_user.id))
                             .options(selectinload(AuditLog.actor), selectinload(AuditLog.on_behalf_of))
                             .order_by(AuditLog.id.desc()).limit(MY_LOG_ROWS)).all()
    return render_template("people/my_data.html", person=current_user,
                           log=[audit_text.sentence(row, current_user) for row in log])


@bp.route("/mijn-vrijwilligerswerk", methods=["GET", "POST"])
@roles_required(R.VOLUNTEER)
def volunteer_profile():
    profile = current_user.volunteer_profile
    if profile is None:
        abort(404)
    categories = db.session.scalars(select(TaskCategory).where(
        TaskCategory.village_id == current_user.village_id, TaskCategory.active,
        TaskCategory.rule.in_((TaskCategory.OPEN, TaskCategory.TRAINED)))
        .order_by(TaskCategory.sort_order)).all()
    form = VolunteerProfileForm(obj=profile)
    form.categories.choices = choices((c.id, c.name) for c in categories)
    if request.method == "GET":
        form.categories.data = [c.id for c in profile.categories]
    if form.validate_on_submit():
        def action():
            chosen = set(form.categories.data or [])
            profile.categories = [c for c in categories if c.id in chosen]
            profile.radius_km = float(form.radius_km.data)
            profile.max_hours_month = form.max_hours_month.data
            profile.preferences = form.preferences.data or ""
        if run(form, action, "Uw gegevens zijn opgeslagen."):
            return redirect(url_for("core.home"))
    return render_template("people/volunteer_profile.html", form=form, profile=profile), 422 if form.errors else 200


def _coordinator_panel(user):
    return {"pending_volunteers": service.pending_volunteers(user.village_id)}


registry.nav_link("Mensen", "people.index", R.COORDINATOR, R.ADMIN, order=30)
registry.nav_link("Mijn gegevens", "people.my_data", *R.ALL, order=90)
registry.home_panel("people/panels/coordinator.html", R.COORDINATOR, order=40, context=_coordinator_panel)
registry.home_panel("people/panels/volunteer.html", R.VOLUNTEER, order=40)
