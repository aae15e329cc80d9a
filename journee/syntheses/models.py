"""Workshop syntheses and the day's overall synthesis."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import str_enum
from ..programme.models import Event, Workshop
from ..util.clock import utcnow


class SynthesisStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    PUBLISHED = "published"


SYNTHESIS_STATUS_LABELS = {
    SynthesisStatus.DRAFT: "Brouillon",
    SynthesisStatus.SUBMITTED: "Remise aux organisateurs",
    SynthesisStatus.PUBLISHED: "Publiée",
}


class WorkshopSynthesis(db.Model):
    """A workshop's written synthesis; the free text is Markdown, rendered sanitised."""

    __tablename__ = "workshop_synthesis"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"),
                                             unique=True)
    key_points: Mapped[str] = mapped_column(Text, default="")
    questions: Mapped[str] = mapped_column(Text, default="")
    proposals: Mapped[str] = mapped_column(Text, default="")
    free_text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[SynthesisStatus] = mapped_column(str_enum(SynthesisStatus),
                                                    default=SynthesisStatus.DRAFT)
    submitted_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(300), info={"personal": True})

    workshop: Mapped[Workshop] = relationship()

    @property
    def status_label(self) -> str:
        return SYNTHESIS_STATUS_LABELS[self.status]


class DaySynthesis(db.Model):
    """The day's overall synthesis (the « restitution » or a « grand témoin » report) and
    its reading list (« Pour aller plus loin »), both Markdown."""

    __tablename__ = "day_synthesis"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"),
                                          unique=True)
    title: Mapped[str] = mapped_column(String(300), default="Restitution des ateliers")
    authors: Mapped[str] = mapped_column(String(500), default="", info={"personal": True})
    body: Mapped[str] = mapped_column(Text, default="")
    reading_list: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(300), info={"personal": True})

    event: Mapped[Event] = relationship()
