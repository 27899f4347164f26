"""Migration 0012 on an existing database: the old default maxima (the 2024–2025 legal limits)
follow each year's limits from now on; a village's own lower maxima are kept as its own; the
old columns stay for the release before this one."""
from decimal import Decimal

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from coop import create_app
from coop.extensions import db
from tests.conftest import TEST_CONFIG, _sqlite_url


@pytest.fixture
def fresh_url(backend, workdir, request):
    name = f"allowance_migration_{backend}"
    if backend == "sqlite":
        yield _sqlite_url(workdir, name)
        return
    server = request.getfixturevalue("postgres")
    server.create_database(name)
    yield server.url(name)
    server.drop_database(name)


def test_old_default_maxima_follow_the_years_limits_and_own_ones_stay(fresh_url):
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": fresh_url})
    with app.app_context():
        upgrade(revision="0013_role_split_not_needed")
        db.session.execute(text("INSERT INTO municipalities (id, name) VALUES (1, 'Gemeente')"))
        for vid in (1, 2):
            db.session.execute(text(
                "INSERT INTO villages (id, name, slug, cooperative_name, municipality_id, centre_lat, centre_lon, "
                "coordinator_phone, created_at) "
                "VALUES (:id, :name, :name, 'Coop', 1, 52.0, 5.3, '', '2025-01-01 10:00:00')"),
                {"id": vid, "name": f"dorp{vid}"})
        db.session.execute(text(
            "INSERT INTO expense_settings (village_id, km_rate, allowance_month_max, allowance_year_max, updated_at) "
            "VALUES (1, 0.23, 210, 2100, '2025-06-01 10:00:00'), (2, 0.19, 150, 1500, '2025-06-01 10:00:00')"))
        db.session.commit()
        upgrade()
        rows = db.session.execute(text("SELECT village_id, own_month_max, own_year_max, hourly_rate, "
                                       "allowance_month_max FROM expense_settings ORDER BY village_id")).all()
        assert [(v, m, y, Decimal(h), Decimal(old)) for v, m, y, h, old in rows] == [
            (1, None, None, Decimal("0"), Decimal("210")),
            (2, Decimal("150"), Decimal("1500"), Decimal("0"), Decimal("150"))]
        years = db.session.execute(text("SELECT year FROM allowance_limits ORDER BY year")).scalars().all()
        assert years == [2024, 2025, 2026]
        db.session.rollback()  # end the read, so the next one sees what the downgrade wrote
        downgrade(revision="0013_role_split_not_needed")
        rows = db.session.execute(text("SELECT village_id, allowance_month_max FROM expense_settings "
                                       "ORDER BY village_id")).all()
        assert [(v, Decimal(m)) for v, m in rows] == [(1, Decimal("210")), (2, Decimal("150"))]
        db.session.rollback()
        upgrade()  # and up again: the downgrade left nothing behind
        db.session.remove()
        db.engine.dispose()
