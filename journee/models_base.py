"""Small helpers shared by the models of every feature."""

import enum
import secrets
import uuid

from sqlalchemy import Enum


def new_uid() -> str:
    return uuid.uuid4().hex


def new_badge_code() -> str:
    """A short random code for a badge's QR code (short keeps the code small to print)."""
    return secrets.token_urlsafe(12)


def str_enum(cls: type[enum.StrEnum], length: int = 20) -> Enum:
    """A column type storing an enum's values (not its names) as plain strings, the same
    on SQLite and PostgreSQL: adding a member needs no migration."""
    return Enum(cls, native_enum=False, length=length,
                values_callable=lambda members: [member.value for member in members])
