"""Where a whole public registration spends its time, in-process (cProfile).

The flow a browser makes, as in ``bench_registration_rush.py``: GET the form, POST it,
then GET ``/r/<token>`` (the link of the confirmation e-mail). Between the POST and the
link, the worker's look for new messages (:func:`journee.tasks.run_woken`, what
``journee worker`` does every ``TASKS_POLL_SECONDS``) writes the confirmation, calendar
attached, and sends it: profiled too, apart, since it is no longer in the request. The
warm-up registrations are not profiled. Prints the functions that cost the most per
registration, by their own time and by their time with what they call (only Journée's
own functions in the second list), for the three requests and for the worker, in CPU
time of the process: a profile is less sensitive to the other load on the machine than
a timing.

Before the profile, the same steps run without it and their CPU time is printed per
step (GET form, POST, worker, GET /r/<token>): the profiler weighs unevenly on them.

Usage: .venv/bin/python benchmarks/profile_registration.py [--registrations 200]
                                                           [--top 10] [--postgres URL]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_registration_rush import PostgresDatabase, prepare_database  # noqa: E402

SECRET = "bench-e869c7753603237a7a993653b823d65a"


def profile(url: str, directory: Path, registrations: int, warm_up: int = 20):
    from journee import create_app, tasks
    from journee.extensions import db
    from journee.registration.models import Registration

    slug, form, _ = prepare_database(url)
    app = create_app({"SECRET_KEY": SECRET, "SQLALCHEMY_DATABASE_URI": url,
                      "MAIL_FILE_DIR": str(directory / "outbox"),
                      "MAIL_AUTO_RETRY_SECONDS": 300, "PURGE_INTERVAL_SECONDS": 0,
                      "REMINDER_INTERVAL_SECONDS": 0, "SURVEY_INTERVAL_SECONDS": 0,
                      "WORKSHOP_PLACES_INTERVAL_SECONDS": 0,
                      "PROGRAMME_NOTICE_INTERVAL_SECONDS": 0,
                      "REGISTRATIONS_PER_CLIENT_PER_HOUR": 1_000_000})
    client = app.test_client()
    path = f"/e/{slug}/register"
    # CPU time of this process, not the wall clock: the other load on the machine
    # weighs far less on the figures.
    profiler = cProfile.Profile(time.process_time)
    worker = cProfile.Profile(time.process_time)
    steps: dict[str, list[float]] = {"GET form": [], "POST": [], "worker": [],
                                     "GET /r/<token>": []}

    def step(name: str, measured: bool, call):
        started = time.process_time()
        result = call()
        if measured:
            steps[name].append(time.process_time() - started)
        return result

    def token_of(address: str) -> str:
        with app.app_context():
            registration = db.session.execute(
                db.select(Registration).filter_by(email=address)).scalar_one()
            return registration.token

    def run_worker():
        with app.app_context():
            return tasks.run_woken()

    def register(n: int, profiled: bool, timed: bool = False) -> None:
        address = f"profil{n}@exemple.fr"
        if profiled:
            profiler.enable()
        page = step("GET form", timed, lambda: client.get(path))
        csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text)[1]
        answer = step("POST", timed, lambda: client.post(
            path, data={**form, "email": address, "csrf_token": csrf}))
        if profiled:
            profiler.disable()
        assert answer.status_code == 302, answer.status_code
        if profiled:
            worker.enable()
        [sent] = step("worker", timed, run_worker)
        if profiled:
            worker.disable()
        assert sent.summary == "1 message envoyé, 0 en échec.", sent.summary
        token = token_of(address)  # what the person reads in the e-mail
        if profiled:
            profiler.enable()
        page = step("GET /r/<token>", timed, lambda: client.get(f"/r/{token}"))
        if profiled:
            profiler.disable()
        assert page.status_code == 200, page.status_code

    for n in range(warm_up):
        register(n, profiled=False)
    # The same steps without the profiler, whose overhead weighs unevenly: CPU ms each.
    for n in range(warm_up, 2 * warm_up + registrations // 2):
        register(n, profiled=False, timed=True)
    print("CPU per step without the profiler, median ms (in-process test client): "
          + ", ".join(f"{name} {statistics.median(times) * 1000:.2f}"
                      for name, times in steps.items())
          + f"; total {sum(statistics.median(t) for t in steps.values()) * 1000:.2f}",
          flush=True)
    warm_up = 2 * warm_up + registrations // 2
    began = time.perf_counter()
    for n in range(warm_up, warm_up + registrations):
        register(n, profiled=True)
    elapsed = time.perf_counter() - began
    with app.app_context():
        db.engine.dispose()
    return profiler, worker, elapsed


def hotspots(profiler: cProfile.Profile, registrations: int, top: int, what: str) -> None:
    stats = pstats.Stats(profiler)
    rows = []
    for (filename, line, name), (_, calls, own, cumulative, _) in stats.stats.items():
        where = filename.replace(str(ROOT) + "/", "")
        where = re.sub(r".*/site-packages/", "", where)
        rows.append((own, cumulative, calls, f"{where}:{line}({name})"))
    total = sum(own for own, *_ in rows)
    print(f"\n== {what}: {total / registrations * 1000:.1f} ms per registration "
          "(the profiler's own overhead included)")
    print(f"\nTop {top} by own time (ms per registration, calls per registration):")
    for own, _, calls, where in sorted(rows, reverse=True)[:top]:
        print(f"{own / registrations * 1000:8.2f} ms {calls / registrations:8.1f}  {where}")
    print(f"\nTop {top} of Journée's functions by time including callees:")
    ours = [row for row in rows if row[3].startswith(("journee/", "templates/"))]
    for _, cumulative, calls, where in sorted(ours, key=lambda r: r[1], reverse=True)[:top]:
        print(f"{cumulative / registrations * 1000:8.2f} ms {calls / registrations:8.1f}  "
              f"{where}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--registrations", type=int, default=200)
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL"),
                        help="profile on this PostgreSQL server instead of SQLite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.postgres:
            database = PostgresDatabase(args.postgres)
            try:
                profiler, worker, elapsed = profile(database.url, Path(tmp),
                                                    args.registrations)
            finally:
                database.drop()
            print(f"PostgreSQL {database.version}")
        else:
            profiler, worker, elapsed = profile(
                f"sqlite:///{Path(tmp) / 'profile.sqlite3'}", Path(tmp), args.registrations)
            print("SQLite")
    print(f"{args.registrations} registrations in {elapsed:.1f} s under the profiler")
    hotspots(profiler, args.registrations, args.top,
             "requests (GET form, POST, GET /r/<token>)")
    hotspots(worker, args.registrations, args.top,
             "worker (writing and sending the confirmation)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
