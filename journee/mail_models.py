"""The outbox: every e-mail is stored first, then sent, and retried until it goes."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import db
from .models_base import str_enum
from .util.clock import utcnow


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    SKIPPED = "skipped"
    FAILED = "failed"
    """The message could not be written (a template, its calendar, a header): trying
    again would fail the same way, so it is left for the organiser to see."""


class OutboxMessage(db.Model):
    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(40))
    to_address: Mapped[str] = mapped_column(String(254), info={"personal": True})
    subject: Mapped[str] = mapped_column(String(300), info={"personal": True})
    message: Mapped[bytes | None] = mapped_column(LargeBinary, info={"personal": True})
    """The complete MIME message, ready to send; ``None`` until the sender writes it
    (see :func:`journee.mail.queue_to_compose`), when it could not be written, and once
    the retention purge has dropped the body of a message sent a while ago."""
    status: Mapped[OutboxStatus] = mapped_column(
        str_enum(OutboxStatus),
        default=OutboxStatus.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_until: Mapped[datetime | None]
    """A deliverer is writing or sending the message until then: another one (a second
    worker, ``journee send-mail``) leaves it alone. Past it, the deliverer is taken for
    dead and the message is tried again."""
    last_error: Mapped[str | None] = mapped_column(Text, info={"personal": True})
    sent_at: Mapped[datetime | None]
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    facilitator_link_id: Mapped[int | None] = mapped_column(
        ForeignKey("facilitator_link.id", ondelete="SET NULL"), index=True)
    """The facilitator link the message carries, for the state shown next to the link.
    A message with no registration goes after ``MAIL_LOG_RETENTION_DAYS`` (see
    :mod:`journee.mail_personal_data`), with or without its link."""
    not_before: Mapped[datetime | None]
    """Not sent before then: an organiser's message to many people leaves at the pace
    of ``MESSAGES_PER_MINUTE`` (see :mod:`journee.messages`)."""
    mailing_id: Mapped[int | None] = mapped_column(
        ForeignKey("mailing.id", ondelete="SET NULL"), index=True)
    """The organiser's message this e-mail carries to one of its recipients."""
    kept_copy = None
    """Not stored: ``(message, copy to keep once sent)`` when the composer made the copy
    with the message (see :func:`journee.mail.keep_copy`)."""
