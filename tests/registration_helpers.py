"""Shared pieces of the registration tests: the day the IRTS-IDS registration is open
(1 February 2018), a complete valid answer, and readers for the re-shown form."""

from __future__ import annotations

import email
import re
from datetime import date
from email import policy
from email.message import EmailMessage
from html import unescape
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import func, select

from journee.extensions import db
from journee.mail_models import OutboxMessage, OutboxStatus
from journee.registration.models import Registration

OPEN_DAY = date(2018, 2, 1)
FORM_URL = "/e/travail-social-epreuve-numerique-2018/register"
DONE_URL = f"{FORM_URL}/done"
"""Where every accepted registration leads, new address or not."""


@pytest.fixture(autouse=True)
def registration_open(monkeypatch):
    """Today is 1 February 2018 for the registration views (IRTS-IDS: 8 Jan → 1 Mar)."""
    set_today(monkeypatch, OPEN_DAY)


def set_today(monkeypatch, day: date) -> None:
    monkeypatch.setattr("journee.registration.views.today_in",
                        lambda timezone="Europe/Paris": day)


def slot_of(event, index: int = 0):
    return [s for s in event.workshop_sessions if s.workshops][index]


def valid_data(event, **overrides) -> dict:
    """A complete answer: a 2nd-year ES student ranking workshops 3, 1 and 5."""
    slot = slot_of(event)
    workshops = slot.workshops
    data = {
        "first_name": "Zoé", "last_name": "Martin", "email": "zoe.martin@example.org",
        "phone": "06 12 34 56 78", "organisation": "IRTS-IDS Normandie",
        "function": "Étudiante éducatrice spécialisée", "profile": "student",
        "course": "ES", "course_year": "2", "sector": "Protection de l’enfance",
        "sector_other": "", "lunch": "oui", "privacy": "y", "consent_future_events": "y",
        f"atelier_{slot.id}_1": str(workshops[2].id),
        f"atelier_{slot.id}_2": str(workshops[0].id),
        f"atelier_{slot.id}_3": str(workshops[4].id),
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def registration_count() -> int:
    return db.session.scalar(select(func.count(Registration.id)))


def registration_by_email(email: str) -> Registration | None:
    db.session.expire_all()
    return db.session.scalar(select(Registration).where(Registration.email == email))


def field_error(html: str, field_id: str) -> str:
    """The error message shown next to a field (or radio group)."""
    match = re.search(rf'id="{re.escape(field_id)}-erreur">(.*?)</p>', html, re.S)
    assert match, f"no error next to {field_id}"
    return unescape(match.group(1)).strip()


def summary_links(html: str) -> list[tuple[str, str]]:
    """The error summary's entries: (link target, text)."""
    match = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert match, "no error summary"
    return [(target, re.sub(r"[\s\u00a0\u202f]+", " ", unescape(text)).strip())
            for target, text in re.findall(r'<a href="#([^"]+)">(.*?)</a>', match.group(0),
                                           re.S)]


def input_value(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*value="([^"]*)"', html)
    assert match, f"no input {name}"
    return unescape(match.group(1))


def register(client, event, **overrides):
    return client.post(FORM_URL, data=valid_data(event, **overrides))


def sent_to(address: str, kind: str | None = None) -> list[EmailMessage]:
    """The e-mails sent to an address so far, as delivered, oldest first (the test app
    delivers them right after each request's commit, as ``.eml`` files: the outbox only
    keeps a copy with its secret links masked)."""
    db.session.expire_all()
    query = select(OutboxMessage.id).where(OutboxMessage.to_address == address,
                                           OutboxMessage.status == OutboxStatus.SENT)
    if kind is not None:
        query = query.where(OutboxMessage.kind == kind)
    return [delivered_message(message_id)
            for message_id in db.session.scalars(query.order_by(OutboxMessage.id))]


def delivered_message(message_id: int) -> EmailMessage:
    """The file backend's ``.eml`` of an outbox message: the message as delivered."""
    [path] = Path(current_app.config["MAIL_FILE_DIR"]).glob(f"*-{message_id:06d}.eml")
    return email.message_from_bytes(path.read_bytes(), policy=policy.default)


def plain_text(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def self_service_links(message: EmailMessage) -> list[str]:
    """The self-service paths (``/r/<token>``) an e-mail carries, in its text part."""
    return re.findall(r"http://journee\.test(/r/[A-Za-z0-9_-]+)", plain_text(message))
