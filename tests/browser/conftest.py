"""A live server on a temporary database, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from journee import create_app
from journee.extensions import db

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]


def _require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    reason = "Chromium absent (apt-get install chromium) : tests navigateur ignorés."
    if os.environ.get("CI"):
        pytest.fail(reason.replace("ignorés", "obligatoires en CI"))
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def live_server(migrated_database, tmp_path_factory):
    """Serve the app with the demo days (2018 dates) and an organiser account."""
    from journee.auth.models import User
    from journee.demo import load_demo

    directory = tmp_path_factory.mktemp("live")
    app = create_app({"SECRET_KEY": "browser-tests-66b55f915fccb0fa283173b51927ee85",
                      "SQLALCHEMY_DATABASE_URI": migrated_database.copy(directory),
                      "PUBLIC_BASE_URL": "http://127.0.0.1", "MAIL_AUTO_RETRY_SECONDS": 0,
                      # The 2018 demo days are past their retention period: a purge
                      # thread would delete their facilitator links mid-test.
                      "PURGE_INTERVAL_SECONDS": 0,
                      "MAIL_FILE_DIR": str(directory / "outbox")})
    with app.app_context():
        load_demo(original_dates=True)
        user = User(email="orga@exemple.fr", name="Organisatrice", is_admin=True)
        user.set_password("mot-de-passe-solide")
        db.session.add(user)
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.base_url = f"http://127.0.0.1:{server.server_port}"
    server.app = app
    yield server
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def page_factory(browser):
    contexts = []

    def make(width=1280, height=900, javascript=True):
        context = browser.new_context(viewport={"width": width, "height": height},
                                      java_script_enabled=javascript, locale="fr-FR")
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
