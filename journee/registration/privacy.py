"""The privacy notice shown with the registration form, and the version recorded with
each acknowledgement (bump it whenever the text of ``registration/_privacy.html``
changes in substance)."""

from __future__ import annotations

from datetime import date

from ..programme.models import Event, days_after

PRIVACY_VERSION = "2026-12-v3"
#: The acknowledgement of the staff forms: the person was told, not shown, the notice.
INFORMED = "La personne a été informée de la notice de confidentialité"


def purge_date(event: Event) -> date:
    """The day after which the registrations of this event are deleted."""
    return days_after(event.ends_on, event.retention_days)


def accommodation_purge_date(event: Event) -> date:
    """The day after which the accommodation needs told for this event are cleared."""
    return days_after(event.ends_on, event.accommodation_retention_days)
