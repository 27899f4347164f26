"""calls: the bellijst, a call to make for each message to someone without an e-mail address

Revision ID: 0015_call_tasks
Revises: 0014_allowance_limits
Create Date: 2026-12-01 10:00:00

"""
import sqlalchemy as sa
from alembic import op

import coop.core.types

revision = "0015_call_tasks"
down_revision = "0014_allowance_limits"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "call_tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("village_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=60), nullable=False),
        sa.Column("followup_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=12), server_default="open", nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("outcome_note", sa.Text(), server_default="", nullable=False),
        sa.Column("taken_over_by", sa.String(length=120), nullable=True),
        sa.Column("handled_by_id", sa.Integer(), nullable=True),
        sa.Column("handled_at", coop.core.types.UTCDateTime(), nullable=True),
        sa.Column("created_at", coop.core.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["followup_id"], ["follow_ups.id"], name=op.f("fk_call_tasks_followup_id_follow_ups")),
        sa.ForeignKeyConstraint(["handled_by_id"], ["users.id"], name=op.f("fk_call_tasks_handled_by_id_users")),
        sa.ForeignKeyConstraint(["person_id"], ["users.id"], name=op.f("fk_call_tasks_person_id_users")),
        sa.ForeignKeyConstraint(["village_id"], ["villages.id"], name=op.f("fk_call_tasks_village_id_villages")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_tasks")),
    )
    op.create_index("ix_call_tasks_open", "call_tasks", ["village_id", "status", "due_on"])
    op.create_index(op.f("ix_call_tasks_person_id"), "call_tasks", ["person_id"])


def downgrade():
    op.drop_index(op.f("ix_call_tasks_person_id"), table_name="call_tasks")
    op.drop_index("ix_call_tasks_open", table_name="call_tasks")
    op.drop_table("call_tasks")
