"""outbox messages tied to the facilitator link they carry

The facilitator-links page shows the state of each link's last e-mail (sent, pending,
failed with its reason). Messages queued before this revision stay untied: the page
falls back to the link's own ``sent_at`` for them.

Revision ID: c0ffee120011
Revises: f1e2b3c4d5f6
Create Date: 2026-12-15 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c0ffee120011'
down_revision = 'f1e2b3c4d5f6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('facilitator_link_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_message_facilitator_link_id'),
                              ['facilitator_link_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_outbox_message_facilitator_link_id_facilitator_link'),
            'facilitator_link', ['facilitator_link_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_outbox_message_facilitator_link_id_facilitator_link'),
            type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_outbox_message_facilitator_link_id'))
        batch_op.drop_column('facilitator_link_id')
