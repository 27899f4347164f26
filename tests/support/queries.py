"""Counting the SQL statements the app issues while it answers one test-client request.

    def test_x(request_queries, client_as, coordinator):
        response = client_as(coordinator).get("/hulpvragen")
        assert len(request_queries.last) <= 12

Only statements between Flask's `request_started` and `request_finished` count: what the test
does itself (building rows, the client's commit before each request) stays out. The harness's
SAVEPOINT / RELEASE SAVEPOINT / ROLLBACK TO SAVEPOINT around each test are left out as well.
"""
from __future__ import annotations

import re
from collections import Counter

import pytest
from flask import request_finished, request_started
from sqlalchemy import event

from coop.extensions import db

_HARNESS = re.compile(r"^\s*(SAVEPOINT|RELEASE\s+SAVEPOINT|ROLLBACK\s+TO\s+SAVEPOINT)\b", re.IGNORECASE)
_LITERALS = re.compile(r"\(\s*(?:\?|%\(\w+\)s|__\[POSTCOMPILE_\w+\])(?:\s*,\s*(?:\?|%\(\w+\)s))*\s*\)")


class RequestQueries:
    """Records the statements of every request the test client makes, one list per request."""

    def __init__(self, app, engine):
        self.app, self.engine = app, engine
        self.requests: list[list[str]] = []
        self._current: list[str] | None = None
        event.listen(engine, "before_cursor_execute", self._on_execute)
        request_started.connect(self._on_started, app)
        request_finished.connect(self._on_finished, app)

    def _on_execute(self, conn, cursor, statement, parameters, context, executemany):
        if self._current is not None and not _HARNESS.match(statement):
            self._current.append(statement)

    def _on_started(self, sender, **extra):
        self._current = []

    def _on_finished(self, sender, response, **extra):
        self.requests.append(self._current or [])
        self._current = None

    @property
    def last(self) -> list[str]:
        """The statements of the most recent request."""
        assert self.requests, "no request has been made yet"
        return self.requests[-1]

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._on_execute)
        request_started.disconnect(self._on_started, self.app)
        request_finished.disconnect(self._on_finished, self.app)


def shape(statement: str) -> str:
    """A statement without its parameter lists, so the same query with other values groups together."""
    return " ".join(_LITERALS.sub("(…)", statement).split())


def difference(fewer: list[str], more: list[str]) -> str:
    """The statements that ran a different number of times in two requests, most repeated first."""
    a, b = Counter(map(shape, fewer)), Counter(map(shape, more))
    lines = [f"{b[s]:>4} × (was {a[s]}) {s[:300]}" for s in sorted(a.keys() | b.keys(), key=lambda s: -b[s])
             if a[s] != b[s]]
    return "\n".join(lines)


@pytest.fixture
def request_queries(app, session):
    """A RequestQueries for this test: `request_queries.last` holds the last request's statements."""
    recorder = RequestQueries(app, db.engine)
    yield recorder
    recorder.close()
