"""audit log: rows past their retention period can be removed from the start of a chain

A table of chain starts (the first row kept in each village's chain, the hash it builds on
and the cutoff of the removal), and triggers that let a DELETE through only for rows before
that start and older than its cutoff, a cutoff at least five years back (NEN 7513's minimum,
by the database's own clock). Everything else stays refused: UPDATE of any audit row, DELETE
of a row at or after the start or younger than five years, TRUNCATE, and moving a start back
or removing it. `coop.core.audit.trim` moves the start and deletes the
rows before it in one transaction; `audit-verify` begins each chain at its start.

Revision ID: 0022_audit_retention
Revises: 0021_privacy
Create Date: 2026-12-15 10:00:00
"""
import sqlalchemy as sa
from alembic import op

import coop.core.types

revision = "0022_audit_retention"
down_revision = "0021_privacy"
branch_labels = None
depends_on = None

TABLES = ("audit_log", "audit_log_subjects")
# A row of audit_log may go when it lies before its chain's start and before the start's cutoff.
_LOG_MAY_GO = ("EXISTS (SELECT 1 FROM audit_chain_starts s WHERE s.chain = COALESCE(OLD.village_id, 0) "
               "AND OLD.id < s.first_id AND OLD.at < s.removed_before)")
_SUBJECT_MAY_GO = ("EXISTS (SELECT 1 FROM audit_chain_starts s JOIN audit_log l ON s.chain = COALESCE(l.village_id, 0) "
                   "WHERE l.id = OLD.audit_id AND l.id < s.first_id AND l.at < s.removed_before)")
MIN_YEARS = 5  # a cutoff lies at least this far back


def _postgresql_up() -> list[str]:
    statements = [f"DROP TRIGGER {table}_no_change ON {table}" for table in TABLES]
    statements += [
        f"""CREATE FUNCTION audit_log_delete_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF {_LOG_MAY_GO} THEN RETURN OLD; END IF;
    RAISE EXCEPTION 'audit_log is append-only: DELETE refused';
END $$""",
        f"""CREATE FUNCTION audit_log_subjects_delete_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF {_SUBJECT_MAY_GO} THEN RETURN OLD; END IF;
    RAISE EXCEPTION 'audit_log_subjects is append-only: DELETE refused';
END $$""",
        f"""CREATE FUNCTION audit_chain_starts_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.removed_before > now() - interval '{MIN_YEARS} years' THEN
        RAISE EXCEPTION 'audit_chain_starts only move forward, to rows older than {MIN_YEARS} years: % refused', TG_OP;
    END IF;
    IF TG_OP = 'INSERT' OR (NEW.chain = OLD.chain AND NEW.first_id >= OLD.first_id AND NEW.removed >= OLD.removed
                            AND NEW.removed_before >= OLD.removed_before) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_chain_starts only move forward, to rows older than {MIN_YEARS} years: % refused', TG_OP;
END $$"""]
    for table in TABLES:
        statements += [
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_delete_guard()"]
    statements += [
        "CREATE TRIGGER audit_chain_starts_no_delete BEFORE DELETE ON audit_chain_starts "
        "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
        "CREATE TRIGGER audit_chain_starts_no_truncate BEFORE TRUNCATE ON audit_chain_starts "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
        "CREATE TRIGGER audit_chain_starts_forward BEFORE INSERT OR UPDATE ON audit_chain_starts "
        "FOR EACH ROW EXECUTE FUNCTION audit_chain_starts_forward()"]
    return statements


def _sqlite_up() -> list[str]:
    statements = [f"DROP TRIGGER {table}_no_delete" for table in TABLES]
    for table, may_go in (("audit_log", _LOG_MAY_GO), ("audit_log_subjects", _SUBJECT_MAY_GO)):
        statements.append(f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} WHEN NOT {may_go} "
                          f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: DELETE refused'); END")
    # Stored as 'YYYY-MM-DD HH:MM:SS.ffffff' in UTC (coop.core.types.UTCDateTime): compared as text.
    too_recent = f"NEW.removed_before > strftime('%Y-%m-%d %H:%M:%f', 'now', '-{MIN_YEARS} years')"
    refused = ("BEGIN SELECT RAISE(ABORT, "
               f"'audit_chain_starts only move forward, to rows older than {MIN_YEARS} years'); END")
    statements += [
        "CREATE TRIGGER audit_chain_starts_no_delete BEFORE DELETE ON audit_chain_starts "
        "BEGIN SELECT RAISE(ABORT, 'audit_chain_starts is append-only: DELETE refused'); END",
        f"CREATE TRIGGER audit_chain_starts_recent BEFORE INSERT ON audit_chain_starts WHEN {too_recent} {refused}",
        "CREATE TRIGGER audit_chain_starts_forward BEFORE UPDATE ON audit_chain_starts "
        "WHEN NEW.chain != OLD.chain OR NEW.first_id < OLD.first_id OR NEW.removed < OLD.removed "
        f"OR NEW.removed_before < OLD.removed_before OR {too_recent} {refused}"]
    return statements


def upgrade():
    op.create_table(
        "audit_chain_starts",
        sa.Column("chain", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("first_id", sa.Integer(), nullable=False),
        sa.Column("start_hash", sa.String(length=64), nullable=False),
        sa.Column("removed", sa.Integer(), nullable=False),
        sa.Column("removed_before", coop.core.types.UTCDateTime(), nullable=False),
        sa.Column("at", coop.core.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("chain", name=op.f("pk_audit_chain_starts")),
    )
    statements = _postgresql_up() if op.get_bind().dialect.name == "postgresql" else _sqlite_up()
    for statement in statements:
        op.execute(statement)


def downgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table in TABLES:
        if postgresql:
            op.execute(f"DROP TRIGGER {table}_no_update ON {table}")
            op.execute(f"DROP TRIGGER {table}_no_delete ON {table}")
            op.execute(f"DROP FUNCTION {table}_delete_guard()")
            op.execute(f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()")
        else:
            op.execute(f"DROP TRIGGER {table}_no_delete")
            op.execute(f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                       f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: DELETE refused'); END")
    op.drop_table("audit_chain_starts")  # its triggers go with it
    if postgresql:
        op.execute("DROP FUNCTION audit_chain_starts_forward()")
