"""The floor benchmark's count of interchangeable people, on which the decision not to
aggregate the model by symmetry rests."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from journee.workshops.assignment import Attendee, Options

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
_path = list(sys.path)
_spec = importlib.util.spec_from_file_location(
    "bench_assignment_floor", BENCHMARKS / "bench_assignment_floor.py")
floor = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(floor)  # It puts benchmarks/ on the path to import its sibling.
sys.path[:] = _path


def people() -> list[Attendee]:
    return [
        Attendee(1, "cadre", "IRTS", {"s1": ["a", "b"], "s2": ["c"]}),
        Attendee(2, "cadre", "IRTS", {"s1": ["a", "b"], "s2": ["c"]}),
        Attendee(3, "étudiant", "IRTS", {"s1": ["a", "b"], "s2": ["c"]}),
        Attendee(4, "cadre", "ETSUP", {"s1": ["a", "b"], "s2": ["c"]}),
        Attendee(5, "cadre", "IRTS", {"s1": ["b", "a"], "s2": ["c"]}),
        Attendee(6, "cadre", "IRTS", {"s1": ["a", "b"]}),
    ]


def test_people_differ_by_the_order_of_their_choices_and_the_slots_they_attend():
    counts = floor.class_counts(people(), Options())
    assert counts["classes"] == 3
    assert counts["largest_class"] == 4
    assert counts["one_slot_ranking"] == [2, 2]
    assert counts["first_choices_only"] == 3


def test_profile_and_organisation_count_only_when_their_cap_is_on():
    assert floor.class_counts(people(), Options(max_profile_share=0.5))["classes"] == 4
    assert floor.class_counts(people(), Options(max_per_organisation=3))["classes"] == 4
    both = floor.class_counts(people(), Options(max_profile_share=0.5,
                                                max_per_organisation=3))
    assert both["classes"] == 5
    assert both["largest_class"] == 2
