"""Fixtures: each test gets its own copy of a database built once by the migrations."""

from __future__ import annotations

import re
from datetime import date

import pytest
from databases import make_template

from journee import create_app
from journee.extensions import db

TEST_SECRET = "test-secret-key-not-for-production"


def _config(database_url: str, **overrides) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": TEST_SECRET,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "PUBLIC_BASE_URL": "http://journee.test",
        "SERVER_NAME": None,
    }
    config.update(overrides)
    return config


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory):
    """An empty database at the latest migration, built once per test run; its ``copy()``
    gives each test its own database (see ``tests/databases.py``)."""
    from flask_migrate import upgrade

    template = make_template(tmp_path_factory.mktemp("template"))
    app = create_app(_config(template.url))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    yield template
    template.drop_all()


@pytest.fixture
def app_factory(migrated_database, tmp_path):
    """Make an app on a fresh copy of the migrated database; overrides go to its config."""
    created = []

    def make(**overrides):
        url = migrated_database.copy(tmp_path, f"journee-{len(created)}")
        overrides.setdefault("MAIL_FILE_DIR", str(tmp_path / "outbox"))
        overrides.setdefault("IMPORT_DIR", str(tmp_path / "imports"))
        app = create_app(_config(url, **overrides))
        created.append(app)
        return app

    yield make
    for app in created:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(app_factory):
    app = app_factory()
    with app.app_context():
        yield app


@pytest.fixture
def csrf_app(app_factory):
    """An app with CSRF protection on, as in production."""
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        yield app


@pytest.fixture
def delivered(app):
    """The message as delivered of a sent outbox row (the file backend's ``.eml``): the
    row itself keeps its secret links masked once sent."""
    from registration_helpers import delivered_message

    return lambda message: delivered_message(message.id)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def demo(app):
    """The demo days with their original 2018 dates."""
    from journee.demo import load_demo

    events = load_demo(original_dates=True)
    db.session.commit()
    return {event.slug: event for event in events}


@pytest.fixture
def irts(demo):
    return demo["travail-social-epreuve-numerique-2018"]


@pytest.fixture
def make_user(app):
    from journee.auth.models import User

    def make(email="organisatrice@example.org", password="mot-de-passe-solide", admin=False,
             events=(), may_create_events=False):
        from journee.programme.models import EventMembership

        user = User(email=email, name=email.split("@")[0], is_admin=admin,
                    may_create_events=may_create_events)
        user.set_password(password)
        db.session.add(user)
        for event in events:
            db.session.add(EventMembership(event=event, user=user))
        db.session.commit()
        return user

    return make


@pytest.fixture
def login(client):
    def do_login(user, password="mot-de-passe-solide"):
        response = client.post("/connexion", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return do_login


@pytest.fixture
def organiser_client(make_user, login, irts):
    """A client logged in as an organiser of the IRTS-IDS demo day."""
    return login(make_user(events=[irts]))


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def text_of(html: str) -> str:
    """Visible text of a page with tags removed and spaces (incl. no-break) folded."""
    from html import unescape

    text = re.sub(r"<script.*?</script>|<style.*?</style>", " ", html, flags=re.DOTALL)
    text = re.sub(r"</?(strong|em|span|a|time|abbr|b|i)\b[^>]*>", "", text)
    text = unescape(re.sub(r"<[^>]+>", " ", text))
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


TODAY = date(2018, 2, 1)
