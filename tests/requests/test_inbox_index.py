"""The inbox's fifty rows come from ix_help_requests_open_inbox in its own order: the database
reads them and stops, with no sort of every open request of the village (requests/models.py).

A database matches an index to a query by the text of its expressions, so a change to the
inbox's order or its open filter that no longer matches the index would go unnoticed but for
the speed; these tests catch it on both databases."""
from __future__ import annotations

from sqlalchemy import text

from coop.extensions import db
from coop.requests import queries
from coop.requests.models import HelpRequest


def _plan(session, stmt) -> str:
    sql = str(stmt.compile(db.engine, compile_kwargs={"literal_binds": True}))
    if db.engine.dialect.name == "sqlite":
        return "\n".join(row[3] for row in session.execute(text("EXPLAIN QUERY PLAN " + sql)))
    # A test database is tiny, so PostgreSQL would rightly scan and sort it: ask for the plan it
    # takes on a village of thousands of requests, where both are dear. Only an index whose
    # expressions match the query's order lets it do without the sort.
    for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
        session.execute(text(f"SET LOCAL {setting} = off"))
    return "\n".join(row[0] for row in session.execute(text("EXPLAIN " + sql)))


def _page_ids(village_id: int):
    return (queries._filtered(village_id, queries.InboxFilter()).with_only_columns(HelpRequest.id)
            .order_by(*queries.INBOX_ORDER).limit(queries.PAGE_SIZE))


def test_the_inbox_page_is_read_in_index_order(session, village):
    plan = _plan(session, _page_ids(village.id))
    assert "ix_help_requests_open_inbox" in plan, plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan


def test_a_filter_on_category_still_reads_the_index_in_order(session, village):
    stmt = (queries._filtered(village.id, queries.InboxFilter(category_id=3)).with_only_columns(HelpRequest.id)
            .order_by(*queries.INBOX_ORDER).limit(queries.PAGE_SIZE))
    plan = _plan(session, stmt)
    assert "ix_help_requests_open_inbox" in plan, plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan


def test_the_index_holds_open_requests_only(session):
    query = ("SELECT sql FROM sqlite_master WHERE name = :name" if db.engine.dialect.name == "sqlite" else
             "SELECT indexdef FROM pg_indexes WHERE indexname = :name")
    sql = session.execute(text(query), {"name": "ix_help_requests_open_inbox"}).scalar()
    assert sql and "WHERE" in sql
    for status in ("new", "intake", "searching", "matched"):
        assert f"'{status}'" in sql
    for status in ("done", "cancelled", "referred"):
        assert f"'{status}'" not in sql
