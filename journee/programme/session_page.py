"""Saving a session's whole form at once: its times and room, its people, and for a
workshops slot its parallel workshops with their facilitators. Every problem is reported
together; nothing is kept while there is one (the caller rolls back)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

from ..errors import ValidationProblem
from ..extensions import db
from .models import Event, Room, Session, SessionKind, Workshop
from .services import NeedsConfirmation, Problems
from .session_people import PeopleFinder, PersonRow, default_role, people_warnings, set_people
from .sessions import delete_workshop, save_session, save_workshop


@dataclass
class WorkshopRow:
    """One filled workshop row; ``field`` prefixes its form fields (``workshops-0``)."""

    field: str
    workshop: Workshop | None
    title: str
    sector: str = ""
    room: Room | None = None
    capacity: int | None = None
    remove: bool = False
    people: list[PersonRow] = field(default_factory=list)


@dataclass
class SessionChanges:
    kind: SessionKind
    title: str
    description: str
    day: date
    start: time
    end: time | None
    room: Room | None
    people: list[PersonRow] | None
    """``None``: leave the session's own people as they are."""
    workshops: list[WorkshopRow]


def _retry_confirmed(warnings: list[str], save, confirmed: bool, **kwargs):
    """Save, collecting the warnings instead of stopping at the first."""
    try:
        return save(**kwargs, confirmed=confirmed)
    except NeedsConfirmation as warning:
        warnings += [w for w in warning.warnings if w not in warnings]
        return save(**kwargs, confirmed=True)


def save_session_page(event: Event, session: Session | None, changes: SessionChanges,
                      finder: PeopleFinder, confirmed: bool = False) -> Session:
    """Add or change a session with its people and workshops.

    :raises Problems: every broken rule, each naming its field (``participants-2-name``).
    :raises NeedsConfirmation: someone in two places at once, a workshop bigger than its
        room; the changes are made but must not be committed.
    """
    rows = (changes.people or []) + [row for w in changes.workshops for row in w.people]
    problems = [problem for row in rows for problem in finder.check(row)]
    warnings: list[str] = []
    try:
        session = _retry_confirmed(
            warnings, save_session, confirmed, event=event, session=session,
            kind=changes.kind, title=changes.title, description=changes.description,
            day=changes.day, start=changes.start, end=changes.end, room=changes.room)
    except Problems as error:
        raise Problems(error.problems + problems) from None
    if problems:
        raise Problems(problems)
    db.session.flush()

    if changes.people is not None:
        wanted = [(finder.person(row), row.role or default_role(changes.kind, index))
                  for index, row in enumerate(changes.people)]
        warnings += [w for w in people_warnings(session, wanted) if w not in warnings]
        set_people(session, wanted)

    number = max((w.number for w in session.workshops), default=0)
    for row in changes.workshops:
        if row.remove:
            if row.workshop is not None:
                delete_workshop(row.workshop)
            continue
        if not row.title:
            problems.append(ValidationProblem("Indiquez le titre de l’atelier.",
                                              f"{row.field}-title"))
            continue
        if row.workshop is None:
            number += 1
        existing = row.workshop
        try:
            workshop = _retry_confirmed(
                warnings, save_workshop, confirmed, session=session, workshop=existing,
                number=existing.number if existing else number, title=row.title,
                sector=row.sector, theme=existing.theme if existing else "",
                description=existing.description if existing else "", room=row.room,
                capacity=row.capacity)
        except Problems as error:
            problems += [ValidationProblem(str(p), f"{row.field}-" + (
                "title" if p.field in (None, "number") else p.field)) for p in error.problems]
            continue
        db.session.flush()
        facilitators = [(finder.person(person), person.role or default_role(
            changes.kind, index, workshop=True)) for index, person in enumerate(row.people)]
        warnings += [w for w in people_warnings(session, facilitators, workshop)
                     if w not in warnings]
        set_people(session, facilitators, workshop)
    if problems:
        raise Problems(problems)
    if warnings and not confirmed:
        raise NeedsConfirmation(warnings)
    return session
