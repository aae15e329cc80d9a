"""Counting recent actions per key, shared by every worker through the database.

A rate limit here is a sliding window: ``hits(bucket, key, window)`` counts the events
recorded for that key within the window, ``record(bucket, key)`` adds one. Buckets name
what is counted (``"login-failure"``, ``"registration-ip"``…), so separate budgets never
share their counts. Keys (an address, an e-mail, a pair of both) are stored only as a
keyed digest: the table is not a list of who tried what.

Counting then recording is not atomic: two workers may both let the last allowed request
through. That is fine for slowing down abuse, which is all this is for; places and
payments are guarded elsewhere, in the statement that writes them.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta
from functools import lru_cache

from flask import Flask, current_app
from sqlalchemy import DateTime, Index, String, bindparam, delete, func, select
from sqlalchemy.orm import Mapped, mapped_column

from .data_owners import DataOwner, PurgeRun, register
from .extensions import db
from .util.clock import utcnow

#: The longest window any bucket uses: events older than this are forgotten.
LONGEST_WINDOW = timedelta(hours=24)


class RateEvent(db.Model):
    """One counted action (a failed sign-in, a link request, a registration…)."""

    __tablename__ = "rate_event"
    __table_args__ = (Index("ix_rate_event_bucket_key_at", "bucket", "key_digest", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bucket: Mapped[str] = mapped_column(String(40))
    key_digest: Mapped[str] = mapped_column(String(64), info={"personal": True})
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)


def key_digest(bucket: str, key: str) -> str:
    """A digest keyed with the app's secret, so a copy of the table names nobody."""
    secret = str(current_app.secret_key or "").encode()
    message = f"{bucket}\x1f{key.strip().casefold()}".encode("utf-8", "surrogatepass")
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def hits(bucket: str, key: str, window: timedelta) -> int:
    """How many events were recorded for ``key`` in ``bucket`` within ``window``."""
    return db.session.scalar(_hits_query(), {
        "bucket": bucket, "key_digest": key_digest(bucket, key),
        "since": utcnow() - window}) or 0


@lru_cache(maxsize=1)
def _hits_query():
    """Built once: every public form that is sent counts."""
    return select(func.count()).select_from(RateEvent).where(
        RateEvent.bucket == bindparam("bucket", type_=String),
        RateEvent.key_digest == bindparam("key_digest", type_=String),
        RateEvent.at >= bindparam("since", type_=DateTime))


def exceeded(bucket: str, key: str, limit: int, window: timedelta) -> bool:
    """Whether ``key`` has already used its ``limit`` events within ``window``."""
    return hits(bucket, key, window) >= limit


def record(bucket: str, key: str) -> None:
    """Count one event for ``key`` (the caller commits)."""
    db.session.add(RateEvent(bucket=bucket, key_digest=key_digest(bucket, key)))


def forget(bucket: str, key: str) -> None:
    """Clear a key's events in a bucket, e.g. an account's failures once it signs in."""
    db.session.execute(delete(RateEvent).where(
        RateEvent.bucket == bucket, RateEvent.key_digest == key_digest(bucket, key)))


def purge_expired() -> int:
    """Forget events older than the longest window; returns how many were removed."""
    result = db.session.execute(delete(RateEvent).where(RateEvent.at < utcnow()
                                                        - LONGEST_WINDOW))
    return result.rowcount or 0


class RateEventData(DataOwner):
    """The keyed digests of addresses and e-mails counted: forgotten after 24 hours."""

    name = "ratelimit"
    columns = ("rate_event.key_digest",)
    purge_counts = (("login_failures_deleted", "Compteurs anti-abus oubliés (connexions, "
                     "inscriptions, demandes de lien)"),)

    def purge(self, run: PurgeRun) -> None:
        run.report.add("login_failures_deleted", purge_expired())


def init_app(app: Flask) -> None:
    register(app, RateEventData())
