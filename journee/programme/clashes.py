"""Clash detection: a room hosts one thing at a time, a person is in one place at a time.

A session or a workshop is an :class:`Occupation` of its room and of its people; the
editor refuses a room taken twice (:func:`room_problem`) and warns about a person taking
part in two things at once (:func:`person_warnings`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ..errors import ValidationProblem
from ..formatting import format_date, format_time_range
from ..util.text import quoted
from .models import Event, Person, Room, Session, Workshop

# A session without an end time still occupies its room and its people for a moment.
POINT_DURATION = timedelta(minutes=1)


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


def clashes(place: Occupation, other: Occupation) -> bool:
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
            for other in person_occupations(event, person.id) if clashes(place, other)]
