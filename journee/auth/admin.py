"""Staff accounts, for administrators: create, change, deactivate; roles per event."""

from __future__ import annotations

import secrets

from email_validator import EmailNotValidError, validate_email
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user
from sqlalchemy import select

from ..extensions import db
from ..programme.models import Event, EventMembership
from ..programme.permissions import ROLE_LABELS
from ..web.forms import options
from .forms import AccountForm, MembershipForm
from .models import User
from .reset import queue_password_email

bp = Blueprint("accounts", __name__, url_prefix="/comptes")


@bp.before_request
def administrators_only():
    """Runs after the back office's login check (``journee.web.admin``)."""
    if not current_user.is_admin:
        abort(403)
    return None


def _account_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def _normalised_email(form: AccountForm) -> str | None:
    try:
        address = validate_email(form.email.data.strip(), check_deliverability=False)
    except EmailNotValidError:
        form.email.errors.append("Cette adresse e-mail n’est pas valide.")
        return None
    return address.normalized.lower()


@bp.get("/")
def accounts():
    users = db.session.scalars(select(User).order_by(User.email)).all()
    memberships = db.session.scalars(select(EventMembership)).all()
    roles: dict[int, list[EventMembership]] = {}
    for membership in memberships:
        roles.setdefault(membership.user_id, []).append(membership)
    return render_template("auth/accounts.html", users=users, roles=roles,
                           role_labels=ROLE_LABELS)


@bp.route("/nouveau", methods=["GET", "POST"])
def account_new():
    form = AccountForm()
    if form.validate_on_submit():
        email = _normalised_email(form)
        if email and db.session.scalar(select(User.id).filter_by(email=email)):
            form.email.errors.append("Un compte existe déjà avec cette adresse.")
        elif email:
            user = User(email=email, name=(form.name.data or "").strip(),
                        is_admin=form.is_admin.data, active=form.active.data,
                        may_create_events=form.may_create_events.data)
            user.set_password(secrets.token_urlsafe(32))  # replaced through the e-mail
            db.session.add(user)
            db.session.flush()
            queue_password_email(user, welcome=True)
            db.session.commit()
            flash(f"Compte créé pour {email}\u202f: un e-mail l’invite à choisir son mot de "
                  "passe (lien valable une heure\u202f; «\u202fMot de passe oublié\u202f» en renvoie un).",
                  "success")
            return redirect(url_for(".account", user_id=user.id))
    return render_template("auth/account_form.html", form=form, user=None)


@bp.route("/<int:user_id>/", methods=["GET", "POST"])
def account(user_id: int):
    user = _account_or_404(user_id)
    form = AccountForm(obj=user)
    membership_form = MembershipForm(prefix="role")
    membership_form.event_id.choices = options(
        (event.id, f"{event.title} ({event.starts_on:%d/%m/%Y})")
        for event in db.session.scalars(select(Event).order_by(Event.starts_on.desc())))
    if request.method == "POST" and form.validate_on_submit():
        email = _normalised_email(form)
        taken = email and db.session.scalar(
            select(User.id).where(User.email == email, User.id != user.id))
        if taken:
            form.email.errors.append("Un compte existe déjà avec cette adresse.")
        elif email:
            if user.id == current_user.id and (not form.is_admin.data or not form.active.data):
                flash("Vous ne pouvez pas retirer vos propres droits d’administration ni "
                      "désactiver votre propre compte.", "error")
                return redirect(url_for(".account", user_id=user.id))
            if email != user.email or (user.active and not form.active.data):
                user.end_sessions()
            user.email, user.name = email, (form.name.data or "").strip()
            user.is_admin, user.active = form.is_admin.data, form.active.data
            user.may_create_events = form.may_create_events.data
            db.session.commit()
            if user.id == current_user.id:
                login_user(user)  # this browser stays signed in, the account's others not
            flash("Compte enregistré.", "success")
            return redirect(url_for(".account", user_id=user.id))
    memberships = db.session.scalars(select(EventMembership).filter_by(user_id=user.id)).all()
    return render_template("auth/account_form.html", form=form, user=user,
                           membership_form=membership_form, memberships=memberships,
                           role_labels=ROLE_LABELS)


@bp.post("/<int:user_id>/roles")
def role_add(user_id: int):
    user = _account_or_404(user_id)
    form = MembershipForm(prefix="role")
    form.event_id.choices = options((event.id, event.title)
                                    for event in db.session.scalars(select(Event)))
    if not form.validate_on_submit():
        flash("Choisissez une journée et un rôle.", "error")
        return redirect(url_for(".account", user_id=user.id))
    membership = db.session.scalar(select(EventMembership).filter_by(
        user_id=user.id, event_id=form.event_id.data))
    if membership is None:
        membership = EventMembership(user_id=user.id, event_id=form.event_id.data)
        db.session.add(membership)
    membership.role = form.role.data
    db.session.commit()
    flash(f"Rôle «\u202f{ROLE_LABELS[form.role.data]}\u202f» donné.", "success")
    return redirect(url_for(".account", user_id=user.id))


@bp.post("/<int:user_id>/roles/<int:membership_id>/retirer")
def role_remove(user_id: int, membership_id: int):
    user = _account_or_404(user_id)
    membership = db.session.get(EventMembership, membership_id)
    if membership is None or membership.user_id != user.id:
        abort(404)
    db.session.delete(membership)
    db.session.commit()
    flash("Rôle retiré.", "success")
    return redirect(url_for(".account", user_id=user.id))
