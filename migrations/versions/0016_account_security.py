"""auth: server-side sessions, request counts for reset and registration, trusted login tries

`user_sessions` holds every login so the server can end it (logout, password change, a
disabled account, "Overal uitloggen", idle and absolute timeouts). `account_requests` counts
password-reset and registration requests per address and per e-mail. `login_attempts.trusted`
marks tries from a browser that logged in to the account before. Additive only.

Revision ID: 0016_account_security
Revises: 0015_call_tasks
Create Date: 2026-11-26 10:00:00

"""
import sqlalchemy as sa
from alembic import op

import coop.core.types

# revision identifiers, used by Alembic.
revision = "0016_account_security"
down_revision = "0015_call_tasks"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "user_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", coop.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", coop.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ip", sa.String(length=45), nullable=True),
        sa.Column("user_agent", sa.String(length=80), nullable=True),
        sa.Column("confirmed_at", coop.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("ended_at", coop.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_user_sessions_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_user_sessions_token_hash")),
    )
    with op.batch_alter_table("user_sessions", schema=None) as batch_op:
        batch_op.create_index("ix_user_sessions_user_ended", ["user_id", "ended_at"], unique=False)

    op.create_table(
        "account_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("at", coop.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("ip", sa.String(length=45), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_requests")),
    )
    with op.batch_alter_table("account_requests", schema=None) as batch_op:
        batch_op.create_index("ix_account_requests_kind_email_at", ["kind", "email", "at"], unique=False)
        batch_op.create_index("ix_account_requests_kind_ip_at", ["kind", "ip", "at"], unique=False)

    with op.batch_alter_table("login_attempts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("trusted", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table("login_attempts", schema=None) as batch_op:
        batch_op.drop_column("trusted")
    with op.batch_alter_table("account_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_account_requests_kind_ip_at")
        batch_op.drop_index("ix_account_requests_kind_email_at")
    op.drop_table("account_requests")
    with op.batch_alter_table("user_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_user_sessions_user_ended")
    op.drop_table("user_sessions")
