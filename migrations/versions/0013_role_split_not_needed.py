"""requests: "niet nodig" as an answer to a Schijf van Vijf question (a line with no party)

Revision ID: 0013_role_split_not_needed
Revises: 0012_scheduler_heartbeat
Create Date: 2026-12-01 10:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0013_role_split_not_needed"
down_revision = "0012_scheduler_heartbeat"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('role_split_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('not_needed', sa.Boolean(), server_default=sa.false(), nullable=False))
        # A "niet nodig" line names no party, so no report can count it as one taking something on.
        batch_op.create_check_constraint(op.f('ck_role_split_lines_not_needed_no_party'),
                                         'NOT (not_needed AND party IS NOT NULL)')


def downgrade():
    op.execute("DELETE FROM role_split_lines WHERE not_needed")
    with op.batch_alter_table('role_split_lines', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_role_split_lines_not_needed_no_party'), type_='check')
        batch_op.drop_column('not_needed')
