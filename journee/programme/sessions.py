"""A programme's sessions and what they hold: the people taking part, contributions and
workshops. Rules broken raise :class:`~.services.Problems`, a person in two places at once
:class:`~.services.NeedsConfirmation` (see :mod:`.clashes`)."""

from __future__ import annotations

from datetime import date, datetime, time

from ..errors import ValidationProblem
from ..extensions import db
from ..formatting import format_dates
from ..util.text import quoted
from .clashes import Occupation, person_warnings, room_problem
from .models import (
    Contribution,
    Event,
    Participation,
    Person,
    Role,
    Room,
    Session,
    SessionKind,
    Workshop,
)
from .services import NeedsConfirmation, Problems, delete_rows, raise_problems

# --- Sessions ----------------------------------------------------------------------------

def session_times(day: date, start: time, end: time | None) -> tuple[datetime, datetime | None]:
    return datetime.combine(day, start), (datetime.combine(day, end) if end else None)


def session_problems(event: Event, session: Session | None, day: date, start: time,
                     end: time | None, room: Room | None) -> list[ValidationProblem]:
    problems = []
    if end is not None and end <= start:
        problems.append(ValidationProblem(
            "L’heure de fin doit être après l’heure de début.", "end"))
    if not event.starts_on <= day <= event.ends_on:
        when = format_dates(event.starts_on, event.ends_on)
        problems.append(ValidationProblem(
            f"La séance doit avoir lieu pendant la journée\u202f: {when}.", "day"))
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
            "Cette séance contient des ateliers\u202f: supprimez-les avant de changer son type.",
            "kind"))
    raise_problems(problems)
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


def delete_session(event: Event, session: Session) -> None:
    """Delete a session with its workshops, contributions and who takes part in them."""
    delete_rows(*session.participations, refresh=[
        (session, ["participations"]),
        *((w, ["facilitators"]) for w in session.workshops),
        *((c, ["presenters"]) for c in session.contributions)])
    delete_rows(*session.workshops, *session.contributions,
                refresh=[(session, ["workshops", "contributions"])])
    delete_rows(session, refresh=[(event, ["sessions"])])


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
    delete_rows(*contribution.presenters,
                refresh=[(contribution, ["presenters"]), (session, ["participations"])])
    delete_rows(contribution, refresh=[(session, ["contributions"])])
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
            "Seule une séance de type «\u202fAteliers\u202f» peut contenir des ateliers.", "number"))
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
    raise_problems(problems)
    if (not confirmed and room is not None and room.capacity is not None
            and capacity is not None and capacity > room.capacity):
        raise NeedsConfirmation([
            f"La capacité de l’atelier ({capacity}\u00a0places) dépasse celle de la salle "
            f"{quoted(room.name)} ({room.capacity}\u00a0places)."])
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
    delete_rows(*workshop.facilitators,
                refresh=[(workshop, ["facilitators"]), (session, ["participations"])])
    delete_rows(workshop, refresh=[(session, ["workshops"])])
    session.touch()


def duplicate_session(session: Session) -> Session:
    """Copy a session with its people, contributions and workshops, at the same time but
    in no room (the room is taken by the original): the organiser moves it next."""
    event = session.event
    copy = Session(kind=session.kind, title=session.title, description=session.description,
                   starts_at=session.starts_at, ends_at=session.ends_at,
                   position=len([s for s in event.sessions
                                 if s.starts_at == session.starts_at]))
    event.sessions.append(copy)

    def copy_part(part: Participation) -> Participation:
        new = Participation(person=part.person, role=part.role, position=part.position,
                            function=part.function, organisation=part.organisation)
        copy.participations.append(new)
        return new

    for part in siblings(session):
        copy_part(part)
    for contribution in sorted(session.contributions, key=lambda c: c.position):
        new = Contribution(title=contribution.title, description=contribution.description,
                           position=contribution.position)
        copy.contributions.append(new)
        new.presenters += [copy_part(p) for p in siblings(session, contribution=contribution)]
    for workshop in session.workshops:
        new = Workshop(number=workshop.number, title=workshop.title, sector=workshop.sector,
                       theme=workshop.theme, description=workshop.description,
                       capacity=workshop.capacity)
        copy.workshops.append(new)
        new.facilitators += [copy_part(p) for p in siblings(session, workshop=workshop)]
    return copy
