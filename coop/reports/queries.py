"""Read-side SQL for the reports: every figure is aggregated by the database.

Months are local (Europe/Amsterdam) calendar months. Requests are counted in the month they
came in, read from their stored `created_month` (YYYYMM, local): the year's requests of a village
are one range of the covering index ix_help_requests_report, already in month × category order,
so counting needs no timestamp conversion and no sort. Other rows (hours, shifts, check-ins) are
few; they are bucketed by a CASE over the twelve month boundaries (computed here in UTC), so
SQLite and PostgreSQL count exactly the same.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Float, Integer, case, cast, func, literal, select, type_coerce, union_all
from sqlalchemy.sql import ColumnElement

from coop.core.clock import LOCAL
from coop.core.models import ReferralDestination
from coop.extensions import db
from coop.people.models import HoursEntry
from coop.requests.models import REFERRED, FiveQuestionsAnswer, HelpRequest
from coop.respite.models import CarerQolCheckin, RespiteRequest, RespiteShift

COUNTED_HOURS = (HoursEntry.CONFIRMED, HoursEntry.APPROVED)
SHIFT = "shift"


@dataclass(frozen=True)
class Month:
    number: int  # 1..12
    first_day: date
    next_first_day: date

    @property
    def start(self) -> datetime:
        return datetime(self.first_day.year, self.first_day.month, 1, tzinfo=LOCAL)

    @property
    def end(self) -> datetime:
        return datetime(self.next_first_day.year, self.next_first_day.month, 1, tzinfo=LOCAL)


def months_of(year: int) -> list[Month]:
    return [Month(m, date(year, m, 1), date(year + (m == 12), m % 12 + 1, 1)) for m in range(1, 13)]


def _month_of_time(column, months: list[Month]) -> ColumnElement:
    # The WHERE clause already keeps rows inside the year: one comparison per month will do.
    return case(*[(column < m.end, m.number) for m in months], else_=0)


def _month_of_day(column, months: list[Month]) -> ColumnElement:
    return case(*[(column < m.next_first_day, m.number) for m in months], else_=0)


def _in_year(village_id: int, year: int):
    return (HelpRequest.village_id == village_id, HelpRequest.created_month >= year * 100 + 1,
            HelpRequest.created_month <= year * 100 + 12)


def _request_month(year: int) -> ColumnElement:
    return HelpRequest.created_month - year * 100


def _request_count_columns(year: int) -> tuple:
    return (_request_month(year), HelpRequest.category_id, func.count(), func.count(HelpRequest.matched_at),
            func.sum(case((HelpRequest.status == REFERRED, 1), else_=0)))


def request_counts(village_id: int, year: int) -> list[tuple[int, int, int, int, int]]:
    """(month, category_id, requests, matched, referred) for every month×category that has any."""
    query = (select(*_request_count_columns(year))
             .where(*_in_year(village_id, year))
             .group_by(HelpRequest.created_month, HelpRequest.category_id))
    return [(int(month or 0), int(category or 0), int(n or 0), int(m or 0), int(r or 0))
            for month, category, n, m, r in db.session.execute(query)]


def request_counts_per_village(village_ids, year: int) -> dict[int, list[tuple[int, int, int, int, int]]]:
    """request_counts for several villages in one query: village id → its rows."""
    out: dict[int, list[tuple[int, int, int, int, int]]] = {i: [] for i in village_ids}
    if not out:
        return out
    query = (select(HelpRequest.village_id, *_request_count_columns(year))
             .where(HelpRequest.village_id.in_(out), HelpRequest.created_month >= year * 100 + 1,
                    HelpRequest.created_month <= year * 100 + 12)
             .group_by(HelpRequest.village_id, HelpRequest.created_month, HelpRequest.category_id))
    for village_id, month, category, n, m, r in db.session.execute(query):
        out[village_id].append((int(month or 0), int(category or 0), int(n or 0), int(m or 0), int(r or 0)))
    return out


def median_days_to_match(village_id: int, year: int) -> dict[str, dict[int, float]]:
    """Median days from request to match per month, per category and over the year.

    All in SQL, from the stored whole hours to match (HelpRequest.hours_to_match): the matched
    requests are counted per month, category and hour (a histogram of a few thousand rows, built
    as the index ix_help_requests_report streams in that order, no sort); per group a running
    sum over that histogram finds the middle value (or the mean of the two middle values).
    Exact to the hour, which is finer than the tenth of a day the report shows.
    """
    month = _request_month(year)
    hours = HelpRequest.hours_to_match
    hist = (select(month.label("m"), HelpRequest.category_id.label("c"), hours.label("h"), func.count().label("k"))
            .where(*_in_year(village_id, year), hours.is_not(None))
            .group_by(HelpRequest.created_month, HelpRequest.category_id, hours).cte("hist"))
    parts = []
    for kind, group in (("month", hist.c.m), ("category", hist.c.c), ("all", literal(0))):
        per = select(group.label("grp"), hist.c.h, func.sum(hist.c.k).label("k")).group_by(group, hist.c.h).subquery()
        run = select(per.c.grp, per.c.h,
                     cast(func.sum(per.c.k).over(partition_by=per.c.grp, order_by=per.c.h), Integer).label("cum"),
                     cast(func.sum(per.c.k).over(partition_by=per.c.grp), Integer).label("n")).subquery()
        low = func.min(case((run.c.cum >= (run.c.n + 1) // 2, run.c.h)))
        high = func.min(case((run.c.cum >= (run.c.n + 2) // 2, run.c.h)))
        parts.append(select(literal(kind).label("kind"), run.c.grp,
                            type_coerce((low + high) / 48.0, Float).label("median")).group_by(run.c.grp))
    out: dict[str, dict[int, float]] = {"month": {}, "category": {}, "all": {}}
    for kind, grp, value in db.session.execute(union_all(*parts)):
        out[kind][int(grp)] = float(value)
    return out


def referral_counts(village_id: int, year: int) -> list[tuple[str, int]]:
    """(referred to, number) for the year's referred requests, by the name on the village's list.

    What a coordinator typed never reaches the gemeente: a request referred before the list
    existed, to a place not on it, counts as "onbekend"."""
    to = func.coalesce(ReferralDestination.name, "onbekend").label("to")
    query = (select(to, func.count()).select_from(HelpRequest)
             .outerjoin(ReferralDestination, ReferralDestination.id == HelpRequest.referral_destination_id)
             .where(*_in_year(village_id, year), HelpRequest.status == REFERRED)
             .group_by(to).order_by(func.count().desc(), to))
    return [(str(t), int(n)) for t, n in db.session.execute(query)]


def referral_counts_per_village(village_ids, year: int) -> dict[int, list[tuple[str, int]]]:
    """referral_counts for several villages in one query: village id → its rows."""
    out: dict[int, list[tuple[str, int]]] = {i: [] for i in village_ids}
    if not out:
        return out
    to = func.coalesce(ReferralDestination.name, "onbekend").label("to")
    query = (select(HelpRequest.village_id, to, func.count()).select_from(HelpRequest)
             .outerjoin(ReferralDestination, ReferralDestination.id == HelpRequest.referral_destination_id)
             .where(HelpRequest.village_id.in_(out), HelpRequest.created_month >= year * 100 + 1,
                    HelpRequest.created_month <= year * 100 + 12, HelpRequest.status == REFERRED)
             .group_by(HelpRequest.village_id, to).order_by(HelpRequest.village_id, func.count().desc(), to))
    for village_id, name, n in db.session.execute(query):
        out[village_id].append((str(name), int(n)))
    return out


def hours_by_month(village_id: int, year: int) -> dict[int, dict[str, float]]:
    """Per month: help hours and respite (shift) hours, and how many helpers gave each."""
    months = months_of(year)
    month = _month_of_day(HoursEntry.worked_on, months).label("month")
    is_shift = HoursEntry.source_type == SHIFT
    query = (select(month, *_hour_columns(is_shift))
             .where(*_hours_filter(village_id, months))
             .group_by(month))
    return {int(row[0]): _hour_row(row[1:]) for row in db.session.execute(query)}


def hours_for_year(village_id: int, year: int) -> dict[str, float]:
    """The same as hours_by_month for the whole year: helpers counted once, not per month."""
    months = months_of(year)
    query = select(*_hour_columns(HoursEntry.source_type == SHIFT)).where(*_hours_filter(village_id, months))
    return _hour_row(db.session.execute(query).one())


def _hours_filter(village_id: int, months: list[Month]):
    return (HoursEntry.village_id == village_id, HoursEntry.worked_on >= months[0].first_day,
            HoursEntry.worked_on < months[-1].next_first_day, HoursEntry.status.in_(COUNTED_HOURS))


def _hour_columns(is_shift):
    hours = type_coerce(HoursEntry.hours, Float)
    return (type_coerce(func.sum(case((is_shift, 0), else_=hours)), Float),
            type_coerce(func.sum(case((is_shift, hours), else_=0)), Float),
            func.count(func.distinct(case((is_shift, None), else_=HoursEntry.helper_id))),
            func.count(func.distinct(case((is_shift, HoursEntry.helper_id), else_=None))),
            func.count(func.distinct(HoursEntry.helper_id)))


def _hour_row(values) -> dict[str, float]:
    keys = ("help_hours", "respite_hours", "help_helpers", "respite_helpers", "active_helpers")
    return {k: float(v or 0) for k, v in zip(keys, values, strict=True)}


def five_questions_counts(village_id: int, year: int) -> list[tuple[str, int, int]]:
    """(party, question, lines) over the Schijf van Vijf answers of the year's requests.

    The lines carry their request's village and month, so this is one range of
    ix_role_split_lines_report; grouped per month first, as the index streams, then summed."""
    per_month = (select(FiveQuestionsAnswer.party.label("p"), FiveQuestionsAnswer.question.label("q"),
                        func.count().label("n"))
                 .where(FiveQuestionsAnswer.village_id == village_id,
                        FiveQuestionsAnswer.created_month >= year * 100 + 1,
                        FiveQuestionsAnswer.created_month <= year * 100 + 12, FiveQuestionsAnswer.party.is_not(None))
                 .group_by(FiveQuestionsAnswer.created_month, FiveQuestionsAnswer.party, FiveQuestionsAnswer.question)
                 .subquery())
    query = select(per_month.c.p, per_month.c.q, func.sum(per_month.c.n)).group_by(per_month.c.p, per_month.c.q)
    return [(str(p), int(q), int(n)) for p, q, n in db.session.execute(query)]


def five_questions_not_needed(village_id: int, year: int) -> dict[int, int]:
    """Per question, how many of the year's Schijf-van-Vijf answers were "niet nodig". Those
    lines have no party, so five_questions_counts never counts them as one taking something on."""
    query = (select(FiveQuestionsAnswer.question, func.count())
             .where(FiveQuestionsAnswer.village_id == village_id, FiveQuestionsAnswer.created_month >= year * 100 + 1,
                    FiveQuestionsAnswer.created_month <= year * 100 + 12, FiveQuestionsAnswer.party.is_(None),
                    FiveQuestionsAnswer.not_needed.is_(True))
             .group_by(FiveQuestionsAnswer.question))
    return {int(q): int(n) for q, n in db.session.execute(query)}


def carers_supported(village_id: int, year: int) -> dict[int, int]:
    """Distinct carers with a respite shift (not cancelled) starting in the month; key 0 is the
    whole year, where each carer counts once however many months they had respite."""
    months = months_of(year)
    month = _month_of_time(RespiteShift.starts_at, months)
    carer = func.count(func.distinct(RespiteRequest.carer_id))
    base = (select(carer).select_from(RespiteShift).join(RespiteRequest, RespiteRequest.id == RespiteShift.request_id)
            .where(RespiteShift.village_id == village_id, RespiteShift.status != RespiteShift.CANCELLED,
                   RespiteShift.starts_at >= months[0].start, RespiteShift.starts_at < months[-1].end))
    per_month = base.add_columns(month.label("month")).group_by(month)
    out = {int(m): int(n) for n, m in db.session.execute(per_month)}
    out[0] = int(db.session.scalar(base) or 0)
    return out


def carerqol_vas_average(village_id: int, year: int) -> dict[int, tuple[float | None, int, int]]:
    """Per month (key 0: the year): (average CarerQol-VAS, check-ins, distinct carers behind it)."""
    months = months_of(year)
    month = _month_of_time(CarerQolCheckin.taken_at, months)
    columns = (type_coerce(func.avg(cast(CarerQolCheckin.vas, Float)), Float), func.count(),
               func.count(func.distinct(CarerQolCheckin.carer_id)))
    where = (CarerQolCheckin.village_id == village_id, CarerQolCheckin.taken_at >= months[0].start,
             CarerQolCheckin.taken_at < months[-1].end)
    out = {int(m): (_float(a), int(n), int(c))
           for m, a, n, c in db.session.execute(select(month, *columns).where(*where).group_by(month))}
    a, n, c = db.session.execute(select(*columns).where(*where)).one()
    out[0] = (_float(a), int(n or 0), int(c or 0))
    return out


def _float(value) -> float | None:
    return None if value is None else float(value)
