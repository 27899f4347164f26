"""circles: the morning phone circle (its members, key holders, absences, rounds and missed calls)

New tables only: the release before ignores them.

Revision ID: 0024_circles
Revises: 0023_two_step
Create Date: 2026-12-01 15:10:54

"""
import sqlalchemy as sa
from alembic import op

import coop.core.types

revision = '0024_circles'
down_revision = '0023_two_step'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('phone_circles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=False),
    sa.Column('confirm_by', sa.Time(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', coop.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_phone_circles_created_by_id_users')),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_phone_circles_village_id_villages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_phone_circles')),
    sa.UniqueConstraint('village_id', 'name', name=op.f('uq_phone_circles_village_id'))
    )
    with op.batch_alter_table('phone_circles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_phone_circles_village_id'), ['village_id'], unique=False)

    op.create_table('circle_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('circle_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('key_holder_id', sa.Integer(), nullable=True),
    sa.Column('key_holder_relation', sa.String(length=60), nullable=False),
    sa.Column('joined_at', coop.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['circle_id'], ['phone_circles.id'],
                            name=op.f('fk_circle_members_circle_id_phone_circles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['key_holder_id'], ['users.id'], name=op.f('fk_circle_members_key_holder_id_users')),
    sa.ForeignKeyConstraint(['person_id'], ['users.id'], name=op.f('fk_circle_members_person_id_users')),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_circle_members_village_id_villages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_circle_members')),
    sa.UniqueConstraint('circle_id', 'person_id', name=op.f('uq_circle_members_circle_id'))
    )
    with op.batch_alter_table('circle_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_circle_members_circle_id'), ['circle_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_circle_members_key_holder_id'), ['key_holder_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_circle_members_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_circle_members_village_id'), ['village_id'], unique=False)

    op.create_table('circle_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('circle_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('confirmed_at', coop.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('confirmed_for_id', sa.Integer(), nullable=True),
    sa.Column('late_alerted_at', coop.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['circle_id'], ['phone_circles.id'],
                            name=op.f('fk_circle_rounds_circle_id_phone_circles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['users.id'], name=op.f('fk_circle_rounds_confirmed_by_id_users')),
    sa.ForeignKeyConstraint(['confirmed_for_id'], ['users.id'], name=op.f('fk_circle_rounds_confirmed_for_id_users')),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_circle_rounds_village_id_villages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_circle_rounds')),
    sa.UniqueConstraint('circle_id', 'day', name=op.f('uq_circle_rounds_circle_id'))
    )
    with op.batch_alter_table('circle_rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_circle_rounds_village_id'), ['village_id'], unique=False)

    op.create_table('circle_absences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', coop.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_circle_absences_created_by_id_users')),
    sa.ForeignKeyConstraint(['member_id'], ['circle_members.id'],
                            name=op.f('fk_circle_absences_member_id_circle_members'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_circle_absences_village_id_villages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_circle_absences'))
    )
    with op.batch_alter_table('circle_absences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_circle_absences_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_circle_absences_village_id'), ['village_id'], unique=False)

    op.create_table('circle_missed_calls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('reported_by_id', sa.Integer(), nullable=True),
    sa.Column('caller_id', sa.Integer(), nullable=True),
    sa.Column('reported_at', coop.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('handled_at', coop.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('handled_by_id', sa.Integer(), nullable=True),
    sa.Column('handled_note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['caller_id'], ['users.id'], name=op.f('fk_circle_missed_calls_caller_id_users')),
    sa.ForeignKeyConstraint(['handled_by_id'], ['users.id'], name=op.f('fk_circle_missed_calls_handled_by_id_users')),
    sa.ForeignKeyConstraint(['member_id'], ['circle_members.id'],
                            name=op.f('fk_circle_missed_calls_member_id_circle_members'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reported_by_id'], ['users.id'], name=op.f('fk_circle_missed_calls_reported_by_id_users')),
    sa.ForeignKeyConstraint(['round_id'], ['circle_rounds.id'],
                            name=op.f('fk_circle_missed_calls_round_id_circle_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_circle_missed_calls_village_id_villages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_circle_missed_calls')),
    sa.UniqueConstraint('round_id', 'member_id', name=op.f('uq_circle_missed_calls_round_id'))
    )
    with op.batch_alter_table('circle_missed_calls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_circle_missed_calls_member_id'), ['member_id'], unique=False)
        batch_op.create_index('ix_circle_missed_calls_open', ['village_id', 'handled_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_circle_missed_calls_round_id'), ['round_id'], unique=False)



def downgrade():
    with op.batch_alter_table('circle_missed_calls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_circle_missed_calls_round_id'))
        batch_op.drop_index('ix_circle_missed_calls_open')
        batch_op.drop_index(batch_op.f('ix_circle_missed_calls_member_id'))

    op.drop_table('circle_missed_calls')
    with op.batch_alter_table('circle_absences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_circle_absences_village_id'))
        batch_op.drop_index(batch_op.f('ix_circle_absences_member_id'))

    op.drop_table('circle_absences')
    with op.batch_alter_table('circle_rounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_circle_rounds_village_id'))

    op.drop_table('circle_rounds')
    with op.batch_alter_table('circle_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_circle_members_village_id'))
        batch_op.drop_index(batch_op.f('ix_circle_members_person_id'))
        batch_op.drop_index(batch_op.f('ix_circle_members_key_holder_id'))
        batch_op.drop_index(batch_op.f('ix_circle_members_circle_id'))

    op.drop_table('circle_members')
    with op.batch_alter_table('phone_circles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_phone_circles_village_id'))

    op.drop_table('phone_circles')
