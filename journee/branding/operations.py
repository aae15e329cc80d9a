"""Changing the institute's look: the change and its audit entry; the caller commits."""

from __future__ import annotations

from ..audit.log import actor_for_user, record
from ..extensions import db
from .logo import Logo
from .models import Branding, LegalIdentity
from .services import forget_look, stored_branding, stored_legal_identity


def update_branding(*, name: str, accent: str, logo: Logo | None, remove_logo: bool,
                    by) -> Branding:
    """Set the name and colour; replace or remove the logo; bump the version so that
    cached pages and documents (ETags, ``?v=`` URLs) change with it."""
    branding = stored_branding()
    if branding is None:
        branding = Branding(version=0)
        db.session.add(branding)
    branding.name = name
    branding.accent = accent
    if logo is not None:
        branding.logo, branding.logo_type = logo.data, logo.mimetype
    elif remove_logo:
        branding.logo, branding.logo_type = None, None
    branding.version = (branding.version or 0) + 1
    changed = ["nom", "couleur"] + (["logo"] if logo is not None or remove_logo else [])
    record("organiser.change_branding", actor=actor_for_user(by),
           target=f"Identité de l’institut ({', '.join(changed)})")
    forget_look()
    return branding


LEGAL_FIELDS = ("legal_name", "address", "siret", "nda", "nda_region",
                "representative_name", "representative_role", "city")


def update_legal_identity(values: dict[str, str], *, by) -> LegalIdentity:
    """Set the organisation's legal identity from ``values`` (keyed by
    :data:`LEGAL_FIELDS`, already checked) and record who changed it."""
    identity = stored_legal_identity()
    if identity is None:
        identity = LegalIdentity()
        db.session.add(identity)
    for name in LEGAL_FIELDS:
        setattr(identity, name, values.get(name) or "")
    record("organiser.change_legal_identity", actor=actor_for_user(by),
           target="Identité de l’organisme de formation")
    return identity
