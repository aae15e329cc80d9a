"""registration: each event's own texts of the automatic e-mails

Revision ID: c15e0000d002
Revises: c15e0000d001
Create Date: 2026-12-05 15:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c15e0000d002'
down_revision = 'c15e0000d001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('email_text',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_email_text_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_email_text')),
    sa.UniqueConstraint('event_id', 'kind', name=op.f('uq_email_text_event_id_kind'))
    )


def downgrade():
    op.drop_table('email_text')
