"""Forgetting a person (AVG art. 17, "Vergeet mij"): the coordinator or the admin erases a
person at their request, after a page that says what happens.

The person's row stays, so that the counts the gemeente sees and the audit log keep pointing
at it, but it holds nothing that says who it was: it reads "Persoon <id>". Their requests lose
their content through the same code as the retention job (`requests.retention.anonymise`);
free text elsewhere loses the name, e-mail address and phone number (every text column of
every table of the village is searched); hours keep what the tax rules on the volunteer
allowance ask (date, hours, km, costs); CarerQol scores stay for the figures, tied to the
pseudonym only. Audit rows are append-only and are never changed: they keep the person's id.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, String, Table, Text, cast, delete, func, or_, select, update

from coop.activities import queries as activity_queries
from coop.activities.models import Signup
from coop.aids.models import CANCELLED as AID_CANCELLED
from coop.aids.models import LENT as AID_LENT
from coop.aids.models import RESERVED as AID_RESERVED
from coop.aids.models import AidLoan
from coop.auth.models import AccountRequest, LoginAttempt, UserSession
from coop.circles.models import CircleMember
from coop.core import audit
from coop.core import outbox as O
from coop.core import roles as R
from coop.core.calls import CANCELLED as CALL_CANCELLED
from coop.core.calls import OPEN as CALL_OPEN
from coop.core.calls import CallTask
from coop.core.clock import now
from coop.core.errors import DomainError
from coop.core.models import FormSubmission, User
from coop.core.validation import display_phone
from coop.extensions import db
from coop.geo.models import GeocodeCache
from coop.matching.models import OPEN as OPEN_PROPOSALS
from coop.matching.models import Proposal
from coop.members.models import Mandate, Member
from coop.people.models import Absence, Competence, HoursEntry, ProfessionalProfile, VolunteerProfile, WeeklySlot
from coop.requests.models import OPEN_STATUSES, HelpRequest
from coop.requests.retention import anonymise
from coop.respite.models import CalendarFeed, CarerProfile, CarerQolCheckin, RespiteRequest, RespiteShift

PSEUDONYM = "Persoon"
REMOVED = "[verwijderd]"
STAFF = (R.COORDINATOR, R.ADMIN, R.MUNICIPALITY, R.PLATFORM)
# Tables the free-text search leaves alone: the audit log is append-only (its rows keep the
# id, which now reads as a pseudonym), the person's own row is rewritten below, and the
# gazetteer is the public list of the village's addresses.
NOT_SEARCHED = {"audit_log", "audit_log_subjects", "users", "gazetteer_addresses"}


def pseudonym(user_id: int) -> str:
    return f"{PSEUDONYM} {user_id}"


@dataclass(frozen=True)
class Blocker:
    text: str


def blockers(person: User, by: User) -> list[Blocker]:
    """What has to happen first. Empty: the person can be forgotten now."""
    found: list[Blocker] = []
    if person.erased_at is not None:
        return [Blocker("Deze persoon is al vergeten.")]
    if person.id == by.id:
        return [Blocker("U kunt uzelf hier niet laten vergeten. Vraag het een collega.")]
    if person.has_role(*STAFF):
        found.append(Blocker("Deze persoon werkt voor de coöperatie of de gemeente. Een medewerker kunt u hier "
                             "niet vergeten."))
    open_requests = db.session.scalar(select(func.count(HelpRequest.id)).where(
        HelpRequest.resident_id == person.id, HelpRequest.status.in_(OPEN_STATUSES))) or 0
    if open_requests:
        found.append(Blocker(f"Er {'staat' if open_requests == 1 else 'staan'} nog {open_requests} open "
                             f"hulpvra{'ag' if open_requests == 1 else 'gen'}. Rond die eerst af of annuleer ze."))
    proposals = db.session.scalar(select(func.count(Proposal.id))
                                  .join(HelpRequest, HelpRequest.id == Proposal.request_id)
                                  .where(Proposal.helper_id == person.id, Proposal.status.in_(OPEN_PROPOSALS),
                                         HelpRequest.status.in_(OPEN_STATUSES))) or 0
    if proposals:
        found.append(Blocker(f"Deze persoon helpt nog bij {proposals} open hulpvra{'ag' if proposals == 1 else 'gen'}. "
                             "Trek die voorstellen eerst in."))
    shifts = db.session.scalar(select(func.count(RespiteShift.id))
                               .join(RespiteRequest, RespiteRequest.id == RespiteShift.request_id)
                               .where(RespiteShift.status != RespiteShift.CANCELLED, RespiteShift.ends_at > now(),
                                      or_(RespiteShift.volunteer_id == person.id, RespiteRequest.carer_id == person.id,
                                          RespiteRequest.care_recipient_id == person.id))) or 0
    if shifts:
        word = "is nog 1 respijtkeer" if shifts == 1 else f"zijn nog {shifts} respijtkeren"
        found.append(Blocker(f"Er {word} gepland. Zeg die eerst af."))
    lent = db.session.scalar(select(func.count(AidLoan.id)).where(AidLoan.resident_id == person.id,
                                                                  AidLoan.status == AID_LENT)) or 0
    if lent:
        found.append(Blocker(f"Deze persoon leent nog {lent} hulpmiddel{'' if lent == 1 else 'en'}. "
                             "Leg eerst vast dat het terug is."))
    coming = activity_queries.future_for(person.id)
    if coming:
        found.append(Blocker(f"Deze persoon staat nog bij {coming} komende "
                             f"activiteit{'' if coming == 1 else 'en'} (aangemeld, op de wachtlijst of als helper). "
                             "Meld die eerst af."))
    return found


def needles(person: User) -> list[str]:
    """The texts that say who the person is: name, e-mail address, phone number as stored and
    as written (06 12345678, 0612345678)."""
    found = {person.full_name.strip(), (person.email or "").strip()}
    if person.phone:
        shown = display_phone(person.phone)
        found |= {person.phone, shown, shown.replace(" ", ""), shown.replace(" ", "-")}
    return sorted((n for n in found if len(n) >= 4), key=len, reverse=True)


def erase(person: User, *, by: User, at: datetime | None = None) -> int:
    """Forget `person`; returns how many text fields elsewhere lost the name or contact. Caller commits."""
    problems = blockers(person, by)
    if problems:
        raise DomainError(problems[0].text)
    at = at or now()
    words = needles(person)
    pid = person.id

    for req in db.session.scalars(select(HelpRequest).where(HelpRequest.resident_id == pid)):
        anonymise(req, at)
    request_ids = select(HelpRequest.id).where(HelpRequest.resident_id == pid).scalar_subquery()
    _set(Proposal, or_(Proposal.request_id.in_(request_ids), Proposal.helper_id == pid), note="", reason="")
    _set(RespiteRequest, or_(RespiteRequest.carer_id == pid, RespiteRequest.care_recipient_id == pid), notes="")
    _set(CarerProfile, or_(CarerProfile.user_id == pid, CarerProfile.care_recipient_id == pid),
         routines="", what_calms="", who_to_call="", support_needs="", relationship_label="", sofa_roles=[])
    _set(CarerQolCheckin, CarerQolCheckin.carer_id == pid, flag_reasons=[])
    # What the Belastingdienst asks of an allowance stays: the day, the hours, km and costs.
    _set(HoursEntry, HoursEntry.helper_id == pid, description="")
    _set(VolunteerProfile, VolunteerProfile.user_id == pid, motivation="", preferences="", paused=True)
    _set(Competence, Competence.volunteer_id == pid, note="")
    _set(ProfessionalProfile, ProfessionalProfile.user_id == pid, organisation="", discipline="")
    _set(Absence, Absence.user_id == pid, note="")
    # Loans stay for the figures (items lent per month), without the notes; a reservation lapses.
    _set(AidLoan, (AidLoan.resident_id == pid) & (AidLoan.status == AID_RESERVED), status=AID_CANCELLED,
         open_item_id=None)
    _set(AidLoan, AidLoan.resident_id == pid, notes="")
    _set(Signup, Signup.person_id == pid, dietary_note="")
    # The household's bank account goes (it pays by transfer from now on, see members.service.plan);
    # the mandate's reference and the contributions stay for the books, without a name.
    households = select(Member.household_id).where(Member.user_id == pid).scalar_subquery()
    _set(Mandate, Mandate.household_id.in_(households), iban=None, bic=None, account_holder=REMOVED)
    _set(CallTask, CallTask.person_id == pid, outcome_note="", taken_over_by=None)
    _set(CallTask, (CallTask.person_id == pid) & (CallTask.status == CALL_OPEN), status=CALL_CANCELLED)
    _set(O.FollowUp, (O.FollowUp.recipient_id == pid) & O.FollowUp.status.in_((O.PENDING, O.FAILED)),
         status=O.CANCELLED)
    _set(O.FollowUp, O.FollowUp.recipient_id == pid, payload={}, body=None, title=None, last_error=None)
    # Out of every phone circle (their absences and missed calls go with the membership), and
    # no longer anyone's key holder.
    _set(CircleMember, CircleMember.key_holder_id == pid, key_holder_id=None, key_holder_relation="")
    for model, where in ((CircleMember, CircleMember.person_id == pid),
                         (WeeklySlot, WeeklySlot.user_id == pid), (UserSession, UserSession.user_id == pid),
                         (CalendarFeed, CalendarFeed.user_id == pid), (FormSubmission, FormSubmission.user_id == pid)):
        db.session.execute(delete(model).where(where).execution_options(synchronize_session=False))
    if person.email:
        email = person.email.lower()
        for column in (LoginAttempt.email, AccountRequest.email):
            db.session.execute(delete(column.class_).where(func.lower(column) == email)
                               .execution_options(synchronize_session=False))
    if person.street and person.house_number:
        address = f"%{person.street} {person.house_number}%".lower()
        db.session.execute(delete(GeocodeCache).where(func.lower(GeocodeCache.query).like(address))
                           .execution_options(synchronize_session=False))

    scrubbed = scrub(person.village_id, words)

    person.first_name, person.last_name = PSEUDONYM, str(pid)
    person.email = person.password_hash = person.phone = None
    person.street = person.house_number = person.postcode = person.place = None
    person.lat = person.lon = None
    person.active = False
    person.session_version += 1
    person.last_login_at = None
    person.erased_at = at
    db.session.flush()
    audit.record("person.erased", actor=by, subject=person, on_behalf_of=person, village_id=person.village_id)
    # The bulk updates above went past the objects in the session: read them again.
    db.session.expire_all()
    return scrubbed


def _set(model: Any, where: Any, **values: Any) -> None:
    db.session.execute(update(model).where(where).values(**values).execution_options(synchronize_session=False))


# --- free text anywhere -------------------------------------------------------------------

def _texts(table: Table) -> list[Column[Any]]:
    return [c for c in table.columns if isinstance(c.type, String | Text | JSON) and not c.primary_key
            and not c.foreign_keys]


def _scope(table: Table, village_id: int) -> Any:
    """Only the village's rows: by its own village column, or through a reference to a table
    that has one. None: the table is not tied to a village (searched whole)."""
    if "village_id" in table.c:
        return table.c.village_id == village_id
    for column in table.columns:
        for fk in column.foreign_keys:
            parent = fk.column.table
            if "village_id" in parent.c:
                return column.in_(select(fk.column).where(parent.c.village_id == village_id))
    return None


def _replace(value: Any, patterns: list[re.Pattern[str]], limit: int | None) -> Any:
    if isinstance(value, str):
        for pattern in patterns:
            value = pattern.sub(REMOVED, value)
        return value[:limit] if limit else value
    if isinstance(value, list):
        return [_replace(v, patterns, None) for v in value]
    if isinstance(value, dict):
        return {k: _replace(v, patterns, None) for k, v in value.items()}
    return value


def scrub(village_id: int, words: Iterable[str]) -> int:
    """Replace each of `words` (any case) in every text column of the village's rows."""
    words = [w for w in words if w]
    if not words:
        return 0
    patterns = [re.compile(re.escape(w), re.IGNORECASE) for w in words]
    changed = 0
    for table in db.metadata.sorted_tables:
        columns = _texts(table)
        if table.name in NOT_SEARCHED or not columns:
            continue
        scope = _scope(table, village_id)
        key = list(table.primary_key.columns)
        for column in columns:
            text = func.lower(cast(column, Text))
            hit = or_(*(text.contains(w.lower(), autoescape=True) for w in words))
            stmt = select(*key, column).where(hit)
            if scope is not None:
                stmt = stmt.where(scope)
            for row in db.session.execute(stmt).all():
                value = _replace(row[-1], patterns, getattr(column.type, "length", None))
                db.session.execute(update(table).where(*(k == row[i] for i, k in enumerate(key)))
                                   .values({column.name: value}))
                changed += 1
    return changed
