"""Telling the people registered that the times or rooms of their day changed, as a
periodic job (see :mod:`journee.tasks`); the changes are recorded by
:mod:`journee.programme.updates`.

An event's change gathers the edits made within ``PROGRAMME_NOTICE_DELAY_SECONDS`` of the
first one; then a round closes it (later edits start another) and queues one notice per
person concerned, listing everything that changed for them. Each notice is committed
with its ``programme_change_notice`` row (unique per registration and change): whichever
runner inserts it first queues the message, the others insert nothing and move on, and
a runner that dies before its commit leaves neither, so the next round sends it. Once
everyone has theirs, the change is finished.

Concerned: everyone confirmed for a common session (a workshops slot included: their
workshop or the slot is in their calendar); for a workshop's room, the people whose
workshop it is as they know it (first come, or published to them).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Flask, current_app
from sqlalchemy import select, update

from .. import tasks
from ..database import insert_once
from ..extensions import db
from ..mail import sharing_round
from ..programme.models import Event, ProgrammeChange, Workshop, WorkshopMode
from ..programme.updates import ItemChange, net_changes, register_audience, worth_telling
from ..util.clock import utcnow
from .models import (
    Assignment,
    ProgrammeChangeNotice,
    Registration,
    RegistrationStatus,
    WorkshopChoice,
)
from .notices import queue_programme_notice

PROGRAMME_NOTICE_JOB = "programme-change-notices"


def queue_programme_notices(now: datetime | None = None) -> int:
    """Close the changes that have gathered long enough at *now* (UTC) and queue the
    notices of every closed change not finished yet; return how many were queued."""
    now = now or utcnow()
    delay = timedelta(seconds=current_app.config["PROGRAMME_NOTICE_DELAY_SECONDS"])
    db.session.execute(
        update(ProgrammeChange)
        .where(ProgrammeChange.closed_at.is_(None), ProgrammeChange.opened_at <= now - delay)
        .values(closed_at=now).execution_options(synchronize_session=False))
    db.session.commit()
    base_url = current_app.config["PUBLIC_BASE_URL"]
    queued = 0
    with sharing_round():
        for change_id in _unfinished():
            queued += _tell(db.session.get(ProgrammeChange, change_id), now, base_url)
            db.session.execute(
                update(ProgrammeChange).where(ProgrammeChange.id == change_id)
                .values(finished_at=now).execution_options(synchronize_session=False))
            db.session.commit()
    return queued


def _unfinished() -> list[int]:
    return list(db.session.scalars(
        select(ProgrammeChange.id)
        .where(ProgrammeChange.closed_at.is_not(None), ProgrammeChange.finished_at.is_(None))
        .order_by(ProgrammeChange.id)))


def _tell(change: ProgrammeChange, now: datetime, base_url: str) -> int:
    event = change.event
    today = now.replace(tzinfo=UTC).astimezone(ZoneInfo(event.timezone)).date()
    if not worth_telling(event, today):
        return 0
    changes = net_changes(change)
    queued = 0
    for registration_id, theirs in audience(event, changes).items():
        if not _claim(registration_id, change.id):
            db.session.rollback()
            continue
        # Read after the claim: someone cancelled meanwhile gets nothing.
        registration = db.session.get(Registration, registration_id, populate_existing=True)
        if (registration is None or registration.status != RegistrationStatus.CONFIRMED
                or not registration.email):
            db.session.rollback()
            continue
        registration.calendar_sequence += 1
        queue_programme_notice(registration, theirs, base_url)
        db.session.commit()
        queued += 1
    return queued


def audience(event: Event, changes: list[ItemChange]) -> dict[int, list[ItemChange]]:
    """The registrations to tell, each with the changes that concern them, in the order
    of the day."""
    people: dict[int, list[ItemChange]] = {}
    common = [change for change in changes if change.workshop is None]
    if common:
        for registration_id in db.session.scalars(_reachable(event.id)):
            people[registration_id] = list(common)
    for change in changes:
        if change.workshop is not None:
            for registration_id in db.session.scalars(_holders(event, change.workshop)):
                people.setdefault(registration_id, []).append(change)
    order = {id(change): position for position, change in enumerate(changes)}
    return {registration_id: sorted(theirs, key=lambda change: order[id(change)])
            for registration_id, theirs in sorted(people.items())}


def count_audience(change: ProgrammeChange, changes: list[ItemChange]) -> int:
    return len(audience(change.event, changes))


def _reachable(event_id: int):
    return (select(Registration.id)
            .where(Registration.event_id == event_id,
                   Registration.status == RegistrationStatus.CONFIRMED,
                   Registration.email.is_not(None), Registration.email != "",
                   Registration.anonymised_at.is_(None))
            .order_by(Registration.id))


def _holders(event: Event, workshop: Workshop):
    """Those whose workshop it is, as they know it (see :func:`.services.attendee_workshops`)."""
    if event.workshop_mode == WorkshopMode.FIRST_COME:
        holders = select(WorkshopChoice.registration_id).where(
            WorkshopChoice.workshop_id == workshop.id, WorkshopChoice.rank == 1)
    else:
        holders = select(Assignment.registration_id).where(
            Assignment.published_workshop_id == workshop.id)
    return _reachable(event.id).where(Registration.id.in_(holders))


def _claim(registration_id: int, change_id: int) -> bool:
    """Insert the notice's row unless someone has; ``True`` when this runner did."""
    return insert_once(ProgrammeChangeNotice, ("registration_id", "change_id"),
                       registration_id=registration_id, change_id=change_id,
                       queued_at=utcnow())


def programme_notice_job() -> str:
    count = queue_programme_notices()
    if not count:
        return "aucun changement de programme à annoncer."
    return f"{count} avis de changement de programme mis en file."


def init_app(app: Flask) -> None:
    """Count who the changes concern for the organisers, and look for changes to tell
    every ``PROGRAMME_NOTICE_INTERVAL_SECONDS`` (5 minutes by default; 0: never)."""
    register_audience(app, count_audience)
    interval = app.config["PROGRAMME_NOTICE_INTERVAL_SECONDS"]
    if interval and interval > 0:
        tasks.register(app, tasks.PeriodicJob(
            PROGRAMME_NOTICE_JOB, "Avis de changement de programme",
            timedelta(seconds=interval), programme_notice_job))
