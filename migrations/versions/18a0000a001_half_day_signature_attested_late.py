"""half-day signatures: a presence attested after the fact says so

Revision ID: 18a0000a001
Revises: 17b0000a001
Create Date: 2026-12-05 21:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '18a0000a001'
down_revision = '17b0000a001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('half_day_signature', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attested_late', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('half_day_signature', schema=None) as batch_op:
        batch_op.drop_column('attested_late')
