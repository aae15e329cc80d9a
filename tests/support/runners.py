"""Two periodic-job runners at the same moment, to show a job claims each thing once."""

from __future__ import annotations

import threading

from journee import create_app
from journee.extensions import db

SHARED_CONFIG = ("TESTING", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "PUBLIC_BASE_URL",
                 "MAIL_FILE_DIR", "IMPORT_DIR", "PASSWORD_HASH_METHOD")


def run_twice_at_once(app, monkeypatch, module, lookup: str, work) -> list:
    """Run ``work()`` in two apps on ``app``'s database, each in its own thread, both past
    ``module.lookup`` (the query of who is concerned) before either claims anything;
    return what each run returned. A run that raises fails the test."""
    config = {key: app.config[key] for key in SHARED_CONFIG}
    apps = [create_app({**config, "MAIL_DELIVER_AFTER_COMMIT": False}) for _ in range(2)]
    both_looked = threading.Barrier(2, timeout=10)
    looked_up = getattr(module, lookup)

    def look_then_wait(*args):
        found = looked_up(*args)
        both_looked.wait()
        return found

    monkeypatch.setattr(module, lookup, look_then_wait)
    results, errors = [], []

    def run(runner_app):
        with runner_app.app_context():
            try:
                results.append(work())
            except Exception as error:  # reported below
                errors.append(error)
            finally:
                db.session.remove()
                db.engine.dispose()

    threads = [threading.Thread(target=run, args=(runner_app,)) for runner_app in apps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    return results
