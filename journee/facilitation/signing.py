"""The « émargement » of a workshop, from the facilitator's space: the members sign on the
facilitator's phone or tablet, the facilitator signs their own line, or attests the
presence of someone who cannot sign.

The half-day is that of the workshop's slot, within its time window. The same 404 as the
rest of the space for a wrong link, another workshop, or someone not in this workshop.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for

from ..attendance import signing
from ..attendance.forms import AttestForm, SignatureForm
from ..attendance.roster import workshop_members
from ..attendance.services import half_day_signatures, presence, signed_sheets
from ..attendance.services.half_day_signatures import Signer
from ..audit.log import actor_for_link
from ..extensions import db
from ..web.downloads import private_download
from . import services
from .links import active_link_or_404, workshop_of_link_or_404

bp = Blueprint("facilitation_signing", __name__)

ME = "animateur"


def _context(token: str, workshop_uid: str):
    link = active_link_or_404(token)
    workshop = services.with_details([workshop_of_link_or_404(link, workshop_uid)])[0]
    half = half_day_signatures.half_day_of(link.event, workshop.session.starts_at)
    if half is None:
        abort(404)
    return link, workshop, half


def _member_or_404(workshop, registration_id: int):
    member = next((m for m in workshop_members(workshop) if m.id == registration_id), None)
    if member is None:
        abort(404)
    return member


@bp.get("/f/<token>/ateliers/<workshop_uid>/emargement")
def sheet(token: str, workshop_uid: str):
    link, workshop, half = _context(token, workshop_uid)
    event = link.event
    members = workshop_members(workshop)
    records = signing.records_by_registration(event, half)
    mine = signing.person_record(event, half, link.person)
    # At the door on the half-day's own day: another day of the event says nothing here.
    at_door = {registration_id for registration_id, days in presence.door_days(
        event, [m.id for m in members]).items() if half.day in days}
    db.session.commit()  # the link's last use
    return render_template(
        "facilitation/signing.html", link=link, event=event, workshop=workshop, half=half,
        members=members, records=records, mine=mine, at_door=at_door,
        describe=lambda record: signing.describe(event, record))


def _page(link, workshop, half, *, name: str, organisation: str, record, sign_url: str,
          attest_url: str | None, sign_form=None, attest_form=None, problems=()):
    event = link.event
    if attest_form is None:
        attest_form = AttestForm(formdata=None, attested_by=link.person.full_name)
    return render_template(
        "attendance/signing_sign.html", event=event, person=name, organisation=organisation,
        half=half, record=record, half_key=signing.half_day_key(half),
        sign_form=sign_form or SignatureForm(), attest_form=attest_form,
        problems=list(problems), closed=None,
        describe=lambda item: signing.describe(event, item), present_since="",
        back_url=url_for(".sheet", token=link.token, workshop_uid=workshop.uid),
        sign_url=sign_url, attest_url=attest_url, confirmed=True, workshop=workshop,
        private=True)


def _member_page(link, workshop, half, member, **forms):
    urls = {"token": link.token, "workshop_uid": workshop.uid, "registration_id": member.id}
    return _page(link, workshop, half, name=member.full_name,
                 organisation=member.organisation,
                 record=signing.registration_record(link.event, half, member),
                 sign_url=url_for(".sign", **urls), attest_url=url_for(".attest", **urls),
                 **forms)


def _my_page(link, workshop, half, **forms):
    urls = {"token": link.token, "workshop_uid": workshop.uid}
    return _page(link, workshop, half, name=link.person.full_name, organisation="",
                 record=signing.person_record(link.event, half, link.person),
                 sign_url=url_for(".sign_mine", **urls), attest_url=None, **forms)


@bp.get("/f/<token>/ateliers/<workshop_uid>/emargement/<int:registration_id>")
def member(token: str, workshop_uid: str, registration_id: int):
    link, workshop, half = _context(token, workshop_uid)
    page = _member_page(link, workshop, half, _member_or_404(workshop, registration_id))
    db.session.commit()
    return page


def _done(link, workshop, half, name: str, record, target: str):
    db.session.commit()
    flash(signing.confirmation(link.event, half, name, record), "success")
    return redirect(target)


@bp.post("/f/<token>/ateliers/<workshop_uid>/emargement/<int:registration_id>/signer")
def sign(token: str, workshop_uid: str, registration_id: int):
    link, workshop, half = _context(token, workshop_uid)
    person = _member_or_404(workshop, registration_id)
    form = SignatureForm()
    problems = signing.save_signature(link.event, half, Signer(registration=person), form,
                                      collected_by=link.person.full_name,
                                      actor=actor_for_link(link))
    if problems:
        return _member_page(link, workshop, half, person, sign_form=form, problems=problems)
    return _done(link, workshop, half, person.full_name,
                 signing.registration_record(link.event, half, person),
                 url_for(".member", token=token, workshop_uid=workshop.uid,
                         registration_id=person.id))


@bp.post("/f/<token>/ateliers/<workshop_uid>/emargement/<int:registration_id>/attester")
def attest(token: str, workshop_uid: str, registration_id: int):
    link, workshop, half = _context(token, workshop_uid)
    person = _member_or_404(workshop, registration_id)
    form = AttestForm()
    problems = signing.save_attested(link.event, half, Signer(registration=person), form,
                                     collected_by=link.person.full_name,
                                     actor=actor_for_link(link))
    if problems or form.errors:
        return _member_page(link, workshop, half, person, attest_form=form,
                            problems=problems)
    return _done(link, workshop, half, person.full_name,
                 signing.registration_record(link.event, half, person),
                 url_for(".member", token=token, workshop_uid=workshop.uid,
                         registration_id=person.id))


@bp.get(f"/f/<token>/ateliers/<workshop_uid>/emargement/{ME}")
def mine(token: str, workshop_uid: str):
    link, workshop, half = _context(token, workshop_uid)
    page = _my_page(link, workshop, half)
    db.session.commit()
    return page


@bp.post(f"/f/<token>/ateliers/<workshop_uid>/emargement/{ME}/signer")
def sign_mine(token: str, workshop_uid: str):
    link, workshop, half = _context(token, workshop_uid)
    form = SignatureForm()
    problems = signing.save_signature(link.event, half, Signer(person=link.person), form,
                                      collected_by=link.person.full_name,
                                      actor=actor_for_link(link))
    if problems:
        return _my_page(link, workshop, half, sign_form=form, problems=problems)
    return _done(link, workshop, half, link.person.full_name,
                 signing.person_record(link.event, half, link.person),
                 url_for(".mine", token=token, workshop_uid=workshop.uid))


@bp.get("/f/<token>/ateliers/<workshop_uid>/emargement-signee.pdf")
def signed_sheet(token: str, workshop_uid: str):
    link = active_link_or_404(token)
    workshop = services.with_details([workshop_of_link_or_404(link, workshop_uid)])[0]
    data = signed_sheets.signed_workshop_sheet_pdf(workshop, actor_for_link(link))
    db.session.commit()
    return private_download(
        data, f"emargement-signe-atelier-{workshop.number}-{link.event.slug}.pdf",
        "application/pdf")
