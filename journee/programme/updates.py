"""Changes of a session's times or room, or of a workshop's room, in a published event,
recorded whatever page, command or service makes them, so that the people registered
can be told (the telling is :mod:`journee.registration.programme_notices`).

A listener on every flush notes how each session or workshop whose times or room change
was before; the changes of an event gather in one open :class:`.models.ProgrammeChange`,
which keeps the first state of each item. What is told is the difference between that
first state and the programme when the notices leave: a burst of edits makes one notice,
a change undone makes none.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from flask import Flask, current_app
from sqlalchemy import event as sa_event
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session as OrmSession

from ..extensions import db
from ..formatting import format_date, format_time_range
from ..util.clock import today_in, utcnow
from ..util.text import quoted
from .models import (
    Event,
    EventStatus,
    ProgrammeChange,
    ProgrammeChangeItem,
    Room,
    Session,
    Workshop,
)

AUDIENCE = "journee.programme_change_audience"
"""The app's counter of the people a change concerns, registered by the package that
tells them (see :func:`register_audience`)."""
_RECORDED = "journee.programme_changes_recorded"
_COMMITTED = "journee.programme_changes_committed"


@dataclass(frozen=True)
class ItemChange:
    """What changed for one session or workshop, first state against the current one."""

    session: Session
    workshop: Workshop | None
    old_starts_at: datetime
    old_ends_at: datetime | None
    old_room: str
    new_room: str
    time_changed: bool
    room_changed: bool

    @property
    def title(self) -> str:
        """« Atelier n° 3 : … » or « Conférence plénière « … » »."""
        if self.workshop is not None:
            return self.workshop.label
        session = self.session
        return (f"{session.kind_label} {quoted(session.title)}" if session.title
                else session.kind_label)

    def old_time(self, several_days: bool) -> str:
        return _when(self.old_starts_at, self.old_ends_at,
                     several_days or self.old_starts_at.date() != self.session.starts_at.date())

    def new_time(self, several_days: bool) -> str:
        return _when(self.session.starts_at, self.session.ends_at,
                     several_days or self.old_starts_at.date() != self.session.starts_at.date())


def _when(start: datetime, end: datetime | None, with_day: bool) -> str:
    hours = format_time_range(start, end)
    return f"{format_date(start.date())}, {hours}" if with_day else hours


def listen() -> None:
    """Record the changes of every session (once per process)."""
    if not sa_event.contains(OrmSession, "before_flush", _record):
        sa_event.listen(OrmSession, "before_flush", _record)
        sa_event.listen(OrmSession, "after_commit", _committed)
        sa_event.listen(OrmSession, "after_soft_rollback", _rolled_back)


def register_audience(app: Flask, count: Callable[[ProgrammeChange, list[ItemChange]], int]
                      ) -> None:
    """Say how many people the changes concern (those who will be told)."""
    app.extensions[AUDIENCE] = count


def _record(session: OrmSession, flush_context, instances) -> None:
    touched = [obj for obj in session.dirty if isinstance(obj, Session | Workshop)]
    if not touched:
        return
    opened: dict[int, ProgrammeChange] = {}  # not flushed yet, hence not found by a query
    with session.no_autoflush:
        for obj in touched:
            before = _before(session, obj)
            if before is None:
                continue
            programme_session = obj if isinstance(obj, Session) else obj.session
            event = programme_session.event
            if not worth_telling(event):
                continue
            change = opened.get(event.id) or open_change(event.id, session)
            if change is None:
                change = ProgrammeChange(event=event, opened_at=utcnow())
                session.add(change)
            opened[event.id] = change
            workshop_id = obj.id if isinstance(obj, Workshop) else None
            if not any(item.session_id == programme_session.id
                       and item.workshop_id == workshop_id for item in change.items):
                starts_at, ends_at, room_id, room_name = before
                change.items.append(ProgrammeChangeItem(
                    session_id=programme_session.id, workshop_id=workshop_id,
                    old_starts_at=starts_at, old_ends_at=ends_at, old_room_id=room_id,
                    old_room_name=room_name))
            session.info.setdefault(_RECORDED, set()).add(event.id)


def _before(session: OrmSession, obj: Session | Workshop) -> tuple | None:
    """The times and room *obj* had before this flush if they change in it; ``None``
    otherwise (or when its old values were never loaded)."""
    state = inspect(obj)
    if obj.id is None or state.deleted:
        return None
    changed = False
    times = []
    programme_session = obj if isinstance(obj, Session) else obj.session
    for name in ("starts_at", "ends_at"):
        history = inspect(programme_session).attrs[name].history
        if isinstance(obj, Session) and history.has_changes():
            if not history.deleted:
                return None
            changed = True
            times.append(history.deleted[0])
        else:
            times.append(getattr(programme_session, name))
    room_history, id_history = state.attrs.room.history, state.attrs.room_id.history
    if room_history.has_changes():
        # Set through the relationship: room_id still holds the old value until the flush.
        old_id = id_history.deleted[0] if id_history.deleted else obj.room_id
        new = obj.room
        if new is None or new.id != old_id:
            changed = True
    elif id_history.has_changes():
        old_id = id_history.deleted[0] if id_history.deleted else None
        changed = changed or old_id != obj.room_id
    else:
        old_id = obj.room_id
    if not changed:
        return None
    old_room = session.get(Room, old_id) if old_id is not None else None
    return times[0], times[1], old_id, old_room.name if old_room else ""


def _committed(session: OrmSession) -> None:
    recorded = session.info.pop(_RECORDED, None)
    if recorded:
        session.info.setdefault(_COMMITTED, set()).update(recorded)


def _rolled_back(session: OrmSession, previous_transaction) -> None:
    session.info.pop(_RECORDED, None)


def committed_events() -> set[int]:
    """The events whose programme changes this app context committed since last asked."""
    return db.session.info.pop(_COMMITTED, set())


def worth_telling(event: Event, today: date | None = None) -> bool:
    """Changes are told for a published event, until its last day is over (*today*: in
    the event's timezone)."""
    return (event.status == EventStatus.PUBLISHED
            and (today or today_in(event.timezone)) <= event.ends_on)


def open_change(event_id: int, session: OrmSession | None = None) -> ProgrammeChange | None:
    """The event's change still gathering edits, if any."""
    session = session or db.session
    return session.scalar(
        select(ProgrammeChange)
        .where(ProgrammeChange.event_id == event_id, ProgrammeChange.closed_at.is_(None))
        .order_by(ProgrammeChange.id.desc()).limit(1))


def net_changes(change: ProgrammeChange) -> list[ItemChange]:
    """Each item as it was first against what it is now; those back to where they were
    left out."""
    changes = []
    for item in change.items:
        session, workshop = item.session, item.workshop
        if item.workshop_id is not None and workshop is None:
            continue
        time_changed = item.workshop_id is None and (
            (item.old_starts_at, item.old_ends_at) != (session.starts_at, session.ends_at))
        current = workshop if workshop is not None else session
        room_changed = item.old_room_id != current.room_id
        if time_changed or room_changed:
            changes.append(ItemChange(
                session, workshop, item.old_starts_at, item.old_ends_at,
                item.old_room_name, current.room.name if current.room else "",
                time_changed, room_changed))
    return sorted(changes, key=lambda c: (c.session.starts_at, c.session.position,
                                          c.session.id, c.workshop.number if c.workshop
                                          else 0))


def people_to_tell(event_id: int) -> tuple[int, bool] | None:
    """How many people the event's gathering change will tell, and whether anything is
    still to tell at all (an undone change: nothing); ``None`` without a change."""
    change = open_change(event_id)
    if change is None:
        return None
    changes = net_changes(change)
    if not changes:
        return 0, False
    count = current_app.extensions.get(AUDIENCE)
    return (count(change, changes) if count else 0), True
