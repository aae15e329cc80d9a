"""The registration a URL names, or 404 (see :mod:`journee.web.loaders`)."""

from ..programme.models import Event
from ..web.loaders import owned_or_404
from .models import Registration


def registration_or_404(event: Event, registration_id: int) -> Registration:
    """The registration, or 404 alike for a missing one and one of another event."""
    return owned_or_404(Registration, registration_id, event_id=event.id)
