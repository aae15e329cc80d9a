"""The figures an organiser follows day to day: on the event's admin home (the dashboard)
and as one line per event in the list of events.

Everything is counted in SQL with ``GROUP BY``: a fixed number of queries whatever the
number of registrations, and, for the list, whatever the number of events.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from ..extensions import db
from ..formatting import NBSP, plural
from ..mail_models import OutboxMessage, OutboxStatus
from ..programme.models import Event
from .models import Registration, RegistrationStatus
from .summary import (
    DayCount,
    StatusCounts,
    WorkshopDemand,
    days_received,
    workshop_demand,
)


@dataclass
class Figures(StatusCounts):
    """The headline figures of one event on one day."""

    capacity: int | None
    deadline: date | None
    today: date
    counts: dict[RegistrationStatus, int] = field(default_factory=dict)
    mail_pending: int = 0
    """E-mails to registered people still waiting to go (retried ones included)."""
    mail_failed: int = 0
    """E-mails to registered people that could not be written: someone must look."""

    @property
    def places_left(self) -> int | None:
        """``None``: the day has no limit."""
        return None if self.capacity is None else max(self.capacity - self.confirmed, 0)

    @property
    def days_to_deadline(self) -> int | None:
        """Days until registration closes (0: closes tonight; negative: closed); ``None``
        without a deadline. The deadline day is included, as on the public page."""
        return None if self.deadline is None else (self.deadline - self.today).days

    @property
    def deadline_text(self) -> str:
        """« clôture dans 12 jours », « clôture demain », « clôture ce soir »,
        « clôturées », « pas de date limite »."""
        days = self.days_to_deadline
        if days is None:
            return "pas de date limite"
        if days < 0:
            return "clôturées"
        if days == 0:
            return "clôture ce soir"
        if days == 1:
            return "clôture demain"
        return f"clôture dans {days}{NBSP}jours"

    @property
    def places_text(self) -> str:
        if self.places_left is None:
            return "places non limitées"
        if self.places_left == 0:
            return "complet"
        return plural(self.places_left, "place restante", "places restantes")


@dataclass
class WorkshopLoad:
    """One workshop's demand against its places: the people assigned to it once its slot
    has been assigned, the first choices before."""

    demand: WorkshopDemand
    assigned: bool

    @property
    def value(self) -> int:
        return self.demand.assigned if self.assigned else self.demand.first_choices

    @property
    def basis(self) -> str:
        return "affecté·es" if self.assigned else "1ers choix"


def workshop_loads(demands: list[WorkshopDemand]) -> list[WorkshopLoad]:
    assigned_slots = {d.slot for d in demands if d.assigned}
    return [WorkshopLoad(d, d.slot in assigned_slots) for d in demands]


@dataclass
class Dashboard:
    figures: Figures
    workshops: list[WorkshopLoad]
    days: list[DayCount]


def event_figures(events: list[Event], today: date) -> dict[int, Figures]:
    """The figures of each event, by event id: two queries for all of them."""
    figures = {event.id: Figures(event.capacity, event.registration_deadline, today)
               for event in events}
    if not figures:
        return figures
    for event_id, status, count in db.session.execute(
            select(Registration.event_id, Registration.status, func.count(Registration.id))
            .where(Registration.event_id.in_(figures))
            .group_by(Registration.event_id, Registration.status)):
        figures[event_id].counts[status] = count
    mail: dict[int, dict] = defaultdict(dict)
    for event_id, status, count in db.session.execute(
            select(Registration.event_id, OutboxMessage.status, func.count(OutboxMessage.id))
            .join(Registration, Registration.id == OutboxMessage.registration_id)
            .where(Registration.event_id.in_(figures),
                   OutboxMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.FAILED)))
            .group_by(Registration.event_id, OutboxMessage.status)):
        mail[event_id][status] = count
    for event_id, counts in mail.items():
        figures[event_id].mail_pending = counts.get(OutboxStatus.PENDING, 0)
        figures[event_id].mail_failed = counts.get(OutboxStatus.FAILED, 0)
    return figures


def build_dashboard(event: Event, today: date) -> Dashboard:
    return Dashboard(figures=event_figures([event], today)[event.id],
                     workshops=workshop_loads(workshop_demand(event)), days=days_received(event))
