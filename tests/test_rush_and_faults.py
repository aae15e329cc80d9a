"""Rush and faults against a real server: gunicorn, 2 workers, on the test's own database.

Each test loads the IRTS-IDS demo day (registration open today, 50 places) into its copy of
the database, starts gunicorn on it as a subprocess and fires concurrent HTTP clients at
it, each with its own session and CSRF token, as browsers would. Then it reads the database
(and the mail server's inbox) to check what was kept. The last tests back up a SQLite
database while it is being written (``journee backup``). With ``JOURNEE_TEST_DATABASE_URL``
the same tests run on PostgreSQL (``scripts/test-postgres``).
"""

from __future__ import annotations

import email
import email.policy
import http.client
import re
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import func, select
from support.gunicorn_server import SECRET_KEY, GunicornServer, free_port
from support.registration import valid_data

from journee import create_app
from journee.demo import load_demo
from journee.extensions import db
from journee.mail_models import OutboxMessage, OutboxStatus
from journee.programme.models import Event
from journee.registration import services
from journee.registration.emails import queue_registration_confirmation_later
from journee.registration.models import Registration, WorkshopChoice
from journee.secret_links import digest
from journee.util.clock import today_in

CAPACITY = 50
CHOICES = 3  # valid_data ranks three workshops of the day's workshops slot


# The day and the servers ----------------------------------------------------------------

@dataclass
class Day:
    url: str
    app: Flask
    slug: str
    form: dict

    @property
    def form_path(self) -> str:
        return f"/e/{self.slug}/register"


@pytest.fixture
def day(migrated_database, tmp_path):
    """The demo day with shifted dates (registration open today) and 50 places, in this
    test's database; ``day.app`` is an app of the test process on the same database."""
    url = migrated_database.copy(tmp_path, "rush")
    app = create_app({"TESTING": True, "SECRET_KEY": SECRET_KEY,
                      "SQLALCHEMY_DATABASE_URI": url, "PUBLIC_BASE_URL": "http://journee.test",
                      "MAIL_FILE_DIR": str(tmp_path / "outbox")})
    with app.app_context():
        irts = load_demo()[0]
        irts.capacity = CAPACITY
        db.session.commit()
        form = valid_data(irts, phone="", last_name="O'Brien-Lefèvre")
        form.pop("email")
        slug = irts.slug
        db.session.remove()
    yield Day(url, app, slug, form)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def start_server(tmp_path):
    """Start gunicorn on a database; every server started is killed at the end (the
    quickest way out, and harmless: see the SIGKILL test)."""
    started: list[GunicornServer] = []

    def start(url: str, **settings: str) -> GunicornServer:
        # Hundreds of registrations from 127.0.0.1: far beyond a real school's network.
        settings.setdefault("REGISTRATIONS_PER_CLIENT_PER_HOUR", "100000")
        server = GunicornServer(url, tmp_path, **settings)
        started.append(server)
        return server.start()

    yield start
    for server in started:
        if server.process is not None:
            server.kill()


@pytest.fixture
def start_worker():
    """Start ``journee worker`` beside a server, with its settings; killed at the end."""
    started: list[subprocess.Popen] = []

    def start(server: GunicornServer) -> subprocess.Popen:
        with (server.directory / "worker.log").open("ab") as log:
            worker = subprocess.Popen(
                [str(Path(sys.executable).parent / "journee"), "worker", "--max-sleep", "1"],
                env=server.env, stdout=subprocess.DEVNULL, stderr=log)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.kill()
        worker.wait()


# Concurrent clients ---------------------------------------------------------------------

@dataclass
class Answer:
    key: str
    status: int | None
    """``None``: no answer (connection refused or cut)."""
    location: str = ""
    error: str = ""


@dataclass
class Client:
    """One browser: it loads ``path`` (session cookie, CSRF token), then posts each body."""

    path: str
    bodies: list[tuple[str, dict]]
    """(key, form) pairs: the key names the answer (an e-mail, a token)."""


def fire(server: GunicornServer, clients: list[Client], answers: list[Answer] | None = None,
         stop_on_error: bool = False) -> list[Answer]:
    """Every client loads its form, then all post at the same moment; their answers.

    ``answers`` may be given to watch them arrive from another thread.
    """
    answers = [] if answers is None else answers
    start = threading.Barrier(len(clients))

    def run(client: Client) -> None:
        try:
            cookie, token = server.form_session(client.path)
        except BaseException:
            start.abort()  # the others stop waiting: the test fails at once
            raise
        start.wait(timeout=300)
        for key, body in client.bodies:
            try:
                status, headers, _ = server.request(
                    "POST", client.path, {**body, "csrf_token": token}, cookie)
            except (OSError, http.client.HTTPException) as error:
                answers.append(Answer(key, None, error=repr(error)))
                if stop_on_error:
                    return
            else:
                answers.append(Answer(key, status, headers.get("location", "")))

    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        for future in [pool.submit(run, client) for client in clients]:
            future.result()
    return answers


def registering(day: Day, emails: list[str], clients: int) -> list[Client]:
    """``clients`` browsers sharing the registrations of ``emails`` between them."""
    return [Client(day.form_path, [(address, {**day.form, "email": address})
                                   for address in emails[n::clients]])
            for n in range(clients)]


def accepted(day: Day, answer: Answer) -> bool:
    """Whether a registration's answer is the page every accepted registration gets."""
    return answer.status == 302 and answer.location == f"/e/{day.slug}/register/done"


# What the database holds ----------------------------------------------------------------

@dataclass
class Row:
    id: int
    email: str
    token_digest: str
    status: str
    changed: bool
    """Updated after it was written (here: promoted or cancelled)."""
    choices: int
    outbox: Counter
    """Its outbox messages by kind."""


@dataclass
class State:
    rows: dict[str, Row]
    """By e-mail."""
    orphan_choices: int
    outbox: list

    def count(self, status: str) -> int:
        return sum(row.status == status for row in self.rows.values())

    def statuses(self) -> dict[str, int]:
        return dict(Counter(row.status for row in self.rows.values()))


def state(app) -> State:
    with app.app_context():
        choices = dict(db.session.execute(
            select(WorkshopChoice.registration_id, func.count(WorkshopChoice.id))
            .group_by(WorkshopChoice.registration_id)).all())
        orphans = db.session.scalar(
            select(func.count(WorkshopChoice.id))
            .outerjoin(Registration, Registration.id == WorkshopChoice.registration_id)
            .where(Registration.id.is_(None)))
        outbox = db.session.execute(
            select(OutboxMessage.registration_id, OutboxMessage.kind, OutboxMessage.status,
                   OutboxMessage.attempts, OutboxMessage.last_error)).all()
        by_registration: dict[int, Counter] = {}
        for message in outbox:
            by_registration.setdefault(message.registration_id, Counter())[message.kind] += 1
        rows = {}
        for r in db.session.execute(
                select(Registration.id, Registration.email, Registration.token_digest,
                       Registration.status, Registration.created_at,
                       Registration.updated_at)).all():
            assert r.email not in rows, f"{r.email} registered twice"
            rows[r.email] = Row(r.id, r.email, r.token_digest, r.status.value,
                                r.updated_at != r.created_at, choices.get(r.id, 0),
                                by_registration.get(r.id, Counter()))
        db.session.remove()
    return State(rows, orphans, outbox)


def assert_no_server_error(server: GunicornServer) -> None:
    log = server.log()
    assert "Traceback" not in log and "Exception on" not in log, log[-5000:]


def assert_whole(current: State) -> None:
    """No half-written registration: each has its choices and its confirmation e-mail,
    no choice is left without its registration, and the day is never overbooked."""
    assert current.orphan_choices == 0
    assert {row.email: row.choices for row in current.rows.values() if row.choices != CHOICES} \
        == {}
    assert {row.email: row.outbox["confirmation"] for row in current.rows.values()
            if row.outbox["confirmation"] != 1} == {}
    assert current.count("confirmed") <= CAPACITY


# 1. 500 registrations for 50 places -----------------------------------------------------

@pytest.mark.slow
def test_500_simultaneous_registrations_for_50_places(day, start_server):
    server = start_server(day.url)
    emails = [f"personne{n}@exemple.fr" for n in range(500)]

    answers = fire(server, registering(day, emails, clients=100))

    assert len(answers) == 500
    assert all(accepted(day, answer) for answer in answers)
    current = state(day.app)
    assert current.statuses() == {"confirmed": CAPACITY, "waitlisted": 450}
    # Every answered registration is stored, once, with its confirmation (and so its
    # link) queued: assert_whole.
    assert sorted(current.rows) == sorted(emails)
    assert_whole(current)
    assert_no_server_error(server)


# 2. Cancellations and registrations at once ---------------------------------------------

@pytest.mark.slow
def test_cancellations_and_registrations_at_once_promote_each_person_once(day, start_server):
    with day.app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == day.slug))
        today = today_in(event.timezone)
        slot = next(s for s in event.workshop_sessions if s.workshops)
        choices = {slot.id: [w.id for w in slot.workshops[:CHOICES]]}
        tokens = {}
        for n in range(70):  # 50 places taken, 20 people waiting, in this order
            registration = services.register(event.id, services.Attendee(
                first_name="Ἀλέξανδρος", last_name=f"Дмитрий {n}", profile="professional",
                email=f"avant{n:02d}@exemple.fr", choices=choices), today)
            queue_registration_confirmation_later(registration)
            tokens[registration.email] = registration.token
            db.session.commit()
        db.session.remove()
    before = state(day.app)
    assert before.statuses() == {"confirmed": CAPACITY, "waitlisted": 20}
    cancelling = [row for row in before.rows.values() if row.status == "confirmed"]
    waiting = {row.email for row in before.rows.values() if row.status == "waitlisted"}
    newcomers = [f"nouveau{n}@exemple.fr" for n in range(50)]
    server = start_server(day.url)

    clients = [Client(f"/r/{tokens[row.email]}/annuler", [(row.email, {})])
               for row in cancelling]
    clients += registering(day, newcomers, clients=50)
    answers = fire(server, clients)

    assert Counter(answer.status for answer in answers) == {302: 100}
    for answer in answers:
        if answer.key in newcomers:
            assert accepted(day, answer), answer
        else:  # back to the self-service page, with the cancellation done
            assert answer.location == f"/r/{tokens[answer.key]}", answer
    after = state(day.app)
    # Every place freed went to someone: exactly the capacity, nobody over it.
    assert after.statuses() == {"confirmed": CAPACITY, "waitlisted": 20, "cancelled": 50}
    assert {row.email for row in after.rows.values() if row.status == "cancelled"} \
        == {row.email for row in cancelling}
    # The people waiting before came first: all promoted, each told once.
    assert {row.email: (row.status, row.outbox["promotion"]) for row in after.rows.values()
            if row.email in waiting} == {address: ("confirmed", 1) for address in waiting}
    # One promotion e-mail per promotion (a confirmed row changed since it was written),
    # none for anybody else; the other newcomers took a freed place directly.
    promoted = {row.email for row in after.rows.values()
                if row.status == "confirmed" and row.changed}
    assert {row.email: row.outbox["promotion"] for row in after.rows.values()
            if row.outbox["promotion"] or row.email in promoted} \
        == {address: 1 for address in promoted}
    assert_whole(after)
    assert_no_server_error(server)


# 3. The mail server down during a rush ---------------------------------------------------

class Inbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[tuple[str, ...], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((tuple(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


def subject_of(content: bytes) -> str:
    return str(make_header(decode_header(email.message_from_bytes(content)["Subject"])))


def link_of(content: bytes) -> str:
    """The self-service path in a message's text part."""
    message = email.message_from_bytes(content, policy=email.policy.default)
    [path] = set(re.findall(r"http://journee\.test(/r/[A-Za-z0-9_-]+)",
                            message.get_body(("plain",)).get_content()))
    return path


def every_message(app, predicate):
    """For :func:`wait_for`: the database state once every outbox message satisfies
    ``predicate``, else ``None``."""
    def check() -> State | None:
        current = state(app)
        return current if all(predicate(message) for message in current.outbox) else None
    return check


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"toujours pas au bout de {timeout} s : {what}")
        time.sleep(0.5)


@pytest.mark.slow
def test_registrations_kept_while_smtp_is_down_and_mailed_once_when_back(day, start_server,
                                                                         start_worker):
    smtp_port = free_port()  # nothing listens there yet
    settings = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp_port),
                "MAIL_SMTP_TIMEOUT": "5", "MAIL_AUTO_RETRY_SECONDS": "2"}
    server = start_server(day.url, **settings)
    # As deployed: gunicorn serves, a worker next to it runs the periodic jobs.
    worker = start_worker(server)
    emails = [f"sans.courrier{n}@exemple.fr" for n in range(100)]

    answers = fire(server, registering(day, emails, clients=50))

    assert Counter(answer.status for answer in answers) == {302: 100}
    current = state(day.app)
    assert current.statuses() == {"confirmed": CAPACITY, "waitlisted": 50}
    assert sorted(current.rows) == sorted(emails)
    assert_whole(current)
    # The server tried to send each one and failed; each stays waiting, nothing is lost.
    # Claimed ten at a time, a message counts its attempt before its turn: tried means
    # its failure is written.
    tried = wait_for(every_message(day.app, lambda m: m.attempts > 0 and m.last_error), 60,
                     "chaque e-mail essayé une fois")
    assert {m.status for m in tried.outbox} == {OutboxStatus.PENDING}
    assert all("Connection refused" in m.last_error for m in tried.outbox), \
        {m.last_error for m in tried.outbox}

    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    try:
        # The worker sends on its own; an administrator running « journee send-mail »
        # meanwhile must not send anything twice.
        cli = subprocess.run([str(Path(sys.executable).parent / "journee"), "send-mail"],
                             env=server.env, capture_output=True, text=True, timeout=120,
                             check=False)
        assert cli.returncode == 0, cli.stderr
        assert re.fullmatch(r"\d+ messages? envoyés?, 0 en échec\.", cli.stdout.strip()), \
            cli.stdout
        sent = wait_for(every_message(day.app, lambda m: m.status == OutboxStatus.SENT), 90,
                        "tous les e-mails envoyés")
        server.kill()  # nothing more can be sent once the inbox is counted
        worker.terminate()
        assert worker.wait(timeout=30) == 0
    finally:
        smtp.stop()

    assert min(message.attempts for message in sent.outbox) >= 2  # failed, then sent
    received = Counter(to for recipients, _ in inbox.messages for to in recipients)
    assert received == Counter(emails)  # each person's confirmation arrived exactly once
    subjects = {recipients[0]: subject_of(content) for recipients, content in inbox.messages}
    links = {recipients[0]: link_of(content) for recipients, content in inbox.messages}
    final = state(day.app)
    for address, row in final.rows.items():
        expected = ("Inscription confirmée" if row.status == "confirmed"
                    else "Liste d’attente")
        assert subjects[address].startswith(expected), (address, subjects[address])
        # The only way to one's page after registering: the link in the e-mail.
        assert digest(links[address].removeprefix("/r/")) == row.token_digest, address
    assert_no_server_error(server)


@pytest.mark.slow
def test_after_a_rush_the_worker_sends_each_confirmation_once(day, start_server, start_worker):
    """As deployed: the requests answer without sending; ``journee worker`` finds each
    new confirmation within its poll, writes it and sends it, once."""
    smtp_port = free_port()
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    try:
        server = start_server(day.url, SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp_port),
                              MAIL_SMTP_TIMEOUT="5")
        worker = start_worker(server)
        emails = [f"ruee{n}@exemple.fr" for n in range(80)]

        answers = fire(server, registering(day, emails, clients=20))

        assert Counter(answer.status for answer in answers) == {302: 80}
        sent = wait_for(every_message(day.app, lambda m: m.status == OutboxStatus.SENT), 60,
                        "tous les e-mails envoyés")
        time.sleep(2)  # several more looks of the worker: nothing is sent again
        server.kill()
        worker.terminate()
        assert worker.wait(timeout=30) == 0
    finally:
        smtp.stop()

    assert_whole(sent)
    assert sent.statuses() == {"confirmed": CAPACITY, "waitlisted": 30}
    assert {message.attempts for message in sent.outbox} == {1}  # written and sent once
    received = Counter(to for recipients, _ in inbox.messages for to in recipients)
    assert received == Counter(emails)
    links = {recipients[0]: link_of(content) for recipients, content in inbox.messages}
    for address, row in sent.rows.items():
        assert digest(links[address].removeprefix("/r/")) == row.token_digest, address
    assert_no_server_error(server)


# 4. SIGKILL in the middle of a rush -----------------------------------------------------

@pytest.mark.slow
def test_sigkill_mid_rush_loses_no_answered_registration(day, start_server):
    server = start_server(day.url)
    emails = [f"coupure{n}@exemple.fr" for n in range(400)]
    answers: list[Answer] = []
    rush = threading.Thread(target=fire, args=(server, registering(day, emails, clients=40),
                                               answers, True))
    rush.start()
    wait_for(lambda: sum(answer.status == 302 for answer in answers) >= 60, 120,
             "60 inscriptions avant la coupure")
    server.kill()
    rush.join(timeout=120)
    assert not rush.is_alive()

    answered = {answer.key: answer for answer in answers if answer.status is not None}
    # Requests were in flight: their connections were cut, not refused.
    assert [a for a in answers if a.status is None and "Refused" not in a.error], answers
    assert all(accepted(day, answer) for answer in answered.values())
    if day.url.startswith("sqlite"):
        with sqlite3.connect(day.url.removeprefix("sqlite:///")) as check:
            assert check.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert check.execute("PRAGMA foreign_key_check").fetchall() == []
        check.close()
    after_kill = state(day.app)
    assert_whole(after_kill)
    # Every registration that got its success answer is there, its confirmation queued.
    assert set(answered) <= set(after_kill.rows)
    # Nothing stored that nobody asked for; a request cut after its commit may be stored.
    assert set(after_kill.rows) <= {answer.key for answer in answers}
    stored = len(after_kill.rows)
    assert after_kill.count("confirmed") == min(stored, CAPACITY)

    restarted = start_server(day.url)
    more = [f"apres.coupure{n}@exemple.fr" for n in range(40)]
    again = fire(restarted, registering(day, more, clients=20))
    assert Counter(answer.status for answer in again) == {302: 40}
    final = state(day.app)
    assert set(final.rows) == set(after_kill.rows) | set(more)
    assert final.statuses() == {"confirmed": CAPACITY, "waitlisted": stored + 40 - CAPACITY}
    assert_whole(final)
    assert_no_server_error(restarted)


# 5. A consistent backup of a live SQLite database ----------------------------------------

def backup_runner(url: str, instance: Path):
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": url})
    app.instance_path = str(instance)
    return app.test_cli_runner()


def live_database(path: Path) -> sqlite3.Connection:
    """A WAL database of 20,000 rows, all still in the WAL file (no checkpoint) while the
    connection returned stays open, as in a database the app is using."""
    connection = sqlite3.connect(path, timeout=30, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA wal_autocheckpoint=0")
    connection.execute("CREATE TABLE probe (id INTEGER PRIMARY KEY, batch INTEGER NOT NULL, "
                       "payload TEXT NOT NULL)")
    connection.execute("BEGIN")
    connection.executemany("INSERT INTO probe (batch, payload) VALUES (0, ?)",
                           [("Zoé <Dupont> & Cie " * 10,) for _ in range(20_000)])
    connection.execute("COMMIT")
    return connection


def test_backup_of_a_database_being_written(tmp_path):
    live = tmp_path / "live.sqlite3"
    app_connection = live_database(live)
    assert Path(f"{live}-wal").stat().st_size > 1_000_000  # the rows are in the WAL
    committed: list[int] = []  # batches, once committed
    stop = threading.Event()

    def keep_writing() -> None:
        """Transactions of five rows each, one after the other, until told to stop."""
        connection = sqlite3.connect(live, timeout=30, isolation_level=None)
        connection.execute("PRAGMA wal_autocheckpoint=0")
        batch = 0
        while not stop.is_set() or batch < 20:
            batch += 1
            connection.execute("BEGIN IMMEDIATE")
            connection.executemany("INSERT INTO probe (batch, payload) VALUES (?, 'pendant')",
                                   [(batch,)] * 5)
            connection.execute("COMMIT")
            committed.append(batch)
        connection.close()

    runner = backup_runner(f"sqlite:///{live}", tmp_path / "instance")
    writer = threading.Thread(target=keep_writing)
    writer.start()
    while len(committed) < 10:
        time.sleep(0.01)
    before = list(committed)  # committed before the backup began
    result = runner.invoke(args=["backup", str(tmp_path / "copie.sqlite3")])
    stop.set()
    writer.join()
    app_connection.close()

    assert result.exit_code == 0, result.output
    assert result.output.startswith("Sauvegarde vérifiée (integrity_check\u202f: ok)\u202f: "
                                    f"{tmp_path / 'copie.sqlite3'} ("), result.output
    copy = sqlite3.connect(tmp_path / "copie.sqlite3")
    try:
        assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        batches = dict(copy.execute("SELECT batch, count(*) FROM probe GROUP BY batch"))
        # One self-contained file: readable without any -wal file next to it.
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    finally:
        copy.close()
    assert batches.pop(0) == 20_000
    assert set(before) <= set(batches) <= set(committed)
    # Each transaction whole, or not there at all.
    assert set(batches.values()) == {5}


def test_backup_default_destination_and_refusals(tmp_path, migrated_database):
    live = tmp_path / "journee.sqlite3"
    live_database(live).close()
    runner = backup_runner(f"sqlite:///{live}", tmp_path / "instance")

    result = runner.invoke(args=["backup"])
    assert result.exit_code == 0, result.output
    written = list((tmp_path / "instance" / "backups").glob("journee-*.sqlite3"))
    assert len(written) == 1 and str(written[0]) in result.output
    with sqlite3.connect(written[0]) as copy:
        assert copy.execute("SELECT count(*) FROM probe").fetchone() == (20_000,)
    copy.close()
    # A folder, existing or to create (named with a final slash, as in the cron example).
    existing, new = tmp_path / "sauvegardes", tmp_path / "nouveau" / "dossier"
    existing.mkdir()
    assert runner.invoke(args=["backup", str(existing)]).exit_code == 0
    assert runner.invoke(args=["backup", f"{new}/"]).exit_code == 0
    assert len(list(existing.glob("journee-*.sqlite3"))) == 1
    assert len(list(new.glob("journee-*.sqlite3"))) == 1

    # Never over the live database itself.
    refused = runner.invoke(args=["backup", str(live)])
    assert refused.exit_code == 1
    assert "ne peut pas remplacer la base elle-même" in refused.output
    with sqlite3.connect(live) as check:
        assert check.execute("SELECT count(*) FROM probe").fetchone() == (20_000,)
    check.close()

    # PostgreSQL: pg_dump, said in French, and a failure exit code for cron.
    url = (migrated_database.url if migrated_database.dialect == "postgresql"
           else "postgresql+psycopg://journee@/journee?host=/nulle-part")
    refused = backup_runner(url, tmp_path / "instance").invoke(args=["backup"])
    assert refused.exit_code == 1
    assert "pg_dump" in refused.output and "pg_restore" in refused.output
    assert "Cette installation utilise PostgreSQL" in refused.output
