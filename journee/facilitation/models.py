"""Facilitators' personal links."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import new_token, utcnow
from ..programme.models import Event, Person


def token_digest(token: str) -> str:
    """What the database is searched by, so a lookup's timing says nothing of the secret."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class FacilitatorLink(db.Model):
    """A person's secret link to their workshops of one event.

    Regenerating revokes the old link and creates a new one, so a forwarded or leaked link
    stops working. The token is kept so the organiser can send it again.
    """

    __tablename__ = "facilitator_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"),
                                          index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"),
                                           index=True)
    token: Mapped[str] = mapped_column(String(64), default=new_token)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(200))
    sent_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    event: Mapped[Event] = relationship()
    person: Mapped[Person] = relationship()

    def __init__(self, **kwargs):
        kwargs.setdefault("token", new_token())
        kwargs.setdefault("token_digest", token_digest(kwargs["token"]))
        super().__init__(**kwargs)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
