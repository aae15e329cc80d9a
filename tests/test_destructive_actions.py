"""Destructive actions look destructive: apart from « Modifier », styled as danger, and
confirmed on a page that says what will be lost before anything is deleted."""

from __future__ import annotations

import re

from support.pages import text_of
from support.registration import slot_of

from journee.extensions import db
from journee.programme.models import Contribution, Room, Session, Workshop


def links_with(html: str, href: str) -> list[str]:
    return re.findall(rf'<a [^>]*href="{re.escape(href)}"[^>]*>', html)


def test_delete_links_are_danger_and_apart_from_modifier(organiser_client, irts):
    slot = slot_of(irts)
    workshop = slot.workshops[0]
    base = f"/admin/journees/{irts.id}"
    pages = {
        f"{base}/": f"{base}/seances/{irts.sessions[0].id}/supprimer",
        f"{base}/salles/": f"{base}/salles/{irts.rooms[0].id}/supprimer",
        f"{base}/seances/{slot.id}/": f"{base}/seances/{slot.id}/ateliers/{workshop.id}"
                                      "/supprimer",
    }
    for page, delete in pages.items():
        html = organiser_client.get(page).get_data(as_text=True)
        [link] = links_with(html, delete)
        assert 'class="danger-link"' in link, page
    # On an object's own page, deleting is in its own section at the bottom.
    for page, delete in ((f"{base}/seances/{slot.id}/", f"{base}/seances/{slot.id}/supprimer"),
                         (f"{base}/seances/{slot.id}/ateliers/{workshop.id}/",
                          f"{base}/seances/{slot.id}/ateliers/{workshop.id}/supprimer")):
        html = organiser_client.get(page).get_data(as_text=True)
        zone = html[html.index('class="danger-zone"'):]
        [link] = links_with(zone, delete)
        assert 'class="button danger"' in link
        actions = html[html.index('<div class="actions">'):]
        actions = actions[:actions.index("</div>")]
        assert "Modifier" in actions and "supprimer" not in actions


def test_deleting_a_workshop_says_what_is_lost_then_deletes(organiser_client, irts):
    slot = slot_of(irts)
    workshop = slot.workshops[0]
    url = f"/admin/journees/{irts.id}/seances/{slot.id}/ateliers/{workshop.id}/supprimer"
    page = organiser_client.get(url)
    html = page.get_data(as_text=True)
    text = text_of(html)
    assert "perdent ce choix, et leur place si elles y étaient réparties." in text
    assert "Cette suppression est définitive." in text
    assert 'class="button danger solid"' in html and "Ne rien supprimer" in text
    assert db.session.get(Workshop, workshop.id) is not None  # looking deletes nothing
    assert organiser_client.post(url).status_code == 302
    db.session.expire_all()
    assert db.session.get(Workshop, workshop.id) is None


def test_deleting_a_room_lists_the_sessions_left_without_one(organiser_client, irts):
    room = next(r for r in irts.rooms
                if any(s.room_id == r.id for s in irts.sessions)
                or any(w.room_id == r.id for s in irts.sessions for w in s.workshops))
    url = f"/admin/journees/{irts.id}/salles/{room.id}/supprimer"
    text = text_of(organiser_client.get(url).get_data(as_text=True))
    assert "Ces séances et ateliers n’auront plus de salle" in text
    assert organiser_client.post(url).status_code == 302
    db.session.expire_all()
    assert db.session.get(Room, room.id) is None


def test_contribution_and_session_deletion_need_the_post(organiser_client, irts):
    session = next(s for s in irts.sessions if s.contributions)
    contribution = session.contributions[0]
    base = f"/admin/journees/{irts.id}/seances/{session.id}"
    html = organiser_client.get(f"{base}/contributions/{contribution.id}/").get_data(
        as_text=True)
    assert 'class="danger-zone"' in html
    organiser_client.get(f"{base}/supprimer")
    assert db.session.get(Session, session.id) is not None
    assert organiser_client.post(f"{base}/supprimer").status_code == 302
    db.session.expire_all()
    assert db.session.get(Session, session.id) is None
    assert db.session.get(Contribution, contribution.id) is None
