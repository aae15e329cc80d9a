"""Configuration defaults; ``instance/config.py`` then ``JOURNEE_*`` variables override them."""

import os
from pathlib import Path

#: A key everyone can read in this file: refused outside debug and tests.
DEFAULT_SECRET_KEY = "dev-only-change-me"
#: The instance's own key, written by ``make run`` / ``journee init``.
SECRET_KEY_FILE = "secret_key"


def load_secret_key(instance_path: str) -> str | None:
    """The key written by ``make run`` / ``journee init`` in the instance folder, if any."""
    path = Path(instance_path) / SECRET_KEY_FILE
    try:
        return path.read_text().strip() or None
    except FileNotFoundError:
        return None


def default_config(instance_path: str) -> dict:
    instance = Path(instance_path)
    return {
        "SECRET_KEY": load_secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'journee.sqlite3'}",
        # A slow person filling a form must not see their token expire (PITFALLS).
        "WTF_CSRF_TIME_LIMIT": None,
        # Werkzeug's scrypt at its default cost (memory-hard, ~0.1 s a password here).
        "PASSWORD_HASH_METHOD": "scrypt",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        # Staff sessions last a working day at most (the signed cookie's age is checked).
        "PERMANENT_SESSION_LIFETIME": 8 * 3600,
        "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
        "PUBLIC_BASE_URL": "http://127.0.0.1:5000",
        # How many reverse proxies stand in front of the app (their X-Forwarded-* headers
        # are then believed); 0: none, the connection's address is the client's.
        "TRUSTED_PROXIES": 0,
        "INSTITUTE_NAME": "IRTS-IDS Normandie",
        # E-mail (journee.mail): "file" writes .eml files in MAIL_FILE_DIR, "smtp" sends.
        # Uploaded imports wait here between their preview and their confirmation.
        "IMPORT_DIR": str(instance / "imports"),
        "MAIL_FROM": "Journée <ne-pas-repondre@journee.local>",
        "MAIL_BACKEND": "file",
        "MAIL_FILE_DIR": str(instance / "outbox"),
        "MAIL_SMTP_HOST": "localhost",
        "MAIL_SMTP_PORT": 25,
        "MAIL_SMTP_STARTTLS": False,
        "MAIL_SMTP_SSL": False,
        "MAIL_SMTP_USERNAME": None,
        "MAIL_SMTP_PASSWORD": None,
        "MAIL_SMTP_TIMEOUT": 10,
        # How often the periodic job (journee.tasks) delivers the outbox, unsent e-mails
        # included; 0 turns the job off.
        "MAIL_AUTO_RETRY_SECONDS": 300,
        # Send right after the change that queued a message: in the periodic jobs' thread
        # under ``journee run``; under gunicorn, for the public forms, by ``journee
        # worker``, which looks for new messages every TASKS_POLL_SECONDS (the request
        # answers without sending); by the committing process itself otherwise. False
        # leaves every message to the next round or the CLI.
        "MAIL_DELIVER_AFTER_COMMIT": True,
        # How often a runner of the periodic jobs looks, between its rounds, for work that
        # must not wait for the period (a message just queued); 0: never.
        "TASKS_POLL_SECONDS": 0.25,
        # The file backend's folder is a mailbox: its .eml files are deleted after this
        # many days. The text of a sent message is dropped from the outbox after
        # MAIL_BODY_RETENTION_DAYS (the row stays for the lists until the event's purge);
        # a message of no registration (facilitator link, password reset, link request)
        # is deleted after MAIL_LOG_RETENTION_DAYS.
        "MAIL_FILE_RETENTION_DAYS": 30,
        "MAIL_BODY_RETENTION_DAYS": 7,
        "MAIL_LOG_RETENTION_DAYS": 90,
        # Retention rules (journee.gdpr.purge) run this often as a periodic job; 0: never
        # (then run ``journee purge`` from cron).
        "PURGE_INTERVAL_SECONDS": 24 * 3600,
        # The reminders before each event (journee.registration.reminders) are looked for
        # this often; 0: never.
        "REMINDER_INTERVAL_SECONDS": 3600,
        # Satisfaction questionnaires (journee.surveys.jobs) are looked for this often;
        # 0: never.
        "SURVEY_INTERVAL_SECONDS": 900,
        # After a publication, places freed in workshops go to those waiting for them, and
        # people left without a workshop since are told (journee.workshops.jobs); 0: never.
        "WORKSHOP_PLACES_INTERVAL_SECONDS": 60,
        # The organisers' messages (journee.messages) leave at this pace, so that a
        # message to a thousand people does not look like spam to the receiving servers
        # nor exceed the sending server's quota.
        "MESSAGES_PER_MINUTE": 60,
        # Changes of times and rooms (journee.registration.programme_notices) are looked
        # for this often (0: never), and told once they have gathered this long: with
        # the defaults, within the hour of the first one.
        "PROGRAMME_NOTICE_INTERVAL_SECONDS": 300,
        "PROGRAMME_NOTICE_DELAY_SECONDS": 3300,
        # Limits of the public forms, per hour (journee.ratelimit, shared by every worker).
        # Per client address: generous, a whole school registers from one network.
        "REGISTRATIONS_PER_CLIENT_PER_HOUR": 200,
        "LINK_REQUESTS_PER_CLIENT_PER_HOUR": 60,
        # Per e-mail address, the messages anyone can have sent to it by typing it in a
        # public form: a self-service link, a notice that the address is already
        # registered, the confirmation of a new address.
        "EMAILS_PER_ADDRESS_PER_HOUR": 3,
    }


def apply_environment(config) -> None:
    """Read ``JOURNEE_*`` variables; ``JOURNEE_DATABASE_URL`` names the database."""
    config.from_prefixed_env(prefix="JOURNEE")
    url = config.pop("DATABASE_URL", None)
    if url:
        config["SQLALCHEMY_DATABASE_URI"] = url
    # SMTP is one setting away: ``JOURNEE_SMTP_HOST`` alone switches e-mail to SMTP, and
    # the other ``JOURNEE_SMTP_*`` are short for ``JOURNEE_MAIL_SMTP_*``.
    for key in [key for key in config if key.startswith("SMTP_")]:
        config[f"MAIL_{key}"] = config.pop(key)
        if key == "SMTP_HOST" and "JOURNEE_MAIL_BACKEND" not in os.environ:
            config["MAIL_BACKEND"] = "smtp"
