"""Configuration defaults; ``instance/config.py`` then ``JOURNEE_*`` variables override them."""

from pathlib import Path

DEFAULT_SECRET_KEY = "dev-only-change-me"


def default_config(instance_path: str) -> dict:
    instance = Path(instance_path)
    return {
        "SECRET_KEY": DEFAULT_SECRET_KEY,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'journee.sqlite3'}",
        # A slow person filling a form must not see their token expire (PITFALLS).
        "WTF_CSRF_TIME_LIMIT": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": 8 * 3600,
        "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
        "PUBLIC_BASE_URL": "http://127.0.0.1:5000",
        "INSTITUTE_NAME": "IRTS-IDS Normandie",
    }


def apply_environment(config) -> None:
    """Read ``JOURNEE_*`` variables; ``JOURNEE_DATABASE_URL`` names the database."""
    config.from_prefixed_env(prefix="JOURNEE")
    url = config.pop("DATABASE_URL", None)
    if url:
        config["SQLALCHEMY_DATABASE_URI"] = url
