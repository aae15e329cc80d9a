"""The administrator's settings pages: the institute's name, logo and colour; the
organisation's legal identity for the completion certificates."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..extensions import db
from .forms import BrandingForm, LegalIdentityForm
from .operations import LEGAL_FIELDS, update_branding, update_legal_identity
from .services import current_look, stored_branding, stored_legal_identity

bp = Blueprint("branding", __name__)


@bp.route("/identite", methods=["GET", "POST"])
def settings():
    """Name, logo and accent colour of the institute (administrators only)."""
    if not current_user.is_admin:
        abort(403)
    stored = stored_branding()
    # Not ``obj=stored``: the file field would load the logo's bytes for nothing.
    form = BrandingForm(name=stored.name, accent=stored.accent) if stored else BrandingForm()
    if request.method == "POST" and form.validate_on_submit():
        update_branding(name=form.name.data, accent=form.accent.data or "",
                        logo=form.checked, remove_logo=form.remove_logo.data,
                        by=current_user)
        db.session.commit()
        flash("L’identité de l’institut est enregistrée.", "success")
        return redirect(url_for(".settings"))
    return render_template("branding/settings.html", form=form, look=current_look())


@bp.route("/identite/organisme", methods=["GET", "POST"])
def legal_identity():
    """Legal name, address, SIRET, NDA and legal representative (administrators only)."""
    if not current_user.is_admin:
        abort(403)
    form = LegalIdentityForm(obj=stored_legal_identity())
    if form.validate_on_submit():
        update_legal_identity({name: form[name].data for name in LEGAL_FIELDS},
                              by=current_user)
        db.session.commit()
        flash("L’identité de l’organisme de formation est enregistrée.", "success")
        return redirect(url_for(".legal_identity"))
    return render_template("branding/legal_identity.html", form=form)
