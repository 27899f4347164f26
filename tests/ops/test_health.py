"""/healthz answers while the process runs; /readyz checks the database, the migrations and
the scheduler's heartbeat."""
from __future__ import annotations

from datetime import timedelta

from coop.core.clock import now
from coop.extensions import db
from coop.ops import health
from coop.ops.models import SchedulerHeartbeat


def test_healthz_answers_without_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_waits_for_the_scheduler(client, session):
    session.query(SchedulerHeartbeat).delete()
    session.flush()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"] == {"database": "ok", "migrations": "ok", "scheduler": "no heartbeat yet"}


def test_readyz_is_ready_with_a_fresh_heartbeat(app, client, session):
    health.beat()
    session.flush()
    response = client.get("/readyz")
    assert response.status_code == 200, response.json
    assert response.json["status"] == "ready"


def test_a_heartbeat_older_than_three_ticks_is_not_ready(app, client, session):
    tick = app.config["SCHEDULER_TICK_SECONDS"]
    health.beat(now() - timedelta(seconds=3 * tick + 5))
    session.flush()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["scheduler"].startswith("last heartbeat")


def test_readyz_names_a_database_behind_the_code(client, session):
    from sqlalchemy import text
    health.beat()
    session.execute(text("UPDATE alembic_version SET version_num = '0001_foundation'"))
    session.flush()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["migrations"].startswith("at 0001_foundation, expected ")


def test_the_scheduler_job_writes_the_heartbeat(app, session):
    from coop.followups.cli import _heartbeat
    with app.app_context():
        _heartbeat()
        assert health.scheduler_alive()
        assert db.session.get(SchedulerHeartbeat, 1).pid > 0


def test_the_admin_page_warns_when_the_scheduler_is_down(make, village, client_as, session):
    from coop.core import roles as R
    session.query(SchedulerHeartbeat).delete()
    session.flush()
    admin = client_as(make.user(village, R.ADMIN))
    page = admin.get("/beheer/").get_data(as_text=True)
    assert "De planner draait niet" in page and "nog nooit gedraaid" in page
    health.beat()
    session.flush()
    page = admin.get("/beheer/").get_data(as_text=True)
    assert "De planner draait niet" not in page and "De planner draait (laatste teken van leven" in page
