"""accessibility conditions, the disability referent, consent to the accommodation need

Revision ID: 17d0000a001
Revises: 17c0000a001
Create Date: 2026-12-05 17:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '17d0000a001'
down_revision = '17c0000a001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('accessibility_features', sa.String(length=300), server_default='', nullable=False))
        batch_op.add_column(sa.Column('accessibility_notes', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('referent_name', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('referent_email', sa.String(length=254), server_default='', nullable=False))
        batch_op.add_column(sa.Column('referent_phone', sa.String(length=40), server_default='', nullable=False))

    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('accommodation_consent_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_column('accommodation_consent_at')

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('referent_phone')
        batch_op.drop_column('referent_email')
        batch_op.drop_column('referent_name')
        batch_op.drop_column('accessibility_notes')
        batch_op.drop_column('accessibility_features')
