"""Registration POST throughput on a real WSGI server against bare insert endpoints,
on SQLite and on PostgreSQL.

gunicorn, 2 workers (4 threads each, as the README deploys it; ``BENCH_THREADS`` changes
it); 50 concurrent clients, each keeping its connection and session: it loads the form
once (CSRF token and cookie), then posts registrations with new e-mail addresses. The bare
endpoints get the same clients on the same server settings and database, and insert one
row per POST: with the driver alone (``bare_insert``) and through Flask-SQLAlchemy's
session (``bare_orm_insert``).

Two floors show what any registration form costs on the stack this project must use
(``benchmarks/wsgi_apps.py``): ``stack_floor`` is Flask, its signed session and
Flask-WTF's CSRF check with the registration form's fields, then the driver's insert;
``form_floor`` is the same through Journée's app (its security headers, request checks
and error pages) and the engine. Neither loads an event, checks a place or queues an
e-mail.

The registration runs twice: as deployed by default (each confirmation e-mail is written
and sent by the request after its commit: a gunicorn worker runs no periodic-job thread),
and with ``MAIL_DELIVER_AFTER_COMMIT`` off (e-mails queued with the registration, written
and sent afterwards by ``journee send-mail``, timed separately).
Each run also reports the server's CPU time per request.

SQLite always runs (WAL, in a temporary folder). PostgreSQL runs when a server is given
with ``--postgres URL`` or ``BENCH_POSTGRES_URL`` (a SQLAlchemy URL; the benchmark
creates, then drops, a database of its own there); ``scripts/bench-postgres`` starts a
throwaway cluster and passes it.

Usage: .venv/bin/python benchmarks/bench_registration_rush.py [--requests 2000]
                                                              [--postgres URL]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "50"))
CAPACITY = 1000
THREADS = os.environ.get("BENCH_THREADS", "4")
# Runs after the first one start with its e-mails still waiting: only that first run's
# requests write and send them; no periodic job runs beside these servers.
NO_SENDER = {"JOURNEE_MAIL_AUTO_RETRY_SECONDS": "0"}
RUNS = (("registration", "journee_app", True, {}),
        ("registration_mail_later", "journee_app", True,
         {"JOURNEE_MAIL_DELIVER_AFTER_COMMIT": "false", **NO_SENDER}),
        ("stack_floor", "stack_floor_app", True, {}),
        ("form_floor", "form_floor_app", True, NO_SENDER),
        ("bare_insert", "bare_app", False, {}),
        ("bare_orm_insert", "bare_orm_app", False, {}))
BARE_TABLE = {
    "sqlite": "CREATE TABLE bare_registration (id INTEGER PRIMARY KEY, email TEXT UNIQUE, "
              "first_name TEXT, last_name TEXT)",
    "postgresql": "CREATE TABLE bare_registration (id SERIAL PRIMARY KEY, email TEXT UNIQUE, "
                  "first_name TEXT, last_name TEXT)",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_database(url: str) -> tuple[str, dict]:
    """Migrate, load the demo day (registration open today), return its slug and a form."""
    from flask_migrate import upgrade

    from journee import create_app
    from journee.demo import load_demo
    from journee.extensions import db

    app = create_app({"SECRET_KEY": "bench-e869c7753603237a7a993653b823d65a",
                      "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        irts = load_demo()[0]
        irts.capacity = CAPACITY
        db.session.commit()
        slot = irts.workshop_sessions[0]
        w = slot.workshops
        form = {"first_name": "Zoé", "last_name": "Lefèvre-Durand", "phone": "",
                "organisation": "IRTS-IDS Normandie", "function": "Étudiante",
                "profile": "student", "course": "ES", "course_year": "2",
                "sector": "Protection de l’enfance", "sector_other": "", "lunch": "oui",
                "privacy": "y", "website": "",
                f"atelier_{slot.id}_1": str(w[2].id), f"atelier_{slot.id}_2": str(w[0].id),
                f"atelier_{slot.id}_3": str(w[4].id)}
        db.session.execute(db.text(BARE_TABLE[db.engine.dialect.name]))
        db.session.commit()
        slug = irts.slug
        db.engine.dispose()
    return slug, form


def registration_statuses(url: str) -> dict[str, int]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        statuses = dict(connection.execute(text(
            "SELECT status, count(*) FROM registration GROUP BY status")).all())
    engine.dispose()
    return statuses


class PostgresDatabase:
    """A database of the benchmark's own on the given server, dropped afterwards."""

    def __init__(self, server_url: str) -> None:
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        self.name = f"journee_bench_{os.getpid()}"
        server = make_url(server_url)
        self.admin = create_engine(server, isolation_level="AUTOCOMMIT")
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{self.name}"'))
            self.version = connection.execute(text("SHOW server_version")).scalar()
        self.url = server.set(database=self.name).render_as_string(hide_password=False)

    def drop(self) -> None:
        from sqlalchemy import text

        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self.admin.dispose()


def start_server(factory: str, port: int, env: dict) -> subprocess.Popen:
    """Start gunicorn and return once it answers HTTP.

    ``--preload``: the workers fork from a master that has imported the app, so both
    serve from the first request; otherwise the master listens while its workers are
    still importing, and their start-up would count in the first run's timings.
    """
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "--workers", "2", "--threads", THREADS,
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--preload",
         f"benchmarks.wsgi_apps:{factory}()"], cwd=ROOT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/")
            connection.getresponse().read()
            connection.close()
            return process
        except (OSError, http.client.HTTPException):
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the server did not start")


def client(port: int, path: str, form: dict, count: int, offset: int, csrf: bool,
           latencies: list, errors: list, start: threading.Barrier) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    body = dict(form)
    if csrf:
        connection.request("GET", path)
        response = connection.getresponse()
        html = response.read().decode()
        headers["Cookie"] = response.getheader("Set-Cookie").split(";")[0]
        body["csrf_token"] = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)[1]
    # One untimed POST each: database connections opened, statements compiled.
    body["email"] = f"echauffement{offset}@exemple.fr"
    connection.request("POST", path, urlencode(body), headers)
    response = connection.getresponse()
    response.read()
    if response.status not in (201, 302):
        errors.append(response.status)
    connection.close()
    start.wait()
    # A new connection: gunicorn closes a keep-alive connection idle for 2 s, as this one
    # may have been while the other clients warmed up.
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for n in range(count):
        body["email"] = f"personne{offset + n}@exemple.fr"
        began = time.perf_counter()
        try:
            connection.request("POST", path, urlencode(body), headers)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException) as error:
            errors.append(repr(error))  # counted, and the client carries on
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            continue
        latencies.append(time.perf_counter() - began)
        if response.status not in (201, 302):
            errors.append(response.status)
    connection.close()


def load(port: int, path: str, form: dict, requests: int, csrf: bool, offset: int) -> dict:
    per_client = requests // CLIENTS
    latencies: list[float] = []
    errors: list[int] = []
    start = threading.Barrier(CLIENTS + 1)
    threads = [threading.Thread(target=client, args=(port, path, form, per_client,
                                                      offset + i * per_client, csrf, latencies,
                                                      errors,
                                                      start)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    latencies.sort()
    return {"requests": len(latencies), "errors": len(errors), "seconds": round(elapsed, 2),
            "per_second": round(len(latencies) / elapsed, 1),
            "p50_ms": round(statistics.median(latencies) * 1000, 1),
            "p95_ms": round(latencies[int(len(latencies) * 0.95)] * 1000, 1)}


def bench_database(url: str, directory: Path, requests: int) -> dict:
    """The four runs on one database, then ``journee send-mail``; results as a dict."""
    slug, form = prepare_database(url)
    env = {**os.environ, "JOURNEE_DATABASE_URL": url,
           "JOURNEE_SECRET_KEY": "bench-e869c7753603237a7a993653b823d65a",
           "JOURNEE_MAIL_AUTO_RETRY_SECONDS": "300",
           "JOURNEE_PURGE_INTERVAL_SECONDS": "0",
           # Thousands of registrations from 127.0.0.1: far beyond a real school.
           "JOURNEE_REGISTRATIONS_PER_CLIENT_PER_HOUR": "1000000",
           "JOURNEE_MAIL_FILE_DIR": str(directory / "outbox"),
           "PYTHONPATH": str(ROOT)}
    results: dict = {}
    for run, (name, factory, csrf, extra) in enumerate(RUNS):
        port = free_port()
        server = start_server(factory, port, {**env, **extra})
        path = {"journee_app": f"/e/{slug}/register",
                "form_floor_app": "/floor", "stack_floor_app": "/floor"}.get(factory, "/insert")
        try:
            before = server_cpu_seconds(server)
            results[name] = load(port, path, form, requests, csrf, offset=run * requests)
            results[name]["server_cpu_ms"] = round(
                (server_cpu_seconds(server) - before) * 1000 / results[name]["requests"], 2)
        finally:
            server.terminate()
            server.wait()
    began = time.perf_counter()
    sent = subprocess.run([str(ROOT / ".venv/bin/journee"), "send-mail", "--limit",
                           str(10 * requests)], env=env, capture_output=True,
                          text=True, check=True).stdout.strip()
    results["send_mail"] = {"output": sent,
                            "seconds": round(time.perf_counter() - began, 1)}
    results["statuses"] = registration_statuses(url)
    for name in ("registration", "registration_mail_later"):
        suffix = name.removeprefix("registration")
        for bare in ("bare_insert", "bare_orm_insert", "stack_floor", "form_floor"):
            key = f"ratio{'' if bare == 'bare_insert' else '_' + bare}{suffix}"
            results[key] = round(results[name]["per_second"] / results[bare]["per_second"], 3)
    for floor in ("stack_floor", "form_floor"):
        results[f"ratio_{floor}_to_bare"] = round(
            results[floor]["per_second"] / results["bare_insert"]["per_second"], 3)
    return results


def server_cpu_seconds(server: subprocess.Popen) -> float:
    """CPU time used so far by gunicorn's master and workers (Linux ``/proc``)."""
    children = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True,
                              text=True).stdout.split()
    total = 0
    for pid in [str(server.pid), *children]:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def report(title: str, results: dict) -> None:
    print(f"\n{title}: {CLIENTS} clients, gunicorn 2 workers × {THREADS} threads")
    print(f"{'endpoint':<24}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'CPU ms':>9}{'errors':>8}")
    for name, *_ in RUNS:
        r = results[name]
        print(f"{name:<24}{r['per_second']:>9}{r['p50_ms']:>9}{r['p95_ms']:>9}"
              f"{r['server_cpu_ms']:>9}{r['errors']:>8}")
    print("(CPU ms: the server's CPU time per request, workers and sender thread included)")
    for bare, label in (("", "bare insert"), ("_bare_orm_insert", "bare ORM insert"),
                        ("_stack_floor", "stack floor"), ("_form_floor", "form floor")):
        print(f"ratio registration / {label}: {results['ratio' + bare]:.2f}; with e-mails "
              f"written later: {results['ratio' + bare + '_mail_later']:.2f}")
    print(f"ratio stack floor / bare insert: {results['ratio_stack_floor_to_bare']:.2f}; "
          f"form floor / bare insert: {results['ratio_form_floor_to_bare']:.2f}")
    print(f"journee send-mail afterwards: {results['send_mail']['output']} "
          f"in {results['send_mail']['seconds']} s")
    print(f"registrations stored: {results['statuses']}")


def failed(results: dict, requests: int) -> bool:
    """Errors, or a count of places that is not exactly the capacity."""
    total = 2 * (requests // CLIENTS + 1) * CLIENTS  # the two registration runs, warm-up
    expected = {"confirmed": min(total, CAPACITY), "waitlisted": max(total - CAPACITY, 0)}
    return (any(results[name]["errors"] for name, *_ in RUNS)
            or results["statuses"] != {k: v for k, v in expected.items() if v})


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL"),
                        help="SQLAlchemy URL of a PostgreSQL server (BENCH_POSTGRES_URL)")
    args = parser.parse_args()
    print(f"{args.requests} POSTs per run, {os.cpu_count()} CPU; the other load on the "
          "machine counts too: compare ratios rather than absolute figures.")
    everything: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        everything["sqlite"] = bench_database(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}",
                                              Path(tmp), args.requests)
    report("SQLite (WAL, synchronous=NORMAL)", everything["sqlite"])
    if args.postgres:
        database = PostgresDatabase(args.postgres)
        try:
            with tempfile.TemporaryDirectory() as tmp:
                everything["postgresql"] = bench_database(database.url, Path(tmp),
                                                          args.requests)
        finally:
            database.drop()
        everything["postgresql"]["server_version"] = database.version
        report(f"PostgreSQL {database.version}", everything["postgresql"])
    else:
        everything["postgresql"] = {"skipped": "no --postgres URL nor BENCH_POSTGRES_URL"}
        print("\nPostgreSQL: skipped (give --postgres URL or BENCH_POSTGRES_URL, or run "
              "scripts/bench-postgres).")
    out = ROOT / "benchmarks/results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "registration_rush.json").write_text(json.dumps(everything, indent=2))
    return 1 if any(failed(r, args.requests) for r in everything.values()
                    if "skipped" not in r) else 0


if __name__ == "__main__":
    sys.exit(main())
