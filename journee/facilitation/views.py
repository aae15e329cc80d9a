"""A facilitator's space, reached by their personal link: their workshops, lists, sheets.

No account: the secret token in the URL is the key. A wrong, revoked or replaced token,
and any workshop the person does not facilitate, give the same 404. Every view of a list
and every download is written to the audit log (who, which workshop, how many rows).
"""

from __future__ import annotations

from flask import Blueprint, render_template

from ..attendance.roster import workshop_members
from ..audit.log import actor_for_link, record
from ..documents.workshop_list_xlsx import build_workshop_list_xlsx, download_name
from ..extensions import db
from ..web.downloads import private_download
from . import services
from .links import active_link_or_404, workshop_of_link_or_404

bp = Blueprint("facilitation", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _link_and_workshop(token: str, workshop_uid: str):
    link = active_link_or_404(token)
    workshop = workshop_of_link_or_404(link, workshop_uid)
    return link, services.with_details([workshop])[0]


def _audit(action: str, link, workshop, rows: int) -> None:
    record(action, actor=actor_for_link(link), event=link.event, target=workshop.label,
           workshop=workshop, link=link, rows=rows)
    db.session.commit()


@bp.get("/f/<token>")
def home(token: str):
    link = active_link_or_404(token)
    workshops = services.load_workshops(link)
    attendees = {workshop.id: len(workshop_members(workshop)) for workshop in workshops}
    items = services.facilitator_workshops(link, workshops, attendees)
    db.session.commit()  # the link's last use
    return render_template("facilitation/home.html", link=link, event=link.event,
                           person=link.person, items=items)


@bp.get("/f/<token>/ateliers/<workshop_uid>")
def workshop(token: str, workshop_uid: str):
    link, workshop = _link_and_workshop(token, workshop_uid)
    members = workshop_members(workshop)
    data = services.workshop_list(workshop, members)
    team = services.team_of(workshop, link.person_id)
    _audit("facilitator.view_list", link, workshop, len(members))
    return render_template("facilitation/workshop.html", link=link, event=link.event,
                           workshop=workshop, data=data, team=team)


@bp.get("/f/<token>/ateliers/<workshop_uid>/liste.xlsx")
def workshop_xlsx(token: str, workshop_uid: str):
    link, workshop = _link_and_workshop(token, workshop_uid)
    members = workshop_members(workshop)
    data = build_workshop_list_xlsx(services.workshop_list(workshop, members))
    _audit("facilitator.download_xlsx", link, workshop, len(members))
    return private_download(data, download_name(workshop.number, link.event.slug), XLSX)


@bp.get("/f/<token>/ateliers/<workshop_uid>/emargement.pdf")
def workshop_signin(token: str, workshop_uid: str):
    from ..attendance.services.signin import workshop_signin_pdf

    link, workshop = _link_and_workshop(token, workshop_uid)
    rows = len(workshop_members(workshop))
    data = workshop_signin_pdf(workshop)
    _audit("facilitator.download_signin", link, workshop, rows)
    return private_download(data, f"emargement-atelier-{workshop.number}-{link.event.slug}.pdf",
                            "application/pdf")
