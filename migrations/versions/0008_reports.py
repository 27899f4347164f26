"""reports: the local month of each request, filled in, and the report index built on it

Revision ID: 0008_reports
Revises: 0007_agreements
Create Date: 2026-11-23 09:20:00

"""
from datetime import UTC
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

import coop.core.types

# revision identifiers, used by Alembic.
revision = "0008_reports"
down_revision = "0007_agreements"
branch_labels = None
depends_on = None

LOCAL = ZoneInfo("Europe/Amsterdam")
BATCH = 5000


def _backfill(connection) -> None:
    """Computed in Python, not SQL: the month boundary must follow Amsterdam's daylight saving."""
    requests = sa.table("help_requests", sa.column("id", sa.Integer),
                        sa.column("created_at", coop.core.types.UTCDateTime()),
                        sa.column("created_month", sa.Integer))
    last = 0
    while True:
        rows = connection.execute(sa.select(requests.c.id, requests.c.created_at)
                                  .where(requests.c.id > last).order_by(requests.c.id).limit(BATCH)).all()
        if not rows:
            return
        updates = [{"row_id": i, "month": _month(created)} for i, created in rows if created is not None]
        if updates:
            connection.execute(requests.update().where(requests.c.id == sa.bindparam("row_id"))
                               .values(created_month=sa.bindparam("month")), updates)
        last = rows[-1][0]


def _month(created) -> int:
    local = created.replace(tzinfo=created.tzinfo or UTC).astimezone(LOCAL)
    return local.year * 100 + local.month


def upgrade():
    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('created_month', sa.Integer(), nullable=True))
    _backfill(op.get_bind())
    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_help_requests_report')
        batch_op.create_index('ix_help_requests_report', ['village_id', 'created_month', 'category_id', 'status',
                                                          'matched_at', 'created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_help_requests_report')
        batch_op.create_index('ix_help_requests_report', ['village_id', 'created_at', 'category_id', 'status',
                                                          'matched_at'], unique=False)
        batch_op.drop_column('created_month')
