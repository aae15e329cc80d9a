"""What the browser tests check on a page (axe-core, horizontal scrolling) and do on the
live server (sign in, follow the self-service link of a confirmation)."""

from __future__ import annotations

import re
import time

from sqlalchemy import select

from journee.extensions import db
from journee.mail_models import OutboxMessage, OutboxStatus
from support.registration import delivered_message

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[str]:
    """Run axe-core with the WCAG 2.1 A/AA rules; one readable line per violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [f"{v['id']}: {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
            for v in results.response["violations"]]


def self_service_link(live_server, address: str) -> str:
    """The self-service link of the confirmation sent to ``address``, on the live server
    (the e-mail is the only way to it after registering)."""
    # The server sends once the answer is written: give it a moment.
    deadline = time.monotonic() + 10
    with live_server.app.app_context():
        while True:
            sent = db.session.scalars(select(OutboxMessage.id).where(
                OutboxMessage.to_address == address, OutboxMessage.kind == "confirmation",
                OutboxMessage.status == OutboxStatus.SENT)).all()
            if sent or time.monotonic() > deadline:
                break
            db.session.remove()
            time.sleep(0.05)
        [message_id] = sent
        text = delivered_message(message_id).get_body(("plain",))
        db.session.remove()
    path = re.search(r"http://127\.0\.0\.1(/r/[A-Za-z0-9_-]+)", text.get_content())[1]
    return live_server.base_url + path


def horizontal_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def login(page, base_url: str) -> None:
    page.goto(f"{base_url}/connexion")
    page.fill("#email", "orga@exemple.fr")
    page.fill("#password", "mot-de-passe-solide")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/admin/")


def submit(page, button) -> None:
    """Click a button that sends its form, and wait for the answer page: reading the page
    right after a bare click may still read the one it came from."""
    with page.expect_navigation():
        button.click()
