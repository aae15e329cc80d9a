"""A new e-mail address for a registration takes effect once confirmed from a link sent to
it: signed, valid for a day, and void once the address has changed (the link names the
address it replaces)."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..extensions import db
from .models import Registration

MAX_AGE_SECONDS = 24 * 3600


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="journee-address-change")


def make_change_token(registration: Registration, new_address: str) -> str:
    return _serializer().dumps({"registration": registration.id, "from": registration.email,
                                "to": new_address})


def change_for_token(token: str) -> tuple[Registration, str] | None:
    """The registration and its new address, if the link is genuine, recent and unused."""
    try:
        data = _serializer().loads(token, max_age=MAX_AGE_SECONDS)
    except BadSignature:  # also covers an expired link (SignatureExpired)
        return None
    if not isinstance(data, dict) or not isinstance(data.get("registration"), int):
        return None
    registration = db.session.get(Registration, data["registration"])
    if (registration is None or registration.anonymised_at is not None
            or registration.email != data.get("from") or not data.get("to")):
        return None
    return registration, data["to"]
