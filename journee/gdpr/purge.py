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

Each package's data owner (see :mod:`journee.data_owners`) applies its own rules: first
those bound to an event, one event at a time, then the others. Each event is purged on
its own: one that cannot be (a date the database holds but Python cannot read, a broken
row) is reported and the others still are. Each step only touches rows not yet purged,
so running it twice does nothing more.
"""

from __future__ import annotations

from datetime import date, datetime

from .. import data_owners as owners
from ..data_owners import PurgeReport, PurgeRun
from ..database import begin_for_savepoints
from ..extensions import db
from ..programme.queries import event_titles
from ..util.clock import utcnow


def purge(today: date, now: datetime | None = None, *, dry_run: bool = False) -> PurgeReport:
    """Apply every retention rule as of ``today``; the caller commits.

    :param dry_run: count the e-mail files to delete without deleting them (they cannot
        be rolled back like the rows).
    """
    registered = owners.registered()
    run = PurgeRun(today=today, now=now or utcnow(), dry_run=dry_run,
                   report=PurgeReport(owners.purge_labels(registered)))
    begin_for_savepoints()
    for event_id, title in event_titles():
        part = run.for_event()
        try:
            with db.session.begin_nested():
                for owner in registered:
                    owner.purge_event(event_id, part)
        except Exception as error:
            run.report.problems.append(f"Journée n°\u00a0{event_id} «\u202f{' '.join(title.split())}\u202f» "
                                       f"non traitée\u202f: {_describe(error)}")
            continue
        run.report.include(part.report)
    for owner in registered:
        owner.purge(run)
    return run.report


def _describe(error: Exception) -> str:
    """One line: the driver's own message rather than SQLAlchemy's, which adds a link."""
    cause = getattr(error, "orig", None) or error
    return f"{type(cause).__name__}: {' '.join(str(cause).split())}"
