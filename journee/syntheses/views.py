"""Facilitators write their workshop's synthesis; the public reads the published ones."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for

from ..audit.log import actor_for_link, record
from ..documents.booklet_pdf import build_booklet
from ..errors import JourneeError
from ..expired_forms import keeps_input_when_expired
from ..extensions import db
from ..facilitation.links import active_link_or_404, workshop_of_link_or_404
from ..programme.loaders import visible_event_or_404
from ..registration.listing import local_time
from . import services
from .forms import WorkshopSynthesisForm
from .models import SynthesisStatus
from .services import PARTS, SynthesisText

bp = Blueprint("syntheses", __name__)

@bp.app_template_global("syntheses_published")
def syntheses_published(event) -> bool:
    """For the event page: whether to link to the syntheses."""
    return services.has_published(event)


@bp.route("/f/<token>/ateliers/<workshop_uid>/synthese", methods=["GET", "POST"])
@keeps_input_when_expired
def edit(token: str, workshop_uid: str):
    link = active_link_or_404(token)
    workshop = workshop_of_link_or_404(link, workshop_uid)
    synthesis = services.synthesis_of(workshop)
    published = synthesis is not None and synthesis.status == SynthesisStatus.PUBLISHED
    form = WorkshopSynthesisForm()
    if request.method == "GET":
        form.fill(SynthesisText.of(synthesis))
    was_submitted = synthesis is not None and synthesis.status == SynthesisStatus.SUBMITTED
    problem = None
    status = 200
    if request.method == "POST" and published:
        # Published while this page was open: keep what was typed on screen to copy.
        problem = ("Les organisateurs ont publié cette synthèse entre-temps : vos "
                   "modifications n’ont pas été enregistrées. Copiez votre texte ci-dessous "
                   "et envoyez-le-leur si une correction est nécessaire.")
        status = 409
    elif form.validate_on_submit():
        submit = request.form.get("action") == "remettre"
        try:
            services.save_by_facilitator(workshop, form.text(), by=link.person.full_name,
                                         submit=submit)
        except JourneeError as error:
            problem = str(error)
        else:
            if submit:
                record("synthesis.submit", actor=actor_for_link(link), event=link.event,
                       target=workshop.label, workshop=workshop, link=link)
            db.session.commit()
            flash(_saved_message(submit, was_submitted), "success")
            return redirect(url_for(".edit", token=token, workshop_uid=workshop.uid))
    if published:
        for name, _, _ in PARTS:
            form[name].render_kw = {**(form[name].render_kw or {}), "readonly": True}
    facilitators = sorted(workshop.facilitators, key=lambda p: p.position)
    db.session.commit()  # the link's last use
    return render_template(
        "syntheses/edit.html", link=link, token=token, event=link.event, workshop=workshop,
        synthesis=synthesis, published=published, form=form, problem=problem,
        facilitators=facilitators, role_of=services.role_of, local_time=local_time), status


def _saved_message(submit: bool, was_submitted: bool) -> str:
    if submit:
        return ("La synthèse est remise aux organisateurs. Vous pouvez encore la corriger "
                "jusqu’à sa publication.")
    if was_submitted:
        return ("Vos corrections sont enregistrées\u202f; la synthèse reste remise aux "
                "organisateurs.")
    return "Le brouillon est enregistré."


def _public_or_404(slug: str):
    event = visible_event_or_404(slug)
    found = services.syntheses_of(event, published_only=True)
    if found.is_empty:
        abort(404)
    return event, found


@bp.get("/e/<slug>/syntheses")
def public(slug: str):
    event, found = _public_or_404(slug)
    return render_template("syntheses/public.html", event=event, found=found, parts=PARTS,
                           role_of=services.role_of)


@bp.get("/e/<slug>/syntheses/livret.pdf")
def public_booklet(slug: str):
    event, _ = _public_or_404(slug)
    data = build_booklet(services.booklet_for(event, published_only=True))
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="syntheses-{event.slug}.pdf"'})
