"""The organisers' messages to the people registered for their event, and who asked to
receive no more of them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..extensions import db
from ..util.clock import utcnow


class Mailing(db.Model):
    """A message written by an organiser and queued to a set of registrations, one
    outbox row each (``OutboxMessage.mailing_id``); its placeholders are filled for
    each person when their e-mail is written."""

    __tablename__ = "mailing"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"),
                                          index=True)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    audience: Mapped[str] = mapped_column(String(500), default="")
    """The recipients chosen, in words (« Confirmé·es ; atelier n° 3 »)."""
    recipient_count: Mapped[int] = mapped_column(default=0)
    opted_out_count: Mapped[int] = mapped_column(default=0)
    """People of the chosen set left out because they asked for no more messages."""

    author: Mapped[User | None] = relationship()


class OptOut(db.Model):
    """A registration whose person asked for no more messages from the organisers (the
    link at the foot of each one, or their mail client's « se désabonner »). The e-mails
    about their registration itself still reach them."""

    __tablename__ = "message_opt_out"

    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
