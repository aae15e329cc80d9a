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

* a workshop given in several slots (same ``series``) is given at most once to anyone:
  ``Σ x ≤ 1`` per attendee and series, like the theme rule;
* ``min_group_size``: a binary ``z_w`` per workshop allows its group at most
  ``least − 1`` people and lifts its share rows by the most such a group can exceed,
  ``(1 − share)(least − 1)``: below that size a group has no share to keep.

``allow_unranked`` lets every attendee-slot take a free place (cost ``free_place``) in
any workshop of its slot with room, in the same model: anyone may take a free place, so
the optimum weighs a free place against every other move (a former two-stage solve
placed the ranked choices first and missed optima: « A in W1, B free in W2 » at 3
against its 4). People of one slot, profile and organisation are interchangeable in a
free place, so it goes through a column ``g`` per attendee-slot and an integer column
``f`` per such type and workshop (``Σ_w f = Σ g`` per type), not a pair per person and
workshop; this is exact (any placement maps to it at the same cost, and back at no more
cost: a free place that lands in a workshop its holder ranked counts at that rank, no
dearer than a free place). Where a theme or series rule binds a workshop with room
(rows per person), or a free place costs less than some rank, it falls back to one
free pair per attendee-slot and workshop it did not rank.

``strategy="leximin"`` is exactly lexicographic: one solve per level (no workshop,
free place, last rank, …, second rank, cap excess), each with the levels before it
fixed at their proven optimum (``vector · x ≤ optimum``); the lottery breaks ties in
the last one.

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
* free places by type: at 2,000 × 200 (one slot) 419k columns became 83k and the LP
  came out integral: 215 s of branch and bound became a 5.4 s LP (loaded machine);
* a fractional LP optimum goes to a MIP over the columns its reduced costs leave open
  (reduced-cost fixing against the bound the LP proves on the costs' grid): when the
  placement it finds meets that bound (within ``mip_rel_gap``, HiGHS's own stopping
  rule), the LP bound proves it optimal, and it is the lottery's own optimum (the one
  branch and bound over the whole model finds, up to ``mip_rel_gap``); otherwise a
  second MIP, narrowed to the cost of the placement found, holds every cheaper one, so
  its optimum and its bound are the whole model's. Branch and bound over the whole
  model runs only if these find nothing. At 20,000 × 4 × 50 themed the optimum lies 3
  units above the LP bound: LP 104 s, MIPs 50 s and 77 s, proven optimal in 234 s
  (load 4–5 on 2 cores), where branch and bound stopped at its time limits (268 s);
  at 2,000 × 4 × 50 themed, 94 s of branch and bound (closing a gap of one unit)
  became 3.7 s, the optimum on the LP bound. A former rounding held every column the
  LP left integral and decided the fractional ones: one unit above the bound there, it
  sent the solve to branch and bound;
* the LP through :func:`scipy.optimize.linprog` (the same HiGHS, same optimum) for its
  reduced costs, which :func:`~scipy.optimize.milp` does not give;
* asked for a gap from ``INTERIOR_GAP`` (1e-4) up, a model of ``INTERIOR_COLUMNS``
  (200,000) columns or more goes first to HiGHS's interior point without crossover: the
  dual it stops at bounds the optimum whatever its accuracy, and the pairs its point
  leaves near 0 or 1 held there, a small MIP places the rest (:func:`_interior`); the
  simplex path follows only if that placement is not proven within the gap. At 20,000
  × 4 × 50 themed the simplex LP alone takes 68–72 s; this path proves a placement
  within 1.0e-5: IPX 48 s and the MIP 2.7 s measured apart at load 1, the whole
  ``assign_workshops`` 62 s and 69 s with other jobs on the machine (load 1.5–2.2)
  (``benchmarks/bench_assignment_lp_methods.py``);
* scipy's bundled HiGHS rather than ``highspy`` (but for the interior point above):
  highspy 1.16 was no faster on these models, and its MIP start (which scipy does not take) cannot close a gap by itself: with the
  rounded placement as incumbent, branch and bound still has to find a better one;
  a min-cost flow cannot carry two crossing families of caps (profile and organisation
  rows of one workshop), and without caps the LP relaxation is already integral;
* a binary per person rather than integer counts per class of interchangeable people
  (same ranked choices in every slot, profile and organisation where a cap reads them,
  no lock, no facilitator role): the benchmark's 20,000 × 4 × 50 themed day has 20,000
  classes, and even one slot's ranking alone takes 19,870 distinct values
  (``benchmarks/bench_assignment_floor.py``). Counts with per-class theme rows
  ``Σ y ≤ class size`` would be exact (a class's counts are a bipartite multigraph
  slots × themes of degree at most the class size, which König's edge colouring splits
  into one person per colour), but not with series rows crossing the themes: A
  (theme t, series α) and B (u, β) in one slot, C (t, β) and D (u, α) in the next, one
  place in each for a class of two meets every count, yet whoever takes A can take
  neither C (theme t) nor D (series α).
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
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

STRATEGIES = ("first_choices", "fairness", "leximin")
SOURCES = ("solver", "locked", "pre-assigned", "lottery")
LEFT_OUT_REASONS = ("no_choice", "full", "locked_elsewhere", "theme", "same_workshop",
                    "other")


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
    series: Hashable | None = None
    """Workshops sharing a ``series`` are one workshop given in several slots: nobody
    gets it twice."""


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
        as possible), ``"fairness"`` (cost ``(r−1)²``: few people far down their list)
        or ``"leximin"`` (exactly lexicographic: fewest without a workshop, then fewest
        in a free place, then fewest at the last rank, then at the one before, and so on,
        then the least cap excess; its report's objective uses the fairness costs).
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
    :param min_group_size: the profile share applies to groups of this many people or
        more (someone alone in a workshop is not « 100 % of one profile »).
    :param seed: lottery seed for ties; drawn at random and reported when ``None``.
    :param time_limit: seconds for the whole solve (every HiGHS call of it gets what is
        left, so the LP, the narrowed MIPs and every leximin level share one budget);
        ``None``: until proven optimal. A solve stopped by it reports « time limit »
        unless its bound proves the placement all the same.
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
    min_group_size: int | None = None
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
    locked: int = 0
    """Placed by the organisers (ranks and outside choices include them)."""
    locked_outside: int = 0
    """Placed by the organisers outside their choices; the rest of ``outside_choices``
    are free places the solver gave."""

    @property
    def free_places(self) -> int:
        return self.outside_choices - self.locked_outside

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
    from_locks: bool = False
    """The people the organisers locked there exceed the cap by themselves."""


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
    levels: tuple[tuple[str, float], ...] = ()
    """Leximin only: the optimum of each level, worst first."""
    left_out: tuple[tuple[Hashable, Hashable, str], ...] = ()
    """(attendee, slot, reason) for each attendee-slot without a workshop; reasons are
    :data:`LEFT_OUT_REASONS`."""


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
    elif options.strategy in ("fairness", "leximin"):
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


def _caps_grid(costs: Costs, options: Options) -> float | None:
    """The grid the cap excesses' costs lie on."""
    values = []
    if options.max_profile_share is not None:
        share = options.max_profile_share
        values += [costs.profile * share, costs.profile * (1 - share)]
    if options.max_per_organisation is not None:
        values.append(costs.organisation)
    return _grid(v for v in values if v)


def _cost_grid(costs: Costs, options: Options) -> float | None:
    """The grid every objective value lies on."""
    values = [*costs.ranks, costs.free_place, costs.unassigned]
    caps = _caps_grid(costs, options)
    if caps is None and (options.max_profile_share is not None
                         or options.max_per_organisation is not None):
        return None
    return _grid(v for v in [*values, caps or 0] if v)


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
    facilitators = list(facilitators)
    placed: dict[tuple[Hashable, Hashable], Placement] = {}
    members: dict[Hashable, list[Placement]] = defaultdict(list)
    for placement in placements:
        if placement.source == "pre-assigned":
            continue
        placed[placement.attendee_id, placement.slot_id] = placement
        members[placement.workshop_id].append(placement)
    max_rank = max((len(c) for a in attendees for c in a.choices.values()), default=1)
    costs = resolve_costs(options, max_rank)
    tallies, objective = _tally(attendees, workshops, placed, facilitators, costs,
                                max_rank)
    attendee_by_id = {a.id: a for a in attendees}
    taking_place = Counter(f.workshop_id for f in facilitators if f.takes_place)
    leaders = Counter(f.workshop_id for f in facilitators)
    reports = []
    for workshop in workshops:
        group = [(attendee_by_id[p.attendee_id], p.source == "locked")
                 for p in members.get(workshop.id, ())]
        report, penalties = _workshop_report(workshop, group, taking_place[workshop.id],
                                             leaders[workshop.id], costs, options)
        reports.append(report)
        for penalty in penalties:
            objective += penalty

    def satisfaction(tally) -> Satisfaction:
        return Satisfaction(tally[0], tuple(tally[1]), *tally[2:])

    overall = satisfaction(tallies[None]) if None in tallies else Satisfaction(
        0, (0,) * max_rank, 0, 0)
    by_profile = {key: satisfaction(tallies[key])
                  for key in sorted(k for k in tallies if k is not None)}
    info = {"seconds": time.perf_counter() - started, "seed": options.seed, **solver_info}
    return Report(overall=overall, by_profile=by_profile, workshops=tuple(reports),
                  objective=objective, **info)


def _tally(attendees, workshops, placed, facilitators, costs: Costs, max_rank: int):
    """Per profile and overall (key ``None``): [attendee-slots, people per rank, outside
    their choices, without a workshop, locked, locked outside their choices]; and the
    cost of the attendee-slots not locked."""
    workshop_by_id = {w.id: w for w in workshops}
    leading = {(f.attendee_id, workshop_by_id[f.workshop_id].slot_id) for f in facilitators}
    # A slot without workshops has no place to give: nobody counts as left out of it.
    slots = {w.slot_id for w in workshops}
    objective = 0.0
    tallies: dict[str | None, list] = defaultdict(lambda: [0, [0] * max_rank, 0, 0, 0, 0])
    for attendee in attendees:
        for slot_id in attendee.choices:
            if (attendee.id, slot_id) in leading or slot_id not in slots:
                continue
            placement = placed.get((attendee.id, slot_id))
            rank = placement.rank if placement else None
            locked = placement is not None and placement.source == "locked"
            for key in (None, attendee.profile):
                tally = tallies[key]
                tally[0] += 1
                if placement is None:
                    tally[3] += 1
                elif rank is None:
                    tally[2] += 1
                else:
                    tally[1][rank - 1] += 1
                if locked:
                    tally[4] += 1
                    tally[5] += rank is None
            if locked:
                continue
            if placement is None:
                objective += costs.unassigned
            elif rank is None:
                objective += costs.free_place
            else:
                objective += costs.rank(rank)
    return tallies, objective


def _workshop_report(workshop: Workshop, group: list[tuple[Attendee, bool]],
                     taking_place: int, leaders: int, costs: Costs, options: Options
                     ) -> tuple[WorkshopReport, list[float]]:
    """One workshop's group (each member with whether they are locked there): its mix,
    the caps it exceeds, and the penalty of each excess."""
    profiles = Counter(a.profile for a, _ in group)
    organisations = Counter(a.organisation for a, _ in group)
    locked_profiles = Counter(a.profile for a, locked in group if locked)
    locked_organisations = Counter(a.organisation for a, locked in group if locked)
    exceeded, penalties = [], []
    share = options.max_profile_share
    if share is not None and len(group) >= (options.min_group_size or 0):
        limit = share * len(group)
        for profile, count in sorted(profiles.items()):
            if count > limit + 1e-9:
                exceeded.append(CapExcess("profile", profile, count, limit, count - limit,
                                          locked_profiles[profile] > limit + 1e-9))
                penalties.append(costs.profile * (count - limit))
    cap = options.max_per_organisation
    if cap is not None:
        for organisation, count in sorted(organisations.items()):
            if count > cap:
                exceeded.append(CapExcess("organisation", organisation, count, cap,
                                          count - cap,
                                          locked_organisations[organisation] > cap))
                penalties.append(costs.organisation * (count - cap))
    largest = max(sorted(organisations.items()), key=lambda item: item[1], default=None)
    return WorkshopReport(workshop.id, workshop.slot_id, len(group) + taking_place,
                          workshop.capacity, leaders, dict(sorted(profiles.items())),
                          largest, tuple(exceeded)), penalties


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
    x, result, problem = _solve(model, options, np.random.default_rng(seed))
    placements = model.fixed_placements() + model.placements(x)
    placed = {(p.attendee_id, p.slot_id) for p in placements}
    unassigned = [key for key in model.in_play_keys() if key not in placed]
    report = evaluate(attendees, workshops, placements, facilitators=facilitators,
                      options=Options(**{**options.__dict__, "seed": seed}),
                      method=result["method"], status=result["status"],
                      solver_seconds=result["seconds"], variables=problem.n_columns,
                      constraints=problem.n_rows, levels=result.get("levels", ()))
    bound, gap, status = _proof(report, result, options)
    report = Report(**{**report.__dict__, "bound": bound, "gap": gap, "status": status,
                       "left_out": left_out_reasons(attendees, workshops, placements,
                                                    unassigned, facilitators, options),
                       "seconds": time.perf_counter() - started})
    return Assignment(placements, unassigned, report)


def _solve(model: _Model, options: Options, rng) -> tuple[np.ndarray, dict, _Problem]:
    """The solution, the solver's facts, and the programme built for the report."""
    deadline = None if options.time_limit is None else _now() + options.time_limit
    costs = resolve_costs(options, model.max_rank)
    problem = model.build(costs)
    if options.strategy == "leximin":
        x, result = _solve_levels(problem, model.build(costs, caps=False), model,
                                  rng, options, _caps_grid(costs, options), deadline)
    else:
        x, result = _solve_weighted(problem, model, rng, options,
                                    _cost_grid(costs, options), deadline)
    return x, result, problem


def _proof(report: Report, result: dict, options: Options
           ) -> tuple[float | None, float, str]:
    """The bound, gap and status to report for the placements measured by ``report``."""
    if options.strategy == "leximin":
        bound, gap = None, result["gap"]
    else:
        bound = min(result["bound"], report.objective)
        slack = report.objective - bound
        gap = 0.0 if slack <= 1e-9 * max(1.0, abs(bound)) else (
            slack / (abs(bound) or abs(report.objective)))
    # A solve stopped by its time limit whose bound, on the costs' grid, meets the
    # placement found has proven it optimal all the same.
    status = "optimal" if gap == 0 else result["status"]
    return bound, gap, status


def left_out_reasons(attendees: Sequence[Attendee], workshops: Sequence[Workshop],
                     placements: Sequence[Placement],
                     unassigned: Iterable[tuple[Hashable, Hashable]],
                     facilitators: Iterable[Facilitator] = (),
                     options: Options = Options()) -> tuple[tuple[Hashable, Hashable, str],
                                                            ...]:
    """Why each attendee-slot in ``unassigned`` has no workshop: it ranked none
    (``no_choice``), every workshop it ranked is full (``full``), or one with room has
    a theme or is a workshop that the person already has in another slot, through a
    lock (``locked_elsewhere``) or the solver (``theme``, ``same_workshop``)."""
    by_id = {w.id: w for w in workshops}
    attendee_by_id = {a.id: a for a in attendees}
    size = Counter(p.workshop_id for p in placements if p.source != "pre-assigned")
    size.update(f.workshop_id for f in facilitators if f.takes_place)
    held = defaultdict(list)
    for p in placements:
        held[p.attendee_id].append(p)
    reasons = []
    for attendee_id, slot_id in unassigned:
        choices = attendee_by_id[attendee_id].choices.get(slot_id, ())
        causes = set()
        for workshop_id in choices:
            workshop = by_id[workshop_id]
            if size[workshop_id] >= workshop.capacity:
                causes.add("full")
                continue
            for p in held[attendee_id]:
                other = by_id[p.workshop_id]
                same = workshop.series is not None and other.series == workshop.series
                theme = (options.avoid_same_theme and workshop.theme is not None
                         and other.theme == workshop.theme)
                if same or theme:
                    causes.add("locked_elsewhere" if p.source == "locked"
                               else "same_workshop" if same else "theme")
        if not choices:
            reason = "no_choice"
        elif causes == {"full"}:
            reason = "full"
        else:
            reason = next((r for r in LEFT_OUT_REASONS[2:] if r in causes), "other")
        reasons.append((attendee_id, slot_id, reason))
    return tuple(reasons)


# Column kinds of the built model.
PAIR, UNASSIGNED, SIZE, PROFILE_SLACK, ORGANISATION_SLACK, SMALL, FREE, FLOW = range(8)


@dataclass
class _Problem:
    """A built 0–1 programme: its true costs, its rows, and what each column is."""

    cost: np.ndarray
    kind: np.ndarray
    matrix: sparse.csr_array
    lower: np.ndarray
    upper: np.ndarray
    column_upper: np.ndarray
    integral: np.ndarray
    n_pairs: int

    @property
    def n_columns(self) -> int:
        return len(self.cost)

    @property
    def n_rows(self) -> int:
        return len(self.lower)


class _Builder:
    """Collects columns and sparse rows family by family, then makes one matrix."""

    def __init__(self):
        self.columns: list[tuple[np.ndarray, ...]] = []
        self.n_columns = 0
        self.rows: list[tuple[np.ndarray, ...]] = []
        self.n_rows = 0

    def add_columns(self, kind: int, n: int, cost, upper=np.inf, integral=False) -> int:
        """Add ``n`` columns; returns the index of the first."""
        first = self.n_columns
        self.columns.append((np.broadcast_to(np.asarray(cost, dtype=float), (n,)),
                             np.full(n, kind),
                             np.broadcast_to(np.asarray(upper, dtype=float), (n,)),
                             np.full(n, float(integral))))
        self.n_columns += n
        return first

    def add_rows(self, rows, cols, values, lower, upper) -> None:
        """Add ``len(lower)`` rows; ``rows`` numbers them from 0."""
        lower, upper = np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)
        self.rows.append((np.asarray(rows, dtype=np.int64) + self.n_rows,
                          np.asarray(cols, dtype=np.int64),
                          np.asarray(values, dtype=float), lower, upper))
        self.n_rows += len(lower)

    def problem(self, n_pairs: int) -> _Problem:
        cost, kind, column_upper, integral = (np.concatenate(part)
                                              for part in zip(*self.columns))
        rows, cols, values, lower, upper = (np.concatenate(part) for part in zip(*self.rows))
        matrix = sparse.csr_array((values, (rows, cols)),
                                  shape=(self.n_rows, self.n_columns))
        return _Problem(cost, kind, matrix, lower, upper, column_upper, integral, n_pairs)


def _milp(problem: _Problem, objective: np.ndarray, fixed: list[tuple[np.ndarray, float]],
          options: Options, closed: np.ndarray | None = None,
          proven: _Proof | None = None, deadline: float | None = None) -> dict:
    """Solve the LP relaxation, and branch and bound only if its optimum is fractional.

    Without soft caps the matrix is totally unimodular, and with them its optimum is
    still integral on most instances once the rounding cuts are in: the LP then proves
    optimality at a fraction of the cost of HiGHS's MIP machinery. ``fixed`` adds rows
    ``vector · x ≤ value`` (the levels already settled by the lexicographic strategy);
    ``closed`` columns are held at 0 (a level settled at 0 needs no row, and keeps the
    matrix totally unimodular where it was).

    A fractional optimum goes first to a small MIP over the columns the LP's reduced
    costs leave open (:func:`_narrow`); when ``proven`` says its placement meets the LP
    bound (on the costs' grid, within ``mip_rel_gap`` like HiGHS's own stop), it is
    optimal: no branch and bound over the whole model. Otherwise a second one, narrowed
    to the cost of that placement, holds every cheaper placement: its optimum is the
    whole model's, and ``min(its cost, its bound)`` bounds the whole model.

    Each HiGHS call gets the time left until ``deadline`` (see :func:`_within`).
    """
    arguments, milp_options = _milp_arguments(problem, objective, fixed, options, closed)
    started = time.perf_counter()
    if (proven is not None and problem.n_columns >= INTERIOR_COLUMNS
            and options.mip_rel_gap >= INTERIOR_GAP):
        interior = _interior(problem, arguments, milp_options, proven, deadline)
        if interior is not None:
            return {**interior, "seconds": time.perf_counter() - started}
    relaxation = _relaxation(problem, arguments, _within(milp_options, deadline))
    lp_bound = relaxation.fun if relaxation.status == 0 else -np.inf
    x = relaxation.x if relaxation.status == 0 else None
    integral = problem.integral > 0
    if x is not None and np.abs(x[integral] - np.round(x[integral])).max(initial=0.0) <= 1e-6:
        return {"x": x, "bound": float(lp_bound), "method": "highs-lp", "status": "optimal",
                "seconds": time.perf_counter() - started}
    narrowed = (_narrow(problem, relaxation, proven.ceiling(lp_bound), arguments,
                        _within(milp_options, deadline))
                if x is not None and proven is not None else None)
    if narrowed is not None and proven.met(narrowed.x, lp_bound):
        return {"x": narrowed.x, "bound": float(lp_bound), "method": "highs-lp-narrow",
                "status": "optimal", "seconds": time.perf_counter() - started}
    if narrowed is not None:
        # Above the LP bound: every cheaper placement is among the columns the reduced
        # costs leave open up to the cost of this one, and that MIP's own bound holds
        # for the whole model.
        ceiling = objective @ narrowed.x + 1e-7 * max(1.0, abs(lp_bound))
        widened = _narrow(problem, relaxation, ceiling, arguments,
                          _within(milp_options, deadline))
        if widened is not None and widened.status in (0, 1):
            bound = widened.mip_dual_bound
            bound = max(lp_bound, min(ceiling, bound if bound is not None else -np.inf))
            status = "optimal" if widened.status == 0 else "time limit"
            return {"x": _better(objective, widened, narrowed).x, "bound": float(bound),
                    "method": "highs-lp-narrow", "status": status,
                    "seconds": time.perf_counter() - started}
    res = milp(integrality=problem.integral, options=_within(milp_options, deadline),
               **arguments)
    if res.x is None and narrowed is None:
        raise AssignmentError(f"HiGHS found no placement: {res.message}")
    # Stopped by its time limit, branch and bound may hold a worse placement than
    # the narrowed MIP: keep the better one (the bound proves what it proves).
    x = _better(objective, res, narrowed).x
    bound = res.mip_dual_bound
    if bound is None or not np.isfinite(bound):
        bound = res.fun if res.fun is not None else -np.inf
    bound, method = max(bound, lp_bound), "highs-mip"
    status = {0: "optimal", 1: "time limit"}.get(res.status, res.message)
    return {"x": x, "bound": float(bound), "method": method, "status": status,
            "seconds": time.perf_counter() - started}


_now = time.monotonic


def _within(milp_options: dict, deadline: float | None) -> dict:
    """HiGHS's options for one call, with the time left until ``deadline`` (``None``: no
    limit). A call starting after the deadline still gets a moment: HiGHS then stops at
    once with what it has (an LP, nothing; a MIP, its first placement if any)."""
    if deadline is None:
        return milp_options
    return {**milp_options, "time_limit": max(deadline - _now(), 0.01)}


def _better(objective: np.ndarray, *results):
    """The result with the cheaper placement (the first unless another is cheaper),
    or ``None``."""
    best = None
    for result in results:
        if result is not None and result.x is not None and (
                best is None or objective @ result.x < objective @ best.x - 1e-9):
            best = result
    return best


def _linprog_form(arguments: dict, n: int) -> tuple:
    """:func:`scipy.optimize.linprog`'s arguments for the LP relaxation: ``A_ub``,
    ``b_ub``, ``A_eq``, ``b_eq`` and the column bounds (a lower row bound becomes an
    upper one of the negated row)."""
    equal, upper, lower = [], [], []
    for constraint in arguments["constraints"]:
        matrix = sparse.csr_array(constraint.A)
        lb = np.broadcast_to(constraint.lb, (matrix.shape[0],))
        ub = np.broadcast_to(constraint.ub, (matrix.shape[0],))
        is_equal = lb == ub
        equal.append((matrix[is_equal], ub[is_equal]))
        has_upper = ~is_equal & np.isfinite(ub)
        upper.append((matrix[has_upper], ub[has_upper]))
        has_lower = ~is_equal & np.isfinite(lb)
        lower.append((-matrix[has_lower], -lb[has_lower]))

    def stacked(parts):
        parts = [(m, b) for m, b in parts if m.shape[0]]
        if not parts:
            return None, None
        return (sparse.vstack([m for m, _ in parts], format="csr"),
                np.concatenate([b for _, b in parts]))

    a_eq, b_eq = stacked(equal)
    a_ub, b_ub = stacked(upper + lower)
    bounds = arguments["bounds"]
    limits = np.stack([np.broadcast_to(bounds.lb, (n,)), np.broadcast_to(bounds.ub, (n,))],
                      axis=1)
    return a_ub, b_ub, a_eq, b_eq, limits


def _relaxation(problem: _Problem, arguments: dict, milp_options: dict):
    """The LP relaxation, with its reduced costs, by :func:`scipy.optimize.linprog`
    (the same HiGHS as :func:`milp`, which gives no reduced costs)."""
    a_ub, b_ub, a_eq, b_eq, limits = _linprog_form(arguments, problem.n_columns)
    lp_options = {"disp": False}
    if "time_limit" in milp_options:
        lp_options["time_limit"] = milp_options["time_limit"]
    return linprog(arguments["c"], A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq,
                   bounds=limits, method="highs", options=lp_options)


# From this many columns, with a requested gap from INTERIOR_GAP up, the LP goes first to
# the interior point without crossover (:func:`_interior`).
INTERIOR_COLUMNS = 200_000
INTERIOR_GAP = 1e-4
# IPX's own stopping gap, and how near 0 or 1 its point must leave a pair to hold it.
INTERIOR_TOLERANCE = 1e-4
INTERIOR_ROUNDING = 0.01


def _interior(problem: _Problem, arguments: dict, milp_options: dict,
              proven: _Proof, deadline: float | None = None) -> dict | None:
    """A placement proven within the requested gap by an interior point's dual, without
    the simplex: ``None`` when it proves less (the caller then solves as before).

    HiGHS's interior point (IPX) without crossover stops short of a vertex, with a dual
    vector ``y`` that need not be exactly feasible; any ``y`` with the signs its rows
    allow still bounds the optimum (:func:`_dual_bound`). The pairs its point leaves
    within ``INTERIOR_ROUNDING`` of 0 or 1 are held there and :func:`milp` places the
    rest; :meth:`_Proof.met` then checks that placement against that bound, within
    ``mip_rel_gap``. At 20,000 people × 4 slots × 50 workshops themed (498,455 columns,
    2 cores, load 1): IPX 48 s (the simplex 68–72 s, IPX with crossover 88 s), 4,686
    pairs left open, MIP 2.7 s; placement 834,005 against a bound of 833,997 (the
    optimum is 834,001), a proven gap of 1.0e-5; the whole ``assign_workshops`` with
    ``mip_rel_gap=1e-3`` took 62 s and 69 s beside other jobs (load 1.5–2.2). Only for
    a requested gap from ``INTERIOR_GAP`` up: the default (1e-6) asks for the lottery's own optimum, which
    this placement need not be (``benchmarks/bench_assignment_lp_methods.py``).

    Through highspy, not :func:`~scipy.optimize.linprog`: scipy's HiGHS reports the
    uncrossed point as « unknown » and gives neither it nor its duals.
    """
    import highspy  # only here: most days never need it

    matrix = sparse.csc_array(sparse.vstack([sparse.csr_array(constraint.A)
                                             for constraint in arguments["constraints"]]))
    row_lower, row_upper = (np.concatenate([np.broadcast_to(getattr(constraint, side),
                                                            (constraint.A.shape[0],))
                                            for constraint in arguments["constraints"]])
                            .astype(float) for side in ("lb", "ub"))
    n = problem.n_columns
    bounds = arguments["bounds"]
    lower = np.broadcast_to(bounds.lb, (n,)).astype(float)
    upper = np.broadcast_to(bounds.ub, (n,)).astype(float)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n, matrix.shape[0]
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = arguments["c"], lower, upper
    lp.row_lower_, lp.row_upper_ = row_lower, row_upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_ = matrix.indptr, matrix.indices
    lp.a_matrix_.value_ = matrix.data
    highs = highspy.Highs()
    settings = {"output_flag": False, "solver": "ipx", "run_crossover": "off",
                "ipm_optimality_tolerance": INTERIOR_TOLERANCE}
    limited = _within(milp_options, deadline)
    if "time_limit" in limited:
        settings["time_limit"] = float(limited["time_limit"])
    for name, value in settings.items():
        highs.setOptionValue(name, value)
    highs.passModel(lp)
    highs.run()
    solution = highs.getSolution()
    if not (solution.value_valid and solution.dual_valid):
        return None
    # Some optimum has no column above this: a group's size and an excess count people.
    finite = np.concatenate([row_lower[np.isfinite(row_lower)],
                             row_upper[np.isfinite(row_upper)]])
    most = np.sum(problem.kind == UNASSIGNED) + 1 + np.abs(finite).max(initial=0.0)
    bound = _dual_bound(arguments["c"], matrix, row_lower, row_upper, lower, upper, most,
                        np.asarray(solution.row_dual))
    x = np.asarray(solution.col_value)
    integral = problem.integral > 0
    held_lower, held_upper = lower.copy(), upper.copy()
    held_upper[integral & (x < INTERIOR_ROUNDING)] = 0.0
    held_lower[integral & (x > 1 - INTERIOR_ROUNDING) & (upper >= 1)] = 1.0
    placed = milp(integrality=problem.integral, options=_within(milp_options, deadline),
                  **{**arguments, "bounds": Bounds(held_lower,
                                                   np.maximum(held_lower, held_upper))})
    if placed.x is None or not proven.met(placed.x, bound):
        return None
    return {"x": placed.x, "bound": float(bound), "method": "highs-ipm-round",
            "status": "optimal"}


def _dual_bound(c: np.ndarray, matrix, row_lower: np.ndarray, row_upper: np.ndarray,
                lower: np.ndarray, upper: np.ndarray, most: float, y: np.ndarray) -> float:
    """The lower bound any dual vector ``y`` proves on ``min c·x`` subject to
    ``row_lower ≤ A x ≤ row_upper`` and ``lower ≤ x ≤ upper``: ``y`` is first clipped to
    the signs its rows allow (``y_i > 0`` only with a finite lower side, ``y_i < 0``
    only with a finite upper side), then the bound is ``Σ_i y_i × that side +
    Σ_j min (c_j − A_j·y) x_j`` over the column's bounds; a column without an upper
    bound is taken up to ``most``, which some optimum respects."""
    y = np.where(np.isfinite(row_lower), y, np.minimum(y, 0.0))
    y = np.where(np.isfinite(row_upper), y, np.maximum(y, 0.0))
    rows = np.where(y > 0, y * np.where(np.isfinite(row_lower), row_lower, 0.0),
                    y * np.where(np.isfinite(row_upper), row_upper, 0.0))
    reduced = c - matrix.T @ y
    upper = np.minimum(upper, most)
    return float(rows.sum() + np.sum(np.where(reduced >= 0, reduced * lower,
                                              reduced * upper)))


def _narrow(problem: _Problem, relaxation, ceiling: float, arguments: dict,
            milp_options: dict):
    """The best placement with the columns the LP's reduced costs leave open to a
    placement costing at most ``ceiling`` (with the lottery's costs); ``None`` if HiGHS
    finds none. Every such placement is among them.

    Reduced-cost fixing: with LP optimum ``z`` and reduced cost ``d_j``, any solution
    with column ``j`` moved by ``t`` off the bound the LP left it at costs at least
    ``z + |d_j| t``, so in one costing at most ``ceiling`` each column stays within
    ``room / |d_j|`` of its LP value (``room = ceiling − z``). With the ceiling a
    placement the LP bound proves optimal can reach, most columns are held, the « no
    workshop » ones at 0, and HiGHS's presolve leaves a MIP of a few hundred columns
    (2,000 × 4 slots × 50 themed: 51,381 columns became 995, solved in 1.8 s where
    branch and bound over the whole model took 94 s). When the bound holds, the
    lottery's own optimum is among those placements, so this MIP finds the placement
    branch and bound over the whole model finds (up to the relative gap both stop at).
    """
    x, z = relaxation.x, relaxation.fun
    reduced = relaxation.lower.marginals + relaxation.upper.marginals
    room = ceiling - z + 1e-7 * max(1.0, abs(z))
    upper = np.broadcast_to(arguments["bounds"].ub, x.shape)
    # A column moved off its LP bound by t costs at least |d| t more: by room / |d| at most.
    reach = np.divide(room, np.abs(reduced), out=np.full(x.shape, np.inf),
                      where=np.abs(reduced) > 1e-12)
    reach = np.where(problem.integral > 0, np.floor(reach + 1e-9), reach)
    at_zero = (x < 1e-9) & (reduced > 0)
    at_upper = (x > upper - 1e-9) & (reduced < 0)
    # (An LP value at its upper bound is finite: no inf − inf.)
    lower = np.maximum(0.0, np.where(at_upper, upper, 0.0) - np.where(at_upper, reach, 0.0))
    upper = np.where(at_zero, np.minimum(upper, reach), upper)
    res = milp(integrality=problem.integral, options=milp_options,
               **{**arguments, "bounds": Bounds(lower, upper)})
    return res if res.x is not None else None


def _milp_arguments(problem: _Problem, objective: np.ndarray,
                    fixed: list[tuple[np.ndarray, float]], options: Options,
                    closed: np.ndarray | None) -> tuple[dict, dict]:
    """:func:`scipy.optimize.milp`'s arguments but the integrality, and HiGHS's options."""
    constraints = [LinearConstraint(problem.matrix, problem.lower, problem.upper)]
    if fixed:
        constraints.append(LinearConstraint(np.array([v for v, _ in fixed]), -np.inf,
                                            np.array([value for _, value in fixed])))
    upper = problem.column_upper
    if closed is not None and closed.any():
        upper = np.where(np.pad(closed, (0, problem.n_columns - len(closed))), 0.0, upper)
    milp_options = {"disp": False, "mip_rel_gap": options.mip_rel_gap}
    return dict(c=objective, bounds=Bounds(0, upper), constraints=constraints), milp_options


def _lottery(problem: _Problem, rng, step: float, n_as: int) -> tuple[np.ndarray, float]:
    """A random cost below ε per pair, with ε × (attendee-slots) < step / 2: the perturbed
    optimum is then a true optimum whenever true costs lie on a grid of ``step``."""
    epsilon = step / 2 / (n_as + 1)
    noise = np.zeros(problem.n_columns)
    # One placement per attendee-slot at most: a pair, or one unit of a type's free places.
    placing = np.flatnonzero((problem.kind == PAIR) | (problem.kind == FLOW))
    noise[placing] = rng.random(len(placing)) * epsilon
    return noise, float(noise.max(initial=0.0)) * n_as


def _solve_weighted(problem: _Problem, model: _Model, rng, options: Options,
                    grid: float | None, deadline: float | None = None):
    """One solve of the weighted objective (« most first choices », « fairness »)."""
    if not problem.n_columns:  # Everyone in play is locked or led: nothing to decide.
        return np.zeros(0), {"status": "optimal", "seconds": 0.0,
                                         "method": "highs-lp", "bound": 0.0}
    noise, perturbation = _lottery(problem, rng, grid or 1e-3, len(model.as_att))
    result = _milp(problem, problem.cost + noise, [], options,
                   proven=_lp_proof(problem.cost, grid, perturbation, options.mip_rel_gap),
                   deadline=deadline)
    bound = result["bound"] - perturbation
    if grid is not None:
        bound = grid * math.ceil(bound / grid - 1e-6)
    return result["x"], {**result, "bound": bound}


@dataclass(frozen=True)
class _Proof:
    """When the LP bound proves a placement optimal: when ``vector · x`` meets the
    bound, on the grid of ``vector``'s values, that the perturbed LP bound proves
    (within the relative gap HiGHS is asked for)."""

    vector: np.ndarray
    grid: float
    perturbation: float
    rel_gap: float

    def bound(self, lp_bound: float) -> float:
        return self.grid * math.ceil((lp_bound - self.perturbation) / self.grid - 1e-6)

    def tolerance(self, value: float) -> float:
        return max(1e-9, self.rel_gap) * max(1.0, abs(value))

    def met(self, x: np.ndarray, lp_bound: float) -> bool:
        value = float(self.vector @ x)
        return value - self.bound(lp_bound) <= self.tolerance(value)

    def ceiling(self, lp_bound: float) -> float:
        """The most a placement that :meth:`met` accepts costs with the lottery's
        costs (they add at most ``perturbation``)."""
        bound = self.bound(lp_bound)
        return bound + 2 * self.tolerance(bound) + self.perturbation


def _lp_proof(vector: np.ndarray, grid: float | None, perturbation: float,
              rel_gap: float) -> _Proof | None:
    """The :class:`_Proof` for :func:`_milp`; ``None`` when the costs lie on no grid."""
    return None if grid is None else _Proof(vector, grid, perturbation, rel_gap)


def _levels(plain: _Problem, model: _Model):
    """The lexicographic levels of the placements, worst first: (name, coefficients)."""
    pair = plain.kind == PAIR
    rank = np.full(plain.n_columns, -1)
    rank[:plain.n_pairs] = model.pair_rank
    levels = [("unassigned", (plain.kind == UNASSIGNED).astype(float)),
              ("free", ((pair & (rank == 0)) | (plain.kind == FREE)).astype(float))]
    levels += [(f"rank {r}", (pair & (rank == r)).astype(float))
               for r in range(model.max_rank, 1, -1)]
    return [level for level in levels if level[1].any()]


def _solve_levels(problem: _Problem, plain: _Problem, model: _Model, rng,
                  options: Options, caps_grid: float | None,
                  deadline: float | None = None):
    """Leximin: fewest without a workshop, then fewest in a free place, then fewest at
    the last rank, then at the one before, and so on up to the second, then the least
    cap excess: one exact solve per level, each with the levels before it fixed at their
    optimum, the lottery breaking ties in the last one.

    The levels of the placements are solved on ``plain``, the model without the soft
    caps: there their slacks are free, so their rows cannot bind, and leaving them out
    keeps each level a transportation problem with a few cardinality rows. Pairs and
    « no workshop » columns come first and in the same order in both models.
    """
    if not problem.n_columns:
        return np.zeros(0), {"status": "optimal", "seconds": 0.0,
                                         "method": "highs-lex", "gap": 0.0, "levels": ()}
    steps = _level_steps(problem, plain, model, caps_grid)
    fixed, found, seconds, gap, status, methods = [], [], 0.0, 0.0, "optimal", set()
    x, closed = np.zeros(problem.n_columns), None
    for number, (target, name, vector, grid) in enumerate(steps):
        lottery = number == len(steps) - 1
        result = _solve_level(target, vector, grid, fixed, closed, model,
                              rng if lottery else None, options, deadline)
        x, seconds, value = result["x"], seconds + result["seconds"], result["value"]
        methods.add(result["method"])
        gap = max(gap, result["gap"])
        if result["status"] != "optimal":
            status = result["status"]
        found.append((name, value))
        if value == 0 and target is plain:
            closed = vector > 0 if closed is None else closed | (vector > 0)
        else:
            fixed.append((vector, value + 1e-6 * max(1.0, abs(value))))
    method = ("highs-lex-mip" if "highs-mip" in methods
              else "highs-lex-narrow" if "highs-lp-narrow" in methods else "highs-lex-lp")
    return x, {"status": status, "seconds": seconds,
                                        "method": method, "gap": gap,
                                        "levels": tuple(found)}


def _level_steps(problem: _Problem, plain: _Problem, model: _Model,
                 caps_grid: float | None) -> list[tuple[_Problem, str, np.ndarray, float]]:
    """The leximin solves in order: (programme, level name, objective, its grid)."""
    steps = [(plain, name, vector, 1.0) for name, vector in _levels(plain, model)]
    slack = np.isin(problem.kind, (PROFILE_SLACK, ORGANISATION_SLACK))
    if slack.any():
        steps.append((problem, "caps", np.where(slack, problem.cost, 0.0), caps_grid))
    if not steps:  # Everyone gets a first choice at no cost: only the lottery is left.
        steps = [(plain, "lottery", np.zeros(plain.n_columns), 1.0)]
    return steps


def _solve_level(target: _Problem, vector: np.ndarray, grid: float | None,
                 fixed: list[tuple[np.ndarray, float]], closed: np.ndarray | None,
                 model: _Model, rng, options: Options,
                 deadline: float | None = None) -> dict:
    """One leximin level: its optimum ``value`` on its grid with the levels before it
    ``fixed``, and the gap its bound proves; the lottery breaks ties when ``rng`` is
    given (the last level)."""
    noise, perturbation = (_lottery(target, rng, grid or 1e-3, len(model.as_att))
                           if rng is not None else (0.0, 0.0))
    padded = [(np.pad(v, (0, target.n_columns - len(v))), value) for v, value in fixed]
    result = _milp(target, vector + noise, padded, options, closed,
                   proven=_lp_proof(vector, grid, perturbation, options.mip_rel_gap),
                   deadline=deadline)
    value = float(vector @ result["x"])
    bound = result["bound"] - perturbation
    if grid is not None:
        value = grid * round(value / grid)
        bound = grid * math.ceil(bound / grid - 1e-6)
    gap = 0.0
    if value - bound > 1e-9 * max(1.0, abs(value)):
        gap = (value - bound) / (abs(bound) or abs(value))
    return {**result, "value": value, "gap": gap}


@dataclass
class _ProfileRows:
    """What the profile share's rows need: the (workshop, profile) pairs that get a row
    (``ws_rows``, ``profile_rows``), the pairs' rows, the locked counts, and where the
    size, slack and small-group columns start."""

    share: float
    least: int
    pair_profile: np.ndarray
    locked_profile: np.ndarray
    """(workshop, profile) → people locked there."""
    locked_size: np.ndarray
    most_size: np.ndarray
    """The largest group each workshop can hold, locked people included."""
    ws_rows: np.ndarray
    profile_rows: np.ndarray
    sized: np.ndarray
    """The workshops with a size column."""
    size_of: np.ndarray
    pair_row: np.ndarray
    """The share row of each pair, −1 for none."""
    small_of: np.ndarray
    """The small-group column of each workshop, −1 for none."""
    first_size: int = 0
    first_slack: int = 0
    first_small: int = 0

    @property
    def n_rows(self) -> int:
        return len(self.ws_rows)


class _Model:
    """Indexes the instance once; builds the MILP with sparse matrices."""

    def __init__(self, attendees, workshops, locks, facilitators, options: Options):
        self.options = options
        self.attendees = attendees
        self.workshops = workshops
        self._index_workshops()
        self._index_attendees()
        self._fix_placements(locks, facilitators)
        self._ranked_pairs()
        self.n_flows = 0
        if options.allow_unranked and self._free_places_by_type():
            self._free_types()
        elif options.allow_unranked:
            self._add_free_pairs()

    def _index_workshops(self) -> None:
        """Workshop and slot numbers, places, themes and series as arrays."""
        workshops = self.workshops
        self.ws_index = {w.id: i for i, w in enumerate(workshops)}
        if len(self.ws_index) != len(workshops):
            raise AssignmentError("two workshops share an id")
        self.slot_index: dict[Hashable, int] = {}
        for w in workshops:
            self.slot_index.setdefault(w.slot_id, len(self.slot_index))
        self.slot_ids = list(self.slot_index)
        self.ws_slot = np.array([self.slot_index[w.slot_id] for w in workshops],
                                dtype=np.int64)
        self.capacity = np.array([w.capacity for w in workshops], dtype=np.int64)
        if (self.capacity < 0).any():
            raise AssignmentError("a workshop capacity is negative")
        self.ws_theme, self.n_themes = _codes(w.theme for w in workshops)
        self.ws_series, self.n_series = _codes(w.series for w in workshops)

    def _index_attendees(self) -> None:
        """Attendee numbers, profiles and organisations as codes."""
        attendees = self.attendees
        self.att_index = {a.id: i for i, a in enumerate(attendees)}
        if len(self.att_index) != len(attendees):
            raise AssignmentError("two attendees share an id")
        self.att_profile, self.n_profiles = _codes(a.profile for a in attendees)
        self.att_org, self.n_orgs = _codes(a.organisation for a in attendees)

    def _fix_placements(self, locks, facilitators) -> None:
        """Fixed placements, facilitators first, then locks (one per attendee and slot),
        and the places they leave in each workshop."""
        self.fixed: dict[tuple[Hashable, int], tuple[int, str]] = {}
        used = np.zeros(len(self.workshops), dtype=np.int64)
        locked_ws, locked_att = [], []
        for f in facilitators:
            w = self._workshop(f.workshop_id)
            self._fix(f.attendee_id, w, "pre-assigned")
            used[w] += f.takes_place
        for attendee_id, targets in locks.items():
            if attendee_id not in self.att_index:
                raise AssignmentError(f"lock for unknown attendee {attendee_id!r}")
            if isinstance(targets, (str, bytes)) or not isinstance(targets, Iterable):
                targets = [targets]
            for target in targets:
                w = self._workshop(target)
                self._fix(attendee_id, w, "locked")
                used[w] += 1
                locked_ws.append(w)
                locked_att.append(self.att_index[attendee_id])
        over = np.flatnonzero(used > self.capacity)
        if len(over):
            w = self.workshops[over[0]]
            raise AssignmentError(f"locks and facilitators fill workshop {w.id!r} beyond "
                                  f"its {w.capacity} places")
        self.remaining = self.capacity - used
        self.locked_ws = np.array(locked_ws, dtype=np.int64)
        self.locked_att = np.array(locked_att, dtype=np.int64)

    def _ranked_pairs(self) -> None:
        """Attendee-slots in play, and one candidate pair per ranked workshop."""
        pair_as, pair_ws, pair_rank = self._read_choices()
        wrong = np.flatnonzero(self.ws_slot[pair_ws] != self.as_slot[pair_as])
        if len(wrong):
            attendee = self.attendees[self.as_att[pair_as[wrong[0]]]]
            raise AssignmentError(f"{attendee.id!r} ranked workshop "
                                  f"{self.workshops[pair_ws[wrong[0]]].id!r} "
                                  "in another slot")
        # Keep each (attendee-slot, workshop) once, at its best rank, and only where a
        # place is left and neither its theme nor the workshop itself is already the
        # attendee's through a lock.
        order = np.lexsort((pair_rank, pair_ws, pair_as))
        pair_as, pair_ws, pair_rank = pair_as[order], pair_ws[order], pair_rank[order]
        first = np.ones(len(order), dtype=bool)
        first[1:] = (pair_as[1:] != pair_as[:-1]) | (pair_ws[1:] != pair_ws[:-1])
        keep = first & (self.remaining[pair_ws] > 0) & self._open(pair_as, pair_ws)
        self.pair_as, self.pair_ws, self.pair_rank = (pair_as[keep], pair_ws[keep],
                                                      pair_rank[keep])

    def _read_choices(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The attendee-slots in play (``as_att``, ``as_slot``: not fixed, in a slot with
        workshops) and their ranked pairs as they were given."""
        as_att, as_slot, pair_as, pair_ws, pair_rank = [], [], [], [], []
        for a, attendee in enumerate(self.attendees):
            for slot_id, choices in attendee.choices.items():
                s = self.slot_index.get(slot_id)
                if s is None:
                    if choices:
                        raise AssignmentError(f"unknown slot {slot_id!r}")
                    continue  # A slot without workshops: nothing to place anyone in.
                if (attendee.id, s) in self.fixed:
                    continue
                k = len(as_att)
                as_att.append(a)
                as_slot.append(s)
                pair_as.extend([k] * len(choices))
                pair_ws.extend(choices)
                pair_rank.extend(range(1, len(choices) + 1))
        self.max_rank = max((len(c) for a in self.attendees for c in a.choices.values()),
                            default=1) or 1
        try:
            pair_ws = np.array([self.ws_index[w] for w in pair_ws], dtype=np.int64)
        except KeyError as error:
            raise AssignmentError(f"unknown workshop {error.args[0]!r}") from None
        self.as_att = np.array(as_att, dtype=np.int64)
        self.as_slot = np.array(as_slot, dtype=np.int64)
        return (np.array(pair_as, dtype=np.int64), pair_ws,
                np.array(pair_rank, dtype=np.int64))

    def _free_places_by_type(self) -> bool:
        """Whether free places can go through one column per attendee-slot and one per
        type and workshop (below) rather than a pair per attendee-slot and workshop:
        when no workshop with room is bound by a theme or a series (those rows are per
        person), and a free place costs at least any rank (so a type's free place that
        lands in a workshop its holder ranked is never worse)."""
        costs = resolve_costs(self.options, self.max_rank)
        if costs.free_place < max(costs.ranks):
            return False
        open_ws = self.remaining > 0
        return all(not (ws_key[open_ws] >= 0).any() for ws_key, _ in self._once_keys())

    def _free_types(self) -> None:
        """Free places by type: the attendee-slots of one slot, profile and organisation
        (an organisation too small ever to exceed its cap counts as none) are
        interchangeable in a free place, so a column ``g`` per attendee-slot says « free
        place » and a column ``f`` per type and workshop with room counts the type's free
        places there (``Σ_w f = Σ g`` per type). Every placement maps to such a solution
        at the same cost, and every solution to placements at no more cost: the model
        is exact, with (types × workshops) columns instead of (people × workshops)."""
        org = self.att_org[self.as_att]
        if self.options.max_per_organisation is None:
            org = np.full(len(org), -1)
        else:
            people = np.bincount(org, minlength=self.n_orgs)
            locked = np.bincount(self.att_org[self.locked_att], minlength=self.n_orgs)
            org = np.where((people + locked)[org] > self.options.max_per_organisation,
                           org, -1)
        profile = self.att_profile[self.as_att]
        keys = np.stack([self.as_slot, profile, org], axis=1)
        unique, self.as_type = np.unique(keys, axis=0, return_inverse=True)
        self.as_type = self.as_type.reshape(-1)
        self.type_slot, self.type_profile, self.type_org = unique.T
        self.type_size = np.bincount(self.as_type, minlength=len(unique))
        open_ws = np.flatnonzero(self.remaining > 0)
        flow_type, flow_ws = np.nonzero(self.type_slot[:, None] == self.ws_slot[open_ws])
        self.flow_type, self.flow_ws = flow_type, open_ws[flow_ws]
        self.n_flows = len(self.flow_type)

    def _add_free_pairs(self) -> None:
        """A free place (rank 0) for every attendee-slot in every workshop of its slot
        with room that it did not rank: one model, so the solver weighs a free place
        against every other move (a first stage that placed the ranked choices first
        could not, and missed optima)."""
        open_ws = np.flatnonzero(self.remaining > 0)
        open_ws = open_ws[np.argsort(self.ws_slot[open_ws], kind="stable")]
        per_slot = np.bincount(self.ws_slot[open_ws], minlength=len(self.slot_ids))
        starts = np.concatenate([[0], np.cumsum(per_slot)[:-1]])
        counts = per_slot[self.as_slot]
        free_as = np.repeat(np.arange(len(self.as_att)), counts)
        offsets = np.arange(len(free_as)) - np.repeat(np.cumsum(counts) - counts, counts)
        free_ws = open_ws[np.repeat(starts[self.as_slot], counts) + offsets]
        n_ws = len(self.workshops)
        new = (~np.isin(free_as * n_ws + free_ws, self.pair_as * n_ws + self.pair_ws)
               & self._open(free_as, free_ws))
        self.pair_as = np.concatenate([self.pair_as, free_as[new]])
        self.pair_ws = np.concatenate([self.pair_ws, free_ws[new]])
        self.pair_rank = np.concatenate([self.pair_rank,
                                         np.zeros(int(new.sum()), dtype=np.int64)])

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

    def _once_keys(self):
        """The workshop keys an attendee may hold once in the day: the workshop itself
        when it is given in several slots, and its theme with ``avoid_same_theme``."""
        keys = [(self.ws_series, self.n_series)]
        if self.options.avoid_same_theme:
            keys.append((self.ws_theme, self.n_themes))
        return keys

    def _open(self, pair_as, pair_ws) -> np.ndarray:
        """False for pairs whose theme or workshop the attendee already has by a lock."""
        keep = np.ones(len(pair_as), dtype=bool)
        if not len(self.locked_ws):
            return keep
        for ws_key, n_keys in self._once_keys():
            taken = self.locked_att * (n_keys + 1) + ws_key[self.locked_ws]
            taken = taken[ws_key[self.locked_ws] >= 0]
            keys = self.as_att[pair_as] * (n_keys + 1) + ws_key[pair_ws]
            keep &= (ws_key[pair_ws] < 0) | ~np.isin(keys, taken)
        return keep

    def in_play_keys(self) -> list[tuple[Hashable, Hashable]]:
        return [(self.attendees[a].id, self.slot_ids[s])
                for a, s in zip(self.as_att.tolist(), self.as_slot.tolist())]

    # Building the programme ------------------------------------------------------------

    def build(self, costs: Costs, caps: bool = True) -> _Problem:
        """The 0–1 programme, one row family per rule; without the soft caps' rows and
        columns when ``caps`` is false."""
        builder = _Builder()
        n_pairs, n_as = len(self.pair_as), len(self.as_att)
        pair_cost = np.array((costs.free_place, *costs.ranks))[self.pair_rank]
        builder.add_columns(PAIR, n_pairs, pair_cost, upper=1, integral=True)
        builder.add_columns(UNASSIGNED, n_as, costs.unassigned, upper=1)
        self._entrants(builder, costs)
        self._one_place_rows(builder)
        if self.n_flows:
            self._type_rows(builder)
        self._capacity_rows(builder)
        if caps and self.options.max_profile_share is not None:
            self._profile_rows(builder, costs)
        if caps and self.options.max_per_organisation is not None:
            self._organisation_rows(builder, costs)
        for ws_key, n_keys in self._once_keys():
            self._once_rows(builder, ws_key, n_keys)
        return builder.problem(n_pairs)

    def _entrants(self, builder: _Builder, costs: Costs) -> None:
        """The columns that put people in a workshop, for the workshops' rows: the pairs,
        and with free places by type, the type's free-place columns ``f`` (after a free
        column ``g`` per attendee-slot). ``ent_count`` is how many people one can bring."""
        pair_att = self.as_att[self.pair_as]
        self.ent_col = np.arange(len(self.pair_as))
        self.ent_ws, self.ent_count = self.pair_ws, np.ones(len(self.pair_as))
        self.ent_profile, self.ent_org = self.att_profile[pair_att], self.att_org[pair_att]
        if not self.n_flows:
            return
        n_as = len(self.as_att)
        self.first_free = builder.add_columns(FREE, n_as, costs.free_place, upper=1,
                                              integral=True)
        size = self.type_size[self.flow_type]
        self.first_flow = builder.add_columns(FLOW, self.n_flows, 0.0, integral=True,
                                              upper=np.minimum(size,
                                                               self.remaining[self.flow_ws]))
        self.ent_col = np.concatenate([self.ent_col,
                                       self.first_flow + np.arange(self.n_flows)])
        self.ent_ws = np.concatenate([self.ent_ws, self.flow_ws])
        self.ent_count = np.concatenate([self.ent_count, size])
        self.ent_profile = np.concatenate([self.ent_profile,
                                           self.type_profile[self.flow_type]])
        self.ent_org = np.concatenate([self.ent_org, self.type_org[self.flow_type]])

    def _one_place_rows(self, builder: _Builder) -> None:
        """Σ x + g + u = 1 per attendee-slot: every objective value is then a true cost."""
        n_pairs, n_as = len(self.pair_as), len(self.as_att)
        rows, cols = [self.pair_as, np.arange(n_as)], [np.arange(n_pairs + n_as)]
        if self.n_flows:
            rows.append(np.arange(n_as))
            cols.append(self.first_free + np.arange(n_as))
        rows = np.concatenate(rows)
        builder.add_rows(rows, np.concatenate(cols), np.ones(len(rows)),
                         np.ones(n_as), np.ones(n_as))

    def _type_rows(self, builder: _Builder) -> None:
        """Σ_w f[t, w] = Σ g over the type's attendee-slots, per type."""
        n_types, n_as = len(self.type_size), len(self.as_att)
        builder.add_rows(np.concatenate([self.flow_type, self.as_type]),
                         np.concatenate([self.first_flow + np.arange(self.n_flows),
                                         self.first_free + np.arange(n_as)]),
                         np.concatenate([np.ones(self.n_flows), -np.ones(n_as)]),
                         np.zeros(n_types), np.zeros(n_types))

    def _capacity_rows(self, builder: _Builder) -> None:
        """Σ x ≤ places left, only where the candidates outnumber the places."""
        n_ws = len(self.workshops)
        demand = np.bincount(self.ent_ws, weights=self.ent_count, minlength=n_ws)
        tight = np.flatnonzero(demand > self.remaining)
        row_of = np.full(n_ws, -1)
        row_of[tight] = np.arange(len(tight))
        in_row = np.flatnonzero(row_of[self.ent_ws] >= 0)
        builder.add_rows(row_of[self.ent_ws[in_row]], self.ent_col[in_row],
                         np.ones(len(in_row)),
                         np.full(len(tight), -np.inf), self.remaining[tight].astype(float))

    def _profile_rows(self, builder: _Builder, costs: Costs) -> None:
        """``count_p − share × size ≤ s`` where a workshop could be more than ``share`` p
        (locked people included: newcomers of other profiles dilute them), with its
        rounding cut; below ``min_group_size`` people a group has no share to keep."""
        rows = self._profile_facts()
        # A size column per workshop concerned keeps the rows sparse: each pair enters
        # its own profile's row only, not every profile row of its workshop.
        rows.first_size = builder.add_columns(SIZE, len(rows.sized), 0.0)
        rows.first_slack = builder.add_columns(PROFILE_SLACK, rows.n_rows, costs.profile)
        self._size_rows(builder, rows)
        self._small_group_rows(builder, rows)
        self._share_rows(builder, rows)
        self._rounding_cuts(builder, rows)

    def _profile_facts(self) -> _ProfileRows:
        """Which (workshop, profile) pairs could exceed the share, and the counts the
        rows need."""
        share = self.options.max_profile_share
        least = self.options.min_group_size or 0
        n_ws = len(self.workshops)
        pair_profile = self.ent_profile
        locked_profile = np.zeros((n_ws, self.n_profiles))
        np.add.at(locked_profile, (self.locked_ws, self.att_profile[self.locked_att]), 1)
        locked_size = locked_profile.sum(axis=1)
        cand = np.zeros((n_ws, self.n_profiles))
        np.add.at(cand, (self.ent_ws, pair_profile), self.ent_count)
        most_p = cand + locked_profile
        most_size = self.remaining + locked_size  # The largest group it can hold.
        can_exceed = (most_p > share * (most_p + locked_size[:, None] - locked_profile)
                      + 1e-9) & (most_size >= least)[:, None]
        ws_rows, profile_rows = np.nonzero(can_exceed)
        sized = np.unique(ws_rows)
        size_of = np.full(n_ws, -1)
        size_of[sized] = np.arange(len(sized))
        row_grid = np.full((n_ws, self.n_profiles), -1)
        row_grid[ws_rows, profile_rows] = np.arange(len(ws_rows))
        return _ProfileRows(share, least, pair_profile, locked_profile, locked_size,
                            most_size, ws_rows, profile_rows, sized, size_of,
                            row_grid[self.ent_ws, pair_profile],
                            np.full(n_ws, -1))

    def _size_rows(self, builder: _Builder, rows: _ProfileRows) -> None:
        """``y_w = Σ x`` over the workshop's pairs: its group's size."""
        n_sized = len(rows.sized)
        in_size = np.flatnonzero(rows.size_of[self.ent_ws] >= 0)
        builder.add_rows(
            np.concatenate([rows.size_of[self.ent_ws[in_size]], np.arange(n_sized)]),
            np.concatenate([self.ent_col[in_size], rows.first_size + np.arange(n_sized)]),
            np.concatenate([np.ones(len(in_size)), -np.ones(n_sized)]),
            np.zeros(n_sized), np.zeros(n_sized))

    def _small_group_rows(self, builder: _Builder, rows: _ProfileRows) -> None:
        """A small-group column z_w = 1 allows the group at most `least − 1` people (and
        lifts its share rows by what such a group can exceed, (1 − share)(least − 1))."""
        least = rows.least
        if least <= 1:
            return
        small = rows.sized[rows.locked_size[rows.sized] < least]
        rows.small_of[small] = np.arange(len(small))
        rows.first_small = builder.add_columns(SMALL, len(small), 0.0, upper=1,
                                               integral=True)
        room = rows.most_size[small] - (least - 1)
        builder.add_rows(np.concatenate([np.arange(len(small))] * 2),
                         np.concatenate([rows.first_size + rows.size_of[small],
                                         rows.first_small + np.arange(len(small))]),
                         np.concatenate([np.ones(len(small)), room]),
                         np.full(len(small), -np.inf),
                         least - 1 + room - rows.locked_size[small])

    def _share_rows(self, builder: _Builder, rows: _ProfileRows) -> None:
        """``count_p − share × y_w − allowance × z_w − s ≤ share × locked − locked_p``
        (``allowance × z_w``: a small group's lift)."""
        share, ws_rows, n_rows = rows.share, rows.ws_rows, rows.n_rows
        in_row = np.flatnonzero(rows.pair_row >= 0)
        lifted = np.flatnonzero(rows.small_of[ws_rows] >= 0)
        allowance = (1 - share) * (rows.least - 1)
        builder.add_rows(
            np.concatenate([rows.pair_row[in_row], np.arange(n_rows), np.arange(n_rows),
                            lifted]),
            np.concatenate([self.ent_col[in_row], rows.first_size + rows.size_of[ws_rows],
                            rows.first_slack + np.arange(n_rows),
                            (rows.first_small + rows.small_of[ws_rows[lifted]])
                            if len(lifted) else lifted]),
            np.concatenate([np.ones(len(in_row)), np.full(n_rows, -share),
                            -np.ones(n_rows), np.full(len(lifted), -allowance)]),
            np.full(n_rows, -np.inf),
            share * rows.locked_size[ws_rows]
            - rows.locked_profile[ws_rows, rows.profile_rows])

    def _rounding_cuts(self, builder: _Builder, rows: _ProfileRows) -> None:
        """The rounding cut (1 − f)(count_p − k) ≤ s, with k + f = share × the most the
        group can hold: every integer count meets it, the fractional counts that sit
        exactly on an odd group's half (5.5 of 11) do not."""
        ws_rows, pair_row = rows.ws_rows, rows.pair_row
        most = rows.share * rows.most_size[ws_rows]
        k = np.floor(most + 1e-9)
        weight = 1 - (most - k)
        cut_rows = np.flatnonzero(weight < 1 - 1e-9)
        cut_of = np.full(rows.n_rows, -1)
        cut_of[cut_rows] = np.arange(len(cut_rows))
        cuts = np.full(len(pair_row), -1)
        in_row = np.flatnonzero(pair_row >= 0)
        cuts[in_row] = cut_of[pair_row[in_row]]
        in_cut = np.flatnonzero(cuts >= 0)
        # A small group holds at most `least − 1` of one profile.
        lift = np.maximum(0.0, weight * (rows.least - 1 - k))[cut_rows]
        lifted = np.flatnonzero((rows.small_of[ws_rows[cut_rows]] >= 0) & (lift > 0))
        builder.add_rows(
            np.concatenate([cuts[in_cut], np.arange(len(cut_rows)), lifted]),
            np.concatenate([self.ent_col[in_cut], rows.first_slack + cut_rows,
                            (rows.first_small + rows.small_of[ws_rows[cut_rows[lifted]]])
                            if len(lifted) else lifted]),
            np.concatenate([weight[pair_row[in_cut]], -np.ones(len(cut_rows)),
                            -lift[lifted]]),
            np.full(len(cut_rows), -np.inf),
            (weight * (k - rows.locked_profile[ws_rows, rows.profile_rows]))[cut_rows])

    def _organisation_rows(self, builder: _Builder, costs: Costs) -> None:
        """``count_o − cap ≤ s``, where the candidates from o plus the locked exceed the
        cap; a locked group over the cap alone still gets its row, so the LP's objective
        (and bound) counts its excess like the report does."""
        cap = self.options.max_per_organisation
        # Free places of a type whose organisation can never exceed the cap: no row.
        with_org = np.flatnonzero(self.ent_org >= 0)
        n_pairs = len(with_org)
        keys = np.concatenate([self.ent_ws[with_org] * self.n_orgs + self.ent_org[with_org],
                               self.locked_ws * self.n_orgs + self.att_org[self.locked_att]])
        unique, inverse = np.unique(keys, return_inverse=True)
        candidates = np.bincount(inverse[:n_pairs], weights=self.ent_count[with_org],
                                 minlength=len(unique))
        locked = np.bincount(inverse[n_pairs:], minlength=len(unique))
        can_exceed = candidates + locked > cap
        n_rows = int(can_exceed.sum())
        row_of_key = np.full(len(unique), -1)
        row_of_key[can_exceed] = np.arange(n_rows)
        rows = row_of_key[inverse[:n_pairs]]
        in_row = np.flatnonzero(rows >= 0)
        first_slack = builder.add_columns(ORGANISATION_SLACK, n_rows, costs.organisation)
        builder.add_rows(np.concatenate([rows[in_row], np.arange(n_rows)]),
                         np.concatenate([self.ent_col[with_org[in_row]],
                                         first_slack + np.arange(n_rows)]),
                         np.concatenate([np.ones(len(in_row)), -np.ones(n_rows)]),
                         np.full(n_rows, -np.inf), cap - locked[can_exceed].astype(float))

    def _once_rows(self, builder: _Builder, ws_key: np.ndarray, n_keys: int) -> None:
        """Σ x ≤ 1 per attendee and key (theme, or a workshop given in several slots),
        only where the attendee has candidates with that key in two slots or more."""
        key = ws_key[self.pair_ws]
        keyed = np.flatnonzero(key >= 0)
        if not len(keyed):
            return
        n_slots = len(self.slot_ids)
        keys = self.as_att[self.pair_as[keyed]] * n_keys + key[keyed]
        unique, inverse = np.unique(keys, return_inverse=True)
        slot_keys = np.unique(inverse * n_slots + self.as_slot[self.pair_as[keyed]])
        slots_per_key = np.bincount(slot_keys // n_slots, minlength=len(unique))
        several = slots_per_key >= 2
        n_rows = int(several.sum())
        row_of_key = np.full(len(unique), -1)
        row_of_key[several] = np.arange(n_rows)
        rows = row_of_key[inverse]
        in_row = rows >= 0
        builder.add_rows(rows[in_row], keyed[in_row], np.ones(int(in_row.sum())),
                         np.full(n_rows, -np.inf), np.ones(n_rows))

    # Reading the solution --------------------------------------------------------------

    def fixed_placements(self) -> list[Placement]:
        placements = []
        attendee_by_id = {a.id: a for a in self.attendees}
        for (attendee_id, _slot), (w, source) in self.fixed.items():
            workshop = self.workshops[w]
            rank = None
            attendee = attendee_by_id.get(attendee_id)
            if attendee is not None and source == "locked":
                choices = list(attendee.choices.get(workshop.slot_id, ()))
                rank = choices.index(workshop.id) + 1 if workshop.id in choices else None
            placements.append(Placement(attendee_id, workshop.slot_id, workshop.id,
                                        source, rank))
        return placements

    def placements(self, x: np.ndarray) -> list[Placement]:
        """The solver's placements in a solution ``x`` of the built programme."""
        if not len(x):
            return []
        chosen = x[:len(self.pair_as)] > 0.5
        pair_as, pair_ws, pair_rank = (array[chosen] for array in
                                       (self.pair_as, self.pair_ws, self.pair_rank))
        placements = [Placement(self.attendees[a].id, self.slot_ids[s],
                                self.workshops[w].id, "solver", r or None, r == 0)
                      for a, s, w, r in zip(self.as_att[pair_as].tolist(),
                                            self.as_slot[pair_as].tolist(),
                                            pair_ws.tolist(), pair_rank.tolist())]
        if self.n_flows:
            placements += self._free_placements(x)
        return placements

    def _free_placements(self, x: np.ndarray) -> list[Placement]:
        """Each type's free places handed to its attendee-slots with ``g = 1``, each in a
        workshop it did not rank where one is left (else it is a ranked place, no worse:
        see :meth:`_free_types`)."""
        free = np.flatnonzero(x[self.first_free:self.first_free + len(self.as_att)] > 0.5)
        counts = np.round(x[self.first_flow:self.first_flow + self.n_flows]).astype(int)
        places: dict[int, list[int]] = defaultdict(list)
        for t, w, n in zip(self.flow_type.tolist(), self.flow_ws.tolist(), counts.tolist()):
            places[t].extend([w] * n)
        placements = []
        for k in free.tolist():
            attendee = self.attendees[self.as_att[k]]
            slot_id = self.slot_ids[self.as_slot[k]]
            ranked = [self.ws_index[w] for w in attendee.choices.get(slot_id, ())]
            left = places[int(self.as_type[k])]
            w = next((w for w in left if w not in ranked), left[0])
            left.remove(w)
            rank = ranked.index(w) + 1 if w in ranked else None
            placements.append(Placement(attendee.id, slot_id, self.workshops[w].id,
                                        "solver", rank, rank is None))
        return placements


def _codes(values: Iterable[Hashable | None]) -> tuple[np.ndarray, int]:
    """A code per distinct value (−1 for ``None``), and how many codes there are."""
    codes: dict[Hashable, int] = {}
    array = np.array([codes.setdefault(v, len(codes)) if v is not None else -1
                      for v in values], dtype=np.int64)
    return array, len(codes)
