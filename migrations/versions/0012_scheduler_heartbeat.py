"""ops: the scheduler's heartbeat, read by /readyz and the admin page

Revision ID: 0012_scheduler_heartbeat
Revises: 0011_report_speed
Create Date: 2026-12-01 09:00:00

"""
import sqlalchemy as sa
from alembic import op

import coop.core.types

revision = "0012_scheduler_heartbeat"
down_revision = "0011_report_speed"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "scheduler_heartbeat",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("beat_at", coop.core.types.UTCDateTime(), nullable=False),
        sa.Column("host", sa.String(length=120), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduler_heartbeat")),
    )


def downgrade():
    op.drop_table("scheduler_heartbeat")
