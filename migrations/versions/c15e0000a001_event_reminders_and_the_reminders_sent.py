"""event reminders: the days before the event, and the reminders queued (once each)

Revision ID: c15e0000a001
Revises: c15e0000b001
Create Date: 2026-12-05 13:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c15e0000a001'
down_revision = 'c15e0000b001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminder_days', sa.String(length=20),
                                      server_default='7,1', nullable=False))
    op.create_table(
        'reminder_sent',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=False),
        sa.Column('days_before', sa.Integer(), nullable=False),
        sa.Column('queued_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['registration_id'], ['registration.id'],
                                name=op.f('fk_reminder_sent_registration_id_registration'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_sent')),
        sa.UniqueConstraint('registration_id', 'days_before',
                            name=op.f('uq_reminder_sent_registration_id_days_before')),
    )


def downgrade():
    op.drop_table('reminder_sent')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('reminder_days')
