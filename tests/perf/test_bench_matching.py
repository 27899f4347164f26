"""`make bench`: ranking and the village map against their targets, on both backends.

Ranking one request with 10,000 helpers and 50,000 requests: median ≤ 20 ms, p95 ≤ 50 ms,
≤ 5 SQL queries; it grows far slower than the helpers (1,000 → 10,000). The map with 5,000
points: built in ≤ 500 ms, HTML at most twice the plain GeoJSON. PostgreSQL runs on a throwaway
server of its own. Figures are in BENCHMARKS.md.
"""
from __future__ import annotations

import pytest

from tests.perf import bench_matching

pytestmark = pytest.mark.bench


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_ranking_and_map_meet_the_targets(backend):
    results = bench_matching.run([1000, 10000], 50000, backend, echo=print)
    small, large = results[1000]["ranking"], results[10000]["ranking"]
    assert large["median_ms"] <= 20, large
    assert large["p95_ms"] <= 50, large
    assert max(small["max_queries"], large["max_queries"]) <= 5
    assert large["mean_candidates"] > 0  # the benchmark really ranks someone
    # Ten times the helpers must cost far less than ten times the time.
    assert large["median_ms"] <= 5 * small["median_ms"], (small, large)
    for n in (1000, 10000):
        built = results[n]["map"]
        assert built["points"] == 5000
        assert built["build_ms"] <= 500, built
        assert built["ratio"] <= 2.0, built
