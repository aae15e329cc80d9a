"""Registration POST throughput on a real WSGI server against a bare insert endpoint.

gunicorn, 2 workers (4 threads each), SQLite in WAL mode; 50 concurrent clients, each
keeping its connection and session: it loads the form once (CSRF token and cookie), then
posts registrations with new e-mail addresses. The bare endpoint gets the same clients
and inserts one row per POST into the same database file.

The registration runs twice: as deployed by default (each confirmation e-mail is written
and sent by the worker's sender thread, woken after each commit, on the same two cores),
and with ``MAIL_DELIVER_AFTER_COMMIT`` off (e-mails queued with the registration, written
and sent afterwards by ``journee send-mail``, timed separately).

Usage: .venv/bin/python benchmarks/bench_registration_rush.py [--requests 2000]
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_database(path: Path) -> tuple[str, dict]:
    """Migrate, load the demo day (registration open today), return its slug and a form."""
    from flask_migrate import upgrade

    from journee import create_app
    from journee.extensions import db
    from journee.programme.demo import load_demo

    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        upgrade()
        irts = load_demo()[0]
        irts.capacity = 1000
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
        db.session.execute(db.text(
            "CREATE TABLE bare_registration (id INTEGER PRIMARY KEY, email TEXT UNIQUE, "
            "first_name TEXT, last_name TEXT)"))
        db.session.commit()
        slug = irts.slug
        db.engine.dispose()
    return slug, form


def start_server(factory: str, port: int, env: dict) -> subprocess.Popen:
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "--workers", "2", "--threads", "4",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
         f"benchmarks.wsgi_apps:{factory}()"], cwd=ROOT, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
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
    start.wait()
    for n in range(count):
        body["email"] = f"personne{offset + n}@exemple.fr"
        began = time.perf_counter()
        connection.request("POST", path, urlencode(body), headers)
        response = connection.getresponse()
        response.read()
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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "bench.sqlite3"
        slug, form = prepare_database(database)
        env = {**os.environ, "JOURNEE_DATABASE_URL": f"sqlite:///{database}",
               "JOURNEE_SECRET_KEY": "bench", "JOURNEE_MAIL_AUTO_RETRY_SECONDS": "300",
               "JOURNEE_PURGE_INTERVAL_SECONDS": "0",
               "JOURNEE_MAIL_FILE_DIR": str(Path(tmp) / "outbox"),
               "PYTHONPATH": str(ROOT)}
        results = {}
        runs = (("registration", "journee_app", True, {}),
                ("registration_mail_later", "journee_app", True,
                 {"JOURNEE_MAIL_DELIVER_AFTER_COMMIT": "false"}),
                ("bare_insert", "bare_app", False, {}),
                ("bare_orm_insert", "bare_orm_app", False, {}))
        for run, (name, factory, csrf, extra) in enumerate(runs):
            port = free_port()
            server = start_server(factory, port, {**env, **extra})
            path = f"/e/{slug}/register" if factory == "journee_app" else "/insert"
            try:
                results[name] = load(port, path, form, args.requests, csrf,
                                     offset=run * args.requests)
            finally:
                server.terminate()
                server.wait()
        began = time.perf_counter()
        sent = subprocess.run([str(ROOT / ".venv/bin/journee"), "send-mail", "--limit",
                               str(10 * args.requests)], env=env, capture_output=True,
                              text=True, check=True).stdout.strip()
        send_seconds = time.perf_counter() - began
        results["send_mail"] = {"output": sent, "seconds": round(send_seconds, 1)}
        import sqlite3
        with sqlite3.connect(database) as check:
            statuses = dict(check.execute(
                "SELECT status, count(*) FROM registration GROUP BY status").fetchall())
        bare = results["bare_insert"]["per_second"]
        ratio = results["registration"]["per_second"] / bare
        later_ratio = results["registration_mail_later"]["per_second"] / bare
        orm = results["bare_orm_insert"]["per_second"]
        orm_ratio = results["registration"]["per_second"] / orm
        later_orm_ratio = results["registration_mail_later"]["per_second"] / orm
    print(f"{CLIENTS} clients, {args.requests} POSTs each run, gunicorn 2 workers × 4 threads,"
          " SQLite WAL")
    print(f"{'endpoint':<24}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}")
    for name in ("registration", "registration_mail_later", "bare_insert", "bare_orm_insert"):
        r = results[name]
        print(f"{name:<24}{r['per_second']:>9}{r['p50_ms']:>9}{r['p95_ms']:>9}{r['errors']:>8}")
    print(f"ratio registration / bare insert: {ratio:.2f}; with e-mails written later: "
          f"{later_ratio:.2f} (target ≥ 0.5)")
    print(f"ratio registration / bare ORM insert: {orm_ratio:.2f}; with e-mails written "
          f"later: {later_orm_ratio:.2f}")
    print(f"journee send-mail afterwards: {results['send_mail']['output']} "
          f"in {results['send_mail']['seconds']} s")
    print(f"registrations stored: {statuses}")
    out = ROOT / "benchmarks/results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "registration_rush.json").write_text(json.dumps(
        {**results, "ratio": round(ratio, 3), "ratio_mail_later": round(later_ratio, 3),
         "ratio_orm": round(orm_ratio, 3), "ratio_orm_mail_later": round(later_orm_ratio, 3),
         "statuses": statuses}, indent=2))
    failed = any(results[name]["errors"] for name in ("registration", "registration_mail_later",
                                                       "bare_insert", "bare_orm_insert"))
    return 1 if failed or statuses.get("confirmed") != 1000 else 0


if __name__ == "__main__":
    sys.exit(main())
