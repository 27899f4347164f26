"""requests: refer to a destination from the village's list, not to free text

Adds the list (seeded with the defaults for every village) and a nullable reference from the
request to it. `help_requests.referred_to` stays and is still written, with the destination's
name: the release before this one reads it (docs/migrations.md, add before switch). A request
referred before has its destination filled in where its text is one of the list's names.

Revision ID: 0018_referral_destinations
Revises: 0017_form_submissions
Create Date: 2026-12-02 09:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0018_referral_destinations"
down_revision = "0017_form_submissions"
branch_labels = None
depends_on = None

# A copy, not an import: a migration must keep doing what it did when the code moves on.
DEFAULTS = ("Wmo-loket", "Huisarts", "Wijkteam", "Thuiszorg", "Casemanager dementie",
            "Maatschappelijk werk", "Mantelzorgsteunpunt", "Ouderenadviseur", "Andere organisatie")
COLUMN = "referral_destination_id"
FK = "fk_help_requests_referral_destination_id_referral_destinations"


def upgrade():
    op.create_table('referral_destinations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_referral_destinations_village_id_villages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral_destinations')),
    sa.UniqueConstraint('village_id', 'name', name=op.f('uq_referral_destinations_village_id'))
    )
    with op.batch_alter_table('referral_destinations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_destinations_village_id'), ['village_id'], unique=False)

    bind = op.get_bind()
    existing = {c["name"] for c in sa.inspect(bind).get_columns("help_requests")}
    if COLUMN not in existing:  # a SQLite downgrade leaves the column (see below)
        if bind.dialect.name == "sqlite":
            # Not batch mode: rebuilding help_requests with foreign keys on would delete the rows
            # that reference it with ON DELETE CASCADE. SQLite adds a column with its reference.
            op.execute(f"ALTER TABLE help_requests ADD COLUMN {COLUMN} INTEGER "
                       f"CONSTRAINT {FK} REFERENCES referral_destinations (id)")
        else:
            op.add_column('help_requests', sa.Column(COLUMN, sa.Integer(), nullable=True))
            op.create_foreign_key(FK, 'help_requests', 'referral_destinations', [COLUMN], ['id'])

    villages = sa.table("villages", sa.column("id", sa.Integer))
    destinations = sa.table("referral_destinations", sa.column("village_id", sa.Integer),
                            sa.column("name", sa.String), sa.column("active", sa.Boolean),
                            sa.column("sort_order", sa.Integer), sa.column("id", sa.Integer))
    village_ids = [row[0] for row in bind.execute(sa.select(villages.c.id))]
    if village_ids:
        bind.execute(destinations.insert(), [
            {"village_id": v, "name": name, "active": True, "sort_order": 10 * (i + 1)}
            for v in village_ids for i, name in enumerate(DEFAULTS)])

    requests = sa.table("help_requests", sa.column("village_id", sa.Integer), sa.column("referred_to", sa.String),
                        sa.column(COLUMN, sa.Integer))
    match = (sa.select(destinations.c.id)
             .where(destinations.c.village_id == requests.c.village_id,
                    sa.func.lower(destinations.c.name) == sa.func.lower(sa.func.trim(requests.c.referred_to)))
             .scalar_subquery())
    bind.execute(requests.update().where(requests.c.referred_to.is_not(None)).values({COLUMN: match}))


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        # Dropping the column would rebuild help_requests (see upgrade); it is emptied and stays.
        op.execute(f"UPDATE help_requests SET {COLUMN} = NULL")
    else:
        op.drop_constraint(FK, 'help_requests', type_='foreignkey')
        op.drop_column('help_requests', COLUMN)
    with op.batch_alter_table('referral_destinations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_destinations_village_id'))
    op.drop_table('referral_destinations')
