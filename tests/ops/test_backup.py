"""`flask --app coop backup` and `restore`: a backup restored into an empty database holds
every row of every table, on SQLite and on PostgreSQL."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, inspect, select, text

from coop import create_app
from coop.core import roles as R
from coop.extensions import db
from coop.ops import backup as B
from tests.conftest import TEST_CONFIG, Factory

ROOT = Path(__file__).resolve().parents[2]


def counts(url: str) -> dict[str, int]:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            tables = inspect(conn).get_table_names()
            return {t: conn.execute(select(func.count()).select_from(text(f'"{t}"'))).scalar_one()
                    for t in tables}
    finally:
        engine.dispose()


@pytest.fixture
def filled(backend, database_factory, request):
    """A migrated database with a village, its categories and people, committed for real."""
    url = database_factory(backend, f"backup_src_{request.node.name[-20:]}".replace("[", "_").replace("]", ""))
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        make = Factory(db.session)
        village = make.village()
        resident = make.user(village, R.RESIDENT, email=False, first_name="Bep")
        make.user(village, R.VOLUNTEER)
        make.user(village, R.COORDINATOR, first_name="Marieke")
        assert resident.id
        db.session.commit()
        db.engine.dispose()
    return url


def empty_database(backend, workdir, postgres_factory, name) -> str:
    if backend == "sqlite":
        return f"sqlite:///{workdir / name}.sqlite"
    server = postgres_factory()
    server.create_database(name)
    return server.url(name)


def test_backup_restores_every_row_into_an_empty_database(backend, filled, workdir, request, tmp_path):
    before = counts(filled)
    assert before["users"] >= 2 and before["alembic_version"] == 1
    path = B.backup(filled, tmp_path / "backups")
    assert path.stat().st_mode & 0o077 == 0  # readable by the owner only

    target = empty_database(backend, workdir, lambda: request.getfixturevalue("postgres"),
                            f"backup_dst_{backend}")
    assert counts(target) == {}
    B.restore(target, path)
    assert counts(target) == before
    # and the restored database is the one the app runs on
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": target})
    with app.app_context():
        from coop.core.models import User
        assert db.session.scalar(select(User.first_name).where(User.first_name == "Bep")) == "Bep"
        db.engine.dispose()


def test_keep_removes_the_oldest_backups(backend, filled, tmp_path):
    from datetime import UTC, datetime
    folder = tmp_path / "backups"
    made = [B.backup(filled, folder, at=datetime(2026, 12, day, 3, 0, tzinfo=UTC)) for day in (1, 2, 3)]
    B.backup(filled, folder, keep=2, at=datetime(2026, 12, 4, 3, 0, tzinfo=UTC))
    left = sorted(p.name for p in folder.iterdir())
    assert made[0].name not in left and made[1].name not in left
    assert left[-1].startswith("coop-20261204")
    assert len(left) == 2


def test_the_commands_back_up_and_restore(backend, filled, tmp_path):
    env = {"DATABASE_URL": filled, "SECRET_KEY": "x" * 40, "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "coop", "backup", "--to", str(tmp_path)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    [made] = list(tmp_path.iterdir())
    assert f"Back-up geschreven: {made}" in result.stdout
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "coop", "restore", str(made), "--yes"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Teruggezet" in result.stdout


def test_a_wrong_kind_of_backup_is_refused_with_a_message(backend, filled, tmp_path):
    wrong = tmp_path / ("coop-x.dump" if backend == "sqlite" else "coop-x.sqlite")
    wrong.write_bytes(b"not a backup")
    with pytest.raises(B.BackupError):
        B.restore(filled, wrong)
    assert counts(filled)["users"] >= 2  # nothing was touched
