"""Who attended which half-day, the rule the certificates rely on.

A half-day is attended by whoever signed for it or whose presence staff attested. An
event where no participant signed digitally at all used the paper sheet (the
facilitators' own signatures do not count here): there, a confirmed person checked in
at the door attended every half-day of the event.
"""

from __future__ import annotations

from sqlalchemy import or_, select

from ...extensions import db
from ...programme.models import Event
from ...registration.models import Registration, RegistrationStatus
from ..models import HalfDaySignature
from .signin import HalfDay, half_days


def attended_half_days(event: Event) -> dict[int, list[HalfDay]]:
    """Registration id → the half-days that person attended, in programme order."""
    halves = half_days(event)
    records = db.session.execute(
        select(HalfDaySignature.registration_id, HalfDaySignature.half_day_start,
               Registration.status, Registration.checked_in_at)
        .join(Registration, Registration.id == HalfDaySignature.registration_id)
        .where(HalfDaySignature.event_id == event.id)).all()
    if not records:
        checked_in = db.session.scalars(select(Registration.id).where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.CONFIRMED,
            Registration.checked_in_at.is_not(None))).all()
        return {registration_id: list(halves) for registration_id in checked_in}
    starts: dict[int, set] = {}
    for registration_id, start, status, checked_in_at in records:
        # Signing marks the person present: staff undoing that presence take the
        # half-days back too (as :func:`half_days_attended_by` reads them).
        if status == RegistrationStatus.CONFIRMED and checked_in_at is not None:
            starts.setdefault(registration_id, set()).add(start)
    return {registration_id: [half for half in halves if half.key in signed]
            for registration_id, signed in starts.items()}


def half_days_attended_by(registration: Registration) -> list[HalfDay]:
    """The half-days one person attended, by the same rule, in at most one query.

    Signing marks the person present at the door, so someone never checked in attended
    nothing; otherwise one query gives their own records, and one other participant's
    if any, which tells whether the event used the paper sheet."""
    if (registration.status != RegistrationStatus.CONFIRMED
            or registration.checked_in_at is None):
        return []
    event = registration.event
    any_participant = (select(HalfDaySignature.id)
                       .where(HalfDaySignature.event_id == event.id,
                              HalfDaySignature.registration_id.is_not(None))
                       .limit(1).scalar_subquery())
    records = db.session.execute(
        select(HalfDaySignature.registration_id, HalfDaySignature.half_day_start)
        .where(HalfDaySignature.event_id == event.id,
               or_(HalfDaySignature.registration_id == registration.id,
                   HalfDaySignature.id == any_participant))).all()
    halves = half_days(event)
    if not records:
        return list(halves)
    signed = {start for owner, start in records if owner == registration.id}
    return [half for half in halves if half.key in signed]
