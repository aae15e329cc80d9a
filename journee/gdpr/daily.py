"""The running app applies the retention rules once a day, without anyone thinking of it."""

from __future__ import annotations

import threading

from flask import Flask

from ..extensions import db
from ..programme.queries import today_in
from .purge import purge


class DailyPurge:
    """A daemon thread that purges at start-up, then every ``interval`` seconds.

    Started by the first request (like the e-mail sender) so that CLI commands never run
    one; several workers purging at once is harmless, each step being idempotent.
    """

    def __init__(self, app: Flask, interval: float) -> None:
        self.app = app
        self.interval = interval
        self.stopped = threading.Event()
        self.thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def start_once(self) -> None:
        if self.thread is not None:
            return
        with self._lock:
            if self.thread is None:
                self.thread = threading.Thread(target=self._run, name="journee-purge",
                                               daemon=True)
                self.thread.start()

    def stop(self) -> None:
        self.stopped.set()

    def run_once(self) -> None:
        with self.app.app_context():
            report = purge(today_in("Europe/Paris"))
            db.session.commit()
            self.app.logger.info("Purge quotidienne : %s", " ; ".join(report.lines()))
            for problem in report.problems:
                self.app.logger.error("Purge quotidienne : %s", problem)

    def _run(self) -> None:
        while not self.stopped.is_set():
            try:
                self.run_once()
            except Exception:
                self.app.logger.exception("Purge quotidienne impossible ; nouvel essai demain.")
            self.stopped.wait(self.interval)


def init_app(app: Flask) -> None:
    interval = app.config["PURGE_INTERVAL_SECONDS"]
    if app.testing or not interval or interval <= 0:
        return
    daily = DailyPurge(app, interval)
    app.extensions["journee.daily_purge"] = daily
    app.before_request(daily.start_once)
