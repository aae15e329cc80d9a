"""programme: changes of times and rooms, and the notices sent about them

Revision ID: c15e0000f001
Revises: c15e0000e001
Create Date: 2026-12-05 14:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c15e0000f001'
down_revision = 'c15e0000e001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'programme_change',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('opened_at', sa.DateTime(), nullable=False),
        sa.Column('closed_at', sa.DateTime(), nullable=True),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['event_id'], ['event.id'],
                                name=op.f('fk_programme_change_event_id_event'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_change')),
    )
    with op.batch_alter_table('programme_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_change_event_id'), ['event_id'],
                              unique=False)

    op.create_table(
        'programme_change_item',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('change_id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('workshop_id', sa.Integer(), nullable=True),
        sa.Column('old_starts_at', sa.DateTime(), nullable=False),
        sa.Column('old_ends_at', sa.DateTime(), nullable=True),
        sa.Column('old_room_id', sa.Integer(), nullable=True),
        sa.Column('old_room_name', sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(['change_id'], ['programme_change.id'],
                                name=op.f('fk_programme_change_item_change_id_programme_change'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['session_id'], ['programme_session.id'],
                                name=op.f('fk_programme_change_item_session_id_programme_session'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'],
                                name=op.f('fk_programme_change_item_workshop_id_workshop'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_change_item')),
    )
    with op.batch_alter_table('programme_change_item', schema=None) as batch_op:
        for column in ('change_id', 'session_id', 'workshop_id'):
            batch_op.create_index(batch_op.f(f'ix_programme_change_item_{column}'), [column],
                                  unique=False)

    op.create_table(
        'programme_change_notice',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=False),
        sa.Column('change_id', sa.Integer(), nullable=False),
        sa.Column('queued_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['change_id'], ['programme_change.id'],
                                name=op.f('fk_programme_change_notice_change_id_programme_change'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['registration_id'], ['registration.id'],
                                name=op.f('fk_programme_change_notice_registration_id_registration'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_change_notice')),
        sa.UniqueConstraint('registration_id', 'change_id',
                            name=op.f('uq_programme_change_notice_registration_id_change_id')),
    )
    with op.batch_alter_table('programme_change_notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_change_notice_change_id'),
                              ['change_id'], unique=False)


def downgrade():
    op.drop_table('programme_change_notice')
    op.drop_table('programme_change_item')
    op.drop_table('programme_change')
