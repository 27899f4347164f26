"""load: an index that holds what the inbox sorts on, so a page's ids come from it alone

The inbox lists a village's requests most urgent first, then longest waiting; without this
index PostgreSQL read every open request of the village from the table for each page.
Additive only.

Revision ID: 0020_load_indexes
Revises: 0019_audit_chain
Create Date: 2026-12-01 12:00:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = "0020_load_indexes"
down_revision = "0019_audit_chain"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_help_requests_inbox", "help_requests",
                    ["village_id", "status", "urgency", "created_at", "id"])


def downgrade():
    op.drop_index("ix_help_requests_inbox", table_name="help_requests")
