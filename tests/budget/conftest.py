"""The query budget of the list pages: a page issues the same number of SQL statements whether it
lists 5 rows or 50. `same_queries` opens the page with 5, adds 45 and opens it again."""
from __future__ import annotations

from collections.abc import Callable, Iterable

import factory.random
import pytest
from markupsafe import escape

from tests.support.queries import difference

FEW, MANY = 5, 50


@pytest.fixture(autouse=True)
def seeded():
    """The same fake names in every run: a failure shows the same data again."""
    factory.random.reseed_random("coop-query-budget")


@pytest.fixture
def same_queries(request_queries):
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
        return len(few)
    return check


def _open(client, url, expected, recorder) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    text = response.get_data(as_text=True)
    shown = (lambda t: str(escape(t))) if response.mimetype == "text/html" else str
    missing = [t for t in expected if shown(t) not in text]
    assert not missing, f"{url} does not show {missing[:5]} ({len(missing)} missing)"
    return list(recorder.last)
