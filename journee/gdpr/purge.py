"""Retention: what is deleted when, run by ``journee purge`` and daily by the app.

- Accommodation needs: cleared ``accommodation_retention_days`` after the event's last
  day (7 by default).
- Registrations: ``retention_days`` after the last day (90 by default) they are
  anonymised: name, e-mail, phone, organisation, function, every free text and every
  secret are removed; what counts keep working on stays (profile, course, sector, status,
  lunch, presence, workshop choices and placements). Their e-mails leave the outbox and
  the event's facilitator links are deleted.
- The audit log: entries older than 12 months. Sign-in failures: after 15 minutes.

Each step only touches rows not yet purged, so running it twice does nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, literal, or_, select, update

from ..audit.models import AuditEntry
from ..auth.throttle import purge_expired as purge_login_failures
from ..ratelimit import purge_expired as purge_rate_events
from ..extensions import db
from ..facilitation.models import FacilitatorLink
from ..mail_models import OutboxMessage
from ..models_base import utcnow
from ..programme.models import Event
from ..registration.models import Registration

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

    def lines(self) -> list[str]:
        return [
            f"Besoins d’aménagement effacés : {self.accommodation_cleared}",
            f"Inscriptions anonymisées : {self.registrations_anonymised}",
            f"E-mails supprimés de la file d’envoi : {self.messages_deleted}",
            f"Liens d’animateur·rice supprimés : {self.links_deleted}",
            ("Entrées du journal d’accès supprimées (plus de 12 mois) : "
             f"{self.audit_entries_deleted}"),
            f"Échecs de connexion oubliés : {self.login_failures_deleted}",
        ]


def accommodation_purge_date(event: Event) -> date:
    return event.ends_on + timedelta(days=event.accommodation_retention_days)


def personal_data_purge_date(event: Event) -> date:
    return event.ends_on + timedelta(days=event.retention_days)


def purge(today: date, now: datetime | None = None) -> PurgeReport:
    """Apply every retention rule as of ``today``; the caller commits."""
    now = now or utcnow()
    report = PurgeReport()
    for event in db.session.scalars(select(Event)):
        if accommodation_purge_date(event) < today:
            report.accommodation_cleared += _clear_accommodation(event.id)
        if personal_data_purge_date(event) < today:
            report.messages_deleted += _delete_messages(event.id)
            report.registrations_anonymised += _anonymise(event.id, now)
            report.links_deleted += _rowcount(db.session.execute(
                delete(FacilitatorLink).where(FacilitatorLink.event_id == event.id)))
    report.audit_entries_deleted = _rowcount(db.session.execute(
        delete(AuditEntry).where(AuditEntry.at < now - AUDIT_RETENTION)))
    report.login_failures_deleted = purge_login_failures() + purge_rate_events()
    return report


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


def _delete_messages(event_id: int) -> int:
    of_event = select(Registration.id).where(Registration.event_id == event_id)
    return _rowcount(db.session.execute(
        delete(OutboxMessage).where(OutboxMessage.registration_id.in_(of_event))
        .execution_options(synchronize_session=False)))


def _anonymise(event_id: int, now: datetime) -> int:
    return _rowcount(db.session.execute(
        update(Registration)
        .where(Registration.event_id == event_id, Registration.anonymised_at.is_(None))
        .values(first_name=ANONYMOUS_FIRST_NAME, last_name=ANONYMOUS_LAST_NAME,
                email=None, phone=None, organisation=literal(""), function=literal(""),
                accommodation_needed=False, accommodation_details=None,
                entered_by=None, checked_in_by=None, badge_code=None,
                token_nonce=None, token_digest=None, anonymised_at=now)
        .execution_options(synchronize_session=False)))
