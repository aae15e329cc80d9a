"""An event's public documents (programme.ics, programme.pdf) are built from its
programme alone: one fingerprint of everything loaded with it names each version, is
its ETag, and keys the documents kept in memory, so that an unchanged programme is not
drawn again for every download.

The fingerprint reads every column of the rows the documents are built from (the event,
its rooms, sessions, workshops, contributions, participations and people) as loaded now,
plus what else decides the document (today's registration message, the public address)
and the code that draws it: any edit, whichever row it touches, gives a new version.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import lru_cache
from operator import attrgetter
from pathlib import Path

from sqlalchemy import LargeBinary, inspect

from .models import Event

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


@lru_cache(maxsize=None)
def _reader(model: type) -> Callable:
    """The values of a row's columns, as one tuple (deferred columns and images left
    out: they are not drawn)."""
    keys = [attribute.key for attribute in inspect(model).column_attrs
            if not attribute.deferred
            and not isinstance(attribute.columns[0].type, LargeBinary)]
    return attrgetter(*keys)


def _columns(row, digest) -> None:
    digest.update(repr((type(row).__name__, _reader(type(row))(row))).encode())


def _people(participations, digest) -> None:
    for participation in participations:
        _columns(participation, digest)
        _columns(participation.person, digest)


def programme_version(event: Event, *extra) -> str:
    """The fingerprint of the event's programme as loaded, and of *extra*."""
    digest = hashlib.sha256(_code_version())
    digest.update(repr(extra).encode())
    _columns(event, digest)
    for room in event.rooms:
        _columns(room, digest)
    for session in event.sessions:
        _columns(session, digest)
        _people(session.participations, digest)
        for contribution in session.contributions:
            _columns(contribution, digest)
            _people(contribution.presenters, digest)
        for workshop in session.workshops:
            _columns(workshop, digest)
            _people(workshop.facilitators, digest)
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
