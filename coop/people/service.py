"""The rules about people: who may help with what, approving volunteers, intake of residents."""
from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from flask import current_app
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.interfaces import LoaderOption

from coop.core import audit
from coop.core import roles as R
from coop.core.clock import local_now, now
from coop.core.errors import DomainError
from coop.core.models import AuditLog, TaskCategory, User, Village
from coop.core.validation import normalise_email, normalise_phone, normalise_postcode
from coop.extensions import db
from coop.people import eligibility
from coop.people.models import Competence, ProfessionalProfile, VolunteerProfile


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
        agreement_on=profile.volunteer_agreement_signed_on, offers=category in profile.categories,
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
                place=(place or "").strip() or village.name,
                created_by_id=by.id if by else None)
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


def looked_at(person: User, limit: int = 50) -> list[AuditLog]:
    """What the audit log holds about `person`, newest first, with who did it."""
    return list(db.session.scalars(select(AuditLog).where(AuditLog.subject_user_id == person.id)
                                   .order_by(AuditLog.at.desc()).limit(limit).options(selectinload(AuditLog.actor))))


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


def record_papers(volunteer: User, *, vog_date: date | None, agreement_date: date | None, by: User,
                  under_21: bool | None = None) -> None:
    """The coordinator records the VOG date, the signed volunteer agreement and, when given,
    whether the volunteer is under 21 (a lower hourly maximum of the volunteer allowance)."""
    profile = volunteer.volunteer_profile
    if profile is None:
        raise DomainError("Deze persoon is geen vrijwilliger.")
    today = local_now().date()
    if vog_date and vog_date > today:
        raise DomainError("De datum van de VOG kan niet in de toekomst liggen.", "vog_date")
    if agreement_date and agreement_date > today:
        raise DomainError("De overeenkomst kan niet in de toekomst getekend zijn.", "agreement_date")
    profile.vog_date = vog_date
    profile.volunteer_agreement_signed_on = agreement_date
    if under_21 is not None:
        profile.under_21 = under_21
    audit.record("volunteer.papers", actor=by, subject=volunteer,
                 detail=f"VOG {vog_date or '-'}, overeenkomst {agreement_date or '-'}, "
                        f"onder 21 {'ja' if profile.under_21 else 'nee'}")


def record_competence(volunteer: User, *, category: TaskCategory | None, backstop: User | None, note: str,
                      by: User) -> Competence:
    """A volunteer is competent for a `trained` task, with a named professional backstop."""
    profile = volunteer.volunteer_profile
    if profile is None:
        raise DomainError("Deze persoon is geen vrijwilliger.")
    if category is None or category.village_id != volunteer.village_id or category.rule != TaskCategory.TRAINED:
        raise DomainError("Kies een taak waarvoor training nodig is.", "category")
    if backstop is None or backstop.village_id != volunteer.village_id or not backstop.has_role(R.PROFESSIONAL):
        raise DomainError("De achterwacht moet een zorgprofessional uit het dorp zijn.", "backstop")
    competence = competence_for(profile, category)
    if competence is None:
        competence = Competence(category_id=category.id, volunteer_id=profile.user_id,
                                recorded_on=local_now().date())
        db.session.add(competence)
    competence.backstop_id = backstop.id
    competence.note = (note or "").strip()
    audit.record("volunteer.competence", actor=by, subject=volunteer, detail=category.code)
    return competence
