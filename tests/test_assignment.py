"""The workshop assignment: known optima, brute force, rules the solver must keep."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest

from journee.workshops.assignment import (
    NBSP, AssignmentError, Attendee, Facilitator, Options, Workshop, assign_workshops,
    evaluate, report_text, resolve_costs, serial_dictatorship,
)


def brute_force(attendees, workshops, options, locks=None, facilitators=()):
    """The least objective over every possible placement, computed the plain way.

    Shares only the cost numbers (``resolve_costs``) with the solver: each attendee-slot
    takes one of its ranked workshops (any workshop of the slot with ``allow_unranked``)
    or none; capacities and themes are checked, then the objective is summed directly.
    """
    locks = locks or {}
    by_id = {w.id: w for w in workshops}
    max_rank = max((len(c) for a in attendees for c in a.choices.values()), default=1)
    costs = resolve_costs(options, max_rank)
    fixed = {(f.attendee_id, by_id[f.workshop_id].slot_id): f.workshop_id
             for f in facilitators}
    fixed.update({(a, by_id[w].slot_id): w for a, w in locks.items()})
    used = Counter(locks.values())
    used.update(f.workshop_id for f in facilitators if f.takes_place)
    people = {a.id: a for a in attendees}

    decisions = []  # (attendee, slot, [(workshop or None, cost)])
    for attendee in attendees:
        for slot, choices in attendee.choices.items():
            if (attendee.id, slot) in fixed:
                continue
            ranked = {}
            for rank, workshop in enumerate(choices, start=1):
                ranked.setdefault(workshop, costs.rank(rank))
            if options.allow_unranked:
                for w in workshops:
                    if w.slot_id == slot:
                        ranked.setdefault(w.id, costs.free_place)
            decisions.append((attendee.id, slot,
                              [*ranked.items(), (None, costs.unassigned)]))

    best = float("inf")
    for combination in itertools.product(*(d[2] for d in decisions)):
        count = Counter(used)
        members = {w.id: [people[a] for a, w_id in locks.items() if w_id == w.id]
                   for w in workshops}
        themes = Counter()
        for (a, slot), w_id in fixed.items():
            if a in people and (a, slot) in {(x, by_id[y].slot_id) for x, y in locks.items()}:
                themes[a, by_id[w_id].theme] += 1
        total = 0.0
        for (attendee_id, slot, _), (w_id, cost) in zip(decisions, combination):
            total += cost
            if w_id is not None:
                count[w_id] += 1
                members[w_id].append(people[attendee_id])
                themes[attendee_id, by_id[w_id].theme] += 1
        if any(count[w.id] > w.capacity for w in workshops):
            continue
        if options.avoid_same_theme and any(
                n > 1 for (a, theme), n in themes.items() if theme is not None):
            continue
        for group in members.values():
            if options.max_profile_share is not None:
                for n in Counter(p.profile for p in group).values():
                    total += costs.profile * max(0.0, n - options.max_profile_share * len(group))
            if options.max_per_organisation is not None:
                for n in Counter(p.organisation for p in group).values():
                    total += costs.organisation * max(0, n - options.max_per_organisation)
        best = min(best, total)
    return best


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


def person(id, choices, profile="éducateur", organisation=None, slot="matin"):
    return Attendee(id, profile, organisation or f"org-{id}",
                    choices if isinstance(choices, dict) else {slot: choices})


def rooms(*capacities, slot="matin"):
    return [Workshop(name, slot, capacity)
            for name, capacity in zip("ABCDEFGH", capacities)]


def placed(result):
    return {(p.attendee_id, p.slot_id): p.workshop_id for p in result.placements}


def test_everyone_gets_a_first_choice_when_rooms_allow():
    attendees = [person(1, ["A", "B"]), person(2, ["B", "A"]), person(3, ["A", "B"])]
    result = assign_workshops(attendees, rooms(2, 1), options=Options(seed=1))
    assert placed(result) == {(1, "matin"): "A", (2, "matin"): "B", (3, "matin"): "A"}
    report = result.report
    assert report.overall.first_choice == 3
    assert report.objective == 0
    assert report.gap == 0 and report.status == "optimal"


def test_strategies_trade_first_choices_against_fairness():
    # P first and Q last, or both second: the two strategies disagree.
    attendees = [person("P", ["X", "Y"]), person("Q", ["V", "X", "Y"])]
    workshops = [Workshop("X", "matin", 1), Workshop("Y", "matin", 1),
                 Workshop("V", "matin", 0)]
    first = assign_workshops(attendees, workshops, options=Options(seed=1))
    fair = assign_workshops(attendees, workshops, options=Options(strategy="fairness",
                                                                  seed=1))
    assert placed(first) == {("P", "matin"): "X", ("Q", "matin"): "Y"}
    assert placed(fair) == {("P", "matin"): "Y", ("Q", "matin"): "X"}
    explicit = assign_workshops(attendees, workshops,
                                options=Options(rank_costs=[0, 1, 4], seed=1))
    assert placed(explicit) == placed(fair)


def eight_people():
    profiles = ["étudiant", "éducateur", "assistant social"]
    choices = [["A", "B", "C"], ["A", "C"], ["B", "A"], ["A"], ["C", "B", "A"],
               ["A", "B"], ["B", "C", "A"], ["A", "C", "B"]]
    return [person(i, c, profiles[i % 3], f"org-{i % 2}") for i, c in enumerate(choices)]


@pytest.mark.parametrize("options", [
    Options(seed=3),
    Options(seed=3, strategy="fairness"),
    Options(seed=3, max_profile_share=0.5, max_per_organisation=1),
    Options(seed=3, max_profile_share=0.4, max_per_organisation=2, strategy="fairness"),
])
def test_objective_equals_brute_force(options):
    attendees, workshops = eight_people(), rooms(3, 2, 2)
    result = assign_workshops(attendees, workshops, options=options)
    check_rules(result, attendees, workshops)
    assert result.report.objective == pytest.approx(brute_force(attendees, workshops,
                                                                options))
    assert result.report.gap == 0
    assert result.report.bound == pytest.approx(result.report.objective)


def test_locks_are_honoured_even_against_the_locked_persons_interest():
    attendees, workshops = eight_people(), rooms(3, 2, 2)
    locks = {0: "C", 3: "B"}  # 3 ranked only A.
    options = Options(seed=3, max_profile_share=0.5)
    result = assign_workshops(attendees, workshops, locks=locks, options=options)
    check_rules(result, attendees, workshops, locks)
    sources = {p.attendee_id: (p.source, p.rank) for p in result.placements}
    assert sources[0] == ("locked", 3) and sources[3] == ("locked", None)
    assert result.report.objective == pytest.approx(
        brute_force(attendees, workshops, options, locks=locks))



def test_a_newcomer_dilutes_a_locked_group_of_one_profile():
    """Two students locked in A exceed the 50 % share until someone else joins them: the
    solver must see that moving the éducateur to their second choice pays."""
    attendees = [person("s1", ["A"], "étudiant"), person("s2", ["A"], "étudiant"),
                 person("x", ["B", "A"], "éducateur")]
    options = Options(seed=1, max_profile_share=0.5, profile_penalty=4)
    locks = {"s1": "A", "s2": "A"}
    result = assign_workshops(attendees, rooms(3, 3), locks=locks, options=options)
    placed = {p.attendee_id: p.workshop_id for p in result.placements}
    assert placed["x"] == "A"
    assert result.report.objective == pytest.approx(
        brute_force(attendees, rooms(3, 3), options, locks=locks)) == 3
    assert result.report.gap == 0


def test_everyone_locked_leaves_nothing_to_solve_and_reports_the_locked_excess():
    attendees = [person(i, ["A"], "étudiant", organisation="IRTS") for i in range(4)]
    locks = {i: "A" for i in range(4)}
    options = Options(seed=1, max_profile_share=0.5, max_per_organisation=3)
    result = assign_workshops(attendees, rooms(4), locks=locks, options=options)
    assert {p.source for p in result.placements} == {"locked"}
    assert result.unassigned == []
    # Four students (2 above the share) from one organisation (1 above the cap).
    assert result.report.objective == pytest.approx(2 * 1 + 1 * 1)
    assert result.report.gap == 0

def test_facilitators_do_not_take_places_unless_told():
    attendees = [person(i, ["A"]) for i in range(3)] + [person("f", ["B"])]
    facilitator = Facilitator("f", "A")
    result = assign_workshops(attendees, rooms(2, 5), facilitators=[facilitator],
                              options=Options(seed=1))
    assert ("f", "matin", "A", "pre-assigned") in {
        (p.attendee_id, p.slot_id, p.workshop_id, p.source) for p in result.placements}
    assert sum(p.workshop_id == "A" and p.source == "solver" for p in result.placements) == 2
    assert result.report.overall.total == 3  # Leading is not attending.

    taking = Facilitator("f", "A", takes_place=True)
    result = assign_workshops(attendees, rooms(2, 5), facilitators=[taking],
                              options=Options(seed=1))
    check_rules(result, attendees, rooms(2, 5), facilitators=[taking])
    assert sum(p.workshop_id == "A" and p.source == "solver" for p in result.placements) == 1
    assert result.report.workshops[0].size == 2
    assert result.report.workshops[0].facilitators == 1


def test_same_seed_same_placements_and_ties_follow_the_seed():
    attendees = [person(i, ["A", "B"]) for i in range(6)]
    workshops = rooms(3, 3)
    runs = {seed: placed(assign_workshops(attendees, workshops, options=Options(seed=seed)))
            for seed in range(12)}
    again = placed(assign_workshops(attendees, workshops, options=Options(seed=5)))
    assert again == runs[5]
    assert len({tuple(sorted(r.items())) for r in runs.values()}) > 1
    assert assign_workshops(attendees, workshops, options=Options(seed=5)).report.seed == 5
    assert assign_workshops(attendees, workshops).report.seed is not None


def test_profile_share_is_respected_when_it_can_be():
    attendees = ([person(f"s{i}", ["A", "B"], "étudiant") for i in range(4)]
                 + [person(f"p{i}", ["A", "B"], "éducateur") for i in range(4)])
    result = assign_workshops(attendees, rooms(4, 4),
                              options=Options(seed=2, max_profile_share=0.5))
    for workshop in result.report.workshops:
        assert workshop.profiles == {"éducateur": 2, "étudiant": 2}
        assert workshop.exceeded == ()
    assert result.report.overall.unassigned == 0


def test_caps_that_cannot_hold_are_reported_not_fatal():
    attendees = [person(i, ["A"], organisation="Conseil départemental") for i in range(5)]
    result = assign_workshops(attendees, rooms(5),
                              options=Options(seed=2, max_per_organisation=3,
                                              max_profile_share=0.5))
    assert result.report.overall.first_choice == 5
    workshop = result.report.workshops[0]
    assert workshop.largest_organisation == ("Conseil départemental", 5)
    excess = {e.kind: e for e in workshop.exceeded}
    assert excess["organisation"].excess == 2
    assert excess["profile"].count == 5 and excess["profile"].excess == 2.5
    assert result.report.gap == 0


def test_unassigned_are_reported_when_places_run_short():
    attendees = [person(i, ["A", "B"], ["étudiant", "cadre"][i % 2]) for i in range(5)]
    result = assign_workshops(attendees, rooms(2, 1), options=Options(seed=4))
    assert len(result.unassigned) == 2
    report = result.report
    assert report.overall.unassigned == 2 and report.overall.total == 5
    assert report.overall.share(report.overall.unassigned) == pytest.approx(0.4)
    assert sum(s.unassigned for s in report.by_profile.values()) == 2


def test_allow_unranked_gives_a_flagged_free_place():
    attendees = [person(1, ["A"]), person(2, ["A"]), person(3, ["B"])]
    without = assign_workshops(attendees, rooms(1, 1, 3), options=Options(seed=1))
    assert len(without.unassigned) == 1
    result = assign_workshops(attendees, rooms(1, 1, 3),
                              options=Options(seed=1, allow_unranked=True))
    assert result.unassigned == []
    free = [p for p in result.placements if p.free]
    assert len(free) == 1 and free[0].workshop_id == "C" and free[0].rank is None
    assert result.report.overall.outside_choices == 1
    check_rules(result, attendees, rooms(1, 1, 3))


def test_several_slots_without_the_same_theme_twice():
    workshops = [Workshop("M1", "matin", 5, "numérique"), Workshop("M2", "matin", 5, "droit"),
                 Workshop("S1", "après-midi", 5, "numérique"),
                 Workshop("S2", "après-midi", 5, "famille")]
    attendees = [person(i, {"matin": ["M1", "M2"], "après-midi": ["S1", "S2"]})
                 for i in range(3)]
    free_to_repeat = assign_workshops(attendees, workshops, options=Options(seed=1))
    assert free_to_repeat.report.overall.first_choice == 6
    result = assign_workshops(attendees, workshops,
                              options=Options(seed=1, avoid_same_theme=True))
    for attendee in attendees:
        themes = [w.theme for w in workshops
                  if (attendee.id, w.slot_id) in placed(result)
                  and placed(result)[attendee.id, w.slot_id] == w.id]
        assert len(themes) == 2 and len(set(themes)) == 2
    assert result.report.overall.first_choice == 3
    options = Options(seed=1, avoid_same_theme=True, max_per_organisation=1)
    result = assign_workshops(attendees, workshops, options=options)
    assert result.report.objective == pytest.approx(brute_force(attendees, workshops,
                                                                options))


def test_bad_input_is_refused():
    attendees = [person(1, ["A"]), person(2, ["Z"])]
    with pytest.raises(AssignmentError, match="Z"):
        assign_workshops(attendees, rooms(1))
    with pytest.raises(AssignmentError, match="beyond"):
        assign_workshops([person(1, ["A"]), person(2, ["A"])], rooms(1),
                         locks={1: "A", 2: "A"})
    with pytest.raises(AssignmentError, match="another slot"):
        assign_workshops([person(1, ["A"], slot="soir")],
                         rooms(1) + [Workshop("S", "soir", 1)])
    with pytest.raises(AssignmentError, match="strategy"):
        assign_workshops([person(1, ["A"])], rooms(1), options=Options(strategy="speed"))


def test_serial_dictatorship_is_measured_like_the_solver():
    attendees = [person(i, ["A", "B", "C"]) for i in range(6)]
    workshops = rooms(2, 2, 1)
    lottery = serial_dictatorship(attendees, workshops, seed=7)
    assert lottery == serial_dictatorship(attendees, workshops, seed=7)
    report = evaluate(attendees, workshops, lottery)
    assert report.overall.ranks == (2, 2, 1) and report.overall.unassigned == 1
    solved = assign_workshops(attendees, workshops, options=Options(seed=7)).report
    assert solved.objective <= report.objective


def test_report_text_is_french():
    attendees = [person(i, ["A", "B"], ["étudiant", "cadre"][i % 2]) for i in range(5)]
    result = assign_workshops(attendees, rooms(2, 2), options=Options(seed=4))
    text = report_text(result.report)
    assert f"Premier choix{NBSP}: 40,0{NBSP}%" in text
    assert f"Sans atelier{NBSP}: 20,0{NBSP}% (1)" in text
    assert "graine 4" in text and "écart" in text
