"""Time the workshop assignment and compare it with random serial dictatorship.

Synthetic instances: Zipf-skewed workshop popularity (exponent 1), 3 or 5 ranked choices
per slot, equal rooms holding 110 % of the attendees, four profiles, many organisations of
Zipf-skewed sizes, mix caps on (50 % of one profile, 3 per organisation). The baseline
runs on the same instance and is measured by the same ``evaluate`` (it ignores free
places and themes: it is the lottery an organiser would otherwise run).

Rows: the main table (« most first choices », every slot of a day in one model), then
free places on, the joint day with themes (« not the same theme twice », one workshop
per slot given again in every slot), the leximin strategy, and the minimum group size
of 4 the app uses.

Targets (2 cores): every row proven optimal (gap ≤ 0.1 %); < 0.5 s at 2,000 attendees
and < 1 s at 2,000 × 40 workshops × 5 choices (« most first choices »); < 10 s for one
slot of 20,000; < 60 s for 20,000 people × 4 slots × 50 workshops solved jointly;
leximin at 2,000 × 40 × 5 in < 5 s; fewer unassigned than serial dictatorship
everywhere it applies.

A row's time is the median of up to five solves while they take under 10 s in all; a
solve stops after 600 s in all (its HiGHS calls share that budget: ``Options.time_limit``),
and such a row reports « time limit » and the gap it had proven then.

Run: ``.venv/bin/python benchmarks/bench_assignment.py [--quick] [--only=TEXT…]``
(``--only=20000/50x4`` or ``--only=leximin``: the rows whose name
``attendees/workshops x slots/choices label`` contains the text); results also go to
``benchmarks/results/assignment.json``.
"""

from __future__ import annotations

import json
import math
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from journee.workshops.assignment import (
    Attendee,
    Options,
    Workshop,
    assign_workshops,
    evaluate,
    serial_dictatorship,
)

RESULTS = Path(__file__).resolve().parent / "results" / "assignment.json"
PROFILES = ("étudiant", "éducateur", "assistant social", "cadre")
PROFILE_SHARES = (0.4, 0.3, 0.2, 0.1)
OPTIONS = dict(max_profile_share=0.5, max_per_organisation=3)
SEED = 2024
# (attendees, workshops per slot, slots, choices, extra options, label)
MAIN = [(n, w, sl, k, {}, "") for n, w, sl in
        [(100, 6, 1), (2_000, 6, 1), (2_000, 40, 1), (2_000, 200, 1), (20_000, 6, 1),
         (20_000, 200, 1), (20_000, 50, 4)] for k in (3, 5)]
EXTRA = [
    (2_000, 40, 1, 3, {"allow_unranked": True}, "places libres"),
    (2_000, 200, 1, 3, {"allow_unranked": True}, "places libres"),
    (2_000, 50, 4, 3, {"allow_unranked": True}, "places libres"),
    (2_000, 50, 4, 5, {"avoid_same_theme": True, "themes": True}, "journée, thèmes"),
    (20_000, 50, 4, 5, {"avoid_same_theme": True, "themes": True}, "journée, thèmes"),
    # The gap (TARGET_GAP): from 1e-4 up, a model this large goes to the interior
    # point first (assignment._interior); the row above asks for the exact optimum.
    (20_000, 50, 4, 5, {"avoid_same_theme": True, "themes": True, "mip_rel_gap": 1e-3},
     "journée, thèmes, écart 0,1 %"),
    (100, 6, 1, 3, {"strategy": "leximin"}, "leximin"),
    (2_000, 6, 1, 5, {"strategy": "leximin"}, "leximin"),
    (2_000, 40, 1, 5, {"strategy": "leximin"}, "leximin"),
    (2_000, 40, 1, 5, {"min_group_size": 4}, "groupe min. 4"),
    (2_000, 40, 1, 5, {"strategy": "leximin", "min_group_size": 4}, "leximin, groupe 4"),
]
QUICK = [row for row in MAIN + EXTRA if row[0] <= 2_000]
TARGET_GAP = 1e-3
REPEATS = 5
THEMES = 10
# For a whole solve: a row that reaches it says « time limit » and shows its proven gap.
TIME_LIMIT = 600


def zipf(n: int, exponent: float = 1.0) -> np.ndarray:
    weights = 1 / np.arange(1, n + 1) ** exponent
    return weights / weights.sum()


def make_instance(n_attendees: int, n_workshops: int, n_slots: int, n_choices: int,
                  seed: int = SEED, themes: bool = False
                  ) -> tuple[list[Attendee], list[Workshop]]:
    rng = np.random.default_rng(seed)
    capacity = math.ceil(1.1 * n_attendees / n_workshops)
    # With themes: workshop w has theme w mod 10, and workshop 0 is given in every slot.
    workshops = [Workshop(f"s{s}w{w}", f"s{s}", capacity,
                          f"t{w % THEMES}" if themes else None,
                          "w0" if themes and w == 0 else None)
                 for s in range(n_slots) for w in range(n_workshops)]
    n_orgs = max(5, n_attendees // 20)
    profiles = rng.choice(len(PROFILES), size=n_attendees, p=PROFILE_SHARES)
    orgs = rng.choice(n_orgs, size=n_attendees, p=zipf(n_orgs))
    k = min(n_choices, n_workshops)
    rankings = []
    for _slot in range(n_slots):
        # Weighted sampling without replacement: the Gumbel top-k trick, in one go.
        popularity = np.log(zipf(n_workshops))[rng.permutation(n_workshops)]
        keys = popularity + rng.gumbel(size=(n_attendees, n_workshops))
        rankings.append(np.argsort(-keys, axis=1)[:, :k])
    attendees = [
        Attendee(i, PROFILES[profiles[i]], f"org{orgs[i]}",
                 {f"s{s}": [f"s{s}w{w}" for w in rankings[s][i].tolist()]
                  for s in range(n_slots)})
        for i in range(n_attendees)]
    return attendees, workshops


def measure(n_attendees: int, n_workshops: int, n_slots: int, n_choices: int,
            extra: dict) -> dict:
    extra = dict(extra)
    themes = extra.pop("themes", False)
    attendees, workshops = make_instance(n_attendees, n_workshops, n_slots, n_choices,
                                         themes=themes)
    options = Options(seed=SEED, time_limit=TIME_LIMIT, **OPTIONS, **extra)
    seconds = []
    while len(seconds) < REPEATS and sum(seconds) < 10:
        result = assign_workshops(attendees, workshops, options=options)
        seconds.append(result.report.seconds)
    report = result.report
    started = time.perf_counter()
    lottery = serial_dictatorship(attendees, workshops, SEED)
    lottery_seconds = time.perf_counter() - started
    baseline = evaluate(attendees, workshops, lottery, options=options)
    o, b = report.overall, baseline.overall
    return {
        "attendees": n_attendees, "workshops": n_workshops, "slots": n_slots,
        "choices": n_choices, "options": {**extra, "themes": themes},
        "variables": report.variables, "constraints": report.constraints,
        "seconds": round(statistics.median(seconds), 3), "runs": len(seconds),
        "solver_seconds": round(report.solver_seconds, 3),
        "ranks": list(o.ranks), "first": round(o.share(o.first_choice), 4),
        "any": round(o.share(o.any_choice), 4), "unassigned": o.unassigned,
        "free": o.free_places, "gap": report.gap, "status": report.status,
        "method": report.method, "objective": report.objective, "bound": report.bound,
        "levels": report.levels,
        "caps_exceeded": sum(len(w.exceeded) for w in report.workshops),
        "cap_excess": round(sum(e.excess for w in report.workshops for e in w.exceeded), 1),
        "rsd_seconds": round(lottery_seconds, 3), "rsd_ranks": list(b.ranks),
        "rsd_first": round(b.share(b.first_choice), 4),
        "rsd_any": round(b.share(b.any_choice), 4), "rsd_unassigned": b.unassigned,
        "rsd_objective": baseline.objective,
        "rsd_caps_exceeded": sum(len(w.exceeded) for w in baseline.workshops),
        "rsd_cap_excess": round(sum(e.excess for w in baseline.workshops
                                    for e in w.exceeded), 1),
    }


def targets(row: dict, label: str) -> list[str]:
    """The targets this row misses."""
    name = (f"{row['attendees']}/{row['workshops']}×{row['slots']}, {row['choices']} "
            f"choices{', ' + label if label else ''}")
    n, leximin = row["attendees"], row["options"].get("strategy") == "leximin"
    missed = []
    if row["gap"] is None or row["gap"] > TARGET_GAP or row["status"] != "optimal":
        missed.append(f"{name}: gap {row['gap']}, {row['status']}")
    if not row["options"].get("allow_unranked") and not row["options"]["themes"]:
        if row["unassigned"] > row["rsd_unassigned"]:
            missed.append(f"{name}: {row['unassigned']} unassigned, "
                          f"lottery {row['rsd_unassigned']}")
    plain = not label
    if plain and n == 2_000 and row["workshops"] != 40 and row["seconds"] >= 0.5:
        missed.append(f"{name}: {row['seconds']:.2f} s ≥ 0.5 s")
    if plain and n == 2_000 and row["workshops"] == 40 and row["seconds"] >= 1:
        missed.append(f"{name}: {row['seconds']:.2f} s ≥ 1 s")
    if plain and n == 20_000 and row["slots"] == 1 and row["seconds"] >= 10:
        missed.append(f"{name}: {row['seconds']:.2f} s ≥ 10 s")
    if n == 20_000 and row["slots"] == 4 and row["seconds"] >= 60:
        missed.append(f"{name}: {row['seconds']:.2f} s ≥ 60 s")
    if (leximin and label == "leximin" and n == 2_000 and row["workshops"] == 40
            and row["seconds"] >= 5):
        missed.append(f"{name}: {row['seconds']:.2f} s ≥ 5 s")
    return missed


def row_name(n_attendees, n_workshops, n_slots, n_choices, extra, label) -> str:
    return f"{n_attendees}/{n_workshops}x{n_slots}/{n_choices} {label}"


def main(argv: list[str]) -> int:
    rows_to_run = QUICK if "--quick" in argv else MAIN + EXTRA
    only = [arg.removeprefix("--only=") for arg in argv if arg.startswith("--only=")]
    if only:  # e.g. --only=20000/50x4 or --only=leximin: rows whose name contains it
        rows_to_run = [row for row in rows_to_run
                       if any(o in row_name(*row) for o in only)]
    header = (f"{'attendees':>9} {'ws':>4} {'sl':>2} {'k':>1} {'variant':<18}| {'time s':>7} "
              f"{'ranks 1..k':<30} {'unass':>5} {'free':>4} {'caps>':>5} {'gap':>8} "
              f"{'path':>7} | {'RSD ranks 1..k':<30} {'unass':>5} {'caps>':>5}")
    print(header)
    print("-" * len(header))
    rows, failures = [], []
    for n_attendees, n_workshops, n_slots, n_choices, extra, label in rows_to_run:
        row = measure(n_attendees, n_workshops, n_slots, n_choices, extra)
        row["label"] = label
        rows.append(row)
        gap = "—" if row["gap"] is None else f"{row['gap']:.2e}"
        print(f"{n_attendees:>9} {n_workshops:>4} {n_slots:>2} {n_choices:>1} {label:<18}| "
              f"{row['seconds']:>7.2f} {'/'.join(map(str, row['ranks'])):<30} "
              f"{row['unassigned']:>5} {row['free']:>4} {row['caps_exceeded']:>5} "
              f"{gap:>8} {row['method'].removeprefix('highs-'):>7} | "
              f"{'/'.join(map(str, row['rsd_ranks'])):<30} {row['rsd_unassigned']:>5} "
              f"{row['rsd_caps_exceeded']:>5}", flush=True)
        failures += targets(row, label)
    if not only:
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text(json.dumps({"seed": SEED, "options": OPTIONS, "rows": rows},
                                      indent=2, ensure_ascii=False) + "\n")
    print("Targets missed:" if failures else "All targets met.")
    for failure in failures:
        print(f"  {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
