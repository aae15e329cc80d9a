"""The e-mail of someone who gets a workshop after its slot's publication: the place they
took themself, or the one freed for them on the workshop's waiting list.

Written like the publication's e-mail (``templates/workshops/email_assignment``), from
``templates/emails/workshop_place.txt`` and ``.html``, with their updated day attached.
"""

from __future__ import annotations

from ..formatting import format_date, format_time_range
from ..mail import Attachment
from ..mail_models import OutboxMessage
from ..programme.models import Session, Workshop
from .calendar import build_attendee_ics
from .emails import COLON, queue_to_attendee
from .models import Registration
from .services import attendee_workshops


def queue_workshop_place_notice(registration: Registration, workshop: Workshop,
                                base_url: str, *, from_waitlist: bool
                                ) -> OutboxMessage | None:
    """Tell someone the workshop they now have, with their calendar updated (the same
    UIDs, a higher SEQUENCE: see ``Registration.calendar_sequence``).

    :param from_waitlist: the place was freed and given to them as first on its waiting
        list (rather than taken by them from their page).
    """
    event = registration.event
    registration.calendar_sequence += 1
    subject = (f"Une place s’est libérée dans votre atelier{COLON} {event.title}"
               if from_waitlist else f"Votre atelier{COLON} {event.title}")
    slot = workshop.session
    when = format_time_range(slot.starts_at, slot.ends_at)
    if event.starts_on != event.ends_on:
        when = f"{format_date(slot.starts_at.date())}, {when}"
    seen, facilitators = set(), []
    for participation in workshop.facilitators:
        if participation.person_id not in seen:
            seen.add(participation.person_id)
            facilitators.append(participation)
    workshops = attendee_workshops(registration)
    return queue_to_attendee(
        "workshop_place", "emails/workshop_place", subject, registration, base_url,
        lambda: (_updated_day(registration, base_url, workshops, slot),),
        extra={"workshop": workshop, "when": when, "facilitators": facilitators,
               "from_waitlist": from_waitlist})


def _updated_day(registration: Registration, base_url: str,
                 workshops: dict[int, Workshop], slot: Session) -> Attachment:
    """The person's day with their new workshop; the slot's event their calendar had
    until now (« Ateliers (répartition à venir) », under the slot's UID) is cancelled in
    it, so that calendar apps show the workshop in its place rather than both."""
    event = registration.event
    content = build_attendee_ics(event, base_url, workshops,
                                 sequence=registration.calendar_sequence, withdrawn=[slot])
    return Attachment(filename=f"journee-{event.slug}.ics", content=content,
                      mimetype="text/calendar", params={"method": "PUBLISH",
                                                        "charset": "utf-8"})
