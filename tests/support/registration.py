"""Shared pieces of the registration tests: the day the IRTS-IDS registration is open
(1 February 2018), a complete valid answer, readers for the re-shown form and the e-mails
sent, and a known set of five registrations.

The ``registration_open`` fixture (``tests/conftest.py``) sets today to ``OPEN_DAY`` for
the registration views; a module that needs it says so with
``pytestmark = pytest.mark.usefixtures("registration_open")``."""

from __future__ import annotations

import email
import re
from datetime import date, datetime
from email import policy
from email.message import EmailMessage
from html import unescape
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from journee.extensions import db
from journee.mail_models import OutboxMessage, OutboxStatus
from journee.registration import services
from journee.registration.models import Registration, RegistrationStatus, Source

OPEN_DAY = date(2018, 2, 1)
FORM_URL = "/e/travail-social-epreuve-numerique-2018/register"
DONE_URL = f"{FORM_URL}/done"
"""Where every accepted registration leads, new address or not."""


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


# A known data set (the organiser's registration tests and others) ----------------------

def add(event, first, last, email=None, *, choices=(), source=Source.ONLINE, entered_by=None,
        created_at=None, **details):
    """Register someone through the service, as the public form or staff would."""
    slot = slot_of(event)
    attendee = services.Attendee(
        first_name=first, last_name=last, email=email,
        profile=details.pop("profile", "professional"), privacy_version="test",
        choices={slot.id: [w.id for w in choices]} if choices else {}, **details)
    registration = services.register(event.id, attendee, OPEN_DAY, source=source,
                                     entered_by=entered_by)
    if created_at is not None:
        registration.created_at = created_at
    db.session.commit()
    return registration


def build_known_set(event) -> dict[str, Registration]:
    """Five people for a day of three places (times in UTC).

    ======== ============= ============ ======================= ======== ====== ==========
    who      status        profile      organisation            lunch    source choices
    ======== ============= ============ ======================= ======== ====== ==========
    martin   confirmed     student ES   IRTS-IDS Normandie      oui      online 3, 1, 5
    durand   confirmed     professional MECS Les Tilleuls       non      online 1, 2
    benali   confirmed     institution. Conseil départemental   oui      staff  1
    martinez waitlisted    student AS   IRTS-IDS Normandie      non      online 4, 3
    petit    cancelled     professional Mairie                  oui      online —
    ======== ============= ============ ======================= ======== ====== ==========
    """
    event.capacity = 3
    db.session.commit()
    w = slot_of(event).workshops
    people = {
        "martin": add(event, "Zoé", "Martin", "zoe.martin@example.org", choices=[w[2], w[0], w[4]],
                      profile="student", course="ES", course_year=2,
                      organisation="IRTS-IDS Normandie", sector="Protection de l’enfance",
                      lunch=True, created_at=datetime(2018, 1, 31, 23, 30)),
        "durand": add(event, "Élodie", "Durand", "elodie.durand@example.net",
                      choices=[w[0], w[1]], organisation="MECS Les Tilleuls",
                      sector="Handicap adulte", lunch=False,
                      accommodation_needed=True, accommodation_details="Fauteuil roulant",
                      created_at=datetime(2018, 2, 1, 10, 0)),
        "benali": add(event, "Karim", "Benali", None, choices=[w[0]], profile="institutional",
                      organisation="Conseil départemental", lunch=True, source=Source.STAFF,
                      entered_by="accueil", created_at=datetime(2018, 2, 3, 9, 0)),
        "martinez": add(event, "Lucie", "Martinez", "lucie.martinez@example.org",
                        choices=[w[3], w[2]], profile="student", course="AS", course_year=1,
                        organisation="IRTS-IDS Normandie", lunch=False,
                        created_at=datetime(2018, 2, 3, 10, 0)),
        "petit": add(event, "Jean", "Petit", "jean.petit@example.org", organisation="Mairie",
                     lunch=True, created_at=datetime(2018, 2, 3, 11, 0)),
    }
    services.cancel(people["petit"])
    db.session.commit()
    assert [p.status for p in people.values()] == [
        RegistrationStatus.CONFIRMED] * 3 + [RegistrationStatus.WAITLISTED,
                                             RegistrationStatus.CANCELLED]
    return people


def detail_url(event, registration, action=""):
    return f"/admin/journees/{event.id}/inscriptions/{registration.id}/{action}"
