"""The check-in link a badge's QR code carries.

It names the event and the registration's ``badge_code`` only: no personal data, and never
the self-service ``token`` (a badge left on a table must not open anyone's registration).
The link opens the staff check-in page, behind a login. Like the links in e-mails it
starts with ``PUBLIC_BASE_URL``: a badge is scanned by a phone, not by the server.
"""

from __future__ import annotations

from flask import current_app
from werkzeug.routing import BuildError

ENDPOINT = "admin.checkin.badge"


def checkin_path(event_id: int, badge_code: str) -> str:
    """The path of the check-in page for a badge, built from the route itself."""
    try:
        adapter = current_app.url_map.bind("localhost")
        return adapter.build(ENDPOINT, {"event_id": event_id, "code": badge_code})
    except BuildError:
        # Without the check-in blueprint (an app built for one feature), the known shape.
        return f"/admin/journees/{event_id}/accueil/badge/{badge_code}"


def checkin_url(event_id: int, badge_code: str, base_url: str | None = None) -> str:
    """« https://…/admin/journees/12/accueil/badge/<code> » for the badge's QR code."""
    base = (base_url or current_app.config["PUBLIC_BASE_URL"]).rstrip("/")
    return base + checkin_path(event_id, badge_code)
