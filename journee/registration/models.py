"""Attendees' registrations and their ranked workshop choices."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import new_badge_code, str_enum
from ..programme.models import Event, Session, Workshop
from ..secret_links import SecretLinked
from ..util.clock import utcnow


class RegistrationStatus(enum.StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


STATUS_LABELS = {
    RegistrationStatus.CONFIRMED: "Confirmée",
    RegistrationStatus.WAITLISTED: "Liste d’attente",
    RegistrationStatus.CANCELLED: "Annulée",
}


class Profile(enum.StrEnum):
    STUDENT = "student"
    PROFESSIONAL = "professional"
    TRAINER = "trainer"
    RESEARCHER = "researcher"
    MANAGER = "manager"
    INSTITUTIONAL = "institutional"
    SUPPORTED_PERSON = "supported_person"
    OTHER = "other"


PROFILE_LABELS = {
    Profile.STUDENT: "Étudiant·e",
    Profile.PROFESSIONAL: "Professionnel·le",
    Profile.TRAINER: "Formateur·rice",
    Profile.RESEARCHER: "Chercheur·e",
    Profile.MANAGER: "Cadre",
    Profile.INSTITUTIONAL: "Acteur·rice institutionnel·le",
    Profile.SUPPORTED_PERSON: "Personne accompagnée",
    Profile.OTHER: "Autre",
}

COURSES = ("ES", "AS", "ME", "EJE", "TISF", "CESF", "ETS", "DEIS", "CAFERUIS", "Autre")


class Source(enum.StrEnum):
    ONLINE = "online"
    STAFF = "staff"
    IMPORT = "import"
    ON_SITE = "on_site"


SOURCE_LABELS = {Source.ONLINE: "En ligne", Source.STAFF: "Saisie par l’équipe",
                 Source.IMPORT: "Import", Source.ON_SITE: "Sur place"}


class Registration(SecretLinked, db.Model):
    __tablename__ = "registration"
    link_purpose = "registration"
    __table_args__ = (
        # A double click or a second try with the same address cannot create a duplicate.
        UniqueConstraint("event_id", "email"),
        CheckConstraint("course_year IS NULL OR course_year BETWEEN 1 AND 6",
                        name="course_year_range"),
        # The day's places are counted from this index alone (see services.places_left).
        Index("ix_registration_event_status", "event_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    # The self-service link /r/<token> (see journee.secret_links); an anonymised
    # registration has none.
    token_nonce: Mapped[str | None] = mapped_column(String(32))
    token_digest: Mapped[str | None] = mapped_column(String(64), unique=True)
    status: Mapped[RegistrationStatus] = mapped_column(str_enum(RegistrationStatus), index=True)
    first_name: Mapped[str] = mapped_column(String(100), info={"personal": True})
    last_name: Mapped[str] = mapped_column(String(100), info={"personal": True})
    email: Mapped[str | None] = mapped_column(String(254), info={"personal": True})
    phone: Mapped[str | None] = mapped_column(String(40), info={"personal": True})
    organisation: Mapped[str] = mapped_column(String(200), default="", info={"personal": True})
    function: Mapped[str] = mapped_column(String(200), default="", info={"personal": True})
    profile: Mapped[Profile] = mapped_column(str_enum(Profile))
    course: Mapped[str | None] = mapped_column(String(20))
    course_year: Mapped[int | None]
    sector: Mapped[str] = mapped_column(String(120), default="", info={"personal": True})
    lunch: Mapped[bool | None]
    accommodation_needed: Mapped[bool] = mapped_column(default=False, info={"personal": True})
    accommodation_details: Mapped[str | None] = mapped_column(Text, info={"personal": True})
    accommodation_consent_at: Mapped[datetime | None] = mapped_column(info={"personal": True})
    """When the person agreed that their need (health data) goes to the organisers and the
    disability referent; no need is kept without it."""
    privacy_acknowledged_at: Mapped[datetime | None]
    privacy_version: Mapped[str] = mapped_column(String(40), default="")
    consent_photos: Mapped[bool] = mapped_column(default=False)
    consent_future_events: Mapped[bool] = mapped_column(default=False)
    source: Mapped[Source] = mapped_column(str_enum(Source), default=Source.ONLINE)
    entered_by: Mapped[str | None] = mapped_column(String(200), info={"personal": True})
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    cancelled_at: Mapped[datetime | None]
    checked_in_at: Mapped[datetime | None]
    checked_in_by: Mapped[str | None] = mapped_column(String(200), info={"personal": True})
    # What the badge's QR code carries: unlike ``token`` it opens nothing for the attendee,
    # only the staff check-in page; old rows get one when their badge is first printed.
    badge_code: Mapped[str | None] = mapped_column(String(32), unique=True,
                                                   default=new_badge_code)
    badge_printed_at: Mapped[datetime | None]
    certificate_sent_at: Mapped[datetime | None]
    completion_certificate_sent_at: Mapped[datetime | None]
    anonymised_at: Mapped[datetime | None]
    # Added to the SEQUENCE of every VEVENT of the calendars sent to this person, and
    # raised with each update sent after the first (see :mod:`.calendar`): their calendar
    # app then replaces the events it has rather than ignoring the update.
    calendar_sequence: Mapped[int] = mapped_column(default=0, server_default="0")

    event: Mapped[Event] = relationship()
    choices: Mapped[list[WorkshopChoice]] = relationship(
        back_populates="registration", cascade="all, delete-orphan",
        order_by="(WorkshopChoice.session_id, WorkshopChoice.rank)")

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def profile_label(self) -> str:
        return PROFILE_LABELS[self.profile]


class WorkshopChoice(db.Model):
    """A workshop an attendee ranked in one workshop slot (rank 1 is their first choice)."""

    __tablename__ = "workshop_choice"
    __table_args__ = (
        UniqueConstraint("registration_id", "workshop_id"),
        UniqueConstraint("registration_id", "session_id", "rank"),
        CheckConstraint("rank >= 1", name="rank_positive"),
        # First choices are counted from this index alone (workshop_first_choices).
        Index("ix_workshop_choice_registration_rank", "registration_id", "rank",
              "workshop_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(
        ForeignKey("programme_session.id", ondelete="CASCADE"))
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"),
                                             index=True)
    rank: Mapped[int]

    registration: Mapped[Registration] = relationship(back_populates="choices")
    session: Mapped[Session] = relationship()
    workshop: Mapped[Workshop] = relationship()


class AssignmentSource(enum.StrEnum):
    SOLVER = "solver"
    ORGANISER = "organiser"
    PRE_ASSIGNED = "pre-assigned"
    CHOSEN_LATE = "chosen-late"
    """Taken by the person themself, in a workshop left with room after publication."""
    WORKSHOP_WAITLIST = "workshop-waitlist"
    """A place freed after publication, given to the first one waiting for it."""


ASSIGNMENT_SOURCE_LABELS = {
    AssignmentSource.SOLVER: "Répartition automatique",
    AssignmentSource.ORGANISER: "Placé·e à la main",
    AssignmentSource.PRE_ASSIGNED: "Placé·e d’avance",
    AssignmentSource.CHOSEN_LATE: "Atelier choisi après publication",
    AssignmentSource.WORKSHOP_WAITLIST: "Place libérée, depuis la liste d’attente",
}


class Assignment(db.Model):
    """A registration placed in one workshop of one workshops slot: like its workshop
    choices, part of the registration; the workshops package computes and publishes it.

    ``published_workshop_id`` is the workshop last e-mailed to the attendee (and the one
    their page shows): publishing again only writes to those whose workshop changed.
    """

    __tablename__ = "assignment"
    __table_args__ = (
        UniqueConstraint("registration_id", "session_id"),
        # Whether a slot is published is one look-up here (services.published_slots).
        Index("ix_assignment_session_published", "session_id", "published_workshop_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("programme_session.id", ondelete="CASCADE"))
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
        return ASSIGNMENT_SOURCE_LABELS[self.source]


class NoWorkshopNotice(db.Model):
    """A confirmed registration that a publication left without a workshop in a slot.

    The publication e-mails them once; publishing again writes to them only if they had
    a workshop in between (the row goes when a workshop is published to them). Their
    page says they have none.
    """

    __tablename__ = "no_workshop_notice"
    __table_args__ = (UniqueConstraint("registration_id", "session_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("programme_session.id", ondelete="CASCADE"), index=True)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)


class WorkshopWaitlistEntry(db.Model):
    """Someone without a workshop in a published slot, waiting for a place in one of its
    full workshops (one per slot): the place freed there goes to whoever waits longest
    (see :mod:`.after_publication`)."""

    __tablename__ = "workshop_waitlist_entry"
    __table_args__ = (UniqueConstraint("registration_id", "session_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("programme_session.id", ondelete="CASCADE"))
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"),
                                             index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReminderSent(db.Model):
    """A reminder queued for a registration, *days_before* the event: its unique key is
    what makes each reminder leave once, whoever runs the job and however often."""

    __tablename__ = "reminder_sent"
    __table_args__ = (UniqueConstraint("registration_id", "days_before"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"))
    days_before: Mapped[int]
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)


class EmailText(db.Model):
    """An event's own text for one automatic e-mail (see
    :mod:`journee.registration.email_texts`): its subject and the free part of its
    body, with placeholders. Without a row, the default text is sent."""

    __tablename__ = "email_text"
    __table_args__ = (UniqueConstraint("event_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ProgrammeChangeNotice(db.Model):
    """A notice of a programme change queued for a registration: its unique key makes
    each one leave once, whoever runs the job (see :mod:`.programme_notices`)."""

    __tablename__ = "programme_change_notice"
    __table_args__ = (UniqueConstraint("registration_id", "change_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"))
    change_id: Mapped[int] = mapped_column(
        ForeignKey("programme_change.id", ondelete="CASCADE"), index=True)
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
