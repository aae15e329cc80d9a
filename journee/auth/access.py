"""Guards shared by the back-office blueprints."""

from flask import current_app
from flask_login import current_user


def require_login():
    """``before_request`` hook of every back-office blueprint: staff must be signed in."""
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    return None
