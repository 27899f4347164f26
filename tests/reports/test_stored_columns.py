"""The columns the reports read instead of computing: hours to match on the request, and the
request's village and month on its Schijf van Vijf answers. Each is checked on every way in: the
request service, a direct change, a bulk (Core) insert, and the migration's backfill."""
import importlib
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select, update

from coop.core import clock
from coop.requests import service
from coop.requests.intake import record_five_questions
from coop.requests.models import FiveQuestionsAnswer, HelpRequest

T0 = datetime(2025, 3, 31, 21, 0, tzinfo=UTC)  # 31 March 23:00 in Amsterdam


@pytest.fixture
def frozen():
    yield clock.freeze
    clock.freeze(None)


@pytest.fixture
def new_request(session, make, village, resident):
    cat = make.category(village, "boodschappen")

    def build(created=T0, **kw):
        req = HelpRequest(village_id=village.id, resident_id=resident.id, category_id=cat.id,
                          description="Vraag", created_at=created, **kw)
        session.add(req)
        session.flush()
        return req
    return build


def _stored_hours(session, req) -> int | None:
    session.flush()
    return session.scalar(select(HelpRequest.hours_to_match).where(HelpRequest.id == req.id))


def test_hours_to_match_is_set_on_match_and_follows_matched_at(session, new_request, coordinator, volunteer, frozen):
    req = new_request(status="searching")
    assert _stored_hours(session, req) is None
    frozen(T0 + timedelta(hours=26, minutes=30))  # a half hour rounds up
    service.mark_matched(req, by=coordinator, helper=volunteer)
    assert _stored_hours(session, req) == 27
    # Reopening keeps matched_at (the request still counts as matched once in the report), so
    # the stored hours stay with it: the median is taken over the same requests as the count.
    frozen(T0 + timedelta(days=3))
    service.reopen(req, by=coordinator)
    assert req.matched_at is not None and _stored_hours(session, req) == 27
    frozen(T0 + timedelta(days=4, minutes=29))  # a new match replaces it; under a half hour rounds down
    service.mark_matched(req, by=coordinator, helper=volunteer)
    assert _stored_hours(session, req) == 96
    req.matched_at = None
    assert _stored_hours(session, req) is None


def test_hours_to_match_follows_a_changed_created_at(session, new_request):
    req = new_request(matched_at=T0 + timedelta(hours=10))
    assert _stored_hours(session, req) == 10
    req.created_at = T0 - timedelta(hours=5)
    assert _stored_hours(session, req) == 15


def test_bulk_inserts_get_hours_to_match(session, make, village, resident):
    cat = make.category(village, "gezelschap")
    session.execute(insert(HelpRequest), [
        {"village_id": village.id, "resident_id": resident.id, "category_id": cat.id, "description": "bulk matched",
         "created_at": T0, "matched_at": T0 + timedelta(days=2, hours=3)},
        {"village_id": village.id, "resident_id": resident.id, "category_id": cat.id, "description": "bulk open",
         "created_at": T0}])
    stored = dict(session.execute(select(HelpRequest.description, HelpRequest.hours_to_match)
                                  .where(HelpRequest.description.like("bulk %"))).all())
    assert stored == {"bulk matched": 51, "bulk open": None}


def _line_copies(session, req) -> set[tuple[int, int]]:
    session.flush()
    return set(session.execute(select(FiveQuestionsAnswer.village_id, FiveQuestionsAnswer.created_month)
                               .where(FiveQuestionsAnswer.request_id == req.id)).all())


def test_role_split_lines_carry_the_request_village_and_local_month(session, new_request, village, coordinator):
    req = new_request()
    record_five_questions(req, {1: ("zelf boodschappen", "resident"), 4: ("buurman rijdt", "volunteer")},
                          by=coordinator)
    assert _line_copies(session, req) == {(village.id, 202503)}
    # A line added to a request that is already stored, through the relationship.
    req.five_questions.append(FiveQuestionsAnswer(question=5, party="professional"))
    assert _line_copies(session, req) == {(village.id, 202503)}
    # 31 March 23:00 becomes 1 April 00:30 local: the lines move to April with the request.
    req.created_at = T0 + timedelta(minutes=90)
    assert _line_copies(session, req) == {(village.id, 202504)}
    assert session.get(HelpRequest, req.id).created_month == 202504


def test_role_split_lines_follow_a_request_moved_to_another_village(session, new_request, other_village, make):
    req = new_request()
    req.five_questions.append(FiveQuestionsAnswer(question=1, party="resident"))
    session.flush()
    req.village_id = other_village.id
    req.category_id = make.category(other_village, "boodschappen").id
    assert _line_copies(session, req) == {(other_village.id, 202503)}


def test_bulk_inserted_lines_read_their_copies_from_the_request(session, new_request, village):
    req = new_request(created=datetime(2025, 6, 1, 10, tzinfo=UTC))
    session.execute(insert(FiveQuestionsAnswer), [{"request_id": req.id, "question": q, "party": "family", "note": ""}
                                            for q in (1, 3)])
    assert _line_copies(session, req) == {(village.id, 202506)}


def test_the_migration_backfills_what_the_hooks_would_write(session, new_request, village):
    migration = importlib.import_module("migrations.versions.0011_report_speed")
    matched = new_request(matched_at=T0 + timedelta(hours=7, minutes=45))
    unmatched = new_request()
    matched.five_questions.append(FiveQuestionsAnswer(question=2, party="resident"))
    session.flush()
    session.execute(update(HelpRequest).values(hours_to_match=None))
    session.execute(update(FiveQuestionsAnswer).values(village_id=None, created_month=None))
    connection = session.connection()
    migration._backfill_hours(connection)
    migration._backfill_lines(connection)
    session.expire_all()
    assert (matched.hours_to_match, unmatched.hours_to_match) == (8, None)
    assert _line_copies(session, matched) == {(village.id, 202503)}
