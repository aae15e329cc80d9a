"""An event's public documents (programme.ics, programme.pdf, an attendee's day) are
built from its programme alone: one fingerprint of the rows they are built from names
each version, is its ETag, and keys the documents kept in memory, so that an unchanged
programme is not drawn again for every download or every confirmation e-mail.

The fingerprint reads every column of those rows as they are in the database now (the
event, its rooms, sessions, workshops, contributions, participations and their people),
in a few plain queries, without loading the programme, plus what else decides the
document (today's registration message, the public address…) and the code that draws
it: any edit, whichever row it touches, gives a new version.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from sqlalchemy import LargeBinary, select

from ..extensions import db
from .models import Contribution, Event, Participation, Person, Room, Session, Workshop

CODE = ("ics.py", "pdf.py", "schedule.py", "models.py")


@lru_cache(maxsize=1)
def _code_version() -> bytes:
    """The source of what draws the documents, and of the PDF toolkit: a new release
    that draws them differently gives them new versions."""
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    files = [here / name for name in CODE]
    files += sorted((here.parent / "documents").glob("*.py"))
    for path in files:
        digest.update(path.read_bytes())
    return digest.digest()


def _columns(model) -> list:
    """A table's columns, but images (a signature): they are not drawn."""
    return [column for column in model.__table__.columns
            if not isinstance(column.type, LargeBinary)]


@lru_cache(maxsize=1)
def _queries() -> list:
    event_id = db.bindparam("event_id")
    sessions = select(Session.id).where(Session.event_id == event_id)
    people = select(Participation.person_id).where(Participation.session_id.in_(sessions))
    return [
        select(*_columns(Event)).where(Event.id == event_id),
        select(*_columns(Room)).where(Room.event_id == event_id).order_by(Room.id),
        select(*_columns(Session)).where(Session.event_id == event_id).order_by(Session.id),
        select(*_columns(Workshop)).where(Workshop.session_id.in_(sessions))
        .order_by(Workshop.id),
        select(*_columns(Contribution)).where(Contribution.session_id.in_(sessions))
        .order_by(Contribution.id),
        select(*_columns(Participation)).where(Participation.session_id.in_(sessions))
        .order_by(Participation.id),
        select(*_columns(Person)).where(Person.id.in_(people)).order_by(Person.id),
    ]


def programme_version(event_id: int, *extra) -> str:
    """The fingerprint of the event's programme as it is in the database, and of
    *extra*."""
    digest = hashlib.sha256(_code_version())
    digest.update(repr(extra).encode())
    for query in _queries():
        for row in db.session.execute(query, {"event_id": event_id}):
            digest.update(repr(tuple(row)).encode())
        digest.update(b"\x1e")
    return digest.hexdigest()[:32]


class DocumentCache:
    """The last few documents built, by version (a small LRU shared by the threads of a
    process)."""

    def __init__(self, size: int = 16) -> None:
        self.size = size
        self._documents: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, version: str, build: Callable[[], bytes]) -> bytes:
        with self._lock:
            if version in self._documents:
                self._documents.move_to_end(version)
                return self._documents[version]
        data = build()
        with self._lock:
            self._documents[version] = data
            while len(self._documents) > self.size:
                self._documents.popitem(last=False)
        return data

    def clear(self) -> None:
        with self._lock:
            self._documents.clear()


documents = DocumentCache()
