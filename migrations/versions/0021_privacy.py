"""privacy: retention periods per village, and when a person was forgotten

Adds a nullable column and a new table only: the release before ignores both.

Revision ID: 0021_privacy
Revises: 0020_load_indexes
Create Date: 2026-12-10 09:00:00

"""
import sqlalchemy as sa
from alembic import op

import coop.core.types

revision = "0021_privacy"
down_revision = "0020_load_indexes"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('retention_settings',
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('login_attempt_days', sa.Integer(), nullable=True),
    sa.Column('outbox_body_days', sa.Integer(), nullable=True),
    sa.Column('carer_notes_months', sa.Integer(), nullable=True),
    sa.Column('carerqol_months', sa.Integer(), nullable=True),
    sa.Column('audit_years', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', coop.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_retention_settings_updated_by_id_users')),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_retention_settings_village_id_villages'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('village_id', name=op.f('pk_retention_settings'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erased_at', coop.core.types.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('erased_at')
    op.drop_table('retention_settings')
