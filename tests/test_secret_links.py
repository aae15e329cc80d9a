"""Secret links (/r/…, /f/…): only their digest is stored, and neither the outbox once a
message is sent nor any log line keeps them."""

from __future__ import annotations

import email
import email.policy
import hashlib
import logging
import re
import threading
import urllib.error
import urllib.request
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import select, text
from support.gunicorn_server import GunicornServer
from support.registration import register, registration_by_email, slot_of
from werkzeug.serving import make_server

from journee.extensions import db
from journee.facilitation.models import FacilitatorLink
from journee.facilitation.services import queue_link_email
from journee.mail import deliver_pending, masked_links
from journee.mail_models import OutboxMessage, OutboxStatus
from journee.registration.emails import queue_already_registered

#: Today is 1 February 2018 for the registration views (``registration_open``).
pytestmark = pytest.mark.usefixtures("registration_open")

BASE_URL = "http://journee.test"
#: Shaped like a password-reset token (a signed, timed payload); this one opens nothing.
RESET_TOKEN = "eyJ1c2VyIjoxLCJwYXNzd29yZCI6ImFiYyJ9.Z1Fx1w.c2lnbmF0dXJlLW5vdC12YWxpZA"


def sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def stored_values(table: str, row_id: int) -> list[str]:
    """Every value of a row as the database holds it."""
    row = db.session.execute(text(f"SELECT * FROM {table} WHERE id = :id"), {"id": row_id})
    return [str(value) for value in row.one()]


def registered_token(client, irts) -> str:
    """Register Zoé through the form; the token of the self-service link her confirmation
    e-mail gave (the file backend's ``.eml``, as delivered)."""
    assert register(client, irts).status_code == 302
    zoe = registration_by_email("zoe.martin@example.org")
    [message] = db.session.scalars(select(OutboxMessage).filter_by(registration_id=zoe.id))
    [path] = Path(current_app.config["MAIL_FILE_DIR"]).glob(f"*-{message.id:06d}.eml")
    text_body = parsed(path.read_bytes()).get_body(("plain",)).get_content()
    [token] = set(re.findall(r"/r/([A-Za-z0-9_-]+)", text_body))
    return token


def facilitator_link(irts) -> FacilitatorLink:
    link = FacilitatorLink(event_id=irts.id,
                           person_id=slot_of(irts).workshops[0].facilitators[0].person_id)
    db.session.add(link)
    db.session.commit()
    return link


def parsed(data: bytes) -> EmailMessage:
    return email.message_from_bytes(data, policy=email.policy.default)


def bodies(message: EmailMessage) -> tuple[str, str]:
    return (message.get_body(("plain",)).get_content(),
            message.get_body(("html",)).get_content())


def decoded_parts(message: EmailMessage) -> bytes:
    """Every part's content, transfer encoding undone."""
    return b"".join(part.get_payload(decode=True) or b"" for part in message.walk()
                    if not part.is_multipart())


# Stored as digests ---------------------------------------------------------------------

def test_a_registration_keeps_only_the_digest_of_its_link(client, irts):
    token = registered_token(client, irts)
    zoe = registration_by_email("zoe.martin@example.org")
    assert not any(token in value for value in stored_values("registration", zoe.id))
    assert zoe.token_digest == sha256(token) and zoe.token_nonce
    assert zoe.token == token  # derived again, for the e-mails
    assert client.get(f"/r/{token}").status_code == 200


def test_a_facilitator_link_keeps_only_its_digest(client, irts):
    link = facilitator_link(irts)
    token = link.token
    assert not any(token in value for value in stored_values("facilitator_link", link.id))
    assert link.token_digest == sha256(token)
    assert client.get(f"/f/{token}").status_code == 200


def test_a_new_secret_key_gives_a_new_link_with_the_next_e_mail(app, client, irts, delivered):
    old = registered_token(client, irts)
    app.config["SECRET_KEY"] = "une-autre-cle-secrete-" + "x" * 32
    # The old link opens the page, and the page links with it, until a new link is given.
    page = client.get(f"/r/{old}").get_data(as_text=True)
    assert f"/r/{old}/modifier" in page
    db.session.remove()  # the e-mail comes from another request
    zoe = registration_by_email("zoe.martin@example.org")
    message = queue_already_registered(irts.id, zoe.email)
    db.session.commit()  # which sends it
    assert message.status == OutboxStatus.SENT
    new = zoe.token
    assert new != old and zoe.token_digest == sha256(new)
    assert f"{BASE_URL}/r/{new}" in bodies(delivered(message))[0]
    assert client.get(f"/r/{old}").status_code == 404
    assert client.get(f"/r/{new}").status_code == 200


# Sent messages -------------------------------------------------------------------------

def test_a_sent_confirmation_keeps_no_live_link(client, irts, delivered):
    token = registered_token(client, irts)
    [message] = db.session.scalars(select(OutboxMessage)).all()
    assert message.status == OutboxStatus.SENT

    stored = parsed(message.message)
    assert not stored.defects
    text_body, html_body = bodies(stored)
    assert f"{BASE_URL}/r/…" in text_body and f'href="{BASE_URL}/r/…"' in html_body
    assert token.encode() not in decoded_parts(stored)
    # What was delivered carried the link; the rest of the copy kept is as delivered.
    sent = delivered(message)
    assert f"{BASE_URL}/r/{token}" in bodies(sent)[0]
    assert bodies(sent)[0].replace(token, "…") == text_body
    assert [(p.get_filename(), p.get_content()) for p in stored.iter_attachments()] \
        == [(p.get_filename(), p.get_content()) for p in sent.iter_attachments()]


def test_a_sent_facilitator_link_is_masked_in_the_outbox(app, irts, delivered):
    link = facilitator_link(irts)
    link.person.email = "animatrice@example.org"
    message = queue_link_email(link, BASE_URL, "test")
    db.session.commit()  # which sends it
    assert message.status == OutboxStatus.SENT

    text_body, html_body = bodies(parsed(message.message))
    assert f"{BASE_URL}/f/…" in text_body and f'href="{BASE_URL}/f/…"' in html_body
    assert link.token.encode() not in decoded_parts(parsed(message.message))
    assert f"{BASE_URL}/f/{link.token}" in bodies(delivered(message))[0]


def test_a_message_whose_links_cannot_be_masked_is_sent_once_and_not_kept(
        app, irts, monkeypatch, caplog):
    link = facilitator_link(irts)
    link.person.email = "animatrice@example.org"
    message = queue_link_email(link, BASE_URL, "test")

    def broken(raw):
        raise ValueError("message illisible")

    monkeypatch.setattr("journee.mail.masked_links", broken)
    db.session.commit()  # which sends it
    assert (message.status, message.message) == (OutboxStatus.SENT, None)
    assert f"Liens de l’e-mail {message.id} impossibles à masquer" in caplog.text
    assert deliver_pending() == (0, 0)


def test_links_are_masked_in_every_text_part_whatever_its_encoding():
    message = EmailMessage()
    message["Subject"] = "Votre lien"
    message.set_content("Votre lien : http://journee.test/r/AbC-12_x?nouveau=1\n",
                        cte="base64")
    message.add_alternative('<p><a href="http://journee.test/f/AbC-12_x/ateliers/u">Zoé'
                            '</a></p>\n', subtype="html", cte="8bit")
    message.add_attachment(b"%PDF-1.4 /r/AbC-12_x", maintype="application", subtype="pdf",
                           filename="attestation.pdf")

    sent = message.as_bytes(policy=SMTP)
    masked = parsed(masked_links(sent))

    text_part, html_part = masked.get_body(("plain",)), masked.get_body(("html",))
    assert text_part.get_content() == "Votre lien : http://journee.test/r/…?nouveau=1\n"
    assert text_part["Content-Transfer-Encoding"] == "base64"
    # The 8-bit part comes back quoted-printable (« … » in 7 bits), lines as they were.
    assert html_part.get_content() == parsed(sent).get_body(("html",)).get_content() \
        .replace("AbC-12_x", "…")
    assert "/f/…/ateliers/u" in html_part.get_content()
    assert html_part["Content-Transfer-Encoding"] == "quoted-printable"
    [pdf] = masked.iter_attachments()
    assert pdf.get_content() == b"%PDF-1.4 /r/AbC-12_x"  # not a text: left as sent
    assert masked["Subject"] == "Votre lien" and not masked.defects


# Logs ------------------------------------------------------------------------------------

def test_the_development_server_logs_no_secret_link(app, client, irts, caplog):
    token = registered_token(client, irts)
    link = facilitator_link(irts)
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    try:
        with caplog.at_level(logging.INFO, logger="werkzeug"):
            for path in (f"/r/{token}?nouveau=1", f"/f/{link.token}/ateliers/pas-un-atelier",
                         f"/connexion/nouveau-mot-de-passe/{RESET_TOKEN}"):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{server.port}{path}", timeout=30)
                except urllib.error.HTTPError as error:
                    assert error.code == 404
    finally:
        server.shutdown()
        thread.join()
    # Without the colours werkzeug gives an error's request line.
    lines = "\n".join(re.sub(r"\x1b\[[0-9;]*m", "", record.getMessage())
                      for record in caplog.records if record.name == "werkzeug")
    assert '"GET /r/…?nouveau=1 HTTP/1.1" 200' in lines
    assert '"GET /f/…/ateliers/pas-un-atelier HTTP/1.1" 404' in lines
    assert '"GET /connexion/nouveau-mot-de-passe/… HTTP/1.1" 404' in lines
    assert token not in caplog.text and link.token not in caplog.text
    assert RESET_TOKEN not in caplog.text


def test_an_error_on_a_secret_link_is_logged_without_it(app, client, irts, caplog,
                                                         monkeypatch):
    token = registered_token(client, irts)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: logged, then a 500 page

    def broken(registration):
        from flask import request
        raise RuntimeError(f"panne en servant {request.path}")

    monkeypatch.setattr("journee.registration.services.waitlist_position", broken)
    with caplog.at_level(logging.ERROR):
        assert client.get(f"/r/{token}").status_code == 500
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert record.getMessage() == "Exception on /r/… [GET]"
    assert "RuntimeError: panne en servant /r/…" in caplog.text  # the traceback too
    assert token not in caplog.text


def test_gunicorn_logs_no_secret_link(migrated_database, tmp_path):
    """A real gunicorn: its access log, and Flask's error log on a database without its
    tables (any page fails)."""
    server = GunicornServer(migrated_database.empty(tmp_path), tmp_path, workers=1,
                            threads=1, MAIL_AUTO_RETRY_SECONDS="0")
    server.env["GUNICORN_CMD_ARGS"] = "--access-logfile -"
    token = "Zm9vYmFyLXNlY3JldC1saW5rLXRva2VuLTEyMzQ1Ng"
    server.start()
    try:
        for path in (f"/r/{token}", f"/f/{token}/ateliers/u"):
            status, _, _ = server.request("GET", path)
            assert status == 500
    finally:
        server.stop()
    log = server.log()
    assert '"GET /r/… HTTP/1.1" 500' in log and '"GET /f/…/ateliers/u HTTP/1.1" 500' in log
    assert "Exception on /r/… [GET]" in log
    assert token not in log
