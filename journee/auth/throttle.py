"""Slowing down password guessing without ever blocking a whole school.

Failures are counted per account and per address over a short window. The per-address
limit is generous: thirty students behind one school address may share it, and
registration itself is never limited (a hidden honeypot field stops the robots there).
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlalchemy import delete, func, or_, select

from ..extensions import db
from ..models_base import utcnow
from .models import LoginFailure

WINDOW = timedelta(minutes=15)
MAX_PER_ACCOUNT = 5
MAX_PER_ADDRESS = 50
RETRY_AFTER_SECONDS = int(WINDOW.total_seconds())


def _digest(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode("utf-8", "surrogatepass")).hexdigest()


def is_throttled(email: str, remote_addr: str, purpose: str = "login") -> bool:
    since = utcnow() - WINDOW
    digest = _digest(f"{purpose}:{email}")
    per_account, per_address = db.session.execute(
        select(func.count().filter(LoginFailure.email_digest == digest),
               func.count().filter(LoginFailure.remote_addr == remote_addr))
        .where(LoginFailure.at >= since,
               or_(LoginFailure.email_digest == digest,
                   LoginFailure.remote_addr == remote_addr))).one()
    return per_account >= MAX_PER_ACCOUNT or per_address >= MAX_PER_ADDRESS


def record_failure(email: str, remote_addr: str, purpose: str = "login") -> None:
    purge_expired()
    db.session.add(LoginFailure(remote_addr=remote_addr[:64],
                                email_digest=_digest(f"{purpose}:{email}")))


def purge_expired() -> int:
    """Forget failures older than the window; returns how many were removed."""
    result = db.session.execute(delete(LoginFailure).where(LoginFailure.at < utcnow() - WINDOW))
    return result.rowcount or 0
