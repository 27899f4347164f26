"""The load test's CPU per request (tests/perf/load.py): what PostgreSQL's processes used is
found in /proc, and a busy query shows up there, not with the web workers.

Only live processes are counted: the web workers' pooled connections live through a page's
measurement, so their backends do; the connection here is held open until it is read."""
from __future__ import annotations

import psycopg

from tests.perf.load import cpu_seconds


def test_a_busy_query_counts_as_the_databases_cpu(postgres):
    with psycopg.connect(postgres.dsn()) as connection:
        before = cpu_seconds()
        connection.execute("SELECT count(*) FROM generate_series(1, 4000000) AS n WHERE n % 7 = 0").fetchall()
        after = cpu_seconds()
    assert after["database"] - before["database"] > 0.1, (before, after)
    assert after["web"] == before["web"]  # no gunicorn runs here
