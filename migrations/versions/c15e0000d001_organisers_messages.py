"""messages: the organisers' messages, their pace in the outbox, and the opt-outs

Revision ID: c15e0000d001
Revises: c15e0000c001
Create Date: 2026-12-05 14:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c15e0000d001'
down_revision = 'c15e0000c001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mailing',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('audience', sa.String(length=500), nullable=False),
    sa.Column('recipient_count', sa.Integer(), nullable=False),
    sa.Column('opted_out_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_mailing_author_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_mailing_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mailing'))
    )
    with op.batch_alter_table('mailing', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mailing_event_id'), ['event_id'], unique=False)

    op.create_table('message_opt_out',
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], name=op.f('fk_message_opt_out_registration_id_registration'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('registration_id', name=op.f('pk_message_opt_out'))
    )

    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('not_before', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('mailing_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_message_mailing_id'), ['mailing_id'],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_outbox_message_mailing_id_mailing'),
                                    'mailing', ['mailing_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outbox_message_mailing_id_mailing'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_outbox_message_mailing_id'))
        batch_op.drop_column('mailing_id')
        batch_op.drop_column('not_before')
    op.drop_table('message_opt_out')
    with op.batch_alter_table('mailing', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mailing_event_id'))
    op.drop_table('mailing')
