"""Reading the institute's look, once per request (or per e-mail round)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from flask import has_request_context, request
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import undefer

from ..extensions import db
from ..mail import shared_in_round
from .colours import DEFAULT_ACCENT, accent_dark
from .models import Branding, LegalIdentity

PNG = "image/png"
SVG = "image/svg+xml"


@dataclass(frozen=True)
class Look:
    """What pages, e-mails and documents need to know, without the logo's bytes."""

    name: str
    accent: str
    accent_dark: str
    logo_type: str | None
    version: int
    customised: bool

    @property
    def has_logo(self) -> bool:
        return self.logo_type is not None

    @property
    def has_png_logo(self) -> bool:
        """E-mails and PDFs take a PNG logo only (see the settings page)."""
        return self.logo_type == PNG


DEFAULT_LOOK = Look(name="", accent=DEFAULT_ACCENT, accent_dark=accent_dark(DEFAULT_ACCENT),
                    logo_type=None, version=0, customised=False)


def stored_branding() -> Branding | None:
    return db.session.scalar(_branding_query())


@lru_cache(maxsize=1)
def _branding_query():
    """Built once: every page reads the look."""
    return db.select(Branding).order_by(Branding.id).limit(1)


def current_look() -> Look:
    """The look in force: read once per request, or once per e-mail delivery round
    (never for longer: a worker runs for days)."""
    if has_request_context():
        if not hasattr(request, "journee_look"):
            request.journee_look = _read_look()
        return request.journee_look
    return shared_in_round("branding-look", _read_look)


def _read_look() -> Look:
    try:
        row = stored_branding()
    except SQLAlchemyError:  # An error page after a failed transaction: Journée's look.
        return DEFAULT_LOOK
    if row is None:
        return DEFAULT_LOOK
    accent = row.accent or DEFAULT_ACCENT
    return Look(name=row.name, accent=accent, accent_dark=accent_dark(accent),
                logo_type=row.logo_type, version=row.version, customised=True)


def forget_look() -> None:
    """After a change, the next reader reads it again."""
    if has_request_context() and hasattr(request, "journee_look"):
        del request.journee_look


def branding_version() -> int:
    """Changes with every change of name, logo or colour (0: never set): part of the
    ETag of any page or document that shows them."""
    return current_look().version


def logo_bytes() -> tuple[bytes, str] | None:
    """The logo and its media type, or ``None``."""
    row = db.session.scalar(db.select(Branding).options(undefer(Branding.logo))
                            .order_by(Branding.id))
    if row is None or row.logo is None or row.logo_type is None:
        return None
    return row.logo, row.logo_type


def png_logo() -> bytes | None:
    """The logo for PDFs and e-mails: a PNG, or nothing (an SVG logo is left out)."""
    def read() -> bytes | None:
        logo = logo_bytes() if current_look().has_png_logo else None
        return logo[0] if logo else None
    return shared_in_round("branding-png", read)


def stored_legal_identity() -> LegalIdentity | None:
    """The organisation's legal identity, for the completion certificates."""
    return db.session.scalar(db.select(LegalIdentity).order_by(LegalIdentity.id))
