"""aids: the stock of aids and their loans

New tables only: the release before ignores them.

Revision ID: 0025_aids
Revises: 0024_circles
Create Date: 2026-12-01 15:09:33

"""
import sqlalchemy as sa
from alembic import op

import coop.core.types

revision = '0025_aids'
down_revision = "0024_circles"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('aid_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('label', sa.String(length=40), nullable=False),
    sa.Column('condition', sa.String(length=10), nullable=False),
    sa.Column('stored_at', sa.String(length=120), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', coop.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_aid_items_village_id_villages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aid_items')),
    sa.UniqueConstraint('village_id', 'label', name=op.f('uq_aid_items_village_id'))
    )
    with op.batch_alter_table('aid_items', schema=None) as batch_op:
        batch_op.create_index('ix_aid_items_village_kind', ['village_id', 'kind'], unique=False)

    op.create_table('aid_loans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('open_item_id', sa.Integer(), nullable=True),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('help_request_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('first_due_on', sa.Date(), nullable=False),
    sa.Column('returned_on', sa.Date(), nullable=True),
    sa.Column('return_condition', sa.String(length=10), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('lent_month', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', coop.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('changed_at', coop.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_aid_loans_created_by_id_users')),
    sa.ForeignKeyConstraint(['help_request_id'], ['help_requests.id'],
                            name=op.f('fk_aid_loans_help_request_id_help_requests'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['item_id'], ['aid_items.id'], name=op.f('fk_aid_loans_item_id_aid_items')),
    sa.ForeignKeyConstraint(['open_item_id'], ['aid_items.id'], name=op.f('fk_aid_loans_open_item_id_aid_items')),
    sa.ForeignKeyConstraint(['resident_id'], ['users.id'], name=op.f('fk_aid_loans_resident_id_users')),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_aid_loans_village_id_villages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aid_loans')),
    sa.UniqueConstraint('open_item_id', name=op.f('uq_aid_loans_open_item_id'))
    )
    with op.batch_alter_table('aid_loans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_aid_loans_help_request_id'), ['help_request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_aid_loans_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_aid_loans_resident_id'), ['resident_id'], unique=False)
        batch_op.create_index('ix_aid_loans_village_status', ['village_id', 'status', 'due_on'], unique=False)



def downgrade():
    with op.batch_alter_table('aid_loans', schema=None) as batch_op:
        batch_op.drop_index('ix_aid_loans_village_status')
        batch_op.drop_index(batch_op.f('ix_aid_loans_resident_id'))
        batch_op.drop_index(batch_op.f('ix_aid_loans_item_id'))
        batch_op.drop_index(batch_op.f('ix_aid_loans_help_request_id'))

    op.drop_table('aid_loans')
    with op.batch_alter_table('aid_items', schema=None) as batch_op:
        batch_op.drop_index('ix_aid_items_village_kind')

    op.drop_table('aid_items')
