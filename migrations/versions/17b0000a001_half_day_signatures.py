"""signed presence per half-day, and the tolerance of its time window

Revision ID: 17b0000a001
Revises: 17d0000a001
Create Date: 2026-12-05 17:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '17b0000a001'
down_revision = '17d0000a001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('half_day_signature',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('half_day_start', sa.DateTime(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('image', sa.LargeBinary(), nullable=True),
    sa.Column('print_image', sa.LargeBinary(), nullable=True),
    sa.Column('signed_at', sa.DateTime(), nullable=False),
    sa.Column('collected_by', sa.String(length=200), nullable=False),
    sa.Column('attested_by', sa.String(length=200), nullable=True),
    sa.Column('reason', sa.String(length=300), nullable=True),
    sa.CheckConstraint('(registration_id IS NULL) <> (person_id IS NULL)', name=op.f('ck_half_day_signature_one_signer')),
    sa.CheckConstraint('(image IS NULL) <> (attested_by IS NULL)', name=op.f('ck_half_day_signature_signed_or_attested')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_half_day_signature_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_half_day_signature_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], name=op.f('fk_half_day_signature_registration_id_registration'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_half_day_signature'))
    )
    with op.batch_alter_table('half_day_signature', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_half_day_signature_event_id'), ['event_id'], unique=False)
        batch_op.create_index('uq_half_day_signature_person', ['event_id', 'person_id', 'half_day_start'], unique=True)
        batch_op.create_index('uq_half_day_signature_registration', ['registration_id', 'half_day_start'], unique=True)

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signin_tolerance_minutes', sa.Integer(), server_default='30', nullable=False))


def downgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('signin_tolerance_minutes')

    with op.batch_alter_table('half_day_signature', schema=None) as batch_op:
        batch_op.drop_index('uq_half_day_signature_registration')
        batch_op.drop_index('uq_half_day_signature_person')
        batch_op.drop_index(batch_op.f('ix_half_day_signature_event_id'))

    op.drop_table('half_day_signature')
