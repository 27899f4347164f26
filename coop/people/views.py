"""The coordinator's people pages, and everyone's own data page."""
from __future__ import annotations

from types import SimpleNamespace

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from coop.core import audit, audit_text, registry
from coop.core import roles as R
from coop.core.clock import local_now
from coop.core.forms import Form, choices
from coop.core.guard import ANY_USER, get_in_village_or_404, roles_required
from coop.core.models import TaskCategory, User
from coop.core.once import run_once
from coop.core.web import run
from coop.extensions import db
from coop.geo import maps
from coop.geo.forms import PinForm
from coop.people import eligibility, service
from coop.people.forms import (
    AddressForm,
    CompetenceChangeForm,
    CompetenceForm,
    PersonForm,
    VolunteerPapersForm,
    VolunteerProfileForm,
)
from coop.people.models import Competence

bp = Blueprint("people", __name__)


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
        def action():
            roles = (R.RESIDENT, R.CARER) if form.is_carer.data else (R.RESIDENT,)
            return service.create_person(
                village=current_user.village, first_name=form.first_name.data,
                last_name=form.last_name.data, email=form.email.data, phone=form.phone.data,
                street=form.street.data, house_number=form.house_number.data,
                postcode=form.postcode.data, roles=roles, by=current_user)
        answer = run_once(form, action, "De persoon is opgeslagen.",
                          result_url=lambda person: url_for("people.show", person_id=person.id))
        if answer:
            return answer
    return render_template("people/new.html", form=form), 422 if form.errors or form.form_errors else 200


@bp.get("/mensen/<int:person_id>")
@roles_required(R.COORDINATOR, R.ADMIN)
def show(person_id: int):
    person = get_in_village_or_404(User, person_id)
    audit.shown("person.viewed", subject=person)
    return _show_page(person)


def _show_page(person: User, pin_form: PinForm | None = None, status: int = 200):
    categories = db.session.scalars(select(TaskCategory).where(
        TaskCategory.village_id == person.village_id, TaskCategory.active)).all()
    reasons = {}
    if person.has_role(R.VOLUNTEER, R.PROFESSIONAL):
        reasons = {c: service.ineligibility_reasons(person, c) for c in categories
                   if c.rule != TaskCategory.MUNICIPAL}
    return render_template("people/show.html", person=person, form=Form(), eligibility=reasons,
                           vog_until=service.vog_valid_until(person.volunteer_profile)
                           if person.volunteer_profile else None,
                           map=_place_map(person), pin_form=pin_form or _pin_form(person),
                           history=service.history(person), history_labels=service.HISTORY_LABELS), status


def _located(person: User) -> bool:
    return person.lat is not None and person.lon is not None


def _pin_form(person: User) -> PinForm:
    data = {"lat": f"{person.lat:.6f}", "lon": f"{person.lon:.6f}"} if _located(person) else {}
    return PinForm(formdata=None, data=data)


def _place_map(person: User) -> maps.MapParts:
    """A small map of where the person lives; a click on it fills the pin form (map.js)."""
    cfg = current_app.config
    village = person.village
    centre = (person.lat, person.lon) if _located(person) else (village.centre_lat, village.centre_lon)
    fmap = maps.make_map(centre, 17 if _located(person) else 14, cfg["TILE_URL"], cfg["TILE_ATTRIBUTION"])
    if _located(person):
        maps.PointLayer("focus", [[person.lat, person.lon, person.full_name, person.address_line]],
                        "Woonplek", cluster=False).add_to(fmap)
    return maps.render(fmap)


def _to_place(person: User):
    return redirect(url_for("people.show", person_id=person.id, _anchor="plek"))


@bp.post("/mensen/<int:person_id>/plek")
@roles_required(R.COORDINATOR, R.ADMIN)
def place_pin(person_id: int):
    """Set or correct where a person lives: a click on the map, or the numbers typed."""
    person = get_in_village_or_404(User, person_id)
    form = PinForm()
    if form.validate_on_submit() and run(form, lambda: service.place_person(
            person, form.lat.data, form.lon.data, by=current_user), f"{person.first_name} staat op de kaart."):
        return _to_place(person)
    return _show_page(person, pin_form=form, status=422)


@bp.post("/mensen/<int:person_id>/adres-zoeken")
@roles_required(R.COORDINATOR, R.ADMIN)
def locate(person_id: int):
    """Ask the geocoder again (the network was down, or the gazetteer was imported since)."""
    person = get_in_village_or_404(User, person_id)
    if Form().validate_on_submit():
        # Commits either way: a miss changes nothing but the geocoder's cache.
        if run(None, lambda: service.locate_person(person, by=current_user)).value:
            flash("Het adres is gevonden en staat op de kaart.", "success")
        else:
            flash("Dit adres kennen we niet. Klik op de kaart om de plek aan te wijzen.", "error")
    return _to_place(person)


@bp.route("/mensen/<int:person_id>/adres", methods=["GET", "POST"])
@roles_required(R.COORDINATOR, R.ADMIN)
def address(person_id: int):
    person = get_in_village_or_404(User, person_id)
    form = AddressForm(obj=person)
    if request.method == "GET":
        audit.shown("person.viewed", subject=person, detail="adres wijzigen")
    if form.validate_on_submit() and (done := run(form, lambda: service.change_address(
            person, street=form.street.data, house_number=form.house_number.data, postcode=form.postcode.data,
            place=form.place.data, by=current_user))):
        if done.value:
            flash("Het nieuwe adres is opgeslagen en staat op de kaart.", "success")
        else:
            flash("Het nieuwe adres is opgeslagen, maar we kennen het niet. Klik op de kaart om de plek "
                  "aan te wijzen.", "info")
        return _to_place(person)
    return render_template("people/address.html", person=person, form=form), 422 if form.errors else 200


@bp.post("/mensen/<int:person_id>/goedkeuren")
@roles_required(R.COORDINATOR, R.ADMIN)
def approve(person_id: int):
    person = get_in_village_or_404(User, person_id)
    form = Form()
    if form.validate_on_submit():
        run(None, lambda: service.approve_volunteer(person, by=current_user),
            f"{person.full_name} is goedgekeurd als vrijwilliger.")
    return redirect(url_for("people.show", person_id=person.id))


def _backstop_choices(person: User) -> list:
    professionals = service.search_people(person.village_id, role=R.PROFESSIONAL)
    return [(p.id, f"{p.full_name} ({p.professional_profile.discipline})")
            for p in professionals if p.professional_profile]


def _competence_form(person: User, backstops: list) -> CompetenceForm:
    form = CompetenceForm(prefix="bevoegd")
    trained = db.session.scalars(select(TaskCategory).where(
        TaskCategory.village_id == person.village_id, TaskCategory.rule == TaskCategory.TRAINED)).all()
    form.category.choices = choices((c.id, c.name) for c in trained)
    form.backstop.choices = choices(backstops)
    return form


def _change_forms(person: User, backstops: list, posted: CompetenceChangeForm | None = None) -> dict:
    """One change form per recorded competence (the posted one keeps what was typed)."""
    forms = {}
    for competence in person.volunteer_profile.competences:
        if posted is not None and posted._prefix == f"bevoegdheid-{competence.id}-":
            forms[competence.id] = posted
            continue
        form = CompetenceChangeForm(prefix=f"bevoegdheid-{competence.id}", formdata=None,
                                    data={"backstop": competence.backstop_id or 0, "note": competence.note})
        form.backstop.choices = choices([(0, "geen achterwacht")] + backstops)
        forms[competence.id] = form
    return forms


def _papers_page(person: User, papers, competence, changes, status: int = 200):
    return render_template("people/volunteer_papers.html", person=person, papers=papers, competence=competence,
                           changes=changes, form=Form()), status


@bp.route("/mensen/<int:person_id>/vrijwilliger", methods=["GET", "POST"])
@roles_required(R.COORDINATOR, R.ADMIN)
def volunteer_papers(person_id: int):
    """Record the VOG, the signed agreement and competences for trained tasks."""
    person = get_in_village_or_404(User, person_id)
    if person.volunteer_profile is None:
        abort(404)
    papers = VolunteerPapersForm(prefix="papieren", data={
        "vog_date": person.volunteer_profile.vog_date,
        "contract_date": person.volunteer_profile.volunteer_contract_signed_on,
        "under_21": person.volunteer_profile.under_21})
    backstops = _backstop_choices(person)
    competence = _competence_form(person, backstops)
    if request.method == "GET":
        audit.shown("volunteer.papers_viewed", subject=person)
    if request.method == "POST" and "papieren-submit" in request.form and papers.validate():
        if run(papers, lambda: service.record_papers(
                person, vog_date=papers.vog_date.data, contract_date=papers.contract_date.data,
                by=current_user, under_21=papers.under_21.data), "De gegevens zijn opgeslagen."):
            return redirect(url_for("people.show", person_id=person.id))
    elif request.method == "POST" and "bevoegd-submit" in request.form and competence.validate():
        category = db.session.get(TaskCategory, competence.category.data)
        backstop = db.session.get(User, competence.backstop.data)
        answer = run_once(competence, lambda: service.record_competence(
            person, category=category, backstop=backstop, note=competence.note.data, by=current_user),
            "De bevoegdheid is vastgelegd.", result_url=lambda _: url_for("people.show", person_id=person.id))
        if answer:
            return answer
    failed = papers.errors or competence.errors or competence.form_errors
    return _papers_page(person, papers, competence, _change_forms(person, backstops), 422 if failed else 200)


def _own_competence(person: User, competence_id: int) -> Competence:
    competence = db.session.get(Competence, competence_id)
    if person.volunteer_profile is None or competence is None or competence.volunteer_id != person.id:
        abort(404)
    return competence


@bp.post("/mensen/<int:person_id>/bevoegdheden/<int:competence_id>")
@roles_required(R.COORDINATOR, R.ADMIN)
def change_competence(person_id: int, competence_id: int):
    """Another backstop (or none) or note for one competence."""
    person = get_in_village_or_404(User, person_id)
    competence = _own_competence(person, competence_id)
    backstops = _backstop_choices(person)
    form = CompetenceChangeForm(prefix=f"bevoegdheid-{competence.id}")
    form.backstop.choices = choices([(0, "geen achterwacht")] + backstops)
    if form.validate_on_submit():
        backstop = db.session.get(User, form.backstop.data) if form.backstop.data else None
        if run(form, lambda: service.change_competence(competence, backstop=backstop, note=form.note.data,
                                                       by=current_user), "De bevoegdheid is gewijzigd."):
            return redirect(url_for("people.volunteer_papers", person_id=person.id))
    papers = VolunteerPapersForm(prefix="papieren", formdata=None, data={
        "vog_date": person.volunteer_profile.vog_date,
        "contract_date": person.volunteer_profile.volunteer_contract_signed_on})
    return _papers_page(person, papers, _competence_form(person, backstops),
                        _change_forms(person, backstops, posted=form), 422)


@bp.post("/mensen/<int:person_id>/bevoegdheden/<int:competence_id>/verwijderen")
@roles_required(R.COORDINATOR, R.ADMIN)
def remove_competence(person_id: int, competence_id: int):
    person = get_in_village_or_404(User, person_id)
    competence = _own_competence(person, competence_id)
    if Form().validate_on_submit():
        run(None, lambda: service.remove_competence(competence, by=current_user), "De bevoegdheid is verwijderd.")
    return redirect(url_for("people.volunteer_papers", person_id=person.id))


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
    return render_template("people/my_data.html", person=current_user,
                           log=[audit_text.sentence(row, current_user) for row in service.looked_at(current_user)])


@bp.route("/mijn-vrijwilligerswerk", methods=["GET", "POST"])
@roles_required(R.VOLUNTEER)
def volunteer_profile():
    profile = current_user.volunteer_profile
    if profile is None:
        abort(404)
    categories = service.offered_categories(current_user.village_id)
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


# A task anyone may do once they may help at all: what the rule still says against it is
# what keeps every proposal away (not approved, paused, no or an expired VOG).
_ANY_OPEN_TASK = SimpleNamespace(name="hulp", rule=eligibility.OPEN)


def _volunteer_panel(user):
    profile = user.volunteer_profile
    if profile is None:
        return {"blocking": []}
    facts = eligibility.HelperFacts(kind=eligibility.VOLUNTEER, active=user.active, approved=profile.approved,
                                    paused=profile.paused, vog_date=profile.vog_date, offers=True)
    blocking = eligibility.ineligibility(facts, _ANY_OPEN_TASK, local_now().date(),
                                         current_app.config["VOG_VALID_YEARS"])
    return {"blocking": blocking, "vog_until": service.vog_valid_until(profile)}


registry.nav_link("Mensen", "people.index", R.COORDINATOR, R.ADMIN, order=30)
registry.nav_link("Mijn gegevens", "people.my_data", *R.ALL, order=90)
registry.home_panel("people/panels/coordinator.html", R.COORDINATOR, order=40, context=_coordinator_panel)
registry.home_panel("people/panels/volunteer_blocked.html", R.VOLUNTEER, order=5, context=_volunteer_panel)
registry.home_panel("people/panels/volunteer.html", R.VOLUNTEER, order=40)
