"""What the programme editor's pages share: loading their objects (within an event the
current account manages, see :mod:`journee.web.loaders`), room choices, problems shown
next to their fields."""

from flask import abort
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from ...extensions import db
from ...web.forms import options
from ...web.loaders import owned_or_404
from ..models import Contribution, Event, Participation, Person, Room, Session, Workshop
from ..permissions import visible_people_query
from ..services import Problems


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
        (room.id, room.name + (f" ({room.capacity}\u00a0places)" if room.capacity else ""))
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
