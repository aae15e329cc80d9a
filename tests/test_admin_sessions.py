"""Building a programme through the organiser's space: rooms, sessions, people, workshops."""

import re

import pytest
from support.pages import text_of

from journee.extensions import db
from journee.programme.models import Participation, Person, Role, Room, Session, Workshop
from journee.typography import smarten


@pytest.fixture
def base(irts):
    return f"/admin/journees/{irts.id}"


def session_titled(irts, title):
    """The session of that title as typed, which is stored in French typography."""
    return next(s for s in irts.sessions if s.title == smarten(title))


def new_session(**overrides):
    data = {"kind": "talks", "title": "Récits « de terrain »", "description": "",
            "day": "2018-03-15", "start": "17:30", "end": "18:00", "room_id": "0"}
    data.update(overrides)
    return data


def room_id(irts, name):
    return str(next(r.id for r in irts.rooms if r.name == name))


def test_rooms(organiser_client, irts, base):
    response = organiser_client.post(f"{base}/salles/nouvelle", data={
        "name": "Salle 7", "capacity": "30", "step_free": "non"})
    assert response.status_code == 302
    room = db.session.scalar(db.select(Room).filter_by(event_id=irts.id, name="Salle 7"))
    assert (room.capacity, room.step_free) == (30, False)
    page = text_of(organiser_client.get(f"{base}/salles/").get_data(as_text=True))
    assert "Salle 7 30 places Non" in page

    text = text_of(organiser_client.post(f"{base}/salles/nouvelle", data={
        "name": "salle 7", "capacity": "0", "step_free": "oui"}).get_data(as_text=True))
    assert "La capacité doit être comprise entre 1 et 100 000." in text
    text = text_of(organiser_client.post(f"{base}/salles/nouvelle", data={
        "name": "salle 7", "capacity": "", "step_free": "oui"}).get_data(as_text=True))
    assert "Une salle s’appelle déjà « Salle 7 »" in text

    assert organiser_client.post(f"{base}/salles/{room.id}/modifier", data={
        "name": "Salle 7 bis", "capacity": "", "step_free": "oui"}).status_code == 302
    db.session.expire_all()
    assert (room.name, room.capacity, room.step_free) == ("Salle 7 bis", None, True)

    amphi = next(r for r in irts.rooms if r.name == "Amphithéâtre")
    confirm = text_of(organiser_client.get(f"{base}/salles/{amphi.id}/supprimer")
                      .get_data(as_text=True))
    assert "Technologies numériques et travail social" in confirm
    assert organiser_client.post(f"{base}/salles/{amphi.id}/supprimer").status_code == 302
    db.session.expire_all()
    assert session_titled(irts, "Technologies numériques et travail social").room is None


def test_add_and_edit_session(organiser_client, irts, base):
    form = organiser_client.get(f"{base}/seances/nouvelle").get_data(as_text=True)
    assert 'type="date"' in form and 'type="time"' in form
    response = organiser_client.post(f"{base}/seances/nouvelle", data=new_session(
        room_id=room_id(irts, "Salle 1")))
    assert response.status_code == 302
    session = session_titled(irts, "Récits « de terrain »")
    assert response.headers["Location"] == f"{base}/grille"
    assert (session.starts_at.hour, session.ends_at.minute, session.room.name) == \
        (17, 0, "Salle 1")
    assert session.sequence == 0

    response = organiser_client.post(f"{base}/seances/{session.id}/modifier",
                                     data=new_session(end="18:15", title="Récits"))
    assert response.status_code == 302
    db.session.expire_all()
    assert session.sequence == 1 and session.ends_at.minute == 15 and session.room is None
    edit = organiser_client.get(f"{base}/seances/{session.id}/modifier").get_data(as_text=True)
    assert 'value="17:30"' in edit and 'value="2018-03-15"' in edit


def test_session_end_before_start_is_refused(organiser_client, irts, base):
    count = len(irts.sessions)
    response = organiser_client.post(f"{base}/seances/nouvelle", data=new_session(
        start="18:00", end="17:30"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'id="end-erreur">L’heure de fin doit être après l’heure de début',
                     html)
    assert 'href="#end"' in html  # the error summary links to the field
    assert 'value="Récits « de terrain »"' in html and 'value="18:00"' in html
    db.session.expire_all()
    assert len(irts.sessions) == count


def test_session_outside_the_day_is_refused(organiser_client, irts, base):
    text = text_of(organiser_client.post(f"{base}/seances/nouvelle", data=new_session(
        day="2018-03-16")).get_data(as_text=True))
    assert "La séance doit avoir lieu pendant la journée : jeudi 15 mars 2018." in text


def test_room_double_booking_is_refused(organiser_client, irts, base):
    text = text_of(organiser_client.post(f"{base}/seances/nouvelle", data=new_session(
        start="09:30", end="10:00", room_id=room_id(irts, "Amphithéâtre")))
        .get_data(as_text=True))
    assert "La salle « Amphithéâtre » est déjà occupée" in text
    assert "« Technologies numériques et travail social » (jeudi 15 mars 2018, " \
           "9 h 15 – 10 h 30)" in text
    assert organiser_client.post(f"{base}/seances/nouvelle", data=new_session(
        start="10:30", end="10:45", room_id=room_id(irts, "Amphithéâtre"))).status_code == 302


def test_person_in_two_places_needs_confirmation(organiser_client, irts, base):
    plenary = session_titled(irts, "Technologies numériques et travail social")
    speaker = plenary.participants[-1].person
    organiser_client.post(f"{base}/seances/nouvelle", data=new_session(
        title="Aparté", start="09:30", end="10:00"))
    aside = session_titled(irts, "Aparté")
    add = {"existante-person_id": str(speaker.id), "existante-role": "speaker",
           "existante-function": "", "existante-organisation": ""}
    url = f"{base}/seances/{aside.id}/intervenants/ajouter"

    response = organiser_client.post(url, data=add)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = text_of(html)
    assert f"{speaker.full_name} intervient aussi dans « Technologies numériques" in text
    assert "Je confirme : cette personne enchaîne les deux interventions" in text
    assert 'name="existante-confirm"' in html
    db.session.expire_all()
    assert aside.participants == []

    assert organiser_client.post(url, data=add | {"existante-confirm": "y"}).status_code == 302
    db.session.expire_all()
    assert [p.person for p in aside.participants] == [speaker]

    # Moving a session warns when one of its people is busy at the new time.
    edit = new_session(title="Aparté", start="08:00", end="08:20")
    edit_url = f"{base}/seances/{aside.id}/modifier"
    assert organiser_client.post(edit_url, data=edit).status_code == 302
    db.session.expire_all()
    assert aside.starts_at.hour == 8 and aside.sequence == 2  # added someone, then moved
    edit = new_session(title="Aparté", start="10:00", end="10:15")
    html = organiser_client.post(edit_url, data=edit).get_data(as_text=True)
    assert "intervient aussi dans « Technologies numériques" in text_of(html)
    assert 'name="confirm"' in html and 'value="10:00"' in html
    db.session.expire_all()
    assert aside.starts_at.hour == 8
    assert organiser_client.post(edit_url, data=edit | {"confirm": "y"}).status_code == 302
    db.session.expire_all()
    assert aside.starts_at.hour == 10 and aside.sequence == 3


def test_add_existing_and_new_person(organiser_client, irts, base):
    pause = next(s for s in irts.sessions if s.kind == "break")
    page = organiser_client.get(f"{base}/seances/{pause.id}/?q=lac").get_data(as_text=True)
    options = re.findall(r"<option [^>]*>([^<]*)</option>", page)
    people = [o for o in options if "—" in o or "LAC" in o]
    assert any("Cyril LAC" in o for o in people)
    assert not any("KADDOUR" in o for o in options)
    cyril = db.session.scalar(db.select(Person).filter_by(last_name="LAC"))

    response = organiser_client.post(f"{base}/seances/{pause.id}/intervenants/ajouter", data={
        "existante-person_id": str(cyril.id), "existante-role": "moderator",
        "existante-function": "", "existante-organisation": "Pour cette fois"})
    assert response.status_code == 302
    response = organiser_client.post(f"{base}/seances/{pause.id}/intervenants/creer", data={
        "nouvelle-first_name": "Zoé", "nouvelle-last_name": "NOUVELLE",
        "nouvelle-function": "Éducatrice", "nouvelle-organisation": "ADSEA",
        "nouvelle-email": "zoe.nouvelle@example.org", "nouvelle-role": "witness"})
    assert response.status_code == 302
    db.session.expire_all()
    parts = pause.participants
    assert parts[1].person.email == "zoe.nouvelle@example.org"
    assert [(p.person.full_name, p.role, p.position) for p in parts] == [
        ("Cyril LAC", Role.MODERATOR, 0), ("Zoé NOUVELLE", Role.WITNESS, 1)]
    assert parts[0].organisation == "Pour cette fois" and parts[0].function is None
    assert pause.sequence == 2
    text = text_of(organiser_client.get(f"{base}/seances/{pause.id}/").get_data(as_text=True))
    assert "Grand témoin : Zoé NOUVELLE, Éducatrice, ADSEA" in text

    # A new person needs a first name; a role must be one of the session's roles.
    text = text_of(organiser_client.post(f"{base}/seances/{pause.id}/intervenants/creer", data={
        "nouvelle-first_name": "", "nouvelle-role": "trainer",
        "nouvelle-email": "pas-une-adresse"}).get_data(as_text=True))
    assert "Indiquez le prénom." in text and "Choisissez une des options proposées." in text
    assert "Saisissez une adresse e-mail valide" in text


def test_reorder_and_remove(organiser_client, irts, base):
    table = session_titled(irts, "Enjeux et risques\u202f: table ronde")
    names = lambda: [p.person.full_name for p in table.participants]  # noqa: E731
    before = names()
    first, second = table.participants[0], table.participants[1]
    url = f"{base}/seances/{table.id}/intervenants"
    page = organiser_client.get(f"{base}/seances/{table.id}/").get_data(as_text=True)
    assert f'aria-label="Descendre {first.person.full_name} dans la liste"' in page
    assert f'aria-label="Retirer {first.person.full_name} de la séance' in page

    assert organiser_client.post(f"{url}/{first.id}/descendre").status_code == 302
    db.session.expire_all()
    assert names() == [before[1], before[0]] + before[2:]
    organiser_client.post(f"{url}/{first.id}/monter")
    db.session.expire_all()
    assert names() == before
    organiser_client.post(f"{url}/{second.id}/retirer")
    db.session.expire_all()
    assert names() == [before[0]] + before[2:]
    assert [p.position for p in table.participants] == list(range(len(before) - 1))
    assert db.session.get(Participation, second.id) is None


def test_workshops_and_facilitators(organiser_client, irts, base):
    slot = irts.workshop_sessions[0]
    url = f"{base}/seances/{slot.id}/ateliers"
    data = {"number": "7", "title": "Écrans et petite enfance", "sector": "Handicap enfant",
            "sector_other": "", "theme": "Numérique", "description": "",
            "room_id": room_id(irts, "Amphithéâtre"), "capacity": "300"}
    form = organiser_client.get(f"{url}/nouveau").get_data(as_text=True)
    assert 'value="7"' in form  # the next free number is proposed

    response = organiser_client.post(f"{url}/nouveau", data=data)
    text = text_of(response.get_data(as_text=True))
    assert "dépasse celle de la salle « Amphithéâtre » (250 places)" in text
    assert 'value="Écrans et petite enfance"' in response.get_data(as_text=True)
    assert len(slot.workshops) == 6
    response = organiser_client.post(f"{url}/nouveau", data=data | {"confirm": "y"})
    assert response.status_code == 302
    workshop = db.session.scalar(db.select(Workshop).filter_by(session_id=slot.id, number=7))
    assert (workshop.capacity, workshop.sector, workshop.room.name) == \
        (300, "Handicap enfant", "Amphithéâtre")

    text = text_of(organiser_client.post(f"{url}/nouveau", data=data | {
        "number": "1", "capacity": "20"}).get_data(as_text=True))
    assert "L’atelier n° 1 existe déjà dans cette séance." in text
    text = text_of(organiser_client.post(f"{url}/nouveau", data=data | {
        "number": "8", "room_id": room_id(irts, "Salle 1"), "capacity": "20"})
        .get_data(as_text=True))
    assert "La salle « Salle 1 » est déjà occupée" in text

    # Facilitators: one known person, one new.
    person = db.session.scalar(db.select(Person).filter_by(last_name="KADDOUR"))
    wurl = f"{url}/{workshop.id}/intervenants"
    assert organiser_client.post(f"{wurl}/ajouter", data={
        "existante-person_id": str(person.id), "existante-role": "trainer"}).status_code == 302
    assert organiser_client.post(f"{wurl}/creer", data={
        "nouvelle-first_name": "Inès", "nouvelle-last_name": "ÉTUDIANTE",
        "nouvelle-role": "student_presenter"}).status_code == 302
    db.session.expire_all()
    assert [(p.person.full_name, p.role, p.session_id, p.workshop_id)
            for p in workshop.facilitators] == [
        ("Kédidja KADDOUR", Role.TRAINER, slot.id, workshop.id),
        ("Inès ÉTUDIANTE", Role.STUDENT_PRESENTER, slot.id, workshop.id)]
    assert workshop.sequence == 2
    assert all(p.workshop_id is None for p in slot.participants)

    # A facilitator of workshop 1 also in workshop 7 of the same slot: a warning.
    other = slot.workshops[0].facilitators[0].person
    response = organiser_client.post(f"{wurl}/ajouter", data={
        "existante-person_id": str(other.id), "existante-role": "trainer"})
    assert "Atelier n° 1" in text_of(response.get_data(as_text=True))

    # Editing the workshop bumps its sequence.
    before = workshop.sequence
    assert organiser_client.post(f"{url}/{workshop.id}/modifier", data=data | {
        "capacity": "200", "sector": "", "sector_other": "Santé mentale"}).status_code == 302
    db.session.expire_all()
    assert workshop.sequence == before + 1 and workshop.sector == "Santé mentale"


def test_workshops_only_in_a_workshops_session(organiser_client, irts, base):
    plenary = session_titled(irts, "Technologies numériques et travail social")
    response = organiser_client.get(f"{base}/seances/{plenary.id}/ateliers/nouveau")
    assert response.status_code == 302
    assert organiser_client.post(f"{base}/seances/{plenary.id}/ateliers/nouveau", data={
        "number": "1", "title": "Non"}).status_code == 302
    db.session.expire_all()
    assert plenary.workshops == []


def test_contributions(organiser_client, irts, base):
    plenary = session_titled(irts, "Technologies numériques et travail social")
    url = f"{base}/seances/{plenary.id}/contributions"
    for title in ("Premier", "Second"):
        assert organiser_client.post(f"{url}/nouvelle", data={
            "title": title, "description": ""}).status_code == 302
    text = text_of(organiser_client.post(f"{url}/nouvelle", data={"title": ""})
                   .get_data(as_text=True))
    assert "Indiquez le titre de la contribution." in text
    db.session.expire_all()
    first, second = plenary.contributions
    organiser_client.post(f"{url}/{second.id}/monter")
    db.session.expire_all()
    assert [c.title for c in plenary.contributions] == ["Second", "Premier"]

    assert organiser_client.post(f"{url}/{first.id}/intervenants/creer", data={
        "nouvelle-first_name": "Pierre", "nouvelle-last_name": "LEMARCHAND",
        "nouvelle-organisation": "Normandie Images", "nouvelle-role": "presenter"}
    ).status_code == 302
    db.session.expire_all()
    presenter = first.presenters[0]
    assert (presenter.session_id, presenter.contribution_id) == (plenary.id, first.id)
    assert presenter not in plenary.participants

    assert organiser_client.post(f"{url}/{first.id}/supprimer").status_code == 302
    db.session.expire_all()
    assert [c.title for c in plenary.contributions] == ["Second"]
    assert plenary.contributions[0].position == 0
    assert db.session.get(Participation, presenter.id) is None


def test_delete_session_with_workshops_asks_first(organiser_client, irts, base):
    slot = irts.workshop_sessions[0]
    page = organiser_client.get(f"{base}/seances/{slot.id}/supprimer").get_data(as_text=True)
    text = text_of(page)
    assert "Ces ateliers seront supprimés avec elle" in text
    assert text.count("Atelier n°") == 6
    assert "Supprimer la séance « Ateliers »" in text
    assert len(slot.workshops) == 6
    assert organiser_client.post(f"{base}/seances/{slot.id}/supprimer").status_code == 302
    db.session.expire_all()
    assert db.session.get(Session, slot.id) is None
    assert db.session.scalar(db.select(db.func.count(Workshop.id))) == 0


def test_delete_simple_session(organiser_client, irts, base):
    pause = next(s for s in irts.sessions if s.kind == "break")
    text = text_of(organiser_client.get(f"{base}/seances/{pause.id}/supprimer")
                   .get_data(as_text=True))
    assert "Supprimer la séance « Pause » ?" not in text  # the question names people too
    assert "Supprimer la séance « Pause »" in text
    assert "Ces ateliers" not in text
    assert organiser_client.post(f"{base}/seances/{pause.id}/supprimer").status_code == 302
    assert db.session.get(Session, pause.id) is None
