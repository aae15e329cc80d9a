"""Publishing a day: the checklist first, what blocks it refused on the server, what is
worth a look shown without stopping it, and a confirmation."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import event as sa_event
from support.pages import csrf_token_from, text_of

from journee.extensions import db
from journee.programme.models import (
    EventStatus,
    Participation,
    Person,
    Role,
    Room,
    Session,
    SessionKind,
    Workshop,
)

TODAY = date(2018, 2, 1)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr("journee.programme.admin.events.today_in",
                        lambda timezone="Europe/Paris": TODAY)


@pytest.fixture
def draft(irts):
    irts.status = EventStatus.DRAFT
    db.session.commit()
    return irts


def url(event) -> str:
    return f"/admin/journees/{event.id}/publier"


def publish(client, event, **data):
    return client.post(url(event), data={"confirm": "y", **data})


def status_of(event) -> EventStatus:
    db.session.expire_all()
    return event.status


def test_a_ready_day_lists_what_is_worth_a_look_and_publishes_once_confirmed(
        organiser_client, draft):
    page = organiser_client.get(url(draft))
    assert page.status_code == 200
    text = text_of(page.get_data(as_text=True))
    assert "À corriger avant de publier" not in text
    assert "À vérifier (2)" in text and "Ces points n’empêchent pas la publication." in text
    assert ("La page de la journée n’indique pas les conditions d’accessibilité du lieu ni "
            "le contact du ou de la référent·e handicap : les personnes en situation de "
            "handicap ne sauront pas si elles pourront venir ni à qui s’adresser.") in text
    assert "La séance « Introduction » n’a pas de salle." in text
    # The link names what it fixes, for those who list the links of a page.
    assert ("La séance « Introduction » n’a pas de salle. Choisir une salle (La séance "
            "« Introduction » n’a pas de salle.)") in text
    assert "Je confirme la publication" in text
    # Without the box ticked: nothing happens, the page says why.
    response = organiser_client.post(url(draft), data={})
    assert response.status_code == 200
    assert "Cochez la case pour confirmer la publication." in text_of(
        response.get_data(as_text=True))
    assert status_of(draft) == EventStatus.DRAFT
    response = publish(organiser_client, draft)
    assert response.status_code == 302
    assert status_of(draft) == EventStatus.PUBLISHED
    assert "La journée est publiée." in text_of(
        organiser_client.get(response.headers["Location"]).get_data(as_text=True))


def test_fix_links_lead_to_the_field(organiser_client, draft):
    introduction = next(s for s in draft.sessions if s.display_title == "Introduction")
    html = organiser_client.get(url(draft)).get_data(as_text=True)
    assert (f'href="/admin/journees/{draft.id}/seances/{introduction.id}/modifier#room_id"'
            in html)


def _no_deadline(event):
    event.registration_deadline = None


def _deadline_after_the_day(event):
    event.registration_deadline = date(2018, 3, 16)


def _opens_after_deadline(event):
    event.registration_opens_on = date(2018, 3, 5)


def _no_address(event):
    event.venue_address = "  "


def _no_session(event):
    for session in list(event.sessions):
        db.session.delete(session)


def _workshop_without_room(event):
    event.workshop_sessions[0].workshops[1].room = None


def _workshop_without_capacity(event):
    event.workshop_sessions[0].workshops[2].capacity = None


def _workshops_slot_without_workshops(event):
    event.sessions.append(Session(kind=SessionKind.WORKSHOPS, title="Ateliers du soir",
                                  starts_at=datetime(2018, 3, 15, 18, 0),
                                  ends_at=datetime(2018, 3, 15, 19, 0)))


BLOCKERS = [
    (_no_deadline, "Aucune date limite d’inscription : personne ne pourrait s’inscrire "
                   "en ligne."),
    (_deadline_after_the_day, "La date limite d’inscription (vendredi 16 mars 2018) tombe "
                              "après la journée."),
    (_opens_after_deadline, "L’ouverture des inscriptions tombe après leur date limite."),
    (_no_address, "L’adresse du lieu (rue et ville) manque"),
    (_no_session, "Le programme n’a aucune séance."),
    (_workshop_without_room, "L’atelier n° 2 « Handicap adulte » n’a pas de salle."),
    (_workshop_without_capacity, "L’atelier n° 3 « Protection de l’enfance » n’a pas de nombre de "
                                 "places"),
    (_workshops_slot_without_workshops, "La séance d’ateliers « Ateliers du soir » n’a aucun "
                                        "atelier."),
]


@pytest.mark.parametrize(("spoil", "message"), BLOCKERS,
                         ids=[spoil.__name__ for spoil, _ in BLOCKERS])
def test_each_blocker_refuses_publication_with_its_reason(organiser_client, draft, spoil,
                                                          message):
    spoil(draft)
    db.session.commit()
    page = text_of(organiser_client.get(url(draft)).get_data(as_text=True))
    assert "À corriger avant de publier (1)" in page
    assert message in page
    assert "Publier la journée" not in page  # no button while something blocks
    # Posting the confirmation anyway is refused on the server, with the reason.
    response = publish(organiser_client, draft)
    assert response.status_code == 409
    text = text_of(response.get_data(as_text=True))
    assert "La journée n’a pas été publiée" in text
    # In the refusal, in the list, and in the name of its link.
    assert text.count(message) == 3
    assert status_of(draft) == EventStatus.DRAFT


def test_warnings_do_not_stop_publication(organiser_client, draft):
    draft.contact_email = ""
    draft.capacity = None
    draft.presentation = draft.context = ""
    draft.workshop_sessions[0].workshops[0].facilitators.clear()
    db.session.commit()
    text = text_of(organiser_client.get(url(draft)).get_data(as_text=True))
    for expected in ("Aucune adresse de contact", "La journée n’a pas de nombre de places",
                     "La journée n’a ni présentation ni contexte.",
                     "n’a pas d’animateur·rice."):
        assert expected in text, expected
    assert "À corriger avant de publier" not in text
    assert publish(organiser_client, draft).status_code == 302
    assert status_of(draft) == EventStatus.PUBLISHED


def test_workshop_larger_than_its_room_is_worth_a_look(organiser_client, draft):
    workshop: Workshop = draft.workshop_sessions[0].workshops[0]
    workshop.room.capacity = 10
    db.session.commit()
    text = text_of(organiser_client.get(url(draft)).get_data(as_text=True))
    assert f"a plus de places (40) que sa salle « {workshop.room.name} » (10)" in text


def test_already_published_shows_the_list_without_a_button(organiser_client, irts):
    text = text_of(organiser_client.get(url(irts)).get_data(as_text=True))
    assert "Cette journée est déjà publiée." in text and "Publier la journée" not in text
    assert publish(organiser_client, irts).status_code == 302
    assert status_of(irts) == EventStatus.PUBLISHED


def test_publication_needs_the_csrf_token(csrf_app):
    from journee.auth.models import User
    from journee.demo import load_demo
    from journee.programme.models import EventMembership

    event = load_demo(original_dates=True)[0]
    event.status = EventStatus.DRAFT
    user = User(email="organisatrice@example.org", name="Organisatrice")
    user.set_password("mot-de-passe-solide")
    db.session.add_all([user, EventMembership(event=event, user=user)])
    db.session.commit()
    client = csrf_app.test_client()
    login_page = client.get("/connexion").get_data(as_text=True)
    assert client.post("/connexion", data={
        "email": user.email, "password": "mot-de-passe-solide",
        "csrf_token": csrf_token_from(login_page)}).status_code == 302
    response = client.post(url(event), data={"confirm": "y"})
    assert response.status_code == 400
    assert status_of(event) == EventStatus.DRAFT
    token = csrf_token_from(client.get(url(event)).get_data(as_text=True))
    assert client.post(url(event), data={"confirm": "y", "csrf_token": token}).status_code \
        == 302
    assert status_of(event) == EventStatus.PUBLISHED


def test_only_the_days_organisers_may_publish(client, make_user, login, demo, irts):
    etsup = demo["travail-social-2-0-etsup-2018"]
    irts.status = EventStatus.DRAFT
    db.session.commit()
    assert client.get(url(irts)).status_code == 302  # to the sign-in page
    login(make_user(events=[etsup]))
    assert client.get(url(irts)).status_code == 404
    assert publish(client, irts).status_code == 404
    assert status_of(irts) == EventStatus.DRAFT


def test_the_event_page_leads_to_the_checklist(organiser_client, draft):
    html = organiser_client.get(f"/admin/journees/{draft.id}/").get_data(as_text=True)
    assert f'href="{url(draft)}">Vérifier et publier</a>' in html


def test_told_accessibility_takes_the_warning_away(organiser_client, draft):
    draft.accessibility_features = "step_free"
    db.session.commit()
    text = text_of(organiser_client.get(url(draft)).get_data(as_text=True))
    assert ("La page de la journée n’indique pas le contact du ou de la référent·e handicap "
            ":") in text
    html = organiser_client.get(url(draft)).get_data(as_text=True)
    assert f"/admin/journees/{draft.id}/modifier#accessibilite" in html
    draft.referent_name, draft.referent_phone = "Zoé N’Diaye", "02 35 12 34 56"
    db.session.commit()
    text = text_of(organiser_client.get(url(draft)).get_data(as_text=True))
    assert "À vérifier (1)" in text and "référent·e handicap" not in text


def test_a_person_taken_twice_is_worth_a_look_with_a_link_to_the_timetable(
        organiser_client, draft):
    table = next(s for s in draft.sessions if s.kind == SessionKind.ROUND_TABLE)
    # Mohamed BELQASMI runs the round table and co-runs workshop 5 (10 h 45 – 12 h 30).
    table.starts_at, table.ends_at = datetime(2018, 3, 15, 12), datetime(2018, 3, 15, 13)
    db.session.commit()
    html = organiser_client.get(url(draft)).get_data(as_text=True)
    text = text_of(html)
    message = ("Mohamed BELQASMI intervient dans l’atelier n° 5 « Intervention "
               "socio-urbaine » et dans la table ronde « Enjeux et risques : table ronde », "
               "jeudi 15 mars 2018 de 12 h à 12 h 30.")
    assert "À vérifier (3)" in text and "À corriger avant de publier" not in text
    assert f"{message} Voir la grille horaire ({message})" in text
    grid = f"/admin/journees/{draft.id}/grille"
    assert f'href="{grid}#personnes-2018-03-15"' in html
    # The link leads to the list of the day on the timetable.
    timetable = organiser_client.get(grid).get_data(as_text=True)
    assert 'id="personnes-2018-03-15"' in timetable and message in text_of(timetable)
    # Worth a look, not a refusal: the editor lets the organiser confirm it too.
    assert publish(organiser_client, draft).status_code == 302
    assert status_of(draft) == EventStatus.PUBLISHED

    table.starts_at, table.ends_at = datetime(2018, 3, 15, 12, 30), datetime(2018, 3, 15, 13)
    db.session.commit()  # right after the workshops: no longer twice
    text = text_of(organiser_client.get(url(draft)).get_data(as_text=True))
    assert "À vérifier (2)" in text and "intervient dans" not in text


def test_the_checklist_costs_no_query_per_session_or_person(organiser_client, draft):
    def statements() -> int:
        db.session.expire_all()
        seen = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        sa_event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert organiser_client.get(url(draft)).status_code == 200
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    before = statements()
    slot = draft.workshop_sessions[0]
    busy = slot.workshops[0].facilitators[0].person
    for n in range(10):
        room = Room(name=f"Salle annexe {n}", capacity=20)
        draft.rooms.append(room)
        extra = Session(kind=SessionKind.TALKS, title=f"Communication {n}", room=room,
                        starts_at=slot.starts_at + timedelta(minutes=n),
                        ends_at=slot.starts_at + timedelta(minutes=n + 30))
        for who in (Person(first_name="Intervenante", last_name=f"{n}"), busy):
            extra.participations.append(Participation(person=who, role=Role.SPEAKER))
        draft.sessions.append(extra)
    db.session.commit()
    assert statements() == before
    text = text_of(organiser_client.get(url(draft)).get_data(as_text=True))
    assert text.count(f"{busy.full_name} intervient dans") >= 10
