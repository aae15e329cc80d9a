"""Who is in: marking people present at the door, the counts, finding a name.

Pure services (no request, no session): the check-in views call them, and a reception
role can later call them too. Presence at the door is kept per day of the event
(:class:`~journee.attendance.models.DoorCheckIn`), the desk's day by default; marking
present is one conditional insert: two phones scanning the same badge at once both
succeed, and the first time is the one kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from ...database import insert_once, rowcount
from ...errors import JourneeError
from ...extensions import db
from ...programme.models import Event, Session, Workshop, WorkshopMode
from ...registration.listing import local_time
from ...registration.models import (
    Assignment,
    AssignmentSource,
    Registration,
    RegistrationStatus,
    Source,
    WorkshopChoice,
)
from ...registration.services import AlreadyRegistered, Attendee, InvalidChoice, promote
from ...util.clock import today_in, utcnow
from ...util.text import fold

# Who is in which workshop has one definition, shared with every list of the day.
from ..models import DoorCheckIn
from ..roster import placements, workshops_by_registration

SEARCH_LIMIT = 30
"""Results shown at once: at the door, a longer list means the name needs more letters."""


class NotConfirmed(JourneeError):
    """Only a confirmed registration can be marked present."""


# Marking present ------------------------------------------------------------------------

def desk_day(event: Event, today: date | None = None) -> date:
    """The day of the event a check-in made now counts for: today where the event takes
    place, or, outside the event's dates, the nearest day of the programme.

    Before the event (the desk tried out the evening before, people let in early) a
    check-in counts for the first day with sessions; after it (a presence noted once the
    event is over, from the desk or the certificates page) for the last one. A day left
    empty in the programme has nothing to attend, so it is passed over. So a single-day
    event keeps its one day whatever the date, as before, and each day's desk of a longer
    event marks that day. Refusing instead would stop the team from trying the desk out
    before the event and from catching up on a forgotten presence after it.
    """
    today = today or today_in(event.timezone)
    if event.starts_on <= today <= event.ends_on:
        return today
    held = sorted({s.starts_at.date() for s in event.sessions} & set(event.days))
    days = held or event.days
    return days[0] if today < event.starts_on else days[-1]


def presence_days(event: Event) -> list[date]:
    """The days a presence is noted for one by one after the event (the certificates
    page): each day with sessions when the event has several, else none (one box, the
    desk's day)."""
    held = sorted({s.starts_at.date() for s in event.sessions} & set(event.days))
    return held if len(held) > 1 else []


def mark_present(registration: Registration, staff: str, day: date | None = None) -> bool:
    """Mark a confirmed attendee present at the door on ``day`` (by default the desk's
    day, :func:`desk_day`); ``False`` if they already were that day (nothing changes).

    One conditional insert (``ON CONFLICT DO NOTHING`` on the person and the day): two
    phones scanning the same badge at once both succeed and the first record is kept.
    ``Registration.checked_in_at`` keeps the earliest record. Raises :class:`NotConfirmed`
    for a waitlisted or cancelled registration. The caller commits.
    """
    status = db.session.scalar(
        select(Registration.status).where(Registration.id == registration.id))
    if status != RegistrationStatus.CONFIRMED:
        db.session.refresh(registration)
        raise NotConfirmed(_refusal(registration))
    event = registration.event
    day = day or desk_day(event)
    _adopt(event, registration.id)
    now = utcnow()
    marked = insert_once(DoorCheckIn, ("registration_id", "day"),
                         registration_id=registration.id, day=day, at=now, by=staff[:200])
    if marked:
        db.session.execute(
            update(Registration)
            .where(Registration.id == registration.id,
                   or_(Registration.checked_in_at.is_(None), Registration.checked_in_at > now))
            .values(checked_in_at=now, checked_in_by=staff[:200])
            .execution_options(synchronize_session=False))
    db.session.refresh(registration)
    return marked


def _refusal(registration: Registration) -> str:
    name = registration.full_name
    if registration.status == RegistrationStatus.WAITLISTED:
        return (f"{name} est sur la liste d’attente\u202f: confirmez d’abord sa place "
                "pour la marquer présent·e.")
    return (f"L’inscription de {name} est annulée\u202f: elle ne peut pas être marquée "
            "présente. Voyez avec l’équipe organisatrice.")


def undo_presence(registration: Registration, day: date | None = None) -> bool:
    """Clear a presence marked by mistake on ``day`` (by default the desk's day), the
    other days' left as they are; ``False`` if there was none. The caller commits."""
    event = registration.event
    day = day or desk_day(event)
    _adopt(event, registration.id)
    cleared = rowcount(db.session.execute(
        delete(DoorCheckIn)
        .where(DoorCheckIn.registration_id == registration.id, DoorCheckIn.day == day)
        .execution_options(synchronize_session=False)))
    if cleared:
        _follow_records(registration.id)
    db.session.refresh(registration)
    return cleared > 0


def clear_presence(registration: Registration) -> bool:
    """Mark someone absent on every day (the organiser unticking them after the event);
    ``False`` if they were not present. The caller commits."""
    db.session.execute(delete(DoorCheckIn)
                       .where(DoorCheckIn.registration_id == registration.id)
                       .execution_options(synchronize_session=False))
    cleared = rowcount(db.session.execute(
        update(Registration)
        .where(Registration.id == registration.id, Registration.checked_in_at.is_not(None))
        .values(checked_in_at=None, checked_in_by=None)
        .execution_options(synchronize_session=False)))
    db.session.refresh(registration)
    return cleared > 0


def _follow_records(registration_id: int) -> None:
    """Set ``checked_in_at`` (and who) to the earliest record left, or clear them."""
    first = db.session.execute(
        select(DoorCheckIn.at, DoorCheckIn.by)
        .where(DoorCheckIn.registration_id == registration_id)
        .order_by(DoorCheckIn.at).limit(1)).first()
    db.session.execute(
        update(Registration).where(Registration.id == registration_id)
        .values(checked_in_at=first.at if first else None,
                checked_in_by=first.by if first else None)
        .execution_options(synchronize_session=False))


def _adopt(event: Event, registration_id: int) -> None:
    """Give a check-in written without its day's record (before the records existed, or
    straight into the row) the record of its day, as the migration did for older ones."""
    at, by = db.session.execute(
        select(Registration.checked_in_at, Registration.checked_in_by)
        .where(Registration.id == registration_id)).one()
    if at is None or db.session.scalar(
            select(DoorCheckIn.id).where(DoorCheckIn.registration_id == registration_id)
            .limit(1)) is not None:
        return
    insert_once(DoorCheckIn, ("registration_id", "day"), registration_id=registration_id,
                day=day_of(event, at), at=at, by=by)


def day_of(event: Event, moment: datetime) -> date:
    """The event day a stored (naive UTC) check-in time counts for: its date where the
    event takes place, held within the event's dates like :func:`desk_day`."""
    local = local_time(moment, event.timezone).date()
    return min(max(local, event.starts_on), event.ends_on)


def present_on(event: Event, day: date):
    """A condition on ``Registration``: marked present at the door on ``day``.

    A check-in without any record (see :func:`_adopt`) counts for the day of its time.
    """
    anywhere = select(DoorCheckIn.id).where(DoorCheckIn.registration_id == Registration.id)
    legacy = [Registration.checked_in_at.is_not(None), ~anywhere.exists()]
    zone = ZoneInfo(event.timezone)
    if day > event.starts_on:
        legacy.append(Registration.checked_in_at >= _utc_midnight(day, zone))
    if day < event.ends_on:
        legacy.append(Registration.checked_in_at < _utc_midnight(day + timedelta(days=1), zone))
    return or_(anywhere.where(DoorCheckIn.day == day).exists(), and_(*legacy))


def _utc_midnight(day: date, zone: ZoneInfo) -> datetime:
    return (datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
            .replace(tzinfo=None))


def door_days(event: Event, registration_ids=None) -> dict[int, dict[date, datetime]]:
    """Confirmed registration id → each day they were marked present at the door → at
    what time, for the event's people marked present (or those of *registration_ids*
    only): two queries. A check-in without any record counts for the day of its time."""
    where = [Registration.event_id == event.id,
             Registration.status == RegistrationStatus.CONFIRMED,
             Registration.checked_in_at.is_not(None)]
    if registration_ids is not None:
        where.append(Registration.id.in_(list(registration_ids)))
    days: dict[int, dict[date, datetime]] = {
        registration_id: {} for registration_id, in db.session.execute(
            select(Registration.id).where(*where))}
    for registration_id, day, at in db.session.execute(
            select(DoorCheckIn.registration_id, DoorCheckIn.day, DoorCheckIn.at)
            .join(Registration, Registration.id == DoorCheckIn.registration_id)
            .where(*where)):
        days[registration_id][day] = at
    missing = [registration_id for registration_id, found in days.items() if not found]
    if missing:
        for registration_id, at in db.session.execute(
                select(Registration.id, Registration.checked_in_at)
                .where(Registration.id.in_(missing))):
            days[registration_id][day_of(event, at)] = at
    return days


def confirm_and_mark_present(registration: Registration, staff: str) -> bool:
    """Confirm a waitlisted person who came (if a place is free), then mark them present.

    Uses :func:`registration.services.promote`, so the day's capacity holds: raises
    :class:`~journee.registration.services.EventFull` when no place is free and nothing
    is written. A second tap on an already confirmed person only marks them present.
    The caller commits.
    """
    if registration.status == RegistrationStatus.WAITLISTED:
        promote(registration)
    return mark_present(registration, staff)


# Counts ---------------------------------------------------------------------------------

@dataclass
class WorkshopCount:
    workshop: Workshop
    present: int
    members: int


@dataclass
class SlotCount:
    slot: Session
    workshops: list[WorkshopCount]


@dataclass
class Counts:
    present: int
    expected: int
    """Confirmed registrations."""
    slots: list[SlotCount]

    def as_dict(self) -> dict:
        return {
            "present": self.present, "expected": self.expected,
            "slots": [{"id": s.slot.id, "workshops": [
                {"id": w.workshop.id, "number": w.workshop.number, "present": w.present,
                 "members": w.members} for w in s.workshops]} for s in self.slots],
        }


def counts(event: Event, day: date | None = None) -> Counts:
    """Present (on ``day``, by default the desk's day) and expected people, overall and
    per workshop: two aggregate queries.

    Polled every few seconds by each phone at the door, so counted by the database; who
    is in which workshop is :mod:`.roster`'s definition, the one every list uses.
    """
    here = present_on(event, day or desk_day(event))
    present_count = func.count(case((here, Registration.id)))
    confirmed = (Registration.event_id == event.id,
                 Registration.status == RegistrationStatus.CONFIRMED)
    expected, present = db.session.execute(
        select(func.count(Registration.id), present_count).where(*confirmed)).one()
    placed = placements(event).subquery()
    per_workshop = {workshop_id: (members, present_there)
                    for workshop_id, members, present_there in db.session.execute(
                        select(placed.c.workshop_id, func.count(Registration.id),
                               present_count)
                        .join(Registration, Registration.id == placed.c.registration_id)
                        .group_by(placed.c.workshop_id))}
    slots = [SlotCount(slot, [WorkshopCount(w, per_workshop.get(w.id, (0, 0))[1],
                                            per_workshop.get(w.id, (0, 0))[0])
                              for w in slot.workshops])
             for slot in event.workshop_sessions if slot.workshops]
    return Counts(present=present, expected=expected, slots=slots)


def workshops_of(event: Event, registration_ids) -> dict[int, list[Workshop]]:
    """The workshops of the people a search shows (fetched at each typed letter)."""
    ids = list(registration_ids)
    return workshops_by_registration(event, ids) if ids else {}


# Search ---------------------------------------------------------------------------------

_WORD = re.compile(r"\w+")


_SEPARATORS = re.compile(r"[\W_]+")



def _compact(text: str) -> str:
    """Letters and digits only: « O’Brien-Lefèvre » → « obrienlefevre »."""
    return _SEPARATORS.sub("", fold(text))


@lru_cache(maxsize=32768)
def _person_keys(first: str, last: str, organisation: str) -> tuple[str, str, str]:
    """A person's compacted first name, last name, and all three run together.

    Cached: searching as you type compares the same few thousand people at each letter.
    """
    first_key, last_key = _compact(first), _compact(last)
    return first_key, last_key, first_key + last_key + _compact(organisation)


@dataclass
class SearchResult:
    query: str
    registrations: list[Registration]
    """The first :data:`SEARCH_LIMIT` matches, best first."""
    total: int


def search(event: Event, query: str, limit: int = SEARCH_LIMIT) -> SearchResult:
    """Registrations of the event (any status) matching every word of ``query``.

    A word matches the first name, the last name or the organisation, whatever the case,
    accents, apostrophes or hyphens (« obrien » finds « O’Brien-Lefèvre »). A query with
    an ``@`` looks for that e-mail address. Names starting with the first word come first,
    cancelled registrations last.
    Done in Python over the event's names: a few thousand rows take milliseconds.
    """
    query = " ".join(query.split())
    words = [_compact(word) for word in _WORD.findall(fold(query))]
    words = [word for word in words if word]
    if not words:
        return SearchResult(query, [], 0)
    # Plain columns, not entities: thousands of rows are read at each typed letter.
    table = Registration.__table__
    rows = db.session.execute(
        select(table.c.id, table.c.first_name, table.c.last_name, table.c.organisation,
               table.c.email, table.c.status == RegistrationStatus.CANCELLED.value)
        .where(table.c.event_id == event.id)).all()
    email = query.casefold() if "@" in query else None
    found = []
    for registration_id, first, last, organisation, address, cancelled in rows:
        if email is not None:
            matches, starts = (address or "").casefold() == email, True
        else:
            first_key, last_key, haystack = _person_keys(first, last, organisation)
            matches = all(word in haystack for word in words)
            starts = first_key.startswith(words[0]) or last_key.startswith(words[0])
        if matches:
            found.append((bool(cancelled), not starts, last.casefold(), first.casefold(),
                          registration_id))
    found.sort()
    ids = [item[-1] for item in found]
    order = {registration_id: position for position, registration_id in enumerate(ids)}
    shown = sorted(db.session.scalars(
        select(Registration).where(Registration.id.in_(ids[:limit]))),
        key=lambda r: order[r.id]) if ids else []
    return SearchResult(query, shown, len(ids))


def find_by_badge(event: Event, code: str) -> Registration | None:
    """The registration whose badge carries ``code``, within this event only."""
    return db.session.scalar(select(Registration).where(
        Registration.event_id == event.id, Registration.badge_code == code))


# On-the-spot registration ---------------------------------------------------------------

def register_on_site(event: Event, attendee: Attendee, staff: str) -> Registration:
    """Register someone who came without registering: confirmed and present at once.

    Neither the deadline nor the day's or the workshops' capacity apply: the person is
    already in the building (the page warns when the day is full). ``attendee.choices``
    holds at most one workshop per slot: in first-come mode it is their place; in
    preferences mode they are also placed there by hand, locked, so that a new run of
    the assignment does not move them. Raises :class:`AlreadyRegistered` (nothing
    written) or :class:`InvalidChoice`. The caller commits.
    """
    now = utcnow()
    registration = Registration(
        event_id=event.id, status=RegistrationStatus.CONFIRMED,
        first_name=attendee.first_name, last_name=attendee.last_name,
        email=attendee.email or None, organisation=attendee.organisation,
        function=attendee.function, profile=attendee.profile,
        privacy_acknowledged_at=now, privacy_version=attendee.privacy_version,
        source=Source.ON_SITE, entered_by=staff[:200], created_at=now, updated_at=now,
        checked_in_at=now, checked_in_by=staff[:200])
    db.session.add(registration)
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise AlreadyRegistered("Cette adresse e-mail est déjà inscrite à cette journée.") \
            from error
    db.session.add(DoorCheckIn(registration_id=registration.id, day=desk_day(event), at=now,
                               by=staff[:200]))
    _place(event, registration, attendee.choices)
    return registration


def _place(event: Event, registration: Registration, choices: dict[int, list[int]]) -> None:
    wanted = {session_id: ids[0] for session_id, ids in choices.items() if ids}
    if not wanted:
        return
    valid = {(session_id, workshop_id) for session_id, workshop_id in db.session.execute(
        select(Workshop.session_id, Workshop.id).join(Session, Session.id == Workshop.session_id)
        .where(Session.event_id == event.id, Workshop.id.in_(wanted.values())))}
    preferences = event.workshop_mode == WorkshopMode.PREFERENCES
    for session_id, workshop_id in wanted.items():
        if (session_id, workshop_id) not in valid:
            db.session.rollback()
            raise InvalidChoice("Cet atelier n’est pas proposé sur ce créneau.",
                                session_id, workshop_id)
        db.session.add(WorkshopChoice(registration_id=registration.id, session_id=session_id,
                                      workshop_id=workshop_id, rank=1))
        if preferences:
            db.session.add(Assignment(
                registration_id=registration.id, session_id=session_id,
                workshop_id=workshop_id, source=AssignmentSource.ORGANISER, rank=1,
                locked=True, flagged_free=False))
    db.session.flush()
    db.session.expire(registration, ["choices"])
