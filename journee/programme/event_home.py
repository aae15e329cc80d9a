"""What the packages above programme add to the event's admin home and to the list of
events (the registration figures): they register here, and programme shows what they
give without importing them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app
from markupsafe import Markup

from .models import Event

EXTENSION = "journee.event_home"


@dataclass(frozen=True)
class Contribution:
    heading: str
    """The column of the list of events."""
    home: Callable[[Event], Markup]
    """A section of the event's admin home."""
    lines: Callable[[list[Event]], dict[int, Markup]]
    """One cell per event of the list, by event id, for all of them at once."""


def register(app: Flask, contribution: Contribution) -> None:
    app.extensions.setdefault(EXTENSION, []).append(contribution)


def contributions() -> list[Contribution]:
    return current_app.extensions.get(EXTENSION, [])
