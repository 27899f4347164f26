"""Sends due follow-ups from the outbox. Safe to run in several processes at once.

A round has three short phases, none of which holds a transaction across the network:

1. **claim** — one transaction takes up to `batch` rows (status -> sending, a random claim
   token, claimed_until = now + lease) and commits: first expired claims (rows of a process
   that died mid-round), then pending/failed rows with due_at <= now, oldest first.
   PostgreSQL: `FOR UPDATE SKIP LOCKED`, so concurrent dispatchers take disjoint rows without
   waiting. SQLite: `BEGIN IMMEDIATE` (the write lock is taken at BEGIN) and an UPDATE guarded
   by the due condition.
2. **build** — the claimed rows are read and their messages written (templates), then the
   read transaction ends.
3. **send and mark** — `connections` SMTP connections send at once (coop/followups/sending.py)
   while this thread commits the outcomes in small groups. Every mark is guarded by the claim
   token: a process whose lease ran out can no longer change a row another process took. A
   process stops sending before its lease ends and hands the rest back.

Delivery is at least once: a crash after the SMTP server accepted a message and before its
mark commits sends that message again later. A sender takes a message only while fewer than
`mark_every` messages are sent-but-unmarked, so the window is at most `mark_every` messages
(default 20; in practice those accepted during one commit). The outbox id is the
Message-ID, so a repeat is recognisable.
"""
from __future__ import annotations

import logging
import queue
import random
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import cast

from flask import current_app
from sqlalchemy import Table, and_, bindparam, inspect, or_, select, update
from sqlalchemy.orm import joinedload

from coop.core import outbox as O
from coop.core.calls import OPEN, CallTask
from coop.core.clock import now
from coop.extensions import db
from coop.followups.sending import Senders

log = logging.getLogger(__name__)
T = cast(Table, O.FollowUp.__table__)  # typed as a FromClause; a declarative model's is a Table

# The states of a round, from the outbox's table: the SQL below stays bulk and guarded, and
# says nothing the table does not allow.
_step = O.OUTBOX.step
CLAIMABLE, CLAIMED = O.OUTBOX.sources("claim"), _step("claim").target
if _step("reclaim").sources != {CLAIMED} or _step("reclaim").target != CLAIMED or any(
        _step(a).sources != {CLAIMED} for a in ("deliver", "fail", "give_up", "obsolete", "hand_back")):
    raise RuntimeError("the dispatcher's round no longer matches the outbox's table of steps")
SENT, RETRY, DEAD, OBSOLETE = (_step(a).target for a in ("deliver", "fail", "give_up", "obsolete"))
HANDED_BACK = _step("hand_back").target
IMMEDIATE = {"sqlite_begin": "BEGIN IMMEDIATE"}
MARK_WAIT = 0.05  # seconds an outcome may wait for others to share its commit


def setting(name: str, default: int) -> int:
    """FOLLOWUP_* settings, read from the environment by coop/config.py (tests override them)."""
    value = current_app.config.get(name)
    return int(value) if value not in (None, "") else default


@dataclass(frozen=True)
class Policy:
    lease: timedelta
    max_attempts: int
    retry_base: timedelta
    batch: int
    mark_every: int
    connections: int

    @classmethod
    def from_config(cls) -> Policy:
        return cls(lease=timedelta(seconds=setting("FOLLOWUP_LEASE_SECONDS", 300)),
                   max_attempts=setting("FOLLOWUP_MAX_ATTEMPTS", 6),
                   retry_base=timedelta(seconds=setting("FOLLOWUP_RETRY_BASE_SECONDS", 120)),
                   batch=setting("FOLLOWUP_BATCH", 200),
                   mark_every=max(1, setting("FOLLOWUP_MARK_EVERY", 20)),
                   connections=max(1, setting("FOLLOWUP_SMTP_CONNECTIONS", 3)))


def retry_delay(attempts: int, base: timedelta) -> timedelta:
    """Doubles per attempt, with ±25 % jitter so failed rows do not retry in lockstep; ≤ 12 h."""
    delay = base * (2 ** max(0, attempts - 1)) * (0.75 + random.random() * 0.5)
    return min(delay, timedelta(hours=12))


def _expired(at):
    return and_(T.c.status == CLAIMED, T.c.claimed_until < at)


def _ready(at):
    return and_(T.c.status.in_(CLAIMABLE), T.c.due_at <= at)


def _due(at):
    return or_(_ready(at), _expired(at))


def _write_begin(session) -> None:
    """Start a write transaction; on SQLite take the write lock at BEGIN (no upgrade deadlock)."""
    if not session().in_transaction() and session.get_bind().dialect.name == "sqlite":
        session.connection(execution_options=IMMEDIATE)


def claim(limit: int, lease: timedelta) -> tuple[str, list[int]]:
    """Claim up to `limit` due rows for this process and commit the claim.

    Expired claims (rows a dead process held) come first, then due rows by due time: an
    expired claim must not wait behind a backlog of rows that were due as long ago as it was.
    """
    session = db.session
    token = uuid.uuid4().hex
    _write_begin(session)
    at = now()
    locking = session.get_bind().dialect.name == "postgresql"
    ids: list[int] = []
    for condition, order in ((_expired(at), T.c.claimed_until), (_ready(at), T.c.due_at)):
        if len(ids) >= limit:
            break
        stmt = select(T.c.id).where(condition).order_by(order).limit(limit - len(ids))
        # PostgreSQL: concurrent dispatchers skip each other's locked rows. SQLite: the write
        # lock is ours since BEGIN IMMEDIATE, so nobody else can take these rows meanwhile.
        ids += session.scalars(stmt.with_for_update(skip_locked=True) if locking else stmt)
    if ids:
        # The guard repeats the due condition: only rows nobody holds change hands.
        session.execute(update(T).where(T.c.id.in_(ids), _due(at))
                        .values(status=CLAIMED, claimed_until=at + lease, claim_token=token))
    session.commit()
    return token, sorted(ids)


@dataclass
class Outbound:
    """A claimed row, ready to go: the mail (or in-app text) and where the outcome goes."""

    id: int
    attempts: int
    channel: str
    to: str | None = None
    mail: dict | None = None  # compose() arguments
    title: str | None = None
    body: str | None = None


@dataclass
class Round:
    token: str
    policy: Policy
    deadline: datetime
    outcomes: list[dict] = field(default_factory=list)
    new_rows: list = field(default_factory=list)  # alerts to add with the next marks
    handled: int = 0

    def sent(self, item: Outbound) -> None:
        self._add(item, status=SENT, sent_at=now(), last_error=None, due_at=None)

    def failed(self, item: Outbound, error: str) -> None:
        attempts = item.attempts + 1
        dead = attempts >= self.policy.max_attempts
        self._add(item, status=DEAD if dead else RETRY, sent_at=None, last_error=error[:2000],
                  due_at=None if dead else now() + retry_delay(attempts, self.policy.retry_base),
                  attempts=attempts)

    def obsolete(self, item: Outbound, reason: str) -> None:
        self._add(item, status=OBSOLETE, sent_at=None, last_error=reason[:2000], due_at=None,
                  attempts=item.attempts)

    def _add(self, item: Outbound, *, status, sent_at, last_error, due_at, attempts=None) -> None:
        self.outcomes.append({
            "b_id": item.id, "b_token": self.token, "b_status": status, "b_sent_at": sent_at,
            "b_error": last_error, "b_due": due_at,
            "b_attempts": item.attempts + 1 if attempts is None else attempts,
            "b_channel": item.channel, "b_title": (item.title or "")[:200] or None, "b_body": item.body})
        self.handled += 1

    def flush(self) -> None:
        """Commit the outcomes so far (one short write transaction, guarded by the token)."""
        if not self.outcomes and not self.new_rows:
            return
        session = db.session
        _write_begin(session)
        session.add_all(self.new_rows)
        self.new_rows.clear()
        stmt = (update(T).where(T.c.id == bindparam("b_id"), T.c.claim_token == bindparam("b_token"))
                .values(status=bindparam("b_status"), sent_at=bindparam("b_sent_at"),
                        last_error=bindparam("b_error"), attempts=bindparam("b_attempts"),
                        channel=bindparam("b_channel"), title=bindparam("b_title"),
                        body=bindparam("b_body"), claimed_until=None, claim_token=None))
        final = [o for o in self.outcomes if o["b_due"] is None]
        if final:
            session.execute(stmt, final)
        retry = [o for o in self.outcomes if o["b_due"] is not None]
        if retry:
            session.execute(stmt.values(due_at=bindparam("b_due")), retry)
        session.commit()
        self.outcomes.clear()


def message_id(row_id: int) -> str:
    return f"<followup-{row_id}@{current_app.config['MAIL_DOMAIN']}>"


def _build(rows: list[O.FollowUp], rnd: Round) -> list[Outbound]:
    """Write every claimed row's message. Rows that cannot be built get their outcome now."""
    ready = []
    sender = current_app.config["MAIL_SENDER"]
    for row in rows:
        item = Outbound(id=row.id, attempts=row.attempts, channel=row.channel)
        if row.channel == O.MAIL and (row.recipient is None or not row.recipient.email):
            # The address went away after queueing: in-app instead, and a coordinator phones.
            item.channel = O.INAPP
            rnd.new_rows.extend(_phone_needed(row))
        try:
            message = O.build_message(row)
        except O.Obsolete as why:
            rnd.obsolete(item, f"vervallen: {why}")
            continue
        except Exception as err:  # a broken template or builder must not stop the round
            log.exception("building follow-up %s (%s) failed", row.id, row.kind)
            rnd.failed(item, f"opmaak mislukt: {type(err).__name__}: {err}")
            continue
        item.title = message.subject
        if item.channel == O.INAPP:
            item.body = message.text
        else:
            recipient = row.recipient
            assert recipient is not None  # a mail row without an address became in-app above
            village = recipient.village
            item.to = message.to or recipient.email
            # Composed by the sender thread: that work then overlaps the network waits.
            item.mail = dict(to=item.to, subject=message.subject, text=message.text,
                             html=message.html, message_id=message_id(row.id), sender=sender,
                             sender_name=village.cooperative_name if village else None,
                             headers={"X-Coop-Followup": f"{row.id} {row.kind}"})
        ready.append(item)
    return ready


def _phone_needed(row: O.FollowUp) -> list[O.FollowUp | CallTask]:
    """The address went away after queueing: a call on the bellijst, and a note to each coordinator."""
    rows: list[O.FollowUp | CallTask] = []
    if row.recipient is not None:
        rows.append(CallTask(village_id=row.village_id or row.recipient.village_id, person_id=row.recipient.id,
                             kind=row.kind, followup_id=row.id, status=OPEN))
    rows += [O.FollowUp(kind=O.PHONE_NEEDED, recipient_id=coordinator.id, channel=O.INAPP,
                        village_id=row.village_id, due_at=now(),
                        payload={"person_id": row.recipient_id, "about": row.kind})
             for coordinator in O.coordinators(row.village_id)]
    return rows


def dispatch_due(limit: int | None = None) -> int:
    """One round. Returns how many rows got an outcome (sent, failed, dead or cancelled)."""
    policy = Policy.from_config()
    token, ids = claim(limit or policy.batch, policy.lease)
    if not ids:
        return 0
    rnd = Round(token=token, policy=policy, deadline=now() + policy.lease * 0.8)
    session = db.session
    known = set(session.identity_map.keys())
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        rows = list(session.scalars(
            select(O.FollowUp).where(O.FollowUp.id.in_(ids), O.FollowUp.claim_token == token)
            .options(joinedload(O.FollowUp.recipient)).order_by(O.FollowUp.id)))
        items = _build(rows, rnd)
        session.commit()  # ends the read transaction before anything goes over the network
        # Forget the rows loaded here (not a caller's own objects): every later commit would
        # otherwise expire each of them again, which costs more than the commit itself.
        for row in rows:
            if inspect(row).key not in known:
                session.expunge(row)
    for item in [i for i in items if i.channel == O.INAPP]:
        rnd.sent(item)
    mails = [i for i in items if i.channel == O.MAIL]
    try:
        _send_all(mails, rnd)
    finally:
        rnd.flush()
    return rnd.handled


def _send_all(mails: list[Outbound], rnd: Round) -> None:
    """Send on several SMTP connections at once (the server's replies overlap) while this
    thread commits the outcomes as they come in. `mark_every` bounds the messages that are
    out of our hands but not yet marked: a sender waits for a free slot before each message,
    and a slot comes back only when that message's outcome is committed."""
    if not mails:
        return
    config = current_app.config
    connections = rnd.policy.connections if config["MAIL_BACKEND"] == "smtp" else 1
    pool = Senders(mails, rnd.policy.mark_every, rnd.deadline, config, max(1, min(connections, len(mails))))
    threads = [threading.Thread(target=pool.work, name=f"smtp-{n}", daemon=True)
               for n in range(len(pool.slots_for))]
    for thread in threads:
        thread.start()
    try:
        while any(t.is_alive() for t in threads) or not pool.done.empty():
            try:
                batch = [pool.done.get(timeout=0.05)]
            except queue.Empty:
                continue
            # Gather half a window's worth (or what comes within MARK_WAIT) into one commit;
            # the senders go on with the other half of the slots meanwhile.
            until = time.monotonic() + MARK_WAIT
            while len(batch) < max(1, rnd.policy.mark_every // 2):
                try:
                    batch.append(pool.done.get(timeout=max(0.0, until - time.monotonic())))
                except queue.Empty:
                    break
            for item, error in batch:
                if error:
                    rnd.failed(item, error)
                else:
                    rnd.sent(item)
            rnd.flush()
            pool.release(len(batch))
    finally:
        pool.stop.set()
        pool.release(len(threads))
        for thread in threads:
            thread.join()
    left = list(pool.todo)
    if left and pool.broken and now() < rnd.deadline:
        for item in left:  # every connection broke: these fail now and are retried later
            rnd.failed(item, pool.broken)
    elif left:
        _hand_back(left, rnd.token)


def _hand_back(items: list[Outbound], token: str) -> None:
    """Our lease is nearly over: release the unsent rows so the next round takes them."""
    session = db.session
    _write_begin(session)
    session.execute(update(T).where(T.c.id.in_([i.id for i in items]), T.c.claim_token == token)
                    .values(status=HANDED_BACK, claimed_until=None, claim_token=None))
    session.commit()


def run_until_idle(max_rounds: int = 1000) -> int:
    """Dispatch rounds until nothing is due (tests, the demo, `scheduler --once`)."""
    total = 0
    for _ in range(max_rounds):
        handled = dispatch_due()
        total += handled
        if handled == 0:
            break
    return total
