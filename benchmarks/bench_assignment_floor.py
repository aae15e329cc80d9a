"""How far the assignment's solve is from its floor, and whether its people aggregate.

For each row of ``bench_assignment.py`` chosen (the themed days by default):

* **classes**: how many groups of interchangeable people the instance has, i.e. people
  with every per-person input the model uses alike: their ranked choices in every slot
  (in order: the rank sets the cost), their profile when the profile share is on, their
  organisation when the organisation cap is on (locks and facilitators: the benchmark
  has none). An exact aggregation by symmetry (integer counts per class instead of a
  binary per person) shrinks the model only if there are far fewer classes than people;
  looser keys (choices only, one slot's ranking only, the first choices only) say how
  far from that the instance is;
* **full solve**: ``assign_workshops`` as the benchmark calls it, with the time spent in
  each HiGHS call (the LP relaxation through ``linprog``, the narrowed MIPs and any
  branch and bound through ``milp``), the rest being the model's build and the report;
* **floor**: the very same ``linprog`` call (same matrix, bounds and lottery costs,
  captured during the full solve; leximin's first level only) run again alone: no
  solve of this formulation can take less, whatever comes after the LP. ``--methods=highs,highs-ipm`` times it with
  HiGHS's interior point as well; ``--floor-only`` times the LP alone, without the
  full solve.

Each row repeats « full solve, then floor » ``--repeats`` times (2 by default) and
gives their medians, the ratio full / floor, and the load average of the machine.

Run: ``.venv/bin/python benchmarks/bench_assignment_floor.py [--only=TEXT…]
[--repeats=N] [--methods=M,…] [--time-limit=SECONDS] [--classes-only|--floor-only]``
(``--only`` as in ``bench_assignment.py``, e.g. ``--only=20000/50x4/5``; the full
solve's time limit, shared by its HiGHS calls, is the benchmark's 600 s by default,
``--time-limit=0`` none: when the LP alone takes longer, the solve ends « time limit »
with what the calls had found).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_assignment import (  # noqa: E402
    EXTRA,
    MAIN,
    OPTIONS,
    SEED,
    TIME_LIMIT,
    make_instance,
    row_name,
)

from journee.workshops import assignment  # noqa: E402
from journee.workshops.assignment import Options, assign_workshops  # noqa: E402

THEMED = [row for row in EXTRA if row[4].get("themes")]


def class_counts(attendees, options: Options) -> dict:
    """Distinct people under the model's own key, and under looser keys."""
    slots = sorted({s for a in attendees for s in a.choices})

    def ranking(a):
        # A slot not attended (None) differs from one attended with no choice (()).
        return tuple(tuple(a.choices[s]) if s in a.choices else None for s in slots)

    def model_key(a):
        return (a.profile if options.max_profile_share is not None else None,
                a.organisation if options.max_per_organisation is not None else None,
                ranking(a))

    classes = Counter(model_key(a) for a in attendees)
    return {
        "people": len(attendees),
        "classes": len(classes),
        "largest_class": max(classes.values()),
        "choices_only": len({ranking(a) for a in attendees}),
        "one_slot_ranking": [len({tuple(a.choices[s]) if s in a.choices else None
                                  for a in attendees}) for s in slots],
        "first_choices_only": len({tuple(a.choices[s][0] for s in slots if a.choices.get(s))
                                   for a in attendees}),
    }


class _Timed:
    """Wraps a scipy function the solver calls: records each call's seconds, and the
    arguments of the first call."""

    def __init__(self, function):
        self.function = function
        self.calls: list[float] = []
        self.statuses: list[int] = []
        self.first: tuple | None = None

    def __call__(self, *args, **kwargs):
        if self.first is None:
            self.first = (args, kwargs)
        started = time.perf_counter()
        result = self.function(*args, **kwargs)
        self.calls.append(time.perf_counter() - started)
        self.statuses.append(result.status)
        return result


def full_solve(attendees, workshops, options: Options) -> dict:
    """One solve, with the seconds spent in each HiGHS call."""
    lp, mip = _Timed(assignment.linprog), _Timed(assignment.milp)
    assignment.linprog, assignment.milp = lp, mip
    try:
        started = time.perf_counter()
        result = assign_workshops(attendees, workshops, options=options)
        seconds = time.perf_counter() - started
    finally:
        assignment.linprog, assignment.milp = lp.function, mip.function
    report = result.report
    return {"seconds": seconds, "lp": sum(lp.calls), "lp_status": lp.statuses,
            "mips": mip.calls, "mip_status": mip.statuses,
            "other": seconds - sum(lp.calls) - sum(mip.calls),
            "status": report.status, "method": report.method, "gap": report.gap,
            "objective": report.objective, "bound": report.bound,
            "variables": report.variables, "constraints": report.constraints,
            "lp_arguments": lp.first}


class _Captured(Exception):
    pass


def lp_arguments(attendees, workshops, options: Options) -> tuple:
    """The arguments of the solver's LP relaxation, without solving anything."""

    def capture(*args, **kwargs):
        raise _Captured(args, kwargs)

    assignment.linprog, original = capture, assignment.linprog
    try:
        assign_workshops(attendees, workshops, options=options)
    except _Captured as captured:
        return captured.args
    finally:
        assignment.linprog = original
    raise RuntimeError("the solver made no LP relaxation")


def floor(lp_arguments: tuple, method: str) -> tuple[float, float | None]:
    """The same LP alone, without the solver's time limit: its seconds, and its
    optimum."""
    args, kwargs = lp_arguments
    options = {k: v for k, v in kwargs.get("options", {}).items() if k != "time_limit"}
    kwargs = {**kwargs, "method": method, "options": options}
    started = time.perf_counter()
    result = assignment.linprog(*args, **kwargs)
    return time.perf_counter() - started, (result.fun if result.status == 0 else None)


def load() -> str:
    return "/".join(f"{value:.2f}" for value in os.getloadavg())


def measure(row: tuple, repeats: int, methods: list[str], classes_only: bool,
            floor_only: bool, time_limit: float | None) -> None:
    n_attendees, n_workshops, n_slots, n_choices, extra, label = row
    extra = dict(extra)
    themes = extra.pop("themes", False)
    attendees, workshops = make_instance(n_attendees, n_workshops, n_slots, n_choices,
                                         themes=themes)
    options = Options(seed=SEED, time_limit=time_limit, **OPTIONS, **extra)
    name = row_name(*row)
    counts = class_counts(attendees, options)
    print(f"{name}: {counts['classes']} classes of interchangeable people for "
          f"{counts['people']} people (largest {counts['largest_class']}); choices alone "
          f"{counts['choices_only']}, one slot's ranking alone "
          f"{counts['one_slot_ranking']}, first choices alone "
          f"{counts['first_choices_only']}", flush=True)
    if classes_only:
        return
    if floor_only:
        arguments = lp_arguments(attendees, workshops, options)
        for method in methods:
            for _ in range(repeats):
                before = load()
                seconds, optimum = floor(arguments, method)
                print(f"  floor ({method}) {seconds:.1f} s, LP optimum {optimum}; "
                      f"load {before} → {load()}", flush=True)
        return
    fulls, floors = [], {method: [] for method in methods}
    for _ in range(repeats):
        before = load()
        solve = full_solve(attendees, workshops, options)
        fulls.append(solve)
        print(f"  full solve {solve['seconds']:.1f} s ({solve['status']}, "
              f"{solve['method']}, gap {solve['gap']}, objective {solve['objective']}, "
              f"bound {solve['bound']}, {solve['variables']} columns × "
              f"{solve['constraints']} rows): LP {solve['lp']:.1f} s "
              f"(status {solve['lp_status']}), MIPs "
              f"{' + '.join(f'{s:.1f}' for s in solve['mips']) or '—'} s "
              f"(status {solve['mip_status']}), "
              f"build and report {solve['other']:.1f} s; load {before} → {load()}",
              flush=True)
        for method in methods:
            before = load()
            seconds, optimum = floor(solve["lp_arguments"], method)
            floors[method].append(seconds)
            print(f"  floor ({method}) {seconds:.1f} s, LP optimum {optimum}; "
                  f"load {before} → {load()}", flush=True)
    full = statistics.median(s["seconds"] for s in fulls)
    for method, seconds in floors.items():
        median = statistics.median(seconds)
        print(f"  median over {repeats}: full {full:.1f} s, floor ({method}) "
              f"{median:.1f} s, full / floor = {full / median:.2f}", flush=True)


def main(argv: list[str]) -> int:
    only = [arg.removeprefix("--only=") for arg in argv if arg.startswith("--only=")]
    rows = ([row for row in MAIN + EXTRA if any(o in row_name(*row) for o in only)]
            if only else THEMED)
    repeats = next((int(arg.removeprefix("--repeats=")) for arg in argv
                    if arg.startswith("--repeats=")), 2)
    methods = next((arg.removeprefix("--methods=").split(",") for arg in argv
                    if arg.startswith("--methods=")), ["highs"])
    time_limit = next((float(arg.removeprefix("--time-limit=")) for arg in argv
                       if arg.startswith("--time-limit=")), TIME_LIMIT) or None
    for row in rows:
        measure(row, repeats, methods, "--classes-only" in argv, "--floor-only" in argv,
                time_limit)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
