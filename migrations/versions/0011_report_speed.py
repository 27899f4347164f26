"""reports: hours to match stored on the request, village and month copied onto role split lines

Revision ID: 0011_report_speed
Revises: 0009_respite_wiring
Create Date: 2026-11-23 09:40:00

"""
from datetime import UTC, timedelta

import sqlalchemy as sa
from alembic import op

import coop.core.types

# revision identifiers, used by Alembic.
revision = "0011_report_speed"
down_revision = "0009_respite_wiring"
branch_labels = None
depends_on = None

BATCH = 5000


def _hours(created, matched) -> int:
    # The same rounding as coop.requests.models.hours_between: whole hours, a half hour up.
    created, matched = (t.replace(tzinfo=t.tzinfo or UTC) for t in (created, matched))
    whole, rest = divmod(matched - created, timedelta(hours=1))
    return whole + (rest >= timedelta(minutes=30))


def _backfill_hours(connection) -> None:
    """In Python, in batches: one rounding rule for both databases, the same as new rows get."""
    requests = sa.table("help_requests", sa.column("id", sa.Integer),
                        sa.column("created_at", coop.core.types.UTCDateTime()),
                        sa.column("matched_at", coop.core.types.UTCDateTime()),
                        sa.column("hours_to_match", sa.Integer))
    last = 0
    while True:
        rows = connection.execute(sa.select(requests.c.id, requests.c.created_at, requests.c.matched_at)
                                  .where(requests.c.id > last, requests.c.matched_at.is_not(None))
                                  .order_by(requests.c.id).limit(BATCH)).all()
        if not rows:
            return
        connection.execute(requests.update().where(requests.c.id == sa.bindparam("row_id"))
                           .values(hours_to_match=sa.bindparam("hours")),
                           [{"row_id": i, "hours": _hours(c, m)} for i, c, m in rows if c is not None])
        last = rows[-1][0]


def _backfill_lines(connection) -> None:
    lines = sa.table("role_split_lines", sa.column("request_id", sa.Integer), sa.column("village_id", sa.Integer),
                     sa.column("created_month", sa.Integer))
    requests = sa.table("help_requests", sa.column("id", sa.Integer), sa.column("village_id", sa.Integer),
                        sa.column("created_month", sa.Integer))

    def of_request(column):
        return sa.select(column).where(requests.c.id == lines.c.request_id).scalar_subquery()
    connection.execute(lines.update().values(village_id=of_request(requests.c.village_id),
                                             created_month=of_request(requests.c.created_month)))


def upgrade():
    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hours_to_match', sa.Integer(), nullable=True))
    with op.batch_alter_table('role_split_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('village_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('created_month', sa.Integer(), nullable=True))
    _backfill_hours(op.get_bind())
    _backfill_lines(op.get_bind())
    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_help_requests_report')
        batch_op.create_index('ix_help_requests_report', ['village_id', 'created_month', 'category_id',
                                                          'hours_to_match', 'status', 'matched_at'], unique=False)
    with op.batch_alter_table('role_split_lines', schema=None) as batch_op:
        batch_op.drop_index('ix_role_split_lines_report')
        batch_op.create_index('ix_role_split_lines_report', ['village_id', 'created_month', 'party', 'question'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('role_split_lines', schema=None) as batch_op:
        batch_op.drop_index('ix_role_split_lines_report')
        batch_op.create_index('ix_role_split_lines_report', ['request_id', 'party', 'question'], unique=False)
        batch_op.drop_column('created_month')
        batch_op.drop_column('village_id')
    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_help_requests_report')
        batch_op.create_index('ix_help_requests_report', ['village_id', 'created_month', 'category_id', 'status',
                                                          'matched_at', 'created_at'], unique=False)
        batch_op.drop_column('hours_to_match')
