"""Follow-up benchmark (a plain script, not collected by pytest):

    python -m tests.perf.followups_bench [--rows 10000] [--crash-rows 10000] [--runs 3]

Exits non-zero when a target is missed (`make bench` runs it).

1. throughput: ROWS due follow-ups, one dispatcher, a loopback SMTP sink (aiosmtpd), on
   SQLite and on PostgreSQL;
2. two dispatcher processes at once against PostgreSQL: duplicates and lost rows counted;
3. crash run against PostgreSQL: 4 dispatcher processes, random SIGKILLs (a killed process is
   replaced), a sink that refuses 30 % of messages; every row must end sent or dead with its
   error, none lost, and every claim left by a killed process must be taken again within
   twice the lease.

Prints a Markdown report (paste into BENCHMARKS.md, section "Follow-ups").
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import random
import re
import signal
import tempfile
import time
from collections import Counter
from pathlib import Path

LEASE_SECONDS = 4


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "?")
    mem = next((int(line.split()[1]) for line in meminfo if line.startswith("MemTotal")), 0)
    return f"{os.cpu_count()} CPUs ({cpu}), {mem / 1024 / 1024:.0f} GB RAM, Python {platform.python_version()}"


def make_app(url: str, port: int, **extra):
    from coop import create_app
    from tests.conftest import TEST_CONFIG
    return create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url, "MAIL_PORT": port, **extra})


def migrate(url: str) -> None:
    from flask_migrate import upgrade

    from coop.extensions import db
    app = make_app(url, 1)
    with app.app_context():
        upgrade()
        db.engine.dispose()


def seed(url: str, rows: int) -> None:
    """A village, 100 carers, and `rows` due follow-ups (bulk insert)."""
    from sqlalchemy import insert

    from coop.core import outbox as O
    from coop.core import roles as R
    from coop.core.clock import now
    from coop.extensions import db
    from coop.respite import rules as respite_rules
    from tests.conftest import Factory
    app = make_app(url, 1)
    with app.app_context():
        make = Factory(db.session)
        village = make.village()
        people = [make.user(village, R.CARER, password="x" * 12) for _ in range(100)]
        at = now()
        db.session.execute(insert(O.FollowUp.__table__), [
            {"kind": respite_rules.CARER_CHECKIN, "recipient_id": people[n % 100].id, "village_id": village.id,
             "channel": O.MAIL, "payload": {"round": n}, "status": O.PENDING, "attempts": 0,
             "due_at": at, "created_at": at} for n in range(rows)])
        db.session.commit()
        db.engine.dispose()


def outcome(url: str) -> dict:
    from sqlalchemy import func, select

    from coop.core import outbox as O
    from coop.extensions import db
    app = make_app(url, 1)
    with app.app_context():
        statuses = dict(db.session.execute(select(O.FollowUp.status, func.count()).group_by(O.FollowUp.status)).all())
        dead_without_error = db.session.scalar(select(func.count()).select_from(O.FollowUp).where(
            O.FollowUp.status == O.DEAD, O.FollowUp.last_error.is_(None)))
        dead_ids = set(db.session.scalars(select(O.FollowUp.id).where(O.FollowUp.status == O.DEAD)))
        db.engine.dispose()
    return {"statuses": statuses, "dead_without_error": dead_without_error, "dead_ids": dead_ids}


# --- workers ------------------------------------------------------------------------------

def worker(url: str, port: int, log_dir: str, overrides: dict, idle_rounds: int = 40,
           settle: bool = False) -> None:
    """A dispatcher process that writes every claim it takes to its own log (kill-safe)."""
    from coop.followups import dispatcher
    app = make_app(url, port, **overrides)
    original = dispatcher.claim
    # Line-buffered, so every claim is on disk before the process can be killed.
    with open(Path(log_dir) / f"claims-{os.getpid()}.log", "a", buffering=1) as log, app.app_context():
        def logged_claim(limit, lease):
            token, ids = original(limit, lease)
            if ids:
                log.write(f"{time.time():.3f} {token} {','.join(map(str, ids))}\n")
            return token, ids
        dispatcher.claim = logged_claim
        idle = 0
        while idle < idle_rounds or (settle and outstanding()):
            if dispatcher.dispatch_due():
                idle = 0
            else:
                idle += 1
                time.sleep(0.1)


def outstanding() -> int:
    """Rows not yet sent, dead or cancelled (the crash run's workers stay until there are none)."""
    from sqlalchemy import func, select

    from coop.core import outbox as O
    from coop.extensions import db
    count = db.session.scalar(select(func.count()).select_from(O.FollowUp).where(
        O.FollowUp.status.in_((O.PENDING, O.FAILED, O.SENDING))))
    db.session.commit()
    return count


def claims(log_dir: str) -> list[tuple[float, str, int, list[int]]]:
    found = []
    for path in Path(log_dir).glob("claims-*.log"):
        pid = int(path.stem.split("-")[1])
        for line in path.read_text().splitlines():
            parts = line.split()
            if len(parts) == 3:
                found.append((float(parts[0]), parts[1], pid, [int(i) for i in parts[2].split(",")]))
    return sorted(found)


# --- the runs -----------------------------------------------------------------------------

def timed_worker(url: str, port: int, overrides: dict, results) -> None:
    """One dispatcher in its own process (the sink's thread must not share its GIL)."""
    from coop.followups.dispatcher import run_until_idle
    app = make_app(url, port, **overrides)
    with app.app_context():
        start = time.perf_counter()
        handled = run_until_idle(max_rounds=10_000)
        results.put((handled, time.perf_counter() - start))


def throughput(url: str, rows: int, sink) -> dict:
    seed(url, rows)
    sink.clear()
    ctx = multiprocessing.get_context("spawn")
    results = ctx.Queue()
    proc = ctx.Process(target=timed_worker, args=(url, sink.port, {"FOLLOWUP_BATCH": 500}, results))
    proc.start()
    handled, seconds = results.get()
    proc.join()
    ids = Counter(sink.ids)
    return {"rows": rows, "handled": handled, "seconds": seconds, "delivered": len(ids),
            "duplicates": sum(c - 1 for c in ids.values()), "status": outcome(url)["statuses"]}


def concurrent(url: str, rows: int, sink, processes: int = 2) -> dict:
    seed(url, rows)
    sink.clear()
    ctx = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory() as logs:
        procs = [ctx.Process(target=worker, args=(url, sink.port, logs, {"FOLLOWUP_BATCH": 200}, 20))
                 for _ in range(processes)]
        start = time.perf_counter()
        for p in procs:
            p.start()
        for p in procs:
            p.join()
        seconds = time.perf_counter() - start
        per_process = Counter()
        for _, _, pid, ids in claims(logs):
            per_process[pid] += len(ids)
    ids = Counter(sink.ids)
    status = outcome(url)["statuses"]
    return {"rows": rows, "seconds": seconds, "delivered": len(ids),
            "duplicates": sum(c - 1 for c in ids.values()),
            "lost": rows - status.get("sent", 0) - status.get("dead", 0), "status": status,
            "per_process": sorted(per_process.values())}


def crash(url: str, rows: int, sink, processes: int = 4, kill_for: float = 20.0) -> dict:
    seed(url, rows)
    sink.clear()
    sink.refuse_ratio = 0.3
    overrides = {"FOLLOWUP_BATCH": 25, "FOLLOWUP_LEASE_SECONDS": LEASE_SECONDS,
                 "FOLLOWUP_RETRY_BASE_SECONDS": 1, "FOLLOWUP_MAX_ATTEMPTS": 6}
    # Forked, so a killed dispatcher's replacement is up at once (as under a supervisor with a
    # warm cache); spawned ones spend seconds importing on a loaded machine, and a run where
    # most "dispatchers" are still starting measures start-up, not the reclaim.
    ctx = multiprocessing.get_context("fork")
    rng = random.Random(7)
    kills, orphans = [], []
    with tempfile.TemporaryDirectory() as logs:
        def spawn():
            p = ctx.Process(target=worker, args=(url, sink.port, logs, overrides, 20, True))
            p.start()
            return p
        procs = [spawn() for _ in range(processes)]
        start = time.perf_counter()
        time.sleep(3)  # let them come up
        while time.perf_counter() - start < kill_for:
            time.sleep(rng.uniform(0.3, 1.5))
            victim = rng.randrange(len(procs))
            os.kill(procs[victim].pid, signal.SIGKILL)
            procs[victim].join()
            killed_at = time.time()
            kills.append((killed_at, procs[victim].pid))
            orphans.extend((killed_at, procs[victim].pid, *o) for o in left_claims(url, logs, procs[victim].pid))
            procs[victim] = spawn()
        for p in procs:
            p.join()
        seconds = time.perf_counter() - start
        taken = claims(logs)
    sink.refuse_ratio = 0.0
    result = outcome(url)
    status = result["statuses"]
    ids = Counter(sink.ids)
    dead_delivered = sum(1 for i in result["dead_ids"] if f"<followup-{i}@coop.localhost>" in ids)
    return {"rows": rows, "seconds": seconds, "kills": len(kills), "status": status,
            "lost": rows - status.get("sent", 0) - status.get("dead", 0),
            "dead_without_error": result["dead_without_error"], "delivered": len(ids),
            "duplicates": sum(c - 1 for c in ids.values()), "dead_but_delivered": dead_delivered,
            "refused": sink.refused, "reclaim": reclaim_delays(taken, orphans)}


def left_claims(url: str, log_dir: str, pid: int) -> list[tuple[int, float]]:
    """The rows a killed process still held: (id, claim time)."""
    from sqlalchemy import select

    from coop.core import outbox as O
    from coop.extensions import db
    tokens = [token for _, token, p, _ in claims(log_dir) if p == pid]
    if not tokens:
        return []
    app = make_app(url, 1)
    with app.app_context():
        held = db.session.execute(select(O.FollowUp.id, O.FollowUp.claimed_until).where(
            O.FollowUp.status == O.SENDING, O.FollowUp.claim_token.in_(tokens))).all()
        db.engine.dispose()
    return [(row_id, until.timestamp() - LEASE_SECONDS) for row_id, until in held]


def reclaim_delays(taken, orphans) -> dict:
    """For every claim a killed process left behind: seconds from that claim until another
    process claimed the row again."""
    delays, never = [], 0
    for killed_at, pid, row_id, claimed_at in orphans:
        again = [t for t, _, p, ids in taken if p != pid and t >= killed_at and row_id in ids]
        if again:
            delays.append(min(again) - claimed_at)
        else:
            never += 1
    delays.sort()
    return {"count": len(delays), "never": never, "max_seconds": max(delays, default=0.0),
            "median_seconds": delays[len(delays) // 2] if delays else 0.0,
            "limit_seconds": 2 * LEASE_SECONDS}


# --- main ---------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--crash-rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3, help="throughput runs per database (median)")
    args = parser.parse_args()

    from tests.support.postgres import TemporaryPostgres
    report, missed = [f"Machine: {machine()}", ""], []

    def line(text: str, ok: bool, what: str) -> None:
        report.append(text + ("" if ok else "  **TARGET MISSED**"))
        print(report[-1], flush=True)
        if not ok:
            missed.append(what)

    with LightSink() as sink, TemporaryPostgres() as pg, tempfile.TemporaryDirectory() as tmp:
        def fresh(label, n):
            if label == "SQLite":
                url = f"sqlite:///{tmp}/bench-{n}.sqlite"
            else:
                pg.create_database(f"bench_{n}")
                url = pg.url(f"bench_{n}")
            migrate(url)
            return url
        for label in ("SQLite", "PostgreSQL"):
            runs = [throughput(fresh(label, f"tp{n}"), args.rows, sink) for n in range(args.runs)]
            times = sorted(r["seconds"] for r in runs)
            median = times[len(times) // 2]
            clean = all(r["delivered"] == args.rows and r["duplicates"] == 0 for r in runs)
            line(f"- throughput, {label}: {args.rows} follow-ups, median {median:.1f} s of {len(runs)} runs "
                 f"({', '.join(f'{t:.1f}' for t in times)}; {args.rows / median:.0f}/s), every run delivered "
                 f"all once: {clean}", median <= 15 * args.rows / 10_000 and clean, f"throughput {label}")
        r = concurrent(fresh("PostgreSQL", "two"), args.rows, sink)
        line(f"- two dispatchers, PostgreSQL: {r['rows']} rows in {r['seconds']:.1f} s, claims per "
             f"process {r['per_process']}, delivered {r['delivered']}, duplicates {r['duplicates']}, "
             f"lost {r['lost']}, statuses {r['status']}", r["duplicates"] == 0 and r["lost"] == 0, "two dispatchers")
        r = crash(fresh("PostgreSQL", "crash"), args.crash_rows, sink)
        ok = (r["lost"] == 0 and r["dead_without_error"] == 0 and r["dead_but_delivered"] == 0
              and r["reclaim"]["never"] == 0 and r["reclaim"]["max_seconds"] <= r["reclaim"]["limit_seconds"])
        line(f"- crash run, PostgreSQL: {r['rows']} rows, 4 dispatchers, {r['kills']} SIGKILLs, "
             f"sink refused {r['refused']} deliveries (30 %), {r['seconds']:.1f} s; statuses "
             f"{r['status']}; lost {r['lost']}; dead without error {r['dead_without_error']}; "
             f"delivered {r['delivered']}; repeated deliveries {r['duplicates']}; dead but delivered "
             f"{r['dead_but_delivered']}; claims left by killed processes: {r['reclaim']['count']} taken again "
             f"({r['reclaim']['never']} never), median after {r['reclaim']['median_seconds']:.1f} s, slowest "
             f"after {r['reclaim']['max_seconds']:.1f} s (limit 2 × lease = {r['reclaim']['limit_seconds']} s)",
             ok, "crash run")
    print("\n".join(report))
    if missed:
        print(f"targets missed: {', '.join(missed)}")
    return 1 if missed else 0


class LightSink:
    """A loopback SMTP server (aiosmtpd) that keeps only each message's Message-ID and can refuse
    a random share; parsing every message in full would cost the benchmark its own CPU."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        from tests.support.smtp import free_port
        self.port = free_port()
        self.ids: list[str] = []
        self.refuse_ratio = 0.0
        self.refused = 0
        self._rng = random.Random(30)
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):
        if self.refuse_ratio and self._rng.random() < self.refuse_ratio:
            self.refused += 1
            return "451 4.3.0 Please try again later"
        found = MESSAGE_ID.search(envelope.content)
        self.ids.append(found.group(1).decode() if found else "?")
        return "250 OK"

    def clear(self):
        self.ids.clear()
        self.refused = 0

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


MESSAGE_ID = re.compile(rb"^Message-ID: (<[^>]+>)", re.MULTILINE | re.IGNORECASE)


if __name__ == "__main__":
    raise SystemExit(main())
