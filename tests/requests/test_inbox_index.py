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


def _copies(session, req: HelpRequest, n: int) -> None:
    """n more requests like `req`, in one statement (the plan test needs a village of thousands)."""
    columns = ", ".join(c.name for c in HelpRequest.__table__.columns if c.name != "id")
    session.execute(text(f"INSERT INTO help_requests ({columns}) SELECT {columns} FROM help_requests, "
                         "generate_series(1, :n) WHERE id = :id"), {"n": n, "id": req.id})


def test_postgresql_keeps_the_inbox_and_map_plans_between_views(session, make, village, new_request):
    """A bound LIMIT made PostgreSQL plan the inbox and the map's requests anew at each view
    (a generic plan with a bound LIMIT is costed as if it kept a tenth of the rows); with the
    number written in (coop.core.sql.written) the prepared statement keeps one plan."""
    if db.engine.dialect.name != "postgresql":
        return  # SQLite plans every statement as it comes
    from coop.matching.queries import request_points
    resident = make.user(village, lat=52.08, lon=5.24)
    _copies(session, new_request(resident, lat=52.08, lon=5.24), 4000)
    session.commit()
    session.execute(text("ANALYZE help_requests"))
    # psycopg prepares a statement after five executions; PostgreSQL plans its first five
    # runs as they come, then keeps a generic plan unless that one looks dearer
    for _ in range(14):
        assert len(queries.inbox(village.id).requests) == queries.PAGE_SIZE
        assert len(request_points(village.id, "/hulpvragen", limit=51, urgent_first=True)) == 51
    plans = session.execute(text(
        "SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements "
        "WHERE statement LIKE '%FROM help_requests%LIMIT%'")).all()
    assert len(plans) == 2, plans
    for statement, generic, custom in plans:
        assert generic >= 2 and custom <= 5, (statement, generic, custom)
