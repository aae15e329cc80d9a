"""people directory per event: who created a person, who may create events

Revision ID: b1e2b3c4d5f6
Revises: a1e2b3c4d5f6
Create Date: 2026-12-08 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b1e2b3c4d5f6'
down_revision = 'a1e2b3c4d5f6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('created_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_person_created_by_id_user_account'),
                                    'user_account', ['created_by_id'], ['id'],
                                    ondelete='SET NULL')

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('may_create_events', sa.Boolean(),
                                      server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('may_create_events')

    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_person_created_by_id_user_account'),
                                 type_='foreignkey')
        batch_op.drop_column('created_by_id')
