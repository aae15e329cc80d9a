"""no-workshop notices: who a publication left without a workshop, told once

Revision ID: c15e0000b001
Revises: ae13000000a1
Create Date: 2026-12-05 13:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c15e0000b001'
down_revision = 'ae13000000a1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'no_workshop_notice',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('published_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['registration_id'], ['registration.id'],
                                name=op.f('fk_no_workshop_notice_registration_id_registration'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['session_id'], ['programme_session.id'],
                                name=op.f('fk_no_workshop_notice_session_id_programme_session'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_no_workshop_notice')),
        sa.UniqueConstraint('registration_id', 'session_id',
                            name=op.f('uq_no_workshop_notice_registration_id_session_id')),
    )
    with op.batch_alter_table('no_workshop_notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_no_workshop_notice_registration_id'),
                              ['registration_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_no_workshop_notice_session_id'),
                              ['session_id'], unique=False)


def downgrade():
    op.drop_table('no_workshop_notice')
