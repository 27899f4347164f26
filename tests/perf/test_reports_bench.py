"""`make bench`: the report page over 100,000 requests and a year of data within 300 ms, on
SQLite and on PostgreSQL (the median of 7 page loads; see bench_reports.py for the data)."""
import pytest

from tests.perf import bench_reports

pytestmark = pytest.mark.bench
REQUESTS = 100_000


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_report_page_of_a_big_year_within_budget(backend, request, workdir):
    if backend == "sqlite":
        url = f"sqlite:///{workdir / 'bench_reports'}.sqlite"
    else:
        server = request.getfixturevalue("postgres")
        server.create_database("bench_reports")
        url = server.url("bench_reports")
    result = bench_reports.measure(url, REQUESTS)
    print(f"\n{backend} {REQUESTS:,} requests: median {result['median_ms']:.0f} ms, slowest {result['max_ms']:.0f} ms, "
          f"CPU of this process {result['cpu_median_ms']:.0f} ms")
    assert result["median_ms"] <= bench_reports.BUDGET_MS, result
