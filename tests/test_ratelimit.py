"""The shared rate-limit counters: windows, separate buckets, digests only."""

from datetime import timedelta

from journee import ratelimit
from journee.extensions import db
from journee.ratelimit import RateEvent
from journee.util.clock import utcnow


def test_counts_within_the_window_per_bucket_and_key(app):
    for _ in range(3):
        ratelimit.record("link-request", "zoe@example.org")
    ratelimit.record("registration", "zoe@example.org")
    ratelimit.record("link-request", "ines@example.org")
    db.session.commit()
    window = timedelta(hours=1)
    assert ratelimit.hits("link-request", "Zoe@Example.org ", window) == 3
    assert ratelimit.exceeded("link-request", "zoe@example.org", 3, window)
    assert not ratelimit.exceeded("link-request", "zoe@example.org", 4, window)
    assert ratelimit.hits("registration", "zoe@example.org", window) == 1
    assert ratelimit.hits("link-request", "ines@example.org", window) == 1


def test_old_events_leave_the_window_and_are_purged(app):
    ratelimit.record("link-request", "zoe@example.org")
    db.session.flush()
    event = db.session.scalar(db.select(RateEvent))
    event.at = utcnow() - timedelta(hours=2)
    ratelimit.record("link-request", "zoe@example.org")
    db.session.commit()
    assert ratelimit.hits("link-request", "zoe@example.org", timedelta(hours=1)) == 1
    event.at = utcnow() - ratelimit.LONGEST_WINDOW - timedelta(minutes=1)
    db.session.commit()
    assert ratelimit.purge_expired() == 1
    assert ratelimit.hits("link-request", "zoe@example.org", timedelta(days=2)) == 1


def test_forget_clears_one_key_and_the_table_holds_no_address(app):
    ratelimit.record("login-failure", "zoe@example.org|10.0.0.1")
    ratelimit.record("login-failure", "ines@example.org|10.0.0.1")
    db.session.commit()
    ratelimit.forget("login-failure", "zoe@example.org|10.0.0.1")
    db.session.commit()
    digests = db.session.scalars(db.select(RateEvent.key_digest)).all()
    assert len(digests) == 1
    assert all("@" not in digest and "10.0" not in digest for digest in digests)
    assert ratelimit.hits("login-failure", "ines@example.org|10.0.0.1", timedelta(hours=1)) == 1
