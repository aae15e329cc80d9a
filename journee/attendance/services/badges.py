"""What an event's badges show, loaded in a few queries and turned into plain data.

A badge never carries a sensitive field: no profile (so never « personne accompagnée »),
no accommodation need, no e-mail or phone. Attendees' badges carry a QR code with their
check-in link; people of the programme and of the team have no registration, so no code.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...documents.badges_pdf import ROLE_ANIMATION, ROLE_INTERVENTION, ROLE_ORGANISATION, Badge
from ...extensions import db
from ...formatting import format_date, format_time
from ...models_base import new_badge_code
from ...programme.models import Event, Participation, Session, Workshop
from ...registration.models import Registration
from ..links import checkin_url
from ..roster import confirmed_attendees, workshops_by_registration

TEAM_MAX_LINES = 200
TEAM_MAX_LINE = 300


class Selection(enum.StrEnum):
    ALL = "tous"
    NEW = "nouveaux"
    ONE = "une-personne"
    CHOSEN = "liste"
    PROGRAMME = "programme"
    TEAM = "equipe"


def event_date_text(event: Event) -> str:
    """« Jeudi 15 mars 2018 », or « Du lundi … au mardi … » for several days."""
    if event.ends_on == event.starts_on:
        text = format_date(event.starts_on)
        return text[:1].upper() + text[1:]
    return f"Du {format_date(event.starts_on)} au {format_date(event.ends_on)}"


def workshop_text(workshop: Workshop, with_time: bool) -> str:
    """« Atelier 3 · Salle 204 »; with several workshop slots the time comes first:
    « 14 h · Atelier 3 · Salle 204 »."""
    parts = [f"Atelier {workshop.number}"]
    if workshop.room is not None:
        parts.append(workshop.room.name)
    if with_time:
        parts.insert(0, format_time(workshop.session.starts_at))
    return " · ".join(parts)


def _several_slots(event: Event) -> bool:
    return len([slot for slot in event.workshop_sessions if slot.workshops]) > 1


def _badge(event: Event, **fields) -> Badge:
    return Badge(event_title=event.title, event_date=event_date_text(event), **fields)


# Attendees -------------------------------------------------------------------------------

def attendees_to_print(event: Event, selection: Selection,
                       registration: Registration | None = None,
                       chosen_ids: Iterable[int] = ()) -> list[Registration]:
    """The confirmed attendees a selection names, alphabetically (``chosen_ids``: those
    chosen in the registrations list)."""
    if selection == Selection.ONE:
        return [registration] if registration is not None else []
    attendees = confirmed_attendees(event)
    if selection == Selection.CHOSEN:
        chosen = set(chosen_ids)
        return [person for person in attendees if person.id in chosen]
    if selection == Selection.NEW:
        return [person for person in attendees if person.badge_printed_at is None]
    return attendees


def give_badge_codes(registrations: list[Registration]) -> None:
    """Registrations made before badges existed get their code when first printed."""
    for registration in registrations:
        if not registration.badge_code:
            registration.badge_code = new_badge_code()
    db.session.flush()


def attendee_badges(event: Event, registrations: list[Registration],
                    base_url: str | None = None) -> list[Badge]:
    """The badges of these confirmed attendees (their codes given beforehand), with
    their workshops: number and room, and the time when there are several slots."""
    placed = workshops_by_registration(event)
    with_time = _several_slots(event)
    return [_badge(event, first_name=person.first_name, last_name=person.last_name,
                   organisation=person.organisation,
                   workshops=tuple(workshop_text(w, with_time)
                                   for w in placed.get(person.id, ())),
                   qr_url=checkin_url(event.id, person.badge_code, base_url))
            for person in registrations]


def mark_printed(registrations: list[Registration], moment: datetime) -> None:
    for registration in registrations:
        registration.badge_printed_at = moment


# The programme's people ------------------------------------------------------------------

def programme_badges(event: Event) -> list[Badge]:
    """One badge per person of the programme: « Animation » for those who run a
    workshop (with their workshops), « Intervention » for the sessions' speakers,
    moderators, witnesses…; alphabetically."""
    participations = db.session.scalars(
        select(Participation).join(Session, Session.id == Participation.session_id)
        .where(Session.event_id == event.id)
        .options(selectinload(Participation.person),
                 selectinload(Participation.workshop).selectinload(Workshop.room),
                 selectinload(Participation.workshop).selectinload(Workshop.session))
        .order_by(Session.starts_at, Participation.position, Participation.id)).all()
    with_time = _several_slots(event)
    people: dict[int, list[Participation]] = {}
    for participation in participations:
        people.setdefault(participation.person_id, []).append(participation)
    badges = []
    for parts in sorted(people.values(), key=lambda parts: parts[0].person.sort_key):
        person = parts[0].person
        workshops = sorted({p.workshop for p in parts if p.workshop is not None},
                           key=lambda w: (w.session.starts_at, w.number))
        organisation = next((p.shown_organisation for p in parts if p.shown_organisation),
                            "") or next((p.shown_function for p in parts
                                         if p.shown_function), "")
        badges.append(_badge(
            event, first_name=person.first_name, last_name=person.last_name,
            organisation=organisation,
            workshops=tuple(workshop_text(w, with_time) for w in workshops),
            role=ROLE_ANIMATION if workshops else ROLE_INTERVENTION))
    return badges


# The organising team ---------------------------------------------------------------------

@dataclass(frozen=True)
class TeamMember:
    first_name: str
    last_name: str
    function: str


def parse_team(text: str) -> tuple[list[TeamMember], list[str]]:
    """Read « Prénom Nom ; fonction », one person a line (the first word is the first
    name, the function is optional); return the people and French problems by line."""
    members, problems = [], []
    # Split on line breaks only: ``str.splitlines`` would also split on ``\x0b``.
    lines = [line.strip() for line in re.split(r"\r\n|\r|\n", text or "")]
    if len([line for line in lines if line]) > TEAM_MAX_LINES:
        return [], [f"Indiquez au plus {TEAM_MAX_LINES}\u00a0personnes à la fois."]
    for number, line in enumerate(lines, start=1):
        if not line:
            continue
        if len(line) > TEAM_MAX_LINE:
            problems.append(f"Ligne {number}\u202f: {TEAM_MAX_LINE}\u00a0caractères au "
                            "maximum.")
            continue
        if any(unicodedata.category(char) == "Cc" for char in line):
            problems.append(f"Ligne {number}\u202f: la ligne contient des caractères non "
                            "autorisés.")
            continue
        name, _, function = line.partition(";")
        words = name.split()
        if not words:
            problems.append(f"Ligne {number}\u202f: indiquez le prénom et le nom avant le "
                            "point-virgule.")
            continue
        members.append(TeamMember(words[0], " ".join(words[1:]), function.strip()))
    return members, problems


def team_badges(event: Event, members: Iterable[TeamMember]) -> list[Badge]:
    """Badges with the « Organisation » band; the function, then the host organisation."""
    return [_badge(event, first_name=member.first_name, last_name=member.last_name,
                   organisation=", ".join(part for part in (
                       member.function, event.host_organisation) if part),
                   role=ROLE_ORGANISATION)
            for member in members]
