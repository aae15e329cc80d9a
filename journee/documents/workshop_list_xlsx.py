"""A workshop's attendee list as a spreadsheet, for its facilitators.

A pure builder: it takes a :class:`WorkshopList` of plain values (no Flask, no database)
and returns the workbook's bytes. Title rows say which workshop, day, time and room the
list is for; below them one row per attendee. E-mail and phone are columns only when the
organiser lets the facilitators of that event see them; accommodation needs never are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

from ..formatting import NBSP, format_date, format_time_range, plural
from .xlsx import Column, build_table_xlsx

# Widths follow the content (see :mod:`.xlsx`): the longest of the header and the first
# rows, between 6 and 60 characters.
COLUMNS = (Column("Nom"), Column("Prénom"), Column("Structure"), Column("Fonction"),
           Column("Profil"))
CONTACT_COLUMNS = (Column("E-mail"), Column("Téléphone"))


@dataclass(frozen=True)
class ListedPerson:
    """One attendee as a facilitator may see them."""

    last_name: str
    first_name: str
    organisation: str = ""
    function: str = ""
    profile: str = ""
    """The profile's French label (« Étudiant·e »)."""
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class WorkshopList:
    """What a workshop's list needs, already loaded."""

    workshop: str
    """The workshop's label, « Atelier n° 3 : Protection de l’enfance »."""
    event_title: str
    day: date
    starts_at: time | datetime
    ends_at: time | datetime | None
    room: str = ""
    people: Sequence[ListedPerson] = field(default_factory=tuple)
    with_contact: bool = False
    """Add the e-mail and phone columns (the event allows it)."""


def title_lines(data: WorkshopList) -> list[str]:
    """The rows above the table: workshop, event, date, hours, room, head count."""
    return [
        data.workshop,
        data.event_title,
        format_date(data.day),
        format_time_range(data.starts_at, data.ends_at),
        f"Salle{NBSP}: {data.room}" if data.room else "Salle non précisée",
        plural(len(data.people), "participant·e"),
    ]


def columns(data: WorkshopList) -> tuple[Column, ...]:
    return COLUMNS + CONTACT_COLUMNS if data.with_contact else COLUMNS


def rows(data: WorkshopList):
    """The table's rows, in the order given (the caller sorts)."""
    if data.with_contact:
        for person in data.people:
            yield (person.last_name, person.first_name, person.organisation, person.function,
                   person.profile, person.email, person.phone)
    else:
        for person in data.people:
            yield (person.last_name, person.first_name, person.organisation, person.function,
                   person.profile)


def build_workshop_list_xlsx(data: WorkshopList) -> bytes:
    """The one-sheet workbook: title rows, a frozen and filterable header, one row per
    attendee; every cell from a person is a string cell, never a formula."""
    return build_table_xlsx("Participant·es", columns(data), rows(data), title_lines(data))


def download_name(number: int, event_slug: str) -> str:
    return f"liste-atelier-{number}-{event_slug}.xlsx"
