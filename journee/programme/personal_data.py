"""The programme's personal data (see :mod:`journee.data_owners`)."""

from __future__ import annotations

from flask import Flask

from ..data_owners import DataOwner, register


class ProgrammeData(DataOwner):
    """The people of the programme (speakers, facilitators) with their affiliation on
    each appearance, the event's contact address, its disability referent and its
    certificates' signatory and signature: published with the programme on purpose and edited by the organisers on
    the people and event pages. No retention rule removes them yet: a person appears in
    the programmes of the days they took part in, which are kept."""

    name = "programme"
    columns = (
        "person.first_name", "person.last_name", "person.function", "person.organisation",
        "person.email", "participation.function", "participation.organisation",
        "event.contact_email", "event.certificate_signatory", "event.certificate_signature",
        "event.referent_name", "event.referent_email", "event.referent_phone",
    )


def init_app(app: Flask) -> None:
    register(app, ProgrammeData())
