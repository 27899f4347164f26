"""requests: the number of requests per village and status, kept by the database

The inbox shows how many requests each status has. Counting them read an index entry for every
request the village ever had, on every view, and that grows with every year of use. Now a row
per village and status holds the number, and triggers on help_requests keep it: a request
added, removed, or moved to another status or village changes it in the same transaction. The
rows are filled from the requests there now.

Triggers and not the app: every writer counts, the release before this one during a rolling
upgrade too, and a script or a retention job as well.

SQLite: a batch rebuild of help_requests drops its triggers; a migration that rebuilds it must
create them again (`TRIGGERS`).

Revision ID: 0030_request_status_counts
Revises: 0029_audit_append_function
Create Date: 2026-12-01 22:50:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0030_request_status_counts"
down_revision = "0029_audit_append_function"
branch_labels = None
depends_on = None

TABLE = "request_status_counts"
ADD = (f"INSERT INTO {TABLE} (village_id, status, n) VALUES (NEW.village_id, NEW.status, 1) "
       f"ON CONFLICT (village_id, status) DO UPDATE SET n = {TABLE}.n + 1")
TAKE = f"UPDATE {TABLE} SET n = n - 1 WHERE village_id = OLD.village_id AND status = OLD.status"
MOVED = "OLD.status IS DISTINCT FROM NEW.status OR OLD.village_id IS DISTINCT FROM NEW.village_id"

TRIGGERS = {
    "postgresql": [
        f"""CREATE OR REPLACE FUNCTION help_requests_count_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        {TAKE};
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        {ADD};
    END IF;
    RETURN NULL;
END
$$""",
        "CREATE TRIGGER help_requests_count_insert AFTER INSERT ON help_requests "
        "FOR EACH ROW EXECUTE FUNCTION help_requests_count_status()",
        "CREATE TRIGGER help_requests_count_delete AFTER DELETE ON help_requests "
        "FOR EACH ROW EXECUTE FUNCTION help_requests_count_status()",
        "CREATE TRIGGER help_requests_count_update AFTER UPDATE OF status, village_id ON help_requests "
        f"FOR EACH ROW WHEN ({MOVED}) EXECUTE FUNCTION help_requests_count_status()",
    ],
    "sqlite": [
        f"CREATE TRIGGER help_requests_count_insert AFTER INSERT ON help_requests BEGIN {ADD}; END",
        f"CREATE TRIGGER help_requests_count_delete AFTER DELETE ON help_requests BEGIN {TAKE}; END",
        "CREATE TRIGGER help_requests_count_update AFTER UPDATE OF status, village_id ON help_requests "
        f"WHEN {MOVED.replace('IS DISTINCT FROM', 'IS NOT')} BEGIN {TAKE}; {ADD}; END",
    ],
}


def upgrade():
    op.create_table(
        TABLE,
        sa.Column("village_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["village_id"], ["villages.id"], ondelete="CASCADE",
                                name=op.f("fk_request_status_counts_village_id_villages")),
        sa.PrimaryKeyConstraint("village_id", "status", name=op.f("pk_request_status_counts")),
    )
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        # No request may be written between the count and the triggers: it would be missed.
        op.execute("LOCK TABLE help_requests IN SHARE MODE")
    op.execute(f"INSERT INTO {TABLE} (village_id, status, n) "
               "SELECT village_id, status, count(*) FROM help_requests GROUP BY village_id, status")
    for statement in TRIGGERS[dialect]:
        op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    for name in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS help_requests_count_{name}"
                   + (" ON help_requests" if dialect == "postgresql" else ""))
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS help_requests_count_status()")
    op.drop_table(TABLE)
