"""Limits of the public forms: per client address (generous for registrations) and per
e-mail address for what anyone can have sent to it, counted in the database
(:mod:`journee.ratelimit`) so that every worker shares them."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from support.pages import text_of
from support.registration import (
    DONE_URL,
    FORM_URL,
    input_value,
    registration_count,
    sent_to,
    valid_data,
)

from journee.demo import load_demo
from journee.extensions import db
from journee.mail_models import OutboxMessage, OutboxStatus
from journee.ratelimit import RateEvent

#: Today is 1 February 2018 for the registration views (``registration_open``).
pytestmark = pytest.mark.usefixtures("registration_open")

SCHOOL = {"REMOTE_ADDR": "192.0.2.10"}
ELSEWHERE = {"REMOTE_ADDR": "198.51.100.7"}
LINK_URL = f"{FORM_URL}/lien"


@pytest.fixture
def make_day(app_factory):
    """The IRTS-IDS day in an app with these settings (the limits by default)."""
    contexts = []

    def make(**settings):
        app = app_factory(**settings)
        context = app.app_context()
        context.push()
        contexts.append(context)
        irts = load_demo(original_dates=True)[0]
        db.session.commit()
        return app, irts

    yield make
    for context in reversed(contexts):
        db.session.remove()
        context.pop()


@pytest.fixture
def day(make_day):
    return make_day()


def _outbox(kind: str) -> list[OutboxStatus]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage.status)
                                   .where(OutboxMessage.kind == kind)
                                   .order_by(OutboxMessage.id)))


def test_a_class_of_thirty_registers_from_one_school_network(day):
    app, irts = day
    client = app.test_client()
    for n in range(30):
        response = client.post(FORM_URL, data=valid_data(irts, email=f"etudiant{n}@ecole.fr"),
                               environ_base=SCHOOL)
        assert (response.status_code, response.headers["Location"]) == (302, DONE_URL), n
    assert registration_count() == 30
    assert app.config["REGISTRATIONS_PER_CLIENT_PER_HOUR"] >= 100


def test_registrations_beyond_the_client_limit_are_refused_with_the_answers_kept(make_day):
    app, irts = make_day(REGISTRATIONS_PER_CLIENT_PER_HOUR=3)
    client = app.test_client()
    for n in range(3):
        assert client.post(FORM_URL, data=valid_data(irts, email=f"p{n}@example.org"),
                           environ_base=SCHOOL).status_code == 302
    response = client.post(FORM_URL, environ_base=SCHOOL, data=valid_data(
        irts, email="quatrieme@example.org", last_name="Quatrième"))
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "3600"
    html = response.get_data(as_text=True)
    assert ("Trop de demandes ont été envoyées depuis votre connexion internet en peu de "
            "temps : rien n’a été enregistré.") in text_of(html)
    assert input_value(html, "last_name") == "Quatrième"
    assert input_value(html, "email") == "quatrieme@example.org"
    assert registration_count() == 3
    assert len(_outbox("confirmation")) == 3
    # Another network is not held back.
    assert client.post(FORM_URL, data=valid_data(irts, email="quatrieme@example.org"),
                       environ_base=ELSEWHERE).status_code == 302
    assert registration_count() == 4


def test_at_most_three_link_e_mails_an_hour_to_one_address(day):
    app, irts = day
    client = app.test_client()
    client.post(FORM_URL, data=valid_data(irts))
    answers = set()
    for _ in range(12):
        response = client.post(LINK_URL, data={"email": "zoe.martin@example.org"},
                               follow_redirects=True)
        assert response.status_code == 200
        answers.add(text_of(response.get_data(as_text=True)))
    assert len(answers) == 1  # the same answer, sent or not
    assert _outbox("link_request") == [OutboxStatus.SENT] * 3 + [OutboxStatus.SKIPPED] * 9
    assert len(sent_to("zoe.martin@example.org")) == 4  # the confirmation, three links
    written = list(Path(app.config["MAIL_FILE_DIR"]).glob("*.eml"))
    assert len(written) == 4
    # An hour later, the address may be sent its link again.
    db.session.execute(update(RateEvent).values(at=RateEvent.at - timedelta(minutes=61)))
    db.session.commit()
    client.post(LINK_URL, data={"email": "zoe.martin@example.org"})
    assert _outbox("link_request")[-1] == OutboxStatus.SENT


def test_at_most_three_already_registered_notices_an_hour_to_one_address(day):
    app, irts = day
    client = app.test_client()
    for _ in range(7):
        response = client.post(FORM_URL, data=valid_data(irts, first_name="Autre"))
        assert response.headers["Location"] == DONE_URL
    assert registration_count() == 1
    assert _outbox("self_service_link") == [OutboxStatus.SENT] * 3 + [OutboxStatus.SKIPPED] * 3
    assert len(sent_to("zoe.martin@example.org")) == 4


def test_link_requests_beyond_the_client_limit_are_refused_with_the_address_kept(make_day):
    app, irts = make_day(LINK_REQUESTS_PER_CLIENT_PER_HOUR=2)
    client = app.test_client()
    for n in range(2):
        assert client.post(LINK_URL, data={"email": f"p{n}@example.org"},
                           environ_base=SCHOOL).status_code == 302
    response = client.post(LINK_URL, data={"email": "troisieme@example.org"},
                           environ_base=SCHOOL)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "3600"
    html = response.get_data(as_text=True)
    assert "Trop de demandes ont été envoyées depuis votre connexion internet" in text_of(html)
    assert input_value(html, "email") == "troisieme@example.org"
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 2
    assert client.post(LINK_URL, data={"email": "troisieme@example.org"},
                       environ_base=ELSEWHERE).status_code == 302


def test_the_count_is_shared_by_every_worker(migrated_database, tmp_path):
    """Two apps on one database, as two gunicorn workers: what one counted, the other
    sees."""
    from journee import create_app

    url = migrated_database.copy(tmp_path, "workers")
    settings = {"TESTING": True, "SECRET_KEY": "workers", "WTF_CSRF_ENABLED": False,
                "SQLALCHEMY_DATABASE_URI": url, "PUBLIC_BASE_URL": "http://journee.test",
                "MAIL_FILE_DIR": str(tmp_path / "outbox"), "REGISTRATIONS_PER_CLIENT_PER_HOUR": 2}
    workers = [create_app(settings) for _ in range(2)]
    with workers[0].app_context():
        irts = load_demo(original_dates=True)[0]
        db.session.commit()
        forms = [valid_data(irts, email=f"p{n}@example.org") for n in range(3)]
        db.session.remove()
    codes = []
    for worker, form in zip((0, 1, 0), forms):
        with workers[worker].app_context():
            codes.append(workers[worker].test_client().post(
                FORM_URL, data=form, environ_base=SCHOOL).status_code)
            db.session.remove()
    assert codes == [302, 302, 429]
    for worker in workers:
        with worker.app_context():
            db.engine.dispose()
