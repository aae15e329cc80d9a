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
    from .gdpr import jobs as gdpr_jobs, settings
    gdpr_jobs.init_app(app)
    settings.init_app(app)
    from .attendance import certificates_service
    from .registration import emails as registration_emails
    registration_emails.init_app(app)
    certificates_service.init_app(app)

    from .auth.views import bp as auth_bp
    from .programme.admin import bp as programme_admin_bp
    from .programme.views import bp as programme_bp
    from .registration.admin import bp as registration_admin_bp
    from .registration.admin_files import bp as registration_files_bp
    from .registration.views import bp as registration_bp
    from .workshops.views import bp as workshops_admin_bp
    from .facilitation import admin as facilitation_admin, views as facilitation_views
    from .attendance import badges, certificates, checkin, sheets
    from .syntheses import admin as syntheses_admin, views as syntheses_views
    from .gdpr import admin as gdpr_admin
    from .auth import accounts
    app.register_blueprint(programme_bp)
    app.register_blueprint(registration_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(programme_admin_bp)
    app.register_blueprint(registration_admin_bp)
    app.register_blueprint(registration_files_bp)
    app.register_blueprint(workshops_admin_bp)
    for module in (facilitation_views, facilitation_admin, badges, checkin, sheets,
                   certificates, syntheses_views, syntheses_admin, gdpr_admin,
                   accounts):
        app.register_blueprint(module.bp)

    from .cli import register_commands
    register_commands(app)
    return app
