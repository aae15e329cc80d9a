"""The assignment runs that placed people in workshops, and their publication (the
placements themselves are :class:`journee.registration.models.Assignment`)."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..util.clock import utcnow


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
    created_by: Mapped[str | None] = mapped_column(String(200), info={"personal": True})

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
    published_by: Mapped[str | None] = mapped_column(String(200), info={"personal": True})
    notices: Mapped[int] = mapped_column(default=0)
