"""Fixtures: each test gets its own copy of a database built once by the migrations.

Shared helpers that are plain functions live in ``tests/support/`` (``from support.pages
import text_of``); no test module imports this file or another test module. The markers
``browser`` and ``postgres`` (see pyproject.toml) are set here by directory and module, in
``pytest_collection_modifyitems``; ``slow`` is on the tests themselves (``pytestmark`` in
tests/test_wheel.py and tests/test_registration_rush.py, ``@pytest.mark.slow`` on a dozen
others: several seconds or more each on an idle machine, measured with ``--durations``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.databases import make_template
from support.registration import OPEN_DAY, set_today
from support.smtp import SMTPServer
from support.worker import WorkerClient

from journee import create_app
from journee.extensions import db

TEST_SECRET = "test-secret-key-not-for-production"


def _config(database_url: str, **overrides) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": TEST_SECRET,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        # scrypt at 1/32 of its cost: each account and sign-in of a test stays quick.
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
        "PUBLIC_BASE_URL": "http://journee.test",
        "SERVER_NAME": None,
        # The reminders' periodic job stays off (tests/test_reminders.py turns it on):
        # the runner's tests count the jobs.
        "REMINDER_INTERVAL_SECONDS": 0,
        # So does the workshop places' (tests/test_after_publication.py calls it).
        "WORKSHOP_PLACES_INTERVAL_SECONDS": 0,
        "PROGRAMME_NOTICE_INTERVAL_SECONDS": 0,
        # And the questionnaires' (tests/test_surveys.py calls it).
        "SURVEY_INTERVAL_SECONDS": 0,
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
        app.test_client_class = WorkerClient
        created.append(app)
        return app

    yield make
    for app in created:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def smtp():
    """A real SMTP server on localhost; ``support.smtp.sending_to(smtp)`` points an app
    at it."""
    server = SMTPServer().start()
    yield server
    server.stop()


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
    from support.registration import delivered_message

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


@pytest.fixture
def registration_open(monkeypatch):
    """Today is 1 February 2018 for the registration views (IRTS-IDS: 8 Jan → 1 Mar).

    Not autouse: a module whose tests all register says
    ``pytestmark = pytest.mark.usefixtures("registration_open")``."""
    set_today(monkeypatch, OPEN_DAY)


# Markers ---------------------------------------------------------------------------------

TESTS = Path(__file__).resolve().parent
#: Modules whose code paths differ between SQLite and PostgreSQL: row locks under a rush,
#: the migrations, accent-folded search, backups. They run on SQLite too;
#: ``scripts/test-postgres -m postgres`` runs just them on PostgreSQL.
POSTGRES_MODULES = {"test_migrations.py", "test_registration_admin.py",
                    "test_registration_rush.py", "test_rush_and_faults.py",
                    "test_after_publication_rush.py"}


@pytest.hookimpl(tryfirst=True)  # before -m deselects
def pytest_collection_modifyitems(config, items):
    for item in items:
        path = Path(item.path)
        if TESTS / "browser" in path.parents or "browser" in item.fixturenames:
            item.add_marker(pytest.mark.browser)
        if path.name in POSTGRES_MODULES:
            item.add_marker(pytest.mark.postgres)


# Parallel runs (pytest-xdist) -------------------------------------------------------------

#: Modules whose fixtures are set up once per module (a live server and its demo days, a
#: built wheel): run each on a single worker, so that the setup is not paid twice.
MODULE_FIXTURE_MODULES = ("tests/browser/", "tests/test_wheel.py")


def pytest_xdist_make_scheduler(config, log):
    """``--dist loadgroup`` (pyproject's addopts), done by module path: every test is its
    own unit of work, except those of ``MODULE_FIXTURE_MODULES``, a unit per module.

    (xdist's own loadgroup reads ``xdist_group`` marks through node ids it rewrites, which
    pytest 9.2 no longer lets it do; ``--dist loadfile`` would keep every module on one
    worker and leave the other idle at the end.) Other ``--dist`` modes are left alone.
    """
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ByModuleFixture(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return module if module.startswith(MODULE_FIXTURE_MODULES) else nodeid

    return ByModuleFixture(config, log)
