"""Periodic jobs: what the app does on its own (deliver the outbox, apply the retention
rules; reminders and questionnaires next), run by one runner.

Each package registers its jobs in its ``init_app`` with :func:`register`. A runner runs
the jobs that are due: ``journee tick`` one round (for cron), ``journee worker`` round
after round, and ``journee run`` in a thread beside the development server. Several may
run at once on one database: a due job is claimed in its row of ``periodic_job`` by one
conditional UPDATE, so it runs once per period whoever asks. Its work must be idempotent
all the same: the claim of a runner that died mid-job expires and the job runs again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import String, Text, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import db
from .util.clock import utcnow

JOBS = "journee.periodic_jobs"
IN_PROCESS = "journee.periodic_runner"


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    """Its key in ``periodic_job``."""
    title: str
    """What it does, in French, for the output of ``journee tick`` and ``worker``."""
    every: timedelta
    run: Callable[[], str]
    """Do the work in an app context and return a one-line French summary; raise on
    failure (:class:`JobProblem` for a failure already described in French)."""
    lease: timedelta = timedelta(minutes=30)
    """How long a run may take before another runner takes it for dead."""
    wake_when: Callable[[], bool] | None = None
    """A cheap read that a runner makes every ``TASKS_POLL_SECONDS`` between its rounds,
    in an app context: true when work has arrived that must not wait for the period
    (a message that a request of another process has just queued); the job then runs
    at once. ``None``: the period only."""


class JobProblem(Exception):
    """A job did what it could and reports, in French, what it could not do."""


class PeriodicJobState(db.Model):
    """When a job last ran, and who is running it now."""

    __tablename__ = "periodic_job"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    claimed_until: Mapped[datetime | None]
    last_started: Mapped[datetime | None]
    last_finished: Mapped[datetime | None]
    """The end of the last run, whether it succeeded or not: a failing job is tried
    again a period later, not at every round."""
    last_error: Mapped[str | None] = mapped_column(Text)


def register(app: Flask, job: PeriodicJob) -> None:
    jobs = app.extensions.setdefault(JOBS, {})
    if job.name in jobs:
        raise ValueError(f"periodic job {job.name!r} registered twice")
    jobs[job.name] = job


def registered(app: Flask) -> list[PeriodicJob]:
    return list(app.extensions.get(JOBS, {}).values())


@dataclass(frozen=True)
class Outcome:
    job: PeriodicJob
    ran: bool
    failed: bool
    summary: str

    def line(self) -> str:
        return f"{self.job.title} : {self.summary}"


def run_due() -> list[Outcome]:
    """Run once each registered job that is due and claimed by no one; in an app context.

    A job that fails is logged and reported; the others still run.
    """
    outcomes = []
    for job in registered(current_app):
        try:
            outcomes.append(_run_if_due(job))
        except Exception as error:  # its row could not be claimed or released
            db.session.rollback()
            current_app.logger.exception("Tâche périodique %s impossible à lancer.", job.name)
            outcomes.append(Outcome(job, False, True, f"échec ({_reason(error)})"))
    return outcomes


def run_now(name: str) -> Outcome:
    """Run a job at once, whatever its schedule, without claiming it: for work that asks
    to be done sooner (a message just queued), safe because the job is idempotent."""
    job = current_app.extensions[JOBS][name]
    summary, error = _execute(job)
    return Outcome(job, True, error is not None, summary)


def run_woken() -> list[Outcome]:
    """Run now each job whose :attr:`PeriodicJob.wake_when` says work has arrived; in an
    app context. What a runner does between its rounds: new work is done within
    ``TASKS_POLL_SECONDS`` of being committed, by whichever process committed it."""
    outcomes = [run_now(job.name) for job in registered(current_app)
                if job.wake_when is not None and job.wake_when()]
    db.session.commit()  # the look ends its read transaction
    return outcomes


def watched(app: Flask) -> bool:
    """Whether a job asks to be looked for between rounds."""
    return any(job.wake_when is not None for job in registered(app))


def seconds_until_due() -> float | None:
    """How long until a registered job is due (0: now), ``None`` when there is none."""
    jobs = registered(current_app)
    if not jobs:
        return None
    now = utcnow()
    states = {state.name: state for state in db.session.execute(
        select(PeriodicJobState)
        .where(PeriodicJobState.name.in_([job.name for job in jobs]))
        .execution_options(populate_existing=True)).scalars()}
    waits = [_due_at(job, states.get(job.name), now) - now for job in jobs]
    db.session.commit()
    return max(0.0, min(waits).total_seconds())


def _due_at(job: PeriodicJob, state: PeriodicJobState | None, now: datetime) -> datetime:
    if state is None:
        return now
    due = state.last_finished + job.every if state.last_finished else now
    if state.claimed_until is not None and state.claimed_until >= now:
        due = max(due, state.claimed_until)
    return due


def _run_if_due(job: PeriodicJob) -> Outcome:
    _ensure_row(job.name)
    now = utcnow()
    claim = now + job.lease
    state = PeriodicJobState
    claimed = db.session.execute(
        update(state)
        .where(state.name == job.name,
               or_(state.claimed_until.is_(None), state.claimed_until < now),
               or_(state.last_finished.is_(None), state.last_finished <= now - job.every))
        .values(claimed_until=claim, last_started=now)
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    if not claimed:
        return _not_run(job, now)
    summary, error = _execute(job)
    # Released only if still ours: past the lease another runner may hold it.
    db.session.execute(
        update(state).where(state.name == job.name, state.claimed_until == claim)
        .values(claimed_until=None, last_finished=utcnow(), last_error=error)
        .execution_options(synchronize_session=False))
    db.session.commit()
    return Outcome(job, True, error is not None, summary)


def _execute(job: PeriodicJob) -> tuple[str, str | None]:
    """Run the job; its summary and, if it failed, the reason (never raised)."""
    try:
        summary = job.run()
    except JobProblem as problem:
        db.session.rollback()
        current_app.logger.error("Tâche périodique %s en échec : %s", job.name, problem)
        return f"échec\u202f: {problem}", str(problem)[:2000]
    except Exception as error:
        db.session.rollback()
        current_app.logger.exception("Tâche périodique %s en échec.", job.name)
        return f"échec ({_reason(error)})", _reason(error)[:2000]
    current_app.logger.info("%s : %s", job.title, summary)
    return summary, None


def _reason(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"


def _ensure_row(name: str) -> None:
    if db.session.scalar(select(PeriodicJobState.name).where(PeriodicJobState.name == name)):
        db.session.commit()
        return
    try:
        db.session.execute(insert(PeriodicJobState).values(name=name))
        db.session.commit()
    except IntegrityError:  # another runner inserted it meanwhile
        db.session.rollback()


def _not_run(job: PeriodicJob, now: datetime) -> Outcome:
    state = db.session.get(PeriodicJobState, job.name, populate_existing=True)
    if state.claimed_until is not None and state.claimed_until >= now:
        summary = "en cours ailleurs."
    else:
        wait = (_due_at(job, state, now) - now).total_seconds()
        summary = f"pas encore à refaire (dans {duration(wait)})."
    db.session.commit()
    return Outcome(job, False, False, summary)


def duration(seconds: float) -> str:
    seconds = max(1, round(seconds))
    if seconds < 60:
        return f"{seconds}\u00a0s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes}\u00a0min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}\u00a0h\u00a0{minutes:02d}" if minutes else f"{hours}\u00a0h"


class Runner:
    """Run the due jobs round after round until stopped: the loop of ``journee worker``
    and of the thread that ``journee run`` starts beside the development server.

    :param max_sleep: the longest wait between two rounds, so that a job registered by
        another process or a clock change is seen in time.
    :param report: called with each outcome of a job that ran.
    :param poll: how often, between rounds, :func:`run_woken` looks for new work
        (``TASKS_POLL_SECONDS`` by default); 0: never.
    """

    def __init__(self, app: Flask, max_sleep: float = 60,
                 report: Callable[[Outcome], None] | None = None,
                 poll: float | None = None) -> None:
        self.app = app
        self.max_sleep = max_sleep
        self.poll = app.config["TASKS_POLL_SECONDS"] if poll is None else poll
        self.report = report or (lambda outcome: None)
        self.stopped = threading.Event()
        self._woken = threading.Event()
        self._soon: set[str] = set()
        self._lock = threading.Lock()
        self.thread: threading.Thread | None = None

    def run_soon(self, name: str) -> None:
        """Run this job at the start of the next round, and start that round now."""
        with self._lock:
            self._soon.add(name)
        self._woken.set()

    def stop(self) -> None:
        self.stopped.set()
        self._woken.set()

    def start(self) -> threading.Thread:
        """Run in a daemon thread (it never keeps the process from exiting)."""
        self.thread = threading.Thread(target=self.run_forever, name="journee-tasks",
                                       daemon=True)
        self.thread.start()
        return self.thread

    def run_forever(self) -> None:
        polling = self.poll > 0 and watched(self.app)
        next_round = time.monotonic()
        failures = 0
        while not self.stopped.is_set():
            self._woken.clear()
            with self._lock:
                asked = bool(self._soon)
            is_round = asked or time.monotonic() >= next_round
            try:
                if is_round:
                    next_round = time.monotonic() + self.max_sleep  # if the round fails
                    next_round = time.monotonic() + self._round()
                elif polling:
                    self._look()
            except Exception as error:
                # The database may be locked or away for a while: try again later.
                failures += 1
                self._failed(error, failures)
                backoff = self._backoff(failures)
            else:
                backoff = 0.0
                # Only a whole round says the jobs run again: a look for new messages
                # may succeed while the round still fails.
                if failures and is_round:
                    self.app.logger.warning("Tâches périodiques de nouveau lancées après "
                                            "%d essais en échec.", failures)
                    failures = 0
            wait = next_round - time.monotonic()
            wait = min(wait, self.poll) if polling else wait
            self._woken.wait(max(0.0, wait, backoff))

    def _backoff(self, failures: int) -> float:
        """After *failures* in a row, the wait before the next try: twice the last one,
        up to ``max_sleep``, rather than a look every ``poll`` at a database that is
        away."""
        if not failures:
            return 0.0
        # The exponent capped: after days away, 2 ** failures would overflow a float.
        return min(max(self.poll, 0.05) * 2 ** min(failures, 30), self.max_sleep)

    def _failed(self, error: Exception, failures: int) -> None:
        """The first failure with its traceback; then one line each time the wait has
        reached ``max_sleep``, not one traceback per look."""
        if failures == 1:
            self.app.logger.exception("Tâches périodiques impossibles à lancer.")
        elif self._backoff(failures) >= self.max_sleep:
            self.app.logger.error("Tâches périodiques toujours impossibles à lancer "
                                  "(%d essais)\u202f: %s", failures,
                                  _reason(error).splitlines()[0][:300])

    def _look(self) -> None:
        with self.app.app_context():
            for outcome in run_woken():
                self.report(outcome)

    def _round(self) -> float:
        with self._lock:
            soon, self._soon = self._soon, set()
        with self.app.app_context():
            for name in soon:
                self.report(run_now(name))
            for outcome in run_due():
                if outcome.ran:
                    self.report(outcome)
            wait = seconds_until_due()
        return self.max_sleep if wait is None else min(wait, self.max_sleep)


def start_in_process(app: Flask, max_sleep: float = 60) -> Runner:
    """Run the jobs in a thread of this process (the embedded default, ``journee run``):
    :func:`wake` then reaches it, e.g. to deliver a message just queued."""
    runner = Runner(app, max_sleep)
    app.extensions[IN_PROCESS] = runner
    runner.start()
    return runner


def wake(app: Flask, name: str) -> bool:
    """Ask the runner of this process to run a job now; ``False`` when there is none
    to ask (tests, CLI commands, a gunicorn worker), so the caller does the work itself."""
    runner = app.extensions.get(IN_PROCESS)
    if runner is None or runner.stopped.is_set() or name not in app.extensions.get(JOBS, {}):
        return False
    runner.run_soon(name)
    return True
