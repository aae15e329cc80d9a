"""An attendee's own certificates, from their self-service link: attendance and
completion (« certificat de réalisation »)."""

from flask import Blueprint, abort

from .. import secret_links
from ..registration.models import Registration
from ..web.downloads import private_download
from .services.certificates import certificate_available, certificate_filename, certificates_pdf
from .services.completion import (
    completion_available,
    completion_certificates_pdf,
    completion_filename,
    recipient,
)

bp = Blueprint("certificates", __name__)


@bp.app_template_global("certificate_available")
def _certificate_available(registration: Registration) -> bool:
    """For the self-service page: whether to offer the download link."""
    return certificate_available(registration)


@bp.app_template_global("completion_available")
def _completion_available(registration: Registration) -> bool:
    return completion_available(registration)


@bp.get("/r/<token>/attestation.pdf")
def own(token: str):
    """The certificate, after the day, of a confirmed attendee marked present whose
    registration is not anonymised; else 404."""
    registration = secret_links.find(Registration, token)
    if registration is None or not certificate_available(registration):
        abort(404)
    return private_download(certificates_pdf(registration.event, [registration]),
                            certificate_filename(registration.event, registration),
                            "application/pdf")


@bp.get("/r/<token>/certificat-realisation.pdf")
def own_completion(token: str):
    """The completion certificate, after the day, of a confirmed attendee who attended
    at least one half-day and is not anonymised; else 404."""
    registration = secret_links.find(Registration, token)
    if registration is None or not completion_available(registration):
        abort(404)
    return private_download(
        completion_certificates_pdf(registration.event, [recipient(registration)]),
        completion_filename(registration.event, registration), "application/pdf")
