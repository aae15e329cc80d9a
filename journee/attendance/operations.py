"""Check-in at the door, each action in one function: the change, its e-mail and its
entry in the audit log. The desk's views and the tests call these; the caller commits.

The rules (who may be marked, the capacity) are those of :mod:`.presence`. A plain
marking writes no log entry: the registration keeps who marked it and when.
"""

from __future__ import annotations

from ..audit.log import actor_for_user, record
from ..auth.models import User
from ..programme.models import Event
from ..registration.emails import queue_registration_confirmation
from ..registration.models import Registration
from ..registration.services import Attendee
from .services import completion, presence


def check_in(registration: Registration, *, by: User) -> bool:
    """Mark a confirmed attendee present; ``False`` if they already were."""
    return presence.mark_present(registration, by.email)


def confirm_and_check_in(registration: Registration, *, by: User) -> bool:
    """Confirm a waitlisted person who came, if a place is free, and mark them present."""
    marked = presence.confirm_and_mark_present(registration, by.email)
    _record("checkin.confirm", registration, by)
    return marked


def undo_check_in(registration: Registration, *, by: User) -> bool:
    """Clear a presence marked by mistake; ``False`` (and no entry) if there was none.
    Who had marked the person goes with the mark: the log keeps the undoing."""
    if not presence.undo_presence(registration):
        return False
    _record("checkin.undo", registration, by)
    return True


def register_on_site(event: Event, attendee: Attendee, *, base_url: str,
                     by: User) -> Registration:
    """Register someone who came without registering, present at once, and send them
    the confirmation (with their personal link) if they gave an address."""
    registration = presence.register_on_site(event, attendee, by.email)
    queue_registration_confirmation(registration, base_url)
    _record("checkin.on_site", registration, by)
    return registration


def _record(action: str, registration: Registration, by: User) -> None:
    record(action, actor=actor_for_user(by), event=registration.event,
           target=f"Inscription n°\u00a0{registration.id}")


def send_completion_certificates(event: Event, *, by: User, today=None) -> int:
    """E-mail their completion certificate, once, to each person who gets one and has
    an address; return how many. Refused before the day is over
    (:class:`~.services.certificates.CertificatesNotYet`)."""
    count = completion.queue_completion_certificates(event, today)
    if count:
        record("organiser.send_completion_certificates", actor=actor_for_user(by),
               event=event, target="Certificats de réalisation envoyés par e-mail",
               rows=count)
    return count
