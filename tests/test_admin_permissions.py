"""Who reaches which page of the organiser's space: never another event's objects."""

import pytest

from journee.extensions import db
from journee.programme.models import EventStatus


@pytest.fixture
def etsup(demo):
    return demo["travail-social-2-0-etsup-2018"]


def irts_urls(irts):
    session = irts.workshop_sessions[0]
    workshop = session.workshops[0]
    base = f"/admin/journees/{irts.id}"
    return [
        f"{base}/", f"{base}/modifier", f"{base}/dupliquer", f"{base}/salles/",
        f"{base}/salles/{irts.rooms[0].id}/modifier", f"{base}/seances/nouvelle",
        f"{base}/seances/{session.id}/", f"{base}/seances/{session.id}/modifier",
        f"{base}/seances/{session.id}/supprimer",
        f"{base}/seances/{session.id}/ateliers/{workshop.id}/",
        f"{base}/seances/{session.id}/ateliers/{workshop.id}/modifier",
    ]


def test_anonymous_is_sent_to_login(client, irts):
    for url in ["/admin/", "/admin/personnes/"] + irts_urls(irts):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/connexion"), url
    response = client.post(f"/admin/journees/{irts.id}/publier")
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]


def test_organiser_of_another_event_gets_404(make_user, login, irts, etsup):
    client = login(make_user(events=[etsup]))
    for url in irts_urls(irts):
        assert client.get(url).status_code == 404, url
    # Writing is refused just the same, and changes nothing.
    assert client.post(f"/admin/journees/{irts.id}/depublier").status_code == 404
    session = irts.sessions[0]
    assert client.post(f"/admin/journees/{irts.id}/seances/{session.id}/supprimer") \
        .status_code == 404
    db.session.expire_all()
    assert irts.status == EventStatus.PUBLISHED and session in irts.sessions
    # A missing event looks exactly the same.
    assert client.get("/admin/journees/9999/").status_code == 404
    # Their own event is there.
    assert client.get(f"/admin/journees/{etsup.id}/").status_code == 200


def test_index_lists_only_managed_events(make_user, login, irts, etsup):
    client = login(make_user(events=[etsup]))
    page = client.get("/admin/").get_data(as_text=True)
    assert "Le Travail social 2.0" in page
    assert "épreuve du numérique" not in page


def test_admin_sees_every_event(make_user, login, irts, etsup):
    client = login(make_user(email="admin@example.org", admin=True))
    page = client.get("/admin/").get_data(as_text=True)
    assert "Le Travail social 2.0" in page and "épreuve du numérique" in page
    assert client.get(f"/admin/journees/{irts.id}/").status_code == 200


def test_objects_of_another_event_in_the_url_give_404(make_user, login, irts, etsup):
    """Even for an organiser of both days, ids must belong to the event in the URL."""
    client = login(make_user(events=[irts, etsup]))
    irts_session = irts.workshop_sessions[0]
    etsup_session = etsup.sessions[1]
    workshop = irts_session.workshops[0]
    other_session = irts.sessions[2]
    part = etsup_session.participants[0]
    base = f"/admin/journees/{irts.id}"
    assert client.get(f"{base}/seances/{etsup_session.id}/").status_code == 404
    assert client.get(f"{base}/seances/{etsup_session.id}/modifier").status_code == 404
    assert client.post(f"{base}/seances/{etsup_session.id}/supprimer").status_code == 404
    # A workshop reached through the wrong session of the right event.
    assert client.get(f"{base}/seances/{other_session.id}/ateliers/{workshop.id}/") \
        .status_code == 404
    # A participation of event B moved through a session of event A.
    assert client.post(f"{base}/seances/{irts_session.id}/intervenants/{part.id}/retirer") \
        .status_code == 404
    # A workshop facilitator addressed as a session-level participant.
    facilitator = workshop.facilitators[0]
    assert client.post(
        f"{base}/seances/{irts_session.id}/intervenants/{facilitator.id}/retirer"
    ).status_code == 404
    db.session.expire_all()
    assert part in etsup_session.participants and facilitator in workshop.facilitators


def test_room_of_another_event_gives_404(make_user, login, irts):
    client = login(make_user(events=[irts]))
    other = client.post("/admin/journees/nouvelle", data={
        "title": "Autre journée", "starts_on": "2026-05-01", "ends_on": "2026-05-01",
        "waitlist_enabled": "oui", "workshop_mode": "preferences", "workshop_choices": "3",
        "retention_days": "90"})
    assert other.status_code == 302
    other_id = int(other.headers["Location"].rstrip("/").split("/")[-1])
    room = irts.rooms[0]
    assert client.get(f"/admin/journees/{other_id}/salles/{room.id}/modifier").status_code == 404
    assert client.post(f"/admin/journees/{other_id}/salles/{room.id}/supprimer") \
        .status_code == 404
    db.session.expire_all()
    assert room in irts.rooms
