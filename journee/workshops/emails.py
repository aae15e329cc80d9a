"""The e-mails an attendee receives when the workshops of a slot are published: their
workshop, or that they have none.

Written like the registration e-mails (:mod:`journee.registration.emails`), from
``templates/workshops/email_assignment.txt`` and ``.html`` and
``templates/workshops/email_no_workshop.txt`` and ``.html``.
"""

from __future__ import annotations

from ..formatting import format_date, format_time_range
from ..mail_models import OutboxMessage
from ..programme.models import Session, Workshop
from ..registration.emails import COLON, calendar_attachment, queue_to_attendee
from ..registration.models import Registration


def queue_assignment_notice(registration: Registration, workshop: Workshop, base_url: str,
                            assigned_workshops: dict[int, Workshop]) -> OutboxMessage | None:
    """Tell someone which workshop they are in, with their day (that workshop in it).

    :param assigned_workshops: their published workshop per workshops slot, for the
        calendar attached.
    """
    event = registration.event
    # The calendar attached updates the one they had: a higher SEQUENCE (see
    # ``Registration.calendar_sequence``).
    registration.calendar_sequence += 1
    subject = f"Votre atelier{COLON} {event.title}"
    session = workshop.session
    when = format_time_range(session.starts_at, session.ends_at)
    if event.starts_on != event.ends_on:
        when = f"{format_date(session.starts_at.date())}, {when}"
    seen, facilitators = set(), []
    for participation in workshop.facilitators:
        if participation.person_id not in seen:
            seen.add(participation.person_id)
            facilitators.append(participation)
    return queue_to_attendee(
        "assignment", "workshops/email_assignment", subject, registration, base_url,
        lambda: (calendar_attachment(registration, base_url, assigned_workshops),),
        extra={"workshop": workshop, "when": when, "facilitators": facilitators})


def queue_no_workshop_notice(registration: Registration, slot: Session, base_url: str, *,
                             choices_full: bool, open_workshops: list[Workshop],
                             full_workshops: list[Workshop] = ()) -> OutboxMessage | None:
    """Tell someone that the publication left them without a workshop in *slot*, why
    when it is known, and what they can do.

    :param choices_full: every workshop they ranked in the slot is full.
    :param open_workshops: the slot's workshops that still have room, where they can
        take a place from their page.
    :param full_workshops: the slot's full workshops, whose waiting lists they can join
        from their page.
    """
    event = registration.event
    subject = f"Pas d’atelier pour vous{COLON} {event.title}"
    when = format_time_range(slot.starts_at, slot.ends_at)
    if event.starts_on != event.ends_on:
        when = f"{format_date(slot.starts_at.date())}, {when}"
    return queue_to_attendee(
        "no_workshop", "workshops/email_no_workshop", subject, registration, base_url,
        extra={"slot": slot, "when": when, "choices_full": choices_full,
               "open_workshops": open_workshops, "full_workshops": full_workshops})
