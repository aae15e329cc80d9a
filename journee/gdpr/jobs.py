"""The retention rules applied on their own, as a periodic job (see :mod:`journee.tasks`)."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from .. import tasks
from ..extensions import db
from ..util.clock import today_in
from .purge import purge

PURGE_JOB = "retention-purge"


def purge_job() -> str:
    """Purge what is due; the events that could not be are reported as the job's
    failure, after the others are purged (each step is idempotent)."""
    report = purge(today_in("Europe/Paris"))
    db.session.commit()
    if report.problems:
        raise tasks.JobProblem(" ; ".join(report.problems))
    done = [line for line in report.lines() if not line.endswith(" : 0")]
    return " ; ".join(done) + "." if done else "rien à effacer."


def init_app(app: Flask) -> None:
    """Purge every ``PURGE_INTERVAL_SECONDS`` (a day by default; 0: never, then run
    ``journee purge`` yourself)."""
    interval = app.config["PURGE_INTERVAL_SECONDS"]
    if interval and interval > 0:
        tasks.register(app, tasks.PeriodicJob(
            PURGE_JOB, "Purge des données (durées de conservation)",
            timedelta(seconds=interval), purge_job))
