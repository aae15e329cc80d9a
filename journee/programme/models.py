"""The study day and its programme: events, rooms, people, sessions, workshops."""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import new_uid, str_enum
from ..util.clock import utcnow


class EventStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


EVENT_STATUS_LABELS = {
    EventStatus.DRAFT: "Brouillon",
    EventStatus.PUBLISHED: "Publiée",
    EventStatus.ARCHIVED: "Archivée",
}


class SessionKind(enum.StrEnum):
    WELCOME = "welcome"
    INTRODUCTION = "introduction"
    PLENARY = "plenary"
    WORKSHOPS = "workshops"
    BREAK = "break"
    LUNCH = "lunch"
    SYNTHESIS = "synthesis"
    ROUND_TABLE = "round_table"
    TALKS = "talks"
    TESTIMONY = "testimony"
    CLOSING = "closing"
    SOCIAL = "social"
    OTHER = "other"


SESSION_KIND_LABELS = {
    SessionKind.WELCOME: "Accueil",
    SessionKind.INTRODUCTION: "Introduction",
    SessionKind.PLENARY: "Conférence plénière",
    SessionKind.WORKSHOPS: "Ateliers",
    SessionKind.BREAK: "Pause",
    SessionKind.LUNCH: "Pause déjeuner",
    SessionKind.SYNTHESIS: "Restitution des ateliers",
    SessionKind.ROUND_TABLE: "Table ronde",
    SessionKind.TALKS: "Communications / Récits d’expériences",
    SessionKind.TESTIMONY: "Témoignages",
    SessionKind.CLOSING: "Clôture",
    SessionKind.SOCIAL: "Buffet / Cocktail",
    SessionKind.OTHER: "Autre",
}


class Role(enum.StrEnum):
    MODERATOR = "moderator"
    SPEAKER = "speaker"
    PANELIST = "panelist"
    WITNESS = "witness"
    RAPPORTEUR = "rapporteur"
    FACILITATOR = "facilitator"
    PRACTITIONER = "practitioner"
    TRAINER = "trainer"
    STUDENT_PRESENTER = "student_presenter"
    PRESENTER = "presenter"


ROLE_LABELS = {
    Role.MODERATOR: "Animateur·rice",
    Role.SPEAKER: "Conférencier·ère / Intervenant·e",
    Role.PANELIST: "Intervenant·e de table ronde",
    Role.WITNESS: "Grand témoin",
    Role.RAPPORTEUR: "Rapporteur·e",
    Role.FACILITATOR: "Animateur·rice d’atelier",
    Role.PRACTITIONER: "Praticien·ne (atelier)",
    Role.TRAINER: "Formateur·rice (atelier)",
    Role.STUDENT_PRESENTER: "Étudiant·e présentateur·rice",
    Role.PRESENTER: "Présentateur·rice",
}

SESSION_ROLES = (Role.MODERATOR, Role.SPEAKER, Role.PANELIST, Role.WITNESS, Role.RAPPORTEUR)
WORKSHOP_ROLES = (Role.PRACTITIONER, Role.TRAINER, Role.STUDENT_PRESENTER,
                  Role.RAPPORTEUR, Role.FACILITATOR)

SECTORS = (
    "Protection de l’enfance",
    "Handicap enfant",
    "Handicap adulte",
    "Personnes âgées",
    "Intervention socio-urbaine",
    "Exclusion et insertion",
    "Action socioculturelle",
    "Accès aux droits",
    "Autre",
)


def days_after(day: date, days: int) -> date:
    """*day* plus *days* (minus, when negative), held within the dates Python can
    represent: a date saved as 31 December 9999 must not break every page and purge that
    counts from it."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


MAX_REMINDERS = 3
MAX_REMINDER_DAYS = 60


def parse_reminder_days(text: str) -> list[int]:
    """« 7, 1 » → [7, 1], furthest first; raise :class:`ValueError` with a French message
    unless it is at most three numbers of days from 1 to 60."""
    parts = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
    if (len(parts) > MAX_REMINDERS or not all(part.isascii() and part.isdigit() for part in parts)
            or not all(1 <= int(part) <= MAX_REMINDER_DAYS for part in parts)):
        raise ValueError(
            f"Indiquez au plus {MAX_REMINDERS} nombres de jours entre 1 et "
            f"{MAX_REMINDER_DAYS}, séparés par des virgules (par exemple «\u00a07, 1\u00a0»).")
    return sorted({int(part) for part in parts}, reverse=True)


class ActionNature(enum.StrEnum):
    """The four natures of an « action concourant au développement des compétences »
    (Code du travail, art. L. 6313-1), as the completion certificate ticks one."""

    TRAINING = "training"
    SKILLS_ASSESSMENT = "skills_assessment"
    VAE = "vae"
    APPRENTICESHIP = "apprenticeship"


ACTION_NATURE_LABELS = {
    ActionNature.TRAINING: "action de formation",
    ActionNature.SKILLS_ASSESSMENT: "bilan de compétences",
    ActionNature.VAE: "action de VAE",
    ActionNature.APPRENTICESHIP: "action de formation par apprentissage",
}


ACCESSIBILITY_FEATURES = {
    "step_free": "Accès de plain-pied ou par ascenseur",
    "toilets": "Toilettes accessibles",
    "hearing_loop": "Boucle à induction magnétique",
    "sign_language": "Interprétation en langue des signes française (LSF) sur demande",
    "captioning": "Transcription écrite / vélotypie sur demande",
    "parking": "Places de stationnement réservées",
    "easy_read": "Documents en gros caractères ou en FALC (facile à lire et à comprendre) "
                 "sur demande",
    "assistance_dog": "Chien guide ou d’assistance accepté",
}
"""The common accessibility conditions of a venue an organiser ticks (code → label)."""

ACCESSIBILITY_FIELDS = ("accessibility_features", "accessibility_notes", "referent_name",
                        "referent_email", "referent_phone", "ask_accommodation")
"""The event's settings of its « Accessibilité » block."""


class WorkshopMode(enum.StrEnum):
    PREFERENCES = "preferences"
    FIRST_COME = "first_come"


class Event(db.Model):
    __tablename__ = "event"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="dates_ordered"),
        CheckConstraint("workshop_choices BETWEEN 1 AND 10", name="choices_range"),
    )
    # ``reminder_days`` is read when needed, not with every event nor returned by every
    # INSERT: code and tests that write events to a database a migration behind (see
    # tests/test_migrations.py) keep working.
    __mapper_args__ = {"eager_defaults": False}

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    edition: Mapped[str] = mapped_column(String(200), default="")
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Paris")
    venue_name: Mapped[str] = mapped_column(String(200), default="")
    venue_address: Mapped[str] = mapped_column(String(300), default="")
    venue_postcode: Mapped[str] = mapped_column(String(20), default="")
    venue_city: Mapped[str] = mapped_column(String(120), default="")
    venue_access: Mapped[str] = mapped_column(Text, default="")
    context: Mapped[str] = mapped_column(Text, default="")
    presentation: Mapped[str] = mapped_column(Text, default="")
    host_organisation: Mapped[str] = mapped_column(String(200), default="")
    partners: Mapped[str] = mapped_column(String(500), default="")
    audiences: Mapped[str] = mapped_column(String(500), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="",
                                               info={"personal": True})
    status: Mapped[EventStatus] = mapped_column(
        str_enum(EventStatus),
        default=EventStatus.DRAFT)
    registration_opens_on: Mapped[date | None]
    registration_deadline: Mapped[date | None]
    capacity: Mapped[int | None]
    waitlist_enabled: Mapped[bool] = mapped_column(default=True)
    workshop_mode: Mapped[WorkshopMode] = mapped_column(
        str_enum(WorkshopMode),
        default=WorkshopMode.PREFERENCES)
    workshop_choices: Mapped[int] = mapped_column(default=3)
    retention_days: Mapped[int] = mapped_column(default=90)
    accommodation_retention_days: Mapped[int] = mapped_column(default=7, server_default="7")
    reminder_days: Mapped[str] = mapped_column(String(20), server_default="7,1",
                                               deferred=True)
    """How many days before the event each reminder is sent, « 7,1 »; empty: none."""
    ask_lunch: Mapped[bool] = mapped_column(default=True, server_default=true())
    ask_accommodation: Mapped[bool] = mapped_column(default=False, server_default=false())
    ask_photo_consent: Mapped[bool] = mapped_column(default=False, server_default=false())
    ask_future_events: Mapped[bool] = mapped_column(default=True, server_default=true())
    facilitators_see_contact: Mapped[bool] = mapped_column(default=False,
                                                           server_default=false())
    # The « Accessibilité » settings load together, when a page shows them, and only
    # from the server's defaults on INSERT (see ``reminder_days``).
    accessibility_features: Mapped[str] = mapped_column(
        String(300), server_default="", deferred=True, deferred_group="accessibility")
    """The venue's accessibility conditions, codes of :data:`ACCESSIBILITY_FEATURES`
    separated by commas."""
    accessibility_notes: Mapped[str] = mapped_column(
        Text, server_default="", deferred=True, deferred_group="accessibility")
    referent_name: Mapped[str] = mapped_column(
        String(200), server_default="", deferred=True, deferred_group="accessibility",
        info={"personal": True})
    referent_email: Mapped[str] = mapped_column(
        String(254), server_default="", deferred=True, deferred_group="accessibility",
        info={"personal": True})
    referent_phone: Mapped[str] = mapped_column(
        String(40), server_default="", deferred=True, deferred_group="accessibility",
        info={"personal": True})
    """The disability referent (« référent·e handicap »), published on the event page."""
    certificate_signatory: Mapped[str] = mapped_column(String(300), default="",
                                                       server_default="",
                                                       info={"personal": True})
    certificate_signature: Mapped[bytes | None] = mapped_column(LargeBinary,
                                                                info={"personal": True})
    # Completion certificate (« certificat de réalisation »): what the action is. Read
    # when needed and left to the database's defaults, as ``reminder_days``.
    action_objectives: Mapped[str] = mapped_column(Text, server_default="", deferred=True)
    action_nature: Mapped[ActionNature] = mapped_column(
        str_enum(ActionNature, length=30), server_default=ActionNature.TRAINING.value,
        deferred=True)
    # End of the completion certificate's block.
    signin_tolerance_minutes: Mapped[int] = mapped_column(server_default="30", deferred=True)
    """How long before a half-day starts, and after it ends, people may sign for it."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    rooms: Mapped[list[Room]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Room.name")
    sessions: Mapped[list[Session]] = relationship(
        back_populates="event", cascade="all, delete-orphan",
        order_by="(Session.starts_at, Session.position, Session.id)")
    memberships: Mapped[list[EventMembership]] = relationship(
        back_populates="event", cascade="all, delete-orphan")

    @property
    def status_label(self) -> str:
        return EVENT_STATUS_LABELS[self.status]

    @property
    def is_published(self) -> bool:
        return self.status == EventStatus.PUBLISHED

    @property
    def days(self) -> list[date]:
        return [self.starts_on + timedelta(days=n)
                for n in range((self.ends_on - self.starts_on).days + 1)]

    @property
    def full_address(self) -> str:
        city = " ".join(part for part in (self.venue_postcode, self.venue_city) if part)
        return ", ".join(part for part in (self.venue_name, self.venue_address, city) if part)

    @property
    def reminder_offsets(self) -> list[int]:
        """The reminders' days before the event, furthest first: [7, 1]."""
        return sorted({int(part) for part in (self.reminder_days or "").split(",")
                       if part.strip().isdigit()}, reverse=True)

    @property
    def accessibility_labels(self) -> list[str]:
        """The venue's accessibility conditions, in the checklist's order."""
        chosen = set((self.accessibility_features or "").split(","))
        return [label for code, label in ACCESSIBILITY_FEATURES.items() if code in chosen]

    @property
    def has_referent(self) -> bool:
        return bool(self.referent_name and (self.referent_email or self.referent_phone))

    @property
    def referent_phone_display(self) -> str:
        """The number with no-break spaces: never cut across two lines."""
        return (self.referent_phone or "").replace(" ", "\u00a0")

    @property
    def referent_phone_uri(self) -> str:
        """« 02 35 12 34 56 » → « tel:+33235123456 » (the number is saved in that form)."""
        digits = "".join(c for c in self.referent_phone or "" if c.isdigit())
        return f"tel:+33{digits[1:]}" if digits else ""

    @property
    def workshop_sessions(self) -> list[Session]:
        return [s for s in self.sessions if s.kind == SessionKind.WORKSHOPS]


class EventMembership(db.Model):
    """A staff account's role on one event (organiser now; reception comes later)."""

    __tablename__ = "event_membership"
    __table_args__ = (UniqueConstraint("event_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20), default="organiser")

    event: Mapped[Event] = relationship(back_populates="memberships")
    user: Mapped["User"] = relationship()  # noqa: F821


class Room(db.Model):
    __tablename__ = "room"
    __table_args__ = (UniqueConstraint("event_id", "name"),
                      CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    capacity: Mapped[int | None]
    step_free: Mapped[bool] = mapped_column(default=True)

    event: Mapped[Event] = relationship(back_populates="rooms")


class Person(db.Model):
    """A speaker, moderator or facilitator, reused across sessions and events."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100), info={"personal": True})
    last_name: Mapped[str] = mapped_column(String(100), default="", info={"personal": True})
    function: Mapped[str] = mapped_column(String(300), default="", info={"personal": True})
    organisation: Mapped[str] = mapped_column(String(300), default="", info={"personal": True})
    email: Mapped[str | None] = mapped_column(String(254), info={"personal": True})
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Who may see the person before they take part in any event (see visible_people_query).
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def sort_key(self) -> tuple[str, str]:
        return (self.last_name.casefold(), self.first_name.casefold())


class Session(db.Model):
    """One item of the programme; times are wall-clock times in the event's timezone."""

    __tablename__ = "programme_session"
    __table_args__ = (
        CheckConstraint("ends_at IS NULL OR ends_at > starts_at", name="times_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(64), unique=True, default=new_uid)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    kind: Mapped[SessionKind] = mapped_column(
        str_enum(SessionKind))
    title: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime | None]
    position: Mapped[int] = mapped_column(default=0)
    room_id: Mapped[int | None] = mapped_column(ForeignKey("room.id", ondelete="SET NULL"))
    sequence: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    event: Mapped[Event] = relationship(back_populates="sessions")
    room: Mapped[Room | None] = relationship()
    participations: Mapped[list[Participation]] = relationship(
        back_populates="session", cascade="all, delete-orphan",
        order_by="Participation.position")
    contributions: Mapped[list[Contribution]] = relationship(
        back_populates="session", cascade="all, delete-orphan",
        order_by="Contribution.position")
    workshops: Mapped[list[Workshop]] = relationship(
        back_populates="session", cascade="all, delete-orphan",
        order_by="Workshop.number")

    @property
    def kind_label(self) -> str:
        return SESSION_KIND_LABELS[self.kind]

    @property
    def display_title(self) -> str:
        return self.title or self.kind_label

    @property
    def participants(self) -> list[Participation]:
        """People attached to the session itself (not to a workshop or contribution)."""
        return [p for p in self.participations
                if p.workshop_id is None and p.contribution_id is None]

    def touch(self) -> None:
        """Mark the session changed so calendar clients pick up the new version."""
        self.sequence = (self.sequence or 0) + 1
        self.updated_at = utcnow()


class Contribution(db.Model):
    """A titled talk inside a session, e.g. « Présentation du dispositif … »."""

    __tablename__ = "contribution"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("programme_session.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")

    session: Mapped[Session] = relationship(back_populates="contributions")
    presenters: Mapped[list[Participation]] = relationship(
        back_populates="contribution", order_by="Participation.position",
        cascade="all, delete-orphan")


class Workshop(db.Model):
    """One of the parallel workshops held in a workshops session."""

    __tablename__ = "workshop"
    __table_args__ = (
        UniqueConstraint("session_id", "number"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(64), unique=True, default=new_uid)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("programme_session.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    sector: Mapped[str] = mapped_column(String(120), default="")
    theme: Mapped[str] = mapped_column(String(120), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    room_id: Mapped[int | None] = mapped_column(ForeignKey("room.id", ondelete="SET NULL"))
    capacity: Mapped[int | None]
    sequence: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    session: Mapped[Session] = relationship(back_populates="workshops")
    room: Mapped[Room | None] = relationship()
    facilitators: Mapped[list[Participation]] = relationship(
        back_populates="workshop", order_by="Participation.position",
        cascade="all, delete-orphan")

    @property
    def label(self) -> str:
        return f"Atelier n°\u00a0{self.number}\u00a0: {self.title}"

    def touch(self) -> None:
        self.sequence = (self.sequence or 0) + 1
        self.updated_at = utcnow()


class Participation(db.Model):
    """A person's part in a session, a contribution or a workshop, in order.

    Function and organisation may be given for this appearance only: the same person is
    « IRTS-IDS Normandie » as a workshop facilitator and « Formatrice, IRTS-IDS Normandie »
    at the restitution.
    """

    __tablename__ = "participation"
    __table_args__ = (
        CheckConstraint("workshop_id IS NULL OR contribution_id IS NULL", name="one_parent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("programme_session.id", ondelete="CASCADE"), index=True)
    workshop_id: Mapped[int | None] = mapped_column(
        ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    contribution_id: Mapped[int | None] = mapped_column(
        ForeignKey("contribution.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), index=True)
    role: Mapped[Role] = mapped_column(
        str_enum(Role, 30))
    position: Mapped[int] = mapped_column(default=0)
    function: Mapped[str | None] = mapped_column(String(300), info={"personal": True})
    organisation: Mapped[str | None] = mapped_column(String(300), info={"personal": True})

    session: Mapped[Session] = relationship(back_populates="participations")
    workshop: Mapped[Workshop | None] = relationship(back_populates="facilitators")
    contribution: Mapped[Contribution | None] = relationship(back_populates="presenters")
    person: Mapped[Person] = relationship()

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]

    @property
    def shown_function(self) -> str:
        return self.function if self.function is not None else self.person.function

    @property
    def shown_organisation(self) -> str:
        return self.organisation if self.organisation is not None else self.person.organisation

    @property
    def affiliation(self) -> str:
        """« Sociologue, Université Côte d'Azur » as the programme prints it."""
        return ", ".join(part for part in (self.shown_function, self.shown_organisation) if part)


class ProgrammeChange(db.Model):
    """The times and rooms of an event's sessions and workshops changed by the organisers
    since a moment (*opened_at*), gathered so that the registrants hear of them once (see
    :mod:`.updates`): open while it gathers changes, then closed and told."""

    __tablename__ = "programme_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"),
                                          index=True)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    """The first change: the notices leave a while after it."""
    closed_at: Mapped[datetime | None]
    """From then on, new changes start another one."""
    finished_at: Mapped[datetime | None]
    """Everyone concerned has had their notice queued (or there was nothing to tell)."""

    event: Mapped[Event] = relationship()
    items: Mapped[list[ProgrammeChangeItem]] = relationship(
        back_populates="change", cascade="all, delete-orphan",
        order_by="ProgrammeChangeItem.id")


class ProgrammeChangeItem(db.Model):
    """A session (or a workshop: *workshop_id*) as it was before its first change of a
    :class:`ProgrammeChange`; compared with what it is when the notices leave, so that a
    change undone tells no one."""

    __tablename__ = "programme_change_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    change_id: Mapped[int] = mapped_column(
        ForeignKey("programme_change.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("programme_session.id", ondelete="CASCADE"), index=True)
    workshop_id: Mapped[int | None] = mapped_column(
        ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    old_starts_at: Mapped[datetime]
    old_ends_at: Mapped[datetime | None]
    old_room_id: Mapped[int | None]
    """Not a foreign key: the room may be deleted since; its name stays below."""
    old_room_name: Mapped[str] = mapped_column(String(120), default="")

    change: Mapped[ProgrammeChange] = relationship(back_populates="items")
    session: Mapped[Session] = relationship()
    workshop: Mapped[Workshop | None] = relationship()
