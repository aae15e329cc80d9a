"""Password reset links: signed, short-lived, and void once the password has changed."""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..extensions import db
from .models import User

MAX_AGE_SECONDS = 3600


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="journee-password-reset")


def _fingerprint(user: User) -> str:
    """Changes with the password, so a link works once."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def queue_password_email(user: User, welcome: bool = False) -> None:
    """E-mail a link to choose a password: a new account's first, or a forgotten one."""
    from flask import render_template

    from ..mail import queue_email
    from ..web.urls import external_url

    link = external_url("auth.reset_password", token=make_reset_token(user))
    context = {"user": user, "link": link, "welcome": welcome,
               "hours": MAX_AGE_SECONDS // 3600}
    subject = ("Journée\u202f: votre compte organisateur" if welcome
               else "Journée\u202f: choisir un nouveau mot de passe")
    queue_email("account_created" if welcome else "password_reset", user.email, subject,
                render_template("emails/password_reset.txt", **context),
                render_template("emails/password_reset.html", **context))


def make_reset_token(user: User) -> str:
    return _serializer().dumps({"user": user.id, "password": _fingerprint(user)})


def user_for_reset_token(token: str) -> User | None:
    try:
        data = _serializer().loads(token, max_age=MAX_AGE_SECONDS)
    except BadSignature:  # also covers an expired link (SignatureExpired)
        return None
    if not isinstance(data, dict):
        return None
    user = db.session.get(User, data.get("user")) if isinstance(data.get("user"), int) else None
    if user is None or not user.is_active or data.get("password") != _fingerprint(user):
        return None
    return user
