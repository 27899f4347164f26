"""one hours entry per source: a shift or a request counts once per helper

Revision ID: 0009_respite_wiring
Revises: 0007_agreements
Create Date: 2026-11-24 10:00:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = "0009_respite_wiring"
down_revision = "0008_reports"
branch_labels = None
depends_on = None


def upgrade():
    # Manual entries have no source_id; NULLs never collide, so only shift and request hours are bound.
    with op.batch_alter_table("hours_entries", schema=None) as batch_op:
        batch_op.create_index("uq_hours_entries_source", ["source_type", "source_id", "helper_id"], unique=True)


def downgrade():
    with op.batch_alter_table("hours_entries", schema=None) as batch_op:
        batch_op.drop_index("uq_hours_entries_source")
