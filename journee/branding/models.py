"""The institute's look: one row per installation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..util.clock import utcnow


class Branding(db.Model):
    """Name, logo and accent colour of the institute; empty values keep Journée's own."""

    __tablename__ = "branding"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    accent: Mapped[str] = mapped_column(String(7), default="")
    # Deferred: every page reads the row, only the logo's own URL and documents read this.
    logo: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    logo_type: Mapped[str | None] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class LegalIdentity(db.Model):
    """The organisation as the completion certificates name it: legal name, address,
    SIRET, activity declaration number (NDA) and its legal representative. One row per
    installation, set by an administrator."""

    __tablename__ = "legal_identity"

    id: Mapped[int] = mapped_column(primary_key=True)
    legal_name: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(500), default="")
    siret: Mapped[str] = mapped_column(String(14), default="")
    nda: Mapped[str] = mapped_column(String(11), default="")
    nda_region: Mapped[str] = mapped_column(String(100), default="")
    representative_name: Mapped[str] = mapped_column(String(200), default="",
                                                     info={"personal": True})
    representative_role: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
