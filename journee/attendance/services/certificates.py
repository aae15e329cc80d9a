"""Attendance certificates from the database: who gets one, when, and the e-mails.

A person gets a certificate once they are confirmed and marked present (at the door or
ticked by the organiser). They download it themselves after the day; the organiser can
print them all at any time and e-mail them once the day is over.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from io import BytesIO

from flask import Flask, current_app, render_template
from PIL import Image, UnidentifiedImageError
from sqlalchemy import select

from ...documents.certificate_pdf import (
    TITLE,
    CertificateAttendee,
    CertificateDay,
    CertificateEvent,
    build_certificates,
)
from ...errors import JourneeError
from ...extensions import db
from ...formatting import NBSP
from ...mail import Attachment, NothingToSend, build_message, queue_to_compose, register_composer
from ...mail_models import OutboxMessage
from ...programme.models import Event
from ...registration.models import Registration, RegistrationStatus
from ...util.clock import today_in, utcnow
from ..roster import name_key
from .presence import clear_presence, mark_present, undo_presence
from .signin import day_spans

MAX_SIGNATURE_BYTES = 1024 * 1024
MAX_SIGNATURE_PIXELS = 2000 * 2000
SIGNATURE_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}


class CertificatesNotYet(JourneeError):
    """The day is not over: certificates cannot be e-mailed yet."""


class BadSignature(JourneeError):
    """The uploaded signature is not a PNG or JPEG image of at most 1 Mo."""


def day_is_over(event: Event, today: date | None = None) -> bool:
    """Whether the event's last day is behind us, in the event's timezone."""
    return event.ends_on < (today or today_in(event.timezone))


def is_present(registration: Registration) -> bool:
    return (registration.status == RegistrationStatus.CONFIRMED
            and registration.checked_in_at is not None)


def has_certificate(registration: Registration) -> bool:
    """Present, and not anonymised: an anonymised registration names nobody any more."""
    return is_present(registration) and registration.anonymised_at is None


def certificate_available(registration: Registration, today: date | None = None) -> bool:
    """An attendee may download their certificate after the day, if they came."""
    return has_certificate(registration) and day_is_over(registration.event, today)


def present_attendees(event: Event) -> list[Registration]:
    """Confirmed attendees marked present who have a certificate (not anonymised),
    alphabetically, in one query."""
    found = db.session.scalars(select(Registration).where(
        Registration.event_id == event.id,
        Registration.status == RegistrationStatus.CONFIRMED,
        Registration.checked_in_at.is_not(None),
        Registration.anonymised_at.is_(None))).all()
    return sorted(found, key=name_key)


def certificate_event(event: Event, today: date | None = None) -> CertificateEvent:
    """What all of the event's certificates share; dated the day of issue, never before
    the event's last day (certificates printed in advance are handed out at the end)."""
    today = today or today_in(event.timezone)
    return CertificateEvent(
        institute=event.host_organisation or current_app.config["INSTITUTE_NAME"],
        title=event.title, edition=event.edition,
        days=[CertificateDay(day, start, end) for day, start, end in day_spans(event)],
        city=event.venue_city or event.venue_name, issued_on=max(today, event.ends_on),
        signatory=event.certificate_signatory, signature=event.certificate_signature)


def certificates_pdf(event: Event, registrations: Iterable[Registration],
                     today: date | None = None) -> bytes:
    """One page per registration given, in that order."""
    attendees = [CertificateAttendee(r.first_name, r.last_name, r.organisation)
                 for r in registrations]
    return build_certificates(certificate_event(event, today), attendees)


def certificate_filename(event: Event, registration: Registration | None = None) -> str:
    if registration is None:
        return f"attestations-{event.slug}.pdf"
    return f"attestation-{event.slug}-{registration.id}.pdf"


# Presence ticked by the organiser ---------------------------------------------------------

def update_presence(event: Event, shown: dict[int, bool], ticked: set[int],
                    actor: str, day: date | None = None
                    ) -> tuple[int, int, list[Registration]]:
    """Apply the organiser's ticks; return how many were marked present and absent, and
    the people whose presence changed.

    :param shown: each listed registration and whether it was present when the page was
        drawn. Only the boxes the organiser changed are applied, so someone checked in at
        the door meanwhile is not unticked by a page loaded earlier.
    :param day: the day these boxes are for (an event of several days has a box per day,
        see :func:`.presence.presence_days`); ``None``: one box, present on the desk's
        day, absent on every day.
    """
    changed = {rid: rid in ticked for rid, was in shown.items() if (rid in ticked) != was}
    if not changed:
        return 0, 0, []
    registrations = db.session.scalars(select(Registration).where(
        Registration.event_id == event.id, Registration.id.in_(changed),
        Registration.status == RegistrationStatus.CONFIRMED)).all()
    marked, unmarked, moved = 0, 0, []
    for registration in registrations:
        if changed[registration.id]:
            done = mark_present(registration, actor, day=day)
            marked += done
        else:
            done = (undo_presence(registration, day=day) if day is not None
                    else clear_presence(registration))
            unmarked += done
        if done:
            moved.append(registration)
    return marked, unmarked, moved


# The signature image -----------------------------------------------------------------------

def checked_signature(data: bytes) -> bytes:
    """The uploaded bytes if they are a PNG or JPEG image of at most 1 Mo."""
    if not data:
        raise BadSignature("Le fichier est vide.")
    if len(data) > MAX_SIGNATURE_BYTES:
        raise BadSignature(f"Le fichier dépasse 1{NBSP}Mo{NBSP}: choisissez une image plus "
                           f"légère (1{NBSP}Mo au plus).")
    kind, width, height = _read(data, Image.open)
    if kind not in SIGNATURE_FORMATS:
        raise BadSignature(f"Cette image est au format {kind}{NBSP}: choisissez une image "
                           "PNG ou JPEG.")
    if width * height > MAX_SIGNATURE_PIXELS:
        raise BadSignature(f"L’image est trop grande ({width}{NBSP}×{NBSP}{height} pixels)"
                           f"{NBSP}: 2{NBSP}000{NBSP}×{NBSP}2{NBSP}000 pixels au plus "
                           "suffisent pour une signature.")
    # A truncated or corrupt file can have a valid header: decode it entirely.
    _read(data, lambda stream: _loaded(Image.open(stream)))
    return data


def _read(data: bytes, opener) -> tuple[str, int, int]:
    try:
        with opener(BytesIO(data)) as image:
            return image.format, *image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError):
        raise BadSignature("Ce fichier n’est pas une image lisible. Choisissez une image "
                           "PNG ou JPEG.") from None


def _loaded(image):
    image.load()
    return image


def signature_mimetype(data: bytes) -> str:
    with Image.open(BytesIO(data)) as image:
        return SIGNATURE_FORMATS.get(image.format, "application/octet-stream")


# E-mail ---------------------------------------------------------------------------------

def queue_certificates(event: Event, today: date | None = None) -> int:
    """Queue a certificate e-mail for each present attendee with an address who has not
    had one; return how many. The PDFs are made by the sender, not the request."""
    if not day_is_over(event, today):
        raise CertificatesNotYet(
            "Les attestations ne peuvent être envoyées qu’après la journée, à partir du "
            "lendemain de son dernier jour.")
    waiting = [r for r in present_attendees(event)
               if r.email and r.certificate_sent_at is None]
    now = utcnow()
    for registration in waiting:
        queue_to_compose("certificate", registration.email, registration.id)
        registration.certificate_sent_at = now
    return len(waiting)


def certificate_subject(event: Event) -> str:
    return f"{TITLE}{NBSP}: {event.title}"


def _compose_certificate(outbox: OutboxMessage) -> None:
    registration = db.session.get(Registration, outbox.registration_id)
    if registration is None or not has_certificate(registration):
        raise NothingToSend("inscription annulée, supprimée, anonymisée ou plus marquée "
                            "présente")
    pdf = certificates_pdf(registration.event, [registration])
    write_certificate_email(outbox, registration, certificate_subject(registration.event),
                            "certificate", pdf, "attestation-presence")


def write_certificate_email(outbox: OutboxMessage, registration: Registration, subject: str,
                            template: str, pdf: bytes, filename: str, **context) -> None:
    """Write a certificate's e-mail into ``outbox``, from ``emails/<template>.txt`` and
    ``.html``, with the PDF attached as ``<filename>-<slug>.pdf``."""
    event = registration.event
    context.update({
        "registration": registration, "event": event, "subject": subject,
        "self_service_url": (current_app.config["PUBLIC_BASE_URL"].rstrip("/")
                             + f"/r/{registration.token}"),
        "sender": event.host_organisation or current_app.config["INSTITUTE_NAME"]})
    outbox.subject = subject[:300]
    outbox.message = build_message(
        outbox.to_address, subject,
        text_body=render_template(f"emails/{template}.txt", **context).strip() + "\n",
        html_body=render_template(f"emails/{template}.html", **context),
        attachments=[Attachment(f"{filename}-{event.slug}.pdf", pdf, "application/pdf")],
        reply_to=event.contact_email or None)


def init_app(app: Flask) -> None:
    register_composer(app, "certificate", _compose_certificate)
