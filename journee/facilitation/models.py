"""Facilitators' personal links."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..programme.models import Event, Person
from ..secret_links import SecretLinked
from ..util.clock import utcnow


class FacilitatorLink(SecretLinked, db.Model):
    """A person's secret link to their workshops of one event.

    Regenerating revokes the old link and creates a new one, so a forwarded or leaked link
    stops working. The token is derived, never stored (see :mod:`journee.secret_links`).
    """

    __tablename__ = "facilitator_link"
    link_purpose = "facilitator"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"),
                                          index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"),
                                           index=True)
    token_nonce: Mapped[str | None] = mapped_column(String(32))
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(200), info={"personal": True})
    sent_at: Mapped[datetime | None]
    """When an e-mail carrying the link was last queued; one that could not be written
    leaves it unchanged (the outbox row tied to the link says what became of it)."""
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    event: Mapped[Event] = relationship()
    person: Mapped[Person] = relationship()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
