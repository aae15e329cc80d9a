"""A real SMTP server on localhost (aiosmtpd) that keeps what it receives."""

from __future__ import annotations

import email
import email.policy
import socket
from email.message import EmailMessage

from aiosmtpd.controller import Controller


class Collector:
    """An aiosmtpd handler that keeps every envelope it receives."""

    def __init__(self) -> None:
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SMTPServer:
    """A local SMTP server that can be started after the app tried to reach it."""

    def __init__(self) -> None:
        self.port = free_port()
        self.handler = Collector()
        self.controller: Controller | None = None

    def start(self) -> SMTPServer:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self) -> list[EmailMessage]:
        return [email.message_from_bytes(envelope.original_content,
                                         policy=email.policy.default)
                for envelope in self.handler.envelopes]


NBSP = "\u00a0"


def sending_to(server: SMTPServer, after_commit: bool = True) -> dict:
    """The app settings that send every e-mail to *server*: at each commit, as deployed,
    or (*after_commit* false) only when the test delivers the outbox."""
    return {"MAIL_BACKEND": "smtp", "MAIL_SMTP_HOST": "127.0.0.1",
            "MAIL_SMTP_PORT": server.port, "MAIL_SMTP_TIMEOUT": 5,
            "MAIL_DELIVER_AFTER_COMMIT": after_commit}


def received_by(server: SMTPServer, address: str) -> list[EmailMessage]:
    """What *address* received, oldest first."""
    return [m for m in server.messages if m["To"] == address]


def subject_of(message: EmailMessage) -> str:
    """No-break spaces as plain ones: a folded header keeps only the latter."""
    return " ".join(message["Subject"].replace(NBSP, " ").split())


def prose_of(message: EmailMessage) -> str:
    """The plain-text body, lines unfolded, no-break spaces (thin or not) as plain ones."""
    text = message.get_body(("plain",)).get_content()
    return " ".join(text.replace(NBSP, " ").replace("\u202f", " ").split())


def calendar_of(message: EmailMessage):
    """The .ics attached, parsed back."""
    from icalendar import Calendar

    [part] = [p for p in message.iter_attachments()
              if p.get_content_type() == "text/calendar"]
    return Calendar.from_ical(part.get_content())
