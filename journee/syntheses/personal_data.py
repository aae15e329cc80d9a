"""The syntheses' personal data (see :mod:`journee.data_owners`)."""

from __future__ import annotations

from flask import Flask

from ..data_owners import DataOwner, register


class SynthesesData(DataOwner):
    """The authors of the day's synthesis and who last edited a synthesis: the
    syntheses are the event's published record, kept and deleted with it."""

    name = "syntheses"
    columns = ("workshop_synthesis.updated_by", "day_synthesis.authors",
               "day_synthesis.updated_by")


def init_app(app: Flask) -> None:
    register(app, SynthesesData())
