"""The audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..util.clock import utcnow


class AuditEntry(db.Model):
    """One access to personal data: who, when, what, how many rows.

    ``actor`` is a readable description kept even if the account or link goes
    (« organisateur orga@exemple.fr », « animateur·rice Claire Martin (lien n° 3) »).
    ``action`` is a short code (see :data:`journee.audit.log.ACTION_LABELS`).
    """

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"),
                                                 index=True)
    actor: Mapped[str] = mapped_column(String(300), info={"personal": True})
    action: Mapped[str] = mapped_column(String(60))
    target: Mapped[str] = mapped_column(String(300), default="", info={"personal": True})
    workshop_id: Mapped[int | None] = mapped_column(
        ForeignKey("workshop.id", ondelete="SET NULL"))
    facilitator_link_id: Mapped[int | None] = mapped_column(
        ForeignKey("facilitator_link.id", ondelete="SET NULL"))
    rows: Mapped[int | None]
