"""Staff sign-in: its failure and reset budgets, sessions that end, the page it opens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update
from support.pages import text_of

from journee.auth import throttle
from journee.extensions import db
from journee.mail_models import OutboxMessage
from journee.ratelimit import RateEvent
from journee.util.clock import utcnow

PASSWORD = "mot-de-passe-solide"


def _sign_in(client, email, password=PASSWORD, remote_addr="10.0.0.1", **kwargs):
    return client.post("/connexion", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": remote_addr}, **kwargs)


def _fail_login(client, email, remote_addr="10.0.0.1"):
    return _sign_in(client, email, "mauvais-mot-de-passe", remote_addr)


def _ask_reset(client, email, remote_addr="10.0.0.1"):
    return client.post("/connexion/mot-de-passe-oublie", data={"email": email},
                       environ_base={"REMOTE_ADDR": remote_addr})


def _reset_emails() -> int:
    return len(db.session.scalars(select(OutboxMessage).filter_by(kind="password_reset")).all())


# Failed sign-ins ---------------------------------------------------------------------------

def test_repeated_failures_are_answered_429_even_with_the_right_password(client, make_user):
    user = make_user()
    for _ in range(5):
        assert _fail_login(client, user.email).status_code == 401
    response = _sign_in(client, user.email)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "900"
    assert "Trop de tentatives" in text_of(response.get_data(as_text=True))
    assert "_user_id" not in response.headers.get("Set-Cookie", "")


def test_the_owner_of_a_guessed_account_still_signs_in_from_elsewhere(client, make_user):
    user = make_user()
    for _ in range(throttle.MAX_PER_ACCOUNT_AND_ADDRESS):
        _fail_login(client, user.email, remote_addr="203.0.113.66")
    assert _sign_in(client, user.email, remote_addr="203.0.113.66").status_code == 429
    assert _sign_in(client, user.email, remote_addr="10.0.0.1").status_code == 302


def test_a_locked_account_and_address_open_again_after_the_window(client, make_user):
    user = make_user()
    for _ in range(throttle.MAX_PER_ACCOUNT_AND_ADDRESS):
        _fail_login(client, user.email)
    assert _sign_in(client, user.email).status_code == 429
    db.session.execute(update(RateEvent).values(
        at=utcnow() - throttle.WINDOW - timedelta(minutes=1)))
    db.session.commit()
    assert _sign_in(client, user.email).status_code == 302


def test_signing_in_clears_the_owners_own_typos(client, make_user):
    user = make_user()
    for _ in range(throttle.MAX_PER_ACCOUNT_AND_ADDRESS - 1):
        _fail_login(client, user.email)
    assert _sign_in(client, user.email).status_code == 302
    client.post("/deconnexion")
    for _ in range(throttle.MAX_PER_ACCOUNT_AND_ADDRESS - 1):
        _fail_login(client, user.email)
    assert _sign_in(client, user.email).status_code == 302


def test_a_colleague_behind_the_same_address_can_still_sign_in(client, make_user):
    victim = make_user("victime@example.org")
    colleague = make_user("collegue@example.org")
    for _ in range(5):
        _fail_login(client, victim.email)
    assert _sign_in(client, colleague.email).status_code == 302


@pytest.mark.slow
def test_one_address_guessing_many_accounts_is_stopped(client, make_user):
    user = make_user()
    for n in range(throttle.MAX_PER_ADDRESS):
        _fail_login(client, f"inconnu{n}@example.org", remote_addr="10.9.9.9")
    assert _sign_in(client, user.email, remote_addr="10.9.9.9").status_code == 429
    # Reset requests have their own budget: the link still comes.
    assert _ask_reset(client, user.email, remote_addr="10.9.9.9").status_code == 302
    assert _reset_emails() == 1


def test_every_sign_in_computes_one_password_hash_whatever_the_account(client, make_user,
                                                                        monkeypatch):
    """A deactivated account answers as slowly as an active one or an unknown address."""
    from journee.auth import models

    make_user("active@example.org")
    inactive = make_user("inactive@example.org")
    inactive.active = False
    db.session.commit()
    hashed = []
    real_check = models.check_password_hash
    monkeypatch.setattr(models, "check_password_hash",
                        lambda pwhash, password: hashed.append(pwhash) or real_check(
                            pwhash, password))
    for email, password in (("active@example.org", "mauvais-mot-de-passe"),
                            ("inactive@example.org", PASSWORD),
                            ("personne@example.org", PASSWORD)):
        response = _sign_in(client, email, password)
        assert response.status_code == 401, email
        assert "Adresse e-mail ou mot de passe incorrect." in text_of(
            response.get_data(as_text=True))
    assert len(hashed) == 3
    assert all(pwhash.startswith("scrypt:") for pwhash in hashed)


# Password-reset requests -------------------------------------------------------------------

def test_reset_requests_never_block_sign_in(client, make_user):
    user = make_user()
    for n in range(throttle.MAX_PER_ADDRESS + 10):
        assert _ask_reset(client, f"quelquun{n}@example.org").status_code == 302
    assert _sign_in(client, user.email).status_code == 302


def test_reset_links_per_account_are_limited_whatever_the_address(client, make_user):
    user = make_user()
    for n in range(throttle.MAX_RESETS_PER_ACCOUNT + 2):
        response = _ask_reset(client, user.email, remote_addr=f"10.0.1.{n}")
        assert response.status_code == 302
    assert _reset_emails() == throttle.MAX_RESETS_PER_ACCOUNT
    page = client.get("/connexion")
    assert "Si un compte existe avec cette adresse" in text_of(page.get_data(as_text=True))


def test_reset_requests_per_address_are_limited(client, make_user):
    user = make_user()
    for n in range(throttle.MAX_RESETS_PER_ADDRESS):
        _ask_reset(client, f"inconnu{n}@example.org", remote_addr="10.9.9.9")
    _ask_reset(client, user.email, remote_addr="10.9.9.9")
    assert _reset_emails() == 0
    _ask_reset(client, user.email, remote_addr="10.0.0.1")
    assert _reset_emails() == 1


# Sessions that end -------------------------------------------------------------------------

def _signed_in(app, user, password=PASSWORD) -> str:
    """The session cookie of ``user`` signed in from a browser of their own."""
    client = app.test_client()
    with app.app_context():
        assert _sign_in(client, user.email, password).status_code == 302
    return client.get_cookie("session").value


def _with_cookie(app, cookie: str, url: str = "/admin/", **kwargs):
    """A request carrying a (copied) session cookie, sent by yet another browser in an app
    context of its own, as every request has in production: nothing this test's context
    cached (such as the signed-in user) reaches it."""
    client = app.test_client()
    client.set_cookie("session", cookie)
    with app.app_context():
        return client.open(url, **kwargs)


def test_logout_ends_every_session_of_the_account(app, make_user, irts):
    user = make_user(events=[irts])
    browser = _signed_in(app, user)
    other_device = _signed_in(app, user)
    colleague = _signed_in(app, make_user("collegue@example.org", events=[irts]))
    assert _with_cookie(app, browser).status_code == 200
    assert _with_cookie(app, other_device).status_code == 200

    assert _with_cookie(app, browser, "/deconnexion", method="POST").status_code == 302
    assert _with_cookie(app, browser).status_code == 302  # a copy taken before logout
    assert _with_cookie(app, other_device).status_code == 302
    assert _with_cookie(app, colleague).status_code == 200
    assert _with_cookie(app, _signed_in(app, user)).status_code == 200


def test_a_password_reset_ends_the_sessions_opened_before(app, client, make_user, irts):
    import re

    from support.registration import delivered_message

    user = make_user(events=[irts])
    before = _signed_in(app, user)
    _ask_reset(client, user.email)
    message = db.session.scalars(select(OutboxMessage).filter_by(kind="password_reset")).one()
    text = delivered_message(message.id).get_body(
        ("plain",)).get_content()
    link = re.search(r"http://journee\.test(/connexion/nouveau-mot-de-passe/\S+)", text)[1]
    assert client.post(link, data={"password": "une phrase assez longue",
                                   "confirm": "une phrase assez longue"}).status_code == 302
    assert _with_cookie(app, before).status_code == 302
    after = _signed_in(app, user, "une phrase assez longue")
    assert _with_cookie(app, after).status_code == 200


def test_deactivating_or_readdressing_an_account_ends_its_sessions(app, make_user, irts):
    admin = _signed_in(app, make_user("admin@example.org", admin=True))
    leaving = make_user("depart@example.org", events=[irts])
    moving = make_user("ancienne@example.org", events=[irts])
    renamed = make_user("renommee@example.org", events=[irts])
    sessions = {user.id: _signed_in(app, user) for user in (leaving, moving, renamed)}

    for user, form in ((leaving, {"email": "depart@example.org", "name": "Départ"}),
                       (moving, {"email": "nouvelle@example.org", "name": "Nouvelle adresse",
                                 "active": "y"}),
                       (renamed, {"email": "renommee@example.org", "name": "Nouveau nom",
                                  "active": "y"})):
        response = _with_cookie(app, admin, f"/admin/comptes/{user.id}/", method="POST",
                                data=form)
        assert response.status_code == 302, text_of(response.get_data(as_text=True))
    db.session.expire_all()
    assert leaving.active is False and moving.email == "nouvelle@example.org"
    assert renamed.name == "Nouveau nom"
    assert _with_cookie(app, sessions[leaving.id]).status_code == 302
    assert _with_cookie(app, sessions[moving.id]).status_code == 302
    assert _with_cookie(app, sessions[renamed.id]).status_code == 200


def test_an_administrator_readdressing_their_own_account_stays_signed_in_here_only(
        app, make_user):
    admin = make_user("admin@example.org", admin=True)
    here, elsewhere = _signed_in(app, admin), _signed_in(app, admin)
    browser = app.test_client()
    browser.set_cookie("session", here)
    with app.app_context():
        response = browser.post(f"/admin/comptes/{admin.id}/", data={
            "email": "administration@example.org", "name": "", "is_admin": "y",
            "active": "y"})
        assert response.status_code == 302
    with app.app_context():
        assert browser.get("/admin/").status_code == 200
    assert _with_cookie(app, elsewhere).status_code == 302


# The page after sign-in --------------------------------------------------------------------

@pytest.mark.parametrize("target", [
    "/admin/\r\nSet-Cookie: piege=1",
    "/admin/\n",
    "/\t/ailleurs.example",
    "/admin/\x7f",
    "//ailleurs.example/admin/",
    "/\\ailleurs.example",
    "https://ailleurs.example/admin/",
    "admin/",
])
def test_an_unsafe_next_page_leads_to_the_back_office(client, make_user, target):
    user = make_user()
    response = _sign_in(client, user.email, query_string={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/"


def test_a_local_next_page_is_followed(client, make_user, irts):
    user = make_user(events=[irts])
    target = f"/admin/journees/{irts.id}/inscriptions/?q=zo%C3%A9"
    response = _sign_in(client, user.email, query_string={"next": target})
    assert response.headers["Location"] == target
