"""Read-side queries: the coordinator's inbox, counts per status, a resident's own requests."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Integer, String, Table, bindparam, func, null, select, union_all
from sqlalchemy import cast as sql_cast
from sqlalchemy.orm import joinedload, load_only, selectinload

from coop.core import dutch
from coop.core.clock import now
from coop.core.models import TaskCategory, User, full_name
from coop.core.sql import one_of, written
from coop.extensions import db
from coop.requests.models import (
    INTAKE,
    IS_OPEN,
    NEW,
    OPEN_STATUSES,
    SEARCHING,
    STATUS_LABELS,
    STATUSES,
    URGENCIES,
    URGENCY_LABELS,
    URGENCY_RANK,
    HelpRequest,
    RequestStatusCount,
)

# Waiting filters offered in the inbox: label → days.
WAITED_CHOICES = {1: "langer dan 1 dag", 3: "langer dan 3 dagen", 7: "langer dan een week",
                  14: "langer dan twee weken"}
# Requests that still need the coordinator's action (matched ones wait for the helper).
NEEDS_ACTION = (NEW, INTAKE, SEARCHING)

PAGE_SIZE = 50  # rows per inbox page: a coordinator reads the top, and a page stays quick to draw

# The order of the partial index ix_help_requests_open_inbox (requests/models.py).
INBOX_ORDER = (URGENCY_RANK, HelpRequest.created_at, HelpRequest.id)


@dataclass
class InboxFilter:
    status: str = "open"  # "open", "all" or one status
    category_id: int | None = None
    urgency: str | None = None
    street: str = ""
    waited_days: int | None = None
    page: int = 1

    @property
    def only_status(self) -> bool:
        """No filter but the status: the counts per status already tell how many there are."""
        return not (self.category_id or self.urgency or self.street or self.waited_days)

    def query_args(self, **change) -> dict:
        """The filter as query arguments (defaults left out), for links that keep it."""
        args = {"status": self.status if self.status != "open" else None, "soort": self.category_id,
                "urgentie": self.urgency, "straat": self.street or None, "wacht": self.waited_days,
                "pagina": self.page if self.page > 1 else None}
        args.update(change)
        return {k: v for k, v in args.items() if v is not None and not (k == "pagina" and v == 1)}

    @classmethod
    def from_args(cls, args) -> InboxFilter:
        """Read the filter from query arguments; unknown values are ignored, never an error."""
        status = args.get("status", "open")
        status = status if status in STATUSES or status in ("open", "all") else "open"
        urgency = args.get("urgentie")
        waited = args.get("wacht", type=int)
        page = args.get("pagina", type=int) or 1
        return cls(status=status, category_id=args.get("soort", type=int),
                   urgency=urgency if urgency in URGENCIES else None,
                   street=(args.get("straat") or "").strip()[:80],
                   waited_days=waited if waited in WAITED_CHOICES else None,
                   page=min(max(page, 1), 100_000))


@dataclass(frozen=True, slots=True)
class InboxRow:
    """One line of the inbox, only what it shows (templates/requests/inbox.html), as plain
    values: fifty requests with their residents cost more to load as ORM objects than to draw."""
    id: int
    resident_id: int
    urgency: str
    created_at: datetime
    street: str | None
    status: str
    resident_name: str
    category_name: str
    waited: str  # "3 dagen": how long it waits, by one clock for the whole page
    since: str  # created_at as ISO 8601, for <time datetime>

    @property
    def urgency_label(self) -> str:
        return URGENCY_LABELS[self.urgency]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass
class InboxPage:
    requests: list[InboxRow]
    total: int  # every request that passes the filter, on all pages
    page: int
    pages: int

    @property
    def first(self) -> int:
        """The number of the first row shown (1-based), for "u ziet 51 tot 100"."""
        return (self.page - 1) * PAGE_SIZE + 1 if self.requests else 0

    @property
    def last(self) -> int:
        return self.first + len(self.requests) - 1 if self.requests else 0


def _filtered(village_id: int, f: InboxFilter):
    stmt = select(HelpRequest).where(HelpRequest.village_id == village_id)
    if f.status == "open":
        stmt = stmt.where(IS_OPEN)
    elif f.status != "all":
        stmt = stmt.where(HelpRequest.status == f.status)
    if f.category_id:
        stmt = stmt.where(HelpRequest.category_id == f.category_id)
    if f.urgency:
        stmt = stmt.where(HelpRequest.urgency == f.urgency)
    if f.street:
        like = f"%{f.street.lower()}%"
        stmt = stmt.where(func.lower(HelpRequest.street).like(like) | func.lower(HelpRequest.postcode).like(like))
    if f.waited_days:
        stmt = stmt.where(HelpRequest.created_at <= now() - timedelta(days=f.waited_days))
    return stmt


def total_from_counts(f: InboxFilter, counts: dict[str, int]) -> int:
    if f.status == "open":
        return sum(counts[s] for s in OPEN_STATUSES)
    if f.status == "all":
        return sum(counts.values())
    return counts[f.status]


def inbox(village_id: int, f: InboxFilter | None = None, counts: dict[str, int] | None = None) -> InboxPage:
    """One page of the village's requests, most urgent first, then those waiting longest.

    `counts` (counts_per_status) spares the count query when only the status is filtered.
    """
    f = f or InboxFilter()
    stmt = _filtered(village_id, f)
    if counts is not None and f.only_status:
        total = total_from_counts(f, counts)
    else:
        total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(f.page, pages)
    # The page's ids are sorted on narrow rows (with no filter but the status, from the inbox
    # index alone), then only those rows are read; names and categories joined, in one query.
    ids = (stmt.with_only_columns(HelpRequest.id).order_by(*INBOX_ORDER)
           .limit(written(PAGE_SIZE)).offset(written((page - 1) * PAGE_SIZE)))
    rows = (select(HelpRequest.id, HelpRequest.resident_id, HelpRequest.urgency, HelpRequest.created_at,
                   HelpRequest.street, HelpRequest.status, User.first_name, User.last_name, TaskCategory.name)
            .outerjoin(User, User.id == HelpRequest.resident_id)
            .outerjoin(TaskCategory, TaskCategory.id == HelpRequest.category_id)
            .where(HelpRequest.id.in_(ids.scalar_subquery()))
            .order_by(*INBOX_ORDER))
    at = now()
    return InboxPage([InboxRow(rid, resident_id, urgency, created_at, street, status, full_name(first, last),
                               category or "", dutch.waited(created_at, at), created_at.isoformat(timespec="seconds"))
                      for rid, resident_id, urgency, created_at, street, status, first, last, category
                      in db.session.execute(rows)], total, page, pages)


# The inbox's head, read on every view: the counts per status and the category filter's
# choices, built once (bound parameters, no values), in Core: building an ORM statement and
# running it through the session cost more than PostgreSQL takes.
_categories = cast(Table, TaskCategory.__table__)
_status_counts = cast(Table, RequestStatusCount.__table__)
_COUNTS = (select(_status_counts.c.status, _status_counts.c.n)
           .where(_status_counts.c.village_id == bindparam("village_id")))
# Both as one statement, a row per status (category_id NULL) or per category: one round trip
# instead of two, and a round trip to the database costs more than either read.
_HEAD = union_all(
    select(_status_counts.c.status, _status_counts.c.n, sql_cast(null(), Integer).label("category_id"),
           sql_cast(null(), String).label("name"), sql_cast(null(), Integer).label("sort_order"))
    .where(_status_counts.c.village_id == bindparam("village_id")),
    select(sql_cast(null(), String), sql_cast(null(), Integer), _categories.c.id, _categories.c.name,
           _categories.c.sort_order)
    .where(_categories.c.village_id == bindparam("village_id"), _categories.c.active)
).order_by("sort_order", "category_id")


@dataclass
class InboxHead:
    counts: dict[str, int]  # requests per status, every status
    categories: list[tuple[int, str]]  # (id, name) of the active categories, in their order


def inbox_head(village_id: int) -> InboxHead:
    """The counts per status (kept by the database's triggers: RequestStatusCount) and the
    village's active categories for the filter, in one query."""
    head = InboxHead({status: 0 for status in STATUSES}, [])
    for status, n, category_id, name, _ in db.session.connection().execute(_HEAD, {"village_id": village_id}):
        if category_id is None:
            head.counts[status] = n
        else:
            head.categories.append((category_id, name))
    return head


def counts_per_status(village_id: int) -> dict[str, int]:
    """The number of the village's requests in each status, kept by the database's triggers
    (RequestStatusCount): seven rows, however many requests the village has had."""
    counts = {status: 0 for status in STATUSES}
    counts.update({status: n for status, n in db.session.connection().execute(_COUNTS, {"village_id": village_id})})
    return counts


def most_urgent(village_id: int, n: int = 5) -> list[HelpRequest]:
    stmt = (select(HelpRequest).where(HelpRequest.village_id == village_id,
                                      HelpRequest.status.in_(NEEDS_ACTION))
            .options(selectinload(HelpRequest.resident), selectinload(HelpRequest.category))
            .order_by(*INBOX_ORDER).limit(n))
    return list(db.session.scalars(stmt))


def open_own_requests(resident_id: int, n: int) -> list[HelpRequest]:
    """The resident's n newest open requests with their category's name: what the home panel
    shows, in one query, no column more (anything else asked of them raises, not a query)."""
    stmt = (select(HelpRequest)
            .where(HelpRequest.resident_id == resident_id, one_of(HelpRequest.status, OPEN_STATUSES))
            .options(load_only(HelpRequest.id, HelpRequest.status, HelpRequest.category_id, raiseload=True),
                     joinedload(HelpRequest.category).load_only(TaskCategory.name, raiseload=True))
            .order_by(HelpRequest.created_at.desc(), HelpRequest.id.desc()).limit(n))
    return list(db.session.scalars(stmt))


def own_requests(resident_id: int) -> list[HelpRequest]:
    stmt = (select(HelpRequest).where(HelpRequest.resident_id == resident_id)
            .options(selectinload(HelpRequest.category))
            .order_by(HelpRequest.created_at.desc(), HelpRequest.id.desc()))
    return list(db.session.scalars(stmt))
