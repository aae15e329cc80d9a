"""Staff sign-in and sign-out."""

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required, login_user, logout_user

from ..extensions import db
from .forms import LoginForm
from .models import User

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only follow a local path after login, never another site."""
    if target and target.startswith("/") and not urlsplit(target).netloc \
            and not target.startswith("//"):
        return target
    return url_for("programme_admin.index")


@bp.route("/connexion", methods=["GET", "POST"])
def login():
    form = LoginForm()
    failed = False
    if form.validate_on_submit():
        user = db.session.scalar(
            db.select(User).filter_by(email=form.email.data.strip().lower()))
        if user is not None and user.is_active and user.check_password(form.password.data):
            login_user(user)
            flash("Vous êtes connecté·e.", "success")
            return redirect(_safe_next(request.args.get("next")))
        failed = True
    return render_template("auth/login.html", form=form, failed=failed), (
        401 if failed else 200)


@bp.post("/deconnexion")
@login_required
def logout():
    logout_user()
    flash("Vous êtes déconnecté·e.", "info")
    return redirect(url_for("programme.index"))
