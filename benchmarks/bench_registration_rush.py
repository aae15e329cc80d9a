"""The whole public registration under a rush, on a real WSGI server, against the
full-flow floor, on SQLite and on PostgreSQL.

What a browser and a mailbox do, for each person: GET the form (a new session, hence a
new CSRF token), POST it, wait for the confirmation e-mail at a real SMTP server (run by
this script, aiosmtpd), read the personal link in it, GET ``/r/<token>``. A whole
registration is timed from the GET to the page of the link. The same clients do the same
with the floor (``benchmarks/wsgi_apps.py:full_flow_floor_app``: Flask, Jinja and
SQLAlchemy Core, pages and e-mail as large as Journée's, the same calendar), run after
run in turn, so that the other load on the machine weighs on both alike.

gunicorn, 2 workers × 4 threads as the README deploys it (``BENCH_THREADS`` changes the
threads), and beside Journée's ``journee worker``, as deployed: the POST commits the
registration and its outbox row and answers; the worker, which looks for new messages
every ``TASKS_POLL_SECONDS``, writes and sends the confirmation. The floor writes and
sends its e-mail in the request. Each run reports registrations per second, p50 and p95
of a whole registration, the server's CPU time per registration (gunicorn's workers and
master, and Journée's worker: composing and sending count, from ``/proc``), and when the
e-mail arrived after the POST's answer (median and p95; 0 when it came before the
answer, as the floor's does). At the end, the database must
hold exactly what was sent: one registration, one sent outbox row and one
``attendee.register`` audit entry per person, and the SMTP server exactly one e-mail
per address; any error or difference makes the script fail.

SQLite always runs (WAL, in a temporary folder). PostgreSQL runs when a server is given
with ``--postgres URL`` or ``BENCH_POSTGRES_URL`` (a SQLAlchemy URL; the benchmark
creates, then drops, a database of its own there); ``scripts/bench-postgres`` starts a
throwaway cluster and passes it.

Usage: .venv/bin/python benchmarks/bench_registration_rush.py [--clients 20]
           [--registrations 500] [--runs 3] [--postgres URL]
"""

from __future__ import annotations

import argparse
import email
import email.policy
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
# This checkout's code, also in this process (migrations, demo day, measured pages), as
# in the servers (PYTHONPATH): not an editable install of another checkout.
sys.path.insert(0, str(ROOT))
THREADS = os.environ.get("BENCH_THREADS", "4")
SECRET = "bench-e869c7753603237a7a993653b823d65a"
#: Far more places than the runs register: every registration is confirmed and gets the
#: same e-mail (the rush tests check the capacity itself, tests/test_rush_and_faults.py).
CAPACITY = 100_000
#: name, WSGI factory, form path, personal page prefix
APPS = (("journee", "journee_app", "/e/{slug}/register", "/r/"),
        ("floor", "full_flow_floor_app", "/floor/e/{slug}/register", "/floor/r/"))
LINK = re.compile(r"/r/([A-Za-z0-9_-]{20,})")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_database(url: str, directory: Path | None = None) -> tuple[str, dict, dict]:
    """Migrate and load the demo day (registration open today); return its slug, a
    filled-in form, and the sizes of Journée's form page, personal page and e-mail parts
    (measured on one registration, « mesure@exemple.fr », whose e-mail goes to files in
    *directory*)."""
    from flask_migrate import upgrade

    from journee import create_app
    from journee.demo import load_demo
    from journee.extensions import db
    from journee.mail_models import OutboxMessage
    from journee.registration.models import Registration

    config = {"SECRET_KEY": SECRET, "SQLALCHEMY_DATABASE_URI": url,
              "MAIL_AUTO_RETRY_SECONDS": 0, "PURGE_INTERVAL_SECONDS": 0}
    if directory is not None:
        config["MAIL_FILE_DIR"] = str(directory / "outbox")
    app = create_app(config)
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
        slug = irts.slug
    sizes = {}
    if directory is not None:
        client = app.test_client()
        path = f"/e/{slug}/register"
        page = client.get(path)
        sizes["form"] = len(page.data)
        csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text)[1]
        client.post(path, data={**form, "email": "mesure@exemple.fr", "csrf_token": csrf})
        with app.app_context():
            registration = db.session.execute(db.select(Registration).filter_by(
                email="mesure@exemple.fr")).scalar_one()
            sizes["person"] = len(client.get(f"/r/{registration.token}").data)
            raw = db.session.execute(db.select(OutboxMessage.message).filter_by(
                registration_id=registration.id)).scalar_one()
        message = email.message_from_bytes(raw, policy=email.policy.default)
        sizes["mail_text"] = len(message.get_body(("plain",)).get_content().encode())
        sizes["mail_html"] = len(message.get_body(("html",)).get_content().encode())
    with app.app_context():
        db.engine.dispose()
    return slug, form, sizes


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


class Mailbox:
    """The SMTP server the apps send to: the personal link of each address, and how many
    e-mails each address received."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.port = free_port()
        self.links: dict[str, str] = {}
        self.received: dict[str, int] = {}
        self.arrival: dict[str, float] = {}
        """``time.perf_counter()`` when each address's first e-mail arrived."""
        self.arrived = threading.Condition()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content,
                                           policy=email.policy.default)
        found = LINK.search(message.get_body(("plain",)).get_content())
        with self.arrived:
            for address in envelope.rcpt_tos:
                self.received[address] = self.received.get(address, 0) + 1
                self.arrival.setdefault(address, time.perf_counter())
                if found:
                    self.links[address] = found[1]
            self.arrived.notify_all()
        return "250 Message accepted for delivery"

    def link_for(self, address: str, timeout: float = 60) -> str | None:
        with self.arrived:
            self.arrived.wait_for(lambda: address in self.links, timeout)
            return self.links.get(address)

    def stop(self) -> None:
        self.controller.stop()


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


def start_worker(env: dict) -> subprocess.Popen:
    """``journee worker``, beside gunicorn as deployed: it sends Journée's e-mails."""
    return subprocess.Popen([str(ROOT / ".venv/bin/journee"), "worker"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL)


def server_cpu_seconds(processes: list[subprocess.Popen]) -> float:
    """CPU time used so far by these processes and their children: gunicorn's master and
    workers, Journée's worker (Linux ``/proc``)."""
    pids = []
    for process in processes:
        pids.append(str(process.pid))
        pids += subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True,
                               text=True).stdout.split()
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


class Person:
    """One browser: its own connection and cookies."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, body: str | None = None,
                headers: dict | None = None) -> http.client.HTTPResponse:
        try:
            self.connection.request(method, path, body, headers or {})
            response = self.connection.getresponse()
        except (OSError, http.client.HTTPException):
            # gunicorn closes a keep-alive connection idle for 2 s: open a new one, once.
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.connection.request(method, path, body, headers or {})
            response = self.connection.getresponse()
        response.body = response.read()
        return response

    def register(self, form_path: str, link_prefix: str, form: dict, address: str,
                 mailbox: Mailbox) -> str | None:
        """A whole registration; returns what went wrong, if anything. ``self.answered``:
        when the POST's answer came."""
        page = self.request("GET", form_path)
        if page.status != 200:
            return f"GET form: {page.status}"
        body = {**form, "email": address}
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        cookie = page.getheader("Set-Cookie")
        if cookie:
            headers["Cookie"] = cookie.split(";")[0]
        html = page.body.decode()
        csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
        if csrf:
            body["csrf_token"] = csrf[1]
        answer = self.request("POST", form_path, urlencode(body), headers)
        self.answered = time.perf_counter()
        if answer.status != 302:
            return f"POST: {answer.status}"
        token = mailbox.link_for(address)
        if token is None:
            return "no e-mail"
        mine = self.request("GET", f"{link_prefix}{token}")
        if mine.status != 200:
            return f"GET link: {mine.status}"
        return None

    def close(self) -> None:
        self.connection.close()


def client(port: int, app: tuple, slug: str, form: dict, count: int, prefix: str,
           mailbox: Mailbox, latencies: list, delays: list, errors: list,
           start: threading.Barrier) -> None:
    _, _, form_path, link_prefix = app
    form_path = form_path.format(slug=slug)
    person = Person(port)
    # One untimed registration each: connections opened, statements compiled.
    problem = person.register(form_path, link_prefix, form,
                              f"{prefix}-echauffement@exemple.fr", mailbox)
    if problem:
        errors.append(problem)
    start.wait()
    for n in range(count):
        began = time.perf_counter()
        try:
            problem = person.register(form_path, link_prefix, form,
                                      f"{prefix}-{n}@exemple.fr", mailbox)
        except (OSError, http.client.HTTPException) as error:
            problem = repr(error)
        if problem:
            errors.append(problem)  # counted, and the client carries on
        else:
            latencies.append(time.perf_counter() - began)
            address = f"{prefix}-{n}@exemple.fr"
            delays.append(max(0.0, mailbox.arrival[address] - person.answered))
    person.close()


def run(port: int, processes: list[subprocess.Popen], app: tuple, slug: str, form: dict,
        clients: int, registrations: int, tag: str, mailbox: Mailbox) -> dict:
    per_client = registrations // clients
    latencies: list[float] = []
    delays: list[float] = []
    errors: list[str] = []
    start = threading.Barrier(clients + 1)
    threads = [threading.Thread(target=client, args=(
        port, app, slug, form, per_client, f"{tag}-c{i}", mailbox, latencies, delays,
        errors, start)) for i in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    cpu = server_cpu_seconds(processes)
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    cpu = server_cpu_seconds(processes) - cpu
    latencies.sort()
    delays.sort()
    done = max(len(latencies), 1)
    return {"registrations": len(latencies), "errors": len(errors),
            "error_kinds": sorted(set(errors))[:5], "seconds": round(elapsed, 2),
            "per_second": round(len(latencies) / elapsed, 1),
            "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
            "p95_ms": round(latencies[int(len(latencies) * 0.95)] * 1000, 1)
            if latencies else None,
            "server_cpu_ms": round(cpu / done * 1000, 1),
            "mail_p50_ms": round(statistics.median(delays) * 1000, 1) if delays else None,
            "mail_p95_ms": round(delays[int(len(delays) * 0.95)] * 1000, 1)
            if delays else None,
            "expected": clients * (per_client + 1)}


def database_counts(url: str) -> dict:
    """What the database holds for the benchmark's people."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    queries = {
        "journee_registrations": "SELECT count(*) FROM registration WHERE email LIKE 'journee-%'",
        "journee_confirmed": "SELECT count(*) FROM registration WHERE email LIKE 'journee-%' "
                             "AND status = 'confirmed'",
        "journee_sent": "SELECT count(*) FROM outbox_message WHERE to_address LIKE "
                        "'journee-%' AND status = 'sent'",
        "journee_outbox": "SELECT count(*) FROM outbox_message WHERE to_address LIKE "
                          "'journee-%'",
        "journee_audit": "SELECT count(*) FROM audit_entry WHERE action = 'attendee.register'",
        "floor_registrations": "SELECT count(*) FROM floor_registration",
        "floor_sent": "SELECT count(*) FROM floor_outbox WHERE status = 'sent'",
    }
    with engine.connect() as connection:
        counts = {name: connection.execute(text(sql)).scalar()
                  for name, sql in queries.items()}
    engine.dispose()
    counts["journee_audit"] -= 1  # « mesure@exemple.fr », registered to measure the pages
    return counts


def bench_database(url: str, directory: Path, clients: int, registrations: int,
                   runs: int) -> dict:
    slug, form, sizes = prepare_database(url, directory)
    mailbox = Mailbox()
    env = {**os.environ, "JOURNEE_DATABASE_URL": url, "JOURNEE_SECRET_KEY": SECRET,
           # The worker sends the outbox; its other jobs are off.
           "JOURNEE_MAIL_AUTO_RETRY_SECONDS": "300", "JOURNEE_PURGE_INTERVAL_SECONDS": "0",
           "JOURNEE_REMINDER_INTERVAL_SECONDS": "0", "JOURNEE_SURVEY_INTERVAL_SECONDS": "0",
           "JOURNEE_WORKSHOP_PLACES_INTERVAL_SECONDS": "0",
           "JOURNEE_PROGRAMME_NOTICE_INTERVAL_SECONDS": "0",
           # Thousands of registrations from 127.0.0.1: far beyond a real school.
           "JOURNEE_REGISTRATIONS_PER_CLIENT_PER_HOUR": "1000000",
           "JOURNEE_SMTP_HOST": "127.0.0.1", "JOURNEE_MAIL_SMTP_PORT": str(mailbox.port),
           "JOURNEE_PUBLIC_BASE_URL": "http://journee.test",
           "FLOOR_SIZES": json.dumps(sizes), "PYTHONPATH": str(ROOT)}
    servers = {}
    results: dict = {"sizes": sizes, "runs": {name: [] for name, *_ in APPS}}
    try:
        for app in APPS:
            port = free_port()
            servers[app[0]] = (port, [start_server(app[1], port, env)])
        servers["journee"][1].append(start_worker(env))
        for number in range(runs):
            for app in APPS:
                port, processes = servers[app[0]]
                results["runs"][app[0]].append(run(
                    port, processes, app, slug, form, clients, registrations,
                    f"{app[0]}-{number}", mailbox))
    finally:
        for _, processes in servers.values():
            for process in processes:
                process.terminate()
                process.wait()
        mailbox.stop()
    counts = database_counts(url)
    expected = {name: sum(r["expected"] for r in rs) for name, rs in results["runs"].items()}
    sent_to = {address: n for address, n in mailbox.received.items()
               if address != "mesure@exemple.fr"}
    results["counts"] = counts
    results["expected"] = expected
    results["emails_received"] = sum(sent_to.values())
    results["addresses_with_more_than_one_email"] = sum(1 for n in sent_to.values() if n != 1)
    results["exact"] = (
        all(counts[f"journee_{k}"] == expected["journee"]
            for k in ("registrations", "confirmed", "sent", "outbox", "audit"))
        and counts["floor_registrations"] == counts["floor_sent"] == expected["floor"]
        and results["emails_received"] == expected["journee"] + expected["floor"]
        and not results["addresses_with_more_than_one_email"])
    for name, rs in results["runs"].items():
        results[name] = {key: statistics.median(r[key] for r in rs)
                         for key in ("per_second", "p50_ms", "p95_ms", "server_cpu_ms",
                                     "mail_p50_ms", "mail_p95_ms")
                         if all(r[key] is not None for r in rs)}
        results[name]["errors"] = sum(r["errors"] for r in rs)
    results["cpu_ratio"] = round(results["journee"]["server_cpu_ms"]
                                 / results["floor"]["server_cpu_ms"], 2)
    return results


def report(title: str, results: dict, clients: int) -> None:
    print(f"\n{title}: {clients} clients, gunicorn 2 workers × {THREADS} threads "
          "(+ journee worker); a whole registration = GET form, POST, e-mail received, GET "
          "its link; « e-mail reçu après » = after the POST's answer")
    print(f"{'':<10}{'run':>4}{'reg/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'CPU ms':>9}"
          f"{'mail p50':>10}{'mail p95':>10}{'errors':>8}")
    for name, rs in results["runs"].items():
        for number, r in enumerate(rs, start=1):
            print(f"{name:<10}{number:>4}{r['per_second']:>8}{r['p50_ms']!s:>9}"
                  f"{r['p95_ms']!s:>9}{r['server_cpu_ms']:>9}{r['mail_p50_ms']!s:>10}"
                  f"{r['mail_p95_ms']!s:>10}{r['errors']:>8}"
                  + (f"  {r['error_kinds']}" if r["errors"] else ""))
    for name in results["runs"]:
        m = results[name]
        print(f"{name:<10} median: {m.get('per_second')} reg/s, p50 {m.get('p50_ms')} ms, "
              f"p95 {m.get('p95_ms')} ms, CPU {m.get('server_cpu_ms')} ms per registration, "
              f"e-mail reçu après p50 {m.get('mail_p50_ms')} ms, p95 {m.get('mail_p95_ms')} ms")
    print(f"server CPU per registration, Journée / floor: {results['cpu_ratio']}")
    print(f"database: {results['counts']} (expected {results['expected']}); e-mails "
          f"received {results['emails_received']}, addresses with other than one: "
          f"{results['addresses_with_more_than_one_email']} → "
          f"{'exact' if results['exact'] else 'NOT EXACT'}")


def failed(results: dict) -> bool:
    return not results["exact"] or any(results[name]["errors"] for name in results["runs"])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--registrations", type=int, default=500,
                        help="timed registrations per run (plus one untimed per client)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each app, in turn")
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL"),
                        help="SQLAlchemy URL of a PostgreSQL server (BENCH_POSTGRES_URL)")
    args = parser.parse_args()
    print(f"{args.registrations} registrations per run, {args.runs} runs of each, "
          f"{os.cpu_count()} CPU, load average {os.getloadavg()[0]:.2f}; the other load on "
          "the machine counts too: compare Journée with the floor rather than absolute "
          "figures.")
    everything: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        everything["sqlite"] = bench_database(
            f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", Path(tmp), args.clients,
            args.registrations, args.runs)
    report("SQLite (WAL, synchronous=NORMAL)", everything["sqlite"], args.clients)
    if args.postgres:
        database = PostgresDatabase(args.postgres)
        try:
            with tempfile.TemporaryDirectory() as tmp:
                everything["postgresql"] = bench_database(
                    database.url, Path(tmp), args.clients, args.registrations, args.runs)
        finally:
            database.drop()
        everything["postgresql"]["server_version"] = database.version
        report(f"PostgreSQL {database.version}", everything["postgresql"], args.clients)
    else:
        everything["postgresql"] = {"skipped": "no --postgres URL nor BENCH_POSTGRES_URL"}
        print("\nPostgreSQL: skipped (give --postgres URL or BENCH_POSTGRES_URL, or run "
              "scripts/bench-postgres).")
    print(f"load average at the end: {os.getloadavg()}")
    out = ROOT / "benchmarks/results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "registration_rush.json").write_text(json.dumps(everything, indent=2))
    return 1 if any(failed(r) for r in everything.values() if "skipped" not in r) else 0


if __name__ == "__main__":
    sys.exit(main())
