"""respite: allowance limits per calendar year, hourly amounts, optional lower village maxima, age band

The Belastingdienst's limits of the volunteer allowance per year (2024–2026 shipped); a village's
hourly amount; its own maxima as optional lower limits (new columns: the old single maxima stay
for the release before this one); a volunteer's age band (under 21).

Revision ID: 0014_allowance_limits
Revises: 0013_role_split_not_needed
Create Date: 2026-11-24 10:00:00

"""
from datetime import UTC, datetime
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

import coop.core.types

# revision identifiers, used by Alembic.
revision = "0014_allowance_limits"
down_revision = "0013_role_split_not_needed"
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
    # Additive only, so the release before this one runs against the new schema while a deploy
    # rolls: a new table, nullable columns, NOT NULL ones with a server default it relies on, and
    # no table rebuilt (SQLite's batch mode would rebuild one that competences reference).
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

    op.add_column('expense_settings', sa.Column('own_month_max', sa.Numeric(precision=8, scale=2), nullable=True))
    op.add_column('expense_settings', sa.Column('own_year_max', sa.Numeric(precision=8, scale=2), nullable=True))
    op.add_column('expense_settings', sa.Column('hourly_rate', sa.Numeric(precision=5, scale=2),
                                                server_default='0', nullable=False))
    op.add_column('expense_settings', sa.Column('hourly_rate_young', sa.Numeric(precision=5, scale=2),
                                                server_default='0', nullable=False))
    # A village's maxima become its own lower limits; one still at the old default never chose a
    # lower limit, so it stays empty and follows each year's legal limits.
    settings = sa.table('expense_settings', sa.column('allowance_month_max', sa.Numeric(8, 2)),
                        sa.column('allowance_year_max', sa.Numeric(8, 2)),
                        sa.column('own_month_max', sa.Numeric(8, 2)), sa.column('own_year_max', sa.Numeric(8, 2)))
    op.execute(settings.update().where(settings.c.allowance_month_max != OLD_MONTH)
               .values(own_month_max=settings.c.allowance_month_max))
    op.execute(settings.update().where(settings.c.allowance_year_max != OLD_YEAR)
               .values(own_year_max=settings.c.allowance_year_max))

    op.add_column('volunteer_profiles', sa.Column('under_21', sa.Boolean(), server_default=sa.false(),
                                                  nullable=False))


def downgrade():
    # SQLite 3.35+ drops a column without rebuilding the table.
    op.drop_column('volunteer_profiles', 'under_21')
    for column in ('hourly_rate_young', 'hourly_rate', 'own_year_max', 'own_month_max'):
        op.drop_column('expense_settings', column)
    op.drop_table('allowance_limits')
