"""The clock: now in UTC as the database stores it, and today where an event takes place."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    """Naive UTC timestamp, stored the same way on SQLite and PostgreSQL."""
    return datetime.now(UTC).replace(tzinfo=None)


def today_in(timezone: str = "Europe/Paris") -> date:
    """Today's date in ``timezone`` (an event's), around midnight, not always the server's."""
    return datetime.now(ZoneInfo(timezone)).date()
