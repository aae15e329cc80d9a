"""Other ways of solving the assignment's LP relaxation, and the bound each one proves.

The solver's LP relaxation (``journee/workshops/assignment.py``, ``_relaxation``) is
captured once, exactly as ``bench_assignment_floor.py``'s ``lp_arguments`` captures it
(same matrix, bounds and lottery costs), for one row of ``bench_assignment.py``
(``--only=20000/50x4/5`` by default: 20,000 people × 4 slots × 50 workshops, themed:
the themed row is taken when several rows match),
and saved (``--cache=PATH``, ``/tmp/journee_lp_<row>.npz`` by default) so each method
runs on the very same LP without rebuilding the model. Then, one method at a time, each
in a fresh ``highspy.Highs`` (highspy 1.16, ``time_limit`` per run, 240 s by default):

* the wall time of ``run()`` (model passed beforehand), HiGHS's model status and its
  objective;
* a **rigorous lower bound from the dual vector it returns**, whatever its accuracy:
  for ``min c·x`` s.t. ``lo ≤ A x ≤ hi``, ``l ≤ x ≤ u``, any ``y`` (projected on the
  signs the row bounds allow: ``y_i > 0`` only with a finite ``lo_i``, ``y_i < 0`` only
  with a finite ``hi_i``) gives ``Σ_i y_i·(lo_i or hi_i) + Σ_j min_{l_j ≤ x_j ≤ u_j}
  (c_j − A_j·y) x_j``. Columns without an upper bound (group sizes, cap slacks) are
  bounded by the number of attendee-slots, which some optimum respects (a group or an
  excess never holds more people than there are), so the bound stays a bound on the
  optimum; ``loss`` is what that costs the bound;
* the gap of that bound to the integer optimum given by ``--optimum`` (834,001 for the
  default row: the figure the full solve reported to the lead, not re-measured here),
  after taking off the lottery's perturbation (``bound − Σ noise`` bounds the true costs).

``--narrow=METHOD`` then uses that method's dual as the solver's ``_narrow`` uses the
LP's reduced costs: with ``d = c − Aᵀy`` and its bound ``L``, any placement costing at
most ``L + room`` keeps each column within ``room / |d_j|`` of the bound where ``d_j``
pushes it (valid for any ``y``, not only an optimal one), and scipy's ``milp`` solves
what is left (``mip_rel_gap`` 1e-3, the issue's gap). A placement it finds at cost
``v`` is proven within ``(v − L) / v`` of the optimum by ``L`` alone.

``--round=METHOD`` instead holds the integral columns that method's primal point leaves
within ``--threshold`` (0.01) of 0 or 1, and ``milp`` (``mip_rel_gap`` 1e-3) places the
rest; the gap is again proven by that method's dual bound. ``--reuse`` takes a method's
vectors from its last run (saved beside its log) instead of solving again.

``--full=GAP`` runs ``assign_workshops`` itself on the row with ``mip_rel_gap=GAP``
(the time limit per HiGHS call is ``--time-limit``): from ``INTERIOR_GAP`` (1e-4) up, a
model this large goes first to ``_interior`` (scipy's HiGHS interior point without
crossover, the dual bound, the rounded placement), and back to the simplex path if
that proves less than the gap asked.

Run: ``.venv/bin/python benchmarks/bench_assignment_lp_methods.py [--only=TEXT]
[--methods=NAME,…] [--time-limit=S] [--cache=PATH] [--optimum=VALUE]
[--narrow=METHOD --room=UNITS] [--round=METHOD --threshold=T] [--reuse]`` or ``[--full=GAP]`` (``--list`` shows the methods; logs go to
``/tmp/journee_lp_logs/``). Run one at a time: the machine has 2 cores.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

sys.path.insert(0, str(Path(__file__).resolve().parent))
# This checkout's journee, not the one the virtualenv was installed from.
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))

from bench_assignment import EXTRA, MAIN, OPTIONS, SEED, make_instance, row_name  # noqa: E402
from bench_assignment_floor import full_solve, lp_arguments  # noqa: E402

from journee.workshops import assignment  # noqa: E402
from journee.workshops.assignment import Options  # noqa: E402

LOGS = Path("/tmp/journee_lp_logs")
# name → HiGHS options (on top of time_limit and the log file).
METHODS: dict[str, dict] = {
    "dual": {"solver": "simplex", "simplex_strategy": 1},
    "dual-nopresolve": {"solver": "simplex", "simplex_strategy": 1, "presolve": "off"},
    "dual-scale0": {"solver": "simplex", "simplex_strategy": 1,
                    "simplex_scale_strategy": 0},
    "dual-scale4": {"solver": "simplex", "simplex_strategy": 1,
                    "simplex_scale_strategy": 4},
    # simplex_strategy 2 is SIP (its log: « parallel dual simplex solver - SIP »), 3 PAMI.
    "sip": {"solver": "simplex", "simplex_strategy": 2, "parallel": "on", "threads": 2},
    "pami": {"solver": "simplex", "simplex_strategy": 3, "parallel": "on", "threads": 2},
    "primal": {"solver": "simplex", "simplex_strategy": 4},
    "ipx": {"solver": "ipx"},
    "ipx-nocross": {"solver": "ipx", "run_crossover": "off"},
    "ipx-nocross-loose": {"solver": "ipx", "run_crossover": "off",
                          "ipm_optimality_tolerance": 1e-6},
    "ipx-nocross-1e-4": {"solver": "ipx", "run_crossover": "off",
                         "ipm_optimality_tolerance": 1e-4},
    "ipx-nocross-1e-3": {"solver": "ipx", "run_crossover": "off",
                         "ipm_optimality_tolerance": 1e-3},
    "ipx-nocross-1e-4-nopresolve": {"solver": "ipx", "run_crossover": "off",
                                    "ipm_optimality_tolerance": 1e-4, "presolve": "off"},
    "hipo": {"solver": "hipo"},
    "hipdlp": {"solver": "hipdlp"},
    "pdlp": {"solver": "pdlp"},
    "pdlp-loose": {"solver": "pdlp", "primal_feasibility_tolerance": 1e-5,
                   "dual_feasibility_tolerance": 1e-5},
}


def load() -> str:
    return "/".join(f"{value:.2f}" for value in os.getloadavg())


def capture(row: tuple, path: Path) -> dict:
    """The solver's LP relaxation for ``row`` as ``lo ≤ A x ≤ hi``, ``l ≤ x ≤ u``, with
    the true costs (without the lottery) and which columns are integral."""
    if path.exists():
        with np.load(path) as data:
            saved = {key: data[key] for key in data.files if not key.startswith("A_")}
            saved["A"] = sparse.csr_array((data["A_data"], data["A_indices"],
                                           data["A_indptr"]), shape=tuple(data["A_shape"]))
        return saved
    n_attendees, n_workshops, n_slots, n_choices, extra, _label = row
    extra = dict(extra)
    themes = extra.pop("themes", False)
    attendees, workshops = make_instance(n_attendees, n_workshops, n_slots, n_choices,
                                         themes=themes)
    options = Options(seed=SEED, **OPTIONS, **extra)
    problems = []
    original = assignment._relaxation

    def recording(problem, arguments, milp_options):
        problems.append(problem)
        return original(problem, arguments, milp_options)

    assignment._relaxation = recording
    try:
        args, kwargs = lp_arguments(attendees, workshops, options)
    finally:
        assignment._relaxation = original
    problem = problems[0]
    c = np.asarray(args[0] if args else kwargs["c"], dtype=float)
    blocks, lo, hi = [], [], []
    if kwargs.get("A_eq") is not None:
        blocks.append(sparse.csr_array(kwargs["A_eq"]))
        lo.append(kwargs["b_eq"])
        hi.append(kwargs["b_eq"])
    if kwargs.get("A_ub") is not None:
        blocks.append(sparse.csr_array(kwargs["A_ub"]))
        lo.append(np.full(len(kwargs["b_ub"]), -np.inf))
        hi.append(kwargs["b_ub"])
    matrix = sparse.csr_array(sparse.vstack(blocks, format="csr"))
    limits = np.asarray(kwargs["bounds"], dtype=float)
    saved = {"c": c, "lo": np.concatenate(lo).astype(float),
             "hi": np.concatenate(hi).astype(float), "l": limits[:, 0], "u": limits[:, 1],
             "cost": problem.cost.astype(float), "integral": problem.integral,
             "n_as": np.array(n_attendees * n_slots)}
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, A_data=matrix.data, A_indices=matrix.indices, A_indptr=matrix.indptr,
             A_shape=np.array(matrix.shape), **saved)
    return {**saved, "A": matrix}


def dual_bound(lp: dict, y: np.ndarray) -> tuple[float, np.ndarray, float]:
    """The lower bound ``y`` proves (the solver's own :func:`assignment._dual_bound`,
    unbounded columns taken up to the number of attendee-slots, which some optimum
    respects), the reduced costs ``c − Aᵀy`` of ``y`` projected on its allowed signs,
    and what bounding the unbounded columns cost."""
    most = float(lp["n_as"])
    bound = assignment._dual_bound(lp["c"], lp["A"], lp["lo"], lp["hi"], lp["l"], lp["u"],
                                   most, y)
    y = np.where(np.isfinite(lp["lo"]), y, np.minimum(y, 0.0))
    y = np.where(np.isfinite(lp["hi"]), y, np.maximum(y, 0.0))
    reduced = lp["c"] - lp["A"].T @ y
    loss = float(np.sum(np.where(np.isinf(lp["u"]) & (reduced < 0), reduced * most, 0.0)))
    return bound, reduced, loss


def highs_model(lp: dict):
    import highspy

    a = sparse.csc_array(lp["A"])
    model = highspy.HighsLp()
    model.num_col_, model.num_row_ = a.shape[1], a.shape[0]
    model.col_cost_ = lp["c"]
    model.col_lower_, model.col_upper_ = lp["l"], lp["u"]
    model.row_lower_, model.row_upper_ = lp["lo"], lp["hi"]
    model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    model.a_matrix_.start_ = a.indptr
    model.a_matrix_.index_ = a.indices
    model.a_matrix_.value_ = a.data
    return model


def run(lp: dict, name: str, time_limit: float) -> dict:
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", True)
    h.setOptionValue("log_to_console", False)
    LOGS.mkdir(exist_ok=True)
    h.setOptionValue("log_file", str(LOGS / f"{name}.log"))
    h.setOptionValue("time_limit", float(time_limit))
    refused = [key for key, value in METHODS[name].items()
               if h.setOptionValue(key, value) != highspy.HighsStatus.kOk]
    if refused:
        return {"status": f"option refused: {', '.join(refused)}", "seconds": 0.0}
    h.passModel(highs_model(lp))
    before = load()
    started = time.perf_counter()
    h.run()
    seconds = time.perf_counter() - started
    info, solution = h.getInfo(), h.getSolution()
    result = {"seconds": seconds, "status": h.modelStatusToString(h.getModelStatus()),
              "objective": info.objective_function_value, "load": f"{before} → {load()}",
              "iterations": (info.simplex_iteration_count, info.ipm_iteration_count,
                             info.pdlp_iteration_count)}
    if solution.dual_valid:
        y = np.asarray(solution.row_dual)
        result["bound"], result["reduced"], result["loss"] = dual_bound(lp, y)
        result["y"] = y
    if solution.value_valid:
        result["x"] = np.asarray(solution.col_value)
    return result


def rounded(lp: dict, x: np.ndarray, y: np.ndarray, threshold: float,
            time_limit: float) -> dict:
    """A placement near the LP's point ``x``: the integral columns it leaves within
    ``threshold`` of 0 or 1 held there, scipy's ``milp`` (``mip_rel_gap`` 1e-3) over
    the rest; its gap is proven by the bound of the dual ``y`` alone."""
    bound, _reduced, _loss = dual_bound(lp, y)
    integral = lp["integral"] > 0
    lower, upper = lp["l"].copy(), lp["u"].copy()
    low, high = integral & (x < threshold), integral & (x > 1 - threshold)
    upper[low], lower[high] = 0.0, 1.0
    open_columns = int(np.sum(integral & ~low & ~high))
    return placed(lp, lower, upper, bound, open_columns, time_limit)


def placed(lp: dict, lower: np.ndarray, upper: np.ndarray, bound: float, open_columns: int,
           time_limit: float) -> dict:
    """scipy's ``milp`` (``mip_rel_gap`` 1e-3) within these column bounds: its time, its
    placement's value and the gap ``bound`` proves on it."""
    before = load()
    started = time.perf_counter()
    res = milp(lp["c"], integrality=lp["integral"], bounds=Bounds(lower, upper),
               constraints=LinearConstraint(lp["A"], lp["lo"], lp["hi"]),
               options={"disp": False, "mip_rel_gap": 1e-3, "time_limit": time_limit})
    seconds = time.perf_counter() - started
    out = {"seconds": seconds, "status": res.message, "bound": bound, "open": open_columns,
           "load": f"{before} → {load()}"}
    if res.x is not None:
        out["value"] = float(lp["c"] @ res.x)
        out["true_value"] = float(lp["cost"] @ res.x)
        out["gap"] = (out["value"] - bound) / out["value"]
        out["mip_bound"] = res.mip_dual_bound
    return out


def narrow(lp: dict, y: np.ndarray, room: float, time_limit: float) -> dict:
    """Reduced-cost fixing with the dual ``y`` and a MIP over what it leaves open."""
    bound, reduced, _loss = dual_bound(lp, y)
    upper_of = lp["u"]
    integral = lp["integral"] > 0
    finite = np.isfinite(upper_of)
    reach = np.divide(room, np.abs(reduced), out=np.full(len(reduced), np.inf),
                      where=np.abs(reduced) > 1e-12)
    reach = np.where(integral, np.floor(reach + 1e-9), reach)
    # d > 0 pushes a column to its lower bound (0), d < 0 to its upper bound.
    upper = np.where(reduced > 0, np.minimum(upper_of, lp["l"] + reach), upper_of)
    lower = np.where((reduced < 0) & finite,
                     np.maximum(lp["l"], upper_of - np.minimum(reach, upper_of)), lp["l"])
    open_columns = int(np.sum(upper - lower > 1e-9))
    return placed(lp, lower, upper, bound, open_columns, time_limit)


def whole(row: tuple, gap: float, time_limit: float) -> int:
    """``assign_workshops`` end to end on ``row`` with ``mip_rel_gap=gap``: from 1e-4 up,
    a model this large goes through the interior point (``_interior``) first."""
    n_attendees, n_workshops, n_slots, n_choices, extra, _label = row
    extra = dict(extra)
    themes = extra.pop("themes", False)
    attendees, workshops = make_instance(n_attendees, n_workshops, n_slots, n_choices,
                                         themes=themes)
    options = Options(seed=SEED, time_limit=time_limit, mip_rel_gap=gap, **OPTIONS,
                      **extra)
    before = load()
    solve = full_solve(attendees, workshops, options)
    print(f"{row_name(*row)}, assign_workshops with mip_rel_gap={gap}: "
          f"{solve['seconds']:.1f} s ({solve['status']}, {solve['method']}, gap "
          f"{solve['gap']}, objective {solve['objective']}, bound {solve['bound']}): "
          f"linprog {solve['lp']:.1f} s (status {solve['lp_status']}), milp "
          f"{' + '.join(f'{s:.1f}' for s in solve['mips']) or '—'} s (status "
          f"{solve['mip_status']}), the rest {solve['other']:.1f} s; load {before} → "
          f"{load()}", flush=True)
    return 0


def main(argv: list[str]) -> int:
    def option(name, default):
        return next((arg.split("=", 1)[1] for arg in argv if arg.startswith(f"--{name}=")),
                    default)

    if "--list" in argv:
        for name, settings in METHODS.items():
            print(f"{name:<20} {settings}")
        return 0
    only = option("only", "20000/50x4/5")
    # The themed row when several match (« 20000/50x4/5 » is also a row without themes).
    row = sorted((row for row in MAIN + EXTRA if only in row_name(*row)),
                 key=lambda row: not row[4].get("themes"))[0]
    slug = row_name(*row).replace("/", "_").replace(" ", "_").replace(",", "")
    cache = Path(option("cache", f"/tmp/journee_lp_{slug}.npz"))
    time_limit = float(option("time-limit", 240))
    optimum = float(option("optimum", 834_001))
    if option("full", ""):
        return whole(row, float(option("full", "")), time_limit)
    started = time.perf_counter()
    lp = capture(row, cache)
    noise = float(np.sum(np.sort(lp["c"] - lp["cost"])[::-1][:int(lp["n_as"])]))
    print(f"{row_name(*row)}: {lp['A'].shape[1]} columns × {lp['A'].shape[0]} rows, "
          f"{lp['A'].nnz} non-zeros (LP ready in {time.perf_counter() - started:.1f} s, "
          f"lottery perturbation < {noise:.3f}); load {load()}", flush=True)
    methods = option("methods", "").split(",") if option("methods", "") else []
    narrow_with, round_with = option("narrow", ""), option("round", "")
    for name in (narrow_with, round_with):
        if name and name not in methods:
            methods.append(name)
    header = (f"{'method':<20} {'wall s':>7} {'status':<22} {'objective':>14} "
              f"{'dual bound':>14} {'loss':>8} {'gap to opt.':>11} load")
    print(header)
    print("-" * len(header), flush=True)
    duals, points = {}, {}
    for name in methods:
        saved = LOGS / f"{name}.npz"
        if "--reuse" in argv and saved.exists():  # the vectors of an earlier run
            with np.load(saved) as data:
                duals[name], points[name] = data["y"], data["x"]
            print(f"{name:<20} (dual and primal vectors of an earlier run, {saved})")
            continue
        result = run(lp, name, time_limit)
        if "y" in result and "x" in result:
            np.savez(saved, y=result["y"], x=result["x"])
            points[name] = result["x"]
        bound = result.get("bound")
        gap = "—" if bound is None else f"{(optimum - (bound - noise)) / optimum:.2e}"
        objective = result.get("objective")
        print(f"{name:<20} {result['seconds']:>7.1f} {result['status']:<22} "
              f"{objective if objective is not None else float('nan'):>14.3f} "
              f"{bound if bound is not None else float('nan'):>14.3f} "
              f"{result.get('loss', float('nan')):>8.3f} {gap:>11} "
              f"{result.get('load', '')} iterations (simplex, ipm, pdlp) "
              f"{result.get('iterations')}", flush=True)
        if "y" in result:
            duals[name] = result["y"]
    if narrow_with:
        room = float(option("room", 20))
        if narrow_with not in duals:
            print(f"narrow: {narrow_with} gave no dual vector")
            return 1
        out = narrow(lp, duals[narrow_with], room, time_limit)
        print(f"narrow ({narrow_with} dual, room {room}): {out['open']} columns open, "
              f"MIP {out['seconds']:.1f} s, {out['status']}; placement "
              f"{out.get('value')} (true costs {out.get('true_value')}), dual bound "
              f"{out['bound']:.3f}, proven gap {out.get('gap')}, MIP's own bound "
              f"{out.get('mip_bound')}; load {out['load']}", flush=True)
    if round_with:
        threshold = float(option("threshold", 0.01))
        if round_with not in duals or round_with not in points:
            print(f"round: {round_with} gave no dual or primal vector")
            return 1
        out = rounded(lp, points[round_with], duals[round_with], threshold, time_limit)
        print(f"round ({round_with} point, columns within {threshold} of 0 or 1 held): "
              f"{out['open']} integral columns open, MIP {out['seconds']:.1f} s, "
              f"{out['status']}; placement {out.get('value')} (true costs "
              f"{out.get('true_value')}), dual bound {out['bound']:.3f}, proven gap "
              f"{out.get('gap')}, MIP's own bound {out.get('mip_bound')}; "
              f"load {out['load']}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
