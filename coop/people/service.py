"""The rules about people: who may help with what, approving volunteers, intake of residents."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from flask import current_app
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.interfaces import LoaderOption

from coop.core import audit, dutch
from coop.core import roles as R
from coop.core.clock import local_now, now
from coop.core.errors import DomainError
from coop.core.models import AuditLog, TaskCategory, User, Village
from coop.core.validation import normalise_email, normalise_phone, normalise_postcode
from coop.extensions import db
from coop.geo.distance import check_pin
from coop.geo.geocoders import Address, geocode
from coop.people import eligibility
from coop.people.models import Competence, ProfessionalProfile, VolunteerProfile

# A person's place (users.place) is shorter than a village's name may be: the name stands in for it.
PLACE_MAX = 80


def vog_valid_until(profile: VolunteerProfile) -> date | None:
    if profile.vog_date is None:
        return None
    return profile.vog_date + relativedelta(years=current_app.config["VOG_VALID_YEARS"])


def vog_valid(profile: VolunteerProfile, on: date | None = None) -> bool:
    return eligibility.vog_valid(profile.vog_date, on or local_now().date(), current_app.config["VOG_VALID_YEARS"])


def competence_for(profile: VolunteerProfile, category: TaskCategory) -> Competence | None:
    return next((c for c in profile.competences if c.category_id == category.id), None)


def facts_loaded() -> tuple[LoaderOption, ...]:
    """Loader options for a query of Users: everything facts_for reads, in three more queries
    for all of them together, so checking a list of helpers costs no query per helper."""
    return (selectinload(User.volunteer_profile).selectinload(VolunteerProfile.categories),
            selectinload(User.volunteer_profile).selectinload(VolunteerProfile.competences),
            selectinload(User.professional_profile).selectinload(ProfessionalProfile.categories))


def facts_for(user: User, category: TaskCategory, on: date) -> eligibility.HelperFacts:
    """The facts the eligibility rule needs, read from one person's records."""
    if user.has_role(R.PROFESSIONAL) and user.professional_profile is not None:
        return eligibility.HelperFacts(kind=eligibility.PROFESSIONAL, active=user.active,
                                       offers=category in user.professional_profile.categories)
    profile = user.volunteer_profile
    if profile is None:
        return eligibility.HelperFacts(kind=eligibility.VOLUNTEER, active=user.active, has_volunteer_role=False)
    competence = competence_for(profile, category)
    return eligibility.HelperFacts(
        kind=eligibility.VOLUNTEER, active=user.active, has_volunteer_role=user.has_role(R.VOLUNTEER),
        approved=profile.approved, paused=profile.paused, vog_date=profile.vog_date,
        contract_signed_on=profile.volunteer_contract_signed_on, offers=category in profile.categories,
        competence=competence is not None, backstop=competence is not None and competence.backstop_id is not None)


def ineligibility_reasons(user: User, category: TaskCategory, on: date | None = None) -> list[str]:
    """Why `user` may not take on a task of `category` (empty: eligible); see people/eligibility.py."""
    on = on or local_now().date()
    return eligibility.ineligibility(facts_for(user, category, on), category, on,
                                     current_app.config["VOG_VALID_YEARS"])


def approve_volunteer(volunteer: User, *, by: User) -> None:
    profile = volunteer.volunteer_profile
    if profile is None:
        raise DomainError("Deze persoon heeft zich niet als vrijwilliger aangemeld.")
    if profile.approved:
        raise DomainError("Deze vrijwilliger is al goedgekeurd.")
    profile.approved_at = now()
    profile.approved_by_id = by.id
    audit.record("volunteer.approved", actor=by, subject=volunteer)


def set_paused(volunteer: User, paused: bool, *, by: User) -> None:
    profile = volunteer.volunteer_profile
    if profile is None:
        raise DomainError("Deze persoon is geen vrijwilliger.")
    profile.paused = paused
    audit.record("volunteer.paused" if paused else "volunteer.resumed", actor=by, subject=volunteer)


def email_taken(email: str, *, except_user: User | None = None) -> bool:
    stmt = select(User.id).where(func.lower(User.email) == email.lower())
    if except_user is not None:
        stmt = stmt.where(User.id != except_user.id)
    return db.session.scalar(stmt) is not None


def create_person(*, village: Village, first_name: str, last_name: str, by: User | None,
                  email: str | None = None, phone: str | None = None, street: str | None = None,
                  house_number: str | None = None, postcode: str | None = None,
                  place: str | None = None, roles: tuple[str, ...] = (R.RESIDENT,),
                  password_hash: str | None = None) -> User:
    """A person in the village; the coordinator may make one without e-mail or password."""
    first_name, last_name = (first_name or "").strip(), (last_name or "").strip()
    if not first_name:
        raise DomainError("Vul de voornaam in.", "first_name")
    if not last_name:
        raise DomainError("Vul de achternaam in.", "last_name")
    if email:
        email = normalise_email(email)
        if email_taken(email):
            raise DomainError("Dit e-mailadres is al in gebruik.", "email")
    user = User(village=village, first_name=first_name, last_name=last_name,
                email=email or None, password_hash=password_hash,
                phone=normalise_phone(phone) if phone else None,
                street=(street or "").strip() or None, house_number=(house_number or "").strip() or None,
                postcode=normalise_postcode(postcode) if postcode else None,
                place=(place or "").strip()[:PLACE_MAX] or village.name[:PLACE_MAX],
                created_by_id=by.id if by else None)
    # On the map from the start when a geocoder knows the address; else listed as not yet
    # on the map, where the coordinator sets the pin.
    found = geocode(Address.of(user), village.id) if user.street else None
    if found is not None:
        user.lat, user.lon = found.lat, found.lon
    for role in roles:
        user.add_role(role)
    db.session.add(user)
    db.session.flush()
    audit.record("person.created", actor=by or user, subject=user, detail=",".join(roles))
    return user


def search_people(village_id: int, text: str = "", role: str | None = None, limit: int = 200) -> list[User]:
    stmt = select(User).where(User.village_id == village_id)
    if text:
        like = f"%{text.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(User.first_name).like(like), func.lower(User.last_name).like(like),
                              func.lower(User.street).like(like), func.lower(User.postcode).like(like)))
    if role:
        from coop.core.models import UserRole
        stmt = stmt.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == role)))
    return list(db.session.scalars(stmt.order_by(User.last_name, User.first_name).limit(limit)))


def looked_at(person: User, limit: int = 100) -> list[AuditLog]:
    """What the audit log holds about `person` (as subject, among those shown, or acted for),
    newest first, with who did it and for whom."""
    return list(db.session.scalars(select(AuditLog).where(audit.concerning(person.id))
                                   .options(selectinload(AuditLog.actor), selectinload(AuditLog.on_behalf_of))
                                   .order_by(AuditLog.id.desc()).limit(limit)))


def offered_categories(village_id: int) -> list[TaskCategory]:
    """What a volunteer can say they offer: the village's active open and trained tasks."""
    return list(db.session.scalars(select(TaskCategory).where(
        TaskCategory.village_id == village_id, TaskCategory.active,
        TaskCategory.rule.in_((TaskCategory.OPEN, TaskCategory.TRAINED))).order_by(TaskCategory.sort_order)))


def pending_volunteers(village_id: int) -> list[User]:
    stmt = (select(User).join(VolunteerProfile, VolunteerProfile.user_id == User.id)
            .where(User.village_id == village_id, VolunteerProfile.approved_at.is_(None))
            .order_by(User.created_at))
    return list(db.session.scalars(stmt))


def add_professional_profile(user: User, *, organisation: str, discipline: str,
                             categories: list[TaskCategory]) -> ProfessionalProfile:
    from coop.people.models import helper_categories
    profile = ProfessionalProfile(user=user, organisation=organisation, discipline=discipline)
    db.session.add(profile)
    db.session.flush()
    for category in categories:
        db.session.execute(helper_categories.insert().values(user_id=user.id, category_id=category.id))
    return profile


def _day(value: date | None) -> str:
    return dutch.short_date(value)


def _change_text(what: str, old: date | None, new: date | None) -> str:
    if old is None:
        return f"{what} {_day(new)} vastgelegd"
    if new is None:
        return f"{what} {_day(old)} verwijderd"
    return f"{what} gewijzigd van {_day(old)} naar {_day(new)}"


def _age_text(under_21: bool) -> str:
    return "jonger dan 21 jaar" if under_21 else "21 jaar of ouder"


def record_papers(volunteer: User, *, vog_date: date | None, contract_date: date | None, by: User,
                  under_21: bool | None = None) -> None:
    """The coordinator records, corrects or removes (empty) the VOG date and the date the
    volunteer agreement was signed and, when given, whether the volunteer is under 21 (a lower
    hourly maximum of the volunteer allowance). Each change goes into the audit log: who, when,
    old and new."""
    profile = volunteer.volunteer_profile
    if profile is None:
        raise DomainError("Deze persoon is geen vrijwilliger.")
    today = local_now().date()
    if vog_date and vog_date > today:
        raise DomainError("De datum van de VOG kan niet in de toekomst liggen.", "vog_date")
    if contract_date and contract_date > today:
        raise DomainError("De overeenkomst kan niet in de toekomst getekend zijn.", "contract_date")
    if vog_date != profile.vog_date:
        audit.record("volunteer.vog", actor=by, subject=volunteer,
                     detail=_change_text("VOG-datum", profile.vog_date, vog_date))
        profile.vog_date = vog_date
    if contract_date != profile.volunteer_contract_signed_on:
        audit.record("volunteer.contract", actor=by, subject=volunteer,
                     detail=_change_text("Vrijwilligersovereenkomst getekend op",
                                         profile.volunteer_contract_signed_on, contract_date))
        profile.volunteer_contract_signed_on = contract_date
    if under_21 is not None and under_21 != profile.under_21:
        audit.record("volunteer.age_band", actor=by, subject=volunteer,
                     detail=f"{_age_text(profile.under_21)} → {_age_text(under_21)}")
        profile.under_21 = under_21


def _check_backstop(volunteer: User, backstop: User | None) -> None:
    if backstop is not None and (backstop.village_id != volunteer.village_id or not backstop.has_role(R.PROFESSIONAL)):
        raise DomainError("De achterwacht moet een zorgprofessional uit het dorp zijn.", "backstop")


def _backstop_text(backstop: User | None) -> str:
    return f"achterwacht {backstop.full_name}" if backstop is not None else "geen achterwacht"


def record_competence(volunteer: User, *, category: TaskCategory | None, backstop: User | None, note: str,
                      by: User) -> Competence:
    """A volunteer is competent for a `trained` task, with a named professional backstop."""
    profile = volunteer.volunteer_profile
    if profile is None:
        raise DomainError("Deze persoon is geen vrijwilliger.")
    if category is None or category.village_id != volunteer.village_id or category.rule != TaskCategory.TRAINED:
        raise DomainError("Kies een taak waarvoor training nodig is.", "category")
    if backstop is None:
        raise DomainError("Kies een achterwacht.", "backstop")
    _check_backstop(volunteer, backstop)
    competence = competence_for(profile, category)
    if competence is not None:
        change_competence(competence, backstop=backstop, note=note, by=by)
        return competence
    competence = Competence(category_id=category.id, volunteer_id=profile.user_id, recorded_on=local_now().date(),
                            backstop_id=backstop.id, note=(note or "").strip())
    profile.competences.append(competence)
    audit.record("volunteer.competence", actor=by, subject=volunteer,
                 detail=f"{category.name}, {_backstop_text(backstop)}")
    return competence


def _own_competence(volunteer: User, competence: Competence) -> VolunteerProfile:
    profile = volunteer.volunteer_profile
    if profile is None or competence.volunteer_id != profile.user_id:
        raise DomainError("Deze bevoegdheid hoort niet bij deze vrijwilliger.")
    return profile


def change_competence(competence: Competence, *, backstop: User | None, note: str, by: User) -> None:
    """Another backstop, none (the task is then not allowed: "geen professionele achterwacht"),
    or another note for a recorded competence."""
    volunteer = competence.volunteer.user
    _own_competence(volunteer, competence)
    _check_backstop(volunteer, backstop)
    note = (note or "").strip()
    old_backstop = competence.backstop
    changes = []
    if (old_backstop.id if old_backstop else None) != (backstop.id if backstop else None):
        changes.append(f"{_backstop_text(old_backstop)} → {_backstop_text(backstop)}")
    if note != (competence.note or ""):
        changes.append("toelichting gewijzigd")
    if not changes:
        return
    competence.backstop = backstop
    competence.backstop_id = backstop.id if backstop else None
    competence.note = note
    audit.record("volunteer.competence_changed", actor=by, subject=volunteer,
                 detail=f"{competence.category.name}: {'; '.join(changes)}")


def remove_competence(competence: Competence, *, by: User) -> None:
    """The volunteer is no longer competent for this task (it is then not allowed)."""
    volunteer = competence.volunteer.user
    profile = _own_competence(volunteer, competence)
    name = competence.category.name
    profile.competences.remove(competence)
    audit.record("volunteer.competence_removed", actor=by, subject=volunteer, detail=name)


# What the person's page lists under "Wat er is gewijzigd", from the audit log.
HISTORY_LABELS = {
    "person.created": "vastgelegd",
    "person.address": "adres gewijzigd",
    "person.located": "plek op de kaart gevonden",
    "person.pinned": "plek op de kaart gezet",
    "volunteer.approved": "goedgekeurd als vrijwilliger",
    "volunteer.paused": "op pauze gezet",
    "volunteer.resumed": "pauze opgeheven",
    "volunteer.papers": "VOG en overeenkomst",
    "volunteer.vog": "VOG",
    "volunteer.contract": "vrijwilligersovereenkomst",
    "volunteer.age_band": "leeftijd voor de vrijwilligersvergoeding",
    "volunteer.competence": "bevoegdheid vastgelegd",
    "volunteer.competence_changed": "bevoegdheid gewijzigd",
    "volunteer.competence_removed": "bevoegdheid verwijderd",
}


def history(person: User, limit: int = 50) -> list[AuditLog]:
    """The changes to a person's record, newest first, with who made them (one query)."""
    return list(db.session.scalars(
        select(AuditLog).options(joinedload(AuditLog.actor))
        .where(AuditLog.subject_user_id == person.id, AuditLog.action.in_(HISTORY_LABELS))
        .order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(limit)))


# --- where a person is on the map -------------------------------------------------------

@dataclass(frozen=True)
class Place:
    """A person's address and pin as they were before a change (for the listeners)."""
    street: str | None
    house_number: str | None
    postcode: str | None
    place: str | None
    lat: float | None
    lon: float | None

    @classmethod
    def of(cls, person: User) -> Place:
        return cls(person.street, person.house_number, person.postcode, person.place, person.lat, person.lon)


PlaceListener = Callable[[User, Place, User | None], None]
_place_listeners: list[PlaceListener] = []


def on_place_change(fn: PlaceListener) -> PlaceListener:
    """Register fn(person, old_place, by), called after a person's address or pin changed.

    Requests register here, so a request at the resident's home follows the resident.
    """
    _place_listeners.append(fn)
    return fn


def _place_changed(person: User, old: Place, by: User | None) -> None:
    for listener in _place_listeners:
        listener(person, old, by)


def locate_person(person: User, *, by: User | None) -> bool:
    """Look the person's address up with the configured geocoder and set the pin.

    False, and nothing changed, when no geocoder knows the address (or the network is down).
    """
    found = geocode(Address.of(person), person.village_id) if person.street else None
    if found is None:
        return False
    old = Place.of(person)
    person.lat, person.lon = found.lat, found.lon
    audit.record("person.located", actor=by, subject=person, detail=f"gevonden via {found.source}")
    _place_changed(person, old, by)
    return True


def place_person(person: User, lat: str | float | None, lon: str | float | None, *, by: User) -> None:
    """The coordinator sets or corrects a person's pin by hand (a click on the map)."""
    lat_f, lon_f = check_pin(lat, lon)
    old = Place.of(person)
    person.lat, person.lon = lat_f, lon_f
    audit.record("person.pinned", actor=by, subject=person, detail=f"{lat_f:.5f}, {lon_f:.5f}")
    _place_changed(person, old, by)


def change_address(person: User, *, street: str, house_number: str, postcode: str | None,
                   place: str | None, by: User) -> bool:
    """A new address. Its pin comes from the geocoder (True) or, when none knows it, the old
    pin is removed and the person is listed as not yet on the map (False)."""
    street, house_number = (street or "").strip(), (house_number or "").strip()
    if not street:
        raise DomainError("Vul de straat in.", "street")
    if not house_number:
        raise DomainError("Vul het huisnummer in.", "house_number")
    old = Place.of(person)
    person.street, person.house_number = street[:120], house_number[:12]
    person.postcode = normalise_postcode(postcode) if postcode and postcode.strip() else None
    person.place = (place or "").strip()[:PLACE_MAX] or person.village.name[:PLACE_MAX]
    found = geocode(Address.of(person), person.village_id)
    person.lat, person.lon = (found.lat, found.lon) if found else (None, None)
    audit.record("person.address", actor=by, subject=person,
                 detail=person.address_line + ("" if found else " (nog niet op de kaart)"))
    _place_changed(person, old, by)
    return found is not None
