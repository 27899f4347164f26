"""The query budget of the list pages: a page issues the same number of SQL statements whether it
lists 5 rows or 50, and never more than MAX_QUERIES. `same_queries` opens the page with 5, adds
45 and opens it again."""
from __future__ import annotations

from collections.abc import Callable, Iterable

import factory.random
import pytest
from markupsafe import escape

from tests.support.queries import difference

FEW, MANY = 5, 50
# No page issues more than this many statements (the load test's pages among them), however
# many rows it lists: the login, the user and their roles count too.
MAX_QUERIES = 10
# Pages not yet within MAX_QUERIES, by test, with the count they have now: theirs may not grow.
# A page that gets below MAX_QUERIES leaves this list. A page that shows people writes its
# access-log row after the view (coop/core/audit.py): the chain's head, the row and the people
# shown are three statements of each count here.
# The figures read the aids lent (+1) and the attendance at activities (+1).
OVER_MAX = {"test_coordinator_home": 22, "test_volunteer_home": 19, "test_figures_of_the_village": 18,
            "test_week_roster": 22, "test_print_roster": 13, "test_my_roster": 14,
            "test_hours_to_approve": 14, "test_monthly_statement": 13, "test_monthly_statement_csv": 11,
            "test_candidates_for_a_request": 27, "test_audit_log": 14, "test_audit_log_csv": 14,
            "test_my_proposals": 11, "test_carers": 11,
            # The copy of everything stored about a person reads each of its ~20 tables once (the
            # membership: its household, mandate and contributions in one).
            "test_my_copy_as_json": 29, "test_my_copy_to_print": 29}

# The load test's pages (tests/perf/load.py), below MAX_QUERIES: each statement is a round trip,
# and under load a round trip cost more CPU than the small reads it carried (BENCHMARKS.md,
# "Load"). SQLite writes an access-log row in three statements, PostgreSQL in one.
LOAD_PAGES = {"test_inbox": {"postgresql": 4, "sqlite": 6},
              "test_proposals_on_the_request_page": {"postgresql": 6, "sqlite": 7}}


@pytest.fixture(autouse=True)
def seeded():
    """The same fake names in every run: a failure shows the same data again."""
    factory.random.reseed_random("coop-query-budget")


@pytest.fixture
def same_queries(request, request_queries, backend):
    """same_queries(client, url, grow) -> the number of statements the page issues.

    `grow(n)` adds n rows of the page's content and returns texts the page must then show (a
    name per row, say; Markup for a piece of HTML), so the 50 rows are really on the page and
    not cut off by a limit.
    """
    def check(client, url: str, grow: Callable[[int], Iterable[str]]) -> int:
        expected = list(grow(FEW))
        few = _open(client, url, expected, request_queries)
        expected += grow(MANY - FEW)
        many = _open(client, url, expected, request_queries)
        assert len(many) == len(few), (
            f"{url}: {len(few)} statements with {FEW} rows, {len(many)} with {MANY}:\n{difference(few, many)}")
        most = LOAD_PAGES.get(request.node.originalname, {}).get(backend) or \
            OVER_MAX.get(request.node.originalname, MAX_QUERIES)
        assert len(many) <= most, f"{url}: {len(many)} statements, more than {most}:\n" + \
            "\n".join(" ".join(s.split())[:200] for s in many)
        return len(few)
    return check


def _open(client, url, expected, recorder) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    text = response.get_data(as_text=True)
    shown = (lambda t: str(escape(t))) if response.mimetype == "text/html" else str
    missing = [t for t in expected if shown(t) not in text]
    assert not missing, f"{url} does not show {missing[:5]} ({len(missing)} missing)"
    # A lock on the audit chain on its own (trimming the log takes one) reads nothing; an
    # access-log row takes its lock inside audit_log_append, in the same round trip.
    return [q for q in recorder.last if "pg_advisory_xact_lock" not in q]
