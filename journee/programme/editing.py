"""The organiser's programme editor: rules and changes, without any request state.

Views collect plain values from their forms and call these functions; a broken rule raises
:class:`Problems` (errors tied to form fields), a doubtful change that the organiser may
still want raises :class:`NeedsConfirmation` until it is confirmed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from email_validator import EmailNotValidError, validate_email

from ..audit.log import actor_for_user, record
from ..errors import JourneeError, ValidationProblem
from ..extensions import db
from ..formatting import format_date, format_time_range
from .models import (Contribution, Event, EventMembership, EventStatus, Participation, Person,
                     Role, Room, Session, SessionKind, Workshop, days_after)
from ..util.clock import today_in
from ..util.text import fold, quoted
from .permissions import events_of_person, may_change_email

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 80
# A session without an end time still occupies its room and its people for a moment.
POINT_DURATION = timedelta(minutes=1)


class Problems(JourneeError):
    """One or more broken rules, each naming the form field it belongs to."""

    def __init__(self, problems: list[ValidationProblem]):
        super().__init__(" ".join(str(p) for p in problems))
        self.problems = problems


class NeedsConfirmation(JourneeError):
    """A change that is allowed but probably a mistake: save it only once confirmed."""

    def __init__(self, warnings: list[str]):
        super().__init__(" ".join(warnings))
        self.warnings = warnings


def _raise_if(problems: list[ValidationProblem]) -> None:
    if problems:
        raise Problems(problems)


# --- Events -----------------------------------------------------------------------------

def slugify(text: str) -> str:
    """« Le travail social à l'épreuve » → ``le-travail-social-a-l-epreuve``."""
    folded = fold(text)
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    return slug[:SLUG_MAX].rstrip("-") or "journee"


def slug_taken(slug: str, exclude_event_id: int | None = None) -> bool:
    query = db.select(Event.id).filter_by(slug=slug)
    if exclude_event_id is not None:
        query = query.where(Event.id != exclude_event_id)
    return db.session.scalar(query) is not None


def unique_slug(base: str) -> str:
    """``base``, or ``base-2``, ``base-3``… whichever no event uses yet."""
    base = slugify(base)
    candidate, n = base, 1
    while slug_taken(candidate):
        n += 1
        suffix = f"-{n}"
        candidate = base[:SLUG_MAX - len(suffix)].rstrip("-") + suffix
    return candidate


def slug_problems(slug: str, exclude_event_id: int | None = None) -> list[ValidationProblem]:
    if not SLUG_PATTERN.match(slug) or len(slug) > SLUG_MAX:
        return [ValidationProblem(
            "L’adresse courte ne peut contenir que des lettres minuscules sans accent, des "
            "chiffres et des tirets (par exemple « journee-2026 »).", "slug")]
    if slug_taken(slug, exclude_event_id):
        return [ValidationProblem("Cette adresse courte est déjà utilisée par une autre "
                                  "journée.", "slug")]
    return []


def email_problems(email: str, field: str = "contact_email") -> list[ValidationProblem]:
    if not email:
        return []
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return [ValidationProblem("Saisissez une adresse e-mail valide, par exemple "
                                  "« contact@exemple.fr ».", field)]
    return []


EARLIEST_DATE = date(2000, 1, 1)
"""Archives of past days go back a few years, and a typo such as 0226 or 2062 is caught."""
YEARS_AHEAD = 10
"""A day is planned a year or two ahead at most; the bound keeps every date counted from
an event (the retention's end, up to ten years after it; its calendar's time zone) far
from the year 9999, past which Python's dates cannot go."""
DATE_FIELDS = ("starts_on", "ends_on", "registration_opens_on", "registration_deadline")


def date_range(today: date) -> tuple[date, date]:
    return EARLIEST_DATE, date(today.year + YEARS_AHEAD, 12, 31)


def _between(today: date) -> str:
    first, last = date_range(today)
    return f"entre le {format_date(first, weekday=False)} et le {format_date(last, weekday=False)}"


def date_problems(data: dict, today: date) -> list[ValidationProblem]:
    """An event's dates stay in :func:`date_range`."""
    first, last = date_range(today)
    return [ValidationProblem(f"Saisissez une date {_between(today)}.", name)
            for name in DATE_FIELDS if data.get(name) and not first <= data[name] <= last]


EVENT_FIELDS = (
    "title", "edition", "slug", "starts_on", "ends_on", "venue_name", "venue_address",
    "venue_postcode", "venue_city", "venue_access", "context", "presentation",
    "host_organisation", "partners", "audiences", "contact_email", "registration_opens_on",
    "registration_deadline", "capacity", "waitlist_enabled", "workshop_mode",
    "workshop_choices", "retention_days", "accommodation_retention_days",
    "facilitators_see_contact",
)


def event_problems(data: dict, event_id: int | None = None,
                   today: date | None = None) -> list[ValidationProblem]:
    """The rules an event's settings must follow, whatever form they come from."""
    problems = date_problems(data, today or today_in())
    starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
    opens, deadline = data.get("registration_opens_on"), data.get("registration_deadline")
    if starts_on and ends_on and ends_on < starts_on:
        problems.append(ValidationProblem(
            "La date de fin doit être le jour du début ou un jour suivant.", "ends_on"))
    if deadline and ends_on and deadline > ends_on:
        problems.append(ValidationProblem(
            "La date limite d’inscription doit être au plus tard le dernier jour de la "
            "journée.", "registration_deadline"))
    if opens and deadline and opens > deadline:
        problems.append(ValidationProblem(
            "L’ouverture des inscriptions doit précéder la date limite d’inscription.",
            "registration_opens_on"))
    if data.get("slug"):
        problems += slug_problems(data["slug"], event_id)
    problems += email_problems(data.get("contact_email") or "")
    return problems


def save_event(event: Event | None, data: dict, creator=None,
               today: date | None = None) -> Event:
    """Create an event (its creator becomes a member) or update one; raise :class:`Problems`."""
    data = {key: value for key, value in data.items() if key in EVENT_FIELDS}
    data["slug"] = (data.get("slug") or "").strip().lower()
    _raise_if(event_problems(data, event.id if event else None, today))
    if not data["slug"]:
        if event is not None and event.slug:
            data["slug"] = event.slug
        else:
            data["slug"] = unique_slug(data["title"])
    if event is None:
        event = Event(status=EventStatus.DRAFT)
        db.session.add(event)
        if creator is not None:
            event.memberships.append(EventMembership(user=creator))
    for key, value in data.items():
        setattr(event, key, value)
    return event


def set_status(event: Event, status: EventStatus) -> None:
    event.status = status


def duplicate_event(event: Event, new_start: date, title: str | None = None,
                    slug: str | None = None, today: date | None = None) -> Event:
    """Copy a day to a new date as a draft: rooms, sessions, contributions, workshops and
    who takes part (the same people, not copies). Every date moves by the same number of
    days; clock times stay."""
    today = today or today_in()
    _raise_if(date_problems({"starts_on": new_start}, today))
    shift = new_start - event.starts_on
    moved_dates = {name: days_after(getattr(event, name), shift.days)
                   for name in DATE_FIELDS if getattr(event, name) is not None}
    if date_problems(moved_dates, today):
        raise Problems([ValidationProblem(
            "Les autres dates de la journée (fin, ouverture et clôture des inscriptions), "
            f"décalées d’autant, ne seraient plus {_between(today)} : choisissez "
            "une date plus proche.", "starts_on")])
    title = title or event.title
    if slug:
        _raise_if(slug_problems(slug))
    else:
        slug = unique_slug(title)

    def moved(value):
        return value + shift if value is not None else None

    copy = Event(
        slug=slug, title=title, status=EventStatus.DRAFT,
        starts_on=event.starts_on + shift, ends_on=event.ends_on + shift,
        registration_opens_on=moved(event.registration_opens_on),
        registration_deadline=moved(event.registration_deadline),
        **{key: getattr(event, key) for key in (
            "edition", "timezone", "venue_name", "venue_address", "venue_postcode",
            "venue_city", "venue_access", "context", "presentation", "host_organisation",
            "partners", "audiences", "contact_email", "capacity", "waitlist_enabled",
            "workshop_mode", "workshop_choices", "retention_days",
            "accommodation_retention_days", "facilitators_see_contact")})
    db.session.add(copy)
    for membership in event.memberships:
        copy.memberships.append(EventMembership(user_id=membership.user_id,
                                                role=membership.role))
    rooms = {}
    for room in event.rooms:
        rooms[room.id] = Room(name=room.name, capacity=room.capacity, step_free=room.step_free)
        copy.rooms.append(rooms[room.id])
    for session in event.sessions:
        new_session = Session(
            kind=session.kind, title=session.title, description=session.description,
            starts_at=session.starts_at + shift, ends_at=moved(session.ends_at),
            position=session.position, room=rooms.get(session.room_id))
        copy.sessions.append(new_session)
        contributions = {}
        for contribution in session.contributions:
            contributions[contribution.id] = Contribution(
                title=contribution.title, description=contribution.description,
                position=contribution.position)
            new_session.contributions.append(contributions[contribution.id])
        workshops = {}
        for workshop in session.workshops:
            workshops[workshop.id] = Workshop(
                number=workshop.number, title=workshop.title, sector=workshop.sector,
                theme=workshop.theme, description=workshop.description,
                room=rooms.get(workshop.room_id), capacity=workshop.capacity)
            new_session.workshops.append(workshops[workshop.id])
        for part in session.participations:
            new_session.participations.append(Participation(
                person=part.person, role=part.role, position=part.position,
                function=part.function, organisation=part.organisation,
                workshop=workshops.get(part.workshop_id),
                contribution=contributions.get(part.contribution_id)))
    db.session.flush()
    return copy


# --- Rooms and people --------------------------------------------------------------------

def save_room(event: Event, room: Room | None, name: str, capacity: int | None,
              step_free: bool) -> Room:
    name = name.strip()
    clash = next((r for r in event.rooms
                  if r is not room and r.name.casefold() == name.casefold()), None)
    if clash is not None:
        raise Problems([ValidationProblem(
            f"Une salle s’appelle déjà {quoted(clash.name)} pour cette journée.", "name")])
    if capacity is not None and capacity <= 0:
        raise Problems([ValidationProblem("La capacité doit être un nombre positif.",
                                          "capacity")])
    if room is None:
        room = Room()
        event.rooms.append(room)
    room.name, room.capacity, room.step_free = name, capacity, step_free
    return room


def delete_room(event: Event, room: Room) -> None:
    """Delete a room; the sessions and workshops held there no longer have one."""
    for session in event.sessions:
        if session.room_id == room.id:
            session.room = None
            session.touch()
        for workshop in session.workshops:
            if workshop.room_id == room.id:
                workshop.room = None
                workshop.touch()
    _delete(room, refresh=[(event, ["rooms"])])


def search_people(query: str = "", page: int = 1, per_page: int = 25, *, among
                  ) -> tuple[list[Person], int]:
    """People of ``among`` (a select of :class:`Person`, e.g. the ones an account may see)
    whose name or organisation contains every word of ``query``, ignoring case and
    accents; returns one page and the total count."""
    people = db.session.scalars(among).all()
    words = fold(query).split()
    if words:
        people = [p for p in people
                  if all(word in fold(f"{p.first_name} {p.last_name} {p.organisation}")
                         for word in words)]
    people.sort(key=lambda p: (fold(p.last_name), fold(p.first_name), p.id))
    start = (max(page, 1) - 1) * per_page
    return people[start:start + per_page], len(people)


def save_person(person: Person | None, first_name: str, last_name: str = "",
                function: str = "", organisation: str = "", email: str | None = None, *,
                editor=None) -> Person:
    """Create a person (``editor`` becomes their creator) or change one.

    Changing the e-mail address needs an ``editor`` who manages every event the person
    takes part in (their facilitator links are sent there); the change goes to the audit
    log of each of these events.
    """
    email = (email or "").strip() or None
    problems = []
    if not first_name.strip():
        problems.append(ValidationProblem("Indiquez le prénom.", "first_name"))
    problems += email_problems(email or "", "email")
    email_changed = person is not None and email != person.email
    events = events_of_person(person) if email_changed else []
    if email_changed and (editor is None or not may_change_email(editor, person, events)):
        problems.append(ValidationProblem(
            "Vous ne pouvez pas changer l’adresse e-mail de cette personne\u00a0: elle "
            "intervient aussi dans une journée que vous n’organisez pas. Demandez-le à un·e "
            "administrateur·rice.", "email"))
    _raise_if(problems)
    if person is None:
        person = Person(created_by_id=editor.id if editor is not None else None)
        db.session.add(person)
    elif email_changed:
        for event in events or [None]:
            record("organiser.change_person_email", actor=actor_for_user(editor), event=event,
                   target=f"{person.full_name} (fiche n°\u00a0{person.id})")
    person.first_name, person.last_name = first_name.strip(), last_name.strip()
    person.function, person.organisation = function.strip(), organisation.strip()
    person.email = email
    return person


# --- Sessions ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Occupation:
    """Where a room or a person is busy: one session, or one workshop of a session."""

    starts_at: datetime
    ends_at: datetime | None
    session_id: int | None
    workshop_id: int | None
    label: str

    @property
    def end(self) -> datetime:
        return self.ends_at or self.starts_at + POINT_DURATION

    def overlaps(self, other: Occupation) -> bool:
        return self.starts_at < other.end and other.starts_at < self.end

    def describe(self) -> str:
        return (f"{quoted(self.label)} ({format_date(self.starts_at.date())}, "
                f"{format_time_range(self.starts_at, self.ends_at)})")


def _session_label(session: Session) -> str:
    return session.display_title


def _workshop_label(workshop: Workshop) -> str:
    return f"Atelier n°\u00a0{workshop.number} {workshop.title}".strip()


def room_occupations(event: Event, room_id: int) -> list[Occupation]:
    found = []
    for session in event.sessions:
        if session.room_id == room_id:
            found.append(Occupation(session.starts_at, session.ends_at, session.id, None,
                                    _session_label(session)))
        for workshop in session.workshops:
            if workshop.room_id == room_id:
                found.append(Occupation(session.starts_at, session.ends_at, session.id,
                                        workshop.id, _workshop_label(workshop)))
    return found


def person_occupations(event: Event, person_id: int) -> list[Occupation]:
    found = []
    for session in event.sessions:
        for part in session.participations:
            if part.person_id == person_id:
                label = (_workshop_label(part.workshop) if part.workshop is not None
                         else _session_label(session))
                found.append(Occupation(session.starts_at, session.ends_at, session.id,
                                        part.workshop_id, label))
    return found


def _clashes(place: Occupation, other: Occupation) -> bool:
    """Two places at once: overlapping sessions, or two workshops of one slot."""
    if place.session_id is not None and place.session_id == other.session_id:
        return (place.workshop_id is not None and other.workshop_id is not None
                and place.workshop_id != other.workshop_id)
    return place.overlaps(other)


def room_problem(event: Event, room: Room | None, place: Occupation,
                 field: str = "room_id") -> ValidationProblem | None:
    """A room hosts one thing at a time (the parallel workshops of a slot included)."""
    if room is None:
        return None
    for other in room_occupations(event, room.id):
        same = (other.session_id == place.session_id and other.workshop_id == place.workshop_id)
        if same:
            continue
        if other.session_id == place.session_id and (place.workshop_id is None
                                                      or other.workshop_id is None):
            continue  # A workshops slot and its own workshops may share a room.
        if place.overlaps(other):
            return ValidationProblem(
                f"La salle {quoted(room.name)} est déjà occupée à ce moment-là par "
                f"{other.describe()}.", field)
    return None


def person_warnings(event: Event, person: Person, place: Occupation) -> list[str]:
    return [f"{person.full_name} intervient aussi dans {other.describe()}, au même moment."
            for other in person_occupations(event, person.id) if _clashes(place, other)]


def session_times(day: date, start: time, end: time | None) -> tuple[datetime, datetime | None]:
    return datetime.combine(day, start), (datetime.combine(day, end) if end else None)


def session_problems(event: Event, session: Session | None, day: date, start: time,
                     end: time | None, room: Room | None) -> list[ValidationProblem]:
    problems = []
    if end is not None and end <= start:
        problems.append(ValidationProblem(
            "L’heure de fin doit être après l’heure de début.", "end"))
    if not event.starts_on <= day <= event.ends_on:
        when = (format_date(event.starts_on) if event.starts_on == event.ends_on
                else f"du {format_date(event.starts_on)} au {format_date(event.ends_on)}")
        problems.append(ValidationProblem(
            f"La séance doit avoir lieu pendant la journée : {when}.", "day"))
    if not problems:
        starts_at, ends_at = session_times(day, start, end)
        place = Occupation(starts_at, ends_at, session.id if session else None, None, "")
        problem = room_problem(event, room, place)
        if problem:
            problems.append(problem)
    return problems


def save_session(event: Event, session: Session | None, *, kind: SessionKind, title: str,
                 description: str, day: date, start: time, end: time | None,
                 room: Room | None = None, confirmed: bool = False) -> Session:
    """Add or change a session; moving it must not put one of its people in two places."""
    problems = session_problems(event, session, day, start, end, room)
    if session is not None and kind != SessionKind.WORKSHOPS and session.workshops:
        problems.append(ValidationProblem(
            "Cette séance contient des ateliers : supprimez-les avant de changer son type.",
            "kind"))
    _raise_if(problems)
    starts_at, ends_at = session_times(day, start, end)
    if session is not None and not confirmed and (starts_at, ends_at) != (
            session.starts_at, session.ends_at):
        warnings = []
        for part in session.participations:
            place = Occupation(starts_at, ends_at, session.id, part.workshop_id, "")
            for warning in person_warnings(event, part.person, place):
                if warning not in warnings:
                    warnings.append(warning)
        if warnings:
            raise NeedsConfirmation(warnings)
    if session is None:
        same_start = [s for s in event.sessions if s.starts_at == starts_at]
        session = Session(position=len(same_start))
        event.sessions.append(session)
    else:
        session.touch()
    session.kind, session.title, session.description = kind, title.strip(), description
    session.starts_at, session.ends_at, session.room = starts_at, ends_at, room
    return session


def _delete(*objects, refresh=()) -> None:
    """Delete rows now, children before parents, then forget the collections in
    ``refresh`` that held them, so no later cascade tries to delete them twice."""
    for obj in objects:
        db.session.delete(obj)
    db.session.flush()
    for parent, names in refresh:
        db.session.expire(parent, names)


def delete_session(event: Event, session: Session) -> None:
    """Delete a session with its workshops, contributions and who takes part in them."""
    _delete(*session.participations, refresh=[
        (session, ["participations"]),
        *((w, ["facilitators"]) for w in session.workshops),
        *((c, ["presenters"]) for c in session.contributions)])
    _delete(*session.workshops, *session.contributions,
            refresh=[(session, ["workshops", "contributions"])])
    _delete(session, refresh=[(event, ["sessions"])])


# --- Participants ------------------------------------------------------------------------

def siblings(session: Session, contribution: Contribution | None = None,
             workshop: Workshop | None = None) -> list[Participation]:
    """The ordered people of one parent: the session itself, a contribution or a workshop."""
    if workshop is not None:
        parts = workshop.facilitators
    elif contribution is not None:
        parts = contribution.presenters
    else:
        parts = session.participants
    return sorted(parts, key=lambda p: (p.position, p.id or 0))


def _renumber(items) -> None:
    for position, item in enumerate(items):
        item.position = position


def _touch(session: Session, workshop: Workshop | None) -> None:
    session.touch()
    if workshop is not None:
        workshop.touch()


def add_participant(session: Session, person: Person, role: Role, *,
                    contribution: Contribution | None = None,
                    workshop: Workshop | None = None, function: str | None = None,
                    organisation: str | None = None, confirmed: bool = False) -> Participation:
    """Append a person to a session, a contribution or a workshop, warning first when they
    would be somewhere else at the same time."""
    if person.id is not None and not confirmed:
        place = Occupation(session.starts_at, session.ends_at, session.id,
                           workshop.id if workshop else None, "")
        warnings = person_warnings(session.event, person, place)
        if warnings:
            raise NeedsConfirmation(warnings)
    part = Participation(person=person, role=role,
                         position=len(siblings(session, contribution, workshop)),
                         function=function or None, organisation=organisation or None)
    session.participations.append(part)
    if workshop is not None:
        workshop.facilitators.append(part)
    elif contribution is not None:
        contribution.presenters.append(part)
    _touch(session, workshop)
    return part


def move_participant(part: Participation, offset: int) -> None:
    """Move up (``-1``) or down (``+1``) among the people of the same parent."""
    group = siblings(part.session, part.contribution, part.workshop)
    index = group.index(part)
    target = index + offset
    if 0 <= target < len(group):
        group[index], group[target] = group[target], group[index]
    _renumber(group)
    _touch(part.session, part.workshop)


def remove_participant(part: Participation) -> None:
    session, workshop, contribution = part.session, part.workshop, part.contribution
    group = [p for p in siblings(session, contribution, workshop) if p is not part]
    if workshop is not None:
        workshop.facilitators.remove(part)
    if contribution is not None:
        contribution.presenters.remove(part)
    session.participations.remove(part)
    db.session.delete(part)
    _renumber(group)
    _touch(session, workshop)


# --- Contributions and workshops ---------------------------------------------------------

def save_contribution(session: Session, contribution: Contribution | None, title: str,
                      description: str) -> Contribution:
    if not title.strip():
        raise Problems([ValidationProblem("Indiquez le titre de la contribution.", "title")])
    if contribution is None:
        contribution = Contribution(position=len(session.contributions))
        session.contributions.append(contribution)
    contribution.title, contribution.description = title.strip(), description
    session.touch()
    return contribution


def move_contribution(contribution: Contribution, offset: int) -> None:
    session = contribution.session
    group = sorted(session.contributions, key=lambda c: (c.position, c.id or 0))
    index = group.index(contribution)
    target = index + offset
    if 0 <= target < len(group):
        group[index], group[target] = group[target], group[index]
    _renumber(group)
    session.touch()


def delete_contribution(contribution: Contribution) -> None:
    session = contribution.session
    _delete(*contribution.presenters,
            refresh=[(contribution, ["presenters"]), (session, ["participations"])])
    _delete(contribution, refresh=[(session, ["contributions"])])
    _renumber(sorted(session.contributions, key=lambda c: (c.position, c.id)))
    session.touch()


def save_workshop(session: Session, workshop: Workshop | None, *, number: int, title: str,
                  sector: str, theme: str, description: str, room: Room | None,
                  capacity: int | None, confirmed: bool = False) -> Workshop:
    """Add or change a workshop of a workshops slot; a capacity above the room's is
    allowed only once confirmed."""
    problems = []
    if session.kind != SessionKind.WORKSHOPS:
        problems.append(ValidationProblem(
            "Seule une séance de type « Ateliers » peut contenir des ateliers.", "number"))
    if any(w.number == number for w in session.workshops if w is not workshop):
        problems.append(ValidationProblem(
            f"L’atelier n°\u00a0{number} existe déjà dans cette séance.", "number"))
    if number is not None and number < 1:
        problems.append(ValidationProblem("Le numéro doit être un nombre positif.", "number"))
    if capacity is not None and capacity <= 0:
        problems.append(ValidationProblem("La capacité doit être un nombre positif.",
                                          "capacity"))
    if not title.strip():
        problems.append(ValidationProblem("Indiquez le titre de l’atelier.", "title"))
    if not problems:
        place = Occupation(session.starts_at, session.ends_at, session.id,
                           workshop.id if workshop else -1, "")
        problem = room_problem(session.event, room, place)
        if problem:
            problems.append(problem)
    _raise_if(problems)
    if (not confirmed and room is not None and room.capacity is not None
            and capacity is not None and capacity > room.capacity):
        raise NeedsConfirmation([
            f"La capacité de l’atelier ({capacity} places) dépasse celle de la salle "
            f"{quoted(room.name)} ({room.capacity} places)."])
    if workshop is None:
        workshop = Workshop()
        session.workshops.append(workshop)
    else:
        workshop.touch()
    workshop.number, workshop.title, workshop.sector = number, title.strip(), sector.strip()
    workshop.theme, workshop.description = theme.strip(), description
    workshop.room, workshop.capacity = room, capacity
    session.touch()
    return workshop


def delete_workshop(workshop: Workshop) -> None:
    session = workshop.session
    _delete(*workshop.facilitators,
            refresh=[(workshop, ["facilitators"]), (session, ["participations"])])
    _delete(workshop, refresh=[(session, ["workshops"])])
    session.touch()
