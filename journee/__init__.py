"""Journée: organise interprofessional study days for social-work training institutes."""

import os
from pathlib import Path

from flask import Flask

from .config import apply_environment, default_config
from .extensions import csrf, db, login_manager, migrate

PACKAGE_DIR = Path(__file__).resolve().parent
#: Installed from a wheel or an sdist, the package holds ``templates/`` (see setup.py);
#: in a source checkout (an editable install, ``make``, the tests) it sits beside it.
INSTALLED = (PACKAGE_DIR / "templates").is_dir()


def shipped_folder(name: str) -> Path:
    """``templates`` or ``migrations``: inside the package when installed, the top-level
    folder next to the package in a checkout."""
    return PACKAGE_DIR / name if INSTALLED else PACKAGE_DIR.parent / name


def instance_folder() -> str | None:
    """``JOURNEE_INSTANCE_PATH`` if set; else ``instance/`` of the checkout the package
    runs from; else (installed from a wheel) None: Flask's default for an installed
    package, ``<prefix>/var/journee-instance``."""
    if os.environ.get("JOURNEE_INSTANCE_PATH"):
        return os.path.abspath(os.environ["JOURNEE_INSTANCE_PATH"])
    if INSTALLED:
        return None
    return str(PACKAGE_DIR.parent / "instance")


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: defaults, then ``instance/config.py``, then ``JOURNEE_*``."""
    app = Flask(
        __name__,
        instance_path=instance_folder(),
        instance_relative_config=True,
        template_folder=str(shipped_folder("templates")),
    )
    app.config.from_mapping(default_config(app.instance_path))
    app.config.from_pyfile("config.py", silent=True)
    apply_environment(app.config)
    if test_config:
        app.config.from_mapping(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    from . import models  # noqa: F401  (every table known to SQLAlchemy and Alembic)
    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True,
                     directory=str(shipped_folder("migrations")))
    csrf.init_app(app)
    login_manager.init_app(app)

    from . import database, errors, expired_forms, formatting, mail, secret_links, security
    security.init_app(app)
    secret_links.init_app(app)
    database.init_app(app)
    errors.init_app(app)
    expired_forms.init_app(app)
    formatting.init_app(app)
    mail.init_app(app)
    from .web import rendered_fields
    rendered_fields.init_app(app)
    from .gdpr import jobs as gdpr_jobs
    from .gdpr import settings
    gdpr_jobs.init_app(app)
    settings.init_app(app)
    from . import branding
    branding.init_app(app)
    # The data owners (see journee.data_owners), in the order of a person's export and
    # of the purge's report.
    from . import mail_personal_data, ratelimit
    from .attendance import personal_data as attendance_data
    from .audit import personal_data as audit_data
    from .auth import personal_data as auth_data
    from .branding import personal_data as branding_data
    from .facilitation import personal_data as facilitation_data
    from .programme import personal_data as programme_data
    from .registration import personal_data as registration_data
    from .syntheses import personal_data as syntheses_data
    from .workshops import personal_data as workshops_data
    for module in (registration_data, attendance_data, workshops_data, facilitation_data,
                   syntheses_data, programme_data, branding_data, auth_data, audit_data,
                   ratelimit, mail_personal_data):
        module.init_app(app)
    from .attendance.services import certificates as certificate_emails
    from .attendance.services import completion as completion_emails
    from .registration import emails as registration_emails
    registration_emails.init_app(app)
    from .registration import reminders
    reminders.init_app(app)
    from .workshops import jobs as workshop_jobs
    workshop_jobs.init_app(app)
    from .programme import updates as programme_updates
    from .registration import programme_notices
    programme_updates.listen()
    programme_notices.init_app(app)
    certificate_emails.init_app(app)
    completion_emails.init_app(app)
    from . import messages, surveys
    messages.init_app(app)
    surveys.init_app(app)

    from .attendance import views as attendance_views
    from .attendance.admin import badges, checkin, completion, sheets, signing_corrections
    from .attendance.admin import signing as attendance_signing
    from .auth import admin as auth_admin
    from .auth import views as auth_views
    from .branding import admin as branding_admin
    from .branding import views as branding_views
    from .evidence import admin as evidence_admin
    from .facilitation import admin as facilitation_admin
    from .facilitation import signing as facilitation_signing
    from .facilitation import views as facilitation_views
    from .gdpr import admin as gdpr_admin
    from .messages import admin as messages_admin
    from .messages import views as messages_views
    from .programme import admin as programme_admin
    from .programme import views as programme_views
    from .registration import admin as registration_admin
    from .registration import views as registration_views
    from .surveys import admin as surveys_admin
    from .surveys import views as surveys_views
    from .syntheses import admin as syntheses_admin
    from .syntheses import views as syntheses_views
    from .web.admin import admin_blueprint
    from .workshops import admin as workshops_admin
    for public in (programme_views, registration_views, auth_views, facilitation_views,
                   facilitation_signing, attendance_views, syntheses_views, messages_views, branding_views,
                   surveys_views):
        app.register_blueprint(public.bp)
    app.register_blueprint(admin_blueprint(
        programme_admin.bp, registration_admin.bp, workshops_admin.bp, facilitation_admin.bp,
        badges.bp, checkin.bp, attendance_signing.bp, sheets.bp, completion.bp,
        signing_corrections.bp,
        syntheses_admin.bp, gdpr_admin.bp, auth_admin.bp, messages_admin.bp,
        branding_admin.bp, surveys_admin.bp, evidence_admin.bp))

    from .cli import register_commands
    register_commands(app)
    return app
