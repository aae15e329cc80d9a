"""Random small instances: every rule holds and the solver matches brute force, for
every strategy, with free places, themes, a workshop given twice, locks and
facilitators."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.assignment import assert_optimal, check_rules

from journee.workshops.assignment import (
    Attendee,
    Facilitator,
    Options,
    Workshop,
    assign_workshops,
)

PROFILES = ("étudiant", "éducateur", "cadre")
ORGANISATIONS = ("CD", "IRTS", "CCAS")


@st.composite
def instances(draw):
    n_workshops = draw(st.integers(1, 3))
    two_slots = n_workshops > 1 and draw(st.booleans())
    # With two slots, the first and the last workshop may be one workshop given twice.
    repeated = two_slots and draw(st.booleans())
    workshops = [Workshop(f"W{i}", "après-midi" if two_slots and i == n_workshops - 1
                          else "matin", draw(st.integers(0, 3)),
                          draw(st.sampled_from([None, "numérique", "droit"])),
                          "bis" if repeated and i in (0, n_workshops - 1) else None)
                 for i in range(n_workshops)]
    slots = sorted({w.slot_id for w in workshops})
    allow_unranked = draw(st.booleans())
    # Two slots and free places multiply the cases to enumerate: keep those smaller.
    n_attendees = draw(st.integers(1, 7 - 2 * two_slots - 2 * allow_unranked))
    attendees = []
    for i in range(n_attendees):
        choices = {}
        for slot in slots:
            ids = [w.id for w in workshops if w.slot_id == slot]
            choices[slot] = draw(st.permutations(ids).flatmap(
                lambda order: st.integers(0, len(order)).map(lambda k: order[:k])))
        attendees.append(Attendee(i, draw(st.sampled_from(PROFILES)),
                                  draw(st.sampled_from(ORGANISATIONS)), choices))
    options = Options(
        strategy=draw(st.sampled_from(["first_choices", "fairness", "leximin"])),
        allow_unranked=allow_unranked,
        min_group_size=draw(st.sampled_from([None, 3])),
        max_profile_share=draw(st.sampled_from([None, 0.5, 0.34])),
        max_per_organisation=draw(st.sampled_from([None, 1, 2])),
        avoid_same_theme=draw(st.booleans()),
        seed=draw(st.integers(0, 2**16)))
    return attendees, workshops, options


@pytest.mark.slow
@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_solver_matches_brute_force(instance):
    attendees, workshops, options = instance
    result = assign_workshops(attendees, workshops, options=options)
    check_rules(result, attendees, workshops)
    assert_optimal(result, attendees, workshops, options)
    report = result.report
    assert report.overall.total == sum(len(a.choices) for a in attendees)
    assert report.overall.unassigned == len(result.unassigned)
    if options.avoid_same_theme:
        theme = {w.id: w.theme for w in workshops}
        taken = Counter((p.attendee_id, theme[p.workshop_id]) for p in result.placements
                        if theme[p.workshop_id] is not None)
        assert max(taken.values(), default=0) <= 1


@settings(max_examples=60, deadline=None, database=None)
@given(instances())
def test_free_places_leave_no_one_out_while_a_place_is_open(instance):
    attendees, workshops, options = instance
    options = Options(**{**options.__dict__, "allow_unranked": True,
                         "avoid_same_theme": False})
    workshops = [Workshop(w.id, w.slot_id, w.capacity, w.theme) for w in workshops]
    result = assign_workshops(attendees, workshops, options=options)
    check_rules(result, attendees, workshops)
    size = Counter(p.workshop_id for p in result.placements)
    for _, slot in result.unassigned:
        assert all(size[w.id] >= w.capacity for w in workshops if w.slot_id == slot)
    assert result.report.overall.outside_choices == sum(p.free for p in result.placements)


@st.composite
def instances_with_locks(draw):
    """The same instances, some attendees locked and some facilitators placed first, all
    within capacity: the mix rows then count people the solver does not place."""
    attendees, workshops, options = draw(instances())
    used = Counter()
    facilitators = []
    for workshop in workshops:
        if draw(st.booleans()):
            takes_place = workshop.capacity > 0 and draw(st.booleans())
            facilitators.append(Facilitator(f"animateur-{workshop.id}", workshop.id,
                                            takes_place))
            used[workshop.id] += takes_place
    locks = {}
    for attendee in attendees:
        open_workshops = [w.id for w in workshops
                          if w.slot_id in attendee.choices and used[w.id] < w.capacity]
        if open_workshops and draw(st.integers(0, 3)) == 0:
            locks[attendee.id] = draw(st.sampled_from(open_workshops))
            used[locks[attendee.id]] += 1
    return attendees, workshops, options, locks, facilitators


@pytest.mark.slow
@settings(max_examples=120, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(instances_with_locks())
def test_solver_matches_brute_force_around_locks_and_facilitators(instance):
    attendees, workshops, options, locks, facilitators = instance
    result = assign_workshops(attendees, workshops, locks=locks, facilitators=facilitators,
                              options=options)
    check_rules(result, attendees, workshops, locks, facilitators)
    assert_optimal(result, attendees, workshops, options, locks, facilitators)
