"""After publication, places are taken and freed under concurrency: at a real threaded
server on its own SQLite database, thirty people without a workshop try to take the five
places of one workshop at once, and a freed place is handed out while several job runs
fill the waiting lists at the same time. Nobody gets a place beyond the capacity, nobody
gets two, and each one placed gets exactly one e-mail."""

from __future__ import annotations

import http.client
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select
from support.registration import OPEN_DAY
from werkzeug.serving import make_server

from journee import create_app
from journee.demo import load_demo
from journee.extensions import db
from journee.mail_models import OutboxMessage
from journee.programme.models import SessionKind
from journee.registration.models import (
    Assignment,
    AssignmentSource,
    Profile,
    Registration,
    RegistrationStatus,
    WorkshopChoice,
    WorkshopWaitlistEntry,
)
from journee.util.clock import utcnow
from journee.workshops import jobs

PEOPLE = 30
PLACES = 5


@pytest.fixture
def server(migrated_database, tmp_path, monkeypatch):
    """A published slot: workshop 1 has its one place taken, workshop 2 has *PLACES*
    and nobody in it, and *PEOPLE* confirmed people have no workshop."""
    app = create_app({"SECRET_KEY": "rush-3f0c5b8d7e6a49c1b2d4e8f7a6c5b4d3",
                      "SQLALCHEMY_DATABASE_URI": migrated_database.copy(tmp_path, "places"),
                      "WTF_CSRF_ENABLED": False, "MAIL_AUTO_RETRY_SECONDS": 0,
                      "PURGE_INTERVAL_SECONDS": 0, "REMINDER_INTERVAL_SECONDS": 0,
                      "WORKSHOP_PLACES_INTERVAL_SECONDS": 0,
                      "PUBLIC_BASE_URL": "http://journee.test",
                      "MAIL_FILE_DIR": str(tmp_path / "outbox")})
    # The 2018 day's cancellation window is open.
    monkeypatch.setattr("journee.registration.views.today_in",
                        lambda timezone="Europe/Paris": OPEN_DAY)
    with app.app_context():
        irts = load_demo(original_dates=True)[0]
        slot = next(s for s in irts.sessions if s.kind == SessionKind.WORKSHOPS)
        one, two = sorted(slot.workshops, key=lambda w: w.number)[:2]
        one.capacity, two.capacity = 1, PLACES
        people = [Registration(
            event=irts, status=RegistrationStatus.CONFIRMED, first_name=f"Prénom{n}",
            last_name=f"Nom{n}", email=f"personne{n}@example.org", profile=Profile.STUDENT,
            choices=[WorkshopChoice(session_id=slot.id, workshop_id=one.id, rank=1)])
            for n in range(PEOPLE + 1)]
        db.session.add_all(people)
        db.session.flush()
        db.session.add(Assignment(registration_id=people[0].id, session_id=slot.id,
                                  workshop_id=one.id, published_workshop_id=one.id,
                                  source=AssignmentSource.SOLVER, rank=1))
        db.session.commit()
        world = {"slot": slot.id, "one": one.id, "two": two.id,
                 "holder": people[0].id, "tokens": {p.id: p.token for p in people[1:]}}
    http_server = make_server("127.0.0.1", 0, app, threaded=True)
    http_server.request_queue_size = 64
    thread = threading.Thread(target=http_server.serve_forever, daemon=True)
    thread.start()
    yield http_server, app, world
    http_server.shutdown()
    http_server.server_close()
    with app.app_context():
        db.engine.dispose()


def _post(port: int, path: str, body: dict, start: threading.Barrier) -> tuple[int, str]:
    start.wait()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("POST", path, urlencode(body),
                           {"Content-Type": "application/x-www-form-urlencoded"})
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def _placed(app, workshop_id: int) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(select(Assignment.registration_id).where(
            Assignment.workshop_id == workshop_id).order_by(Assignment.registration_id)))


def _notices(app) -> dict[str, int]:
    with app.app_context():
        return dict(db.session.execute(
            select(OutboxMessage.to_address, func.count()).where(
                OutboxMessage.kind == "workshop_place").group_by(OutboxMessage.to_address))
            .all())


def test_thirty_people_rushing_for_five_places_get_five(server):
    http_server, app, world = server
    slot, two = world["slot"], world["two"]
    start = threading.Barrier(PEOPLE)
    with ThreadPoolExecutor(max_workers=PEOPLE) as pool:
        futures = [pool.submit(_post, http_server.server_port,
                               f"/r/{token}/ateliers/{slot}/prendre",
                               {f"prendre-{slot}-workshop": str(two)}, start)
                   for token in world["tokens"].values()]
        answers = [future.result() for future in futures]

    codes = [code for code, _ in answers]
    assert [code for code in codes if code >= 500] == []
    assert codes.count(302) == PLACES
    refused = [body for code, body in answers if code == 200]
    assert len(refused) == PEOPLE - PLACES
    assert all("vient d’être complet" in body for body in refused)
    placed = _placed(app, two)
    assert len(placed) == len(set(placed)) == PLACES
    notices = _notices(app)
    assert len(notices) == PLACES and set(notices.values()) == {1}


def test_a_freed_place_goes_to_the_first_waiting_once_whoever_fills_it(server):
    http_server, app, world = server
    slot, one = world["slot"], world["one"]
    waiting = list(world["tokens"])[:20]
    with app.app_context():
        start = utcnow()
        db.session.add_all(WorkshopWaitlistEntry(
            registration_id=registration_id, session_id=slot, workshop_id=one,
            created_at=start + timedelta(seconds=n)) for n, registration_id in enumerate(waiting))
        db.session.commit()
        holder_token = db.session.get(Registration, world["holder"]).token
        from journee.programme.models import Workshop
        # Three more places, and the holder's when they cancel: four in all.
        db.session.get(Workshop, one).capacity = 4
        db.session.commit()

    runners = 6
    start_all = threading.Barrier(runners + 1)

    def fill():
        with app.app_context():
            start_all.wait()
            return jobs.fill_waiting_lists("http://journee.test")

    with ThreadPoolExecutor(max_workers=runners + 1) as pool:
        fills = [pool.submit(fill) for _ in range(runners)]
        cancel = pool.submit(_post, http_server.server_port, f"/r/{holder_token}/annuler",
                             {}, start_all)
        assert cancel.result()[0] < 500
        filled = sum(f.result() for f in fills)

    with app.app_context():
        holder = db.session.get(Registration, world["holder"])
        assert holder.status == RegistrationStatus.CANCELLED
    # The cancellation fills what it can in its own transaction, the job runs the rest.
    freed = 4
    assert 0 <= filled <= freed
    placed = [r for r in _placed(app, one) if r != world["holder"]]
    assert placed == waiting[:freed]
    notices = _notices(app)
    assert sorted(notices) == sorted(f"personne{n}@example.org" for n in range(1, freed + 1))
    assert set(notices.values()) == {1}
    with app.app_context():
        left = db.session.scalars(select(WorkshopWaitlistEntry.registration_id)
                                  .order_by(WorkshopWaitlistEntry.created_at)).all()
    assert left == waiting[freed:]
