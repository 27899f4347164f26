"""`flask --app coop scheduler`: the follow-up scheduler, as its own process.

Jobs: dispatch every SCHEDULER_TICK_SECONDS, the periodic rules every minute, retention
daily at 03:30 (Amsterdam). Each job runs in its own app context with its own session; no
job keeps anything in memory between runs (everything is in the outbox), so several
scheduler processes (by mistake or for throughput) still send each follow-up once.
SIGTERM/SIGINT finish the running job, then stop.
"""
from __future__ import annotations

import logging
import signal
import time

import click
from flask import Flask

from coop.extensions import db

log = logging.getLogger("coop.scheduler")


def _job(app: Flask, fn):
    def run():
        with app.app_context():
            _heartbeat()
            started = time.perf_counter()
            try:
                result = fn()
                log.info("job", extra={"job": fn.__name__, "status": "ok", "result": result,
                                       "duration_ms": round((time.perf_counter() - started) * 1000, 1)})
                return result
            except Exception:
                db.session.rollback()
                log.exception("scheduler job %s failed", fn.__name__,
                              extra={"job": fn.__name__, "status": "failed",
                                     "duration_ms": round((time.perf_counter() - started) * 1000, 1)})
            finally:
                db.session.remove()
    run.__name__ = fn.__name__
    return run


def _heartbeat() -> None:
    """Tell /readyz and the admin page that the scheduler runs; never stops a job."""
    from coop.ops.health import beat
    try:
        beat()
        db.session.commit()
    except Exception:
        db.session.rollback()
        log.exception("scheduler heartbeat failed")


def dispatch() -> int:
    from coop.followups.dispatcher import run_until_idle
    return run_until_idle(max_rounds=50)


def rules() -> dict:
    from coop.followups.rules import run_rules
    return run_rules()


def retention() -> int:
    from coop.auth.service import forget_old_records
    from coop.followups.retention import anonymise_closed_requests
    count = anonymise_closed_requests() + forget_old_records()
    db.session.commit()
    return count


def build_scheduler(app: Flask, tick: int | None = None):
    from apscheduler.schedulers.blocking import BlockingScheduler
    tick = tick or app.config["SCHEDULER_TICK_SECONDS"]
    scheduler = BlockingScheduler(timezone="Europe/Amsterdam",
                                  job_defaults={"coalesce": True, "max_instances": 1,
                                                "misfire_grace_time": 60})
    scheduler.add_job(_job(app, dispatch), "interval", seconds=tick, id="dispatch")
    scheduler.add_job(_job(app, rules), "interval", minutes=1, id="rules")
    scheduler.add_job(_job(app, retention), "cron", hour=3, minute=30, id="retention")
    return scheduler


def register(app: Flask) -> None:
    @app.cli.command("scheduler")
    @click.option("--once", is_flag=True, help="Eén ronde: regels, versturen, en stoppen.")
    @click.option("--tick", type=int, default=None, help="Seconden tussen twee verzendrondes.")
    def scheduler_command(once, tick):
        """Run the follow-up scheduler (its own process; never inside a web worker)."""
        if app.config.get("LOG_JSON"):
            from coop.ops.logs import configure
            configure(app.config.get("LOG_LEVEL", "INFO"))
        else:
            logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        if once:
            click.echo(f"regels: {_job(app, rules)()}")
            click.echo(f"verstuurd of afgehandeld: {_job(app, dispatch)()}")
            return
        scheduler = build_scheduler(app, tick)

        def stop(signum, frame):
            log.info("signal %s: finishing the running job, then stopping", signum)
            scheduler.shutdown(wait=True)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        log.info("scheduler started (dispatch every %ss)", tick or app.config["SCHEDULER_TICK_SECONDS"])
        scheduler.start()
        log.info("scheduler stopped")
