"""The e-mails of the organisers' messages: one per recipient, written by the sender
(see :func:`journee.mail.queue_to_compose`) from the message's subject and body, their
placeholders filled for that person, with the link to stop these messages.

They are not about the person's registration, so they carry ``List-Unsubscribe`` and
``List-Unsubscribe-Post`` (RFC 8058): a mail client can then offer « se désabonner »
and stop them in one click, without the person opening anything.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from flask import Flask, current_app, render_template
from itsdangerous import BadSignature, URLSafeSerializer
from markupsafe import Markup
from sqlalchemy import exists, select

from ..extensions import db
from ..mail import NothingToSend, build_message, queue_email, register_composer, shared_in_round
from ..mail_models import OutboxMessage
from ..placeholders import Template, parse
from ..programme.models import Event
from ..registration.email_texts import placeholder_values
from ..registration.models import Registration, RegistrationStatus
from ..secret_links import mask_secret_links
from ..typography import one_line
from .models import Mailing, OptOut

MESSAGE = "message"
TEST_MESSAGE = "message_test"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="journee-unsubscribe")


def unsubscribe_token(registration_id: int) -> str:
    """Signed, and without end: a message read months later still stops the others."""
    return _serializer().dumps(registration_id)


def registration_id_of(token: str) -> int | None:
    try:
        value = _serializer().loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) else None


def unsubscribe_url(registration_id: int, base_url: str) -> str:
    return f"{base_url.rstrip('/')}/desabonnement/{unsubscribe_token(registration_id)}"


def opted_out(registration_id: int) -> bool:
    return bool(db.session.scalar(select(exists().where(
        OptOut.registration_id == registration_id))))


@dataclass(frozen=True)
class Written:
    subject: str
    text: str
    html: str
    unsubscribe_url: str


def write(subject: Template, body: Template, registration: Registration, base_url: str, *,
          sample: bool = False) -> Written:
    """The message for this person; a *sample* (the preview, the test to oneself) has
    its secret links masked: it is not theirs to open."""
    event = registration.event
    values = placeholder_values(registration, base_url, subject.names | body.names)
    link = unsubscribe_url(registration.id, base_url)
    if sample:
        values = {name: mask_secret_links(value) for name, value in values.items()}
        link = f"{base_url.rstrip('/')}/desabonnement/…"
    text = body.fill(values, typeset=True).strip()
    context = {"subject": one_line(subject.fill(values, typeset=True)), "text": text,
               "paragraphs": _paragraphs(text), "event": event, "unsubscribe_url": link,
               "sender": event.host_organisation or current_app.config["INSTITUTE_NAME"]}
    return Written(context["subject"], render_template("messages/email.txt", **context),
                   render_template("messages/email.html", **context), link)


_URL = re.compile(r"https?://[^\s<>«»\"]+[^\s<>«»\".,;:!?)]")


def _paragraphs(text: str) -> list[Markup]:
    """The organiser's text as HTML paragraphs: escaped, its addresses made links."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", text):
        if not block.strip():
            continue
        escaped = html.escape(block.strip(), quote=True)
        linked = _URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escaped)
        paragraphs.append(Markup(linked.replace("\n", "<br>\n")))
    return paragraphs


def headers(written: Written) -> dict[str, str]:
    return {"List-Unsubscribe": f"<{written.unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def queue_test(subject: Template, body: Template, registration: Registration,
               address: str) -> OutboxMessage:
    """The message as *registration* would receive it, sent to the organiser."""
    base_url = current_app.config["PUBLIC_BASE_URL"]
    written = write(subject, body, registration, base_url, sample=True)
    return queue_email(TEST_MESSAGE, address, f"[Test] {written.subject}", written.text,
                       written.html, reply_to=registration.event.contact_email or None)


def _compose(outbox: OutboxMessage) -> None:
    registration = db.session.get(Registration, outbox.registration_id)
    if (registration is None or registration.status == RegistrationStatus.CANCELLED
            or registration.anonymised_at is not None):
        raise NothingToSend("inscription annulée ou supprimée avant l’envoi")
    if registration.email != outbox.to_address:
        raise NothingToSend("adresse changée avant l’envoi")
    if opted_out(registration.id):
        raise NothingToSend("la personne ne veut plus recevoir de messages")
    mailing, subject, body = shared_in_round(("mailing", outbox.mailing_id),
                                             lambda: _mailing(outbox.mailing_id))
    base_url = current_app.config["PUBLIC_BASE_URL"]
    written = write(subject, body, registration, base_url)
    outbox.subject = written.subject[:300]
    outbox.message = build_message(outbox.to_address, written.subject, written.text,
                                   written.html, reply_to=_reply_to(mailing.event_id),
                                   headers=headers(written))


def _mailing(mailing_id: int | None) -> tuple[Mailing, Template, Template]:
    mailing = db.session.get(Mailing, mailing_id) if mailing_id is not None else None
    if mailing is None:
        raise NothingToSend("message supprimé avant l’envoi")
    return mailing, parse(mailing.subject), parse(mailing.body)


def _reply_to(event_id: int) -> str | None:
    event = db.session.get(Event, event_id)
    return event.contact_email or None


def init_app(app: Flask) -> None:
    register_composer(app, MESSAGE, _compose)
