"""requests: a partial index in the inbox's own order, over the open requests only

The inbox and the map's urgent list show the fifty most urgent open requests, longest waiting
first. With this index (village, urgency rank, created_at, id; open statuses only) the database
reads those fifty in index order and stops, instead of sorting every open request of the village
for each page. The expressions are the ones in coop/requests/models.py (URGENCY_RANK, IS_OPEN),
word for word: a database matches an index to a query by their text.

Additive only. On PostgreSQL the index is built CONCURRENTLY, so the table stays writable while
it is built.

Revision ID: 0028_open_inbox_index
Revises: 0027_members
Create Date: 2026-12-01 19:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0028_open_inbox_index"
down_revision = "0027_members"
branch_labels = None
depends_on = None

NAME = "ix_help_requests_open_inbox"
RANK = "(CASE WHEN (urgency = 'today') THEN 0 WHEN (urgency = 'week') THEN 1 ELSE 2 END)"
OPEN = "status IN ('new', 'intake', 'searching', 'matched')"


def upgrade():
    columns = ["village_id", sa.text(RANK), "created_at", "id"]
    if op.get_bind().dialect.name == "postgresql":
        with op.get_context().autocommit_block():
            op.create_index(NAME, "help_requests", columns, postgresql_where=sa.text(OPEN),
                            postgresql_concurrently=True, if_not_exists=True)
    else:
        op.create_index(NAME, "help_requests", columns, sqlite_where=sa.text(OPEN))


def downgrade():
    op.drop_index(NAME, table_name="help_requests")
