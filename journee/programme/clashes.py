"""Clash detection: a room hosts one thing at a time, a person is in one place at a time.

A session or a workshop is an :class:`Occupation` of its room and of its people; the
editor refuses a room taken twice (:func:`room_problem`) and warns about a person taking
part in two things at once (:func:`person_warnings`); the timetable and the checklist
before publication list every such person of the day (:func:`person_clashes`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ..errors import ValidationProblem
from ..formatting import NNBSP, format_date, format_time, format_time_range, french_spacing
from ..util.text import quoted
from .models import Event, Participation, Person, Room, Session, SessionKind, Workshop

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
    what: str = ""
    """What a sentence calls it: « l’atelier n° 3 « Écrans » », « la table ronde »."""

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


#: A session's kind as a sentence names it, after « dans ».
KIND_NOUNS = {
    SessionKind.WELCOME: "l’accueil",
    SessionKind.INTRODUCTION: "l’introduction",
    SessionKind.PLENARY: "la conférence plénière",
    SessionKind.WORKSHOPS: "la séance d’ateliers",
    SessionKind.BREAK: "la pause",
    SessionKind.LUNCH: "la pause déjeuner",
    SessionKind.SYNTHESIS: "la restitution des ateliers",
    SessionKind.ROUND_TABLE: "la table ronde",
    SessionKind.TALKS: "les communications",
    SessionKind.TESTIMONY: "les témoignages",
    SessionKind.CLOSING: "la clôture",
    SessionKind.SOCIAL: "le buffet",
    SessionKind.OTHER: "la séance",
}


def _titled(noun: str, title: str) -> str:
    title = french_spacing(title.strip())
    return f"{noun} {quoted(title, NNBSP)}" if title else noun


def _occupation(session: Session, part: Participation) -> Occupation:
    """Where a participation keeps its person: its workshop, or else its session."""
    workshop = part.workshop
    if workshop is not None:
        return Occupation(session.starts_at, session.ends_at, session.id, workshop.id,
                          _workshop_label(workshop),
                          _titled(f"l’atelier n°\u00a0{workshop.number}", workshop.title))
    return Occupation(session.starts_at, session.ends_at, session.id, None,
                      _session_label(session), _titled(KIND_NOUNS[session.kind], session.title))


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


def people_occupations(event: Event) -> dict[int, list[Occupation]]:
    """Where each person of the programme is busy, by person id, in the order of the
    programme; a person with two parts in one place (moderator and presenter of one
    session) is busy there once."""
    found: dict[int, list[Occupation]] = {}
    for session in event.sessions:
        for part in sorted(session.participations,
                           key=lambda p: p.workshop.number if p.workshop else 0):
            place, places = _occupation(session, part), found.setdefault(part.person_id, [])
            if place not in places:
                places.append(place)
    return found


def person_occupations(event: Event, person_id: int) -> list[Occupation]:
    return people_occupations(event).get(person_id, [])


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


@dataclass(frozen=True)
class PersonClash:
    """A person taking part in two things at once: one pair of overlapping occupations."""

    person: Person
    first: Occupation
    second: Occupation

    @property
    def starts_at(self) -> datetime:
        return max(self.first.starts_at, self.second.starts_at)

    @property
    def day(self) -> date:
        return self.starts_at.date()

    @property
    def when(self) -> str:
        """« jeudi 15 mars 2018 de 14 h à 15 h 30 », while both are on; « … à 17 h » when
        one of them has no end."""
        start, ends = self.starts_at, (self.first.ends_at, self.second.ends_at)
        if None in ends:
            return f"{format_date(start.date())} à {format_time(start)}"
        return f"{format_date(start.date())} de {format_time(start)} à {format_time(min(ends))}"

    @property
    def message(self) -> str:
        return (f"{self.person.full_name} intervient dans {self.first.what} et dans "
                f"{self.second.what}, {self.when}.")


def person_clashes(event: Event) -> list[PersonClash]:
    """Every person of the programme taking part in two things at once, once per pair of
    occupations, by time then name. Reads only what the programme holds: with it loaded
    (see :func:`.queries.programme_options`), no query."""
    people = {part.person_id: part.person
              for session in event.sessions for part in session.participations}
    found = []
    for person_id, places in people_occupations(event).items():
        for number, place in enumerate(places):
            found.extend(PersonClash(people[person_id], place, other)
                         for other in places[number + 1:] if clashes(place, other))
    return sorted(found, key=lambda clash: (clash.starts_at, clash.person.sort_key))
