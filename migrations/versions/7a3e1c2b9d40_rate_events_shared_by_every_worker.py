"""rate events: sliding-window counts shared by every worker

Revision ID: 7a3e1c2b9d40
Revises: 00a18e8d647e
Create Date: 2026-12-05 08:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7a3e1c2b9d40'
down_revision = '00a18e8d647e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rate_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bucket', sa.String(length=40), nullable=False),
    sa.Column('key_digest', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rate_event'))
    )
    with op.batch_alter_table('rate_event', schema=None) as batch_op:
        batch_op.create_index('ix_rate_event_bucket_key_at', ['bucket', 'key_digest', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_rate_event_at'), ['at'], unique=False)


def downgrade():
    with op.batch_alter_table('rate_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rate_event_at'))
        batch_op.drop_index('ix_rate_event_bucket_key_at')
    op.drop_table('rate_event')
