"""The outbox: every e-mail is stored first, then sent, and retried until it goes."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import db
from .models_base import utcnow


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"


class OutboxMessage(db.Model):
    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(40))
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    message: Mapped[bytes] = mapped_column(LargeBinary)
    """The complete MIME message, ready to send."""
    status: Mapped[OutboxStatus] = mapped_column(
        db.Enum(OutboxStatus, native_enum=False, length=20,
                values_callable=lambda e: [m.value for m in e]),
        default=OutboxStatus.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None]
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), index=True)
