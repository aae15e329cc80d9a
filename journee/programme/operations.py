"""Changes to an event that people notice, each in one function; the caller commits."""

from __future__ import annotations

from datetime import date

from ..errors import JourneeError
from .checklist import Checklist, check_event
from .models import Event, EventStatus


class NotReady(JourneeError):
    """Something blocks publication; :attr:`checklist` says what."""

    def __init__(self, checklist: Checklist):
        super().__init__("La journée ne peut pas être publiée\u202f: "
                         + " ".join(item.message for item in checklist.blockers))
        self.checklist = checklist


def publish(event: Event, today: date) -> Checklist:
    """Publish the day, unless something on its checklist blocks it; return the
    checklist (its warnings did not stop publication).

    Nobody is e-mailed: no one has registered for a day that was never published, and a
    day published again after a correction keeps its registrations as they were.
    """
    checklist = check_event(event, today)
    if not checklist.ready:
        raise NotReady(checklist)
    event.status = EventStatus.PUBLISHED
    return checklist
