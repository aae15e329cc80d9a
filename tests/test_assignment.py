"""The workshop assignment: known optima, brute force, rules the solver must keep."""

from __future__ import annotations

import numpy as np
import pytest
from support.assignment import assert_optimal, brute_force, check_rules

from journee.workshops import assignment
from journee.workshops.assignment import (
    AssignmentError,
    Attendee,
    Facilitator,
    Options,
    Workshop,
    assign_workshops,
    evaluate,
    serial_dictatorship,
)
from journee.workshops.report import NBSP, Names, report_text


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


def test_report_text_is_french_and_names_people_and_workshops():
    attendees = [person(i, ["A", "B"], ["étudiant", "cadre"][i % 2]) for i in range(5)]
    attendees.append(person("z", ["A"], "étudiant", organisation="Foyer"))
    locks = {0: "A", "z": "B"}
    options = Options(seed=4, max_per_organisation=0)
    result = assign_workshops(attendees, rooms(2, 2), locks=locks, options=options)
    names = Names(people={i: f"Personne {i}" for i in range(5)} | {"z": "Zoé Martin"},
                  workshops={"A": "n° 1 : Écrans", "B": "n° 2 : Droits"},
                  slots={"matin": "Ateliers du matin"},
                  profiles={"étudiant": "Étudiant·e", "cadre": "Cadre"})
    text = report_text(result.report, names, "first_choices").replace("\u202f", " ")
    assert text.startswith("Répartition optimale, priorité « Le plus de premiers "
                           f"choix », tirage au sort n°{NBSP}4")
    assert f"Premier choix{NBSP}: 33,3{NBSP}% (2)" in text
    assert f"Verrouillé par l’équipe{NBSP}: 2, dont 1 hors de ses choix" in text
    assert f"Place libre, hors de ses choix{NBSP}: 0" in text
    left_out = [f"Personne {i}" for i in range(5) if (i, "matin") in result.unassigned]
    assert len(left_out) == 2
    for who in left_out:
        assert (f"  {who} (Ateliers du matin){NBSP}: tous ses choix étaient complets"
                in text)
    assert f"  n° 2 : Droits{NBSP}: 2/2{NBSP}places" in text
    assert "structure « Foyer »" in text and "(dû aux personnes verrouillées)" in text
    assert f"  Étudiant·e (4{NBSP}places){NBSP}:" in text
    solver_words = ("objectif", "borne", "écart", "highs", "graine")
    body, details = text.split("Détails techniques")
    assert not any(word in body.lower() for word in solver_words)
    assert "borne" in details and "écart 0,00" in details


def test_free_places_are_exact_five_person_regression():
    """W1 has 1 place and W2 has 10; three people of structure X are locked in W2 with
    a cap of 3 per structure; A (X) and B (Y) both rank only W1. The best is A in W1 and
    B in a free place in W2 (cost 3): B in W1 puts a fourth X in W2 (cost 3 + 1)."""
    attendees = [person(f"x{i}", ["W1"], organisation="X") for i in range(3)]
    attendees += [person("A", ["W1"], organisation="X"), person("B", ["W1"], organisation="Y")]
    workshops = [Workshop("W1", "matin", 1), Workshop("W2", "matin", 10)]
    locks = {f"x{i}": "W2" for i in range(3)}
    for seed in range(6):
        options = Options(seed=seed, allow_unranked=True, max_per_organisation=3)
        result = assign_workshops(attendees, workshops, locks=locks, options=options)
        check_rules(result, attendees, workshops, locks)
        assert placed(result)["A", "matin"] == "W1"
        assert placed(result)["B", "matin"] == "W2"
        assert result.report.objective == 3
        assert_optimal(result, attendees, workshops, options, locks)


@pytest.mark.parametrize("strategy", ["first_choices", "leximin"])
@pytest.mark.parametrize("seed", range(4))
def test_free_places_by_type_find_the_optimum_of_one_pair_per_workshop(
        strategy, seed, monkeypatch):
    """Free places go through one column per type and workshop; the former model (a
    pair per attendee-slot and workshop with room) must find the same optimum."""
    rng = np.random.default_rng(seed)
    workshops = [Workshop(f"{s}{w}", s, int(rng.integers(1, 7)))
                 for s in ("matin", "soir") for w in range(5)]
    attendees = [Attendee(i, str(rng.choice(["étudiant", "cadre"])),
                          str(rng.choice(["X", "Y", "Z"])),
                          {s: [f"{s}{w}" for w in rng.permutation(5)[:2].tolist()]
                           for s in ("matin", "soir")})
                 for i in range(16)]
    locks = {0: "matin0", 1: "soir3"}
    options = Options(seed=seed, strategy=strategy, allow_unranked=True,
                      max_profile_share=0.5, max_per_organisation=2, min_group_size=3)
    by_type = assign_workshops(attendees, workshops, locks=locks, options=options)
    check_rules(by_type, attendees, workshops, locks)
    monkeypatch.setattr(assignment._Model, "_free_places_by_type", lambda self: False)
    by_pair = assign_workshops(attendees, workshops, locks=locks, options=options)
    assert by_type.report.status == by_pair.report.status == "optimal"
    assert by_type.report.objective == pytest.approx(by_pair.report.objective)
    assert by_type.report.levels == by_pair.report.levels  # Leximin: free places too.


def two_slots():
    """Four people, two slots of two workshops; « écrans » runs in both slots."""
    workshops = [Workshop("M1", "matin", 2, "numérique", "écrans"),
                 Workshop("M2", "matin", 1, "droit"),
                 Workshop("S1", "après-midi", 1, "numérique", "écrans"),
                 Workshop("S2", "après-midi", 2, "famille")]
    choices = [({"matin": ["M1", "M2"], "après-midi": ["S1"]}, "étudiant", "IRTS"),
               ({"matin": ["M2"], "après-midi": ["S1", "S2"]}, "étudiant", "IRTS"),
               ({"matin": ["M1"], "après-midi": ["S2", "S1"]}, "cadre", "CD"),
               ({"matin": [], "après-midi": ["S1"]}, "étudiant", "CD")]
    attendees = [Attendee(i, profile, organisation, c)
                 for i, (c, profile, organisation) in enumerate(choices)]
    return attendees, workshops


@pytest.mark.parametrize("strategy", ["first_choices", "fairness", "leximin"])
@pytest.mark.parametrize("allow_unranked", [False, True])
@pytest.mark.parametrize("avoid_same_theme", [False, True])
def test_two_slots_with_free_places_match_brute_force(strategy, allow_unranked,
                                                      avoid_same_theme):
    attendees, workshops = two_slots()
    options = Options(seed=5, strategy=strategy, allow_unranked=allow_unranked,
                      avoid_same_theme=avoid_same_theme, max_profile_share=0.5,
                      max_per_organisation=1)
    result = assign_workshops(attendees, workshops, options=options)
    check_rules(result, attendees, workshops)
    assert_optimal(result, attendees, workshops, options)
    if allow_unranked:
        assert all(p.rank is None for p in result.placements if p.free)


def test_the_same_workshop_is_not_given_twice():
    """« écrans » runs in both slots: a person ranking it first twice gets it once."""
    attendees = [person(1, {"matin": ["M1", "M2"], "après-midi": ["S1", "S2"]})]
    workshops = [Workshop("M1", "matin", 5, series="écrans"), Workshop("M2", "matin", 5),
                 Workshop("S1", "après-midi", 5, series="écrans"),
                 Workshop("S2", "après-midi", 5)]
    options = Options(seed=1)
    result = assign_workshops(attendees, workshops, options=options)
    assert sorted(p.workshop_id for p in result.placements) in (["M1", "S2"], ["M2", "S1"])
    assert_optimal(result, attendees, workshops, options)
    locked = assign_workshops(attendees, workshops, locks={1: "S1"}, options=options)
    assert placed(locked) == {(1, "matin"): "M2", (1, "après-midi"): "S1"}


def test_a_slot_without_workshops_is_no_ones_loss():
    attendees = [person(1, {"matin": ["A"], "soir": []}), person(2, {"matin": ["A"]})]
    result = assign_workshops(attendees, rooms(2), options=Options(seed=1))
    assert result.unassigned == []
    assert result.report.overall.unassigned == 0 and result.report.overall.total == 2
    assert result.report.gap == 0 and result.report.objective == 0


def test_someone_alone_keeps_a_first_choice_below_the_minimum_group_size():
    """Alone in A, the éducateur is 100 % of A's group; with three ranks, the fairness
    penalty of that share (0.5 × 4) outweighs a second choice (1)."""
    attendees = [person("x", ["A", "B", "C"], "éducateur"),
                 person("s1", ["B", "C"], "étudiant"), person("s2", ["B", "C"], "étudiant")]
    workshops = rooms(5, 5, 5)
    strict = Options(seed=1, strategy="fairness", max_profile_share=0.5)
    assert placed(assign_workshops(attendees, workshops, options=strict))["x", "matin"] == "B"
    options = Options(seed=1, strategy="fairness", max_profile_share=0.5, min_group_size=4)
    result = assign_workshops(attendees, workshops, options=options)
    assert placed(result)["x", "matin"] == "A"
    assert result.report.workshops[0].exceeded == ()
    assert_optimal(result, attendees, workshops, options)


@pytest.mark.parametrize("min_group_size", [2, 3, 4])
@pytest.mark.parametrize("strategy", ["first_choices", "leximin"])
def test_minimum_group_size_matches_brute_force(min_group_size, strategy):
    attendees, workshops = eight_people(), rooms(4, 3, 3)
    options = Options(seed=3, strategy=strategy, max_profile_share=0.34,
                      min_group_size=min_group_size, max_per_organisation=2)
    result = assign_workshops(attendees, workshops, locks={2: "C"}, options=options)
    check_rules(result, attendees, workshops, {2: "C"})
    assert_optimal(result, attendees, workshops, options, {2: "C"})


def test_leximin_lifts_the_last_ranks_that_first_choices_leave():
    """« Most first choices » gives four first choices and one third (cost 0 + 3 beats
    two second choices, 2 + 2); leximin sends nobody to a third choice."""
    lists = [["Z", "Y", "X"], ["Z", "Y", "X"], ["X", "Z", "Y"], ["X", "Z", "Y"],
             ["Y", "X", "Z"]]
    attendees = [person(i, choices) for i, choices in enumerate(lists)]
    workshops = [Workshop("X", "matin", 1), Workshop("Y", "matin", 2),
                 Workshop("Z", "matin", 2)]
    first = assign_workshops(attendees, workshops, options=Options(seed=2))
    lex_options = Options(seed=2, strategy="leximin")
    lex = assign_workshops(attendees, workshops, options=lex_options)
    assert first.report.overall.ranks[2] > lex.report.overall.ranks[2]
    assert_optimal(lex, attendees, workshops, lex_options)
    assert dict(lex.report.levels)["rank 3"] == lex.report.overall.ranks[2]
    assert lex.report.bound is None


def test_each_person_left_out_has_a_reason():
    workshops = [Workshop("M1", "matin", 1, "numérique"), Workshop("M2", "matin", 1),
                 Workshop("S1", "après-midi", 5, "numérique"), Workshop("S2", "après-midi", 0)]
    attendees = [person("full", {"matin": ["M1", "M2"]}),
                 person("first", {"matin": ["M1"]}), person("second", {"matin": ["M2"]}),
                 person("none", {"matin": []}),
                 person("locked", {"matin": ["M2"], "après-midi": ["S1", "S2"]})]
    options = Options(seed=1, avoid_same_theme=True)
    result = assign_workshops(attendees, workshops, locks={"locked": "M2", "first": "M1"},
                              options=options)
    reasons = {(a, s): r for a, s, r in result.report.left_out}
    assert set(reasons) == set(result.unassigned)
    assert reasons["full", "matin"] == "full" and reasons["second", "matin"] == "full"
    assert reasons["none", "matin"] == "no_choice"
    assert ("locked", "après-midi") not in reasons  # S1 is numérique, M2 is not
    locked_theme = assign_workshops(attendees, workshops, locks={"locked": "M1"},
                                    options=options)
    reasons = {(a, s): r for a, s, r in locked_theme.report.left_out}
    assert reasons["locked", "après-midi"] == "locked_elsewhere"


def themed_day(seed: int = 1) -> tuple[list[Attendee], list[Workshop]]:
    """Twenty people ranking three of six workshops in each of two slots, themes shared
    across slots: small, yet its linear relaxation is fractional (the solver branches)."""
    import random

    rng = random.Random(seed)
    workshops = [Workshop(f"{slot}{w}", slot, 4, f"thème {w % 3}")
                 for slot in ("matin", "après-midi") for w in range(6)]
    attendees = [Attendee(i, rng.choice(["étudiant", "cadre"]), f"org{rng.randrange(6)}",
                          {slot: rng.sample([f"{slot}{w}" for w in range(6)], 3)
                           for slot in ("matin", "après-midi")})
                 for i in range(20)]
    return attendees, workshops


@pytest.mark.parametrize("narrowing", [True, False])
@pytest.mark.parametrize("bound_shift, status", [(0.0, "optimal"), (-5.0, "time limit")])
def test_a_time_limit_claims_optimal_only_when_the_bound_proves_it(monkeypatch, bound_shift,
                                                                    status, narrowing):
    """HiGHS may stop at its time limit with a placement its bound already proves best;
    the report then says so, and says « time limit » only while a gap remains: whether
    the MIP narrowed by the LP's reduced costs stops (its optimum lies above the LP
    bound here, so its own bound is what proves it), or branch and bound over the whole
    model."""
    from scipy.optimize import OptimizeResult

    from journee.workshops import assignment

    real_milp = assignment.milp

    def stopped_by_the_clock(*args, **kwargs):
        result = real_milp(*args, **kwargs)
        return OptimizeResult({**result, "status": 1, "message": "Time limit reached",
                               "mip_dual_bound": result.mip_dual_bound + bound_shift})

    monkeypatch.setattr(assignment, "milp", stopped_by_the_clock)
    if not narrowing:
        monkeypatch.setattr(assignment, "_narrow", lambda *args: None)
    attendees, workshops = themed_day()
    options = Options(seed=3, avoid_same_theme=True, max_profile_share=0.5,
                      max_per_organisation=2)
    result = assign_workshops(attendees, workshops, options=options)
    assert result.report.method == ("highs-lp-narrow" if narrowing else "highs-mip")
    assert result.report.status == status
    assert (result.report.gap == 0) == (status == "optimal")


def test_the_time_limit_is_one_budget_for_every_call_of_a_solve(monkeypatch):
    """Leximin solves one level after another, each an LP and maybe MIPs: they share
    ``time_limit``, each HiGHS call getting what the calls before it left."""
    from journee.workshops import assignment

    clock, given = [1000.0], []

    def taking(solver, seconds):
        def call(*args, **kwargs):
            given.append(kwargs["options"].get("time_limit"))
            clock[0] += seconds
            return solver(*args, **kwargs)
        return call

    monkeypatch.setattr(assignment, "_now", lambda: clock[0])
    monkeypatch.setattr(assignment, "linprog", taking(assignment.linprog, 3.0))
    monkeypatch.setattr(assignment, "milp", taking(assignment.milp, 3.0))
    attendees, workshops = themed_day()
    options = Options(seed=3, strategy="leximin", avoid_same_theme=True,
                      max_profile_share=0.5, max_per_organisation=2, time_limit=600)
    result = assign_workshops(attendees, workshops, options=options)
    assert len(given) >= 4  # at least two levels, each an LP at least
    assert given == [600.0 - 3.0 * call for call in range(len(given))]
    assert result.report.status == "optimal"

    given.clear()
    assign_workshops(attendees, workshops, options=Options(seed=3, strategy="leximin",
                                                            avoid_same_theme=True))
    assert given and all(limit is None for limit in given)


def test_above_the_lp_bound_the_narrowed_mip_proves_what_branch_and_bound_proves(
        monkeypatch):
    """The themed day's optimum lies above its LP bound: the MIP narrowed by the LP's
    reduced costs to the cost of the first placement it finds holds every cheaper one,
    so its optimum and bound are the whole model's."""
    attendees, workshops = themed_day()
    options = Options(seed=3, avoid_same_theme=True, max_profile_share=0.5,
                      max_per_organisation=2)
    narrowed = assign_workshops(attendees, workshops, options=options).report
    monkeypatch.setattr(assignment, "_narrow", lambda *args: None)
    whole = assign_workshops(attendees, workshops, options=options).report
    assert (narrowed.method, whole.method) == ("highs-lp-narrow", "highs-mip")
    assert narrowed.status == whole.status == "optimal"
    assert narrowed.gap == whole.gap == 0
    assert narrowed.objective == whole.objective


def crowded_morning(seed: int = 2) -> tuple[list[Attendee], list[Workshop]]:
    """Sixty people ranking three of eight small workshops in one slot, no caps: the LP
    relaxation is integral (a transportation problem)."""
    import random

    rng = random.Random(seed)
    workshops = [Workshop(f"W{w}", "matin", 6) for w in range(8)]
    attendees = [person(i, rng.sample([f"W{w}" for w in range(8)], 3)) for i in range(60)]
    return attendees, workshops


def test_an_interior_point_bound_proves_the_placement_when_a_gap_is_allowed(monkeypatch):
    """Asked for a gap from INTERIOR_GAP up, a large model goes first to the interior
    point without crossover: its dual bounds the optimum, and the placement rounded
    from its point meets that bound here (the optimum itself)."""
    attendees, workshops = crowded_morning()
    exact = assign_workshops(attendees, workshops, options=Options(seed=4)).report
    monkeypatch.setattr(assignment, "INTERIOR_COLUMNS", 0)
    result = assign_workshops(attendees, workshops,
                              options=Options(seed=4, mip_rel_gap=1e-3))
    check_rules(result, attendees, workshops)
    report = result.report
    assert report.method == "highs-ipm-round"
    assert report.status == "optimal" and report.gap <= 1e-3
    assert report.objective == exact.objective
    # The default gap (1e-6) keeps the simplex: the lottery's own optimum.
    assert assign_workshops(attendees, workshops,
                            options=Options(seed=4)).report.method == "highs-lp"


def test_an_interior_point_that_proves_too_little_falls_back_to_the_simplex(monkeypatch):
    """The themed day's optimum lies above its LP bound by more than a gap of 1e-3 of
    its cost allows: the interior point's placement is not proven, and the solve goes
    on as before (LP, then the narrowed MIP) to the same optimum."""
    attendees, workshops = themed_day()
    options = Options(seed=3, avoid_same_theme=True, max_profile_share=0.5,
                      max_per_organisation=2, mip_rel_gap=1e-3)
    before = assign_workshops(attendees, workshops, options=options).report
    calls = []
    real_interior = assignment._interior

    def interior(*args):
        calls.append(real_interior(*args))
        return calls[-1]

    monkeypatch.setattr(assignment, "INTERIOR_COLUMNS", 0)
    monkeypatch.setattr(assignment, "_interior", interior)
    after = assign_workshops(attendees, workshops, options=options).report
    assert calls == [None]
    assert after.method == before.method == "highs-lp-narrow"
    assert after.objective == before.objective and after.status == "optimal"


@pytest.mark.parametrize("seed", range(5))
def test_any_dual_vector_bounds_the_lp_optimum(seed):
    """The bound of ``_dual_bound`` holds for any dual vector (random ones here) and
    meets the LP optimum at the optimal duals."""
    from scipy import sparse
    from scipy.optimize import linprog

    rng = np.random.default_rng(seed)
    a_ub = sparse.csr_array(rng.integers(0, 2, size=(6, 10)).astype(float))
    b_ub = a_ub @ np.full(10, 0.3) + rng.integers(0, 3, size=6)
    a_eq = sparse.csr_array(rng.integers(0, 2, size=(3, 10)).astype(float))
    b_eq = a_eq @ np.full(10, 0.3)
    c = rng.normal(size=10)
    c[8:] = np.abs(c[8:])  # the columns without an upper bound
    lower, upper = np.zeros(10), np.where(np.arange(10) < 8, 1.0, np.inf)
    res = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq,
                  bounds=np.stack([lower, upper], axis=1), method="highs")
    assert res.status == 0
    matrix = sparse.vstack([a_ub, a_eq], format="csr")
    row_lower = np.concatenate([np.full(6, -np.inf), b_eq])
    row_upper = np.concatenate([b_ub, b_eq])
    # Some optimum keeps the unbounded columns below this.
    most = 1 + np.abs(res.x).max() * 10

    def bound(y):
        return assignment._dual_bound(c, matrix, row_lower, row_upper, lower, upper,
                                      most, y)

    exact = bound(np.concatenate([res.ineqlin.marginals, res.eqlin.marginals]))
    assert exact == pytest.approx(res.fun, abs=1e-7)
    for _ in range(20):
        assert bound(rng.normal(size=9)) <= res.fun + 1e-9
