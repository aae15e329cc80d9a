"""completion certificates: legal identity, action objectives and nature, e-mail sent

The organisation's legal identity (one row), each event's objectives and nature of
action, and when a registration's completion certificate was e-mailed.

Revision ID: 17c0000a001
Revises: 17a0000a001
Create Date: 2026-12-05 17:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '17c0000a001'
down_revision = '17a0000a001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('legal_identity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('legal_name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=500), nullable=False),
    sa.Column('siret', sa.String(length=14), nullable=False),
    sa.Column('nda', sa.String(length=11), nullable=False),
    sa.Column('nda_region', sa.String(length=100), nullable=False),
    sa.Column('representative_name', sa.String(length=200), nullable=False),
    sa.Column('representative_role', sa.String(length=200), nullable=False),
    sa.Column('city', sa.String(length=120), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_legal_identity'))
    )
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('action_objectives', sa.Text(), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('action_nature', sa.Enum(
            'training', 'skills_assessment', 'vae', 'apprenticeship', name='actionnature',
            native_enum=False, length=30), server_default='training', nullable=False))
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('completion_certificate_sent_at', sa.DateTime(),
                                      nullable=True))


def downgrade():
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_column('completion_certificate_sent_at')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('action_nature')
        batch_op.drop_column('action_objectives')
    op.drop_table('legal_identity')
