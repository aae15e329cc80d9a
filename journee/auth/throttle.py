"""Slowing down password guessing without letting anyone lock staff out.

Failed sign-ins are counted per account *and* address: an attacker guessing one account
is stopped after a few tries, while its owner, from any other address, still signs in
with the right password. A higher per-address ceiling stops one address guessing many
accounts; it is generous because a whole institute may sit behind one address (set
``JOURNEE_TRUSTED_PROXIES`` behind a reverse proxy, or everyone shares the proxy's).
Password-reset requests have budgets of their own, so sending them never blocks sign-in.
"""

from __future__ import annotations

from datetime import timedelta

from .. import ratelimit

WINDOW = timedelta(minutes=15)
MAX_PER_ACCOUNT_AND_ADDRESS = 5
MAX_PER_ADDRESS = 50
RETRY_AFTER_SECONDS = int(WINDOW.total_seconds())

RESET_WINDOW = timedelta(hours=1)
MAX_RESETS_PER_ACCOUNT = 3
MAX_RESETS_PER_ADDRESS = 20


def _pair(email: str, remote_addr: str) -> str:
    return f"{email.strip().lower()}|{remote_addr}"


def login_throttled(email: str, remote_addr: str) -> bool:
    return (ratelimit.exceeded("login-failure", _pair(email, remote_addr),
                               MAX_PER_ACCOUNT_AND_ADDRESS, WINDOW)
            or ratelimit.exceeded("login-failure-address", remote_addr,
                                  MAX_PER_ADDRESS, WINDOW))


def record_login_failure(email: str, remote_addr: str) -> None:
    ratelimit.record("login-failure", _pair(email, remote_addr))
    ratelimit.record("login-failure-address", remote_addr)


def forget_login_failures(email: str, remote_addr: str) -> None:
    """The owner signed in: their typos no longer count against them from there."""
    ratelimit.forget("login-failure", _pair(email, remote_addr))


def reset_allowed(email: str, remote_addr: str) -> bool:
    """Whether to send a reset link now; counts the request if so (the caller commits)."""
    if (ratelimit.exceeded("password-reset", email, MAX_RESETS_PER_ACCOUNT, RESET_WINDOW)
            or ratelimit.exceeded("password-reset-address", remote_addr,
                                  MAX_RESETS_PER_ADDRESS, RESET_WINDOW)):
        return False
    ratelimit.record("password-reset", email)
    ratelimit.record("password-reset-address", remote_addr)
    return True
