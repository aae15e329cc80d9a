"""Loading what a URL names, only within an event the current account manages."""

from flask import abort
from flask_login import current_user

from ...extensions import db
from wtforms.fields.choices import SelectChoice

from ..editing import Problems
from ..forms import options
from ..models import Contribution, Event, Participation, Room, Session, Workshop
from ..permissions import can_manage


def event_or_404(event_id: int) -> Event:
    """The event, or 404 alike for a missing event and one managed by others."""
    event = db.session.get(Event, event_id)
    if event is None or not can_manage(current_user, event):
        abort(404)
    return event


def session_or_404(event: Event, session_id: int) -> Session:
    session = db.session.get(Session, session_id)
    if session is None or session.event_id != event.id:
        abort(404)
    return session


def room_or_404(event: Event, room_id: int) -> Room:
    room = db.session.get(Room, room_id)
    if room is None or room.event_id != event.id:
        abort(404)
    return room


def contribution_or_404(session: Session, contribution_id: int) -> Contribution:
    contribution = db.session.get(Contribution, contribution_id)
    if contribution is None or contribution.session_id != session.id:
        abort(404)
    return contribution


def workshop_or_404(session: Session, workshop_id: int) -> Workshop:
    workshop = db.session.get(Workshop, workshop_id)
    if workshop is None or workshop.session_id != session.id:
        abort(404)
    return workshop


def participation_or_404(session: Session, participation_id: int,
                         contribution: Contribution | None = None,
                         workshop: Workshop | None = None) -> Participation:
    part = db.session.get(Participation, participation_id)
    if (part is None or part.session_id != session.id
            or part.workshop_id != (workshop.id if workshop else None)
            or part.contribution_id != (contribution.id if contribution else None)):
        abort(404)
    return part


def room_from_choice(event: Event, room_id: int | None) -> Room | None:
    """The room picked in a select (``0`` for none); the choices only list this event's."""
    return next((room for room in event.rooms if room.id == room_id), None) if room_id else None


def room_choices(event: Event) -> list[SelectChoice]:
    return options([(0, "Aucune salle")] + [
        (room.id, room.name + (f" ({room.capacity} places)" if room.capacity else ""))
        for room in event.rooms])


def show_problems(form, error: Problems) -> list[str]:
    """Put each problem next to its field; return those that belong to no field."""
    extra = []
    for problem in error.problems:
        field = form._fields.get(problem.field) if problem.field else None
        if field is None:
            extra.append(str(problem))
        else:
            field.errors = list(field.errors) + [str(problem)]
    return extra
