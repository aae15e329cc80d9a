"""workshop waiting lists: after publication, people without a workshop wait for a place

Revision ID: c15e0000e001
Revises: c15e0000d002
Create Date: 2026-12-05 14:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c15e0000e001'
down_revision = 'c15e0000d002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'workshop_waitlist_entry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('workshop_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['registration_id'], ['registration.id'],
                                name=op.f('fk_workshop_waitlist_entry_registration_id_registration'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['session_id'], ['programme_session.id'],
                                name=op.f('fk_workshop_waitlist_entry_session_id_programme_session'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'],
                                name=op.f('fk_workshop_waitlist_entry_workshop_id_workshop'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_waitlist_entry')),
        sa.UniqueConstraint('registration_id', 'session_id',
                            name=op.f('uq_workshop_waitlist_entry_registration_id_session_id')),
    )
    with op.batch_alter_table('workshop_waitlist_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_waitlist_entry_registration_id'),
                              ['registration_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_workshop_waitlist_entry_workshop_id'),
                              ['workshop_id'], unique=False)


def downgrade():
    op.drop_table('workshop_waitlist_entry')
