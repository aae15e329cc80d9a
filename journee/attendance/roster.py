"""Who is in which workshop, as the day's documents need it.

In preferences mode a person's workshop is their current assignment (published or not:
the organiser prints lists once satisfied); in first-come mode it is the workshop they
took, their rank-1 choice. Only confirmed registrations count.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..programme.models import Event, Session, Workshop, WorkshopMode
from ..registration.models import Assignment, Registration, RegistrationStatus, WorkshopChoice


def name_key(registration: Registration) -> tuple[str, str]:
    """Alphabetical order of a list of people: last name, then first name."""
    return (registration.last_name.casefold(), registration.first_name.casefold())


def placements(event: Event):
    """``(registration_id, workshop_id)`` pairs of the event's confirmed attendees."""
    if event.workshop_mode == WorkshopMode.FIRST_COME:
        return (select(WorkshopChoice.registration_id, WorkshopChoice.workshop_id)
                .join(Registration, Registration.id == WorkshopChoice.registration_id)
                .where(Registration.event_id == event.id, WorkshopChoice.rank == 1,
                       Registration.status == RegistrationStatus.CONFIRMED))
    return (select(Assignment.registration_id, Assignment.workshop_id)
            .join(Registration, Registration.id == Assignment.registration_id)
            .where(Registration.event_id == event.id,
                   Registration.status == RegistrationStatus.CONFIRMED))


def workshop_members(workshop: Workshop) -> list[Registration]:
    """The confirmed attendees placed in this workshop, alphabetically."""
    event = workshop.session.event
    placed = placements(event).subquery()
    members = db.session.scalars(
        select(Registration).join(placed, placed.c.registration_id == Registration.id)
        .where(placed.c.workshop_id == workshop.id)).all()
    return sorted(members, key=name_key)


def workshops_by_registration(event: Event, registration_ids=None
                              ) -> dict[int, list[Workshop]]:
    """Each confirmed attendee's workshops (or only those of ``registration_ids``, e.g. the
    few people a search shows), in programme order, in two queries."""
    workshops = {w.id: w for w in db.session.scalars(
        select(Workshop).join(Session, Session.id == Workshop.session_id)
        .where(Session.event_id == event.id).options(selectinload(Workshop.room)))}
    query = placements(event)
    if registration_ids is not None:
        query = query.where(query.selected_columns[0].in_(list(registration_ids)))
    placed: dict[int, list[Workshop]] = {}
    for registration_id, workshop_id in db.session.execute(query):
        placed.setdefault(registration_id, []).append(workshops[workshop_id])
    for items in placed.values():
        items.sort(key=lambda w: (w.session.starts_at, w.number))
    return placed


def confirmed_attendees(event: Event) -> list[Registration]:
    """Every confirmed registration of the event, alphabetically."""
    found = db.session.scalars(select(Registration).filter_by(
        event_id=event.id, status=RegistrationStatus.CONFIRMED)).all()
    return sorted(found, key=name_key)
