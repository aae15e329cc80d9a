"""What people do to a registration, each in one function: the change, the e-mails it
sends and its entry in the audit log (Indico's ``operations.py`` habit).

The attendee's pages, the staff pages, the CLI and the tests call these alike; the caller
commits, and the commit sends the e-mails (see :mod:`journee.mail`). Errors are those of
:mod:`.services`, raised before anything is queued or logged.

:param by: the staff account that acts, recorded in the log; ``None`` for the attendee
    themself (the public form, their personal link).
"""

from __future__ import annotations

from datetime import date

from .. import data_owners
from ..audit.log import ATTENDEE, actor_for_user, record
from ..auth.models import User
from ..data_owners import Erasure
from ..programme.models import Event, Workshop
from . import after_publication, changes, services
from .after_publication_emails import queue_workshop_place_notice
from .emails import (
    queue_cancellation_notice,
    queue_change_confirmation,
    queue_promotion_notice,
    queue_registration_confirmation,
    queue_registration_confirmation_later,
)
from .models import Registration, RegistrationStatus, Source
from .notices import queue_address_replaced


def register(event: Event, attendee: services.Attendee, today: date, *, base_url: str,
             by: User | None = None) -> Registration:
    """Register someone, or put them on the waiting list, and confirm it by e-mail.

    Online (``by`` is ``None``) the deadline applies and the confirmation is written by
    the sender, so that the request stays short under a rush; entered by staff, it is
    written at once (see :func:`services.register`).
    """
    if by is None:
        registration = services.register(event.id, attendee, today)
        queue_registration_confirmation_later(registration)
    else:
        registration = services.register(event.id, attendee, today, source=Source.STAFF,
                                          entered_by=by.name or by.email)
        queue_registration_confirmation(registration, base_url)
    _record("register", registration, by)
    return registration


def change(registration: Registration, form, details: dict, *, base_url: str,
           by: User | None = None) -> tuple | None:
    """Save edited details and choices (see :func:`changes.save_changes`); if anything
    actually changed, confirm it by e-mail, with the updated calendar for someone who
    has a place (a workshop they left, in first-come mode, cancelled in it), and log it.

    When staff replace the address, the old one is told too (the new one gets the
    confirmation).

    Returns the refusal ``(field, message)`` of :func:`changes.save_changes`, with
    nothing written, queued or logged; ``None`` once saved.
    """
    old_address = registration.email
    before = changes.snapshot(registration)
    accommodation = changes.accommodation_key(registration)
    held = services.attendee_workshops(registration).values()
    refused = changes.save_changes(registration, form, details)
    if refused is not None:
        return refused
    changed = changes.differences(
        before, changes.snapshot(registration),
        accommodation_changed=accommodation != changes.accommodation_key(registration))
    if not changed:
        return None
    workshops = _next_calendar(registration)
    kept = {workshop.id for workshop in (workshops or {}).values()}
    queue_change_confirmation(registration, base_url, changed, workshops,
                              [workshop for workshop in held if workshop.id not in kept])
    if old_address and registration.email != old_address:
        queue_address_replaced(registration, old_address)
    _record("change", registration, by,
            f"Inscription n°\u00a0{registration.id} ({', '.join(c.label for c in changed)})")
    return None


def cancel_registration(registration: Registration, *, base_url: str,
                        by: User | None = None) -> Registration | None:
    """Cancel and confirm it by e-mail, with the calendar that cancels the day for
    someone who had a place; the first person waiting takes the freed place and is told
    by e-mail.

    Returns that person's registration, if any.
    """
    workshops = _next_calendar(registration)
    promoted = services.cancel(registration)
    queue_cancellation_notice(registration, base_url, workshops)
    target = None
    if promoted is not None:
        _next_calendar(promoted)
        queue_promotion_notice(promoted, base_url)
        target = (f"Inscription n°\u00a0{registration.id}\u202f; n°\u00a0{promoted.id} prend la place "
                  "libérée")
    _record("cancel", registration, by, target)
    # The workshop places this person held go to those waiting for them.
    fill_workshop_places(registration.event_id, base_url=base_url)
    return promoted


def promote(registration: Registration, *, base_url: str, by: User) -> Registration:
    """Confirm a waitlisted person out of turn, if a place is free, and tell them."""
    services.promote(registration)
    _next_calendar(registration)
    queue_promotion_notice(registration, base_url)
    _record("promote", registration, by)
    return registration


def restore(registration: Registration, *, base_url: str, by: User) -> Registration:
    """Undo a cancellation (confirmed if a place is free, else back on the waiting list)
    and send the confirmation again."""
    services.restore(registration)
    after_publication.release_places_taken(registration)
    _next_calendar(registration)
    queue_registration_confirmation(registration, base_url)
    _record("restore", registration, by)
    return registration


def erase(registrations: list[Registration], *, base_url: str,
          by: User | None = None) -> Erasure:
    """Erase these registrations of one person and all attached to them, on their
    request (see :func:`journee.data_owners.erase`): the places they free go to the
    waiting list, whose promoted people are told; one log entry per event says which
    registration numbers went, and nothing about the person."""
    numbers = ", ".join(f"n°\u00a0{r.id}" for r in registrations)
    events = {r.event_id: r.event for r in registrations}
    erasure = data_owners.erase(registrations)
    for promoted in erasure.promoted:
        queue_promotion_notice(promoted, base_url)
    for event_id in events:
        fill_workshop_places(event_id, base_url=base_url)
    for event in events.values():
        if by is None:
            record("attendee.erase_self", actor=ATTENDEE, event=event,
                   target=f"Inscription {numbers}", rows=erasure.registrations)
        else:
            record("organiser.erase_person", actor=actor_for_user(by), event=event,
                   target=f"Inscription(s) {numbers}", rows=erasure.registrations)
    return erasure


def take_workshop_place(registration: Registration, session_id: int,
                        workshop_id: int | None, *, base_url: str) -> Workshop:
    """After publication, give someone without a workshop a place left in one of the
    slot's workshops, and confirm it by e-mail with their updated calendar (see
    :func:`after_publication.take_place` for the refusals)."""
    workshop = after_publication.take_place(registration, session_id, workshop_id)
    queue_workshop_place_notice(registration, after_publication.workshop_details(workshop.id),
                                base_url, from_waitlist=False)
    _record("take_place", registration, None,
            f"Inscription n°\u00a0{registration.id}\u202f; atelier n°\u00a0{workshop.number}")
    return workshop


def join_workshop_waitlist(registration: Registration, session_id: int,
                           workshop_id: int | None) -> Workshop:
    """After publication, put someone without a workshop on a full workshop's waiting
    list (see :func:`after_publication.join_waitlist`)."""
    workshop = after_publication.join_waitlist(registration, session_id, workshop_id)
    _record("join_waitlist", registration, None,
            f"Inscription n°\u00a0{registration.id}\u202f; atelier n°\u00a0{workshop.number}")
    return workshop


def leave_workshop_waitlist(registration: Registration, session_id: int) -> Workshop | None:
    workshop = after_publication.leave_waitlist(registration, session_id)
    if workshop is not None:
        _record("leave_waitlist", registration, None,
                f"Inscription n°\u00a0{registration.id}\u202f; atelier n°\u00a0{workshop.number}")
    return workshop


AUTOMATIC = "Journée, automatiquement"


def fill_workshop_places(event_id: int, *, base_url: str
                         ) -> list[tuple[Registration, Workshop]]:
    """Give the places free in workshops with a waiting list to those waiting, in queue
    order, and tell each one by e-mail with their updated calendar (see
    :func:`after_publication.fill_freed_places`). Whoever frees a place calls it in the
    same transaction; the workshops' periodic job calls it for the rest (a capacity
    raised, an erasure)."""
    promoted = after_publication.fill_freed_places(event_id)
    for registration, workshop in promoted:
        queue_workshop_place_notice(registration,
                                    after_publication.workshop_details(workshop.id),
                                    base_url, from_waitlist=True)
        record("automatic.workshop_waitlist_place", actor=AUTOMATIC, event=registration.event,
               target=f"Inscription n°\u00a0{registration.id}\u202f; atelier n°\u00a0{workshop.number}")
    return promoted


def _next_calendar(registration: Registration) -> dict | None:
    """Raise the SEQUENCE of the calendar about to be sent to someone who has a place
    (each one an update of the last), and return their workshops per slot, as their
    calendar shows them; ``None`` when they have no place, hence no calendar."""
    if registration.status != RegistrationStatus.CONFIRMED:
        return None
    registration.calendar_sequence += 1
    return services.attendee_workshops(registration)


ONLINE = "La personne inscrite, par le formulaire en ligne"

ACTIONS = {
    # what: by staff, by the attendee (and how)
    "register": ("organiser.create_registration", ("attendee.register", ONLINE)),
    "change": ("organiser.change_registration", ("attendee.change_self", ATTENDEE)),
    "cancel": ("organiser.cancel_registration", ("attendee.cancel_self", ATTENDEE)),
    "promote": ("organiser.promote_registration", None),
    "restore": ("organiser.restore_registration", None),
    "take_place": (None, ("attendee.take_workshop_place", ATTENDEE)),
    "join_waitlist": (None, ("attendee.join_workshop_waitlist", ATTENDEE)),
    "leave_waitlist": (None, ("attendee.leave_workshop_waitlist", ATTENDEE)),
}


def _record(what: str, registration: Registration, by: User | None,
            target: str | None = None) -> None:
    staff_action, by_attendee = ACTIONS[what]
    action, actor = ((staff_action, actor_for_user(by)) if by is not None else by_attendee)
    record(action, actor=actor, event=registration.event,
           target=target or f"Inscription n°\u00a0{registration.id}")
