"""Random small instances: every rule holds and the solver matches brute force."""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_assignment import brute_force, check_rules

from journee.workshops.assignment import (
    Attendee, Facilitator, Options, Workshop, assign_workshops,
)

PROFILES = ("étudiant", "éducateur", "cadre")
ORGANISATIONS = ("CD", "IRTS", "CCAS")


@st.composite
def instances(draw):
    n_workshops = draw(st.integers(1, 3))
    two_slots = n_workshops > 1 and draw(st.booleans())
    workshops = [Workshop(f"W{i}", "après-midi" if two_slots and i == n_workshops - 1
                          else "matin", draw(st.integers(0, 3)),
                          draw(st.sampled_from([None, "numérique", "droit"])))
                 for i in range(n_workshops)]
    slots = sorted({w.slot_id for w in workshops})
    # Two slots multiply the cases to enumerate: keep those instances smaller.
    n_attendees = draw(st.integers(1, 5 if two_slots else 7))
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
        strategy=draw(st.sampled_from(["first_choices", "fairness"])),
        max_profile_share=draw(st.sampled_from([None, 0.5, 0.34])),
        max_per_organisation=draw(st.sampled_from([None, 1, 2])),
        avoid_same_theme=draw(st.booleans()),
        seed=draw(st.integers(0, 2**16)))
    return attendees, workshops, options


@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_solver_matches_brute_force(instance):
    attendees, workshops, options = instance
    result = assign_workshops(attendees, workshops, options=options)
    check_rules(result, attendees, workshops)
    report = result.report
    assert report.objective == brute_force(attendees, workshops, options) or abs(
        report.objective - brute_force(attendees, workshops, options)) < 1e-6
    assert report.gap == 0
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


@settings(max_examples=120, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(instances_with_locks())
def test_solver_matches_brute_force_around_locks_and_facilitators(instance):
    attendees, workshops, options, locks, facilitators = instance
    result = assign_workshops(attendees, workshops, locks=locks, facilitators=facilitators,
                              options=options)
    check_rules(result, attendees, workshops, locks, facilitators)
    expected = brute_force(attendees, workshops, options, locks, facilitators)
    assert abs(result.report.objective - expected) < 1e-6
    assert result.report.gap == 0
