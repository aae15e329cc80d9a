"""Staff sign-in, sign-out and password reset."""

import unicodedata
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.security import generate_password_hash

from ..extensions import db
from ..security import client_address
from . import throttle
from .forms import ForgottenPasswordForm, LoginForm, NewPasswordForm
from .models import User
from .reset import queue_password_email, user_for_reset_token

bp = Blueprint("auth", __name__)

TOO_MANY = ("Trop de tentatives de connexion ont échoué. Par sécurité, réessayez dans "
            "15\u00a0minutes, ou demandez un nouveau mot de passe.")
RESET_SENT = ("Si un compte existe avec cette adresse, un e-mail contenant un lien pour "
              "choisir un nouveau mot de passe vient de lui être envoyé. Le lien est valable "
              "une heure.")


DUMMY_HASH = "journee.dummy_password_hash"


@bp.record_once
def _make_dummy_hash(state) -> None:
    """A hash at this app's cost, checked when the account is unknown: made once with the
    app, so that the first such sign-in costs one hash as every other."""
    state.app.extensions[DUMMY_HASH] = generate_password_hash(
        "journee-no-such-account", method=state.app.config["PASSWORD_HASH_METHOD"])


def _safe_next(target: str | None) -> str:
    """Only follow a local path after login: never another site, nor a control character
    (browsers drop a tab, turning ``/<tab>/site`` into ``//site``; a line break would
    split the ``Location`` header)."""
    if (target and target.startswith("/") and not target.startswith("//")
            and not any(char == "\\" or unicodedata.category(char) == "Cc"
                        for char in target)
            and not urlsplit(target).netloc):
        return target
    return url_for("admin.programme.index")


def _new_session() -> None:
    """Start from an empty session (no session fixation); the CSRF token cached for this
    app context belonged to the old one."""
    session.clear()
    g.pop("csrf_token", None)



def _find_user(email: str) -> User | None:
    return db.session.scalar(db.select(User).filter_by(email=email.strip().lower()))


@bp.route("/connexion", methods=["GET", "POST"])
def login():
    form = LoginForm()
    failed = False
    if form.validate_on_submit():
        email = form.email.data
        if throttle.login_throttled(email, client_address()):
            response = render_template("auth/login.html", form=form, failed=False,
                                       problems=[TOO_MANY])
            return response, 429, {"Retry-After": str(throttle.RETRY_AFTER_SECONDS)}
        user = _find_user(email)
        # One hash computed whatever the account's state (unknown, deactivated, active),
        # so the answer's timing reveals nothing about it.
        checked = user or User(password_hash=current_app.extensions[DUMMY_HASH])
        password_ok = checked.check_password(form.password.data)
        if user is not None and user.is_active and password_ok:
            throttle.forget_login_failures(email, client_address())
            db.session.commit()
            _new_session()
            login_user(user)
            session.permanent = True
            flash("Vous êtes connecté·e.", "success")
            return redirect(_safe_next(request.args.get("next")))
        throttle.record_login_failure(email, client_address())
        db.session.commit()
        failed = True
    problems = ["Adresse e-mail ou mot de passe incorrect."] if failed else None
    return render_template("auth/login.html", form=form, problems=problems), (
        401 if failed else 200)


@bp.post("/deconnexion")
@login_required
def logout():
    current_user.end_sessions()
    db.session.commit()
    logout_user()
    _new_session()
    flash("Vous êtes déconnecté·e.", "info")
    return redirect(url_for("programme.index"))


@bp.route("/connexion/mot-de-passe-oublie", methods=["GET", "POST"])
def forgotten_password():
    form = ForgottenPasswordForm()
    if form.validate_on_submit():
        email = form.email.data
        # The same answer whether or not the account exists: the page reveals no address.
        if throttle.reset_allowed(email, client_address()):
            user = _find_user(email)
            if user is not None and user.is_active:
                queue_password_email(user)
            db.session.commit()
        flash(RESET_SENT, "info")
        return redirect(url_for(".login"))
    return render_template("auth/forgotten_password.html", form=form)


@bp.route("/connexion/nouveau-mot-de-passe/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    user = user_for_reset_token(token)
    if user is None:
        return render_template("auth/reset_invalid.html"), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        user.set_password(form.password.data)
        db.session.commit()
        flash("Votre mot de passe a été changé. Vous pouvez vous connecter.", "success")
        return redirect(url_for(".login"))
    response = current_app.make_response(render_template("auth/reset_password.html", form=form))
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
