"""indexes the public registration counts from: confirmed places, first choices, published slots

Revision ID: 20a0000a001
Revises: 19b0000a001
Create Date: 2026-12-06 03:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '20a0000a001'
down_revision = '19b0000a001'
branch_labels = None
depends_on = None

# Each new index begins with the column of the one it replaces, which it serves as well.
REPLACED = (
    ('registration', 'ix_registration_event_id', ['event_id'],
     'ix_registration_event_status', ['event_id', 'status']),
    ('workshop_choice', 'ix_workshop_choice_registration_id', ['registration_id'],
     'ix_workshop_choice_registration_rank', ['registration_id', 'rank', 'workshop_id']),
    ('assignment', 'ix_assignment_session_id', ['session_id'],
     'ix_assignment_session_published', ['session_id', 'published_workshop_id']),
)


def upgrade():
    for table, old, _, new, columns in REPLACED:
        op.create_index(new, table, columns)
        op.drop_index(old, table_name=table)


def downgrade():
    for table, old, old_columns, new, _ in REPLACED:
        op.create_index(old, table, old_columns)
        op.drop_index(new, table_name=table)
