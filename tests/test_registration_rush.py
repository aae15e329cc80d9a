"""No overbooking under a rush: hundreds of simultaneous registrations at a real server.

The server is a real threaded WSGI server (werkzeug) in this process, on its own SQLite
database, so each request runs in its own thread with its own connection. The same rush is
then fired at a naive « count, then insert » implementation to show that the assertions
of the first test do catch overbooking.
"""

from __future__ import annotations

import http.client
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select
from support.registration import OPEN_DAY, valid_data
from werkzeug.serving import make_server

from journee import create_app
from journee.demo import load_demo
from journee.extensions import db
from journee.mail import deliver_pending
from journee.mail_models import OutboxMessage
from journee.registration import services
from journee.registration.models import Registration, RegistrationStatus

pytestmark = pytest.mark.slow

CAPACITY = 50
REQUESTS = 200


@pytest.fixture
def rush_server(migrated_database, tmp_path, monkeypatch):
    app = create_app({"SECRET_KEY": "rush-ebd148c983094c10172bb682accdce98",
                      "SQLALCHEMY_DATABASE_URI": migrated_database.copy(tmp_path, "rush"),
                      "WTF_CSRF_ENABLED": False, "MAIL_AUTO_RETRY_SECONDS": 0,
                      "PURGE_INTERVAL_SECONDS": 0,
                      # Every request comes from 127.0.0.1: far beyond a real school.
                      "REGISTRATIONS_PER_CLIENT_PER_HOUR": 10_000,
                      "MAIL_FILE_DIR": str(tmp_path / "outbox")})
    monkeypatch.setattr("journee.registration.views.today_in",
                        lambda timezone="Europe/Paris": OPEN_DAY)
    with app.app_context():
        irts = load_demo(original_dates=True)[0]
        irts.capacity = CAPACITY
        db.session.commit()
        form = valid_data(irts)
        slug = irts.slug
    server = make_server("127.0.0.1", 0, app, threaded=True)
    server.request_queue_size = 256
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, app, slug, form
    server.shutdown()
    server.server_close()
    with app.app_context():
        db.engine.dispose()


def _post(port: int, path: str, body: dict, start: threading.Barrier) -> int:
    start.wait()
    for attempt in range(3):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            connection.request("POST", path, urlencode(body),
                               {"Content-Type": "application/x-www-form-urlencoded"})
            return connection.getresponse().status
        except ConnectionError:
            time.sleep(0.1 * (attempt + 1))
        finally:
            connection.close()
    return 599


def _rush(server, slug: str, form: dict, emails: list[str]) -> list[int]:
    path = f"/e/{slug}/register"
    start = threading.Barrier(len(emails))
    with ThreadPoolExecutor(max_workers=len(emails)) as pool:
        futures = [pool.submit(_post, server.server_port, path, {**form, "email": email}, start)
                   for email in emails]
        return [future.result() for future in futures]


def _statuses(app) -> dict[str, int]:
    with app.app_context():
        rows = db.session.execute(
            select(Registration.status, func.count()).group_by(Registration.status)).all()
        return {status.value: count for status, count in rows}


def test_rush_confirms_exactly_the_capacity(rush_server):
    server, app, slug, form = rush_server
    emails = [f"personne{n}@exemple.fr" for n in range(REQUESTS)]
    codes = _rush(server, slug, form, emails)

    assert [code for code in codes if code >= 500] == []
    assert set(codes) == {302}
    assert _statuses(app) == {"confirmed": CAPACITY, "waitlisted": REQUESTS - CAPACITY}
    with app.app_context():
        stored = db.session.scalars(select(Registration.email)).all()
        assert sorted(stored) == sorted(emails)
        # Each person's choices were written with their registration, none half-written.
        choices = db.session.scalar(select(func.count()).select_from(
            Registration).join(Registration.choices))
        assert choices == 3 * REQUESTS


def test_double_clicks_in_a_rush_create_one_registration(rush_server):
    server, app, slug, form = rush_server
    codes = _rush(server, slug, form, ["meme.personne@exemple.fr"] * 30)
    assert codes == [302] * 30  # the same answer for all, new or not
    assert _statuses(app) == {"confirmed": 1}
    with app.app_context():
        deliver_pending()
        sent = db.session.execute(
            select(OutboxMessage.kind, OutboxMessage.status, func.count())
            .group_by(OutboxMessage.kind, OutboxMessage.status)).all()
    # One confirmation; the 29 others queued a notice each, of which the address gets
    # three: the budget of e-mails anyone can have sent to it in an hour.
    assert {(kind, status.value): count for kind, status, count in sent} == {
        ("confirmation", "sent"): 1, ("self_service_link", "sent"): 3,
        ("self_service_link", "skipped"): 26}


def naive_register(event_id: int, attendee, today: date, **_kwargs):
    """Count the confirmed places, then insert: the check and the write are apart."""
    from journee.programme.models import Event

    event = db.session.get(Event, event_id)
    confirmed = db.session.scalar(select(func.count(Registration.id)).where(
        Registration.event_id == event_id, Registration.status == RegistrationStatus.CONFIRMED))
    time.sleep(0.03)  # e.g. building an e-mail between the check and the write
    status = (RegistrationStatus.CONFIRMED if confirmed < event.capacity
              else RegistrationStatus.WAITLISTED)
    registration = Registration(event_id=event_id, status=status, first_name=attendee.first_name,
                                last_name=attendee.last_name, email=attendee.email,
                                profile=attendee.profile)
    db.session.add(registration)
    db.session.flush()
    return registration


def test_the_rush_test_catches_a_naive_check_then_insert(rush_server, monkeypatch):
    server, app, slug, form = rush_server
    monkeypatch.setattr(services, "register", naive_register)
    _rush(server, slug, form, [f"naif{n}@exemple.fr" for n in range(REQUESTS)])
    assert _statuses(app)["confirmed"] > CAPACITY
