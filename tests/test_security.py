"""Hardening: the secret key, trusted proxies, cookies, security headers, CSRF lifetime,
password reset by e-mail (sign-in limits and sessions: ``test_sign_in.py``)."""

from __future__ import annotations

import os
import re
import secrets
import time

import pytest
from flask import request
from sqlalchemy import select
from support.pages import csrf_token_from, text_of
from support.registration import (
    FORM_URL,
    OPEN_DAY,
    delivered_message,
    registration_count,
    set_today,
    valid_data,
)

from journee import create_app
from journee.config import load_secret_key
from journee.extensions import db
from journee.mail_models import OutboxMessage
from journee.security import InsecureConfiguration


def production_app(tmp_path, **config):
    return create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/prod.sqlite3",
                       **config})


def test_production_hashes_passwords_with_scrypt_at_its_full_cost(tmp_path):
    """The tests lower the cost (tests/conftest.py); an installation keeps Werkzeug's."""
    from journee.auth.models import hash_password

    app = production_app(tmp_path, SECRET_KEY="0324cff402215230125f3a35b073c2e9a1b7d5c4")
    with app.app_context():
        assert hash_password("mot-de-passe-solide").startswith("scrypt:32768:8:1$")


@pytest.mark.parametrize("key", [None, "", "dev-only-change-me", "change-me"])
def test_production_refuses_a_missing_or_known_secret_key(tmp_path, key):
    with pytest.raises(InsecureConfiguration, match="SECRET_KEY"):
        production_app(tmp_path, SECRET_KEY=key)


@pytest.mark.parametrize("key", ["a", "k" * 64, "ab" * 20, "bench-" + "x" * 32,
                                 "0324cff402215230125f3a35b073c2"])  # 30 characters
def test_production_refuses_a_short_or_repetitive_secret_key(tmp_path, key):
    with pytest.raises(InsecureConfiguration, match="au moins 32 caractères tirés au hasard"):
        production_app(tmp_path, SECRET_KEY=key)


def test_production_starts_with_a_random_key(tmp_path):
    for key in (secrets.token_hex(16), secrets.token_hex(32), secrets.token_urlsafe(32),
                os.urandom(32)):
        assert production_app(tmp_path, SECRET_KEY=key).secret_key == key


def test_debug_or_tests_tolerate_any_key(tmp_path):
    assert production_app(tmp_path, SECRET_KEY=None, TESTING=True).testing
    assert production_app(tmp_path, SECRET_KEY="a", DEBUG=True).debug


def test_the_key_written_in_the_instance_folder_is_read(tmp_path):
    assert load_secret_key(str(tmp_path)) is None
    (tmp_path / "secret_key").write_text("a1b2c3\n")
    assert load_secret_key(str(tmp_path)) == "a1b2c3"


FORWARDED = {"X-Forwarded-For": "198.51.100.7", "X-Forwarded-Proto": "https",
             "X-Forwarded-Host": "journees.exemple.fr"}


def _seen_from(app) -> str:
    app.add_url_rule("/vu", "seen", lambda: f"{request.remote_addr} {request.scheme} "
                                            f"{request.host}")
    return app.test_client().get("/vu", headers=FORWARDED,
                                 environ_base={"REMOTE_ADDR": "10.0.0.1"}).get_data(as_text=True)


def test_forwarded_headers_are_believed_only_behind_trusted_proxies(app_factory, monkeypatch):
    assert _seen_from(app_factory()) == "10.0.0.1 http localhost"
    monkeypatch.setenv("JOURNEE_TRUSTED_PROXIES", "1")
    assert _seen_from(app_factory()) == "198.51.100.7 https journees.exemple.fr"


def test_a_wrong_number_of_trusted_proxies_is_refused(app_factory, monkeypatch):
    monkeypatch.setenv("JOURNEE_TRUSTED_PROXIES", "oui")
    with pytest.raises(InsecureConfiguration, match="JOURNEE_TRUSTED_PROXIES doit être"):
        app_factory()


def test_every_page_carries_the_security_headers(client, irts):
    for url in ("/", f"/e/{irts.slug}/", "/connexion", "/page-qui-n-existe-pas"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, url
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp, url
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "Strict-Transport-Security" not in headers  # plain HTTP here


def test_https_adds_hsts_and_secure_cookies(app_factory):
    app = app_factory(PUBLIC_BASE_URL="https://journees.exemple.fr")
    with app.app_context():
        _staff_account()
        client = app.test_client()
        response = client.post("/connexion", base_url="https://journees.exemple.fr",
                               data={"email": "orga@exemple.fr",
                                     "password": "mot-de-passe-solide"})
        assert response.status_code == 302
        cookie = response.headers["Set-Cookie"]
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_staff_session_cookie_is_httponly_lax_and_short(client, make_user):
    user = make_user()
    response = client.post("/connexion", data={"email": user.email,
                                               "password": "mot-de-passe-solide"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    expires = re.search(r"Expires=([^;]+)", cookie)
    assert expires, "a staff session must expire"
    from email.utils import parsedate_to_datetime
    hours = (parsedate_to_datetime(expires.group(1)).timestamp() - time.time()) / 3600
    assert 7.9 < hours <= 8.01


def test_a_class_of_thirty_registers_from_one_school_address(client, irts, monkeypatch):
    set_today(monkeypatch, OPEN_DAY)
    for n in range(30):
        response = client.post(FORM_URL, data=valid_data(irts, email=f"etudiant{n}@ecole.fr"),
                               environ_base={"REMOTE_ADDR": "192.0.2.10"})
        assert response.status_code == 302, n
    assert registration_count() == 30


def _staff_account(email="orga@exemple.fr"):
    from journee.auth.models import User
    user = User(email=email, name="Orga")
    user.set_password("mot-de-passe-solide")
    db.session.add(user)
    db.session.commit()
    return user


def test_a_csrf_token_is_still_valid_hours_later(csrf_app, monkeypatch):
    client = csrf_app.test_client()
    user = _staff_account()
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() - 5 * 3600)
    token = csrf_token_from(client.get("/connexion").get_data(as_text=True))
    monkeypatch.setattr(time, "time", real_time)
    response = client.post("/connexion", data={"csrf_token": token, "email": user.email,
                                               "password": "mot-de-passe-solide"})
    assert response.status_code == 302


def test_a_post_without_csrf_token_is_refused(csrf_app):
    client = csrf_app.test_client()
    user = _staff_account()
    response = client.post("/connexion", data={"email": user.email,
                                               "password": "mot-de-passe-solide"})
    assert response.status_code == 400
    assert "Requête invalide" in text_of(response.get_data(as_text=True))
    assert client.get("/admin/").status_code == 302  # not signed in


def _reset_link(app) -> str:
    message = db.session.scalars(select(OutboxMessage).filter_by(kind="password_reset")).one()
    body = delivered_message(message.id)
    text = body.get_body(("plain",)).get_content()
    return re.search(r"http://journee\.test(/connexion/nouveau-mot-de-passe/\S+)", text).group(1)


def test_password_reset_by_email_link(app, client, make_user):
    user = make_user()
    response = client.post("/connexion/mot-de-passe-oublie", data={"email": user.email})
    assert response.status_code == 302
    link = _reset_link(app)
    assert "Choisir un nouveau mot de passe" in client.get(link).get_data(as_text=True)

    mismatch = client.post(link, data={"password": "une phrase assez longue",
                                       "confirm": "une autre phrase"})
    assert mismatch.status_code == 200
    assert "ne sont pas identiques" in text_of(mismatch.get_data(as_text=True))
    short = client.post(link, data={"password": "court", "confirm": "court"})
    assert "au moins 12 caractères" in text_of(short.get_data(as_text=True))

    assert client.post(link, data={"password": "une phrase assez longue",
                                   "confirm": "une phrase assez longue"}).status_code == 302
    assert client.post("/connexion", data={"email": user.email,
                                           "password": "une phrase assez longue"}
                       ).status_code == 302
    # Used once: the link is void now that the password changed.
    assert client.get(link).status_code == 404


def test_reset_request_reveals_nothing_and_sends_nothing_for_an_unknown_address(app, client):
    response = client.post("/connexion/mot-de-passe-oublie",
                           data={"email": "personne@example.org"}, follow_redirects=True)
    assert "Si un compte existe avec cette adresse" in text_of(response.get_data(as_text=True))
    assert db.session.scalars(select(OutboxMessage)).all() == []


def test_a_forged_reset_link_is_refused(client, make_user):
    make_user()
    assert client.get("/connexion/nouveau-mot-de-passe/abc.def.ghi").status_code == 404


def test_nul_characters_never_reach_the_database(client, make_user, irts):
    """PostgreSQL refuses NUL in text: they are dropped from forms and refused in paths."""
    user = make_user()
    response = client.post("/connexion", data={"email": user.email + "\x00",
                                               "password": "mot-de-passe-solide"})
    assert response.status_code == 302
    assert client.get("/r/abc%00def").status_code == 404
    assert client.get(f"/e/{irts.slug}/?q=a%00b").status_code == 200
