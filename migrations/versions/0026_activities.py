"""activities: activities, their sign-ups (with the waiting list and a linked lift) and helpers

New tables only: the release before ignores them.

Revision ID: 0026_activities
Revises: 0025_aids
Create Date: 2026-12-01 15:10:24.479000

"""
import sqlalchemy as sa
from alembic import op

import coop.core.types

revision = '0026_activities'
down_revision = "0025_aids"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=False),
    sa.Column('end_time', sa.Time(), nullable=False),
    sa.Column('venue', sa.String(length=120), nullable=False),
    sa.Column('street', sa.String(length=120), nullable=False),
    sa.Column('house_number', sa.String(length=12), nullable=False),
    sa.Column('postcode', sa.String(length=7), nullable=True),
    sa.Column('place', sa.String(length=80), nullable=False),
    sa.Column('lat', sa.Double(), nullable=True),
    sa.Column('lon', sa.Double(), nullable=True),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('cost', sa.Numeric(precision=7, scale=2), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('cancelled_at', coop.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', coop.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', coop.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_activities_created_by_id_users')),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_activities_village_id_villages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities'))
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index('ix_activities_village_date', ['village_id', 'on_date'], unique=False)

    op.create_table('activity_helpers',
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('added_at', coop.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'],
                            name=op.f('fk_activity_helpers_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_activity_helpers_village_id_villages')),
    sa.ForeignKeyConstraint(['volunteer_id'], ['users.id'], name=op.f('fk_activity_helpers_volunteer_id_users')),
    sa.PrimaryKeyConstraint('activity_id', 'volunteer_id', name=op.f('pk_activity_helpers'))
    )
    with op.batch_alter_table('activity_helpers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_helpers_volunteer_id'), ['volunteer_id'], unique=False)

    op.create_table('activity_signups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('queued_at', coop.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('moved_up_at', coop.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', coop.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('wants_lift', sa.Boolean(), nullable=False),
    sa.Column('lift_request_id', sa.Integer(), nullable=True),
    sa.Column('dietary_note', sa.String(length=200), nullable=False),
    sa.Column('attended', sa.Boolean(), nullable=True),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', coop.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'],
                            name=op.f('fk_activity_signups_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entered_by_id'], ['users.id'], name=op.f('fk_activity_signups_entered_by_id_users')),
    sa.ForeignKeyConstraint(['lift_request_id'], ['help_requests.id'],
                            name=op.f('fk_activity_signups_lift_request_id_help_requests'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['users.id'], name=op.f('fk_activity_signups_person_id_users')),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_activity_signups_village_id_villages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_signups')),
    sa.UniqueConstraint('activity_id', 'person_id', name=op.f('uq_activity_signups_activity_id'))
    )
    with op.batch_alter_table('activity_signups', schema=None) as batch_op:
        batch_op.create_index('ix_activity_signups_person', ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_signups_village_id'), ['village_id'], unique=False)



def downgrade():
    with op.batch_alter_table('activity_signups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_signups_village_id'))
        batch_op.drop_index('ix_activity_signups_person')

    op.drop_table('activity_signups')
    with op.batch_alter_table('activity_helpers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_helpers_volunteer_id'))

    op.drop_table('activity_helpers')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index('ix_activities_village_date')

    op.drop_table('activities')
