"""Who attended which half-day, the rule the certificates rely on.

A half-day where some participant signed digitally (or staff attested someone's
presence) is attended by whoever signed for it or was attested. A half-day with sessions
where no participant has a record used the paper sheet (the facilitators' own signatures do not
count here; a day may start on the tablet and go on on paper when it fails): a
confirmed person checked in at the door that day attended it.
"""

from __future__ import annotations

from sqlalchemy import case, func, select

from ...extensions import db
from ...programme.models import Event
from ...registration.models import Registration, RegistrationStatus
from ..models import HalfDaySignature
from .presence import door_days
from .signin import HalfDay, half_days


def attended_half_days(event: Event) -> dict[int, list[HalfDay]]:
    """Registration id → the half-days that person attended, in programme order, in the
    same few queries however many people."""
    halves = half_days(event)
    # Signing marks the person present: staff undoing that presence take the half-days
    # back too, so only people checked in at the door count at all.
    came = door_days(event)
    present = db.session.execute(
        select(HalfDaySignature.registration_id, HalfDaySignature.half_day_start)
        .where(HalfDaySignature.event_id == event.id,
               HalfDaySignature.registration_id.in_(
                   select(Registration.id).where(
                       Registration.event_id == event.id,
                       Registration.status == RegistrationStatus.CONFIRMED,
                       Registration.checked_in_at.is_not(None))))).all()
    digital = set(db.session.scalars(
        select(HalfDaySignature.half_day_start).distinct()
        .where(HalfDaySignature.event_id == event.id,
               HalfDaySignature.registration_id.is_not(None))))
    signed: dict[int, set] = {registration_id: set() for registration_id in came}
    for registration_id, start in present:
        signed.setdefault(registration_id, set()).add(start)
    attended = {registration_id: [half for half in halves
                                  if half.key in starts
                                  or (on_paper(half, digital)
                                      and half.day in came.get(registration_id, {}))]
                for registration_id, starts in signed.items()}
    return {registration_id: days for registration_id, days in attended.items() if days}


def half_days_attended_by(registration: Registration) -> list[HalfDay]:
    """The half-days one person attended, by the same rule, in at most four queries.

    Signing marks the person present at the door, so someone never checked in attended
    nothing; otherwise one query gives, per half-day where some participant has a
    record, whether this person has one, and the paper half-days count on the days the
    person was checked in."""
    if (registration.status != RegistrationStatus.CONFIRMED
            or registration.checked_in_at is None):
        return []
    event = registration.event
    came = door_days(event, [registration.id]).get(registration.id, {})
    mine = func.max(case((HalfDaySignature.registration_id == registration.id, 1), else_=0))
    digital = dict(db.session.execute(
        select(HalfDaySignature.half_day_start, mine)
        .where(HalfDaySignature.event_id == event.id,
               HalfDaySignature.registration_id.is_not(None))
        .group_by(HalfDaySignature.half_day_start)).all())
    return [half for half in half_days(event)
            if digital.get(half.key) or (on_paper(half, digital) and half.day in came)]


def on_paper(half: HalfDay, digital) -> bool:
    """Whether a half-day went on the paper sheet: it holds sessions (a day without any
    has nothing to attend) and no participant has a digital record for it (*digital*:
    the keys of those that have one)."""
    return half.starts_at is not None and half.key not in digital
