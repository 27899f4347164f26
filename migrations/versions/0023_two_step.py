"""auth: two-step login, the sealed secret of a user's authenticator app and recovery codes

Revision ID: 0023_two_step
Revises: 0022_audit_retention
Create Date: 2026-12-15 12:00:00
"""
import sqlalchemy as sa
from alembic import op

import coop.core.types

revision = "0023_two_step"
down_revision = "0022_audit_retention"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "two_step_keys",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("sealed_secret", sa.Text(), nullable=False),
        sa.Column("created_at", coop.core.types.UTCDateTime(), nullable=False),
        sa.Column("confirmed_at", coop.core.types.UTCDateTime(), nullable=True),
        sa.Column("last_step", sa.BigInteger(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("failed_at", coop.core.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_two_step_keys_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_two_step_keys")),
    )
    op.create_table(
        "two_step_recovery_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("used_at", coop.core.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_two_step_recovery_codes_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_two_step_recovery_codes")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_two_step_recovery_codes_code_hash")),
    )
    op.create_index(op.f("ix_two_step_recovery_codes_user_id"), "two_step_recovery_codes", ["user_id"])


def downgrade():
    op.drop_index(op.f("ix_two_step_recovery_codes_user_id"), table_name="two_step_recovery_codes")
    op.drop_table("two_step_recovery_codes")
    op.drop_table("two_step_keys")
