"""The solver against a second exact model, written independently with PuLP and solved
by CBC, on random instances: equal optima required.

The PuLP model shares nothing with the solver but the cost numbers (``resolve_costs``):
one binary per attendee-slot and workshop it may get, an indicator « the group is big
enough for the profile share » with big-M rows instead of the solver's small-group
column and rounding cuts, the theme and « same workshop » rules summed over every slot
including the locked placements, and leximin as a sequence of PuLP solves.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pulp
import pytest
from pulp.apis.coin_api import pulp_cbc_path

from journee.workshops.assignment import (
    Attendee,
    Facilitator,
    Options,
    Workshop,
    assign_workshops,
    resolve_costs,
)

PROFILES = ("étudiant", "éducateur", "cadre")
THEMES = (None, "numérique", "droit", "famille")


def random_instance(seed: int):
    """Two slots of 3 or 4 workshops, up to 40 attendees, themes, one workshop given
    in both slots, locks and facilitators."""
    rng = np.random.default_rng(seed)
    workshops = []
    for slot in ("matin", "après-midi"):
        for i in range(int(rng.integers(3, 5))):
            workshops.append(Workshop(f"{slot}-{i}", slot, int(rng.integers(1, 7)),
                                      THEMES[int(rng.integers(0, 4))],
                                      "bis" if i == 0 else None))
    attendees = []
    for a in range(int(rng.integers(8, 41))):
        choices = {}
        for slot in ("matin", "après-midi"):
            ids = [w.id for w in workshops if w.slot_id == slot]
            k = int(rng.integers(0, 4))
            choices[slot] = [ids[i] for i in rng.permutation(len(ids))[:k]]
        attendees.append(Attendee(a, PROFILES[int(rng.integers(0, 3))],
                                  f"org{int(rng.integers(0, 4))}", choices))
    used = Counter()
    facilitators = []
    for w in workshops:
        if rng.random() < 0.3:
            takes = bool(rng.random() < 0.5)
            facilitators.append(Facilitator(f"anim-{w.id}", w.id, takes))
            used[w.id] += takes
    locks = {}
    for attendee in attendees:
        if rng.random() < 0.15:
            open_ws = [w.id for w in workshops if used[w.id] < w.capacity]
            if open_ws:
                target = open_ws[int(rng.integers(0, len(open_ws)))]
                locks[attendee.id] = target
                used[target] += 1
    options = Options(
        strategy=("first_choices", "fairness", "leximin")[seed % 3],
        allow_unranked=bool(rng.random() < 0.5),
        avoid_same_theme=bool(rng.random() < 0.5),
        max_profile_share=(None, 0.5, 0.4)[int(rng.integers(0, 3))],
        min_group_size=(None, 3, 4)[int(rng.integers(0, 3))],
        max_per_organisation=(None, 2, 3)[int(rng.integers(0, 3))],
        seed=seed)
    return attendees, workshops, locks, facilitators, options


class PulpModel:
    """The same rules, modelled the textbook way."""

    def __init__(self, attendees, workshops, locks, facilitators, options):
        self.options = options
        self.problem = problem = pulp.LpProblem("reference", pulp.LpMinimize)
        by_id = {w.id: w for w in workshops}
        max_rank = max((len(c) for a in attendees for c in a.choices.values()), default=1)
        self.max_rank = max(max_rank, 1)
        self.costs = resolve_costs(options, self.max_rank)
        led = {(f.attendee_id, by_id[f.workshop_id].slot_id) for f in facilitators}
        locked_slots = {(a, by_id[w].slot_id) for a, w in locks.items()}
        people = {a.id: a for a in attendees}
        taken = Counter(locks.values())
        taken.update(f.workshop_id for f in facilitators if f.takes_place)

        x, self.rank_of, self.u = {}, {}, {}
        for attendee in attendees:
            for slot, choices in attendee.choices.items():
                if (attendee.id, slot) in led | locked_slots:
                    continue
                u = problem.add_variable(f"u_{attendee.id}_{slot}", 0, 1, cat="Binary")
                self.u[attendee.id, slot] = u
                allowed = {w: r for r, w in reversed(list(enumerate(choices, start=1)))}
                if options.allow_unranked:
                    for w in workshops:
                        if w.slot_id == slot:
                            allowed.setdefault(w.id, 0)
                for w, rank in allowed.items():
                    x[attendee.id, slot, w] = problem.add_variable(
                        f"x_{attendee.id}_{slot}_{w}", 0, 1, cat="Binary")
                    self.rank_of[attendee.id, slot, w] = rank
        self.x = x
        rows = []
        for (a, slot), u in self.u.items():
            rows.append(pulp.lpSum(v for (b, s, _), v in x.items() if (b, s) == (a, slot))
                        + u == 1)
        members = {w.id: [(v, people[a]) for (a, _, wid), v in x.items() if wid == w.id]
                   for w in workshops}
        locked_members = {w.id: [people[a] for a, wid in locks.items() if wid == w.id]
                          for w in workshops}
        for w in workshops:
            rows.append(pulp.lpSum(v for v, _ in members[w.id]) + taken[w.id] <= w.capacity)
        for key_of, active in ((lambda w: w.series, True),
                               (lambda w: w.theme, options.avoid_same_theme)):
            if not active:
                continue
            for attendee in attendees:
                for key in {key_of(w) for w in workshops} - {None}:
                    fixed = sum(1 for a, wid in locks.items()
                                if a == attendee.id and key_of(by_id[wid]) == key)
                    chosen = [v for (a, _, wid), v in x.items()
                              if a == attendee.id and key_of(by_id[wid]) == key]
                    if chosen:
                        rows.append(pulp.lpSum(chosen) + fixed <= 1)
        self.excess = []
        share = options.max_profile_share
        for w in workshops:
            size = (pulp.lpSum(v for v, _ in members[w.id]) + len(locked_members[w.id]))
            most = len(members[w.id]) + len(locked_members[w.id])
            if share is not None:
                least = options.min_group_size or 1
                big = problem.add_variable(f"big_{w.id}", 0, 1, cat="Binary")
                # big = 0 forces a group below `least`; big = 1 applies the share.
                rows.append(size <= least - 1 + most * big)
                for p in PROFILES:
                    count = (pulp.lpSum(v for v, person in members[w.id] if person.profile == p)
                             + sum(1 for person in locked_members[w.id] if person.profile == p))
                    e = problem.add_variable(f"ep_{w.id}_{p}", 0)
                    rows.append(e >= count - share * size - most * (1 - big))
                    self.excess.append((self.costs.profile, e))
            cap = options.max_per_organisation
            if cap is not None:
                for o in {a.organisation for a in attendees}:
                    count = (pulp.lpSum(v for v, person in members[w.id]
                                        if person.organisation == o)
                             + sum(1 for person in locked_members[w.id]
                                   if person.organisation == o))
                    e = problem.add_variable(f"eo_{w.id}_{o}", 0)
                    rows.append(e >= count - cap)
                    self.excess.append((self.costs.organisation, e))
        for row in rows:
            problem += row

    def weighted(self):
        rank_cost = lambda r: self.costs.free_place if r == 0 else self.costs.rank(r)  # noqa: E731
        return (pulp.lpSum(rank_cost(self.rank_of[k]) * v for k, v in self.x.items())
                + self.costs.unassigned * pulp.lpSum(self.u.values())
                + pulp.lpSum(c * e for c, e in self.excess))

    def levels(self):
        yield pulp.lpSum(self.u.values())
        yield pulp.lpSum(v for k, v in self.x.items() if self.rank_of[k] == 0)
        for r in range(self.max_rank, 1, -1):
            yield pulp.lpSum(v for k, v in self.x.items() if self.rank_of[k] == r)
        yield pulp.lpSum(c * e for c, e in self.excess)

    def solve(self, objective):
        self.problem.setObjective(objective)
        # The CBC binary bundled with PuLP, through the solver class PuLP 4 keeps.
        status = self.problem.solve(pulp.COIN_CMD(path=pulp_cbc_path, msg=False))
        assert pulp.LpStatus[status] == "Optimal"
        return pulp.value(objective) or 0.0

    def optimum(self):
        if self.options.strategy != "leximin":
            return self.solve(self.weighted())
        values = []
        for level in self.levels():
            value = self.solve(level)
            values.append(round(value, 6))
            self.problem += level <= value + 1e-6
        return tuple(values)


def solver_key(result, reference):
    """The leximin key of the solver's placements, as the reference counts it."""
    placed = [p for p in result.placements if p.source == "solver"]
    ranks = Counter(p.rank for p in placed if not p.free)
    costs = {"profile": reference.costs.profile,
             "organisation": reference.costs.organisation}
    caps = sum(costs[e.kind] * e.excess for w in result.report.workshops for e in w.exceeded)
    return (len(result.unassigned), sum(p.free for p in placed),
            *(ranks[r] for r in range(reference.max_rank, 1, -1)), caps)


@pytest.mark.parametrize("seed", range(60))
def test_solver_agrees_with_an_independent_cbc_model(seed):
    attendees, workshops, locks, facilitators, options = random_instance(seed)
    result = assign_workshops(attendees, workshops, locks=locks, facilitators=facilitators,
                              options=options)
    reference = PulpModel(attendees, workshops, locks, facilitators, options)
    expected = reference.optimum()
    assert result.report.gap == 0 and result.report.status == "optimal"
    if options.strategy == "leximin":
        key = solver_key(result, reference)
        assert key[:-1] == expected[:-1]
        assert key[-1] == pytest.approx(expected[-1], abs=1e-6)
    else:
        assert result.report.objective == pytest.approx(expected, abs=1e-6)
