"""Benchmark: candidate ranking with N helpers and 50,000 requests; the village map with 5,000 points.

Run: python -m tests.perf.bench_matching [--helpers 1000,10000] [--requests 50000]
                                         [--db sqlite|postgresql|URL]
`sqlite` (the default) uses a temp file; `postgresql` starts a throwaway server
(tests.support.postgres) for the run; a URL uses that database. tests/perf/test_bench_matching.py
runs it under `make bench` and asserts the targets.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import math
import random
import statistics
import tempfile
import time
from datetime import timedelta

from sqlalchemy import event, insert, select

from coop import create_app
from coop.core.clock import local_now, now
from coop.core.models import TaskCategory, User, UserRole, Village
from coop.extensions import db
from coop.people.models import VolunteerProfile, WeeklySlot, helper_categories
from coop.requests.models import HelpRequest

CENTRE = (52.0805, 5.3107)
AREA_KM = 60  # helpers spread over a 60 × 60 km region (a regional provider as one tenant)


def _point(rng):
    dlat = (rng.random() - 0.5) * AREA_KM / 111.2
    dlon = (rng.random() - 0.5) * AREA_KM / (111.2 * math.cos(math.radians(CENTRE[0])))
    return CENTRE[0] + dlat, CENTRE[1] + dlon


def seed(n_helpers: int, n_requests: int, rng: random.Random) -> tuple[int, list[int]]:
    village = Village(name="Bench", slug=f"bench-{n_helpers}", cooperative_name="Bench", centre_lat=CENTRE[0],
                      centre_lon=CENTRE[1], coordinator_phone="+31343123456")
    db.session.add(village)
    db.session.flush()
    cat = TaskCategory(village_id=village.id, code="boodschappen", name="Boodschappen", rule="open")
    db.session.add(cat)
    db.session.flush()
    first_id = (db.session.scalar(select(db.func.max(User.id))) or 0) + 1
    n_residents = 2000
    users, roles, profiles, cats, slots = [], [], [], [], []
    today = local_now().date()
    for i in range(n_helpers + n_residents):
        lat, lon = _point(rng)
        uid = first_id + i
        users.append(dict(id=uid, village_id=village.id, first_name=f"P{i}", last_name="Bench", lat=lat, lon=lon,
                          active=True, session_version=1, created_at=now()))
        if i < n_helpers:
            roles.append(dict(user_id=uid, role="volunteer"))
            profiles.append(dict(user_id=uid, radius_km=rng.choice([1.0, 2.0, 3.0, 5.0]), max_hours_month=12,
                                 vog_date=today - timedelta(days=rng.randint(10, 1500)), paused=rng.random() < 0.05,
                                 approved_at=now(), motivation="", preferences="",
                                 volunteer_contract_signed_on=today))
            if rng.random() < 0.7:
                cats.append(dict(user_id=uid, category_id=cat.id))
            slots.append(dict(user_id=uid, weekday=rng.randrange(7), start=time_(9), end=time_(17)))
        else:
            roles.append(dict(user_id=uid, role="resident"))
    db.session.execute(insert(User), users)
    db.session.execute(insert(UserRole), roles)
    db.session.execute(insert(VolunteerProfile), profiles)
    db.session.execute(insert(helper_categories), cats)
    db.session.execute(insert(WeeklySlot), slots)
    residents = [first_id + n_helpers + i for i in range(n_residents)]
    reqs = []
    for i in range(n_requests):
        lat, lon = _point(rng)
        reqs.append(dict(village_id=village.id, resident_id=rng.choice(residents), category_id=cat.id,
                         description=f"Vraag {i} <b>met</b> tekst", status="searching" if i % 3 else "new",
                         urgency=rng.choice(["today", "week", "no_rush"]), flexible=False, recurrence="once",
                         consent_contact=False, lat=lat, lon=lon, on_date=today + timedelta(days=i % 7),
                         part_of_day="afternoon", created_at=now(), status_changed_at=now()))
    db.session.execute(insert(HelpRequest), reqs)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        # What autovacuum does soon after a bulk load: give the planner its statistics.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")
    ids = db.session.scalars(select(HelpRequest.id).where(HelpRequest.village_id == village.id,
                                                          HelpRequest.status == "searching").limit(200)).all()
    return village.id, list(ids)


def time_(h):
    from datetime import time as t
    return t(h)


def bench_ranking(request_ids, runs=100):
    from coop.matching import candidates
    counts, times, found = [], [], []
    counter = {"n": 0}
    def listener(*a, **k):
        return counter.__setitem__("n", counter["n"] + 1)
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        for rid in request_ids[:runs]:
            db.session.expire_all()
            req = db.session.get(HelpRequest, rid)
            counter["n"] = 0
            start = time.perf_counter()
            ranking = candidates.rank_for(req)
            times.append((time.perf_counter() - start) * 1000)
            counts.append(counter["n"])
            found.append(len(ranking.candidates))
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    times.sort()
    return {"median_ms": round(statistics.median(times), 2), "p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
            "max_queries": max(counts), "mean_candidates": round(statistics.mean(found), 1)}


def bench_map(app, village_id, points=5000):
    from coop.geo import maps
    from coop.matching import queries
    with app.test_request_context():
        rows = queries.request_points(village_id, "/hulpvragen/", limit=points)
        start = time.perf_counter()
        fmap = maps.make_map(CENTRE, 13, "/tiles/{z}/{x}/{y}.png", "kaart")
        maps.PointLayer("request", queries.request_points(village_id, "/hulpvragen/", limit=points),
                        "Hulpvragen").add_to(fmap)
        parts = maps.render(fmap)
        elapsed = (time.perf_counter() - start) * 1000
    html = len("".join(parts.css + parts.js) + str(parts.html) + str(parts.script))
    geojson = len(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [r[1], r[0]]},
         "properties": {"id": r[2], "status": r[3], "urgency": r[4], "title": r[5], "text": r[6], "url": r[7]}}
        for r in rows]}))
    return {"points": len(rows), "build_ms": round(elapsed, 1), "html_bytes": html, "geojson_bytes": geojson,
            "ratio": round(html / geojson, 2)}


@contextlib.contextmanager
def databases(db: str):
    """Yields a function giving a fresh, empty database URL per run."""
    if db == "postgresql":
        from tests.support.postgres import TemporaryPostgres
        with TemporaryPostgres() as server:
            names = iter(range(1, 1000))
            yield lambda: server.create_database(f"coop_bench_{next(names)}")
    elif db == "sqlite":
        with tempfile.TemporaryDirectory(prefix="coop-bench-") as tmp:
            names = iter(range(1, 1000))
            yield lambda: f"sqlite:///{tmp}/bench{next(names)}.sqlite"
    else:
        yield lambda: db


def run(helpers: list[int], n_requests: int = 50000, db_kind: str = "sqlite", echo=print) -> dict:
    """{helpers: {"seed_s", "ranking": {...}, "map": {...}}} for each number of helpers."""
    import logging
    results = {}
    with databases(db_kind) as fresh:
        for n in helpers:
            app = create_app({"SQLALCHEMY_DATABASE_URI": fresh(), "SECRET_KEY": "bench",
                              "SERVER_NAME": "bench.local"})
            with app.app_context():
                from flask_migrate import upgrade
                logging.getLogger("alembic").setLevel(logging.WARNING)
                upgrade()
                rng = random.Random(n)
                t0 = time.perf_counter()
                village_id, ids = seed(n, n_requests, rng)
                seeded = round(time.perf_counter() - t0, 1)
                bench_ranking(ids[100:120])  # warm the statement cache and the database's own caches
                results[n] = {"backend": db.engine.dialect.name, "seed_s": seeded, "ranking": bench_ranking(ids),
                              "map": bench_map(app, village_id)}
                echo(n, json.dumps(results[n]))
                db.session.remove()
                db.engine.dispose()
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--helpers", default="1000,10000")
    parser.add_argument("--requests", type=int, default=50000)
    parser.add_argument("--db", default="sqlite", help="sqlite, postgresql (a throwaway server) or a URL")
    args = parser.parse_args()
    run([int(x) for x in args.helpers.split(",")], args.requests, args.db,
        echo=lambda *a: print(*a, flush=True))


if __name__ == "__main__":
    main()
