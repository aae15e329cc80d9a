"""The organisation's personal data (see :mod:`journee.data_owners`)."""

from __future__ import annotations

from flask import Flask

from ..data_owners import DataOwner, register


class BrandingData(DataOwner):
    """The name of the organisation's legal representative, printed on every completion
    certificate as its signatory: set and changed by an administrator on the page
    « Organisme de formation », kept as long as they represent it (the certificates
    already issued bear it anyway)."""

    name = "branding"
    columns = ("legal_identity.representative_name",)


def init_app(app: Flask) -> None:
    register(app, BrandingData())
