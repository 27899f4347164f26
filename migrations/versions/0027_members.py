"""members: member households, their mandates and contributions, the yearly runs, messages to
a group, and task categories only for members

New tables and a column with a default only: the release before ignores them.

Revision ID: 0027_members
Revises: 0026_activities
Create Date: 2026-12-01 15:12:07

"""
import sqlalchemy as sa
from alembic import op

import coop.core.types

revision = '0027_members'
down_revision = "0026_activities"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('member_settings',
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('yearly_fee', sa.Numeric(precision=8, scale=2), nullable=False),
    sa.Column('creditor_id', sa.String(length=35), nullable=True),
    sa.Column('account_name', sa.String(length=70), nullable=True),
    sa.Column('iban', sa.String(length=34), nullable=True),
    sa.Column('bic', sa.String(length=11), nullable=True),
    sa.Column('updated_at', coop.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'],
                            name=op.f('fk_member_settings_village_id_villages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('village_id', name=op.f('pk_member_settings'))
    )
    op.create_table('broadcasts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('group_key', sa.String(length=60), nullable=False),
    sa.Column('group_label', sa.String(length=120), nullable=False),
    sa.Column('subject', sa.String(length=150), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('recipients', sa.Integer(), nullable=False),
    sa.Column('sent_by_id', sa.Integer(), nullable=True),
    sa.Column('sent_at', coop.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['sent_by_id'], ['users.id'], name=op.f('fk_broadcasts_sent_by_id_users')),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_broadcasts_village_id_villages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_broadcasts'))
    )
    with op.batch_alter_table('broadcasts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_broadcasts_village_id'), ['village_id'], unique=False)

    op.create_table('contribution_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('collection_date', sa.Date(), nullable=False),
    sa.Column('message_id', sa.String(length=35), nullable=True),
    sa.Column('debit_file', sa.Text(), nullable=True),
    sa.Column('debit_count', sa.Integer(), nullable=False),
    sa.Column('transfer_count', sa.Integer(), nullable=False),
    sa.Column('created_at', coop.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_contribution_runs_created_by_id_users')),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_contribution_runs_village_id_villages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contribution_runs'))
    )
    with op.batch_alter_table('contribution_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contribution_runs_village_id'), ['village_id'], unique=False)

    op.create_table('households',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('method', sa.String(length=16), nullable=False),
    sa.Column('payment_reference', sa.String(length=35), nullable=False),
    sa.Column('reduction', sa.Numeric(precision=8, scale=2), nullable=False),
    sa.Column('reduction_reason', sa.String(length=200), nullable=False),
    sa.Column('created_at', coop.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['contact_id'], ['users.id'], name=op.f('fk_households_contact_id_users')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_households_created_by_id_users')),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_households_village_id_villages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_households')),
    sa.UniqueConstraint('village_id', 'number', name='uq_households_village_number'),
    sa.UniqueConstraint('village_id', 'payment_reference', name='uq_households_village_reference')
    )
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_households_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_households_village_id'), ['village_id'], unique=False)

    op.create_table('contributions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=8, scale=2), nullable=False),
    sa.Column('method', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('sequence', sa.String(length=4), nullable=True),
    sa.Column('mandate_reference', sa.String(length=35), nullable=True),
    sa.Column('end_to_end_id', sa.String(length=35), nullable=True),
    sa.Column('payment_reference', sa.String(length=35), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.Column('returned_on', sa.Date(), nullable=True),
    sa.Column('return_reason', sa.String(length=4), nullable=True),
    sa.Column('reminded_at', coop.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', coop.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'],
                            name=op.f('fk_contributions_household_id_households'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['run_id'], ['contribution_runs.id'],
                            name=op.f('fk_contributions_run_id_contribution_runs')),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_contributions_village_id_villages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contributions')),
    sa.UniqueConstraint('household_id', 'year', name=op.f('uq_contributions_household_id'))
    )
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.create_index('ix_contributions_village_year', ['village_id', 'year'], unique=False)

    op.create_table('mandates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=35), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.Column('iban', sa.String(length=34), nullable=True),
    sa.Column('bic', sa.String(length=11), nullable=True),
    sa.Column('account_holder', sa.String(length=70), nullable=False),
    sa.Column('created_at', coop.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'],
                            name=op.f('fk_mandates_household_id_households'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_mandates_village_id_villages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mandates')),
    sa.UniqueConstraint('household_id', name=op.f('uq_mandates_household_id')),
    sa.UniqueConstraint('village_id', 'reference', name=op.f('uq_mandates_village_id'))
    )
    with op.batch_alter_table('mandates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mandates_village_id'), ['village_id'], unique=False)

    op.create_table('members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'],
                            name=op.f('fk_members_household_id_households'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_members_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_members'))
    )
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_members_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_members_user_id'), ['user_id'], unique=False)

    op.add_column('task_categories', sa.Column('members_only', sa.Boolean(), server_default=sa.false(),
                                               nullable=False))



def downgrade():
    op.drop_column('task_categories', 'members_only')

    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_members_user_id'))
        batch_op.drop_index(batch_op.f('ix_members_household_id'))

    op.drop_table('members')
    with op.batch_alter_table('mandates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mandates_village_id'))

    op.drop_table('mandates')
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.drop_index('ix_contributions_village_year')

    op.drop_table('contributions')
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_households_village_id'))
        batch_op.drop_index(batch_op.f('ix_households_contact_id'))

    op.drop_table('households')
    with op.batch_alter_table('contribution_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contribution_runs_village_id'))

    op.drop_table('contribution_runs')
    with op.batch_alter_table('broadcasts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_broadcasts_village_id'))

    op.drop_table('broadcasts')
    op.drop_table('member_settings')
