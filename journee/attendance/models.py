"""Presence: at the door, one record per person and day of the event; signed per
half-day, a participant's or a facilitator's signature, or a presence attested by staff
for someone who cannot sign."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..util.clock import utcnow


class HalfDaySignature(db.Model):
    """One person's presence for one half-day of an event, signed or attested.

    The half-day is kept under :attr:`HalfDay.key <journee.attendance.services.signin.
    HalfDay.key>` (its day at 0 h for the morning, 13 h for the afternoon), so that moving
    a session leaves the signatures with their half-day. Exactly one of
    ``registration_id`` (a participant) and ``person_id`` (a facilitator of the
    programme) is set, and either the PNG ``image`` or ``attested_by`` with its reason.
    The partial unique indexes make a second signature, even sent twice at once, fail.
    """

    __tablename__ = "half_day_signature"
    __table_args__ = (
        CheckConstraint("(registration_id IS NULL) <> (person_id IS NULL)",
                        name="one_signer"),
        CheckConstraint("(image IS NULL) <> (attested_by IS NULL)", name="signed_or_attested"),
        Index("uq_half_day_signature_registration", "registration_id", "half_day_start",
              unique=True),
        Index("uq_half_day_signature_person", "event_id", "person_id", "half_day_start",
              unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"),
                                          index=True)
    half_day_start: Mapped[datetime]
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    image: Mapped[bytes | None] = mapped_column(LargeBinary, info={"personal": True})
    print_image: Mapped[bytes | None] = mapped_column(LargeBinary, info={"personal": True})
    """The image as the signed sheet prints it, prepared once when signed
    (:class:`~journee.documents.signin_pdf.PreparedSignature`)."""
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)
    collected_by: Mapped[str] = mapped_column(String(200), info={"personal": True})
    attested_by: Mapped[str | None] = mapped_column(String(200), info={"personal": True})
    reason: Mapped[str | None] = mapped_column(String(300), info={"personal": True})
    attested_late: Mapped[bool] = mapped_column(default=False, server_default=false())
    """Attested by an organiser after the fact (not at the desk during the half-day):
    stored when written, so that a later change of the tolerance or of the programme
    never relabels it on the signed sheet."""

    @property
    def is_attested(self) -> bool:
        return self.image is None


class DoorCheckIn(db.Model):
    """A person marked present at the door on one day of the event (the event's local
    date). :attr:`Registration.checked_in_at <journee.registration.models.Registration.
    checked_in_at>` keeps the first of them (« came at least once »), which badges,
    surveys, messages and exports read; :mod:`.services.presence` keeps both in step. The
    unique constraint makes a second record for the same day, even sent twice at once,
    fail."""

    __tablename__ = "door_check_in"
    __table_args__ = (UniqueConstraint("registration_id", "day", name="uq_door_check_in_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"))
    day: Mapped[date]
    at: Mapped[datetime] = mapped_column(default=utcnow)
    by: Mapped[str | None] = mapped_column(String(200), info={"personal": True})
