"""audit log: on PostgreSQL one function takes the chain's lock and appends the row

Before, writing an audit row on PostgreSQL took two round trips: the chain's advisory lock,
then the statement that reads the head and inserts. They cannot be one statement: a statement
reads the snapshot taken when it starts, before the lock is granted, so it could miss the row a
writer committed while this one waited. Inside a plpgsql function each statement takes a new
snapshot, so `audit_log_append` locks, then reads the head after the lock, in one call.

It returns NULL and writes nothing when the head has no hash yet (a row of the release before
the chain): coop/core/audit.py then folds those rows in, with the lock already held.

Additive only: the release before this one still takes the lock and writes its own way.
SQLite has no functions and one writer at a time; nothing changes there.

Revision ID: 0029_audit_append_function
Revises: 0028_open_inbox_index
Create Date: 2026-12-01 22:30:00

"""
from alembic import op

revision = "0029_audit_append_function"
down_revision = "0028_open_inbox_index"
branch_labels = None
depends_on = None

# The hash is sha256 over the same bytes as coop.core.audit.chain_hash: prev, chr(30), canonical.
FUNCTION = """
CREATE OR REPLACE FUNCTION audit_log_append(
    lock_class integer, chain_key integer, genesis text, canonical text, others integer[],
    p_at timestamptz, p_village_id integer, p_actor_id integer, p_actor_role text, p_action text,
    p_subject_user_id integer, p_on_behalf_of_id integer, p_detail text, p_ip text)
RETURNS integer LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    head text;
    prev text;
    new_id integer;
BEGIN
    PERFORM pg_advisory_xact_lock(lock_class, chain_key);
    IF p_village_id IS NULL THEN
        SELECT row_hash INTO head FROM audit_log WHERE village_id IS NULL ORDER BY id DESC LIMIT 1;
    ELSE
        SELECT row_hash INTO head FROM audit_log WHERE village_id = p_village_id ORDER BY id DESC LIMIT 1;
    END IF;
    IF FOUND AND head IS NULL THEN
        RETURN NULL;
    END IF;
    prev := coalesce(head, (SELECT start_hash FROM audit_chain_starts WHERE chain = chain_key), genesis);
    INSERT INTO audit_log (at, village_id, actor_id, actor_role, action, subject_user_id, on_behalf_of_id,
                           detail, ip, prev_hash, row_hash)
    VALUES (p_at, p_village_id, p_actor_id, p_actor_role, p_action, p_subject_user_id, p_on_behalf_of_id,
            p_detail, p_ip, prev, encode(sha256(convert_to(prev || chr(30) || canonical, 'UTF8')), 'hex'))
    RETURNING id INTO new_id;
    INSERT INTO audit_log_subjects (audit_id, user_id) SELECT new_id, person FROM unnest(others) AS person;
    RETURN new_id;
END
$$
"""
SIGNATURE = ("audit_log_append(integer, integer, text, text, integer[], timestamptz, integer, integer, text, "
             "text, integer, integer, text, text)")


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(FUNCTION)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP FUNCTION IF EXISTS {SIGNATURE}")
