"""Retention: what is deleted when, run by ``journee purge`` and daily by the app.

- Accommodation needs: cleared ``accommodation_retention_days`` after the event's last
  day (7 by default).
- Registrations: ``retention_days`` after the last day (90 by default) they are
  anonymised: name, e-mail, phone, organisation, function, every free text and every
  secret are removed; what counts keep working on stays (profile, course, sector, status,
  lunch, presence, workshop choices and placements; a sector typed by the person becomes
  « Autre »). Their e-mails leave the outbox, with the files the file backend wrote, and
  the event's facilitator links are deleted with their e-mails and files too.
- E-mails: the body of a message sent (or given up) ``MAIL_BODY_RETENTION_DAYS`` ago is
  dropped, the row kept for the lists (7 days by default); a message of no registration
  (a facilitator link, a password reset, a link request…) is deleted with its file
  ``MAIL_LOG_RETENTION_DAYS`` after it was sent or queued (90 by default); the file
  backend's ``.eml`` files go after ``MAIL_FILE_RETENTION_DAYS`` (30 by default).
- The audit log: entries older than 12 months. Sign-in failures and other rate-limit
  counts: after 24 hours.

Each event is purged on its own: one that cannot be (a date the database holds but Python
cannot read, a broken row) is reported and the others still are. Each step only touches rows not yet purged, so
running it twice does nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import and_, case, delete, func, literal, or_, select, update

from ..audit.models import AuditEntry
from ..database import begin_for_savepoints
from ..ratelimit import purge_expired as purge_rate_events
from ..extensions import db
from ..facilitation.models import FacilitatorLink
from ..mail import delete_files, delete_old_files
from ..mail_models import OutboxMessage, OutboxStatus
from ..programme.models import SECTORS, Event, days_after
from ..registration.forms import OTHER_SECTOR
from ..registration.models import Registration
from ..util.clock import utcnow

AUDIT_RETENTION = timedelta(days=365)
ANONYMOUS_FIRST_NAME = "Personne"
ANONYMOUS_LAST_NAME = "anonymisée"


@dataclass
class PurgeReport:
    accommodation_cleared: int = 0
    registrations_anonymised: int = 0
    messages_deleted: int = 0
    links_deleted: int = 0
    audit_entries_deleted: int = 0
    login_failures_deleted: int = 0
    message_bodies_dropped: int = 0
    other_messages_deleted: int = 0
    mail_files_deleted: int = 0
    problems: list[str] = field(default_factory=list)
    """What could not be purged (an event, the e-mail files), in French, one per line."""

    def lines(self) -> list[str]:
        return [
            f"Besoins d’aménagement effacés : {self.accommodation_cleared}",
            f"Inscriptions anonymisées : {self.registrations_anonymised}",
            f"E-mails supprimés de la file d’envoi : {self.messages_deleted}",
            f"Liens d’animateur·rice supprimés : {self.links_deleted}",
            ("Entrées du journal d’accès supprimées (plus de 12 mois) : "
             f"{self.audit_entries_deleted}"),
            f"Compteurs anti-abus oubliés (connexions, inscriptions, demandes de lien) : "
            f"{self.login_failures_deleted}",
            f"Textes d’e-mails déjà envoyés effacés : {self.message_bodies_dropped}",
            f"E-mails sans inscription supprimés : {self.other_messages_deleted}",
            f"Fichiers .eml supprimés : {self.mail_files_deleted}",
        ]


def accommodation_purge_date(event: Event) -> date:
    return days_after(event.ends_on, event.accommodation_retention_days)


def personal_data_purge_date(event: Event) -> date:
    return days_after(event.ends_on, event.retention_days)


def purge(today: date, now: datetime | None = None, *, dry_run: bool = False) -> PurgeReport:
    """Apply every retention rule as of ``today``; the caller commits.

    :param dry_run: count the e-mail files to delete without deleting them (they cannot
        be rolled back like the rows).
    """
    now = now or utcnow()
    report = PurgeReport()
    begin_for_savepoints()
    events = db.session.execute(select(Event.id, Event.title).order_by(Event.id)).all()
    for event_id, title in events:
        part = PurgeReport()
        try:
            with db.session.begin_nested():
                message_ids = _purge_event(db.session.get(Event, event_id), today, now, part)
        except Exception as error:
            report.problems.append(f"Journée n° {event_id} « {' '.join(title.split())} » "
                                   f"non traitée : {_describe(error)}")
            continue
        report.accommodation_cleared += part.accommodation_cleared
        report.registrations_anonymised += part.registrations_anonymised
        report.messages_deleted += part.messages_deleted
        report.links_deleted += part.links_deleted
        report.mail_files_deleted += _delete_files(message_ids, dry_run, report)
    report.audit_entries_deleted = _rowcount(db.session.execute(
        delete(AuditEntry).where(AuditEntry.at < now - AUDIT_RETENTION)))
    report.login_failures_deleted = purge_rate_events()
    report.message_bodies_dropped = _drop_message_bodies(now)
    message_ids = _delete_other_messages(now)
    report.other_messages_deleted = len(message_ids)
    report.mail_files_deleted += _delete_files(message_ids, dry_run, report)
    report.mail_files_deleted += _delete_old_files(now, dry_run, report)
    return report


def _describe(error: Exception) -> str:
    """One line: the driver's own message rather than SQLAlchemy's, which adds a link."""
    cause = getattr(error, "orig", None) or error
    return f"{type(cause).__name__}: {' '.join(str(cause).split())}"


def _purge_event(event: Event, today: date, now: datetime, part: PurgeReport) -> list[int]:
    """Purge what is due for one event, counted in *part*; return the ids of the
    e-mails deleted, whose files go once the event is done."""
    if accommodation_purge_date(event) < today:
        part.accommodation_cleared = _clear_accommodation(event.id)
    if personal_data_purge_date(event) >= today:
        return []
    message_ids = _delete_messages(event.id)
    part.messages_deleted = len(message_ids)
    part.registrations_anonymised = _anonymise(event.id, now)
    part.links_deleted = _rowcount(db.session.execute(
        delete(FacilitatorLink).where(FacilitatorLink.event_id == event.id)))
    return message_ids


def _delete_files(message_ids: list[int], dry_run: bool, report: PurgeReport) -> int:
    if dry_run or not message_ids:
        return 0
    try:
        return delete_files(message_ids)
    except OSError as error:
        report.problems.append(f"Fichiers .eml non supprimés : {error}")
        return 0


def _delete_old_files(now: datetime, dry_run: bool, report: PurgeReport) -> int:
    days = current_app.config["MAIL_FILE_RETENTION_DAYS"]
    try:
        return delete_old_files(now - timedelta(days=days), dry_run=dry_run)
    except OSError as error:
        report.problems.append(f"Fichiers .eml non supprimés : {error}")
        return 0


def _drop_message_bodies(now: datetime) -> int:
    """Sent messages keep what the lists show (kind, recipient, subject, state, dates),
    not their text: a copy of the person's data and of their secret link."""
    before = now - timedelta(days=current_app.config["MAIL_BODY_RETENTION_DAYS"])
    return _rowcount(db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status != OutboxStatus.PENDING,
               OutboxMessage.message.is_not(None),
               func.coalesce(OutboxMessage.sent_at, OutboxMessage.created_at) < before)
        .values(message=None)
        .execution_options(synchronize_session=False)))


def _delete_other_messages(now: datetime) -> list[int]:
    """Delete the messages of no registration sent (or queued) a while ago; return their
    ids. Their recipient and subject are personal data too, kept by no registration's
    retention period."""
    before = now - timedelta(days=current_app.config["MAIL_LOG_RETENTION_DAYS"])
    old = (OutboxMessage.registration_id.is_(None),
           func.coalesce(OutboxMessage.sent_at, OutboxMessage.created_at) < before)
    message_ids = list(db.session.scalars(select(OutboxMessage.id).where(*old)))
    db.session.execute(delete(OutboxMessage).where(*old)
                       .execution_options(synchronize_session=False))
    return message_ids


def _rowcount(result) -> int:
    return max(result.rowcount or 0, 0)


def _clear_accommodation(event_id: int) -> int:
    return _rowcount(db.session.execute(
        update(Registration)
        .where(Registration.event_id == event_id,
               or_(Registration.accommodation_needed.is_(True),
                   Registration.accommodation_details.is_not(None)))
        .values(accommodation_needed=False, accommodation_details=None)
        .execution_options(synchronize_session=False)))


def _delete_messages(event_id: int) -> list[int]:
    """Delete the e-mails of the event's registrations and facilitator links, and those
    sent to its registrants without a tie to a registration (a link asked for from the
    form), as erasure does."""
    registrants = select(Registration.email).where(Registration.event_id == event_id,
                                                   Registration.email.is_not(None))
    of_event = or_(
        OutboxMessage.registration_id.in_(
            select(Registration.id).where(Registration.event_id == event_id)),
        OutboxMessage.facilitator_link_id.in_(
            select(FacilitatorLink.id).where(FacilitatorLink.event_id == event_id)),
        and_(OutboxMessage.registration_id.is_(None),
             OutboxMessage.facilitator_link_id.is_(None),
             OutboxMessage.status != OutboxStatus.PENDING,
             OutboxMessage.to_address.in_(registrants)))
    message_ids = list(db.session.scalars(select(OutboxMessage.id).where(of_event)))
    db.session.execute(delete(OutboxMessage).where(of_event)
                       .execution_options(synchronize_session=False))
    return message_ids


def _anonymise(event_id: int, now: datetime) -> int:
    return _rowcount(db.session.execute(
        update(Registration)
        .where(Registration.event_id == event_id, Registration.anonymised_at.is_(None))
        .values(first_name=ANONYMOUS_FIRST_NAME, last_name=ANONYMOUS_LAST_NAME,
                email=None, phone=None, organisation=literal(""), function=literal(""),
                # Only the listed sectors count in aggregates; a typed one may name a
                # place or a person.
                sector=case((Registration.sector.in_(SECTORS), Registration.sector),
                            (Registration.sector == "", literal("")),
                            else_=literal(OTHER_SECTOR)),
                accommodation_needed=False, accommodation_details=None,
                entered_by=None, checked_in_by=None, badge_code=None,
                token_nonce=None, token_digest=None, anonymised_at=now)
        .execution_options(synchronize_session=False)))
