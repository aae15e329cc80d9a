"""Who is in which workshop: assignments, the runs that produced them, their publication."""

from __future__ import annotations

import enum
import json
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import str_enum, utcnow
from ..programme.models import Session, Workshop
from ..registration.models import Registration


class AssignmentSource(enum.StrEnum):
    SOLVER = "solver"
    ORGANISER = "organiser"
    PRE_ASSIGNED = "pre-assigned"


SOURCE_LABELS = {
    AssignmentSource.SOLVER: "Répartition automatique",
    AssignmentSource.ORGANISER: "Placé·e à la main",
    AssignmentSource.PRE_ASSIGNED: "Placé·e d’avance",
}


class Assignment(db.Model):
    """A registration placed in one workshop of one workshops slot.

    ``published_workshop_id`` is the workshop last e-mailed to the attendee (and the one
    their page shows): publishing again only writes to those whose workshop changed.
    """

    __tablename__ = "assignment"
    __table_args__ = (UniqueConstraint("registration_id", "session_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("programme_session.id", ondelete="CASCADE"), index=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"),
                                             index=True)
    source: Mapped[AssignmentSource] = mapped_column(
        str_enum(AssignmentSource))
    locked: Mapped[bool] = mapped_column(default=False, server_default=false())
    flagged_free: Mapped[bool] = mapped_column(default=False, server_default=false())
    rank: Mapped[int | None]
    published_workshop_id: Mapped[int | None] = mapped_column(
        ForeignKey("workshop.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    registration: Mapped[Registration] = relationship()
    session: Mapped[Session] = relationship()
    workshop: Mapped[Workshop] = relationship(foreign_keys=[workshop_id])
    published_workshop: Mapped[Workshop | None] = relationship(
        foreign_keys=[published_workshop_id])

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS[self.source]


class AssignmentRun(db.Model):
    """One run of the solver on a slot: what it was asked and how well it did.

    ``options`` and ``report`` are JSON (the form's values and
    :class:`journee.workshops.assignment.Report` as a dict).
    """

    __tablename__ = "assignment_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("programme_session.id", ondelete="CASCADE"), index=True)
    seed: Mapped[int] = mapped_column(BigInteger)
    options: Mapped[str] = mapped_column(Text)
    report: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(200))

    @property
    def whole_day(self) -> bool:
        """All the day's workshop slots were placed together in this run (a fact of the
        run, kept in its options' record)."""
        return bool(json.loads(self.options).get("whole_day"))


class AssignmentPublication(db.Model):
    """One publication of a slot's assignment; the slot is published once it has one."""

    __tablename__ = "assignment_publication"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("programme_session.id", ondelete="CASCADE"), index=True)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by: Mapped[str | None] = mapped_column(String(200))
    notices: Mapped[int] = mapped_column(default=0)
