"""What organisers do with their messages, each in one function: the change, the
e-mails and the audit entry (see :mod:`journee.registration.operations`). The caller
commits; the commit starts the sending."""

from __future__ import annotations

from flask import current_app

from ..audit.log import actor_for_user, record
from ..auth.models import User
from ..extensions import db
from ..formatting import NBSP
from ..mail import queue_many_to_compose
from ..mail_models import OutboxMessage
from ..placeholders import parse
from ..programme.models import Event, Workshop
from ..registration.email_texts import DEFAULT_TEXTS, custom_text
from ..registration.models import EmailText, Registration
from . import emails, recipients
from .models import Mailing


def send_message(event: Event, audience: recipients.Audience, subject: str, body: str, *,
                 by: User) -> Mailing:
    """Queue the message to everyone *audience* designates who has not opted out, at
    the pace of ``MESSAGES_PER_MINUTE``, and log it.

    Raises :class:`journee.placeholders.PlaceholderError` for a text that cannot be
    filled, before anything is written.
    """
    parse(subject), parse(body)
    chosen = recipients.recipients(event, audience)
    workshop = (db.session.get(Workshop, audience.workshop_id)
                if audience.workshop_id is not None else None)
    mailing = Mailing(event_id=event.id, author_id=by.id, subject=subject, body=body,
                      audience=recipients.describe(audience, workshop)[:500],
                      recipient_count=chosen.count, opted_out_count=chosen.opted_out)
    db.session.add(mailing)
    db.session.flush()
    queue_many_to_compose(emails.MESSAGE, ((address, registration_id)
                                           for registration_id, address in chosen.rows),
                          per_minute=current_app.config["MESSAGES_PER_MINUTE"],
                          mailing_id=mailing.id)
    record("organiser.send_message", actor=actor_for_user(by), event=event,
           target=f"Message «{NBSP}{subject}{NBSP}» n°{NBSP}{mailing.id}"[:300],
           rows=chosen.count)
    return mailing


def send_test(subject: str, body: str, registration: Registration, *,
              by: User) -> OutboxMessage:
    """Send the organiser the message as *registration* would receive it."""
    return emails.queue_test(parse(subject), parse(body), registration, by.email)


def save_text(event: Event, kind: str, subject: str, body: str, *, by: User) -> EmailText:
    """Give the event its own text for one automatic e-mail (see
    :mod:`journee.registration.email_texts`), checked first like a message."""
    parse(subject), parse(body)
    text = custom_text(event.id, kind)
    if text is None:
        text = EmailText(event_id=event.id, kind=kind, subject=subject, body=body)
        db.session.add(text)
    else:
        text.subject, text.body = subject, body
    record("organiser.edit_email_text", actor=actor_for_user(by), event=event,
           target=f"{DEFAULT_TEXTS[kind].label}\u202f: texte modifié")
    return text


def reset_text(event: Event, kind: str, *, by: User) -> bool:
    """Back to the default text; ``False`` if the event had none of its own."""
    text = custom_text(event.id, kind)
    if text is None:
        return False
    db.session.delete(text)
    record("organiser.edit_email_text", actor=actor_for_user(by), event=event,
           target=f"{DEFAULT_TEXTS[kind].label}\u202f: texte par défaut rétabli")
    return True
