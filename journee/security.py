"""HTTP hardening: a real secret key, safe cookies and security headers on every response."""

from __future__ import annotations

import math
from collections import Counter

from flask import Flask, Request, abort, request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from .config import DEFAULT_SECRET_KEY, SECRET_KEY_FILE

# No inline script or style anywhere: pages load journee.css and their .js files only.
# The check-in scanner needs the camera (getUserMedia) and blob: video frames.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))

#: Keys published in this repository or typed by habit: refused outside debug and tests.
KNOWN_SECRET_KEYS = {DEFAULT_SECRET_KEY, "change-me", "changeme", "secret", "dev", "test"}

MIN_SECRET_KEY_LENGTH = 32
#: Bits per character (Shannon, over the key's own characters) below which a key is a
#: pattern rather than chance: 32 random hexadecimal digits score about 3.6 and never
#: came below 2.8 in 200,000 draws; « aaaa… » scores 0, « bench-xxxx… » about 1.
MIN_SECRET_KEY_ENTROPY = 2.5


class InsecureConfiguration(RuntimeError):
    """The app would run with settings that put people's data at risk."""


def check_secret_key(app: Flask) -> None:
    """Refuse to serve real people with a missing or publicly known secret key: anyone
    could forge a session cookie and sign in as an organiser."""
    if app.debug or app.testing:
        return
    key = app.config.get("SECRET_KEY")
    if not key or key in KNOWN_SECRET_KEYS:
        raise InsecureConfiguration(
            "SECRET_KEY manquante ou laissée à sa valeur par défaut\u202f: Journée refuse de "
            "démarrer. Définissez JOURNEE_SECRET_KEY (une longue valeur aléatoire) ou "
            f"lancez «\u202fmake run\u202f», qui en écrit une dans instance/{SECRET_KEY_FILE}.")
    if (len(key) < MIN_SECRET_KEY_LENGTH
            or _entropy_per_character(key) < MIN_SECRET_KEY_ENTROPY):
        raise InsecureConfiguration(
            "SECRET_KEY trop courte ou trop peu aléatoire : Journée refuse de démarrer. "
            f"Il faut au moins {MIN_SECRET_KEY_LENGTH} caractères tirés au hasard, par "
            "exemple ceux que donne « python3 -c 'import secrets; "
            "print(secrets.token_hex(32))' » ; ou lancez « make run », qui en écrit "
            f"une dans instance/{SECRET_KEY_FILE}.")


def _entropy_per_character(key: str | bytes) -> float:
    counts = Counter(key).values()
    return -sum(count / len(key) * math.log2(count / len(key)) for count in counts)


def trust_proxies(app: Flask) -> None:
    """Behind ``TRUSTED_PROXIES`` reverse proxies, take the client's address, scheme and
    host from the ``X-Forwarded-*`` headers they add; otherwise every person would share
    the proxy's address, and its sign-in limits. With none (0), anyone could write those
    headers: they are ignored."""
    value = app.config.get("TRUSTED_PROXIES") or 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InsecureConfiguration(
            "JOURNEE_TRUSTED_PROXIES doit être un nombre entier : combien de mandataires "
            "inverses (nginx, Apache…) se tiennent devant Journée, 0 s’il n’y en a pas ; "
            f"reçu « {value} ».")
    if value:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=value, x_proto=value, x_host=value)


class _WithoutNul(ImmutableMultiDict):
    """Query and form values without NUL characters: PostgreSQL refuses them in text (a
    500 waiting to happen), and no person ever types one."""

    def __init__(self, mapping=None):
        if isinstance(mapping, list):
            mapping = [(key.replace("\x00", ""),
                        value.replace("\x00", "") if isinstance(value, str) else value)
                       for key, value in mapping]
        super().__init__(mapping)


class JourneeRequest(Request):
    parameter_storage_class = _WithoutNul


def client_address() -> str:
    """The client's address (the proxy's header's, behind ``TRUSTED_PROXIES``), the key of
    the per-address limits."""
    return request.remote_addr or "inconnue"


def _refuse_nul_in_path():
    if "\x00" in request.path:
        abort(404)


MAX_ID = 2**31 - 1
"""The largest id: every id column is an ``integer``, 32 bits on PostgreSQL."""


def as_id(value: str | None) -> int | None:
    """A number from a form or a query string that an id column can hold, else ``None``
    (``int()`` would take « ² » or 5,000 digits only to raise, and the database a
    30-digit number only to fail)."""
    if value and value.isascii() and value.isdigit() and len(value) <= len(str(MAX_ID)):
        number = int(value)
        return number if number <= MAX_ID else None
    return None


class IdConverter(IntegerConverter):
    """``<int:…>`` in every route: a number no id column can hold names nothing, so the
    URL is a 404 (the database would answer with an error, SQLite beyond 64 bits too)."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)


#: Pages reached by a secret link (an attendee's, a facilitator's): never cached, never
#: leaked through the Referer, never indexed — their 404s too, so a wrong link looks like
#: any other.
SECRET_LINK_PREFIXES = ("/r/", "/f/")
#: The back office (lists, a person's details, the check-in desk…): never cached either.
STAFF_PREFIXES = ("/admin/",)


def _set_headers(response):
    headers = response.headers
    if (request.path.startswith(SECRET_LINK_PREFIXES + STAFF_PREFIXES)
            and "no-store" not in headers.get("Cache-Control", "")):
        headers["Cache-Control"] = "no-store"
    if request.path.startswith(SECRET_LINK_PREFIXES):
        headers["Referrer-Policy"] = "no-referrer"
        headers["X-Robots-Tag"] = "noindex"
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("Permissions-Policy", "camera=(self), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def init_app(app: Flask) -> None:
    check_secret_key(app)
    trust_proxies(app)
    # Cookies only travel over HTTPS when the app is served over HTTPS.
    if app.config["PUBLIC_BASE_URL"].startswith("https://"):
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
    app.request_class = JourneeRequest
    app.url_map.converters["int"] = IdConverter
    app.before_request(_refuse_nul_in_path)
    app.after_request(_set_headers)
