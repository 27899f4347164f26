"""A hulpvraag (HelpRequest), its timeline and its Schijf van Vijf."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    case,
    event,
    false,
    literal_column,
    select,
    update,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coop.core.clock import LOCAL, now
from coop.core.models import ReferralDestination, TaskCategory, User
from coop.core.types import UTCDateTime
from coop.extensions import Model, db

# Statuses (names in docs/glossary.md). Transitions live in requests/service.py as one table.
NEW, INTAKE, SEARCHING, MATCHED, DONE, CANCELLED, REFERRED = (
    "new", "intake", "searching", "matched", "done", "cancelled", "referred")
STATUSES = (NEW, INTAKE, SEARCHING, MATCHED, DONE, CANCELLED, REFERRED)
OPEN_STATUSES = (NEW, INTAKE, SEARCHING, MATCHED)
STATUS_LABELS = {
    NEW: "nieuw", INTAKE: "in gesprek", SEARCHING: "zoekt helper", MATCHED: "gekoppeld",
    DONE: "afgerond", CANCELLED: "gestopt", REFERRED: "doorverwezen",
}

# Urgency, with the order the inbox sorts by.
TODAY, THIS_WEEK, NO_RUSH = "today", "week", "no_rush"
URGENCIES = (TODAY, THIS_WEEK, NO_RUSH)
URGENCY_LABELS = {TODAY: "vandaag", THIS_WEEK: "deze week", NO_RUSH: "geen haast"}

# When: a day and part of the day, a time window, or flexible.
PARTS_OF_DAY = {"morning": "ochtend", "afternoon": "middag", "evening": "avond"}
ONCE, WEEKLY, FORTNIGHTLY = "once", "weekly", "fortnightly"
RECURRENCE_LABELS = {ONCE: "eenmalig", WEEKLY: "elke week", FORTNIGHTLY: "om de week"}

# How the request reached the cooperative: the resident online, or the coordinator for them.
WEB, PHONE, VISIT = "web", "phone", "visit"
CHANNEL_LABELS = {WEB: "via de website", PHONE: "telefonisch", VISIT: "bij een huisbezoek"}

# The Schijf van Vijf, asked in this order ("eigen regie" first), as Cordaan uses it.
FIVE_QUESTIONS = {
    1: "Wat kan de inwoner zelf nog?",
    2: "Welke hulpmiddelen kunnen helpen?",
    3: "Wat kunnen familie of de mantelzorger doen?",
    4: "Wat kunnen het netwerk, vrijwilligers of andere organisaties doen?",
    5: "Wat doet de professional?",
}
FIVE_QUESTIONS_SHORT = {1: "zelf", 2: "hulpmiddel", 3: "familie en mantelzorg",
                        4: "netwerk, vrijwilligers, organisaties", 5: "professional"}
# The timeline action of a recorded Schijf van Vijf, as stored in request_events.action: it keeps
# its earlier name, so timelines written before the rename read the same.
FIVE_QUESTIONS_ACTION = "role_split"

# Parties in a Schijf van Vijf; the same columns as the gemeente agreement's matrix.
PARTIES = {
    "resident": "de inwoner zelf",
    "family": "familie en netwerk",
    "volunteer": "vrijwilligers van de coöperatie",
    "coordinator": "de dorpsondersteuner",
    "professional": "professionele zorg",
    "municipality": "de gemeente",
    "organisation": "andere organisatie",
}
# The answer "niet nodig" (not needed) to a question: nobody takes anything on, so no party.
NOT_NEEDED_LABEL = "niet nodig"


class HelpRequest(Model):
    __tablename__ = "help_requests"
    __table_args__ = (Index("ix_help_requests_village_status", "village_id", "status"),
                      # the inbox: its page's ids from the index alone, sorted there (requests.queries)
                      Index("ix_help_requests_inbox", "village_id", "status", "urgency", "created_at", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("task_categories.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default=NEW)
    urgency: Mapped[str] = mapped_column(String(10), default=NO_RUSH)

    # When help is wanted: on_date + part_of_day, or window_start/window_end, or neither
    # (flexible). Times are stored in UTC, shown in Europe/Amsterdam.
    flexible: Mapped[bool] = mapped_column(default=False)
    on_date: Mapped[date | None] = mapped_column(Date)
    part_of_day: Mapped[str | None] = mapped_column(String(10))
    window_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    window_end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recurrence: Mapped[str] = mapped_column(String(12), default=ONCE)

    # Where: the resident's own address unless another is given.
    street: Mapped[str | None] = mapped_column(String(120))
    house_number: Mapped[str | None] = mapped_column(String(12))
    postcode: Mapped[str | None] = mapped_column(String(7))
    place: Mapped[str | None] = mapped_column(String(80))
    lat: Mapped[float | None]
    lon: Mapped[float | None]

    # The resident agrees that the helper, once matched, sees name, street and phone.
    consent_contact: Mapped[bool] = mapped_column(default=False)

    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    channel: Mapped[str] = mapped_column(String(10), default=WEB, server_default=WEB)
    # One-time token of the form that posted this request: a second POST of the same form
    # finds this row instead of creating a twin (double click, reload, flaky connection).
    form_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, index=True)
    # The local (Europe/Amsterdam) month of created_at as YYYYMM, kept so the reports can
    # group a year of requests by month from an index instead of converting every timestamp.
    created_month: Mapped[int | None] = mapped_column(default=lambda ctx: _created_month_default(ctx))
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    matched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # matched_at − created_at in whole hours (rounded), kept with matched_at: the reports take
    # the median time to match from an index in hour order instead of sorting computed values.
    hours_to_match: Mapped[int | None] = mapped_column(default=lambda ctx: _hours_to_match_default(ctx))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Where it was referred: one of the village's list. `referred_to` keeps that name as text
    # too, for the timeline and the release before the list (docs/migrations.md).
    referral_destination_id: Mapped[int | None] = mapped_column(ForeignKey("referral_destinations.id"))
    referred_to: Mapped[str | None] = mapped_column(String(160))
    referral_reason: Mapped[str | None] = mapped_column(Text)
    # Set when the retention job has removed the personal content.
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    resident: Mapped[User] = relationship(foreign_keys=[resident_id])
    entered_by: Mapped[User | None] = relationship(foreign_keys=[entered_by_id])
    category: Mapped[TaskCategory] = relationship()
    referral_destination: Mapped[ReferralDestination | None] = relationship()
    events: Mapped[list[RequestEvent]] = relationship(
        back_populates="help_request", cascade="all, delete-orphan", order_by="RequestEvent.at")
    five_questions: Mapped[list[FiveQuestionsAnswer]] = relationship(
        back_populates="help_request", cascade="all, delete-orphan", order_by="FiveQuestionsAnswer.question")

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def urgency_label(self) -> str:
        return URGENCY_LABELS[self.urgency]

    @property
    def channel_label(self) -> str:
        return CHANNEL_LABELS.get(self.channel, self.channel)

    @property
    def entered_on_behalf(self) -> bool:
        return self.entered_by_id is not None and self.entered_by_id != self.resident_id

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def address_line(self) -> str:
        street = " ".join(p for p in (self.street, self.house_number) if p)
        return ", ".join(p for p in (street, self.place) if p)


def local_month(moment: datetime) -> int:
    local = moment.astimezone(LOCAL)
    return local.year * 100 + local.month


def hours_between(start: datetime | None, end: datetime | None) -> int | None:
    """Whole hours from start to end, a half hour rounded up; None while there is no end."""
    if start is None or end is None:
        return None
    whole, rest = divmod(end - start, timedelta(hours=1))
    return whole + (rest >= timedelta(minutes=30))


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=moment.tzinfo or UTC) if moment is not None else None


def _created_month_default(context) -> int:
    # Also fills bulk (Core) inserts, which pass created_at but never run the ORM hooks below.
    created = context.get_current_parameters().get("created_at")
    return local_month(_aware(created) or now())


def _hours_to_match_default(context) -> int | None:
    params = context.get_current_parameters()
    return hours_between(_aware(params.get("created_at")) or now(), _aware(params.get("matched_at")))


@event.listens_for(HelpRequest, "before_insert")
@event.listens_for(HelpRequest, "before_update")
def _keep_report_columns(mapper, connection, target: HelpRequest) -> None:
    """The one place that keeps the stored report columns right for the ORM: the local month,
    the hours to match (set, changed and cleared with matched_at), and their copies on the
    Schijf van Vijf answers."""
    if target.created_at is None:
        target.created_at = now()
    month = local_month(target.created_at)
    hours = hours_between(target.created_at, target.matched_at)
    if target.hours_to_match != hours:
        target.hours_to_match = hours
    if target.created_month != month:
        target.created_month = month
        if target.id is not None:
            connection.execute(update(FiveQuestionsAnswer).where(FiveQuestionsAnswer.request_id == target.id)
                               .values(created_month=month))
    if target.id is not None and db.inspect(target).attrs.village_id.history.has_changes():
        connection.execute(update(FiveQuestionsAnswer).where(FiveQuestionsAnswer.request_id == target.id)
                           .values(village_id=target.village_id))


# The inbox's order (most urgent first, then longest waiting) and its default filter (every open
# request), with the values written into the SQL: the partial index below holds this very
# expression, and a database matches an index to a query by the text of its expressions, which a
# bound parameter would hide. The inbox and the map's urgent list then read their fifty rows in
# index order and stop, instead of sorting every open request of the village for each page.
def _sql_literal(value: str | int):
    return literal_column(f"'{value}'" if isinstance(value, str) else str(value))


URGENCY_RANK = case((HelpRequest.urgency == _sql_literal(TODAY), _sql_literal(0)),
                    (HelpRequest.urgency == _sql_literal(THIS_WEEK), _sql_literal(1)), else_=_sql_literal(2))
IS_OPEN = HelpRequest.status.in_([_sql_literal(s) for s in OPEN_STATUSES])
Index("ix_help_requests_open_inbox", HelpRequest.village_id, URGENCY_RANK, HelpRequest.created_at, HelpRequest.id,
      postgresql_where=IS_OPEN, sqlite_where=IS_OPEN)


class RequestStatusCount(Model):
    """How many requests a village has in a status, for the inbox's counts.

    Kept by the database, not the app: triggers on help_requests (0030_request_status_counts)
    count every request added, removed or moved, by any writer, in the writer's transaction. So
    the inbox reads seven rows instead of an index entry for every request the village ever had.
    On SQLite a batch rebuild of help_requests drops those triggers (see the migration)."""

    __tablename__ = "request_status_counts"

    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[str] = mapped_column(String(12), primary_key=True)
    n: Mapped[int]


class RequestEvent(Model):
    """One line on a request's timeline: who did what, when, with an optional note."""

    __tablename__ = "request_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str | None] = mapped_column(String(12))
    to_status: Mapped[str | None] = mapped_column(String(12))
    note: Mapped[str] = mapped_column(Text, default="")

    help_request: Mapped[HelpRequest] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class FiveQuestionsAnswer(Model):
    """One answer of the Schijf van Vijf: question 1..5, a short note, the party taking it on;
    or "niet nodig" (not_needed), with no party and perhaps a note on why."""

    __tablename__ = "role_split_lines"
    __table_args__ = (UniqueConstraint("request_id", "question"),
                      CheckConstraint("NOT (not_needed AND party IS NOT NULL)", name="not_needed_no_party"))

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id", ondelete="CASCADE"), index=True)
    question: Mapped[int]
    note: Mapped[str] = mapped_column(Text, default="")
    party: Mapped[str | None] = mapped_column(String(20))
    not_needed: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Copies of the request's village and local month, so the reports count a year's lines
    # from one index range without joining 100,000 requests. Kept by the hooks below.
    village_id: Mapped[int | None] = mapped_column(default=lambda ctx: _from_request(ctx, HelpRequest.village_id))
    created_month: Mapped[int | None] = mapped_column(default=lambda ctx: _from_request(ctx, HelpRequest.created_month))

    help_request: Mapped[HelpRequest] = relationship(back_populates="five_questions")

    @property
    def question_text(self) -> str:
        return FIVE_QUESTIONS[self.question]

    @property
    def party_label(self) -> str:
        return PARTIES.get(self.party or "", "")

    @property
    def who_label(self) -> str:
        """Who takes it on, or "niet nodig"."""
        return NOT_NEEDED_LABEL if self.not_needed else self.party_label


def _from_request(context, column):
    # Bulk (Core) inserts name only request_id: read the copy from the request itself.
    request_id = context.get_current_parameters().get("request_id")
    return context.connection.scalar(select(column).where(HelpRequest.id == request_id))


@event.listens_for(FiveQuestionsAnswer, "before_insert")
@event.listens_for(FiveQuestionsAnswer, "before_update")
def _copy_request_columns(mapper, connection, target: FiveQuestionsAnswer) -> None:
    # The request itself when it is in memory (a new request has no row to read yet); never a
    # lazy load in the middle of a flush.
    req = db.inspect(target).dict.get("help_request")
    if req is not None:
        village_id, month = req.village_id, req.created_month
    else:
        village_id, month = connection.execute(select(HelpRequest.village_id, HelpRequest.created_month)
                                               .where(HelpRequest.id == target.request_id)).one()
    if (target.village_id, target.created_month) != (village_id, month):
        target.village_id, target.created_month = village_id, month
