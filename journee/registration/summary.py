"""The « Bilan des inscriptions »: counts of an event's registrations, and its workbook.

:func:`build_summary` counts in SQL (``GROUP BY``), a fixed number of queries whatever the
number of registrations; :func:`build_summary_xlsx` is pure and writes the same tables.

What is counted: the breakdowns (profile, course, organisation…) cover the registrations
still running, confirmed or waitlisted, with one column for each; cancelled ones only
appear in the status table and in the registrations received per day. Workshop demand
counts the choices of confirmed registrations, the people expected on the day.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import String, cast, func, select

from ..documents.xlsx import DATE, NUMBER, Column, WorkbookBuilder
from ..extensions import db
from ..formatting import format_time_range
from ..programme.models import Event
from .listing import event_workshops, local_time
from .models import (
    COURSES,
    PROFILE_LABELS,
    SOURCE_LABELS,
    STATUS_LABELS,
    Assignment,
    Registration,
    RegistrationStatus,
    WorkshopChoice,
)

TOP_ORGANISATIONS = 20
NOT_GIVEN = "Non renseigné"
RUNNING = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)



@dataclass
class Row:
    label: str
    confirmed: int = 0
    waitlisted: int = 0

    @property
    def total(self) -> int:
        return self.confirmed + self.waitlisted


@dataclass
class Table:
    """One breakdown of the running registrations: a row per value."""

    key: str
    title: str
    heading: str
    """Header of the first column (« Profil », « Organisation »…)."""
    rows: list[Row]

    @property
    def total(self) -> Row:
        return Row("Total", sum(r.confirmed for r in self.rows),
                   sum(r.waitlisted for r in self.rows))


@dataclass
class DayCount:
    day: date
    count: int


@dataclass
class WorkshopDemand:
    slot: str
    label: str
    first_choices: int
    all_choices: int
    capacity: int | None
    room: str
    room_capacity: int | None
    assigned: int = 0
    """Confirmed people placed in the workshop by the assignment (preference mode)."""

    @property
    def limit(self) -> int | None:
        """The places really available: the smaller of the workshop's and its room's."""
        known = [c for c in (self.capacity, self.room_capacity) if c is not None]
        return min(known) if known else None

    @property
    def over_demand(self) -> bool:
        """More first choices than places: some people will not get their first choice."""
        return self.limit is not None and self.first_choices > self.limit


class StatusCounts:
    """The registrations of an event counted by status (``counts``), read by name."""

    counts: dict[RegistrationStatus, int]

    @property
    def confirmed(self) -> int:
        return self.counts.get(RegistrationStatus.CONFIRMED, 0)

    @property
    def waitlisted(self) -> int:
        return self.counts.get(RegistrationStatus.WAITLISTED, 0)

    @property
    def cancelled(self) -> int:
        return self.counts.get(RegistrationStatus.CANCELLED, 0)


@dataclass
class Summary(StatusCounts):
    statuses: list[tuple[str, int]]
    total: int
    tables: list[Table]
    days: list[DayCount]
    workshops: list[WorkshopDemand] = field(default_factory=list)
    counts: dict[RegistrationStatus, int] = field(default_factory=dict)


def build_summary(event: Event) -> Summary:
    """Count the event's registrations in every way the organiser reports them."""
    statuses = dict(db.session.execute(
        select(Registration.status, func.count(Registration.id))
        .where(Registration.event_id == event.id).group_by(Registration.status)).all())
    tables = [
        Table("profils", "Profils", "Profil", _ordered(
            _breakdown(event, Registration.profile),
            [(profile, label) for profile, label in PROFILE_LABELS.items()])),
        Table("formations", "Formations des étudiant·es", "Formation", _ordered(
            _breakdown(event, Registration.course, Registration.course.is_not(None)),
            [(course, course) for course in COURSES])),
        Table("organisations", f"Organisations (les {TOP_ORGANISATIONS} plus représentées)",
              "Organisation", _organisations(event)),
        Table("secteurs", "Secteurs", "Secteur", _by_total(_breakdown(event, Registration.sector))),
        Table("dejeuner", "Déjeuner sur place", "Déjeuner", _ordered(
            _breakdown(event, Registration.lunch),
            [(True, "Oui"), (False, "Non"), (None, "Sans réponse")])),
        Table("origine", "Origine des inscriptions", "Origine", _ordered(
            _breakdown(event, Registration.source), list(SOURCE_LABELS.items()))),
    ]
    return Summary(
        statuses=[(label, statuses.get(status, 0)) for status, label in STATUS_LABELS.items()],
        total=sum(statuses.values()), tables=tables, days=days_received(event),
        workshops=workshop_demand(event), counts=statuses)


def _breakdown(event: Event, column, *where) -> dict:
    """Running registrations per value of ``column``: ``{value: Row}`` (label unset)."""
    rows: dict = defaultdict(lambda: Row(""))
    for value, status, count in db.session.execute(
            select(column, Registration.status, func.count(Registration.id))
            .where(Registration.event_id == event.id, Registration.status.in_(RUNNING), *where)
            .group_by(column, Registration.status)):
        row = rows[value]
        if status == RegistrationStatus.CONFIRMED:
            row.confirmed += count
        else:
            row.waitlisted += count
    return rows


def _ordered(rows: dict, labels: list) -> list[Row]:
    """Rows in the order of ``labels`` (every label, even at zero), then any other value."""
    result = []
    for value, label in labels:
        row = rows.pop(value, Row(""))
        row.label = label
        result.append(row)
    for value, row in sorted(rows.items(), key=lambda item: str(item[0])):
        row.label = str(value) if value not in (None, "") else NOT_GIVEN
        result.append(row)
    return result


def _by_total(rows: dict) -> list[Row]:
    for value, row in rows.items():
        row.label = value or NOT_GIVEN
    return sorted(rows.values(), key=lambda r: (-r.total, r.label.casefold()))


def _organisations(event: Event) -> list[Row]:
    rows = _by_total(_breakdown(event, Registration.organisation))
    if len(rows) <= TOP_ORGANISATIONS:
        return rows
    others = rows[TOP_ORGANISATIONS:]
    label = f"Autres organisations ({len(others)})"
    return rows[:TOP_ORGANISATIONS] + [Row(label, sum(r.confirmed for r in others),
                                           sum(r.waitlisted for r in others))]


def days_received(event: Event) -> list[DayCount]:
    """Registrations received per day (event time), cancelled ones included; days
    without any between the first and the last are listed at zero.

    Counted in SQL per hour (UTC, as stored), each hour then put on its local day:
    reading and converting thousands of timestamps in Python cost more than the rest of
    the dashboard. A time zone whose offset is not whole hours is counted per minute.
    """
    zone = ZoneInfo(event.timezone)
    length = HOUR if _whole_hours(zone) else MINUTE
    bucket = func.substr(cast(Registration.created_at, String), 1, length)
    counts: Counter = Counter()
    for text, count in db.session.execute(
            select(bucket, func.count(Registration.id))
            .where(Registration.event_id == event.id).group_by(bucket)):
        moment = datetime.fromisoformat(text + (":00" if length == HOUR else ""))
        counts[local_time(moment, event.timezone).date()] += count
    if not counts:
        return []
    first, last = min(counts), max(counts)
    return [DayCount(first + timedelta(days=n), counts.get(first + timedelta(days=n), 0))
            for n in range((last - first).days + 1)]


HOUR, MINUTE = len("2018-03-15 09"), len("2018-03-15 09:30")


def _whole_hours(zone: ZoneInfo) -> bool:
    """Whether the zone's offsets, summer and winter, are whole hours (Europe/Paris)."""
    return all(zone.utcoffset(datetime(2020, month, 1)).total_seconds() % 3600 == 0
               for month in (1, 7))


def workshop_demand(event: Event) -> list[WorkshopDemand]:
    """Per workshop, in the order of the day: the choices of confirmed registrations,
    the places assigned to them, and the places there are."""
    first, every = Counter(), Counter()
    for workshop_id, rank, count in db.session.execute(
            select(WorkshopChoice.workshop_id, WorkshopChoice.rank, func.count(WorkshopChoice.id))
            .join(Registration, Registration.id == WorkshopChoice.registration_id)
            .where(Registration.event_id == event.id,
                   Registration.status == RegistrationStatus.CONFIRMED)
            .group_by(WorkshopChoice.workshop_id, WorkshopChoice.rank)):
        every[workshop_id] += count
        if rank == 1:
            first[workshop_id] += count
    assigned = Counter(dict(db.session.execute(
        select(Assignment.workshop_id, func.count(Assignment.id))
        .join(Registration, Registration.id == Assignment.registration_id)
        .where(Registration.event_id == event.id,
               Registration.status == RegistrationStatus.CONFIRMED)
        .group_by(Assignment.workshop_id)).all()))
    workshops = list(event_workshops(event.id).values())
    several_slots = len({w.session_id for w in workshops}) > 1
    demand = []
    for workshop in workshops:
        session, room = workshop.session, workshop.room
        slot = session.display_title
        if several_slots:
            slot = f"{slot}, {format_time_range(session.starts_at, session.ends_at)}"
        demand.append(WorkshopDemand(
            slot=slot, label=workshop.label, first_choices=first[workshop.id],
            all_choices=every[workshop.id], capacity=workshop.capacity,
            room=room.name if room else "", room_capacity=room.capacity if room else None,
            assigned=assigned[workshop.id]))
    return demand


# Workbook ---------------------------------------------------------------------------------

COUNT_COLUMNS = [Column("Confirmées", NUMBER), Column("Liste d’attente", NUMBER),
                 Column("Total", NUMBER)]


def build_summary_xlsx(event_title: str, summary: Summary) -> bytes:
    """The summary as a workbook: one sheet per table, with the event's title on top."""
    builder = WorkbookBuilder()
    builder.add_table("Statuts", [Column("Statut"), Column("Inscriptions", NUMBER)],
                      summary.statuses + [("Total", summary.total)],
                      title_lines=(event_title, "Inscriptions par statut"))
    for table in summary.tables:
        builder.add_table(
            table.title.split(" (")[0], [Column(table.heading)] + COUNT_COLUMNS,
            [(r.label, r.confirmed, r.waitlisted, r.total) for r in table.rows + [table.total]],
            title_lines=(event_title, f"{table.title} — inscriptions confirmées ou en "
                                      "liste d’attente"))
    builder.add_table("Par jour", [Column("Jour", DATE), Column("Inscriptions reçues", NUMBER)],
                      [(d.day, d.count) for d in summary.days],
                      title_lines=(event_title, "Inscriptions reçues par jour, annulées "
                                                "comprises"))
    builder.add_table(
        "Ateliers",
        [Column("Créneau"), Column("Atelier"), Column("1ers choix", NUMBER),
         Column("Tous les choix", NUMBER), Column("Capacité de l’atelier", NUMBER),
         Column("Salle"), Column("Capacité de la salle", NUMBER),
         Column("Demande supérieure aux places")],
        [(w.slot, w.label, w.first_choices, w.all_choices, w.capacity, w.room,
          w.room_capacity, "Oui" if w.over_demand else "Non") for w in summary.workshops],
        title_lines=(event_title, "Demande par atelier (inscriptions confirmées)"))
    return builder.to_bytes()
