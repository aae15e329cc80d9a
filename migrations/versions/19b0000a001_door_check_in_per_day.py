"""door check-in per day of the event

Revision ID: 19b0000a001
Revises: 18a0000a001
Create Date: 2026-12-05 23:50:00.000000

"""
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '19b0000a001'
down_revision = '18a0000a001'
branch_labels = None
depends_on = None


def upgrade():
    door = op.create_table(
        'door_check_in',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('by', sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(['registration_id'], ['registration.id'],
                                name=op.f('fk_door_check_in_registration_id_registration'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_door_check_in')),
        sa.UniqueConstraint('registration_id', 'day', name='uq_door_check_in_day'),
    )
    _backfill(door)


def _backfill(door):
    """One record per registration checked in: its day is the date of ``checked_in_at``
    (naive UTC) where the event takes place, held within the event's dates as the desk
    does (a check-in made while trying the desk out the evening before counts for the
    first day), so that a single-day event counts everyone as before."""
    rows = op.get_bind().execute(sa.text(
        "SELECT registration.id, registration.checked_in_at, registration.checked_in_by,"
        " event.timezone, event.starts_on, event.ends_on FROM registration"
        " JOIN event ON event.id = registration.event_id"
        " WHERE registration.checked_in_at IS NOT NULL")).all()
    records = []
    for registration_id, at, by, zone, starts_on, ends_on in rows:
        at, starts_on, ends_on = _datetime(at), _date(starts_on), _date(ends_on)
        local = at.replace(tzinfo=timezone.utc).astimezone(ZoneInfo(zone or "Europe/Paris"))
        day = min(max(local.date(), starts_on), ends_on)
        records.append({"registration_id": registration_id, "day": day, "at": at, "by": by})
    if records:
        op.bulk_insert(door, records)


def _datetime(value):
    # SQLite hands back text through a plain SELECT.
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _date(value):
    return date.fromisoformat(value) if isinstance(value, str) else value


def downgrade():
    op.drop_table('door_check_in')
