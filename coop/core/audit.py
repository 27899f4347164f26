"""Writing and checking the audit log (NEN 7513): who, in which role, did what, to whom, on
whose behalf, when and from where. The row joins the caller's transaction.

The log is append-only and each village's rows form a hash chain: a row's `row_hash` is the
SHA-256 of the previous row's hash and the row's own fields (`canonical`), so a changed,
removed, inserted or reordered row breaks the chain from there on (`verify`, the command
`flask --app coop audit-verify`). The previous hash is read inside the writing transaction;
on PostgreSQL a transaction-level advisory lock per village serialises the writers of one
chain until they commit (SQLite has one writer at a time anyway). Rows past their retention
period leave from the start of a chain only (`trim`): the chain then starts at the hash of the
last row removed, which `verify` begins with.

Free text (the detail, the address) goes into the hash as its own SHA-256, so that a later
anonymisation could blank the text, keep that digest beside it and leave the chain valid.
People appear in the hashed fields by id only, never by name.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

from dateutil.relativedelta import relativedelta
from flask import g, has_request_context
from flask_login import current_user
from sqlalchemy import ColumnElement, Connection, Table, bindparam, delete, func, insert, select, text, update

from coop.core import roles as R
from coop.core.clock import local_now, now
from coop.core.models import AuditChainStart, AuditLog, AuditSubject, User
from coop.extensions import db

GENESIS = "0" * 64  # the "previous hash" of a chain's first row
MIN_YEARS = 5  # NEN 7513: the log is kept at least five years; the database enforces it too
LOCK_CLASS = 7513  # first key of pg_advisory_xact_lock(LOCK_CLASS, village): the audit chains
# When a user holds several of the roles a page admits, the one written down is the first here.
ROLE_ORDER = (R.COORDINATOR, R.ADMIN, R.PLATFORM, R.MUNICIPALITY, R.PROFESSIONAL, R.VOLUNTEER, R.CARER,
              R.RESIDENT)
PUBLIC = "public"

_log = cast(Table, AuditLog.__table__)
_subjects = cast(Table, AuditSubject.__table__)
_starts = cast(Table, AuditChainStart.__table__)
Row = Mapping[Any, Any]  # a row of audit_log as a mapping of column name to value


def _digest(value: str | None) -> str:
    return hashlib.sha256((value or "").encode()).hexdigest()


def _id(value: int | None) -> str:
    return "" if value is None else str(value)


def canonical(row: Row, others: Sequence[int]) -> str:
    """The row's fields as one line, the same on every database. Changing this breaks every chain."""
    at: datetime = row["at"]
    return "\x1f".join([
        at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"), _id(row["village_id"]), _id(row["actor_id"]),
        row["actor_role"] or "", row["action"], _id(row["subject_user_id"]), _id(row["on_behalf_of_id"]),
        ",".join(str(i) for i in sorted(others)), _digest(row["detail"]), _digest(row["ip"])])


def chain_hash(prev_hash: str, row: Row, others: Sequence[int]) -> str:
    return hashlib.sha256(f"{prev_hash}\x1e{canonical(row, others)}".encode()).hexdigest()


def acting_role(actor: User | None) -> str | None:
    """The role `actor` used: in a request by that user, the highest role they hold of those the
    page admits; otherwise their highest role. None for the system."""
    if actor is None:
        return None
    held = actor.roles
    if has_request_context() and current_user.is_authenticated and current_user.id == actor.id:
        admitted = g.get("admitted_roles")
        if admitted and "*" not in admitted and PUBLIC not in admitted:
            held = held & set(admitted)
    return next((role for role in ROLE_ORDER if role in held), None)


def _chain(village_id: int | None) -> ColumnElement[bool]:
    return _log.c.village_id.is_(None) if village_id is None else _log.c.village_id == village_id


def _others(connection: Connection, ids: Sequence[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for start in range(0, len(ids), 500):
        for audit_id, user_id in connection.execute(select(_subjects.c.audit_id, _subjects.c.user_id)
                                                    .where(_subjects.c.audit_id.in_(ids[start:start + 500]))):
            found.setdefault(audit_id, []).append(user_id)
    return found


def _key(village_id: int | None) -> int:
    return village_id or 0


def _start(connection: Connection, village_id: int | None) -> str:
    """The hash a chain's first row builds on: the genesis, or after old rows were removed the
    hash of the last removed row (`trim`)."""
    start = connection.scalar(select(_starts.c.start_hash).where(_starts.c.chain == _key(village_id)))
    return start or GENESIS


def _head(connection: Connection, village_id: int | None) -> str:
    """The hash the next row of this village's chain builds on."""
    newest = select(_log.c.id).where(_chain(village_id)).order_by(_log.c.id.desc()).limit(1)
    # One statement: the newest row, and where the chain starts in case it has no rows (yet, or
    # any more).
    last = connection.execute(select(
        newest.scalar_subquery().label("id"),
        select(_log.c.row_hash).where(_chain(village_id)).order_by(_log.c.id.desc()).limit(1)
        .scalar_subquery().label("row_hash"),
        select(_starts.c.start_hash).where(_starts.c.chain == _key(village_id)).scalar_subquery().label("start"),
    )).one()
    if last.id is None:
        return last.start or GENESIS
    if last.row_hash is not None:
        return last.row_hash
    # Rows written by the release before the chain existed, during a rolling upgrade, have no
    # hash: they are folded into the chain here, so the next row seals them.
    sealed = connection.execute(select(_log.c.id, _log.c.row_hash).where(_chain(village_id),
                                                                          _log.c.row_hash.is_not(None))
                                .order_by(_log.c.id.desc()).limit(1)).first()
    state = sealed.row_hash if sealed is not None else _start(connection, village_id)
    rows = connection.execute(select(_log).where(_chain(village_id), _log.c.id > (sealed.id if sealed else 0))
                              .order_by(_log.c.id)).mappings().all()
    others = _others(connection, [r["id"] for r in rows])
    for row in rows:
        state = chain_hash(state, row, others.get(row["id"], []))
    return state


def _ids(people: Iterable[User | int | None]) -> set[int]:
    return {p.id if isinstance(p, User) else p for p in people if p is not None}


def record(action: str, *, actor: User | None, subject: User | None = None,
           subjects: Iterable[User | int | None] = (),
           on_behalf_of: User | None = None, village_id: int | None = None, detail: str = "",
           ip: str | None = None, role: str | None = None) -> int:
    """Write one event and return its id. `subject` is the person it is about; `subjects` are
    the others it showed (a search, a roster, an export); `on_behalf_of` the person the actor
    acted for (people by object or id). The address is the request's unless given."""
    row = _row(action, actor=actor, subject=subject, on_behalf_of=on_behalf_of, village_id=village_id,
               detail=detail, ip=ip, role=role)
    return _write(row, sorted(_ids(subjects) - {row["subject_user_id"]}))


def _row(action: str, *, actor: User | None, subject: User | None, on_behalf_of: User | None,
         village_id: int | None, detail: str, ip: str | None, role: str | None) -> dict[str, Any]:
    """The row's fields, read from the objects now (plain values: they can be written later)."""
    if village_id is None:
        person = subject or actor
        village_id = person.village_id if person else None
    if ip is None and has_request_context():
        from coop.core.web import client_ip
        ip = client_ip()
    return {"at": now(), "village_id": village_id, "actor_id": actor.id if actor else None,
            "actor_role": role or acting_role(actor), "action": action,
            "subject_user_id": subject.id if subject else None,
            "on_behalf_of_id": on_behalf_of.id if on_behalf_of else None, "detail": detail or "", "ip": ip}


def _lock(connection: Connection, village_id: int | None) -> None:
    if connection.dialect.name == "postgresql":
        # Held until this transaction ends: the next writer of the chain reads this row's hash.
        connection.execute(text("SELECT pg_advisory_xact_lock(:c, :v)"), {"c": LOCK_CLASS, "v": _key(village_id)})


# PostgreSQL: one call of audit_log_append (migration 0029) takes the chain's lock, reads the
# head after it and writes the row with its people shown, hashed in the database (sha256 of the
# same bytes as chain_hash). One round trip, where a lock and then a statement took two: a single
# statement could not do it, as it reads the snapshot taken before its lock was granted. It
# writes nothing when the head has no hash yet (a row of the release before the chain): then
# _head folds those rows in, as on SQLite, under the lock the call took. A chain with no rows
# builds on its start (`trim`), or on the genesis.
_PG_APPEND = text(
    "SELECT audit_log_append(:lock_class, :chain_key, :genesis, :canonical, CAST(:others AS integer[]), :at, "
    ":village_id, :actor_id, :actor_role, :action, :subject_user_id, :on_behalf_of_id, :detail, :ip)"
).bindparams(bindparam("at", type_=_log.c.at.type))


def _write_pg(connection: Connection, row: dict[str, Any], others: Sequence[int]) -> int | None:
    return connection.execute(_PG_APPEND, {**row, "lock_class": LOCK_CLASS, "genesis": GENESIS,
                                           "chain_key": _key(row["village_id"]),
                                           "canonical": canonical(row, others), "others": list(others)}).scalar()


def _write(row: dict[str, Any], others: Sequence[int]) -> int:
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        written = _write_pg(connection, row, others)
        if written is not None:
            return int(written)
    prev = _head(connection, row["village_id"])
    row = {**row, "prev_hash": prev, "row_hash": chain_hash(prev, row, others)}
    key = connection.execute(insert(_log).values(**row)).inserted_primary_key
    assert key is not None  # a single-row INSERT always has one
    audit_id = key[0]
    if others:
        connection.execute(insert(_subjects), [{"audit_id": audit_id, "user_id": u} for u in others])
    return int(audit_id)


def shown(action: str, *, subject: User | None = None, subjects: Iterable[User | int | None] = (),
          on_behalf_of: User | None = None, detail: str = "") -> None:
    """A page, print view or export showed these people's data to the current user: write it
    down when the view has returned, in the request's transaction (so a page that only reads
    takes SQLite's write lock for the row, not while it is drawn). The fields are read now: by
    then the objects are expired and would each be loaded again. A person's look at their own
    data is not written."""
    from coop.core.transaction import write_after_view

    me = current_user.id
    if subject is not None and subject.id == me:
        subject = None
    people = _ids(subjects) - {me}
    if subject is None and not people:
        return
    row = _row(action, actor=current_user._get_current_object(), subject=subject, on_behalf_of=on_behalf_of,
               village_id=None, detail=detail, ip=None, role=None)
    others = sorted(people - {row["subject_user_id"]})
    write_after_view(lambda: _write(row, others))


def seen_today(action: str) -> bool:
    """Whether the current user's look of this kind is written down already today: a page
    that shows the whole village (the map) is written once a day per user, not per view."""
    midnight = local_now().replace(hour=0, minute=0, second=0, microsecond=0)
    return db.session.scalar(select(AuditLog.id).where(
        AuditLog.actor_id == current_user.id, AuditLog.action == action, AuditLog.at >= midnight).limit(1)) is not None


def concerning(user_id: int) -> ColumnElement[bool]:
    """The condition for rows about a person: as subject, among the people shown, or acted for."""
    return (AuditLog.subject_user_id == user_id) | (AuditLog.on_behalf_of_id == user_id) | AuditLog.id.in_(
        select(AuditSubject.audit_id).where(AuditSubject.user_id == user_id))


# --- retention -------------------------------------------------------------------------------

def trim(village_id: int | None, before: datetime) -> int:
    """Remove the chain's rows written before `before`, their retention period being over, and
    return how many. The chain then starts at the first row kept, building on the hash of the
    last row removed (`AuditChainStart`); the database refuses any other DELETE. A row without
    its own hash (see `_head`) is kept with the rows after it. Joins the caller's transaction.

    The database accepts a cutoff only MIN_YEARS back by its own clock (0022_audit_retention),
    so a cutoff nearer than that, as under a moved test or demo clock, is moved back to it."""
    before = min(before, datetime.now(UTC) - relativedelta(years=MIN_YEARS, days=1))
    connection = db.session.connection()
    _lock(connection, village_id)
    keep = connection.scalar(select(func.min(_log.c.id)).where(_chain(village_id), _log.c.at >= before))
    last = connection.execute(
        select(_log.c.id, _log.c.row_hash)
        .where(_chain(village_id), _log.c.row_hash.is_not(None), *([_log.c.id < keep] if keep else []))
        .order_by(_log.c.id.desc()).limit(1)).first()
    if last is None:
        return 0
    first_id, gone = last.id + 1, (_chain(village_id), _log.c.id < last.id + 1)
    removed = connection.scalar(select(func.count()).select_from(_log).where(*gone)) or 0
    values = {"first_id": first_id, "start_hash": last.row_hash, "removed_before": before, "at": now()}
    moved = connection.execute(update(_starts).where(_starts.c.chain == _key(village_id))
                               .values(removed=_starts.c.removed + removed, **values))
    if not moved.rowcount:
        connection.execute(insert(_starts).values(chain=_key(village_id), removed=removed, **values))
    connection.execute(delete(_subjects).where(_subjects.c.audit_id.in_(select(_log.c.id).where(*gone))))
    connection.execute(delete(_log).where(*gone))
    return removed


# --- checking ---------------------------------------------------------------------------------

@dataclass
class Broken:
    id: int
    village_id: int | None
    reason: str


@dataclass
class Verification:
    rows: int = 0
    unhashed: int = 0  # written by the release before the chain; sealed by the next hashed row
    heads: dict[int | None, tuple[int, str]] = field(default_factory=dict)  # village → (last id, hash)
    # village → (first id kept, rows removed, before when): chains whose oldest rows were removed
    starts: dict[int | None, tuple[int, int, datetime]] = field(default_factory=dict)
    broken: Broken | None = None


def _batches(connection: Connection, size: int) -> Iterator[list[Row]]:
    last = 0
    while True:
        rows = connection.execute(select(_log).where(_log.c.id > last).order_by(_log.c.id).limit(size)).mappings().all()
        if not rows:
            return
        yield list(rows)
        last = rows[-1]["id"]


def verify(connection: Connection, batch: int = 2000) -> Verification:
    """Walk every chain in id order from its start; stop at the first row that does not fit."""
    result = Verification()
    starts = {row.chain: row for row in connection.execute(select(_starts))}
    result.starts = {chain or None: (row.first_id, row.removed, row.removed_before) for chain, row in starts.items()}
    state: dict[int | None, str] = {chain or None: row.start_hash for chain, row in starts.items()}
    for rows in _batches(connection, batch):
        others = _others(connection, [r["id"] for r in rows])
        for row in rows:
            result.rows += 1
            chain = row["village_id"]
            expected = chain_hash(state.get(chain, GENESIS), row, others.get(row["id"], []))
            if row["row_hash"] is None:
                result.unhashed += 1
            elif row["prev_hash"] != state.get(chain, GENESIS):
                result.broken = Broken(row["id"], chain, "de vorige hash klopt niet: een rij ervoor is "
                                                         "verwijderd, tussengevoegd of veranderd")
                return result
            elif row["row_hash"] != expected:
                result.broken = Broken(row["id"], chain, "de velden passen niet bij de hash: deze rij is veranderd")
                return result
            state[chain] = expected
            result.heads[chain] = (row["id"], expected)
    return result
