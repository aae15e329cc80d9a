"""The institute's privacy settings, shown in every privacy notice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..util.clock import utcnow


class PrivacySettings(db.Model):
    """One row per installation (one institute): who answers for the data and how to
    reach them. Empty fields fall back to the event's host and contact address."""

    __tablename__ = "privacy_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    controller: Mapped[str] = mapped_column(String(300), default="")
    address: Mapped[str] = mapped_column(String(500), default="")
    dpo_contact: Mapped[str] = mapped_column(String(254), default="", info={"personal": True})
    extra: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(300), info={"personal": True})
