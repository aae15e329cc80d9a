"""periodic jobs: their last run and a claim, so that several runners run a due job once

Revision ID: ae13000000a1
Revises: c0ffee120011
Create Date: 2026-12-10 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ae13000000a1'
down_revision = 'c0ffee120011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'periodic_job',
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('claimed_until', sa.DateTime(), nullable=True),
        sa.Column('last_started', sa.DateTime(), nullable=True),
        sa.Column('last_finished', sa.DateTime(), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_periodic_job')),
    )


def downgrade():
    op.drop_table('periodic_job')
