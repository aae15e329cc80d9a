"""The organiser's timetable of a day: rooms as columns, a row every quarter of an hour.

A session is placed in its room's column, a workshops slot by its workshops (parallel
workshops side by side); what has no room goes to a last column. Things that overlap in
one column share a cell marked as a conflict, the room being taken twice (see
:mod:`.clashes`, which refuses such a room when a session is saved). A person taking part
in two things at once is listed with the day, and each item concerned names them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from .clashes import POINT_DURATION, PersonClash, person_clashes
from .models import Event, Room, Session, Workshop

STEP = timedelta(minutes=15)
NO_ROOM = None
"""The key of the column of what has no room."""
Twice = dict[tuple[int | None, int | None], list[str]]
"""The names of the people taken twice, by session id and workshop id (``None``: the
session itself)."""


@dataclass(frozen=True)
class Item:
    """A session, or one workshop of a workshops slot, placed in one column."""

    session: Session
    workshop: Workshop | None = None
    people_twice: tuple[str, ...] = ()
    """The names of its people who are somewhere else at the same time."""

    @property
    def starts_at(self) -> datetime:
        return self.session.starts_at

    @property
    def end(self) -> datetime:
        return self.session.ends_at or self.session.starts_at + POINT_DURATION


@dataclass
class Cell:
    """One cell of the grid: ``items`` placed there, or none (free: the organiser may add a
    session there). Overlapping items share a cell: in a room's column, a conflict."""

    starts_at: datetime
    rows: int = 1
    items: list[Item] = field(default_factory=list)
    conflict: bool = False

    @property
    def people_twice(self) -> bool:
        return any(item.people_twice for item in self.items)


@dataclass
class Column:
    room: Room | None

    @property
    def label(self) -> str:
        return self.room.name if self.room is not None else "Sans salle"

    @property
    def room_id(self) -> int:
        return self.room.id if self.room is not None else 0


@dataclass
class Row:
    starts_at: datetime
    cells: list[Cell | None]
    """One per column; ``None`` where a cell of an earlier row spans this one."""


@dataclass
class DayGrid:
    day: date
    columns: list[Column]
    rows: list[Row]
    conflicts: list[list[Item]]
    person_clashes: list[PersonClash] = field(default_factory=list)

    @property
    def people_taken_twice(self) -> int:
        return len({clash.person.id for clash in self.person_clashes})


def _floor(moment: datetime) -> datetime:
    minutes = moment.hour * 60 + moment.minute
    return datetime.combine(moment.date(), time()) + STEP * (minutes // 15)


def _ceil(moment: datetime) -> datetime:
    floor = _floor(moment)
    return floor if floor == moment else floor + STEP


def _twice(clashes: list[PersonClash]) -> Twice:
    names: Twice = {}
    for clash in clashes:
        for place in (clash.first, clash.second):
            found = names.setdefault((place.session_id, place.workshop_id), [])
            if clash.person.full_name not in found:
                found.append(clash.person.full_name)
    return names


def _items(session: Session, twice: Twice) -> list[tuple[int | None, Item]]:
    """Where a session goes: its room, or the rooms of its workshops (each also holding
    whoever is taken twice in the slot itself)."""
    here = twice.get((session.id, None), [])
    if session.workshops:
        return [(w.room_id, Item(session, w, tuple(dict.fromkeys(
            twice.get((session.id, w.id), []) + here)))) for w in session.workshops]
    return [(session.room_id, Item(session, people_twice=tuple(here)))]


def _clusters(items: list[Item]) -> list[list[Item]]:
    """Group the items of one column that overlap (directly or through another)."""
    clusters: list[list[Item]] = []
    end = None
    for item in sorted(items, key=lambda i: (i.starts_at, i.end)):
        if clusters and item.starts_at < end:
            clusters[-1].append(item)
            end = max(end, item.end)
        else:
            clusters.append([item])
            end = item.end
    return clusters


def day_grid(event: Event, day: date, start: time = time(8, 30),
             end: time = time(17, 30), clashes: list[PersonClash] | None = None) -> DayGrid:
    """The grid of one day, from ``start`` to ``end`` at least, longer if the day is.

    :param clashes: the event's people taken twice, when already known.
    """
    sessions = [s for s in event.sessions if s.starts_at.date() == day]
    clashes = [clash for clash in (person_clashes(event) if clashes is None else clashes)
               if clash.day == day]
    twice = _twice(clashes)
    by_column: dict[int | None, list[Item]] = {room.id: [] for room in event.rooms}
    by_column[NO_ROOM] = []
    for session in sessions:
        for room_id, item in _items(session, twice):
            by_column.setdefault(room_id, []).append(item)
    columns = [Column(room) for room in event.rooms] + [Column(None)]

    first = datetime.combine(day, start)
    last = datetime.combine(day, end)
    for items in by_column.values():
        for item in items:
            first, last = min(first, _floor(item.starts_at)), max(last, _ceil(item.end))
    times = []
    moment = first
    while moment < last:
        times.append(moment)
        moment += STEP
    index = {moment: number for number, moment in enumerate(times)}

    grid: list[list[Cell | None]] = [[None] * len(columns) for _ in times]
    conflicts = []
    for number, column in enumerate(columns):
        taken = set()
        for cluster in _clusters(by_column[column.room.id if column.room else NO_ROOM]):
            top = index[_floor(cluster[0].starts_at)]
            bottom = index.get(_ceil(max(item.end for item in cluster)), len(times))
            conflict = len(cluster) > 1 and column.room is not None
            grid[top][number] = Cell(times[top], bottom - top, cluster, conflict)
            taken.update(range(top, bottom))
            if conflict:
                conflicts.append(cluster)
        for row in range(len(times)):
            if row not in taken:
                grid[row][number] = Cell(times[row])
    rows = [Row(moment, grid[number]) for number, moment in enumerate(times)]
    return DayGrid(day, columns, rows, conflicts, clashes)


def timetable(event: Event) -> list[DayGrid]:
    """One grid per day of the event."""
    clashes = person_clashes(event)
    return [day_grid(event, day, clashes=clashes) for day in event.days]
