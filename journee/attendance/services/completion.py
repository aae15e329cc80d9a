"""Completion certificates (« certificats de réalisation ») from the database: who gets
one, the hours they attended, the PDF and its e-mail.

A person gets one when they are confirmed, not anonymised, and attended at least one
half-day (:func:`.half_day_presence.attended_half_days`). Their hours are the sum of the
half-days they attended, each as long as its sessions' span; the action's duration is
the sum of all its half-days. The organisation's identity comes from the page
« Organisme de formation » (:mod:`journee.branding`); the signature image is the one
uploaded for the event's attendance certificates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from flask import Flask, current_app
from sqlalchemy import select, update

from ...branding.legal import spaced_nda, spaced_siret
from ...branding.services import stored_legal_identity
from ...documents.completion_pdf import (
    TITLE,
    CompletionAction,
    CompletionAttendee,
    Provider,
    build_completion_certificates,
)
from ...extensions import db
from ...formatting import NBSP, format_duration
from ...mail import NothingToSend, queue_to_compose, register_composer
from ...mail_models import OutboxMessage
from ...programme.models import ACTION_NATURE_LABELS, Event
from ...registration.models import Profile, Registration, RegistrationStatus
from ...util.clock import today_in, utcnow
from ..roster import name_key
from .certificates import CertificatesNotYet, day_is_over, write_certificate_email
from .half_day_presence import attended_half_days, half_days_attended_by
from .signin import HalfDay, half_days


@dataclass(frozen=True)
class CompletionRecipient:
    """A person who gets a completion certificate, and what they attended."""

    registration: Registration
    half_days: list[HalfDay]

    @property
    def minutes(self) -> int:
        return half_day_minutes(self.half_days)


def half_day_minutes(halves: Iterable[HalfDay]) -> int:
    """The length of the half-days, each from its first session's start to its last
    session's end; a half-day without sessions counts for nothing."""
    return sum(int((half.ends_at - half.starts_at).total_seconds()) // 60
               for half in halves if half.starts_at and half.ends_at)


def action_minutes(event: Event) -> int:
    """The whole action's length: every half-day of the event."""
    return half_day_minutes(half_days(event))


def _gets_one(registration: Registration) -> bool:
    return (registration.status == RegistrationStatus.CONFIRMED
            and registration.anonymised_at is None)


def completion_recipients(event: Event) -> list[CompletionRecipient]:
    """Everyone who gets a completion certificate, alphabetically, with the half-days
    they attended (for the evidence pack and the organiser's page)."""
    attended = attended_half_days(event)
    if not attended:
        return []
    found = db.session.scalars(select(Registration).where(
        Registration.event_id == event.id, Registration.id.in_(attended)))
    return [CompletionRecipient(r, attended[r.id])
            for r in sorted(found, key=name_key) if _gets_one(r) and attended[r.id]]


def recipient(registration: Registration) -> CompletionRecipient | None:
    """This person's certificate facts, or ``None`` when they get none."""
    if not _gets_one(registration):
        return None
    halves = half_days_attended_by(registration)
    return CompletionRecipient(registration, halves) if halves else None


def completion_available(registration: Registration, today: date | None = None) -> bool:
    """An attendee may download theirs after the day, if they attended a half-day."""
    return day_is_over(registration.event, today) and recipient(registration) is not None


def completion_action(event: Event, today: date | None = None) -> CompletionAction:
    """What all of the event's completion certificates share, dated the day of issue,
    never before the event's last day."""
    today = today or today_in(event.timezone)
    identity = stored_legal_identity()

    def known(name: str) -> str:
        return (getattr(identity, name) or "") if identity is not None else ""

    provider = Provider(
        name=(known("legal_name") or event.host_organisation
              or current_app.config["INSTITUTE_NAME"]),
        address=known("address"), siret=spaced_siret(known("siret")),
        nda=spaced_nda(known("nda")), nda_region=known("nda_region"),
        representative=known("representative_name"),
        representative_role=known("representative_role"))
    city = known("city") or event.venue_city or event.venue_name
    return CompletionAction(
        provider=provider, title=event.title, objectives=event.action_objectives,
        natures=[(label, nature == event.action_nature)
                 for nature, label in ACTION_NATURE_LABELS.items()],
        starts_on=event.starts_on, ends_on=event.ends_on,
        duration=format_duration(action_minutes(event)), city=city,
        issued_on=max(today, event.ends_on), signature=event.certificate_signature)


def employer(registration: Registration) -> str:
    """The organisation, for employees; a student's is their school, not an employer."""
    return "" if registration.profile == Profile.STUDENT else registration.organisation or ""


def completion_certificates_pdf(event: Event,
                                recipients: Iterable[CompletionRecipient] | None = None,
                                today: date | None = None) -> bytes:
    """One page per recipient given (by default everyone who gets one), in that order."""
    if recipients is None:
        recipients = completion_recipients(event)
    attendees = [CompletionAttendee(r.registration.first_name, r.registration.last_name,
                                    employer(r.registration), format_duration(r.minutes))
                 for r in recipients]
    return build_completion_certificates(completion_action(event, today), attendees)


def completion_filename(event: Event, registration: Registration | None = None) -> str:
    if registration is None:
        return f"certificats-realisation-{event.slug}.pdf"
    return f"certificat-realisation-{event.slug}-{registration.id}.pdf"


def missing_identity() -> list[str]:
    """What the organisation's identity still lacks for a complete certificate, in
    French (empty when nothing does)."""
    identity = stored_legal_identity()
    wanted = {"legal_name": "la raison sociale", "siret": "le numéro SIRET",
              "nda": "le numéro de déclaration d’activité",
              "representative_name": "le nom du ou de la représentant·e légal·e"}
    return [label for name, label in wanted.items()
            if identity is None or not getattr(identity, name)]


# E-mail ---------------------------------------------------------------------------------

def queue_completion_certificates(event: Event, today: date | None = None) -> int:
    """Queue a completion certificate e-mail for each recipient with an address who has
    not had one; return how many. The PDFs are made by the sender, not the request."""
    if not day_is_over(event, today):
        raise CertificatesNotYet(
            "Les certificats de réalisation ne peuvent être envoyés qu’après la journée, à "
            "partir du lendemain de son dernier jour.")
    waiting = {r.registration.id: r.registration for r in completion_recipients(event)
               if r.registration.email and r.registration.completion_certificate_sent_at is None}
    if not waiting:
        return 0
    # Claimed in one conditional statement: of two clicks at once, on SQLite or
    # PostgreSQL, only the first marks (and so e-mails) each person.
    claimed = db.session.scalars(
        update(Registration)
        .where(Registration.id.in_(waiting),
               Registration.completion_certificate_sent_at.is_(None))
        .values(completion_certificate_sent_at=utcnow())
        .returning(Registration.id)
        .execution_options(synchronize_session=False)).all()
    for registration_id in sorted(claimed):
        registration = waiting[registration_id]
        db.session.expire(registration, ["completion_certificate_sent_at"])
        queue_to_compose("completion_certificate", registration.email, registration_id)
    return len(claimed)


def resend_corrected(registration: Registration) -> bool:
    """After a correction of someone's half-days: the certificate they were already
    e-mailed no longer says what they attended, so the corrected one leaves too (written
    by the sender from the records as they now stand). ``False`` when none had been sent
    (the organiser's next « Envoyer » sends theirs) or they now attended nothing."""
    if registration.completion_certificate_sent_at is None or not registration.email:
        return False
    if recipient(registration) is None:
        return False
    queue_to_compose("completion_certificate", registration.email, registration.id)
    return True


def completion_subject(event: Event) -> str:
    return f"{TITLE}{NBSP}: {event.title}"


def _compose(outbox: OutboxMessage) -> None:
    registration = db.session.get(Registration, outbox.registration_id)
    found = recipient(registration) if registration is not None else None
    if found is None:
        raise NothingToSend("inscription annulée, supprimée, anonymisée ou sans demi-journée "
                            "suivie")
    write_certificate_email(
        outbox, registration, completion_subject(registration.event),
        "completion_certificate", completion_certificates_pdf(registration.event, [found]),
        "certificat-realisation", hours=format_duration(found.minutes))


def init_app(app: Flask) -> None:
    register_composer(app, "completion_certificate", _compose)
