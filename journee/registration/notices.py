"""Short notices a registration's people receive about a change made by someone else:
the old address told that staff replaced it, the programme changed under their day."""

from __future__ import annotations

from flask import current_app, render_template

from ..formatting import NBSP
from ..mail import queue_email, queue_failed
from ..mail_models import OutboxMessage
from ..programme.updates import ItemChange
from .emails import calendar_attachment, queue_to_attendee
from .models import Registration
from .services import attendee_workshops

COLON = NBSP + ":"
NO_ROOM = "non précisée"


def queue_address_replaced(registration: Registration, old_address: str) -> OutboxMessage:
    """Tell the address staff just replaced that this registration's e-mails now go
    elsewhere. Nothing in it opens the registration (no personal link) nor names the
    person or the new address: the old one may have been a stranger's, typed by mistake."""
    event = registration.event
    subject = f"Adresse e-mail remplacée{COLON} {event.title}"
    context = {"subject": subject, "event": event,
               "sender": event.host_organisation or current_app.config["INSTITUTE_NAME"]}
    try:
        text = render_template("emails/address_replaced.txt", **context)
        html = render_template("emails/address_replaced.html", **context)
    except Exception as error:
        return queue_failed("address_replaced", old_address, subject, error, registration.id)
    return queue_email("address_replaced", old_address, subject, text, html,
                       registration_id=registration.id,
                       reply_to=event.contact_email or None)


def queue_programme_notice(registration: Registration, changes: list[ItemChange],
                           base_url: str) -> OutboxMessage | None:
    """Tell someone what changed in their day (old → new times, rooms), with their
    calendar updated: the same UIDs, a higher SEQUENCE (the caller raises the
    registration's ``calendar_sequence``)."""
    event = registration.event
    subject = f"Changement de programme{COLON} {event.title}"
    several_days = event.starts_on != event.ends_on
    lines = [{"title": change.title,
              "time": ((change.old_time(several_days), change.new_time(several_days))
                       if change.time_changed else None),
              "room": ((change.old_room or NO_ROOM, change.new_room or NO_ROOM)
                       if change.room_changed else None)}
             for change in changes]
    workshops = attendee_workshops(registration)
    return queue_to_attendee(
        "programme_change", "emails/programme_change", subject, registration, base_url,
        lambda: (calendar_attachment(registration, base_url, workshops),),
        {"changes": lines})
