"""Recorded optima on benchmark instances: a refactoring or a reformulation of the model
must find the same optimum (objective, leximin levels) and, with the same seed, the same
placements.

The placements are unique for a seed: the lottery's random costs make the perturbed
optimum unique, so any exact model with the same candidate pairs (same order, same
draws) finds it, up to the relative gap HiGHS stops at (the LP, the MIP narrowed by the
LP's reduced costs and branch and bound all find it; within that gap they may stop at
another placement of the same true cost). Record new digests only after such a change,
and only with the objectives unchanged.
"""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

import pytest

from journee.workshops import assignment
from journee.workshops.assignment import Facilitator, Options, assign_workshops

_spec = importlib.util.spec_from_file_location(
    "bench_assignment",
    Path(__file__).resolve().parent.parent / "benchmarks" / "bench_assignment.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

# ((attendees, workshops per slot, slots, choices), options, objective, levels, digest)
CASES = [
    ((100, 6, 1, 3), {}, 178.0, (), "271718821db93737"),
    ((100, 6, 1, 3), {"strategy": "fairness"}, 195.0, (), "90cd788abf40584c"),
    ((400, 12, 1, 5), {"min_group_size": 4}, 2511.0, (), "c86aa7954b9cc0e6"),
    # Free places by type since this was first recorded: other draws. Then the
    # narrowed MIP rather than a rounding of the LP: the placement branch and bound
    # finds for the first, another one within HiGHS's relative gap for the second.
    ((400, 40, 1, 3), {"allow_unranked": True}, 544.0, (), "d9ca91877a1d59a0"),
    ((300, 10, 3, 3), {"allow_unranked": True}, 1289.0, (), "0c8fa8c1fb00cc63"),
    ((300, 12, 4, 5), {"avoid_same_theme": True, "themes": True}, 7784.0, (),
     "f3d379ff27c1cd53"),
    ((300, 12, 4, 5), {"avoid_same_theme": True, "themes": True, "strategy": "leximin"},
     5663.0, (("unassigned", 0.0), ("rank 5", 0.0), ("rank 4", 0.0), ("rank 3", 93.0),
              ("rank 2", 499.0), ("caps", 4792.0)), "393341fa2f0a6a11"),
    ((100, 6, 1, 3), {"strategy": "leximin"}, 199.0,
     (("unassigned", 0.0), ("rank 3", 2.0), ("rank 2", 35.0), ("caps", 156.0)),
     "e8b66c039bd3f4ca"),
    ((400, 12, 1, 5), {"strategy": "leximin", "min_group_size": 4}, 1757.0,
     (("unassigned", 0.0), ("rank 5", 0.0), ("rank 4", 0.0), ("rank 3", 15.0),
      ("rank 2", 145.0), ("caps", 1552.0)), "b5e2eeda03174b1d"),
    ((2000, 40, 1, 5), {}, 14727.0, (), "03e9c100991d8b97"),
    ((200, 8, 2, 4), {"locks": True, "allow_unranked": True, "min_group_size": 3}, 1279.0,
     (), "43c643ad20be9d18"),
    ((200, 8, 2, 4), {"locks": True, "strategy": "leximin", "avoid_same_theme": True,
                      "themes": True}, 1433.5,
     (("unassigned", 0.0), ("rank 4", 0.0), ("rank 3", 0.0), ("rank 2", 133.0),
      ("caps", 1300.5)), "725bd7cec304aa59"),
]


def solve(size, extra):
    extra = dict(extra)
    themes = extra.pop("themes", False)
    with_locks = extra.pop("locks", False)
    attendees, workshops = bench.make_instance(*size, themes=themes)
    locks, facilitators = {}, []
    if with_locks:  # The first 15 locked in the last choice of their first slot.
        for attendee in attendees[:15]:
            locks[attendee.id] = next(iter(attendee.choices.values()))[-1]
        facilitators = [Facilitator(("f", i), workshops[i].id, i % 2 == 0)
                        for i in range(4)]
    return assign_workshops(attendees, workshops, locks=locks, facilitators=facilitators,
                            options=Options(seed=bench.SEED, **bench.OPTIONS, **extra))


def digest(placements) -> str:
    text = repr(sorted(repr(p) for p in placements))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@pytest.mark.parametrize("size, extra, objective, levels, placements", CASES,
                         ids=[f"{'x'.join(map(str, c[0]))}-{'-'.join(c[1]) or 'plain'}"
                              for c in CASES])
def test_the_recorded_optimum_and_placements(size, extra, objective, levels, placements):
    result = solve(size, extra)
    report = result.report
    assert report.status == "optimal" and report.gap == 0
    assert report.objective == pytest.approx(objective)
    assert [name for name, _ in report.levels] == [name for name, _ in levels]
    assert [value for _, value in report.levels] == pytest.approx(
        [value for _, value in levels])
    assert digest(result.placements) == placements


THEMED_DAY = (300, 12, 4, 5), {"avoid_same_theme": True, "themes": True}


@pytest.mark.parametrize("strategy, narrowed_method, whole_method",
                         [("first_choices", "highs-lp-narrow", "highs-mip"),
                          ("leximin", "highs-lex-narrow", "highs-lex-mip")])
def test_the_mip_narrowed_by_reduced_costs_finds_what_branch_and_bound_finds(
        monkeypatch, strategy, narrowed_method, whole_method):
    """The themed day's LP optimum is fractional: the MIP over the columns its reduced
    costs leave open finds a placement the LP bound proves optimal, the very placement
    branch and bound over the whole model finds (the lottery's optimum)."""
    size, extra = THEMED_DAY
    narrowed = solve(size, {**extra, "strategy": strategy})
    monkeypatch.setattr(assignment, "_narrow", lambda *args: None)
    whole = solve(size, {**extra, "strategy": strategy})
    assert narrowed.report.method == narrowed_method
    assert whole.report.method == whole_method
    for report in (narrowed.report, whole.report):
        assert report.status == "optimal" and report.gap == 0
    assert narrowed.report.objective == whole.report.objective
    assert narrowed.report.levels == whole.report.levels
    assert sorted(map(repr, narrowed.placements)) == sorted(map(repr, whole.placements))
