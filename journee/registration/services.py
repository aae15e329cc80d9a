"""Registering attendees: the capacity check and the write happen in one atomic step.

On SQLite the registration is written by one conditional ``INSERT … SELECT`` that is the
first statement of its transaction: SQLite takes the write lock before evaluating it, so
the count of confirmed places it reads cannot change underneath it, and every later
statement of the transaction runs under the same lock. On PostgreSQL the event row is
locked (``SELECT … FOR UPDATE``) first, since READ COMMITTED would let two conditional
inserts see the same count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, case, delete, func, insert, literal, or_, select, update
from sqlalchemy.exc import IntegrityError

from ..errors import JourneeError
from ..extensions import db
from ..models_base import new_token, utcnow
from ..programme.models import Event, EventStatus, Session, Workshop, WorkshopMode
from .models import Registration, RegistrationStatus, Source, WorkshopChoice


class RegistrationClosed(JourneeError):
    """Registration is not open for this event today."""


class EventFull(JourneeError):
    """No place left and no waiting list."""


class AlreadyRegistered(JourneeError):
    """This e-mail address is already registered for the event."""


class WorkshopFull(JourneeError):
    """First come, first served: the chosen workshop has no place left."""

    def __init__(self, message: str, session_id: int, workshop_id: int):
        super().__init__(message)
        self.session_id = session_id
        self.workshop_id = workshop_id


class InvalidChoice(JourneeError):
    """A workshop that is not one of this slot's workshops (a tampered form)."""

    def __init__(self, message: str, session_id: int, workshop_id: int):
        super().__init__(message)
        self.session_id = session_id
        self.workshop_id = workshop_id


@dataclass
class Attendee:
    """What a person gives when registering (validated by the form beforehand)."""

    first_name: str
    last_name: str
    profile: str
    email: str | None = None
    phone: str | None = None
    organisation: str = ""
    function: str = ""
    course: str | None = None
    course_year: int | None = None
    sector: str = ""
    lunch: bool | None = None
    accommodation_needed: bool = False
    accommodation_details: str | None = None
    consent_photos: bool = False
    consent_future_events: bool = False
    privacy_version: str = ""
    choices: dict[int, list[int]] = field(default_factory=dict)
    """Workshop ids in order of preference, per workshop session id."""


def _confirmed_count(event_id):
    return (select(func.count(Registration.id))
            .where(Registration.event_id == event_id,
                   Registration.status == RegistrationStatus.CONFIRMED)
            .scalar_subquery())


def _open_on(today: date):
    return and_(Event.status == EventStatus.PUBLISHED,
                Event.registration_deadline.is_not(None),
                Event.registration_deadline >= today,
                or_(Event.registration_opens_on.is_(None), Event.registration_opens_on <= today))


def _lock_event(event_id: int) -> None:
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(select(Event.id).where(Event.id == event_id).with_for_update())


def register(event_id: int, attendee: Attendee, today: date, source: Source = Source.ONLINE,
             entered_by: str | None = None) -> Registration:
    """Register an attendee, or put them on the waiting list when the event is full.

    Raises :class:`RegistrationClosed`, :class:`EventFull`, :class:`AlreadyRegistered`,
    :class:`WorkshopFull` (first come, first served) or :class:`InvalidChoice`; nothing is
    written then. The caller commits.
    """
    _lock_event(event_id)
    has_place = or_(Event.capacity.is_(None), _confirmed_count(event_id) < Event.capacity)
    status = case((has_place, literal(RegistrationStatus.CONFIRMED.value)),
                  else_=literal(RegistrationStatus.WAITLISTED.value))
    now = utcnow()
    values = {
        "event_id": Event.id, "token": literal(new_token()), "status": status,
        "first_name": literal(attendee.first_name), "last_name": literal(attendee.last_name),
        "email": literal(attendee.email), "phone": literal(attendee.phone),
        "organisation": literal(attendee.organisation), "function": literal(attendee.function),
        "profile": literal(attendee.profile), "course": literal(attendee.course),
        "course_year": literal(attendee.course_year), "sector": literal(attendee.sector),
        "lunch": literal(attendee.lunch),
        "accommodation_needed": literal(attendee.accommodation_needed),
        "accommodation_details": literal(attendee.accommodation_details),
        "privacy_acknowledged_at": literal(now), "privacy_version": literal(attendee.privacy_version),
        "consent_photos": literal(attendee.consent_photos),
        "consent_future_events": literal(attendee.consent_future_events),
        "source": literal(source.value), "entered_by": literal(entered_by),
        "created_at": literal(now), "updated_at": literal(now),
    }
    conditions = [Event.id == event_id, or_(has_place, Event.waitlist_enabled)]
    if source == Source.ONLINE:
        conditions.append(_open_on(today))
    statement = (insert(Registration)
                 .from_select(list(values), select(*values.values()).where(*conditions))
                 .returning(Registration.id))
    try:
        registration_id = db.session.execute(statement).scalar()
    except IntegrityError as error:
        # No SAVEPOINT: pysqlite would commit it on release. The registration is the
        # first write of its transaction, so rolling the whole transaction back is exact.
        db.session.rollback()
        raise AlreadyRegistered("Cette adresse e-mail est déjà inscrite à cette journée.") \
            from error
    if registration_id is None:
        raise _refusal(event_id, today, source)
    registration = db.session.get(Registration, registration_id)
    _insert_choices(registration, attendee.choices)
    return registration


def _refusal(event_id: int, today: date, source: Source) -> JourneeError:
    is_open = db.session.scalar(select(Event.id).where(Event.id == event_id, _open_on(today)))
    if source == Source.ONLINE and is_open is None:
        return RegistrationClosed("Les inscriptions ne sont pas ouvertes pour cette journée.")
    return EventFull("Il n’y a plus de place pour cette journée.")


def cancel(registration: Registration) -> Registration | None:
    """Cancel a registration; if it held a place, promote the first person waiting.

    Returns the promoted registration, if any. The caller commits.
    """
    _lock_event(registration.event_id)
    was_confirmed = registration.status == RegistrationStatus.CONFIRMED
    db.session.execute(
        update(Registration).where(Registration.id == registration.id)
        .values(status=RegistrationStatus.CANCELLED, cancelled_at=utcnow()))
    db.session.refresh(registration)
    if not was_confirmed:
        return None
    return promote_next(registration.event_id)


def promote_next(event_id: int) -> Registration | None:
    """Confirm the longest-waiting person if a place is free (one conditional UPDATE)."""
    first_waiting = (select(Registration.id)
                     .where(Registration.event_id == event_id,
                            Registration.status == RegistrationStatus.WAITLISTED)
                     .order_by(Registration.created_at, Registration.id).limit(1)
                     .scalar_subquery())
    capacity = select(Event.capacity).where(Event.id == event_id).scalar_subquery()
    promoted_id = db.session.execute(
        update(Registration)
        .where(Registration.id == first_waiting,
               or_(capacity.is_(None), _confirmed_count(event_id) < capacity))
        .values(status=RegistrationStatus.CONFIRMED, updated_at=utcnow())
        .returning(Registration.id)).scalar()
    return db.session.get(Registration, promoted_id) if promoted_id else None


def update_choices(registration: Registration, choices: dict[int, list[int]]) -> None:
    """Replace a registration's workshop choices, taking places as :func:`register` does.

    Call it before any other read of the transaction (changed attributes of the
    registration may be flushed first: that is a write too). Raises :class:`WorkshopFull`
    or :class:`InvalidChoice` after rolling the whole transaction back. The caller commits.
    """
    _lock_event(registration.event_id)
    db.session.execute(delete(WorkshopChoice)
                       .where(WorkshopChoice.registration_id == registration.id)
                       .execution_options(synchronize_session=False))
    _insert_choices(registration, choices)


def workshop_places_taken(workshop_id):
    """Confirmed attendees whose first choice is this workshop (first come, first served:
    their only choice, so their place)."""
    return (select(func.count(WorkshopChoice.id))
            .join(Registration, Registration.id == WorkshopChoice.registration_id)
            .where(WorkshopChoice.workshop_id == workshop_id, WorkshopChoice.rank == 1,
                   Registration.status == RegistrationStatus.CONFIRMED)
            .scalar_subquery())


def _insert_choices(registration: Registration, choices: dict[int, list[int]]) -> None:
    """Write the choices, one conditional ``INSERT … SELECT`` each.

    Each insert checks that the workshop belongs to that slot of the registration's event
    and, in first-come mode for a confirmed registration, that the workshop still has a
    place. It runs under the write lock the transaction already holds (SQLite) or after the
    event row lock (PostgreSQL), so two people cannot take the last place together.
    """
    event_id = registration.event_id
    mode = db.session.scalar(select(Event.workshop_mode).where(Event.id == event_id))
    takes_place = (mode == WorkshopMode.FIRST_COME
                   and registration.status == RegistrationStatus.CONFIRMED)
    for session_id, workshop_ids in choices.items():
        for rank, workshop_id in enumerate(workshop_ids, start=1):
            conditions = [Workshop.id == workshop_id, Workshop.session_id == session_id,
                          Session.event_id == event_id]
            if takes_place and rank == 1:
                conditions.append(or_(Workshop.capacity.is_(None),
                                      workshop_places_taken(workshop_id) < Workshop.capacity))
            row = (select(literal(registration.id), literal(session_id), Workshop.id,
                          literal(rank))
                   .join(Session, Session.id == Workshop.session_id).where(*conditions))
            inserted = db.session.execute(
                insert(WorkshopChoice)
                .from_select(["registration_id", "session_id", "workshop_id", "rank"], row)
                .returning(WorkshopChoice.id)).scalar()
            if inserted is None:
                raise _choice_refusal(event_id, session_id, workshop_id)
    db.session.expire(registration, ["choices"])


def _choice_refusal(event_id: int, session_id: int, workshop_id: int) -> JourneeError:
    number = db.session.scalar(
        select(Workshop.number).join(Session, Session.id == Workshop.session_id)
        .where(Workshop.id == workshop_id, Workshop.session_id == session_id,
               Session.event_id == event_id))
    # Nothing of this attempt may stay: the registration (or the old choices) go too.
    db.session.rollback()
    if number is None:
        return InvalidChoice("Cet atelier n’est pas proposé sur ce créneau.",
                             session_id, workshop_id)
    return WorkshopFull(f"L’atelier n°\u00a0{number} vient d’être complet\u00a0: "
                        "choisissez-en un autre.", session_id, workshop_id)


def places_left(event: Event) -> int | None:
    """Places still free for the day (``None``: no limit). For display only."""
    if event.capacity is None:
        return None
    confirmed = db.session.scalar(
        select(func.count(Registration.id))
        .where(Registration.event_id == event.id,
               Registration.status == RegistrationStatus.CONFIRMED))
    return max(event.capacity - confirmed, 0)


def workshop_places_left(event: Event) -> dict[int, int | None]:
    """Places still free per workshop id (``None``: no limit). For display only."""
    taken = dict(db.session.execute(
        select(WorkshopChoice.workshop_id, func.count(WorkshopChoice.id))
        .join(Registration, Registration.id == WorkshopChoice.registration_id)
        .where(Registration.event_id == event.id, WorkshopChoice.rank == 1,
               Registration.status == RegistrationStatus.CONFIRMED)
        .group_by(WorkshopChoice.workshop_id)).all())
    return {workshop.id: (None if workshop.capacity is None
                          else max(workshop.capacity - taken.get(workshop.id, 0), 0))
            for slot in event.workshop_sessions for workshop in slot.workshops}


def waitlist_position(registration: Registration) -> int | None:
    """1 for the next person to be promoted; ``None`` when not waiting."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    ahead = db.session.scalar(
        select(func.count(Registration.id))
        .where(Registration.event_id == registration.event_id,
               Registration.status == RegistrationStatus.WAITLISTED,
               or_(Registration.created_at < registration.created_at,
                   and_(Registration.created_at == registration.created_at,
                        Registration.id < registration.id))))
    return ahead + 1
