"""audit log: the role used, on whose behalf, the other people shown, a hash chain, append-only

Adds nullable columns only (the release before writes rows without them; the next hashed row
seals such rows, see coop/core/audit.py), a table of the other people an event showed, hashes
for the rows already there in id order per village, and triggers that refuse UPDATE and DELETE
on both tables (and TRUNCATE on PostgreSQL).

SQLite: a batch rebuild of audit_log or audit_log_subjects drops their triggers; a migration
that rebuilds either must create them again (see `_triggers`).

Revision ID: 0019_audit_chain
Revises: 0018_referral_destinations
Create Date: 2026-12-08 10:00:00

"""
import hashlib
from datetime import UTC

import sqlalchemy as sa
from alembic import op

import coop.core.types

revision = "0019_audit_chain"
down_revision = "0018_referral_destinations"
branch_labels = None
depends_on = None

BATCH = 5000
GENESIS = "0" * 64
TABLES = ("audit_log", "audit_log_subjects")


# The chain's format, frozen as this release writes it (coop.core.audit.canonical and chain_hash);
# tests/core/test_audit_chain.py checks that rows hashed here verify.
def _digest(value):
    return hashlib.sha256((value or "").encode()).hexdigest()


def _id(value):
    return "" if value is None else str(value)


def _hash(prev, row):
    line = "\x1f".join([
        row.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"), _id(row.village_id), _id(row.actor_id),
        "", row.action, _id(row.subject_user_id), "", "", _digest(row.detail), _digest(row.ip)])
    return hashlib.sha256(f"{prev}\x1e{line}".encode()).hexdigest()


def _backfill(connection) -> None:
    log = sa.table("audit_log", sa.column("id", sa.Integer), sa.column("at", coop.core.types.UTCDateTime()),
                   sa.column("village_id", sa.Integer), sa.column("actor_id", sa.Integer),
                   sa.column("action", sa.String), sa.column("subject_user_id", sa.Integer),
                   sa.column("detail", sa.Text), sa.column("ip", sa.String),
                   sa.column("prev_hash", sa.String), sa.column("row_hash", sa.String))
    heads: dict = {}
    last = 0
    while True:
        rows = connection.execute(sa.select(log.c.id, log.c.at, log.c.village_id, log.c.actor_id, log.c.action,
                                            log.c.subject_user_id, log.c.detail, log.c.ip)
                                  .where(log.c.id > last).order_by(log.c.id).limit(BATCH)).all()
        if not rows:
            return
        updates = []
        for row in rows:
            prev = heads.get(row.village_id, GENESIS)
            heads[row.village_id] = _hash(prev, row)
            updates.append({"row_id": row.id, "prev": prev, "hash": heads[row.village_id]})
        connection.execute(log.update().where(log.c.id == sa.bindparam("row_id"))
                           .values(prev_hash=sa.bindparam("prev"), row_hash=sa.bindparam("hash")), updates)
        last = rows[-1].id


def _triggers(dialect: str) -> list[str]:
    if dialect == "postgresql":
        statements = ["""CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END $$"""]
        for table in TABLES:
            statements += [
                f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()"]
        return statements
    return [f"CREATE TRIGGER {table}_no_{what.lower()} BEFORE {what} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {what} refused'); END"
            for table in TABLES for what in ("UPDATE", "DELETE")]


def upgrade():
    # PostgreSQL: plain ADD COLUMNs, instant. SQLite rebuilds the table for the foreign key; no
    # table references audit_log yet, so nothing cascades.
    with op.batch_alter_table("audit_log") as batch_op:
        batch_op.add_column(sa.Column("actor_role", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("on_behalf_of_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("row_hash", sa.String(length=64), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_audit_log_on_behalf_of_id_users"), "users",
                                    ["on_behalf_of_id"], ["id"])
    op.create_index("ix_audit_log_on_behalf_of_id", "audit_log", ["on_behalf_of_id"])
    op.create_index("ix_audit_log_chain", "audit_log", ["village_id", "id"])
    op.create_table(
        "audit_log_subjects",
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["audit_id"], ["audit_log.id"], name=op.f("fk_audit_log_subjects_audit_id_audit_log")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_audit_log_subjects_user_id_users")),
        sa.PrimaryKeyConstraint("audit_id", "user_id", name=op.f("pk_audit_log_subjects")),
    )
    op.create_index("ix_audit_log_subjects_user_id", "audit_log_subjects", ["user_id"])
    connection = op.get_bind()
    _backfill(connection)
    for statement in _triggers(connection.dialect.name):
        op.execute(statement)


def downgrade():
    connection = op.get_bind()
    for table in TABLES:
        if connection.dialect.name == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
    if connection.dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    op.drop_index("ix_audit_log_subjects_user_id", table_name="audit_log_subjects")
    op.drop_table("audit_log_subjects")
    op.drop_index("ix_audit_log_chain", table_name="audit_log")
    op.drop_index("ix_audit_log_on_behalf_of_id", table_name="audit_log")
    with op.batch_alter_table("audit_log") as batch_op:
        batch_op.drop_constraint("fk_audit_log_on_behalf_of_id_users", type_="foreignkey")
        batch_op.drop_column("on_behalf_of_id")
        batch_op.drop_column("row_hash")
        batch_op.drop_column("prev_hash")
        batch_op.drop_column("actor_role")
