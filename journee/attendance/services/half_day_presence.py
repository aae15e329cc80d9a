"""Who attended which half-day of an event: the facts the completion certificate counts
hours from.

Temporary rule, until signed half-days and attested presence records are kept: a
confirmed attendee checked in at the door attended every half-day of the event.
"""

from __future__ import annotations

from sqlalchemy import select

from ...extensions import db
from ...programme.models import Event
from ...registration.models import Registration, RegistrationStatus
from .signin import HalfDay, half_days


def attended_half_days(event: Event) -> dict[int, list[HalfDay]]:
    """The half-days each registration attended, by registration id, in the order of
    :func:`half_days`; registrations that attended none are left out."""
    everything = half_days(event)
    present = db.session.scalars(select(Registration.id).where(
        Registration.event_id == event.id,
        Registration.status == RegistrationStatus.CONFIRMED,
        Registration.checked_in_at.is_not(None))).all()
    return {registration_id: list(everything) for registration_id in present}
