"""The back office: one parent blueprint under ``/admin`` whose children are the features'
``admin`` blueprints. The parent checks once that staff are signed in; each child checks
the role its pages need (see :mod:`journee.programme.loaders`)."""

from flask import Blueprint, current_app
from flask_login import current_user


def require_login():
    """Send visitors who are not signed in to the sign-in page."""
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    return None


def admin_blueprint(*children: Blueprint) -> Blueprint:
    """The parent of the back-office blueprints, made anew for each app: a blueprint
    registered on an app takes no more children. Endpoints read ``admin.<child>.<view>``."""
    parent = Blueprint("admin", __name__, url_prefix="/admin")
    parent.before_request(require_login)
    for child in children:
        parent.register_blueprint(child)
    return parent
