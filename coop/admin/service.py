from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from coop.core import audit, audit_text, dutch
from coop.core import roles as R
from coop.core.clock import LOCAL
from coop.core.errors import DomainError
from coop.core.models import AuditLog, AuditSubject, ReferralDestination, TaskCategory, User
from coop.extensions import db
from coop.people.service import search_people

CODE = re.compile(r"^[a-z][a-z0-9_-]{1,39}$")


def add_category(*, village_id: int, name: str, code: str, rule: str, description: str, by: User,
                 members_only: bool = False) -> TaskCategory:
    code = (code or "").strip().lower()
    if not CODE.match(code):
        raise DomainError("Gebruik voor de code alleen kleine letters, cijfers, - en _.", "code")
    if rule not in TaskCategory.RULES:
        raise DomainError("Kies wie dit mag doen.", "rule")
    if db.session.scalar(select(TaskCategory.id).where(TaskCategory.village_id == village_id,
                                                       TaskCategory.code == code)):
        raise DomainError("Deze code bestaat al in dit dorp.", "code")
    order = (db.session.scalar(select(func.max(TaskCategory.sort_order))
                               .where(TaskCategory.village_id == village_id)) or 0) + 10
    category = TaskCategory(village_id=village_id, name=name.strip(), code=code, rule=rule,
                            description=description or "", sort_order=order, members_only=bool(members_only))
    db.session.add(category)
    audit.record("category.added", actor=by, village_id=village_id, detail=code)
    return category


def set_members_only(category: TaskCategory, members_only: bool, *, by: User) -> None:
    """Only members may ask for this category, or everyone again."""
    category.members_only = members_only
    audit.record("category.members_only" if members_only else "category.for_everyone", actor=by,
                 village_id=category.village_id, detail=category.code)


def destinations(village_id: int) -> list[ReferralDestination]:
    return list(db.session.scalars(select(ReferralDestination).where(ReferralDestination.village_id == village_id)
                                   .order_by(ReferralDestination.sort_order, ReferralDestination.id)))


def add_destination(*, village_id: int, name: str, by: User) -> ReferralDestination:
    """A new name on the village's referral list; the gemeente's figures count per name."""
    name = " ".join((name or "").split())
    if len(name) < 2:
        raise DomainError("Vul de naam in.", "name")
    if len(name) > 80:
        raise DomainError("Gebruik hier hoogstens 80 tekens.", "name")
    taken = db.session.scalar(select(ReferralDestination.id).where(
        ReferralDestination.village_id == village_id, func.lower(ReferralDestination.name) == name.lower()))
    if taken is not None:
        raise DomainError("Deze naam staat al in de lijst.", "name")
    order = (db.session.scalar(select(func.max(ReferralDestination.sort_order))
                               .where(ReferralDestination.village_id == village_id)) or 0) + 10
    destination = ReferralDestination(village_id=village_id, name=name, sort_order=order)
    db.session.add(destination)
    audit.record("referral_destination.added", actor=by, village_id=village_id, detail=name)
    return destination


def set_destination_active(destination: ReferralDestination, active: bool, *, by: User) -> None:
    """Hide a name from the choice (past referrals keep it), or show it again."""
    destination.active = active
    audit.record("referral_destination.shown" if active else "referral_destination.hidden", actor=by,
                 village_id=destination.village_id, detail=destination.name)


# --- the audit log, searched by person and period -------------------------------------------

PAGE_ROWS = 500


@dataclass
class LogFilter:
    """The administrator's search: a name (or part of one) and a period of local dates."""
    text: str = ""
    start: date | None = None
    end: date | None = None
    problems: list[str] = field(default_factory=list)

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> LogFilter:
        found = cls(text=(args.get("persoon") or "").strip()[:80])
        for name, label in (("van", "Vanaf"), ("tot", "Tot en met")):
            raw = (args.get(name) or "").strip()
            if not raw:
                continue
            try:
                setattr(found, "start" if name == "van" else "end", date.fromisoformat(raw))
            except ValueError:
                found.problems.append(f"{label}: vul een datum in als 2026-03-17.")
        if found.start and found.end and found.end < found.start:
            found.problems.append("De einddatum ligt voor de begindatum.")
            found.end = None
        return found

    def args(self) -> dict[str, str]:
        out = {"persoon": self.text, "van": self.start.isoformat() if self.start else "",
               "tot": self.end.isoformat() if self.end else ""}
        return {k: v for k, v in out.items() if v}


def people_named(village_id: int, text: str) -> list[User]:
    return search_people(village_id, text, limit=50) if text else []


def log_rows(village_id: int, f: LogFilter, people: list[User], limit: int | None = PAGE_ROWS) -> list[AuditLog]:
    """The village's audit rows in the period about, for or by the people found, newest first."""
    stmt = select(AuditLog).where(AuditLog.village_id == village_id)
    if f.text:
        ids = [p.id for p in people]
        if not ids:
            return []
        stmt = stmt.where(or_(*(audit.concerning(i) for i in ids), AuditLog.actor_id.in_(ids)))
    if f.start:
        stmt = stmt.where(AuditLog.at >= datetime.combine(f.start, time(), tzinfo=LOCAL))
    if f.end:
        stmt = stmt.where(AuditLog.at < datetime.combine(f.end + timedelta(days=1), time(), tzinfo=LOCAL))
    stmt = stmt.options(selectinload(AuditLog.actor), selectinload(AuditLog.subject),
                        selectinload(AuditLog.on_behalf_of), selectinload(AuditLog.others).selectinload(
                            AuditSubject.user)).order_by(AuditLog.id.desc())
    return list(db.session.scalars(stmt.limit(limit) if limit else stmt))


def people_in(rows: list[AuditLog]) -> set[int]:
    """Everyone whose data a list of audit rows shows (the administrator's look is logged too)."""
    return {i for r in rows for i in (r.subject_user_id, r.on_behalf_of_id, *(o.user_id for o in r.others))
            if i is not None}


def csv_rows(rows: list[AuditLog]) -> list[list[object]]:
    header: list[object] = ["tijd", "wie", "rol", "wat", "code", "over wie", "namens", "ook getoond", "details",
                            "adres", "vorige hash", "hash"]
    out: list[list[object]] = [header]
    for r in rows:
        out.append([dutch.datetime(r.at, "yyyy-MM-dd HH:mm:ss"), r.actor.full_name if r.actor else audit_text.SYSTEM,
                    R.LABELS.get(r.actor_role or "", ""), audit_text.label(r.action), r.action,
                    r.subject.full_name if r.subject else "", r.on_behalf_of.full_name if r.on_behalf_of else "",
                    ", ".join(o.user.full_name for o in r.others), r.detail, r.ip or "", r.prev_hash or "",
                    r.row_hash or ""])
    return out
