"""Writing the audit log. The row joins the caller's transaction."""
from __future__ import annotations

from coop.core.models import AuditLog, User
from coop.extensions import db


def record(action: str, *, actor: User | None, subject: User | None = None,
           village_id: int | None = None, detail: str = "", ip: str | None = None) -> AuditLog:
    if village_id is None:
        person = subject or actor
        village_id = person.village_id if person else None
    return record_ids(action, actor_id=actor.id if actor else None, subject_id=subject.id if subject else None,
                      village_id=village_id, detail=detail, ip=ip)


def record_ids(action: str, *, actor_id: int | None, subject_id: int | None, village_id: int | None,
               detail: str = "", ip: str | None = None) -> AuditLog:
    """The same row from ids: for a write after the page is drawn, when on SQLite the
    objects read so far are expired and would each be read again."""
    row = AuditLog(action=action, actor_id=actor_id, subject_user_id=subject_id,
                   village_id=village_id, detail=detail, ip=ip)
    db.session.add(row)
    return row
