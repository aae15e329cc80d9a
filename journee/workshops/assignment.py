"""Place attendees in workshops: an exact optimisation of their ranked choices.

A pure module (no Flask, no database): plain dataclasses in, placements and a report out,
so the views, the CLI, the tests and the benchmark all call the same code.

The model is a 0–1 programme solved by HiGHS through :func:`scipy.optimize.milp`:

* one binary ``x[a, w]`` per workshop ``w`` that attendee ``a`` ranked (rank ``r`` costs
  ``rank_costs[r - 1]``), and one continuous ``u[a, s]`` per attendee and slot for
  "no workshop" (cost ``unassigned_cost``); ``Σ_w x[a, w] + u[a, s] = 1`` keeps the model
  feasible whatever the capacities, and makes every objective value the true cost, so the
  solver's relative gap is a gap on what we report;
* one capacity row per workshop, only where the candidates outnumber the places left by
  locks and facilitators (the other rows can never bind);
* soft mix caps with penalised continuous slacks: ``count_p − share × size ≤ s`` per
  workshop and profile (the share of the actual group, locked people included), and
  ``count_o − cap ≤ s`` per workshop and organisation, created only where the candidates
  and the locked could exceed the cap;
* ``avoid_same_theme``: ``Σ x ≤ 1`` per attendee and theme, only where one attendee ranked
  workshops of one theme in two slots or more (a hard rule: no one gets a theme twice);
* ties are broken by a seeded lottery: every ``x`` gets a random cost in ``[0, ε)`` with
  ``ε × (attendee-slots) < δ / 2``, where ``δ`` is the grid all true costs lie on, so the
  perturbed optimum is always a true optimum, and the same seed gives the same placements.

``allow_unranked`` gives a free place, outside their choices, to those the choices alone
cannot place: a first solve finds them, a second solve adds a variable per (such
attendee, open workshop of the slot) and never moves someone who got one of their
choices out of it to a free place. Creating free-place variables for everyone would
multiply the model by the number of workshops per slot (4 million variables at 20,000
attendees and 200 workshops).

How it is solved, chosen by measurement (``benchmarks/bench_assignment.py``, 2 cores):

* the LP relaxation first: without soft caps the matrix is totally unimodular, and with
  them the LP optimum was integral on every benchmark instance once the rounding cuts
  below are in, which proves optimality at once; a fractional optimum goes on to HiGHS's
  branch and bound;
* rounding cuts on the profile rows: a group of 11 at a 50 % share lets the LP put 5.5
  people of one profile in it at no cost, where any real group has 5 (no excess) or 6
  (an excess of 0.5). ``(1 − f)(count_p − k) ≤ s``, with ``k + f = share × the most the
  group can hold``, is met by every integer count and cuts those halves off. At 2,000 ×
  200 × 5 choices the LP bound rose from 0.48 % under the optimum to the optimum itself,
  and the solve fell from 1.4 s (branch and bound) to 0.22 s (one LP);
* the profile rows go through one size column per workshop (``count_p − share × y_w``)
  rather than every pair of the workshop in every profile row (7.3 s → 1.4 s for the MIP
  at 2,000 × 200 × 5 before the cuts);
* scipy's bundled HiGHS rather than ``highspy``: highspy 1.16 was no faster on these models;
  a min-cost flow cannot carry two crossing families of caps (profile and organisation
  rows of one workshop), and without caps the LP relaxation is already integral.
"""

from __future__ import annotations

import math
import secrets
import time
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

STRATEGIES = ("first_choices", "fairness")
SOURCES = ("solver", "locked", "pre-assigned", "lottery")


class AssignmentError(ValueError):
    """Input the assignment cannot work with (unknown workshop, locks over capacity…)."""


# Input ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Attendee:
    """A person to place; ``choices`` maps a slot to workshop ids, best first.

    Only the slots present in ``choices`` count: an empty list means "wants a workshop in
    this slot but ranked none", a missing slot means "not attending this slot".
    """

    id: Hashable
    profile: str
    organisation: str
    choices: Mapping[Hashable, Sequence[Hashable]] = field(default_factory=dict)


@dataclass(frozen=True)
class Workshop:
    id: Hashable
    slot_id: Hashable
    capacity: int
    theme: str | None = None


@dataclass(frozen=True)
class Facilitator:
    """Someone placed in a workshop before the solver runs, to lead it.

    A facilitator takes an attendee place only when ``takes_place`` is set, and never
    counts in the profile or organisation mix.
    """

    attendee_id: Hashable
    workshop_id: Hashable
    takes_place: bool = False


@dataclass(frozen=True)
class Options:
    """What the optimisation values.

    :param strategy: ``"first_choices"`` (satisfaction ``2^(K−r)``: as many first choices
        as possible) or ``"fairness"`` (cost ``(r−1)²``: few people far down their list).
    :param rank_costs: explicit cost of rank 1, 2, … (overrides ``strategy``).
    :param allow_unranked: give a flagged free place elsewhere in the slot to someone
        whose ranked workshops are all full, rather than nothing.
    :param max_profile_share: soft cap on the share of one profile in a workshop (0.5).
    :param max_per_organisation: soft cap on people from one organisation in a workshop.
    :param profile_penalty: cost per person above the profile share (default: the cost of
        the last rank, i.e. as bad as moving someone from their first to their last choice).
    :param organisation_penalty: cost per person above the organisation cap (same default).
    :param free_place_cost: cost of a free place (default 3 × the cost of the last rank).
    :param unassigned_cost: cost of no workshop (default 20 × the cost of the last rank).
    :param seed: lottery seed for ties; drawn at random and reported when ``None``.
    """

    strategy: str = "first_choices"
    rank_costs: Sequence[float] | None = None
    allow_unranked: bool = False
    max_profile_share: float | None = None
    max_per_organisation: int | None = None
    profile_penalty: float | None = None
    organisation_penalty: float | None = None
    free_place_cost: float | None = None
    unassigned_cost: float | None = None
    avoid_same_theme: bool = False
    seed: int | None = None
    time_limit: float | None = None
    mip_rel_gap: float = 1e-6


# Output -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Placement:
    """One attendee in one workshop; ``rank`` is ``None`` outside their choices and
    ``free`` marks a free place the solver gave (``allow_unranked``)."""

    attendee_id: Hashable
    slot_id: Hashable
    workshop_id: Hashable
    source: str = "solver"
    rank: int | None = None
    free: bool = False


@dataclass(frozen=True)
class Satisfaction:
    """How a group of attendee-slots fared: ``ranks[i]`` people got rank ``i + 1``."""

    total: int
    ranks: tuple[int, ...]
    outside_choices: int
    unassigned: int

    @property
    def first_choice(self) -> int:
        return self.ranks[0] if self.ranks else 0

    @property
    def any_choice(self) -> int:
        return sum(self.ranks)

    def share(self, count: int) -> float:
        return count / self.total if self.total else 0.0


@dataclass(frozen=True)
class CapExcess:
    kind: str  # "profile" or "organisation"
    group: str
    count: int
    limit: float
    excess: float


@dataclass(frozen=True)
class WorkshopReport:
    workshop_id: Hashable
    slot_id: Hashable
    size: int
    capacity: int
    facilitators: int
    profiles: dict[str, int]
    largest_organisation: tuple[str, int] | None
    exceeded: tuple[CapExcess, ...]


@dataclass(frozen=True)
class Report:
    overall: Satisfaction
    by_profile: dict[str, Satisfaction]
    workshops: tuple[WorkshopReport, ...]
    objective: float
    bound: float | None = None
    gap: float | None = None
    seconds: float = 0.0
    solver_seconds: float | None = None
    seed: int | None = None
    status: str = "evaluated"
    method: str = "evaluation"
    variables: int = 0
    constraints: int = 0


@dataclass(frozen=True)
class Assignment:
    placements: list[Placement]
    unassigned: list[tuple[Hashable, Hashable]]
    report: Report


# Costs ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Costs:
    ranks: tuple[float, ...]
    free_place: float
    unassigned: float
    profile: float
    organisation: float

    def rank(self, rank: int) -> float:
        return self.ranks[rank - 1]


def resolve_costs(options: Options, max_rank: int) -> Costs:
    """The numbers behind ``options`` for people ranking up to ``max_rank`` workshops."""
    max_rank = max(max_rank, 1)
    if options.rank_costs is not None:
        ranks = tuple(float(c) for c in options.rank_costs)
        if len(ranks) < max_rank:
            raise AssignmentError(f"rank_costs gives {len(ranks)} ranks, "
                                  f"someone ranked {max_rank} workshops")
        if any(c < 0 for c in ranks):
            raise AssignmentError("rank_costs must not be negative")
    elif options.strategy == "first_choices":
        ranks = tuple(float(2 ** (max_rank - 1) - 2 ** (max_rank - r))
                      for r in range(1, max_rank + 1))
    elif options.strategy == "fairness":
        ranks = tuple(float((r - 1) ** 2) for r in range(1, max_rank + 1))
    else:
        raise AssignmentError(f"unknown strategy {options.strategy!r}: {STRATEGIES}")
    scale = max(max(ranks), 1.0)

    def pick(value: float | None, default: float) -> float:
        return float(default if value is None else value)

    return Costs(ranks=ranks,
                 free_place=pick(options.free_place_cost, 3 * scale),
                 unassigned=pick(options.unassigned_cost, 20 * scale),
                 profile=pick(options.profile_penalty, scale),
                 organisation=pick(options.organisation_penalty, scale))


def _grid(values: Iterable[float]) -> float | None:
    """The largest δ with every value a multiple of δ, or None if there is no sane one."""
    step = Fraction(0)
    for value in values:
        fraction = Fraction(value).limit_denominator(10_000)
        if abs(float(fraction) - value) > 1e-12 * max(1.0, abs(value)):
            return None
        step = Fraction(math.gcd(step.numerator * fraction.denominator,
                                 fraction.numerator * step.denominator),
                        step.denominator * fraction.denominator)
    return float(step) if step > 0 else None


def _cost_grid(costs: Costs, options: Options) -> float | None:
    values = [*costs.ranks, costs.free_place, costs.unassigned]
    if options.max_profile_share is not None:
        share = options.max_profile_share
        values += [costs.profile * share, costs.profile * (1 - share)]
    if options.max_per_organisation is not None:
        values.append(costs.organisation)
    return _grid(v for v in values if v)


# Evaluation -------------------------------------------------------------------------------

def evaluate(attendees: Sequence[Attendee], workshops: Sequence[Workshop],
             placements: Iterable[Placement], *, facilitators: Iterable[Facilitator] = (),
             options: Options = Options(), **solver_info) -> Report:
    """Measure any placements (the solver's, a lottery's, an organiser's edits) alike.

    The objective counts, for every attendee-slot not locked: the cost of the rank they
    got, of a place outside their choices, or of no place; plus the mix penalties of
    every workshop (locked people included).  ``solver_info`` fills the solver fields.
    """
    started = time.perf_counter()
    workshop_by_id = {w.id: w for w in workshops}
    attendee_by_id = {a.id: a for a in attendees}
    leading = {(f.attendee_id, workshop_by_id[f.workshop_id].slot_id) for f in facilitators}
    placed: dict[tuple[Hashable, Hashable], Placement] = {}
    members: dict[Hashable, list[Placement]] = defaultdict(list)
    for placement in placements:
        if placement.source == "pre-assigned":
            continue
        placed[placement.attendee_id, placement.slot_id] = placement
        members[placement.workshop_id].append(placement)
    max_rank = max((len(c) for a in attendees for c in a.choices.values()), default=1)
    costs = resolve_costs(options, max_rank)

    objective = 0.0
    tallies: dict[str | None, list] = defaultdict(lambda: [0, [0] * max_rank, 0, 0])
    for attendee in attendees:
        for slot_id, choices in attendee.choices.items():
            if (attendee.id, slot_id) in leading:
                continue
            placement = placed.get((attendee.id, slot_id))
            rank = placement.rank if placement else None
            for key in (None, attendee.profile):
                tally = tallies[key]
                tally[0] += 1
                if placement is None:
                    tally[3] += 1
                elif rank is None:
                    tally[2] += 1
                else:
                    tally[1][rank - 1] += 1
            if placement is not None and placement.source == "locked":
                continue
            if placement is None:
                objective += costs.unassigned
            elif rank is None:
                objective += costs.free_place
            else:
                objective += costs.rank(rank)

    taking_place = Counter(f.workshop_id for f in facilitators if f.takes_place)
    leaders = Counter(f.workshop_id for f in facilitators)
    reports = []
    for workshop in workshops:
        group = [attendee_by_id[p.attendee_id] for p in members.get(workshop.id, ())]
        profiles = Counter(a.profile for a in group)
        organisations = Counter(a.organisation for a in group)
        exceeded = []
        share = options.max_profile_share
        if share is not None:
            limit = share * len(group)
            for profile, count in sorted(profiles.items()):
                if count > limit + 1e-9:
                    exceeded.append(CapExcess("profile", profile, count, limit, count - limit))
                    objective += costs.profile * (count - limit)
        cap = options.max_per_organisation
        if cap is not None:
            for organisation, count in sorted(organisations.items()):
                if count > cap:
                    exceeded.append(CapExcess("organisation", organisation, count, cap,
                                              count - cap))
                    objective += costs.organisation * (count - cap)
        largest = max(sorted(organisations.items()), key=lambda item: item[1], default=None)
        reports.append(WorkshopReport(workshop.id, workshop.slot_id,
                                      len(group) + taking_place[workshop.id],
                                      workshop.capacity, leaders[workshop.id],
                                      dict(sorted(profiles.items())), largest,
                                      tuple(exceeded)))

    def satisfaction(tally) -> Satisfaction:
        return Satisfaction(tally[0], tuple(tally[1]), tally[2], tally[3])

    overall = satisfaction(tallies[None]) if None in tallies else Satisfaction(
        0, (0,) * max_rank, 0, 0)
    by_profile = {key: satisfaction(tallies[key])
                  for key in sorted(k for k in tallies if k is not None)}
    info = {"seconds": time.perf_counter() - started, "seed": options.seed, **solver_info}
    return Report(overall=overall, by_profile=by_profile, workshops=tuple(reports),
                  objective=objective, **info)


# Baseline ---------------------------------------------------------------------------------

def serial_dictatorship(attendees: Sequence[Attendee], workshops: Sequence[Workshop],
                        seed: int) -> list[Placement]:
    """Random serial dictatorship: in a seeded lottery order, each attendee takes, slot by
    slot, the best workshop on their list that still has a place (the benchmark's
    baseline)."""
    places = {w.id: w.capacity for w in workshops}
    order = np.random.default_rng(seed).permutation(len(attendees))
    placements = []
    for index in order:
        attendee = attendees[index]
        for slot_id, choices in attendee.choices.items():
            for rank, workshop_id in enumerate(choices, start=1):
                if places.get(workshop_id, 0) > 0:
                    places[workshop_id] -= 1
                    placements.append(Placement(attendee.id, slot_id, workshop_id,
                                                "lottery", rank))
                    break
    return placements


# Optimisation -----------------------------------------------------------------------------

def assign_workshops(attendees: Sequence[Attendee], workshops: Sequence[Workshop], *,
                     locks: Mapping[Hashable, Hashable | Sequence[Hashable]] | None = None,
                     facilitators: Iterable[Facilitator] = (),
                     options: Options = Options()) -> Assignment:
    """Place attendees in workshops, at most one per slot, at the least total cost.

    :param locks: attendee id → workshop id (or several, one per slot): placements the
        organiser fixed; they take places and count in the mix.
    :param facilitators: people placed beforehand to lead a workshop.
    """
    started = time.perf_counter()
    seed = options.seed if options.seed is not None else secrets.randbits(32)
    facilitators = list(facilitators)
    model = _Model(attendees, workshops, locks or {}, facilitators, options)
    costs = resolve_costs(options, model.max_rank)
    grid = _cost_grid(costs, options)
    rng = np.random.default_rng(seed)

    chosen, result = model.solve(costs, grid, rng, free_for=None)
    free_for = model.free_candidates(chosen) if options.allow_unranked else None
    if free_for is not None and len(free_for):
        chosen, result = model.solve(costs, grid, rng, free_for=free_for)

    placements = model.fixed_placements() + model.placements(chosen)
    placed = {(p.attendee_id, p.slot_id) for p in placements}
    unassigned = [key for key in model.in_play_keys() if key not in placed]
    report = evaluate(attendees, workshops, placements, facilitators=facilitators,
                      options=Options(**{**options.__dict__, "seed": seed}),
                      method=result["method"], status=result["status"],
                      solver_seconds=result["seconds"], variables=result["variables"],
                      constraints=result["constraints"])
    bound = result["bound"] - result["perturbation"]
    if grid is not None:
        bound = grid * math.ceil(bound / grid - 1e-6)
    bound = min(bound, report.objective)
    slack = report.objective - bound
    gap = 0.0 if slack <= 1e-9 * max(1.0, abs(bound)) else (
        slack / (abs(bound) or abs(report.objective)))
    report = Report(**{**report.__dict__, "bound": bound, "gap": gap,
                       "seconds": time.perf_counter() - started})
    return Assignment(placements, unassigned, report)


class _Model:
    """Indexes the instance once; builds and solves the MILP with sparse matrices."""

    def __init__(self, attendees, workshops, locks, facilitators, options: Options):
        self.options = options
        self.attendees = attendees
        self.workshops = workshops
        ws_index = {w.id: i for i, w in enumerate(workshops)}
        if len(ws_index) != len(workshops):
            raise AssignmentError("two workshops share an id")
        self.ws_index = ws_index
        slot_index: dict[Hashable, int] = {}
        for w in workshops:
            slot_index.setdefault(w.slot_id, len(slot_index))
        self.slot_ids = list(slot_index)
        self.ws_slot = np.array([slot_index[w.slot_id] for w in workshops], dtype=np.int64)
        capacity = np.array([w.capacity for w in workshops], dtype=np.int64)
        if (capacity < 0).any():
            raise AssignmentError("a workshop capacity is negative")
        themes: dict[str, int] = {}
        self.ws_theme = np.array([themes.setdefault(w.theme, len(themes))
                                  if w.theme is not None else -1 for w in workshops],
                                 dtype=np.int64)
        self.n_themes = len(themes)

        att_index = {a.id: i for i, a in enumerate(attendees)}
        if len(att_index) != len(attendees):
            raise AssignmentError("two attendees share an id")
        profiles: dict[str, int] = {}
        organisations: dict[str, int] = {}
        self.att_profile = np.array([profiles.setdefault(a.profile, len(profiles))
                                     for a in attendees], dtype=np.int64)
        self.att_org = np.array([organisations.setdefault(a.organisation,
                                                          len(organisations))
                                 for a in attendees], dtype=np.int64)
        self.n_profiles, self.n_orgs = len(profiles), len(organisations)

        # Fixed placements: facilitators first, then locks; one per attendee and slot.
        self.fixed: dict[tuple[Hashable, int], tuple[int, str]] = {}
        used = np.zeros(len(workshops), dtype=np.int64)
        self.locked_ws, self.locked_att = [], []
        for f in facilitators:
            w = self._workshop(f.workshop_id)
            self._fix(f.attendee_id, w, "pre-assigned")
            used[w] += f.takes_place
        for attendee_id, targets in locks.items():
            if attendee_id not in att_index:
                raise AssignmentError(f"lock for unknown attendee {attendee_id!r}")
            if isinstance(targets, (str, bytes)) or not isinstance(targets, Iterable):
                targets = [targets]
            for target in targets:
                w = self._workshop(target)
                self._fix(attendee_id, w, "locked")
                used[w] += 1
                self.locked_ws.append(w)
                self.locked_att.append(att_index[attendee_id])
        over = np.flatnonzero(used > capacity)
        if len(over):
            w = workshops[over[0]]
            raise AssignmentError(f"locks and facilitators fill workshop {w.id!r} beyond "
                                  f"its {w.capacity} places")
        self.remaining = capacity - used
        self.locked_ws = np.array(self.locked_ws, dtype=np.int64)
        self.locked_att = np.array(self.locked_att, dtype=np.int64)

        # Attendee-slots in play, and one candidate pair per ranked workshop.
        as_att, as_slot, pair_as, pair_ws, pair_rank = [], [], [], [], []
        for a, attendee in enumerate(attendees):
            for slot_id, choices in attendee.choices.items():
                s = slot_index.get(slot_id)
                if s is None:
                    if choices:
                        raise AssignmentError(f"unknown slot {slot_id!r}")
                    continue
                if (attendee.id, s) in self.fixed:
                    continue
                k = len(as_att)
                as_att.append(a)
                as_slot.append(s)
                pair_as.extend([k] * len(choices))
                pair_ws.extend(choices)
                pair_rank.extend(range(1, len(choices) + 1))
        self.max_rank = max((len(c) for a in attendees for c in a.choices.values()),
                            default=1)
        try:
            pair_ws = np.array([ws_index[w] for w in pair_ws], dtype=np.int64)
        except KeyError as error:
            raise AssignmentError(f"unknown workshop {error.args[0]!r}") from None
        self.as_att = np.array(as_att, dtype=np.int64)
        self.as_slot = np.array(as_slot, dtype=np.int64)
        pair_as = np.array(pair_as, dtype=np.int64)
        pair_rank = np.array(pair_rank, dtype=np.int64)
        wrong = np.flatnonzero(self.ws_slot[pair_ws] != self.as_slot[pair_as])
        if len(wrong):
            attendee = attendees[self.as_att[pair_as[wrong[0]]]]
            raise AssignmentError(f"{attendee.id!r} ranked workshop "
                                  f"{workshops[pair_ws[wrong[0]]].id!r} in another slot")
        # Keep each (attendee-slot, workshop) once, at its best rank, and only where a
        # place is left and the theme is not already taken by a lock.
        order = np.lexsort((pair_rank, pair_ws, pair_as))
        pair_as, pair_ws, pair_rank = pair_as[order], pair_ws[order], pair_rank[order]
        first = np.ones(len(order), dtype=bool)
        first[1:] = (pair_as[1:] != pair_as[:-1]) | (pair_ws[1:] != pair_ws[:-1])
        keep = first & (self.remaining[pair_ws] > 0) & self._theme_open(pair_as, pair_ws)
        self.pair_as, self.pair_ws, self.pair_rank = (pair_as[keep], pair_ws[keep],
                                                      pair_rank[keep])

    def _workshop(self, workshop_id) -> int:
        try:
            return self.ws_index[workshop_id]
        except KeyError:
            raise AssignmentError(f"unknown workshop {workshop_id!r}") from None

    def _fix(self, attendee_id, w: int, source: str) -> None:
        key = (attendee_id, int(self.ws_slot[w]))
        if key in self.fixed:
            raise AssignmentError(f"{attendee_id!r} is placed twice in one slot")
        self.fixed[key] = (w, source)

    def _theme_open(self, pair_as, pair_ws) -> np.ndarray:
        """False for pairs whose theme the attendee already has through a lock."""
        if not self.options.avoid_same_theme or not len(self.locked_ws):
            return np.ones(len(pair_as), dtype=bool)
        taken = self.locked_att * (self.n_themes + 1) + self.ws_theme[self.locked_ws]
        taken = taken[self.ws_theme[self.locked_ws] >= 0]
        keys = self.as_att[pair_as] * (self.n_themes + 1) + self.ws_theme[pair_ws]
        return (self.ws_theme[pair_ws] < 0) | ~np.isin(keys, taken)

    def in_play_keys(self) -> list[tuple[Hashable, Hashable]]:
        return [(self.attendees[a].id, self.slot_ids[s])
                for a, s in zip(self.as_att.tolist(), self.as_slot.tolist())]

    def free_candidates(self, chosen: np.ndarray) -> np.ndarray:
        """Attendee-slots the choices left without a place."""
        placed = np.zeros(len(self.as_att), dtype=bool)
        placed[self.pair_as[chosen]] = True
        return np.flatnonzero(~placed)

    def _pairs(self, free_for):
        """Candidate pairs, with free-place pairs to every open workshop of the slot for
        the attendee-slots in ``free_for``."""
        if free_for is None:
            return self.pair_as, self.pair_ws, self.pair_rank
        open_ws = np.flatnonzero(self.remaining > 0)
        by_slot = [open_ws[self.ws_slot[open_ws] == s] for s in range(len(self.slot_ids))]
        counts = np.array([len(by_slot[s]) for s in self.as_slot[free_for]], dtype=np.int64)
        free_as = np.repeat(free_for, counts)
        free_ws = (np.concatenate([by_slot[s] for s in self.as_slot[free_for]])
                   if len(free_for) else np.zeros(0, dtype=np.int64))
        n_ws = len(self.workshops)
        ranked = self.pair_as * n_ws + self.pair_ws
        new = ~np.isin(free_as * n_ws + free_ws, ranked) & self._theme_open(free_as, free_ws)
        free_as, free_ws = free_as[new], free_ws[new]
        return (np.concatenate([self.pair_as, free_as]),
                np.concatenate([self.pair_ws, free_ws]),
                np.concatenate([self.pair_rank, np.zeros(len(free_as), dtype=np.int64)]))

    def solve(self, costs: Costs, grid: float | None, rng, free_for):
        options = self.options
        pair_as, pair_ws, pair_rank = self._pairs(free_for)
        self.solved_pairs = (pair_as, pair_ws, pair_rank)
        n_pairs, n_as, n_ws = len(pair_as), len(self.as_att), len(self.workshops)
        rank_cost = np.array((0.0, *costs.ranks))[pair_rank]
        rank_cost[pair_rank == 0] = costs.free_place
        # The lottery: a random cost below ε per pair, ε × (attendee-slots) < δ / 2.
        epsilon = (grid or 1e-3) / 2 / (n_as + 1)
        noise = rng.random(n_pairs) * epsilon
        perturbation = float(noise.max()) * n_as if n_pairs else 0.0

        blocks = []  # (rows, columns, values, lower, upper) per family, columns global
        columns = [n_pairs + n_as]
        objective = [rank_cost + noise, np.full(n_as, costs.unassigned)]
        upper_bounds = [np.ones(n_pairs + n_as)]
        integral = [np.ones(n_pairs), np.zeros(n_as)]
        pair_index = np.arange(n_pairs)

        # One place per attendee-slot: Σ x + u = 1.
        blocks.append((np.concatenate([pair_as, np.arange(n_as)]),
                       np.concatenate([pair_index, n_pairs + np.arange(n_as)]),
                       np.ones(n_pairs + n_as), np.ones(n_as), np.ones(n_as)))

        # Capacities, only where the candidates outnumber the places.
        demand = np.bincount(pair_ws, minlength=n_ws)
        tight = np.flatnonzero(demand > self.remaining)
        row_of = np.full(n_ws, -1)
        row_of[tight] = np.arange(len(tight))
        in_row = row_of[pair_ws] >= 0
        blocks.append((row_of[pair_ws][in_row], pair_index[in_row], np.ones(in_row.sum()),
                       np.full(len(tight), -np.inf), self.remaining[tight].astype(float)))

        locked_profile = np.zeros((n_ws, self.n_profiles))
        np.add.at(locked_profile, (self.locked_ws, self.att_profile[self.locked_att]), 1)
        pair_profile = self.att_profile[self.as_att[pair_as]]
        pair_org = self.att_org[self.as_att[pair_as]]

        share = options.max_profile_share
        if share is not None:
            # count_p − share × size ≤ s, where a workshop could be more than `share` p
            # (locked people included: newcomers of other profiles dilute them).
            cand = np.zeros((n_ws, self.n_profiles))
            np.add.at(cand, (pair_ws, pair_profile), 1)
            locked_size = locked_profile.sum(axis=1, keepdims=True)
            most_p = cand + locked_profile
            can_exceed = most_p > share * (most_p + locked_size - locked_profile) + 1e-9
            ws_rows, profile_rows = np.nonzero(can_exceed)
            n_rows = len(ws_rows)
            # A size column per workshop concerned keeps the rows sparse: each pair
            # enters its own profile's row only, not every profile row of its workshop.
            sized = np.unique(ws_rows)
            n_sized = len(sized)
            size_of = np.full(n_ws, -1)
            size_of[sized] = np.arange(n_sized)
            first_size = sum(columns)
            first_slack = first_size + n_sized
            in_size = size_of[pair_ws] >= 0
            blocks.append((np.concatenate([size_of[pair_ws][in_size], np.arange(n_sized)]),
                           np.concatenate([pair_index[in_size],
                                           first_size + np.arange(n_sized)]),
                           np.concatenate([np.ones(in_size.sum()), -np.ones(n_sized)]),
                           np.zeros(n_sized), np.zeros(n_sized)))
            row_grid = np.full((n_ws, self.n_profiles), -1)
            row_grid[ws_rows, profile_rows] = np.arange(n_rows)
            rows = row_grid[pair_ws, pair_profile]
            in_row = rows >= 0
            blocks.append((np.concatenate([rows[in_row], np.arange(n_rows), np.arange(n_rows)]),
                           np.concatenate([pair_index[in_row], first_size + size_of[ws_rows],
                                           first_slack + np.arange(n_rows)]),
                           np.concatenate([np.ones(in_row.sum()), np.full(n_rows, -share),
                                           -np.ones(n_rows)]),
                           np.full(n_rows, -np.inf),
                           share * locked_size[ws_rows, 0]
                           - locked_profile[ws_rows, profile_rows]))
            # The rounding cut (1 − f)(count_p − k) ≤ s, with k + f = share × the most
            # the group can hold: every integer count meets it, the fractional counts
            # that sit exactly on an odd group's half (5.5 of 11) do not.
            most = share * (self.remaining[ws_rows] + locked_size[ws_rows, 0])
            k = np.floor(most + 1e-9)
            weight = 1 - (most - k)
            cut_of = np.full(n_rows, -1)
            cut_rows = np.flatnonzero(weight < 1 - 1e-9)
            cut_of[cut_rows] = np.arange(len(cut_rows))
            cuts = np.full(len(rows), -1)
            cuts[in_row] = cut_of[rows[in_row]]
            in_cut = cuts >= 0
            blocks.append((np.concatenate([cuts[in_cut], np.arange(len(cut_rows))]),
                           np.concatenate([pair_index[in_cut], first_slack + cut_rows]),
                           np.concatenate([weight[rows[in_cut]], -np.ones(len(cut_rows))]),
                           np.full(len(cut_rows), -np.inf),
                           (weight * (k - locked_profile[ws_rows, profile_rows]))[cut_rows]))
            columns += [n_sized, n_rows]
            objective += [np.zeros(n_sized), np.full(n_rows, costs.profile)]
            upper_bounds += [np.full(n_sized, np.inf), np.full(n_rows, np.inf)]
            integral += [np.zeros(n_sized), np.zeros(n_rows)]

        cap = options.max_per_organisation
        if cap is not None:
            # count_o − cap ≤ s, where the candidates from o plus the locked exceed the
            # cap; a locked group over the cap alone still gets its row, so the LP's
            # objective (and bound) counts its excess like the report does.
            keys = np.concatenate([pair_ws * self.n_orgs + pair_org,
                                   self.locked_ws * self.n_orgs
                                   + self.att_org[self.locked_att]])
            unique, inverse = np.unique(keys, return_inverse=True)
            candidates = np.bincount(inverse[:n_pairs], minlength=len(unique))
            locked = np.bincount(inverse[n_pairs:], minlength=len(unique))
            can_exceed = candidates + locked > cap
            row_of_key = np.full(len(unique), -1)
            n_rows = int(can_exceed.sum())
            row_of_key[can_exceed] = np.arange(n_rows)
            rows = row_of_key[inverse[:n_pairs]]
            in_row = rows >= 0
            first_slack = sum(columns)
            blocks.append((np.concatenate([rows[in_row], np.arange(n_rows)]),
                           np.concatenate([pair_index[in_row],
                                           first_slack + np.arange(n_rows)]),
                           np.concatenate([np.ones(in_row.sum()), -np.ones(n_rows)]),
                           np.full(n_rows, -np.inf),
                           cap - locked[can_exceed].astype(float)))
            columns.append(n_rows)
            objective.append(np.full(n_rows, costs.organisation))
            upper_bounds.append(np.full(n_rows, np.inf))
            integral.append(np.zeros(n_rows))

        if options.avoid_same_theme and n_pairs:
            # Σ x ≤ 1 per attendee and theme ranked in two slots or more.
            theme = self.ws_theme[pair_ws]
            themed = np.flatnonzero(theme >= 0)
            keys = self.as_att[pair_as[themed]] * self.n_themes + theme[themed]
            unique, inverse = np.unique(keys, return_inverse=True)
            slot_keys = np.unique(inverse * len(self.slot_ids)
                                  + self.as_slot[pair_as[themed]])
            slots_per_key = np.bincount(slot_keys // len(self.slot_ids),
                                        minlength=len(unique))
            row_of_key = np.full(len(unique), -1)
            several = slots_per_key >= 2
            n_rows = int(several.sum())
            row_of_key[several] = np.arange(n_rows)
            rows = row_of_key[inverse]
            in_row = rows >= 0
            blocks.append((rows[in_row], themed[in_row], np.ones(in_row.sum()),
                           np.full(n_rows, -np.inf), np.ones(n_rows)))

        n_columns = sum(columns)
        if not n_columns:  # Everyone in play is locked or led: nothing to decide.
            return np.zeros(0, dtype=bool), {"status": "optimal", "seconds": 0.0,
                                             "method": "highs-lp", "bound": 0.0,
                                             "perturbation": 0.0, "variables": 0,
                                             "constraints": 0}
        offset, row_parts, col_parts, value_parts, lower, upper = 0, [], [], [], [], []
        for rows, cols, values, lo, up in blocks:
            row_parts.append(rows + offset)
            col_parts.append(cols)
            value_parts.append(values)
            lower.append(lo)
            upper.append(up)
            offset += len(lo)
        matrix = sparse.csr_array((np.concatenate(value_parts),
                                   (np.concatenate(row_parts), np.concatenate(col_parts))),
                                  shape=(offset, n_columns))
        problem = dict(c=np.concatenate(objective),
                       bounds=Bounds(0, np.concatenate(upper_bounds)),
                       constraints=LinearConstraint(matrix, np.concatenate(lower),
                                                    np.concatenate(upper)))
        integrality = np.concatenate(integral)
        milp_options = {"disp": False, "mip_rel_gap": options.mip_rel_gap}
        if options.time_limit is not None:
            milp_options["time_limit"] = options.time_limit
        started = time.perf_counter()
        # The LP relaxation first: without soft caps the matrix is totally unimodular, and
        # with them its optimum is still integral on most instances, which then proves
        # optimality at a fraction of the cost of HiGHS's MIP machinery (heuristics,
        # cuts); only a fractional optimum goes on to branch and bound.
        res = milp(integrality=np.zeros_like(integrality), options=milp_options, **problem)
        lp_bound = res.fun if res.status == 0 else -np.inf
        x = res.x[:n_pairs] if res.x is not None else None
        if x is None or np.abs(x - np.round(x)).max(initial=0.0) > 1e-6:
            res = milp(integrality=integrality, options=milp_options, **problem)
            if res.x is None:
                raise AssignmentError(f"HiGHS found no placement: {res.message}")
            x = res.x[:n_pairs]
            bound = res.mip_dual_bound
            if bound is None or not np.isfinite(bound):
                bound = res.fun
            bound = max(bound, lp_bound)
            method = "highs-mip"
        else:
            bound, method = lp_bound, "highs-lp"
        seconds = time.perf_counter() - started
        status = {0: "optimal", 1: "time limit"}.get(res.status, res.message)
        return x > 0.5, {"status": status, "seconds": seconds, "method": method,
                         "bound": float(bound), "perturbation": perturbation,
                         "variables": n_columns, "constraints": offset}

    def fixed_placements(self) -> list[Placement]:
        placements = []
        attendee_by_id = {a.id: a for a in self.attendees}
        for (attendee_id, s), (w, source) in self.fixed.items():
            workshop = self.workshops[w]
            rank = None
            attendee = attendee_by_id.get(attendee_id)
            if attendee is not None and source == "locked":
                choices = list(attendee.choices.get(workshop.slot_id, ()))
                rank = choices.index(workshop.id) + 1 if workshop.id in choices else None
            placements.append(Placement(attendee_id, workshop.slot_id, workshop.id,
                                        source, rank))
        return placements

    def placements(self, chosen: np.ndarray) -> list[Placement]:
        pair_as, pair_ws, pair_rank = (array[chosen] for array in self.solved_pairs)
        return [Placement(self.attendees[a].id, self.slot_ids[s], self.workshops[w].id,
                          "solver", r or None, r == 0)
                for a, s, w, r in zip(self.as_att[pair_as].tolist(),
                                      self.as_slot[pair_as].tolist(),
                                      pair_ws.tolist(), pair_rank.tolist())]


# Text -------------------------------------------------------------------------------------

NBSP = "\u00a0"
NNBSP = "\u202f"


def _number(value: float, decimals: int = 0) -> str:
    text = f"{value:,.{decimals}f}"
    return text.replace(",", NNBSP).replace(".", ",")


def _percent(count: int, total: int) -> str:
    return f"{_number(100 * count / total if total else 0.0, 1)}{NBSP}%"


def _ordinal(rank: int) -> str:
    return "1er" if rank == 1 else f"{rank}e"


def report_text(report: Report) -> str:
    """The report in French plain text, for the CLI (« Premier choix : 78,4 % »)."""
    o = report.overall
    lines = [
        f"Affectation des ateliers ({report.method}, {report.status}), "
        f"graine {report.seed}",
        f"Personnes-créneaux{NBSP}: {_number(o.total)}",
        f"Premier choix{NBSP}: {_percent(o.first_choice, o.total)}",
        f"Un de ses choix{NBSP}: {_percent(o.any_choice, o.total)}",
        f"Hors de ses choix{NBSP}: {_percent(o.outside_choices, o.total)}",
        f"Sans atelier{NBSP}: {_percent(o.unassigned, o.total)} ({_number(o.unassigned)})",
        "Rangs obtenus{}: {}".format(NBSP, " · ".join(
            [f"{_ordinal(r)} {_number(n)}" for r, n in enumerate(o.ranks, start=1)]
            + [f"hors choix {_number(o.outside_choices)}",
               f"sans atelier {_number(o.unassigned)}"])),
        f"Par profil{NBSP}:",
    ]
    for profile, s in report.by_profile.items():
        lines.append(f"  {profile}{NBSP}: premier choix {_percent(s.first_choice, s.total)}, "
                     f"un de ses choix {_percent(s.any_choice, s.total)}, "
                     f"sans atelier {_percent(s.unassigned, s.total)} "
                     f"({_number(s.total)})")
    quality = f"Objectif{NBSP}: {_number(report.objective, 2)}"
    if report.bound is not None:
        quality += f"{NNBSP}; borne{NBSP}: {_number(report.bound, 2)}"
    if report.gap is not None:
        quality += f"{NNBSP}; écart{NBSP}: {_number(100 * report.gap, 2)}{NBSP}%"
    quality += f"{NNBSP}; durée{NBSP}: {_number(report.seconds, 2)}{NBSP}s"
    lines += [quality, f"Ateliers{NBSP}:"]
    for w in report.workshops:
        mix = ", ".join(f"{p} {n}" for p, n in w.profiles.items()) or "personne"
        line = f"  {w.workshop_id}{NBSP}: {w.size}/{w.capacity} places ({mix})"
        if w.largest_organisation:
            name, count = w.largest_organisation
            line += f", au plus {count} de « {name} »"
        lines.append(line)
        for e in w.exceeded:
            what = "profil" if e.kind == "profile" else "organisation"
            lines.append(f"    plafond dépassé, {what} « {e.group} »{NBSP}: {e.count} "
                         f"pour {_number(e.limit, 1)} (+{_number(e.excess, 1)})")
    return "\n".join(lines)
