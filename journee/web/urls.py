"""Addresses that leave the app: in e-mails, calendars, QR codes and copied links.

They start with ``PUBLIC_BASE_URL`` (the address people reach the app at), never with
the host a request happened to come through.
"""

from flask import current_app, url_for


def public_base_url() -> str:
    """``PUBLIC_BASE_URL`` as configured, for builders that take a base address."""
    return current_app.config["PUBLIC_BASE_URL"]


def external_url(endpoint: str, **values) -> str:
    """The absolute address of an endpoint, for someone outside the app."""
    return public_base_url().rstrip("/") + url_for(endpoint, **values)
