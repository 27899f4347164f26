from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from coop.core import audit
from coop.core.errors import DomainError
from coop.core.models import AuditLog, ReferralDestination, TaskCategory, User
from coop.extensions import db

CODE = re.compile(r"^[a-z][a-z0-9_-]{1,39}$")


def add_category(*, village_id: int, name: str, code: str, rule: str, description: str, by: User) -> TaskCategory:
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
                            description=description or "", sort_order=order)
    db.session.add(category)
    audit.record("category.added", actor=by, village_id=village_id, detail=code)
    return category


def audit_log(village_id: int, limit: int = 300) -> list[AuditLog]:
    """The village's latest rows, newest first, with who did it and to whom loaded in the same go."""
    return list(db.session.scalars(select(AuditLog).where(AuditLog.village_id == village_id)
                                   .order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(limit)
                                   .options(selectinload(AuditLog.actor), selectinload(AuditLog.subject))))
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
    audit.record("referral_destination." + ("shown" if active else "hidden"), actor=by,
                 village_id=destination.village_id, detail=destination.name)
