"""The periodic jobs: one runner for the outbox and the purge, in-process under
``journee run``, as ``journee worker``, one round with ``journee tick``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from journee import mail, tasks
from journee.cli import main
from journee.extensions import db
from journee.mail_models import OutboxMessage, OutboxStatus
from journee.registration.emails import queue_registration_confirmation
from journee.registration.models import Registration
from journee.registration.services import Attendee, register
from journee.tasks import PeriodicJob, PeriodicJobState
from journee.util.clock import utcnow

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SECRET_KEY = "tasks-test-6f0c1d2e3a4b5c6d7e8f9a0b1c2d3e4f"
#: Only the jobs a test registers: no outbox, no purge.
NO_JOBS = {"MAIL_AUTO_RETRY_SECONDS": 0, "PURGE_INTERVAL_SECONDS": 0}


@pytest.fixture
def app_factory(app_factory):
    """Apps whose commits leave their messages to the runners under test, except where
    a test asks for the delivery after the commit."""
    return lambda **overrides: app_factory(**{"MAIL_DELIVER_AFTER_COMMIT": False,
                                              **overrides})


def wait_until(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"toujours pas au bout de {timeout} s : {what}")
        time.sleep(0.02)
    return value


class Counting:
    """A job that counts its runs, slow enough for two runners to overlap."""

    def __init__(self, seconds: float = 0.0) -> None:
        self.seconds = seconds
        self.runs = 0

    def __call__(self) -> str:
        self.runs += 1
        time.sleep(self.seconds)
        return "compté."


def counting_job(app, name="count", every=timedelta(hours=1), seconds=0.0) -> Counting:
    run = Counting(seconds)
    tasks.register(app, PeriodicJob(name, f"Compter ({name})", every, run))
    return run


def state_of(name: str) -> PeriodicJobState:
    return db.session.execute(select(PeriodicJobState).filter_by(name=name)
                              .execution_options(populate_existing=True)).scalar_one()


def subprocess_env(app, tmp_path, **settings) -> dict:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(tmp_path)]),
            "JOURNEE_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "JOURNEE_SECRET_KEY": SECRET_KEY,
            "JOURNEE_MAIL_FILE_DIR": app.config["MAIL_FILE_DIR"],
            "JOURNEE_REMINDER_INTERVAL_SECONDS": "0",
            "JOURNEE_WORKSHOP_PLACES_INTERVAL_SECONDS": "0",
            "JOURNEE_PROGRAMME_NOTICE_INTERVAL_SECONDS": "0",
            "JOURNEE_SURVEY_INTERVAL_SECONDS": "0",
            **{f"JOURNEE_{name}": str(value) for name, value in settings.items()}}


# One run per period, whoever asks -----------------------------------------------------

def test_a_due_job_runs_once_while_two_runners_tick_at_the_same_time(app_factory):
    app = app_factory(**NO_JOBS)
    count = counting_job(app, seconds=0.3)
    together = threading.Barrier(2)
    outcomes = []

    def tick():
        with app.app_context():
            together.wait(timeout=10)
            outcomes.extend(tasks.run_due())

    runners = [threading.Thread(target=tick) for _ in range(2)]
    for runner in runners:
        runner.start()
    for runner in runners:
        runner.join(timeout=30)

    assert count.runs == 1
    assert sorted(outcome.ran for outcome in outcomes) == [False, True]
    with app.app_context():
        state = state_of("count")
        assert state.claimed_until is None and state.last_finished is not None


HELPER = '''
    import os
    import time
    from datetime import timedelta
    from pathlib import Path

    from journee import create_app, tasks


    def create():
        app = create_app()

        def count():
            with open(os.environ["COUNT_FILE"], "a") as file:
                file.write(f"{os.getpid()}\\n")
            time.sleep(0.5)
            return "compté."

        tasks.register(app, tasks.PeriodicJob("count", "Compter", timedelta(hours=1), count))
        # Both processes start their round at the same moment.
        Path(os.environ["READY_DIR"], str(os.getpid())).touch()
        deadline = time.monotonic() + 60
        while not Path(os.environ["GO_FILE"]).exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        return app
'''


@pytest.mark.slow
def test_a_due_job_runs_once_while_two_processes_tick_at_the_same_time(app_factory,
                                                                        tmp_path):
    app = app_factory(**NO_JOBS)
    (tmp_path / "two_ticks.py").write_text(textwrap.dedent(HELPER))
    ready = tmp_path / "ready"
    ready.mkdir()
    count_file, go = tmp_path / "runs", tmp_path / "go"
    env = {**subprocess_env(app, tmp_path, **NO_JOBS), "COUNT_FILE": str(count_file),
           "READY_DIR": str(ready), "GO_FILE": str(go)}
    ticks = [subprocess.Popen([str(BIN / "flask"), "--app", "two_ticks:create", "tick"],
                              env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    try:
        wait_until(lambda: len(list(ready.iterdir())) == 2, 60, "deux processus prêts")
        go.touch()
        outputs = [tick.communicate(timeout=60) for tick in ticks]
    finally:
        for tick in ticks:
            tick.kill()

    assert [tick.returncode for tick in ticks] == [0, 0], outputs
    assert len(count_file.read_text().splitlines()) == 1
    lines = sorted(stdout.strip() for stdout, _ in outputs)
    assert lines[0] == "Compter : compté."
    assert lines[1] in ("Compter : en cours ailleurs.",
                        "Compter : pas encore à refaire (dans 1\u00a0h)."), lines


def test_a_job_not_due_does_not_run(app_factory):
    app = app_factory(**NO_JOBS)
    count = counting_job(app, every=timedelta(minutes=10))
    with app.app_context():
        [first] = tasks.run_due()
        [second] = tasks.run_due()
        assert count.runs == 1 and first.ran and not second.ran
        assert second.line() == "Compter (count) : pas encore à refaire (dans 10\u00a0min)."
        assert tasks.seconds_until_due() == pytest.approx(600, abs=5)

        # A period later, it is due again.
        state = state_of("count")
        state.last_finished -= timedelta(minutes=10)
        db.session.commit()
        assert tasks.seconds_until_due() == 0
        [third] = tasks.run_due()
    assert third.ran and count.runs == 2


def test_a_claimed_job_waits_for_its_claim_to_expire(app_factory):
    """A runner that died mid-job leaves its claim: the job runs again once it expires."""
    app = app_factory(**NO_JOBS)
    count = counting_job(app)
    with app.app_context():
        db.session.add(PeriodicJobState(name="count", claimed_until=utcnow()
                                        + timedelta(minutes=5)))
        db.session.commit()
        [held] = tasks.run_due()
        assert not held.ran and held.summary == "en cours ailleurs."
        db.session.execute(update(PeriodicJobState).values(
            claimed_until=utcnow() - timedelta(seconds=1)))
        db.session.commit()
        [taken] = tasks.run_due()
    assert taken.ran and count.runs == 1


def test_a_failing_job_is_reported_and_the_others_still_run(app_factory):
    app = app_factory(**NO_JOBS)

    def fail():
        db.session.add(OutboxMessage(kind="test", to_address="x@example.org",
                                     subject="jamais", status=OutboxStatus.PENDING))
        raise RuntimeError("panne du disque")

    tasks.register(app, PeriodicJob("fail", "Échouer", timedelta(hours=1), fail))
    count = counting_job(app)

    result = app.test_cli_runner().invoke(args=["tick"])

    assert result.exit_code == 1
    assert result.stderr == "Échouer : échec (RuntimeError: panne du disque)\n"
    assert result.stdout == "Compter (count) : compté.\n"
    assert count.runs == 1
    with app.app_context():
        failed = state_of("fail")
        assert failed.claimed_until is None  # released
        assert failed.last_error == "RuntimeError: panne du disque"
        # What the failed job left in its session was rolled back, not committed.
        assert db.session.scalar(select(OutboxMessage)) is None
        assert state_of("count").last_error is None


# journee tick -------------------------------------------------------------------------

def test_tick_sends_the_pending_emails_and_purges(app, irts, runner, tmp_path):
    slot = irts.workshop_sessions[0]
    registration = register(irts.id, Attendee(
        first_name="Zoé", last_name="Martin", profile="student", email="zoe@example.org",
        choices={slot.id: [w.id for w in slot.workshops[:3]]}), today=date(2018, 2, 1))
    queue_registration_confirmation(registration, "http://journee.test")
    note = mail.queue_email("test", "camille@example.org", "Essai", "Bonjour.")
    db.session.commit()
    outbox = Path(app.config["MAIL_FILE_DIR"])

    result = runner.invoke(args=["tick"])

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Envoi des e-mails en attente : 2 messages envoyés, 0 en échec."
    assert lines[1].startswith("Purge des données (durées de conservation) : ")
    assert "Inscriptions anonymisées : 1" in lines[1]
    db.session.expire_all()
    assert db.session.get(OutboxMessage, note.id).status == OutboxStatus.SENT
    assert db.session.get(Registration, registration.id).anonymised_at is not None
    # The purge took the person's confirmation, file included; the other one stays.
    assert db.session.scalars(select(OutboxMessage.id)).all() == [note.id]
    [eml] = outbox.glob("*.eml")
    assert eml.name.endswith(f"-{note.id:06d}.eml")

    again = runner.invoke(args=["tick"])
    assert again.exit_code == 0
    assert again.stdout == (
        "Envoi des e-mails en attente : pas encore à refaire (dans 5\u00a0min).\n"
        "Purge des données (durées de conservation) : pas encore à refaire (dans 24\u00a0h).\n")


def test_tick_without_jobs_says_so(app_factory):
    result = app_factory(**NO_JOBS).test_cli_runner().invoke(args=["tick"])
    assert result.exit_code == 0
    assert result.stdout == "Aucune tâche périodique n’est activée.\n"


# journee worker -----------------------------------------------------------------------

@pytest.mark.slow
def test_worker_sends_then_stops_on_sigterm(app_factory, tmp_path):
    app = app_factory()
    with app.app_context():
        mail.queue_email("test", "camille@example.org", "Essai", "Bonjour.")
        db.session.commit()
    outbox = Path(app.config["MAIL_FILE_DIR"])
    env = subprocess_env(app, tmp_path, PURGE_INTERVAL_SECONDS=0,
                         MAIL_AUTO_RETRY_SECONDS=3600)
    worker = subprocess.Popen([str(BIN / "journee"), "worker"], env=env, cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_until(lambda: any(outbox.glob("*.eml")), 60, "l’e-mail envoyé par le worker")
        # It now sleeps for a minute (--max-sleep): SIGTERM must not wait for it.
        time.sleep(0.2)
        asked = time.monotonic()
        worker.send_signal(signal.SIGTERM)
        stdout, stderr = worker.communicate(timeout=15)
    finally:
        worker.kill()

    assert worker.returncode == 0, stderr
    assert time.monotonic() - asked < 5
    assert stdout.splitlines() == [
        "Tâches périodiques\u202f: Envoi des e-mails en attente (période\u202f: 1\u00a0h). "
        "Arrêt par SIGTERM ou Ctrl+C.",
        "Envoi des e-mails en attente : 1 message envoyé, 0 en échec.",
        "Tâches périodiques arrêtées (SIGTERM).",
    ]


def test_worker_keeps_running_when_a_profiler_wakes_its_wait(app_factory, monkeypatch):
    """Attaching py-spy or gdb (ptrace) wakes ``sigtimedwait`` with no signal in it: the
    worker stopped there, and its e-mails with it, until the next SIGTERM was the only way
    out."""
    from types import SimpleNamespace

    wakes = iter([SimpleNamespace(si_signo=0), None,
                  SimpleNamespace(si_signo=signal.SIGTERM)])
    waits = []

    def sigtimedwait(signals, timeout):
        waits.append(set(signals))
        return next(wakes)

    monkeypatch.setattr(signal, "sigtimedwait", sigtimedwait)
    app = app_factory(PURGE_INTERVAL_SECONDS=0, MAIL_AUTO_RETRY_SECONDS=3600)
    result = app.test_cli_runner().invoke(args=["worker"])
    assert result.exit_code == 0, result.output
    assert waits == [{signal.SIGTERM, signal.SIGINT}] * 3
    assert result.stdout.splitlines()[-1] == "Tâches périodiques arrêtées (SIGTERM)."


# In-process: journee run, never a request ---------------------------------------------

def test_no_thread_is_started_by_a_request(app_factory):
    app = app_factory(TESTING=False, MAIL_DELIVER_AFTER_COMMIT=True)
    outbox = Path(app.config["MAIL_FILE_DIR"])
    before = set(threading.enumerate())

    assert app.test_client().get("/").status_code == 200
    with app.test_request_context("/"):
        mail.queue_email("test", "camille@example.org", "Essai", "Bonjour.")
        # With no runner in this process (a gunicorn worker), the commit delivers.
        db.session.commit()
        assert len(list(outbox.glob("*.eml"))) == 1

    assert set(threading.enumerate()) == before


def test_a_worker_sends_what_a_request_left_to_it_within_its_poll(app_factory):
    """``journee worker`` in another process: nothing wakes it, it looks for new
    messages every ``TASKS_POLL_SECONDS``, long before its next round."""
    app = app_factory(PURGE_INTERVAL_SECONDS=0, MAIL_DELIVER_AFTER_COMMIT=True)
    outbox = Path(app.config["MAIL_FILE_DIR"])
    runs = []
    runner = tasks.Runner(app, max_sleep=3600, poll=0.05, report=runs.append)
    runner.start()
    try:
        with app.app_context():
            wait_until(lambda: db.session.scalar(
                select(PeriodicJobState.last_finished).filter_by(name="outbox")), 30,
                "le premier tour")
            db.session.rollback()
        with app.test_request_context("/"):
            mail.queue_email("test", "camille@example.org", "Essai", "Bonjour.")
            mail.leave_to_worker()
            db.session.commit()
            assert list(outbox.glob("*.eml")) == []  # the answer does not wait
        [written] = wait_until(lambda: list(outbox.glob("*.eml")), 30, "l’e-mail envoyé")
        time.sleep(0.3)  # several more looks: nothing sent twice
    finally:
        runner.stop()
        runner.thread.join(timeout=10)
    assert list(outbox.glob("*.eml")) == [written]
    assert [outcome.summary for outcome in runs] == [
        "0 message envoyé, 0 en échec.", "1 message envoyé, 0 en échec."]
    with app.app_context():
        assert db.session.scalar(select(OutboxMessage.status)) == OutboxStatus.SENT


def test_journee_run_runs_the_jobs_beside_the_server(app_factory, monkeypatch):
    """The development server gets the runner; a message queued by a request is
    delivered by the runner's thread, woken after the commit."""
    app = app_factory(PURGE_INTERVAL_SECONDS=0, MAIL_DELIVER_AFTER_COMMIT=True)
    outbox = Path(app.config["MAIL_FILE_DIR"])
    writers = []
    write = mail.FileBackend.send
    monkeypatch.setattr(mail.FileBackend, "send", lambda backend, message: (
        writers.append(threading.current_thread().name), write(backend, message))[1])
    served = []

    def serve(*args, **kwargs):
        with app.app_context():
            # The first round of the runner, then a request's message.
            wait_until(lambda: db.session.scalar(
                select(PeriodicJobState.last_finished).filter_by(name="outbox")), 30,
                "le premier tour")
            db.session.rollback()
        with app.test_request_context("/"):
            mail.queue_email("test", "camille@example.org", "Essai", "Bonjour.")
            db.session.commit()
        wait_until(lambda: any(outbox.glob("*.eml")), 30, "l’e-mail envoyé")
        served.append(app.extensions[tasks.IN_PROCESS])

    monkeypatch.setattr("flask.cli.run_simple", serve)
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")  # set by the group, restored here

    result = app.test_cli_runner().invoke(main, ["run", "--port", "5999"])

    assert result.exit_code == 0, result.output
    assert writers == ["journee-tasks"]
    [runner] = served
    runner.thread.join(timeout=10)
    assert runner.stopped.is_set() and not runner.thread.is_alive()


def test_a_database_away_slows_the_runner_down_and_fills_no_log(app_factory, caplog):
    """One traceback when the database goes away, then tries further and further apart
    (not a look and a traceback every ``poll``), and a line when it is back."""
    from sqlalchemy.exc import OperationalError

    app = app_factory(PURGE_INTERVAL_SECONDS=0)
    away = threading.Event()
    away.set()
    tries = []

    def looking(original):
        def look():
            tries.append(time.monotonic())
            if away.is_set():
                raise OperationalError("SELECT 1", {}, ConnectionRefusedError(
                    "connection to server on socket failed"))
            return original()
        return look

    runner = tasks.Runner(app, max_sleep=0.4, poll=0.01)
    original_due, original_woken = tasks.run_due, tasks.run_woken
    tasks.run_due, tasks.run_woken = looking(original_due), looking(original_woken)
    caplog.set_level("WARNING")
    runner.start()
    try:
        time.sleep(1.5)
        while_away = len(tries)
        away.clear()
        wait_until(lambda: any("de nouveau lancées" in r.getMessage()
                               for r in caplog.records), 10, "le retour de la base")
    finally:
        runner.stop()
        runner.thread.join(timeout=10)
        tasks.run_due, tasks.run_woken = original_due, original_woken
    # A look every 10 ms would have made some 150 tries in 1.5 s.
    assert 3 <= while_away <= 15
    tracebacks = [r for r in caplog.records if r.exc_info]
    assert len(tracebacks) == 1
    assert tracebacks[0].getMessage() == "Tâches périodiques impossibles à lancer."
    later = [r.getMessage() for r in caplog.records
             if "toujours impossibles" in r.getMessage()]
    assert later and all("OperationalError" in line and "\n" not in line for line in later)
    assert len(later) < while_away


def test_days_away_keep_the_wait_at_its_ceiling(app_factory):
    runner = tasks.Runner(app_factory(PURGE_INTERVAL_SECONDS=0), max_sleep=60, poll=0.25)
    assert runner._backoff(0) == 0.0
    assert runner._backoff(3) == 2.0
    assert runner._backoff(5_000) == 60  # some 3 days of failures a minute apart


def test_rounds_failing_while_looks_succeed_are_not_taken_for_a_recovery(app_factory,
                                                                          caplog):
    from sqlalchemy.exc import OperationalError

    app = app_factory(PURGE_INTERVAL_SECONDS=0)
    rounds = []

    def failing_round():
        rounds.append(time.monotonic())
        raise OperationalError("UPDATE periodic_job", {}, TimeoutError("database is locked"))

    runner = tasks.Runner(app, max_sleep=0.3, poll=0.01)
    original = tasks.run_due
    tasks.run_due = failing_round
    caplog.set_level("WARNING")
    runner.start()
    try:
        time.sleep(1.5)
    finally:
        runner.stop()
        runner.thread.join(timeout=10)
        tasks.run_due = original
    assert len(rounds) >= 3
    assert not any("de nouveau lancées" in r.getMessage() for r in caplog.records)
    assert len([r for r in caplog.records if r.exc_info]) == 1
