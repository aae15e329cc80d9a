"""Loading what a URL names, only within an event the current account manages."""

from flask import abort
from flask_login import current_user

from ...extensions import db
from wtforms.fields.choices import SelectChoice

from ..forms import options
from ..models import Contribution, Event, Participation, Person, Room, Session, Workshop
from ..permissions import ORGANISER, RECEPTION, role_on, visible_people_query
from ..services import Problems


def event_or_404(event_id: int) -> Event:
    """The event, or 404 alike for a missing event and one managed by others; 403 for
    reception staff of this event (the organiser's pages are not theirs)."""
    event = db.session.get(Event, event_id)
    role = role_on(current_user, event) if event is not None else None
    if role is None:
        abort(404)
    if role not in ("admin", ORGANISER):
        abort(403)
    return event


def welcome_event_or_404(event_id: int) -> Event:
    """The event for check-in and assisted registration: organisers and reception."""
    event = db.session.get(Event, event_id)
    if event is None or role_on(current_user, event) not in ("admin", ORGANISER, RECEPTION):
        abort(404)
    return event


def owned_or_404(model, object_id: int, **owner):
    """The object, or 404 alike for a missing one and one that belongs elsewhere."""
    found = db.session.get(model, object_id)
    if found is None or any(getattr(found, name) != value for name, value in owner.items()):
        abort(404)
    return found


def session_or_404(event: Event, session_id: int) -> Session:
    return owned_or_404(Session, session_id, event_id=event.id)


def room_or_404(event: Event, room_id: int) -> Room:
    return owned_or_404(Room, room_id, event_id=event.id)


def contribution_or_404(session: Session, contribution_id: int) -> Contribution:
    return owned_or_404(Contribution, contribution_id, session_id=session.id)


def workshop_or_404(session: Session, workshop_id: int) -> Workshop:
    return owned_or_404(Workshop, workshop_id, session_id=session.id)


def participation_or_404(session: Session, participation_id: int,
                         contribution: Contribution | None = None,
                         workshop: Workshop | None = None) -> Participation:
    return owned_or_404(Participation, participation_id, session_id=session.id,
                         workshop_id=workshop.id if workshop else None,
                         contribution_id=contribution.id if contribution else None)


def visible_person(person_id: int | None) -> Person | None:
    """The person, if the current account may see them (see ``visible_people_query``)."""
    if not person_id:
        return None
    return db.session.scalar(visible_people_query(current_user).where(Person.id == person_id))


def person_or_404(person_id: int) -> Person:
    """The person, or 404 alike for a missing person and one the account may not see."""
    person = visible_person(person_id)
    if person is None:
        abort(404)
    return person


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
