"""respite: allowance limits per calendar year, hourly amounts, optional lower village maxima, age band

The Belastingdienst's limits of the volunteer allowance per year (2024–2026 shipped); a village's
hourly amount; its own maxima become optional lower limits; a volunteer's age band (under 21).

Revision ID: 0012_allowance_limits
Revises: 0011_report_speed
Create Date: 2026-11-24 10:00:00

"""
from datetime import UTC, datetime
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

import coop.core.types

# revision identifiers, used by Alembic.
revision = "0012_allowance_limits"
down_revision = "0011_report_speed"
branch_labels = None
depends_on = None

# The Belastingdienst's figures (vrijwilligersvergoeding): month, year, per hour 21+, per hour under 21.
# Written out here, not imported, so this migration keeps meaning what it meant when it ran.
KNOWN = [
    (2024, "210.00", "2100.00", "5.50", "3.25"),
    (2025, "210.00", "2100.00", "5.60", "3.30"),
    (2026, "220.00", "2200.00", "5.75", "3.40"),
]
# What the village settings held by default before: the 2024–2025 legal limits.
OLD_MONTH, OLD_YEAR = Decimal("210.00"), Decimal("2100.00")
SHIPPED = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def upgrade():
    limits = op.create_table(
        'allowance_limits',
        sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('month_max', sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column('year_max', sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column('hourly_max', sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column('hourly_max_young', sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', coop.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_allowance_limits_updated_by_id_users')),
        sa.PrimaryKeyConstraint('year', name=op.f('pk_allowance_limits')))
    op.bulk_insert(limits, [
        {"year": y, "month_max": Decimal(m), "year_max": Decimal(t), "hourly_max": Decimal(h),
         "hourly_max_young": Decimal(u), "updated_by_id": None, "updated_at": SHIPPED}
        for y, m, t, h, u in KNOWN])

    # The village's maxima become optional lower limits (empty: the year's legal limits). A row
    # that still holds the old default never chose a lower limit: it now follows each year's.
    with op.batch_alter_table('expense_settings', schema=None) as batch_op:
        batch_op.alter_column('allowance_month_max', existing_type=sa.Numeric(precision=8, scale=2), nullable=True)
        batch_op.alter_column('allowance_year_max', existing_type=sa.Numeric(precision=8, scale=2), nullable=True)
        batch_op.add_column(sa.Column('hourly_rate', sa.Numeric(precision=5, scale=2), server_default='0',
                                      nullable=False))
        batch_op.add_column(sa.Column('hourly_rate_young', sa.Numeric(precision=5, scale=2), server_default='0',
                                      nullable=False))
    settings = sa.table('expense_settings', sa.column('allowance_month_max', sa.Numeric(8, 2)),
                        sa.column('allowance_year_max', sa.Numeric(8, 2)))
    op.execute(settings.update().where(settings.c.allowance_month_max == OLD_MONTH)
               .values(allowance_month_max=None))
    op.execute(settings.update().where(settings.c.allowance_year_max == OLD_YEAR)
               .values(allowance_year_max=None))
    with op.batch_alter_table('expense_settings', schema=None) as batch_op:
        batch_op.alter_column('hourly_rate', existing_type=sa.Numeric(precision=5, scale=2), server_default=None)
        batch_op.alter_column('hourly_rate_young', existing_type=sa.Numeric(precision=5, scale=2),
                              server_default=None)

    with op.batch_alter_table('volunteer_profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('under_21', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('volunteer_profiles', schema=None) as batch_op:
        batch_op.alter_column('under_21', existing_type=sa.Boolean(), server_default=None)


def downgrade():
    with op.batch_alter_table('volunteer_profiles', schema=None) as batch_op:
        batch_op.drop_column('under_21')
    settings = sa.table('expense_settings', sa.column('allowance_month_max', sa.Numeric(8, 2)),
                        sa.column('allowance_year_max', sa.Numeric(8, 2)))
    op.execute(settings.update().where(settings.c.allowance_month_max.is_(None))
               .values(allowance_month_max=OLD_MONTH))
    op.execute(settings.update().where(settings.c.allowance_year_max.is_(None))
               .values(allowance_year_max=OLD_YEAR))
    with op.batch_alter_table('expense_settings', schema=None) as batch_op:
        batch_op.drop_column('hourly_rate_young')
        batch_op.drop_column('hourly_rate')
        batch_op.alter_column('allowance_year_max', existing_type=sa.Numeric(precision=8, scale=2), nullable=False)
        batch_op.alter_column('allowance_month_max', existing_type=sa.Numeric(precision=8, scale=2), nullable=False)
    op.drop_table('allowance_limits')
