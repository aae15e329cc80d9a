"""The organiser's programme editor: rules and changes, without any request state.

Views collect plain values from their forms and call these functions; a broken rule raises
:class:`Problems` (errors tied to form fields), a doubtful change that the organiser may
still want raises :class:`NeedsConfirmation` until it is confirmed.

This module holds the editor's errors and the operations on an event itself: its settings,
its status, its copy to a new date and its rooms. What happens inside its sessions is in
:mod:`.sessions`, the people in :mod:`.people`, the checks for a room or a person taken
twice in :mod:`.clashes`.
"""

from __future__ import annotations

from datetime import date

from email_validator import EmailNotValidError, validate_email

from ..errors import JourneeError, ValidationProblem
from ..extensions import db
from ..formatting import format_date
from ..util.clock import today_in
from ..util.text import quoted
from .models import (
    ACCESSIBILITY_FIELDS,
    Contribution,
    Event,
    EventMembership,
    EventStatus,
    Participation,
    Room,
    Session,
    Workshop,
    days_after,
)
from .slugs import slug_problems, unique_slug


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


def raise_problems(problems: list[ValidationProblem]) -> None:
    """Raise :class:`Problems` if there are any."""
    if problems:
        raise Problems(problems)


def delete_rows(*objects, refresh=()) -> None:
    """Delete rows now, children before parents, then forget the collections in
    ``refresh`` that held them, so no later cascade tries to delete them twice."""
    for obj in objects:
        db.session.delete(obj)
    db.session.flush()
    for parent, names in refresh:
        db.session.expire(parent, names)


# --- Events -----------------------------------------------------------------------------

def email_problems(email: str, field: str = "contact_email") -> list[ValidationProblem]:
    if not email:
        return []
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return [ValidationProblem("Saisissez une adresse e-mail valide, par exemple "
                                  "«\u202fcontact@exemple.fr\u202f».", field)]
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
    "facilitators_see_contact", "reminder_days",
    "action_objectives", "action_nature",
) + ACCESSIBILITY_FIELDS


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
    problems += email_problems(data.get("referent_email") or "", "referent_email")
    return problems


def save_event(event: Event | None, data: dict, creator=None,
               today: date | None = None) -> Event:
    """Create an event (its creator becomes a member) or update one; raise :class:`Problems`."""
    data = {key: value for key, value in data.items() if key in EVENT_FIELDS}
    data["slug"] = (data.get("slug") or "").strip().lower()
    raise_problems(event_problems(data, event.id if event else None, today))
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
    raise_problems(date_problems({"starts_on": new_start}, today))
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
        raise_problems(slug_problems(slug))
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
            "accommodation_retention_days", "facilitators_see_contact",
            "reminder_days", "action_objectives", "action_nature") + ACCESSIBILITY_FIELDS})
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


# --- Rooms ------------------------------------------------------------------------------

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
    delete_rows(room, refresh=[(event, ["rooms"])])
