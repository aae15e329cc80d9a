"""The administrator's settings page for the institute's name, logo and colour."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..extensions import db
from .forms import BrandingForm
from .operations import update_branding
from .services import current_look, stored_branding

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
