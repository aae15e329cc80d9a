"""Checking the workshop assignment the plain way: every placement scored by enumeration
(brute force), and the rules any solution must keep. Shared by the known-optima and the
property-based tests."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest

from journee.workshops.assignment import resolve_costs


def score(attendees, workshops, options, placed, locks=None, facilitators=()):
    """The objective and the leximin key of complete placements, computed the plain way.

    ``placed`` maps (attendee, slot) to a workshop id (``None``: no workshop) for every
    attendee-slot the solver decides; locks and facilitators are added here. Returns
    ``None`` when a hard rule breaks (capacity, theme, the same workshop twice).
    """
    locks = locks or {}
    by_id = {w.id: w for w in workshops}
    people = {a.id: a for a in attendees}
    max_rank = max((len(c) for a in attendees for c in a.choices.values()), default=1)
    costs = resolve_costs(options, max_rank)
    count = Counter(f.workshop_id for f in facilitators if f.takes_place)
    members = {w.id: [] for w in workshops}
    themes, series = Counter(), Counter()
    total, unassigned, free, ranks = 0.0, 0, 0, Counter()
    for attendee_id, workshop_id in locks.items():
        count[workshop_id] += 1
        members[workshop_id].append(people[attendee_id])
        themes[attendee_id, by_id[workshop_id].theme] += 1
        series[attendee_id, by_id[workshop_id].series] += 1
    for (attendee_id, slot), workshop_id in placed.items():
        choices = list(people[attendee_id].choices[slot])
        if workshop_id is None:
            total += costs.unassigned
            unassigned += 1
            continue
        count[workshop_id] += 1
        members[workshop_id].append(people[attendee_id])
        themes[attendee_id, by_id[workshop_id].theme] += 1
        series[attendee_id, by_id[workshop_id].series] += 1
        if workshop_id in choices:
            rank = choices.index(workshop_id) + 1
            total += costs.rank(rank)
            ranks[rank] += 1
        else:
            total += costs.free_place
            free += 1
    if any(count[w.id] > w.capacity for w in workshops):
        return None
    if any(n > 1 for (_, key), n in series.items() if key is not None):
        return None
    if options.avoid_same_theme and any(
            n > 1 for (_, theme), n in themes.items() if theme is not None):
        return None
    caps = 0.0
    for group in members.values():
        share = options.max_profile_share
        if share is not None and len(group) >= (options.min_group_size or 0):
            for n in Counter(p.profile for p in group).values():
                caps += costs.profile * max(0.0, n - share * len(group))
        if options.max_per_organisation is not None:
            for n in Counter(p.organisation for p in group).values():
                caps += costs.organisation * max(0, n - options.max_per_organisation)
    key = (unassigned, free, *(ranks[r] for r in range(max_rank, 1, -1)), round(caps, 9))
    return total + caps, key


def decisions(attendees, workshops, options, locks=None, facilitators=()):
    """Each attendee-slot to decide, with the workshops it may get (``None``: none)."""
    locks = locks or {}
    by_id = {w.id: w for w in workshops}
    fixed = {(f.attendee_id, by_id[f.workshop_id].slot_id) for f in facilitators}
    fixed |= {(a, by_id[w].slot_id) for a, w in locks.items()}
    slots = {w.slot_id for w in workshops}
    result = []
    for attendee in attendees:
        for slot, choices in attendee.choices.items():
            if (attendee.id, slot) in fixed or slot not in slots:
                continue
            options_here = list(dict.fromkeys(choices))
            if options.allow_unranked:
                options_here += [w.id for w in workshops
                                 if w.slot_id == slot and w.id not in options_here]
            result.append(((attendee.id, slot), [*options_here, None]))
    return result


def brute_force(attendees, workshops, options, locks=None, facilitators=()):
    """The least objective over every possible placement (for ``leximin``: the least
    key), by enumeration; shares only the cost numbers (``resolve_costs``) with the
    solver."""
    keys = decisions(attendees, workshops, options, locks, facilitators)
    best = None
    for combination in itertools.product(*(d[1] for d in keys)):
        scored = score(attendees, workshops, options,
                       dict(zip((d[0] for d in keys), combination)), locks, facilitators)
        if scored is None:
            continue
        value = scored[1] if options.strategy == "leximin" else scored[0]
        if best is None or value < best:
            best = value
    return best


def solved_score(result, attendees, workshops, options, locks=None, facilitators=()):
    """``score`` of the solver's own placements."""
    placed = {p: None for p, _ in decisions(attendees, workshops, options, locks,
                                            facilitators)}
    placed.update({(p.attendee_id, p.slot_id): p.workshop_id for p in result.placements
                   if p.source == "solver"})
    return score(attendees, workshops, options, placed, locks, facilitators)


def assert_optimal(result, attendees, workshops, options, locks=None, facilitators=()):
    """The solver's placements score the brute-force optimum, and its report says so."""
    scored = solved_score(result, attendees, workshops, options, locks, facilitators)
    assert scored is not None
    expected = brute_force(attendees, workshops, options, locks, facilitators)
    if options.strategy == "leximin":
        assert scored[1][:-1] == expected[:-1]
        assert scored[1][-1] == pytest.approx(expected[-1])
    else:
        assert scored[0] == pytest.approx(expected)
        assert result.report.objective == pytest.approx(expected)
    assert result.report.gap == 0 and result.report.status == "optimal"


def check_rules(result, attendees, workshops, locks=None, facilitators=()):
    """Capacities, one workshop per slot, choices and locks: what must always hold."""
    by_id = {w.id: w for w in workshops}
    size = Counter(p.workshop_id for p in result.placements if p.source != "pre-assigned")
    size.update(f.workshop_id for f in facilitators if f.takes_place)
    for workshop in workshops:
        assert size[workshop.id] <= workshop.capacity
    keys = [(p.attendee_id, p.slot_id) for p in result.placements]
    assert len(keys) == len(set(keys))
    people = {a.id: a for a in attendees}
    for p in result.placements:
        assert by_id[p.workshop_id].slot_id == p.slot_id
        if p.source == "solver" and not p.free:
            assert people[p.attendee_id].choices[p.slot_id][p.rank - 1] == p.workshop_id
    for attendee_id, workshop_id in (locks or {}).items():
        slot = by_id[workshop_id].slot_id
        assert (attendee_id, slot, workshop_id, "locked") in {
            (p.attendee_id, p.slot_id, p.workshop_id, p.source) for p in result.placements}
