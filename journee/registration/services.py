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
from datetime import date, datetime
from functools import lru_cache

from sqlalchemy import (
    Boolean,
    Date,
    Integer,
    and_,
    bindparam,
    case,
    cast,
    delete,
    func,
    insert,
    literal,
    null,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, selectinload

from ..errors import JourneeError
from ..extensions import db
from ..programme.models import Event, EventStatus, Participation, Session, Workshop, WorkshopMode
from ..secret_links import issue
from ..util.clock import utcnow
from .models import (
    Assignment,
    NoWorkshopNotice,
    Registration,
    RegistrationStatus,
    Source,
    WorkshopChoice,
)


class RegistrationClosed(JourneeError):
    """Registration is not open for this event today."""


class EventFull(JourneeError):
    """No place left and no waiting list."""


class AlreadyRegistered(JourneeError):
    """This e-mail address is already registered for the event."""


class NotCancelled(JourneeError):
    """Only a cancelled registration can be restored."""


class NotWaitlisted(JourneeError):
    """Only a waitlisted registration can be promoted."""


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
    accommodation_consent_at: datetime | None = None
    consent_photos: bool = False
    consent_future_events: bool = False
    privacy_version: str = ""
    choices: dict[int, list[int]] = field(default_factory=dict)
    """Workshop ids in order of preference, per workshop session id."""


def _confirmed(event_id, *columns):
    """The count of the event's confirmed registrations, after *columns*."""
    return (select(*columns, func.count(Registration.id))
            .where(Registration.event_id == event_id,
                   Registration.status == RegistrationStatus.CONFIRMED))


def _confirmed_count(event_id):
    return _confirmed(event_id).scalar_subquery()


def _open_on(today: date):
    return and_(Event.status == EventStatus.PUBLISHED,
                Event.registration_deadline.is_not(None),
                Event.registration_deadline >= today,
                or_(Event.registration_opens_on.is_(None), Event.registration_opens_on <= today))


def _lock_event(event_id: int) -> None:
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(select(Event.id).where(Event.id == event_id).with_for_update())


_ATTENDEE_COLUMNS = ("first_name", "last_name", "email", "phone", "organisation", "function",
                     "profile", "course", "course_year", "sector", "lunch",
                     "accommodation_needed", "accommodation_details",
                     "accommodation_consent_at", "consent_photos",
                     "consent_future_events", "privacy_version")
_STAMP_COLUMNS = ("token_nonce", "token_digest", "privacy_acknowledged_at", "source",
                  "entered_by", "created_at", "updated_at")


def _param(name: str):
    return bindparam(name, type_=Registration.__table__.c[name].type)


@lru_cache(maxsize=2)
def _registration_insert(online: bool):
    """The conditional ``INSERT … SELECT`` of a registration, built once per kind.

    Built from bind parameters rather than the values of each call: constructing and
    caching a statement of this size costs more than running it.
    """
    event_id = bindparam("event_id", type_=Integer)
    has_place = or_(Event.capacity.is_(None), _confirmed_count(event_id) < Event.capacity)
    values = {"event_id": Event.id,
              "status": case((has_place, literal(RegistrationStatus.CONFIRMED.value)),
                             else_=literal(RegistrationStatus.WAITLISTED.value))}
    values |= {name: _param(name) for name in _ATTENDEE_COLUMNS + _STAMP_COLUMNS}
    conditions = [Event.id == event_id, or_(has_place, Event.waitlist_enabled)]
    if online:
        conditions.append(_open_on(bindparam("today", type_=Date)))
    # The new row comes back whole, as the session's object: no second look-up.
    return (insert(Registration)
            .from_select(list(values), select(*values.values()).where(*conditions))
            .returning(Registration)
            .execution_options(dml_strategy="orm"))


def register(event_id: int, attendee: Attendee, today: date, source: Source = Source.ONLINE,
             entered_by: str | None = None) -> Registration:
    """Register an attendee, or put them on the waiting list when the event is full.

    Raises :class:`RegistrationClosed`, :class:`EventFull`, :class:`AlreadyRegistered`,
    :class:`WorkshopFull` (first come, first served) or :class:`InvalidChoice`; nothing is
    written then. The caller commits.
    """
    _lock_event(event_id)
    now = utcnow()
    online = source == Source.ONLINE
    parameters = {name: getattr(attendee, name) for name in _ATTENDEE_COLUMNS}
    parameters |= issue(Registration.link_purpose)
    parameters |= {"event_id": event_id, "privacy_acknowledged_at": now,
                   "source": source.value, "entered_by": entered_by, "created_at": now,
                   "updated_at": now}
    if online:
        parameters["today"] = today
    try:
        registration = db.session.scalars(_registration_insert(online), parameters).first()
    except IntegrityError as error:
        # No SAVEPOINT: pysqlite would commit it on release. The registration is the
        # first write of its transaction, so rolling the whole transaction back is exact.
        db.session.rollback()
        raise AlreadyRegistered("Cette adresse e-mail est déjà inscrite à cette journée.") \
            from error
    if registration is None:
        raise _refusal(event_id, today, source)
    _insert_choices(registration.id, event_id,
                    registration.status == RegistrationStatus.CONFIRMED, attendee.choices)
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


def restore(registration: Registration) -> Registration:
    """Restore a cancelled registration: confirmed if a place is free, else waitlisted.

    One conditional ``UPDATE``, as :func:`register`: the place is counted and taken in
    the same statement. In first-come mode a confirmed place also needs a place left in
    the workshop the person held. The person keeps their original rank on the waiting
    list, since a restoration undoes a cancellation. Raises :class:`EventFull` when there
    is no place and no waiting list, :class:`NotCancelled` when the registration is not
    cancelled (a second click); nothing is written then. The caller commits.
    """
    event_id = registration.event_id
    _lock_event(event_id)
    capacity = select(Event.capacity).where(Event.id == event_id).scalar_subquery()
    waitlist = select(Event.waitlist_enabled).where(Event.id == event_id).scalar_subquery()
    has_place = or_(capacity.is_(None), _confirmed_count(event_id) < capacity)
    mode = db.session.scalar(select(Event.workshop_mode).where(Event.id == event_id))
    if mode == WorkshopMode.FIRST_COME:
        has_place = and_(has_place, ~_holds_full_workshop(registration.id))
    status = case((has_place, literal(RegistrationStatus.CONFIRMED.value)),
                  else_=literal(RegistrationStatus.WAITLISTED.value))
    restored = db.session.execute(
        update(Registration)
        .where(Registration.id == registration.id,
               Registration.status == RegistrationStatus.CANCELLED,
               or_(has_place, waitlist.is_(True)))
        .values(status=status, cancelled_at=None, updated_at=utcnow())
        .returning(Registration.id)).scalar()
    db.session.refresh(registration)
    if restored is None:
        if registration.status != RegistrationStatus.CANCELLED:
            raise NotCancelled("Cette inscription n’est pas annulée.")
        raise EventFull("Il n’y a plus de place pour cette journée et la liste d’attente "
                        "est fermée.")
    return registration


def _holds_full_workshop(registration_id: int):
    """Whether a first choice of this registration is a workshop with no place left."""
    other = aliased(WorkshopChoice)
    holder = aliased(Registration)
    taken = (select(func.count(other.id))
             .join(holder, holder.id == other.registration_id)
             .where(other.workshop_id == Workshop.id, other.rank == 1,
                    holder.status == RegistrationStatus.CONFIRMED)
             .scalar_subquery())
    mine = aliased(WorkshopChoice)
    return (select(mine.id).join(Workshop, Workshop.id == mine.workshop_id)
            .where(mine.registration_id == registration_id, mine.rank == 1,
                   Workshop.capacity.is_not(None), taken >= Workshop.capacity)
            .exists())


def promote(registration: Registration) -> Registration:
    """Confirm one waitlisted person chosen by the organiser, if a place is free.

    The organiser may pick someone out of the waiting list's order, never go beyond the
    capacity: raise it first if the room allows. One conditional ``UPDATE``; raises
    :class:`EventFull` or :class:`NotWaitlisted`, with nothing written. The caller commits.
    """
    event_id = registration.event_id
    _lock_event(event_id)
    capacity = select(Event.capacity).where(Event.id == event_id).scalar_subquery()
    promoted = db.session.execute(
        update(Registration)
        .where(Registration.id == registration.id,
               Registration.status == RegistrationStatus.WAITLISTED,
               or_(capacity.is_(None), _confirmed_count(event_id) < capacity))
        .values(status=RegistrationStatus.CONFIRMED, updated_at=utcnow())
        .returning(Registration.id)).scalar()
    db.session.refresh(registration)
    if promoted is None:
        if registration.status != RegistrationStatus.WAITLISTED:
            raise NotWaitlisted("Cette personne n’est pas sur la liste d’attente.")
        raise EventFull("Aucune place n’est libre\u202f: augmentez la capacité de la "
                        "journée ou attendez une annulation.")
    return registration


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
    _insert_choices(registration.id, registration.event_id,
                    registration.status == RegistrationStatus.CONFIRMED, choices)
    db.session.expire(registration, ["choices"])


def workshop_places_taken(workshop_id):
    """Confirmed attendees whose first choice is this workshop (first come, first served:
    their only choice, so their place)."""
    return (select(func.count(WorkshopChoice.id))
            .join(Registration, Registration.id == WorkshopChoice.registration_id)
            .where(WorkshopChoice.workshop_id == workshop_id, WorkshopChoice.rank == 1,
                   Registration.status == RegistrationStatus.CONFIRMED)
            .scalar_subquery())


@lru_cache(maxsize=32)
def _choices_insert(count: int):
    """One ``INSERT … SELECT`` of *count* ranked choices, built once per count.

    Each row is selected only if its workshop belongs to that slot of the event and, for
    the first choice of a confirmed registration in first-come mode (the choice that
    holds the place), if the workshop still has a place: the mode is read from the event
    in the same statement.
    """
    registration_id = bindparam("registration_id", type_=Integer)
    holds_place = and_(Event.workshop_mode == WorkshopMode.FIRST_COME,
                       bindparam("confirmed", type_=Boolean))
    rows = []
    for n in range(count):
        # Names no anonymous parameter can take (SQLAlchemy names those ``rank_1``…).
        workshop_id = bindparam(f"choice{n}_workshop", type_=Integer)
        session_id = bindparam(f"choice{n}_session", type_=Integer)
        rank = bindparam(f"choice{n}_rank", type_=Integer)
        place_left = or_(Workshop.capacity.is_(None),
                         workshop_places_taken(workshop_id) < Workshop.capacity)
        rows.append(
            select(registration_id, session_id, Workshop.id, rank)
            .join(Session, Session.id == Workshop.session_id)
            .join(Event, Event.id == Session.event_id)
            .where(Workshop.id == workshop_id, Workshop.session_id == session_id,
                   Event.id == bindparam("event_id", type_=Integer),
                   or_(~holds_place, rank != 1, place_left)))
    table = WorkshopChoice.__table__
    return (insert(table)
            .from_select(["registration_id", "session_id", "workshop_id", "rank"],
                         rows[0] if count == 1 else union_all(*rows))
            .returning(table.c.session_id, table.c.workshop_id))


def _insert_choices(registration_id: int, event_id: int, confirmed: bool,
                    choices: dict[int, list[int]]) -> None:
    """Write the choices in one conditional ``INSERT … SELECT``.

    It runs under the write lock the transaction already holds (SQLite) or after the
    event row lock (PostgreSQL), so two people cannot take the last place together.
    A choice the statement leaves out (a workshop of another slot, or full) rolls the
    whole transaction back.
    """
    wanted = [(session_id, workshop_id, rank) for session_id, workshop_ids in choices.items()
              for rank, workshop_id in enumerate(workshop_ids, start=1)]
    if not wanted:
        return
    parameters = {"registration_id": registration_id, "event_id": event_id,
                  "confirmed": confirmed}
    for n, (session_id, workshop_id, rank) in enumerate(wanted):
        parameters |= {f"choice{n}_session": session_id, f"choice{n}_workshop": workshop_id,
                       f"choice{n}_rank": rank}
    inserted = {tuple(row) for row in
                db.session.execute(_choices_insert(len(wanted)), parameters)}
    for session_id, workshop_id, _ in wanted:
        if (session_id, workshop_id) not in inserted:
            raise _choice_refusal(event_id, session_id, workshop_id)


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
    confirmed = db.session.scalar(_confirmed_count_query(), {"event_id": event.id})
    return max(event.capacity - confirmed, 0)


@lru_cache(maxsize=1)
def _confirmed_count_query():
    """Built once: the public form runs it on every visit, and building a statement
    costs SQLAlchemy more than running this one (see :func:`_registration_insert`)."""
    return _confirmed(bindparam("event_id", type_=Integer))


def workshop_first_choices(event: Event) -> dict[int, int]:
    """How many confirmed attendees put each workshop first (in first-come mode: took a
    place in it), per workshop id; a workshop nobody chose is absent."""
    return dict(db.session.execute(_first_choices_query(), {"event_id": event.id}).all())


@lru_cache(maxsize=1)
def _first_choices_query():
    """Built once, as :func:`_confirmed_count_query`."""
    return (select(WorkshopChoice.workshop_id, func.count(WorkshopChoice.id))
            .join(Registration, Registration.id == WorkshopChoice.registration_id)
            .where(Registration.event_id == bindparam("event_id", type_=Integer),
                   WorkshopChoice.rank == 1,
                   Registration.status == RegistrationStatus.CONFIRMED)
            .group_by(WorkshopChoice.workshop_id))


@dataclass(frozen=True)
class FormCounts:
    """What the public form shows of the places: the day's places left (``None``: no
    limit) and :func:`workshop_first_choices`."""

    places_left: int | None
    first_choices: dict[int, int]


def form_counts(event: Event) -> FormCounts:
    """:func:`places_left` and :func:`workshop_first_choices` in one statement: every
    visit of the form reads both."""
    confirmed, first_choices = 0, {}
    for workshop_id, count in db.session.execute(_form_counts_query(), {"event_id": event.id}):
        if workshop_id is None:
            confirmed = count
        else:
            first_choices[workshop_id] = count
    left = None if event.capacity is None else max(event.capacity - confirmed, 0)
    return FormCounts(left, first_choices)


@lru_cache(maxsize=1)
def _form_counts_query():
    """The confirmed count on a row of its own, with no workshop."""
    return union_all(_confirmed(bindparam("event_id", type_=Integer), cast(null(), Integer)),
                     _first_choices_query())


def workshop_places_left(event: Event, taken: dict[int, int] | None = None
                         ) -> dict[int, int | None]:
    """Places still free per workshop id (``None``: no limit). For display only.

    :param taken: :func:`workshop_first_choices`, if counted already in this request.
    """
    if taken is None:
        taken = workshop_first_choices(event)
    return {workshop.id: (None if workshop.capacity is None
                          else max(workshop.capacity - taken.get(workshop.id, 0), 0))
            for slot in event.workshop_sessions for workshop in slot.workshops}


def first_come_workshops(registration: Registration) -> dict[int, Workshop]:
    """The workshop whose place this person took with their registration, per slot (in
    first-come mode: their first and only choice), with its room and facilitators."""
    rows = db.session.execute(
        select(WorkshopChoice.session_id, Workshop)
        .join(Workshop, Workshop.id == WorkshopChoice.workshop_id)
        .where(WorkshopChoice.registration_id == registration.id, WorkshopChoice.rank == 1)
        .options(selectinload(Workshop.room),
                 selectinload(Workshop.facilitators).selectinload(Participation.person))).all()
    return {session_id: workshop for session_id, workshop in rows}


def attendee_workshops(registration: Registration,
                       published: set[int] | None = None) -> dict[int, Workshop]:
    """This person's workshop as they may see it, per workshops slot: in first-come mode
    the one whose place they took with their registration, otherwise the one the
    organisers published to them. Nothing while they are not confirmed.

    :param published: :func:`published_slots`, if read already in this request (none:
        nothing was published to anyone, no need to look).
    """
    if registration.status != RegistrationStatus.CONFIRMED:
        return {}
    if registration.event.workshop_mode == WorkshopMode.FIRST_COME:
        return first_come_workshops(registration)
    if published is not None and not published:
        return {}
    rows = db.session.execute(
        select(Assignment.session_id, Workshop)
        .join(Workshop, Workshop.id == Assignment.published_workshop_id)
        .where(Assignment.registration_id == registration.id)
        .options(selectinload(Workshop.room),
                 selectinload(Workshop.facilitators).selectinload(Participation.person))).all()
    return {session_id: workshop for session_id, workshop in rows}


def published_slots(event_id: int) -> set[int]:
    """The event's workshops slots whose assignment is published (someone was told their
    workshop there, or that they have none): their choices are frozen."""
    return set(db.session.scalars(_published_slots_query(), {"event_id": event_id}))


@lru_cache(maxsize=1)
def _published_slots_query():
    """Built once, as :func:`_confirmed_count_query` (every attendee's page runs it);
    each slot is one look-up in ``ix_assignment_session_published``."""
    published = (select(Assignment.id)
                 .where(Assignment.session_id == Session.id,
                        Assignment.published_workshop_id.is_not(None)).exists())
    told_none = select(NoWorkshopNotice.id).where(
        NoWorkshopNotice.session_id == Session.id).exists()
    return select(Session.id).where(Session.event_id == bindparam("event_id", type_=Integer),
                                    or_(published, told_none))


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
