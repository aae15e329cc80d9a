"""Secret links (``/r/<token>``, ``/f/<token>``): what opens them is never stored.

A link's token is derived from the secret key and a random nonce kept on its row, which
also keeps the token's SHA-256 digest for lookups: a copy of the database alone opens
nothing. When the token can no longer be derived (a row from before digests, or a new
secret key), the old link keeps working until the next e-mail that needs it, which gets
a new link; the old one then stops working.

Tokens are also masked where they would otherwise be kept: log lines and sent e-mails.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
import secrets
from functools import lru_cache
from typing import ClassVar

from flask import Flask, current_app
from sqlalchemy import bindparam

from .extensions import db

MAX_TOKEN_LENGTH = 100
#: Where a request's path is logged: the development server, the app's errors, gunicorn.
LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error")

#: Paths that open something by themselves: an attendee's page, a facilitator's space,
#: a questionnaire, a password reset.
_LINK = re.compile(r"/(r|f|q|connexion/nouveau-mot-de-passe)/[^/?#\s\"'<>]+")


def digest(token: str) -> str:
    """What the database is searched by, so a lookup's timing says nothing of the secret."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def derive(purpose: str, nonce: str) -> str:
    key = current_app.config["SECRET_KEY"]
    key = key.encode() if isinstance(key, str) else key
    mac = hmac.new(key, f"secret-link:{purpose}:{nonce}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()).rstrip(b"=").decode("ascii")


def issue(purpose: str) -> dict[str, str]:
    """The columns of a new link: ``token_nonce`` and ``token_digest``."""
    nonce = secrets.token_urlsafe(16)
    return {"token_nonce": nonce, "token_digest": digest(derive(purpose, nonce))}


class SecretLinked:
    """A row opened by a secret link: it has ``token_nonce`` and ``token_digest``
    columns, and a new one gets a new link."""

    link_purpose: ClassVar[str]

    def __init__(self, **kwargs):
        if "token_nonce" not in kwargs and "token_digest" not in kwargs:
            kwargs.update(issue(self.link_purpose))
        super().__init__(**kwargs)

    @property
    def token(self) -> str | None:
        """The live token, for a link in a page or an e-mail; ``None`` for a row without
        a link (anonymised). Issues a new link when the current one cannot be derived
        again: the caller commits it."""
        if self.token_digest is None:
            return None
        token = self.derived_token()
        if token is None:
            self.token_nonce = secrets.token_urlsafe(16)
            token = derive(self.link_purpose, self.token_nonce)
            self.token_digest = digest(token)
            self._opened_with = token
        return token

    def derived_token(self) -> str | None:
        """The live token if it is known without issuing a new one: the token this row
        was opened with, or the one derived from its nonce."""
        opened = getattr(self, "_opened_with", None)
        if opened is not None and self.opens(opened):
            return opened
        if self.token_nonce is not None:
            token = derive(self.link_purpose, self.token_nonce)
            if self.opens(token):
                return token
        return None

    def opens(self, token: str) -> bool:
        return self.token_digest is not None \
            and hmac.compare_digest(self.token_digest, digest(token))

    def opened_with(self, token: str) -> bool:
        """Check the token a request came with and remember it, so that the pages it
        opens link with it even when it cannot be derived again."""
        if not self.opens(token):
            return False
        self._opened_with = token
        return True


def find(model: type[SecretLinked], token: str, *conditions) -> SecretLinked | None:
    """The row of ``model`` this token opens, or ``None`` (wrong or malformed)."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    row = db.session.scalar(_find_query(model, conditions), {"digest": digest(token)})
    return row if row is not None and row.opened_with(token) else None


@lru_cache(maxsize=32)
def _find_query(model: type[SecretLinked], conditions: tuple):
    """Built once per model and conditions when the caller keeps its conditions (as
    :data:`journee.registration.views.LIVE` does): every link opened looks up its row."""
    return db.select(model).where(model.token_digest == bindparam("digest"), *conditions)


# Masking -------------------------------------------------------------------------------

def mask_secret_links(text: str) -> str:
    """``/r/<token>``, ``/f/<token>`` and a password-reset link as ``/r/…``, ``/f/…``
    and ``/connexion/nouveau-mot-de-passe/…``."""
    return _LINK.sub(r"/\1/…", text)


class SecretLinkFilter(logging.Filter):
    """Masks secret links in a log record's message and traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: let the handler report it as usual
            return True
        masked = mask_secret_links(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            trace = logging.Formatter().formatException(record.exc_info)
            if mask_secret_links(trace) != trace:
                record.exc_text = mask_secret_links(trace)
        return True


def init_app(app: Flask) -> None:
    for logger in (app.logger, *map(logging.getLogger, LOGGERS)):
        if not any(isinstance(f, SecretLinkFilter) for f in logger.filters):
            logger.addFilter(SecretLinkFilter())
