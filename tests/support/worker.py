"""The test client as deployed: a worker beside the server sends what a request left
to it (:func:`journee.mail.leave_to_worker`)."""

from __future__ import annotations

import threading

from flask import has_app_context
from flask.testing import FlaskClient

from journee import mail, tasks
from journee.extensions import db

_one_worker = threading.Lock()


class WorkerClient(FlaskClient):
    """After an answer that left messages to the worker, in an app context of its own,
    the look for new work that ``journee worker`` makes every ``TASKS_POLL_SECONDS``
    (:func:`journee.tasks.run_woken`): a confirmation is written and sent by the worker,
    not by the request, yet has arrived when the test reads the mailbox. Clients in
    several threads share one worker, as the requests of a server do."""

    def open(self, *args, **kwargs):
        left = []
        with mail.left_to_worker.connected_to(left.append, sender=self.application):
            response = super().open(*args, **kwargs)
        if left and not _writing_still():
            with _one_worker, self.application.app_context():
                tasks.run_woken()
        return response


def _writing_still() -> bool:
    """Whether the request's session still holds SQLite's write lock: a test that wraps
    its requests in an app context of its own keeps their session past the answer (as
    served, it ends with the request), and the look would wait for that lock in vain.
    The next look does the work then."""
    if not has_app_context():
        return False
    session = db.session()
    if not session.in_transaction():
        return False
    return getattr(session.connection().connection.driver_connection, "in_transaction",
                   False)
