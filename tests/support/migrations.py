"""Helpers for the tests of one migration: a database as the release before it left it, and the
rows that release would have written, in plain SQL (the models describe the schema after)."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import Connection, text

from coop import create_app
from coop.extensions import db


@contextmanager
def migrated_to_before(request, workdir, backend: str, revision: str) -> Iterator[Flask]:
    """In the app context of a new database of `backend`, migrated to just before `revision`.
    The test writes its rows, calls upgrade(), and reads what the migration made of them."""
    from tests.conftest import TEST_CONFIG, empty_database
    url = empty_database(request, workdir, backend, f"before_{revision}_{backend}")
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
        upgrade(revision=script.get_revision(revision).down_revision)
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


def add_village(connection: Connection, slug: str) -> int:
    """A village (in the municipality of Zeist, made once) as every release had it."""
    connection.execute(text("INSERT INTO municipalities (name) SELECT 'Zeist' "
                            "WHERE NOT EXISTS (SELECT 1 FROM municipalities WHERE name = 'Zeist')"))
    connection.execute(text(
        "INSERT INTO villages (name, slug, cooperative_name, municipality_id, centre_lat, centre_lon, "
        "coordinator_phone, created_at) SELECT :slug, :slug, 'Zorg', id, 52.0, 5.3, '+31343123456', "
        "'2026-01-01 10:00:00' FROM municipalities WHERE name = 'Zeist'"), {"slug": slug})
    return connection.execute(text("SELECT id FROM villages WHERE slug = :slug"), {"slug": slug}).scalar_one()
