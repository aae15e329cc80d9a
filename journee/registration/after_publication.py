"""After a slot's assignment is published, someone without a workshop there can take a
place left in one of its workshops (first come, first served), or wait for a place in a
full one: the first place freed there goes to whoever has waited longest.

Each change first takes the write lock (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: the
event row, as :mod:`.services` does), then writes the placement with one conditional
``INSERT … SELECT`` that counts the workshop's places in the same statement: two people
never take the last place, and a freed place goes to exactly one person. A place taken
this way is published at once (the person is told straight away) and locked, so that a
new run of the assignment keeps it. The caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Integer, and_, bindparam, delete, exists, func, insert, literal, or_, select
from sqlalchemy.orm import selectinload

from ..database import begin_for_savepoints
from ..errors import JourneeError
from ..extensions import db
from ..programme.models import Event, Participation, Room, Session, Workshop, WorkshopMode
from ..util.clock import utcnow
from .models import (
    Assignment,
    AssignmentSource,
    NoWorkshopNotice,
    Registration,
    RegistrationStatus,
    WorkshopWaitlistEntry,
)
from .services import published_slots


class NotOffered(JourneeError):
    """This person cannot take a place or wait in this slot (they have a workshop there,
    the slot is not published, a tampered form…)."""


class NoPlaceLeft(JourneeError):
    """The workshop has just become full."""


class PlaceLeft(JourneeError):
    """A waiting list is only for a full workshop: this one has room."""


@dataclass
class WorkshopPlaces:
    workshop: Workshop
    left: int | None
    """Places still free (``None``: no limit known)."""
    waiting: int
    """People on its waiting list."""


@dataclass
class SlotOffer:
    """What someone without a workshop in a published slot can do there."""

    slot: Session
    open: list[WorkshopPlaces] = field(default_factory=list)
    full: list[WorkshopPlaces] = field(default_factory=list)
    waiting_for: Workshop | None = None
    """The workshop whose waiting list they are on, if any."""
    position: int | None = None
    """1 for the next one to get a place there."""


def _capacity(workshop_id):
    """A workshop's places, else its room's (``NULL``: no limit known)."""
    return (select(func.coalesce(Workshop.capacity, Room.capacity))
            .select_from(Workshop).outerjoin(Room, Room.id == Workshop.room_id)
            .where(Workshop.id == workshop_id).scalar_subquery())


def _taken(workshop_id):
    """Places taken in a workshop: assignments of confirmed registrations."""
    return (select(func.count(Assignment.id))
            .join(Registration, Registration.id == Assignment.registration_id)
            .where(Assignment.workshop_id == workshop_id,
                   Registration.status == RegistrationStatus.CONFIRMED)
            .scalar_subquery())


def _placement_insert():
    """Place a registration in a workshop of its slot if the workshop has a place left
    and the person has no workshop in the slot: one statement, so the count it reads
    is the count it writes against."""
    registration_id = bindparam("registration_id", type_=Integer)
    workshop_id = bindparam("workshop_id", type_=Integer)
    capacity = _capacity(workshop_id)
    now = utcnow()
    values = {
        "registration_id": registration_id,
        "session_id": Workshop.session_id,
        "workshop_id": Workshop.id,
        "published_workshop_id": Workshop.id,
        "source": bindparam("source", type_=Assignment.__table__.c.source.type),
        "locked": literal(True),
        "flagged_free": bindparam("flagged_free", type_=Assignment.__table__.c.flagged_free.type),
        "rank": bindparam("rank", type_=Integer),
        "created_at": literal(now, type_=Assignment.__table__.c.created_at.type),
        "updated_at": literal(now, type_=Assignment.__table__.c.updated_at.type),
    }
    has_one = exists().where(Assignment.registration_id == registration_id,
                             Assignment.session_id == Workshop.session_id)
    table = Assignment.__table__
    return (insert(table)
            .from_select(list(values), select(*values.values()).where(
                Workshop.id == workshop_id,
                Workshop.session_id == bindparam("session_id", type_=Integer),
                or_(capacity.is_(None), _taken(workshop_id) < capacity),
                ~has_one))
            .returning(table.c.id))


def _lock(event_id: int) -> None:
    """Take the write lock before reading what the change depends on."""
    begin_for_savepoints()
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(select(Event.id).where(Event.id == event_id).with_for_update())


def _place(registration: Registration, workshop_id: int, session_id: int,
           source: AssignmentSource) -> bool:
    ranks = {c.workshop_id: c.rank for c in registration.choices
             if c.session_id == session_id}
    rank = ranks.get(workshop_id)
    placed = db.session.execute(_placement_insert(), {
        "registration_id": registration.id, "workshop_id": workshop_id,
        "session_id": session_id, "source": source, "rank": rank,
        "flagged_free": rank is None}).scalar()
    if placed is None:
        return False
    # Whoever has a workshop again is told again if they lose it (see ``publish``).
    db.session.execute(delete(NoWorkshopNotice).where(
        NoWorkshopNotice.registration_id == registration.id,
        NoWorkshopNotice.session_id == session_id))
    db.session.execute(delete(WorkshopWaitlistEntry).where(
        WorkshopWaitlistEntry.registration_id == registration.id,
        WorkshopWaitlistEntry.session_id == session_id))
    return True


def _offered_slot(registration: Registration, session_id: int) -> Session:
    """The published slot where this person, confirmed, has no workshop; else refuse."""
    db.session.refresh(registration, ["status"])
    event = registration.event
    slot = db.session.get(Session, session_id)
    if (slot is None or slot.event_id != event.id
            or event.workshop_mode != WorkshopMode.PREFERENCES
            or registration.status != RegistrationStatus.CONFIRMED
            or session_id not in published_slots(event.id)):
        raise NotOffered("Cette séance ne propose pas de place à prendre.")
    if db.session.scalar(select(Assignment.id).where(
            Assignment.registration_id == registration.id,
            Assignment.session_id == session_id)) is not None:
        raise NotOffered("Vous avez déjà un atelier dans cette séance.")
    return slot


def _workshop_of(slot: Session, workshop_id: int | None) -> Workshop:
    workshop = db.session.get(Workshop, workshop_id) if workshop_id else None
    if workshop is None or workshop.session_id != slot.id:
        raise NotOffered("Cet atelier n’est pas proposé dans cette séance.")
    return workshop


def take_place(registration: Registration, session_id: int, workshop_id: int | None
               ) -> Workshop:
    """Give this person a place in a workshop of a published slot where they have none.

    Raises :class:`NotOffered` or :class:`NoPlaceLeft`, with nothing written.
    """
    _lock(registration.event_id)
    slot = _offered_slot(registration, session_id)
    workshop = _workshop_of(slot, workshop_id)
    if not _place(registration, workshop.id, slot.id, AssignmentSource.CHOSEN_LATE):
        raise NoPlaceLeft(f"L’atelier n°\u00a0{workshop.number} vient d’être complet\u202f: "
                          "choisissez-en un autre, ou inscrivez-vous sur sa liste d’attente.")
    return workshop


def join_waitlist(registration: Registration, session_id: int, workshop_id: int | None
                  ) -> Workshop:
    """Put this person at the end of a full workshop's waiting list (in place of the one
    they were on in this slot, if any).

    Raises :class:`NotOffered` or :class:`PlaceLeft`, with nothing written.
    """
    _lock(registration.event_id)
    slot = _offered_slot(registration, session_id)
    workshop = _workshop_of(slot, workshop_id)
    left = places_left([workshop]).get(workshop.id)
    if left is None or left > 0:
        raise PlaceLeft(f"L’atelier n°\u00a0{workshop.number} a de nouveau de la place\u202f: "
                        "prenez-la plutôt que d’attendre.")
    db.session.execute(delete(WorkshopWaitlistEntry).where(
        WorkshopWaitlistEntry.registration_id == registration.id,
        WorkshopWaitlistEntry.session_id == slot.id))
    db.session.add(WorkshopWaitlistEntry(registration_id=registration.id,
                                         session_id=slot.id, workshop_id=workshop.id))
    db.session.flush()
    return workshop


def leave_waitlist(registration: Registration, session_id: int) -> Workshop | None:
    """Take this person off the waiting list they are on in this slot; the workshop it
    was, or ``None`` when they were on none."""
    entry = db.session.scalar(select(WorkshopWaitlistEntry).where(
        WorkshopWaitlistEntry.registration_id == registration.id,
        WorkshopWaitlistEntry.session_id == session_id))
    if entry is None:
        return None
    workshop = db.session.get(Workshop, entry.workshop_id)
    db.session.delete(entry)
    db.session.flush()
    return workshop


def release_places_taken(registration: Registration) -> None:
    """After a cancellation is undone: the workshop places the person held and someone
    has taken since are theirs no longer (their page then offers what is left), and
    they start again off every waiting list."""
    db.session.execute(delete(WorkshopWaitlistEntry).where(
        WorkshopWaitlistEntry.registration_id == registration.id)
        .execution_options(synchronize_session=False))
    if registration.status != RegistrationStatus.CONFIRMED:
        return
    held = db.session.execute(select(Assignment.id, Assignment.workshop_id).where(
        Assignment.registration_id == registration.id)).all()
    for assignment_id, workshop_id in held:
        capacity, taken = db.session.execute(
            select(_capacity(workshop_id), _taken(workshop_id))).one()
        if capacity is not None and taken > capacity:
            db.session.execute(delete(Assignment).where(Assignment.id == assignment_id)
                               .execution_options(synchronize_session=False))


def fill_freed_places(event_id: int) -> list[tuple[Registration, Workshop]]:
    """Give each place free in a workshop with a waiting list to the longest waiting
    person, in queue order; return who got which workshop.

    Waiting people who are no longer confirmed, or who got a workshop in the slot
    meanwhile, leave the lists first. Safe to run from several processes at once: under
    the lock, each place is counted and taken in one statement, and the person's entry
    goes in the same transaction.
    """
    _lock(event_id)
    slots = select(Session.id).where(Session.event_id == event_id)
    gone = or_(
        ~exists().where(Registration.id == WorkshopWaitlistEntry.registration_id,
                        Registration.status == RegistrationStatus.CONFIRMED),
        exists().where(Assignment.registration_id == WorkshopWaitlistEntry.registration_id,
                       Assignment.session_id == WorkshopWaitlistEntry.session_id))
    db.session.execute(delete(WorkshopWaitlistEntry).where(
        WorkshopWaitlistEntry.session_id.in_(slots), gone)
        .execution_options(synchronize_session=False))
    entries = db.session.scalars(
        select(WorkshopWaitlistEntry).where(WorkshopWaitlistEntry.session_id.in_(slots))
        .order_by(WorkshopWaitlistEntry.workshop_id, WorkshopWaitlistEntry.created_at,
                  WorkshopWaitlistEntry.id)).all()
    promoted, full = [], set()
    for entry in entries:
        if entry.workshop_id in full:
            continue
        registration = db.session.get(Registration, entry.registration_id)
        if _place(registration, entry.workshop_id, entry.session_id,
                  AssignmentSource.WORKSHOP_WAITLIST):
            promoted.append((registration, db.session.get(Workshop, entry.workshop_id)))
        else:
            full.add(entry.workshop_id)
    return promoted


def places_left(workshops: list[Workshop]) -> dict[int, int | None]:
    """Places still free per workshop id (``None``: no limit known)."""
    ids = [w.id for w in workshops]
    if not ids:
        return {}
    rows = db.session.execute(
        select(Workshop.id, func.coalesce(Workshop.capacity, Room.capacity),
               _taken(Workshop.id))
        .outerjoin(Room, Room.id == Workshop.room_id).where(Workshop.id.in_(ids))).all()
    return {workshop_id: None if capacity is None else max(capacity - taken, 0)
            for workshop_id, capacity, taken in rows}


def waiting_counts(session_id: int) -> dict[int, int]:
    """People waiting per workshop id of a slot (confirmed registrations only)."""
    return dict(db.session.execute(
        select(WorkshopWaitlistEntry.workshop_id, func.count(WorkshopWaitlistEntry.id))
        .join(Registration, Registration.id == WorkshopWaitlistEntry.registration_id)
        .where(WorkshopWaitlistEntry.session_id == session_id,
               Registration.status == RegistrationStatus.CONFIRMED)
        .group_by(WorkshopWaitlistEntry.workshop_id)).all())


def offers(registration: Registration, event: Event,
           published: set[int] | None = None) -> dict[int, SlotOffer]:
    """Per published slot where this confirmed person has no workshop (nor one placed by
    the team and not yet published): its workshops with room, the full ones, and the
    waiting list they are on. Nothing outside preferences mode.

    :param published: :func:`published_slots`, if read already in this request.
    """
    if (event.workshop_mode != WorkshopMode.PREFERENCES
            or registration.status != RegistrationStatus.CONFIRMED):
        return {}
    if published is None:
        published = published_slots(event.id)
    if not published:
        return {}
    held = set(db.session.scalars(select(Assignment.session_id).where(
        Assignment.registration_id == registration.id)))
    slots = [s for s in event.workshop_sessions
             if s.workshops and s.id in published and s.id not in held]
    if not slots:
        return {}
    workshops = [w for s in slots for w in s.workshops]
    left = places_left(workshops)
    mine = {e.session_id: e for e in db.session.scalars(select(WorkshopWaitlistEntry).where(
        WorkshopWaitlistEntry.registration_id == registration.id))}
    result = {}
    for slot in slots:
        waiting = waiting_counts(slot.id)
        offer = SlotOffer(slot)
        for workshop in sorted(slot.workshops, key=lambda w: w.number):
            places = WorkshopPlaces(workshop, left.get(workshop.id), waiting.get(workshop.id, 0))
            (offer.open if places.left is None or places.left > 0 else offer.full).append(places)
        entry = mine.get(slot.id)
        if entry is not None:
            offer.waiting_for = db.session.get(Workshop, entry.workshop_id)
            offer.position = _position(entry)
        result[slot.id] = offer
    return result


def told_slots(registration: Registration, published: set[int] | None = None) -> set[int]:
    """The slots where a publication told this person they have no workshop.

    :param published: :func:`published_slots`, if read already in this request (none:
        no publication told anyone anything).
    """
    if published is not None and not published:
        return set()
    return set(db.session.scalars(select(NoWorkshopNotice.session_id).where(
        NoWorkshopNotice.registration_id == registration.id)))


def _position(entry: WorkshopWaitlistEntry) -> int:
    ahead = db.session.scalar(
        select(func.count(WorkshopWaitlistEntry.id))
        .join(Registration, Registration.id == WorkshopWaitlistEntry.registration_id)
        .where(WorkshopWaitlistEntry.workshop_id == entry.workshop_id,
               Registration.status == RegistrationStatus.CONFIRMED,
               or_(WorkshopWaitlistEntry.created_at < entry.created_at,
                   and_(WorkshopWaitlistEntry.created_at == entry.created_at,
                        WorkshopWaitlistEntry.id < entry.id))))
    return ahead + 1


def workshop_details(workshop_id: int) -> Workshop:
    """A workshop with its room and facilitators, for an e-mail."""
    return db.session.scalar(select(Workshop).where(Workshop.id == workshop_id).options(
        selectinload(Workshop.room),
        selectinload(Workshop.facilitators).selectinload(Participation.person)))
