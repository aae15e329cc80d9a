"""Run, adjust and publish the workshop assignment of a slot.

Plain functions over models (no request, no session, no ``g``): the organiser's page and
``journee assign`` call the same code. The optimisation itself is
:func:`journee.workshops.assignment.assign_workshops`; this module loads a slot's data
in a few queries, turns the result into :class:`Assignment` rows and e-mails the
published workshops. The caller commits.
"""

from __future__ import annotations

import dataclasses
import json
import secrets
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..audit.log import actor_for_user, record
from ..auth.models import User
from ..errors import JourneeError
from ..extensions import db
from ..programme.models import Event, Participation, Session, SessionKind, Workshop
from ..registration.models import (
    PROFILE_LABELS,
    Assignment,
    AssignmentSource,
    NoWorkshopNotice,
    Registration,
    RegistrationStatus,
)
from ..registration.services import attendee_workshops
from . import assignment as solver
from .emails import queue_assignment_notice, queue_no_workshop_notice
from .models import AssignmentPublication, AssignmentRun
from .report import Names

NO_ORGANISATION = "\x00"
"""Prefix of the organisation key of someone who gave none: alone in their group, so
that the organisation cap never gathers everyone without one."""


class AssignmentProblem(JourneeError):
    """The assignment cannot run or a move cannot be made; the message says why."""


@dataclass(frozen=True)
class RunOptions:
    """What the organiser asked for, as the form and the CLI give it.

    :param max_profile_share: percentage (50 for « au plus 50 % d’un même profil »).
    :param facilitators_take_place: facilitators use attendee places of their workshop.
    :param min_group_size: the profile share applies to groups of this many or more.
    """

    strategy: str = "first_choices"
    max_profile_share: int | None = None
    max_per_organisation: int | None = None
    allow_unranked: bool = False
    facilitators_take_place: bool = False
    avoid_same_theme: bool = False
    min_group_size: int | None = 4
    seed: int | None = None

    def solver_options(self) -> solver.Options:
        share = self.max_profile_share
        return solver.Options(strategy=self.strategy, allow_unranked=self.allow_unranked,
                              max_profile_share=share / 100 if share is not None else None,
                              max_per_organisation=self.max_per_organisation,
                              avoid_same_theme=self.avoid_same_theme,
                              min_group_size=self.min_group_size, seed=self.seed)

    @classmethod
    def from_json(cls, text: str) -> RunOptions:
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in json.loads(text).items() if k in known})


@dataclass
class SlotData:
    """Everything a slot's page, run or publication needs, loaded once."""

    slot: Session
    workshops: list[Workshop]
    registrations: list[Registration]
    """Confirmed registrations of the event (waitlisted and cancelled ones are not placed)."""
    assignments: dict[int, Assignment]
    """This slot's assignments of confirmed registrations, by registration id."""
    stale: list[Assignment] = field(default_factory=list)
    """Assignments of registrations no longer confirmed."""

    @property
    def workshop_by_id(self) -> dict[int, Workshop]:
        return {w.id: w for w in self.workshops}

    def capacity(self, workshop: Workshop) -> int | None:
        """The workshop's places, else its room's; ``None`` when neither is known."""
        if workshop.capacity:
            return workshop.capacity
        return workshop.room.capacity if workshop.room is not None else None

    def choices(self, registration: Registration) -> list[int]:
        """The workshops this person ranked in this slot, best first."""
        return [c.workshop_id for c in sorted(registration.choices, key=lambda c: c.rank)
                if c.session_id == self.slot.id]

    def facilitators(self, workshop: Workshop) -> list[Participation]:
        """Each person leading the workshop once, in programme order."""
        seen, people = set(), []
        for participation in workshop.facilitators:
            if participation.person_id not in seen:
                seen.add(participation.person_id)
                people.append(participation)
        return people

    def demand(self) -> dict[int, tuple[int, int]]:
        """Per workshop: how many ranked it first, and how many ranked it at all."""
        first, ranked = Counter(), Counter()
        for registration in self.registrations:
            choices = self.choices(registration)
            if choices:
                first[choices[0]] += 1
            ranked.update(set(choices))
        return {w.id: (first[w.id], ranked[w.id]) for w in self.workshops}

    def members(self) -> dict[int, list[Assignment]]:
        by_workshop = defaultdict(list)
        for item in sorted(self.assignments.values(),
                           key=lambda a: (a.registration.last_name.casefold(),
                                          a.registration.first_name.casefold())):
            by_workshop[item.workshop_id].append(item)
        return by_workshop

    def unassigned(self) -> list[Registration]:
        return sorted((r for r in self.registrations if r.id not in self.assignments),
                      key=lambda r: (r.last_name.casefold(), r.first_name.casefold()))


def is_workshop_slot(slot: Session) -> bool:
    return slot.kind == SessionKind.WORKSHOPS


def load_slot(slot: Session, registrations: Sequence[Registration] | None = None
              ) -> SlotData:
    """The slot's workshops, the event's confirmed registrations (loaded here unless a
    caller placing several slots passes them) and the assignments."""
    workshops = db.session.scalars(
        select(Workshop).where(Workshop.session_id == slot.id).order_by(Workshop.number)
        .options(selectinload(Workshop.room),
                 selectinload(Workshop.facilitators).selectinload(Participation.person))
    ).all()
    if registrations is None:
        registrations = db.session.scalars(
            select(Registration)
            .where(Registration.event_id == slot.event_id,
                   Registration.status == RegistrationStatus.CONFIRMED)
            .order_by(Registration.id).options(selectinload(Registration.choices))).all()
    confirmed = {r.id for r in registrations}
    rows = db.session.scalars(
        select(Assignment).where(Assignment.session_id == slot.id)
        .options(selectinload(Assignment.registration))).all()
    return SlotData(slot=slot, workshops=list(workshops), registrations=list(registrations),
                    assignments={a.registration_id: a for a in rows
                                 if a.registration_id in confirmed},
                    stale=[a for a in rows if a.registration_id not in confirmed])


# Running ----------------------------------------------------------------------------------

@dataclass
class RunResult:
    report: solver.Report
    placements: list[solver.Placement]
    run: AssignmentRun | None
    """The stored run; ``None`` for a dry run."""


def workshop_slots(event: Event) -> list[Session]:
    """The event's workshop slots that hold workshops, in programme order."""
    return [s for s in event.workshop_sessions if s.workshops]


@dataclass
class _SolverInput:
    """The solver's input for some slots, built once from the database: the same for
    every strategy (the comparison solves it twice)."""

    days: list[SlotData]
    attendees: list[solver.Attendee]
    workshops: list[solver.Workshop]
    facilitators: list[solver.Facilitator]
    locks: dict[int, list[int]]
    run_slots: set[int]


def run_assignment(slots: Sequence[Session], options: RunOptions, *,
                   created_by: str | None = None, dry_run: bool = False) -> RunResult:
    """Place the confirmed attendees in the workshops of *slots*, all in one model (the
    whole day, or one slot), and store the result (unless *dry_run*).

    Locked assignments are kept as they are; the solver's and the organiser's unlocked
    ones are replaced, in place, so that what was published to each person is remembered.
    Placements in the event's other slots count as locks for the theme rule and for a
    workshop given in several slots.
    """
    given = _solver_input(slots, options)
    if options.seed is None:
        options = dataclasses.replace(options, seed=secrets.randbits(32))
    report, placements = _solve(given, options)
    if dry_run:
        return RunResult(report, placements, None)

    for data in given.days:
        _store_placements(data, [p for p in placements if p.slot_id == data.slot.id])
    # Whether the run placed the whole day is a fact of the run, kept with its options.
    stored = {**dataclasses.asdict(dataclasses.replace(options, seed=report.seed)),
              "whole_day": len(given.days) > 1}
    runs = [AssignmentRun(session_id=data.slot.id, seed=report.seed, created_by=created_by,
                          options=json.dumps(stored), report=report_to_json(report))
            for data in given.days]
    db.session.add_all(runs)
    db.session.flush()
    return RunResult(report, placements, runs[0])


def _solver_input(slots: Sequence[Session], options: RunOptions) -> _SolverInput:
    """Load *slots* and turn them into the solver's attendees, workshops, facilitators
    and locks (the placements in the event's other slots included, as locks)."""
    first = load_slot(slots[0])
    days = [first] + [load_slot(slot, first.registrations) for slot in slots[1:]]
    registrations = first.registrations
    if not registrations:
        raise AssignmentProblem("Aucune inscription confirmée à répartir.")
    capacities = {}
    for data in days:
        capacities.update(_capacities(data, options))
    event = days[0].slot.event
    series = _series(event)
    attendees = [solver.Attendee(r.id, r.profile.value, key,
                                 {data.slot.id: data.choices(r) for data in days})
                 for r, key in zip(registrations, _organisation_keys(registrations))]
    workshops = [solver.Workshop(w.id, data.slot.id, capacities[w.id], w.theme or None,
                                 series.get(w.id))
                 for data in days for w in data.workshops]
    facilitators = [solver.Facilitator(("person", p.person_id, w.id), w.id,
                                       options.facilitators_take_place)
                    for data in days for w in data.workshops for p in data.facilitators(w)]
    locks: dict[int, list[int]] = defaultdict(list)
    for data in days:
        for item in data.assignments.values():
            if item.locked:
                locks[item.registration_id].append(item.workshop_id)
    for data in days:
        _check_locks(data, capacities, options, locks)
    run_slots = {data.slot.id for data in days}
    workshops += _held_elsewhere(event, run_slots, registrations, locks, series,
                                 options.avoid_same_theme)
    return _SolverInput(days, attendees, workshops, facilitators, locks, run_slots)


def _solve(given: _SolverInput, options: RunOptions
           ) -> tuple[solver.Report, list[solver.Placement]]:
    """The solver's report and placements, restricted to the slots placed."""
    try:
        result = solver.assign_workshops(given.attendees, given.workshops,
                                         locks=given.locks,
                                         facilitators=given.facilitators,
                                         options=options.solver_options())
    except solver.AssignmentError as error:
        raise AssignmentProblem(f"La répartition est impossible\u202f: {error}") from error
    report = dataclasses.replace(result.report, workshops=tuple(
        w for w in result.report.workshops if w.slot_id in given.run_slots))
    placements = [p for p in result.placements if p.slot_id in given.run_slots]
    return report, placements


def _capacities(data: SlotData, options: RunOptions) -> dict[int, int]:
    """Places per workshop; a workshop without a known capacity can take everyone."""
    everyone = len(data.registrations)
    capacities = {}
    for workshop in data.workshops:
        leaders = len(data.facilitators(workshop)) if options.facilitators_take_place else 0
        capacity = data.capacity(workshop)
        capacities[workshop.id] = capacity if capacity is not None else everyone + leaders
    return capacities


def _organisation_keys(registrations: list[Registration]) -> list[str]:
    """One key per organisation, however its name was typed (case, spaces)."""
    names: dict[str, str] = {}
    keys = []
    for registration in registrations:
        name = " ".join(registration.organisation.split())
        if not name:
            keys.append(f"{NO_ORGANISATION}{registration.id}")
            continue
        keys.append(names.setdefault(name.casefold(), name))
    return keys


def _check_locks(data: SlotData, capacities: dict[int, int], options: RunOptions,
                 locks: dict[int, list[int]]) -> None:
    taken = Counter(w for targets in locks.values() for w in targets)
    for workshop in data.workshops:
        leaders = len(data.facilitators(workshop)) if options.facilitators_take_place else 0
        if taken[workshop.id] + leaders > capacities[workshop.id]:
            raise AssignmentProblem(
                f"L’atelier n°\u00a0{workshop.number} a {capacities[workshop.id]}\u00a0places, "
                f"mais {taken[workshop.id]}\u00a0personnes y sont verrouillées"
                + (f" et {leaders} animateur·rices y occupent une place" if leaders else "")
                + "\u202f: déverrouillez des personnes ou augmentez sa capacité.")


def _series(event: Event) -> dict[int, str]:
    """A key per workshop given in several slots of the event (same title, however
    typed), so that nobody gets it twice."""
    titles = defaultdict(list)
    for slot in workshop_slots(event):
        for workshop in slot.workshops:
            titles[" ".join(workshop.title.split()).casefold()].append(workshop)
    return {w.id: title for title, given in titles.items()
            if len({w.session_id for w in given}) > 1 for w in given}


def _held_elsewhere(event: Event, run_slots: set[int], registrations: list[Registration],
                    locks: dict[int, list[int]], series: dict[int, str],
                    avoid_same_theme: bool) -> list[solver.Workshop]:
    """The workshops of the event's other slots where these attendees already are, as
    locks, so that the solver gives no one a theme (with ``avoid_same_theme``) or a
    workshop they have in another slot."""
    ids = {r.id for r in registrations}
    elsewhere = db.session.execute(
        select(Assignment.registration_id, Workshop.id, Workshop.session_id, Workshop.theme)
        .join(Workshop, Workshop.id == Assignment.workshop_id)
        .join(Session, Session.id == Assignment.session_id)
        .where(Session.event_id == event.id, Assignment.session_id.not_in(run_slots),
               Assignment.registration_id.in_(ids))).all()
    relevant = [row for row in elsewhere if row[1] in series or (avoid_same_theme and row[3])]
    workshops = {}
    for registration_id, workshop_id, session_id, theme in relevant:
        locks[registration_id].append(workshop_id)
        workshops[workshop_id] = (session_id, theme)
    # Their places are not the solver's business here: enough for everyone locked.
    count = Counter(w for _, w, _, _ in relevant)
    return [solver.Workshop(w, session_id, count[w], theme or None, series.get(w))
            for w, (session_id, theme) in workshops.items()]


def _store_placements(data: SlotData, placements: list[solver.Placement]) -> None:
    for item in data.stale:
        db.session.delete(item)
    placed = {p.attendee_id: p for p in placements if p.source == "solver"}
    for registration in data.registrations:
        item = data.assignments.get(registration.id)
        if item is not None and item.locked:
            continue
        placement = placed.get(registration.id)
        if placement is None:
            if item is not None:
                db.session.delete(item)
            continue
        if item is None:
            item = Assignment(registration_id=registration.id, session_id=data.slot.id)
            db.session.add(item)
        item.workshop_id = placement.workshop_id
        item.source = AssignmentSource.SOLVER
        item.rank = placement.rank
        item.flagged_free = placement.free


def last_run(slot: Session) -> AssignmentRun | None:
    return db.session.scalar(select(AssignmentRun).where(AssignmentRun.session_id == slot.id)
                             .order_by(AssignmentRun.id.desc()).limit(1))


# Reports as JSON --------------------------------------------------------------------------

def report_to_json(report: solver.Report) -> str:
    return json.dumps(dataclasses.asdict(report), ensure_ascii=False)


def report_from_json(text: str) -> solver.Report:
    data = json.loads(text)

    def satisfaction(item: dict) -> solver.Satisfaction:
        return solver.Satisfaction(item["total"], tuple(item["ranks"]),
                                   item["outside_choices"], item["unassigned"],
                                   item.get("locked", 0), item.get("locked_outside", 0))

    workshops = tuple(
        solver.WorkshopReport(
            w["workshop_id"], w["slot_id"], w["size"], w["capacity"], w["facilitators"],
            w["profiles"],
            tuple(w["largest_organisation"]) if w["largest_organisation"] else None,
            tuple(solver.CapExcess(**e) for e in w["exceeded"]))
        for w in data["workshops"])
    return solver.Report(**{**data, "overall": satisfaction(data["overall"]),
                            "levels": tuple(tuple(level) for level in data.get("levels", ())),
                            "left_out": tuple(tuple(item)
                                              for item in data.get("left_out", ())),
                            "by_profile": {k: satisfaction(v)
                                           for k, v in data["by_profile"].items()},
                            "workshops": workshops})


def organisation_name(key: str) -> str:
    return "—" if key.startswith(NO_ORGANISATION) else key


# Moving by hand ---------------------------------------------------------------------------

def place(data: SlotData, registration: Registration, workshop: Workshop, *,
          locked: bool) -> Assignment:
    """Put someone in a workshop by hand (or confirm them where they are).

    A workshop never takes more people than its places, facilitators excluded.
    """
    if registration.id not in {r.id for r in data.registrations}:
        raise AssignmentProblem("Seules les inscriptions confirmées ont un atelier.")
    item = data.assignments.get(registration.id)
    if item is None or item.workshop_id != workshop.id:
        capacity = data.capacity(workshop)
        size = sum(1 for a in data.assignments.values() if a.workshop_id == workshop.id)
        if capacity is not None and size >= capacity:
            raise AssignmentProblem(f"L’atelier n°\u00a0{workshop.number} est complet "
                                    f"({capacity}\u00a0places).")
    if item is None:
        item = Assignment(registration_id=registration.id, session_id=data.slot.id,
                          registration=registration)
        db.session.add(item)
        data.assignments[registration.id] = item
    choices = data.choices(registration)
    if item.workshop_id != workshop.id:
        item.source = AssignmentSource.ORGANISER
    item.workshop_id = workshop.id
    item.rank = choices.index(workshop.id) + 1 if workshop.id in choices else None
    item.flagged_free = item.rank is None
    item.locked = locked
    return item


def unplace(data: SlotData, registration: Registration) -> Assignment | None:
    """Take someone out of their workshop (« sans atelier »); a later run may place them
    again. Returns the assignment removed, if they had one."""
    item = data.assignments.pop(registration.id, None)
    if item is not None:
        db.session.delete(item)
    return item


# Publishing -------------------------------------------------------------------------------

def publication(slot: Session) -> AssignmentPublication | None:
    """The slot's last publication, or ``None`` while attendees see nothing."""
    return db.session.scalar(
        select(AssignmentPublication).where(AssignmentPublication.session_id == slot.id)
        .order_by(AssignmentPublication.id.desc()).limit(1))


def changed_since_publication(data: SlotData) -> list[Assignment]:
    return [a for a in data.assignments.values() if a.published_workshop_id != a.workshop_id]


@dataclass(frozen=True)
class Published:
    """What a publication wrote: how many were e-mailed their workshop, and how many
    that they have none."""

    notices: int
    without_workshop: int


@dataclass(frozen=True)
class PublicationPreview:
    """What publishing now would do, for the page that asks to confirm it."""

    notices: int
    """People who would be e-mailed their (new) workshop."""
    without_workshop: int
    """Confirmed people left without a workshop in this slot."""
    without_workshop_notices: int
    """Those of them who would be e-mailed that they have none (not told already)."""
    no_address: int
    """People concerned who have no e-mail address: tell them another way."""


def preview_publication(slot: Session) -> PublicationPreview:
    """Count, without writing anything, the e-mails :func:`publish` would send."""
    data = load_slot(slot)
    changed = [item.registration for item in changed_since_publication(data)]
    told = set(db.session.scalars(select(NoWorkshopNotice.registration_id)
                                  .where(NoWorkshopNotice.session_id == slot.id)))
    unassigned = data.unassigned()
    left_out = [r for r in unassigned if r.id not in told]
    return PublicationPreview(
        notices=sum(1 for r in changed if r.email),
        without_workshop=len(unassigned),
        without_workshop_notices=sum(1 for r in left_out if r.email),
        no_address=sum(1 for r in (*changed, *left_out) if not r.email))


def publish(slot: Session, base_url: str, *, by: User) -> Published:
    """Publish the slot: e-mail their workshop to each person whose workshop changed
    since the last publication (everyone, the first time), e-mail each confirmed person
    left without a workshop that they have none (once, unless they had one in between),
    and log who published."""
    data = load_slot(slot)
    changed = changed_since_publication(data)
    for item in changed:
        item.published_workshop_id = item.workshop_id
    told = set(db.session.scalars(select(NoWorkshopNotice.registration_id)
                                  .where(NoWorkshopNotice.session_id == slot.id)))
    placed_now = {item.registration_id for item in changed} & told
    if placed_now:
        db.session.execute(db.delete(NoWorkshopNotice).where(
            NoWorkshopNotice.session_id == slot.id,
            NoWorkshopNotice.registration_id.in_(placed_now)))
    left_out = [r for r in data.unassigned() if r.id not in told]
    db.session.add_all(NoWorkshopNotice(registration_id=r.id, session_id=slot.id)
                       for r in left_out)
    db.session.flush()
    queued = 0
    for item in changed:
        registration = item.registration
        if queue_assignment_notice(registration, data.workshop_by_id[item.workshop_id],
                                   base_url, attendee_workshops(registration)):
            queued += 1
    without = sum(1 for registration in left_out
                  if tell_no_workshop(data, registration, base_url))
    db.session.add(AssignmentPublication(session_id=slot.id, published_by=by.email,
                                         notices=queued + without))
    record("organiser.publish_assignment", actor=actor_for_user(by), event=slot.event,
           target=slot_label(slot), rows=queued + without)
    return Published(queued, without)


def tell_move(data: SlotData, registration: Registration, base_url: str) -> bool:
    """After publication, tell one person the organiser just moved, at once, what a new
    publication would tell them: their new workshop, or (taken out) that they have none.
    Nobody else's pending change is sent. ``True`` when an e-mail was queued."""
    slot_id = data.slot.id
    item = data.assignments.get(registration.id)
    if item is not None:
        if item.published_workshop_id == item.workshop_id:
            return False
        item.published_workshop_id = item.workshop_id
        db.session.execute(db.delete(NoWorkshopNotice).where(
            NoWorkshopNotice.session_id == slot_id,
            NoWorkshopNotice.registration_id == registration.id))
        db.session.flush()
        return bool(queue_assignment_notice(registration, data.workshop_by_id[item.workshop_id],
                                            base_url, attendee_workshops(registration)))
    told = db.session.scalar(select(NoWorkshopNotice.id).where(
        NoWorkshopNotice.session_id == slot_id,
        NoWorkshopNotice.registration_id == registration.id))
    if told is not None or registration.id not in {r.id for r in data.unassigned()}:
        return False
    db.session.add(NoWorkshopNotice(registration_id=registration.id, session_id=slot_id))
    db.session.flush()
    return bool(tell_no_workshop(data, registration, base_url))


def tell_no_workshop(data: SlotData, registration: Registration, base_url: str):
    """Queue the e-mail that tells someone they have no workshop in the slot, with the
    workshops where they can take a place now and those where they can wait for one."""
    full, open_workshops = _full_and_open(data)
    choices = data.choices(registration)
    return queue_no_workshop_notice(
        registration, data.slot, base_url,
        choices_full=bool(choices) and all(c in full for c in choices),
        open_workshops=open_workshops,
        full_workshops=[w for w in data.workshops if w.id in full])


def _full_and_open(data: SlotData) -> tuple[set[int], list[Workshop]]:
    """The slot's full workshops (ids), and those that still have room."""
    sizes = Counter(a.workshop_id for a in data.assignments.values())
    full = set()
    for workshop in data.workshops:
        capacity = data.capacity(workshop)
        if capacity is not None and sizes[workshop.id] >= capacity:
            full.add(workshop.id)
    return full, [w for w in data.workshops if w.id not in full]


def report_names(event: Event) -> Names:
    """What the report calls people, workshops, slots and profiles of this event."""
    people = dict(db.session.execute(
        select(Registration.id, Registration.first_name + " " + Registration.last_name)
        .where(Registration.event_id == event.id)).all())
    slots = workshop_slots(event)
    return Names(
        people=people,
        workshops={w.id: f"n°\u00a0{w.number}\u202f: {w.title}"
                   + (f" ({slot_label(s)})" if len(slots) > 1 else "")
                   for s in slots for w in s.workshops},
        slots={s.id: slot_label(s) for s in slots},
        profiles={p.value: label for p, label in PROFILE_LABELS.items()},
        organisation=organisation_name)


def slot_label(slot: Session) -> str:
    """« Ateliers, 10 h 45 »: the slot's title and start."""
    from ..formatting import format_time

    return f"{slot.display_title}, {format_time(slot.starts_at)}"


def compare_strategies(slots: Sequence[Session], options: RunOptions
                       ) -> dict[str, solver.Report] | None:
    """Both strategies' outcomes on the current data, computed and not stored, so the
    organiser chooses knowingly; ``None`` when there is nothing to place yet."""
    try:
        given = _solver_input(slots, options)
        return {strategy: _solve(given, dataclasses.replace(options, strategy=strategy,
                                                            seed=0))[0]
                for strategy in ("first_choices", "leximin")}
    except AssignmentProblem:
        return None
