"""« Besoins d’aménagement »: the accommodation needs of one event, read-only, for its
organisers and its disability referent. Only what preparing someone's welcome takes:
name, contact, the need; not the rest of the registration."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user
from sqlalchemy import exists, select

from ...audit.log import record
from ...extensions import db
from ...programme.loaders import needs_event_or_404
from ...programme.permissions import can_manage
from ..listing import local_time
from ..models import Registration, RegistrationStatus
from ..privacy import accommodation_purge_date
from . import bp


def needs_of(event_id: int, consented_only: bool) -> list[Registration]:
    """The people of the event (not cancelled) who said they need an accommodation;
    with *consented_only*, those who agreed that it be passed on (the referent's list:
    a need told before consent was asked stays with the organisers)."""
    query = select(Registration).where(
        Registration.event_id == event_id, Registration.accommodation_needed.is_(True),
        Registration.status != RegistrationStatus.CANCELLED)
    if consented_only:
        query = query.where(Registration.accommodation_consent_at.is_not(None))
    return db.session.scalars(query.order_by(Registration.last_name,
                                             Registration.first_name)).all()


def needs_recorded(event_id: int) -> bool:
    """Whether someone's need is still kept: the question may have been switched off
    since, and what was told stays to be read until its purge."""
    return db.session.scalar(select(exists().where(
        Registration.event_id == event_id, Registration.accommodation_needed.is_(True),
        Registration.status != RegistrationStatus.CANCELLED)))


@bp.get("/journees/<int:event_id>/besoins-d-amenagement")
def needs(event_id: int):
    event = needs_event_or_404(event_id)
    organiser = can_manage(current_user, event)
    people = needs_of(event.id, consented_only=not organiser)
    html = render_template("admin/registrations/needs.html", event=event, people=people,
                           organiser=organiser, local_time=local_time,
                           erased_after=accommodation_purge_date(event))
    role = "Organisateur·rice" if organiser else "Référent·e handicap"
    record("staff.view_needs", actor=f"{role} {current_user.email}", event=event,
           target=f"{len(people)} besoin(s) d’aménagement", rows=len(people))
    db.session.commit()
    return html
