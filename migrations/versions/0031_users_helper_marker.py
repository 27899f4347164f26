"""matching: users carry whether they have a helper profile, kept by the database

Matching reads the helpers near a request from users(village_id, lat, lon). The box is as wide
as the largest radius any helper chose, so it held every person of the village, residents
too, and each one's volunteer and professional profile was looked up to find the helpers: in
a village of 1,000 residents and 500 helpers, 1,500 lookups for the 300 near. Now
users.is_helper says whether the person has a volunteer or professional profile, and a partial
index on users(village_id, lat, lon) holds the helpers only.

Triggers on both profile tables keep the marker in the writer's own transaction: a profile
added, removed or moved to another person sets it, by any writer (the release before this one
during a rolling upgrade, a script, an erasure). The marker is filled from the profiles there
now.

SQLite: a batch rebuild of volunteer_profiles or professional_profiles drops their triggers; a
migration that rebuilds one must create them again (`TRIGGERS`).

Revision ID: 0031_users_helper_marker
Revises: 0030_request_status_counts
Create Date: 2026-12-02 01:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0031_users_helper_marker"
down_revision = "0030_request_status_counts"
branch_labels = None
depends_on = None

PROFILES = ("volunteer_profiles", "professional_profiles")
INDEX = "ix_users_helpers_village_lat_lon"


def _has_profile(user_id: str) -> str:
    return " OR ".join(f"EXISTS (SELECT 1 FROM {table} WHERE user_id = {user_id})" for table in PROFILES)


SET = "UPDATE users SET is_helper = {truth} WHERE id = NEW.user_id"
RESET = f"UPDATE users SET is_helper = ({_has_profile('OLD.user_id')}) WHERE id = OLD.user_id"
MOVED = "OLD.user_id IS DISTINCT FROM NEW.user_id"


def _postgresql(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_mark_insert AFTER INSERT ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION users_mark_helper()",
        f"CREATE TRIGGER {table}_mark_delete AFTER DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION users_mark_helper()",
        f"CREATE TRIGGER {table}_mark_update AFTER UPDATE OF user_id ON {table} "
        f"FOR EACH ROW WHEN ({MOVED}) EXECUTE FUNCTION users_mark_helper()",
    ]


def _sqlite(table: str) -> list[str]:
    set_ = SET.format(truth="1")
    return [
        f"CREATE TRIGGER {table}_mark_insert AFTER INSERT ON {table} BEGIN {set_}; END",
        f"CREATE TRIGGER {table}_mark_delete AFTER DELETE ON {table} BEGIN {RESET}; END",
        f"CREATE TRIGGER {table}_mark_update AFTER UPDATE OF user_id ON {table} "
        f"WHEN {MOVED.replace('IS DISTINCT FROM', 'IS NOT')} BEGIN {RESET}; {set_}; END",
    ]


TRIGGERS = {
    "postgresql": [
        f"""CREATE OR REPLACE FUNCTION users_mark_helper() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        {RESET};
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        {SET.format(truth="true")};
    END IF;
    RETURN NULL;
END
$$""",
        *(statement for table in PROFILES for statement in _postgresql(table)),
    ],
    "sqlite": [statement for table in PROFILES for statement in _sqlite(table)],
}


def upgrade():
    dialect = op.get_bind().dialect.name
    # Not a batch: on SQLite a rebuild of users would drop it, and the profiles with it (their
    # foreign keys cascade). ALTER TABLE ADD COLUMN changes nothing else.
    op.add_column("users", sa.Column("is_helper", sa.Boolean(), server_default=sa.false(), nullable=False))
    if dialect == "postgresql":
        # No profile may be written between the marking and the triggers: it would be missed.
        for table in PROFILES:
            op.execute(f"LOCK TABLE {table} IN SHARE MODE")
    op.execute(f"UPDATE users SET is_helper = true WHERE {_has_profile('users.id')}")
    for statement in TRIGGERS[dialect]:
        op.execute(statement)
    op.create_index(INDEX, "users", ["village_id", "lat", "lon"],
                    postgresql_where=sa.text("is_helper"), sqlite_where=sa.text("is_helper = 1"))


def downgrade():
    dialect = op.get_bind().dialect.name
    op.drop_index(INDEX, table_name="users")
    for table in PROFILES:
        for name in ("insert", "delete", "update"):
            on = f" ON {table}" if dialect == "postgresql" else ""
            op.execute(f"DROP TRIGGER IF EXISTS {table}_mark_{name}{on}")
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS users_mark_helper()")
    op.drop_column("users", "is_helper")  # SQLite 3.35+ drops a column without a rebuild
