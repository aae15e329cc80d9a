"""Data owners: each package says which personal data it holds and how that data is
exported, erased on request and purged when its time is up; one person's data is
gathered (:func:`person_data`) and erased (:func:`erase`) by asking every owner.

As pretix's data shredders (``pretix/base/shredder.py``), the GDPR code knows no model:
it iterates the owners each package registers from its ``init_app``. A column holds
personal data when it names a person, reaches them, or says about them what
anonymisation removes (free text, health needs); such a column is declared with
``mapped_column(..., info={"personal": True})`` and claimed by one owner. What counts
keep using once a row names nobody (a profile, a course, a presence) is not marked.
``tests/test_personal_data.py`` fails when a marked column is claimed by no owner.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from graphlib import TopologicalSorter

from flask import Flask, current_app
from sqlalchemy import MetaData

EXTENSION = "journee.data_owners"


class DataOwner:
    """What one package holds about people; every hook does nothing by default.

    Subclass it in the package's ``personal_data`` module and register an instance with
    :func:`register` from the package's ``init_app``. An owner whose columns are kept
    with their event (the programme's people, the syntheses) only claims them: it says
    that keeping them is a decision, not an oversight.
    """

    #: A short identifier, unique among the owners.
    name: str = ""
    #: The personal columns it answers for, as ``"table.column"``.
    columns: tuple[str, ...] = ()
    #: The owners whose rows this owner's rows point to: an erasure reaches this owner
    #: first, while those rows are still there to be found by.
    depends_on: tuple[str, ...] = ()
    #: The counts its purge adds to the report: key, then the report's French line.
    purge_counts: tuple[tuple[str, str], ...] = ()

    def export(self, registration) -> dict:
        """The person's data held by this owner, as JSON-ready parts of their export."""
        return {}

    def before_erase(self, erasure: Erasure) -> None:
        """Undo what ``erasure.subjects`` hold, before any owner deletes a row (a
        confirmed place goes to the waiting list)."""

    def erase(self, erasure: Erasure) -> None:
        """Delete what this owner holds about ``erasure.subjects``; the caller commits."""

    def purge_event(self, event_id: int, run: PurgeRun) -> None:
        """Apply this owner's retention rules to one event, inside its savepoint."""

    def purge(self, run: PurgeRun) -> None:
        """Apply this owner's retention rules that no event bounds, once every event is
        purged."""


@dataclass
class Erasure:
    """One erasure on request: the registrations to erase, and what the owners did."""

    subjects: list
    """The registrations, :class:`journee.registration.models.Registration`."""
    registrations: int = 0
    messages: int = 0
    promoted: list = field(default_factory=list)
    """The people a freed place went to, to be told once the erasure is committed."""


class PurgeReport:
    """What a purge did, as counts in the order of the owners' lines, and what it could
    not do (an event, the e-mail files), in French, one per line."""

    def __init__(self, labels: dict[str, str]) -> None:
        self.labels = labels
        self.counts = dict.fromkeys(labels, 0)
        self.problems: list[str] = []
        # What owners keep from an event's purge for their own last step (the ids of the
        # e-mails whose files are to go): kept only if the event's purge is.
        self.set_aside: dict[str, list] = {}

    def __getitem__(self, key: str) -> int:
        return self.counts[key]

    def add(self, key: str, count: int) -> None:
        self.counts[key] += count

    def put_aside(self, key: str, items: Iterable) -> None:
        self.set_aside.setdefault(key, []).extend(items)

    def empty(self) -> PurgeReport:
        return PurgeReport(self.labels)

    def include(self, part: PurgeReport) -> None:
        """Add the counts and the set-aside items of an event's purge once it is kept."""
        for key, count in part.counts.items():
            self.add(key, count)
        for key, items in part.set_aside.items():
            self.put_aside(key, items)

    def lines(self) -> list[str]:
        return [f"{label} : {self.counts[key]}" for key, label in self.labels.items()]


@dataclass
class PurgeRun:
    """One run of the retention purge, handed to every owner."""

    today: date
    now: datetime
    dry_run: bool
    """Count the e-mail files to delete without deleting them: files are not rolled
    back with the rows."""
    report: PurgeReport

    def for_event(self) -> PurgeRun:
        return replace(self, report=self.report.empty())


def iso(value: date | datetime | None) -> str | None:
    """A date for an export: ISO 8601, or ``None``."""
    return value.isoformat() if value is not None else None


def register(app: Flask, owner: DataOwner) -> None:
    owners = app.extensions.setdefault(EXTENSION, {})
    if owner.name in owners:
        raise ValueError(f"Data owner {owner.name!r} is registered twice.")
    owners[owner.name] = owner


def registered(app: Flask | None = None) -> list[DataOwner]:
    """The owners in the order they were registered: the order of a person's export."""
    return list((app or current_app).extensions.get(EXTENSION, {}).values())


def erasure_order(owners: list[DataOwner]) -> list[DataOwner]:
    """The owners, each before those it depends on (assignments before registrations)."""
    by_name = {owner.name: owner for owner in owners}
    graph: dict[str, set[str]] = {owner.name: set() for owner in owners}
    for owner in owners:
        for name in owner.depends_on:
            if name in graph:
                graph[name].add(owner.name)
    return [by_name[name] for name in TopologicalSorter(graph).static_order()]


def purge_labels(owners: list[DataOwner]) -> dict[str, str]:
    return {key: label for owner in owners for key, label in owner.purge_counts}


def personal_columns(metadata: MetaData) -> set[str]:
    """The columns marked personal, as ``"table.column"``."""
    return {f"{table.name}.{column.name}" for table in metadata.tables.values()
            for column in table.columns if column.info.get("personal")}


def claimed_columns(owners: list[DataOwner]) -> set[str]:
    return {column for owner in owners for column in owner.columns}


#: What is kept after an erasure, said to the organiser (and so to the person).
KEPT_AFTER_ERASURE = (
    "Une ligne du journal d’accès indique qu’une inscription (son numéro seulement) a été "
    "effacée, quand et par qui\u202f: elle prouve que la demande a été traitée et ne contient "
    "aucune donnée sur la personne. Les chiffres globaux de la journée ne comptent plus "
    "cette inscription.")


def person_data(registration) -> dict:
    """Everything held about the person through this registration (right of access)."""
    data: dict = {}
    for owner in registered():
        for key, part in owner.export(registration).items():
            if isinstance(part, dict) and isinstance(data.get(key), dict):
                data[key].update(part)  # e.g. presence dates within « inscription »
            else:
                data[key] = part
    return data


def erase(registrations: list) -> Erasure:
    """Delete these registrations and everything attached (choices, placements, presence,
    e-mails, and, once the erasure is committed, the files the file backend wrote for
    them). A confirmed place is first released to the waiting list, as a
    cancellation would. The caller records the erasure in the audit log and commits."""
    erasure = Erasure(subjects=list(registrations))
    ordered = erasure_order(registered())
    for owner in ordered:
        owner.before_erase(erasure)
    for owner in ordered:
        owner.erase(erasure)
    return erasure
