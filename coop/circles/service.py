"""The phone circle's rules: making a circle, its order, key holders and absences; each
morning's order, a missed call (which alerts at once) and the confirmation that it was round.

Everything here is part of the caller's transaction; a refusal is a DomainError in Dutch and
changes nothing (views call these through `run`, in a savepoint).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from coop.circles import alerts
from coop.circles.models import CircleAbsence, CircleMember, CircleRound, MissedCall, PhoneCircle
from coop.core import audit
from coop.core import roles as R
from coop.core.clock import local_now, now
from coop.core.errors import DomainError
from coop.core.models import User, Village
from coop.extensions import db
from coop.people import service as people

MIN_MEMBERS = 2
TOO_FEW = "Een telefooncirkel heeft minstens twee deelnemers nodig: wie als laatste belt, belt de eerste."
NAME_MAX = 80


def today() -> date:
    return local_now().date()


# --- the circle --------------------------------------------------------------------------------

def _check_times(start_time: time | None, confirm_by: time | None) -> None:
    if start_time is None:
        raise DomainError("Vul in hoe laat de eerste belt.", "start_time")
    if confirm_by is None:
        raise DomainError("Vul in hoe laat de ronde rond moet zijn.", "confirm_by")
    if confirm_by <= start_time:
        raise DomainError("De ronde moet rond zijn ná de begintijd.", "confirm_by")


def _check_name(village_id: int, name: str, circle: PhoneCircle | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise DomainError("Geef de cirkel een naam, bijvoorbeeld Austerlitz Belt.", "name")
    if len(name) > NAME_MAX:
        raise DomainError(f"Gebruik voor de naam hoogstens {NAME_MAX} tekens.", "name")
    stmt = select(PhoneCircle.id).where(PhoneCircle.village_id == village_id,
                                        func.lower(PhoneCircle.name) == name.lower())
    if circle is not None:
        stmt = stmt.where(PhoneCircle.id != circle.id)
    if db.session.scalar(stmt) is not None:
        raise DomainError("Er is al een telefooncirkel met deze naam.", "name")
    return name


def _check_resident(person: User | None, village_id: int, field: str) -> User:
    if person is None or person.village_id != village_id or not person.has_role(R.RESIDENT) \
            or person.erased_at is not None:
        raise DomainError("Kies een inwoner van het dorp.", field)
    return person


def create_circle(village: Village, *, name: str, start_time: time | None, confirm_by: time | None,
                  members: list[User | None], by: User) -> PhoneCircle:
    """A circle with its first members, in the order given (at least two, each once)."""
    name = _check_name(village.id, name)
    _check_times(start_time, confirm_by)
    assert start_time is not None and confirm_by is not None
    people = [_check_resident(p, village.id, "members") for p in members]
    ids = [m.id for m in people]
    if len(set(ids)) != len(ids):
        raise DomainError("Iemand staat twee keer in de lijst; kies elke deelnemer één keer.", "members")
    if len(people) < MIN_MEMBERS:
        raise DomainError(TOO_FEW, "members")
    circle = PhoneCircle(village_id=village.id, name=name, start_time=start_time, confirm_by=confirm_by,
                         created_by_id=by.id)
    circle.members = [CircleMember(village_id=village.id, person=p, position=i + 1) for i, p in enumerate(people)]
    db.session.add(circle)
    db.session.flush()
    audit.record("circle.created", actor=by, subjects=people, village_id=village.id,
                 detail=f"telefooncirkel {circle.id}")
    return circle


def change_times(circle: PhoneCircle, *, name: str, start_time: time | None, confirm_by: time | None,
                 by: User) -> None:
    circle.name = _check_name(circle.village_id, name, circle)
    _check_times(start_time, confirm_by)
    assert start_time is not None and confirm_by is not None
    circle.start_time, circle.confirm_by = start_time, confirm_by
    audit.record("circle.changed", actor=by, village_id=circle.village_id, detail=f"telefooncirkel {circle.id}")


def circles_of_village(village_id: int) -> list[PhoneCircle]:
    return list(db.session.scalars(
        select(PhoneCircle).where(PhoneCircle.village_id == village_id)
        .options(selectinload(PhoneCircle.members).selectinload(CircleMember.absences))
        .order_by(PhoneCircle.name)))


# --- members and their order ---------------------------------------------------------------------

def add_member(circle: PhoneCircle, person: User | None, *, by: User) -> CircleMember:
    """At the end of the order: the one who was last now phones the newcomer."""
    person = _check_resident(person, circle.village_id, "person")
    if any(m.person_id == person.id for m in circle.members):
        raise DomainError(f"{person.full_name} staat al in deze cirkel.", "person")
    last = max((m.position for m in circle.members), default=0)
    member = CircleMember(village_id=circle.village_id, person=person, position=last + 1)
    circle.members.append(member)
    db.session.flush()
    audit.record("circle.member_added", actor=by, subject=person, detail=f"telefooncirkel {circle.id}")
    return member


def remove_member(member: CircleMember, *, by: User) -> None:
    circle = member.circle
    if len(circle.members) <= MIN_MEMBERS:
        raise DomainError(TOO_FEW + " Voeg eerst iemand toe, of laat de cirkel zo.")
    person = member.person
    circle.members.remove(member)
    for i, m in enumerate(sorted(circle.members, key=lambda m: m.position)):
        m.position = i + 1
    db.session.flush()
    audit.record("circle.member_removed", actor=by, subject=person, detail=f"telefooncirkel {circle.id}")


def move(member: CircleMember, direction: str, *, by: User) -> None:
    """One place up or down in the order: the member swaps with the neighbour."""
    order = sorted(member.circle.members, key=lambda m: m.position)
    at = order.index(member)
    to = at - 1 if direction == "up" else at + 1 if direction == "down" else None
    if to is None:
        raise DomainError("Kies omhoog of omlaag.")
    if not 0 <= to < len(order):
        raise DomainError("Deze deelnemer staat al " + ("bovenaan." if direction == "up" else "onderaan."))
    other = order[to]
    member.position, other.position = other.position, member.position
    audit.record("circle.order_changed", actor=by, subject=member.person,
                 detail=f"telefooncirkel {member.circle_id}: plaats {member.position}")


def set_key_holder(member: CircleMember, *, key_holder: User | None, relation: str, by: User,
                   new_first_name: str = "", new_last_name: str = "", new_phone: str = "",
                   new_email: str = "") -> User | None:
    """The contact person with a key: someone of the village already known, or a new contact
    (a person record without login or role, so the outbox can mail or phone them). None clears it."""
    relation = (relation or "").strip()
    if len(relation) > 60:
        raise DomainError("Gebruik hier hoogstens 60 tekens.", "relation")
    typed = any(v.strip() for v in (new_first_name, new_last_name, new_phone, new_email))
    if key_holder is not None and typed:
        raise DomainError("Kies iemand uit de lijst óf vul een nieuwe contactpersoon in, niet allebei.", "key_holder")
    if typed:
        if not new_phone.strip():
            raise DomainError("Vul het telefoonnummer van de sleutelhouder in.", "new_phone")
        village = db.session.get(Village, member.village_id)
        assert village is not None
        key_holder = people.create_person(village=village, first_name=new_first_name,
                                          last_name=new_last_name, phone=new_phone, email=new_email or None,
                                          by=by, roles=())
    if key_holder is not None:
        if key_holder.village_id != member.village_id or key_holder.erased_at is not None:
            raise DomainError("Kies iemand uit de lijst.", "key_holder")
        if key_holder.id == member.person_id:
            raise DomainError("De sleutelhouder is iemand anders dan de deelnemer zelf.", "key_holder")
        if not key_holder.phone:
            raise DomainError(f"Van {key_holder.full_name} is geen telefoonnummer bekend; de sleutelhouder moet "
                              "gebeld kunnen worden. Vul het nummer in bij de persoon.", "key_holder")
    member.key_holder = key_holder
    member.key_holder_relation = relation if key_holder is not None else ""
    audit.record("circle.key_holder_set", actor=by, subject=member.person,
                 subjects=[key_holder] if key_holder else (), detail=f"telefooncirkel {member.circle_id}")
    return key_holder


# --- absences -------------------------------------------------------------------------------------

def add_absence(member: CircleMember, *, starts_on: date | None, ends_on: date | None, reason: str,
                by: User) -> CircleAbsence:
    if starts_on is None:
        raise DomainError("Vul de eerste dag van de afwezigheid in.", "starts_on")
    if ends_on is None:
        raise DomainError("Vul de laatste dag van de afwezigheid in.", "ends_on")
    if ends_on < starts_on:
        raise DomainError("De laatste dag ligt vóór de eerste dag. Kijk de datums nog eens na.", "ends_on")
    if reason not in CircleAbsence.REASONS:
        raise DomainError("Kies waarom de deelnemer weg is.", "reason")
    if (ends_on - starts_on).days > 366:
        raise DomainError("Een afwezigheid duurt hier hoogstens een jaar.", "ends_on")
    if any(a.starts_on <= ends_on and starts_on <= a.ends_on for a in member.absences):
        raise DomainError("In deze periode staat deze deelnemer al als afwezig.", "starts_on")
    home = [m for m in member.circle.members if m.id != member.id and not _away_somewhere(m, starts_on, ends_on)]
    if len(home) < MIN_MEMBERS:
        raise DomainError("Dan zijn er in die periode geen twee deelnemers thuis. " + TOO_FEW, "starts_on")
    absence = CircleAbsence(village_id=member.village_id, starts_on=starts_on, ends_on=ends_on, reason=reason,
                            created_by_id=by.id)
    member.absences.append(absence)
    db.session.flush()
    audit.record("circle.absence_added", actor=by, subject=member.person,
                 detail=f"telefooncirkel {member.circle_id}: {starts_on.isoformat()} t/m {ends_on.isoformat()}")
    return absence


def _away_somewhere(member: CircleMember, starts_on: date, ends_on: date) -> bool:
    """Whether the member is away on some day of the period (then they may not be the one left)."""
    return any(a.starts_on <= ends_on and starts_on <= a.ends_on for a in member.absences)


def remove_absence(absence: CircleAbsence, *, by: User) -> None:
    member = absence.member
    member.absences.remove(absence)
    audit.record("circle.absence_removed", actor=by, subject=member.person,
                 detail=f"telefooncirkel {member.circle_id}")


# --- one morning ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Call:
    """In the day's order: `member` phones `to` (the last phones the first)."""
    member: CircleMember
    to: CircleMember


def order_on(circle: PhoneCircle, day: date) -> list[CircleMember]:
    """The members who take part that day, in order: an absent member is left out and the one
    before them phones the one after."""
    return [m for m in sorted(circle.members, key=lambda m: m.position) if not m.absent_on(day)]


def calls_on(circle: PhoneCircle, day: date) -> list[Call]:
    present = order_on(circle, day)
    if len(present) < MIN_MEMBERS:
        return []
    return [Call(m, present[(i + 1) % len(present)]) for i, m in enumerate(present)]


def round_of(circle: PhoneCircle, day: date) -> CircleRound | None:
    return db.session.scalar(select(CircleRound).where(CircleRound.circle_id == circle.id, CircleRound.day == day)
                             .options(selectinload(CircleRound.missed)))


def rounds_on(village_id: int, day: date) -> dict[int, CircleRound]:
    """The rounds of `day` in a village, by circle (one query for a list of circles)."""
    return {r.circle_id: r for r in db.session.scalars(
        select(CircleRound).where(CircleRound.village_id == village_id, CircleRound.day == day)
        .options(selectinload(CircleRound.missed)))}


def _round(circle: PhoneCircle, day: date) -> CircleRound:
    found = round_of(circle, day)
    if found is None:
        found = CircleRound(village_id=circle.village_id, circle_id=circle.id, day=day)
        db.session.add(found)
        db.session.flush()
    return found


def member_of(circle: PhoneCircle, person: User) -> CircleMember | None:
    return next((m for m in circle.members if m.person_id == person.id), None)


def report_missed(circle: PhoneCircle, missed: CircleMember, *, by: User, caller: User | None = None) -> MissedCall:
    """Nobody answered at `missed` (after a second try). Writes it and queues, in the same
    transaction, the alerts to their key holder and the coordinators; the round goes on."""
    day = today()
    if missed.circle_id != circle.id:
        raise DomainError("Deze persoon staat niet in deze cirkel.")
    if missed not in order_on(circle, day):
        raise DomainError(f"{missed.person.full_name} is vandaag afwezig en wordt niet gebeld.")
    if len(order_on(circle, day)) < MIN_MEMBERS:
        raise DomainError("Deze cirkel belt vandaag niet: er is maar één deelnemer thuis.")
    if missed.person_id in (by.id, caller.id if caller else None):
        raise DomainError("U kunt niet melden dat u zelf niet opnam.")
    if caller is not None and member_of(circle, caller) is None:
        raise DomainError("Kies wie er belde uit de deelnemers van de cirkel.", "caller")
    rnd = _round(circle, day)
    if any(m.member_id == missed.id for m in rnd.missed):
        raise DomainError(f"Dit is al gemeld: de sleutelhouder van {missed.person.first_name} en de "
                          "dorpsondersteuner zijn gewaarschuwd.")
    row = MissedCall(village_id=circle.village_id, member=missed, reported_by_id=by.id,
                     caller_id=caller.id if caller is not None else None, reported_at=now())
    rnd.missed.append(row)
    db.session.flush()
    alerts.missed_call(row)
    audit.record("circle.no_answer", actor=by, subject=missed.person, on_behalf_of=caller,
                 detail=f"telefooncirkel {circle.id}")
    return row


def next_after(circle: PhoneCircle, member: CircleMember, day: date) -> CircleMember | None:
    """Whom to phone after `member` did not answer: the one after them in the day's order."""
    present = order_on(circle, day)
    if member not in present or len(present) < MIN_MEMBERS:
        return None
    return present[(present.index(member) + 1) % len(present)]


def may_confirm(circle: PhoneCircle, person: User, day: date) -> bool:
    """The last of the day's order, who makes the final call, or the first, who receives it."""
    present = order_on(circle, day)
    return len(present) >= MIN_MEMBERS and person.id in (present[0].person_id, present[-1].person_id)


def confirm_round(circle: PhoneCircle, *, by: User, for_member: User | None = None) -> CircleRound:
    """The round of today is complete. A member confirms for themselves (first or last of the
    order); the coordinator may confirm for the member who phoned in."""
    day = today()
    staff = by.has_role(R.COORDINATOR, R.ADMIN) and by.village_id == circle.village_id
    if len(order_on(circle, day)) < MIN_MEMBERS:
        raise DomainError("Deze cirkel belt vandaag niet: er is maar één deelnemer thuis.")
    if not staff and not may_confirm(circle, by, day):
        raise DomainError("Alleen de eerste of de laatste van vandaag meldt dat de ronde rond is.")
    rnd = _round(circle, day)
    if rnd.confirmed_at is not None:
        raise DomainError("De ronde van vandaag is al rond gemeld.")
    rnd.confirmed_at, rnd.confirmed_by_id = now(), by.id
    rnd.confirmed_for_id = for_member.id if for_member is not None and staff else None
    audit.record("circle.round_complete", actor=by, on_behalf_of=for_member if staff else None,
                 village_id=circle.village_id, detail=f"telefooncirkel {circle.id}, {day.isoformat()}")
    return rnd


MAX_NOTE = 500


def handle_missed(row: MissedCall, *, by: User, note: str) -> None:
    """The coordinator writes down how it ended (the key holder went, all was well)."""
    if row.handled_at is not None:
        raise DomainError("Deze melding is al afgehandeld.")
    note = (note or "").strip()
    if not note:
        raise DomainError("Schrijf kort op hoe het afliep.", "note")
    if len(note) > MAX_NOTE:
        raise DomainError(f"Houd de notitie korter dan {MAX_NOTE} tekens.", "note")
    row.handled_at, row.handled_by_id, row.handled_note = now(), by.id, note
    audit.record("circle.no_answer_handled", actor=by, subject=row.member.person,
                 detail=f"melding {row.id}")


def open_alerts(village_id: int) -> list[MissedCall]:
    """Missed calls the coordinator has not closed yet, oldest first."""
    return list(db.session.scalars(
        select(MissedCall).where(MissedCall.village_id == village_id, MissedCall.handled_at.is_(None))
        .options(selectinload(MissedCall.member).selectinload(CircleMember.person),
                 selectinload(MissedCall.member).selectinload(CircleMember.key_holder),
                 selectinload(MissedCall.round).selectinload(CircleRound.circle))
        .order_by(MissedCall.reported_at)))


def late_rounds(village_id: int, day: date) -> list[CircleRound]:
    """Rounds of `day` that were not confirmed in time and still are not."""
    return list(db.session.scalars(
        select(CircleRound).where(CircleRound.village_id == village_id, CircleRound.day == day,
                                  CircleRound.late_alerted_at.is_not(None), CircleRound.confirmed_at.is_(None))
        .options(selectinload(CircleRound.circle))))


def circles_of_person(person: User) -> list[PhoneCircle]:
    return list(db.session.scalars(
        select(PhoneCircle).where(PhoneCircle.id.in_(select(CircleMember.circle_id)
                                                     .where(CircleMember.person_id == person.id)))
        .options(selectinload(PhoneCircle.members).selectinload(CircleMember.person),
                 selectinload(PhoneCircle.members).selectinload(CircleMember.absences))
        .order_by(PhoneCircle.name)))
