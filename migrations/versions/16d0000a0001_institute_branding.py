"""branding: the institute's name, logo and accent colour

Revision ID: 16d0000a0001
Revises: c15e0000f001
Create Date: 2026-12-05 15:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '16d0000a0001'
down_revision = 'c15e0000f001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'branding',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('accent', sa.String(length=7), nullable=False),
        sa.Column('logo', sa.LargeBinary(), nullable=True),
        sa.Column('logo_type', sa.String(length=40), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_branding')),
    )


def downgrade():
    op.drop_table('branding')
