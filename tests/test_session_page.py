"""A session on one page: its people as rows, a workshops slot's workshops, the search
that fills the person fields."""

from datetime import date, datetime

import pytest
from support.pages import text_of

from journee.extensions import db
from journee.programme.models import (
    Event,
    EventMembership,
    Participation,
    Person,
    Role,
    Room,
    Session,
    SessionKind,
)
from journee.programme.session_people import default_role, split_name


@pytest.fixture
def day(app):
    event = Event(slug="page", title="Journée « page »", starts_on=date(2027, 3, 18),
                  ends_on=date(2027, 3, 18))
    event.rooms += [Room(name="Amphi", capacity=100), Room(name="Salle A", capacity=20),
                    Room(name="Salle B", capacity=20)]
    db.session.add(event)
    db.session.commit()
    return event


@pytest.fixture
def organiser(day, make_user):
    user = make_user()
    db.session.add(EventMembership(event=day, user=user))
    db.session.commit()
    return user


@pytest.fixture
def day_client(organiser, login):
    return login(organiser)


def rooms(event):
    return {room.name: room.id for room in event.rooms}


def session_data(kind="plenary", start="09:00", end="10:30", **extra):
    return {"kind": kind, "title": "", "description": "", "day": "2027-03-18",
            "start": start, "end": end, "room_id": "0", **extra}


def person(prefix, name, email="", organisation="", role="", person_id=""):
    return {f"{prefix}-name": name, f"{prefix}-email": email,
            f"{prefix}-organisation": organisation, f"{prefix}-role": role,
            f"{prefix}-person_id": str(person_id)}


def only_session(event):
    db.session.expire_all()
    [session] = event.sessions
    return session


def people_of(parts):
    return [(p.person.full_name, p.person.email, p.role)
            for p in sorted(parts, key=lambda p: p.position)]


@pytest.mark.parametrize(("kind", "roles"), [
    ("plenary", [Role.SPEAKER, Role.SPEAKER, Role.SPEAKER]),
    ("round_table", [Role.MODERATOR, Role.PANELIST, Role.PANELIST]),
    ("workshops", [Role.MODERATOR, Role.MODERATOR, Role.MODERATOR]),
    ("synthesis", [Role.RAPPORTEUR] * 3),
])
def test_roles_default_by_the_kind_of_session(day, day_client, kind, roles):
    data = session_data(kind) | person("participants-0", "Ana COSTA") \
        | person("participants-1", "Léo BLANC") | person("participants-2", "Tao LI")
    response = day_client.post(f"/admin/journees/{day.id}/seances/nouvelle", data=data)
    assert response.status_code == 302, text_of(response.get_data(as_text=True))
    assert [role for *_, role in people_of(only_session(day).participants)] == roles
    assert default_role(SessionKind.WORKSHOPS, 0, workshop=True) == Role.FACILITATOR


def test_the_form_says_what_the_default_role_is(day, day_client):
    page = day_client.get(f"/admin/journees/{day.id}/seances/nouvelle").get_data(as_text=True)
    assert "Selon le type de séance (Conférencier·ère / Intervenant·e)" in page  # « Accueil »
    session = Session(kind=SessionKind.ROUND_TABLE, starts_at=datetime(2027, 3, 18, 14),
                      title="Débat")
    day.sessions.append(session)
    db.session.commit()
    page = text_of(day_client.get(f"/admin/journees/{day.id}/seances/{session.id}/modifier")
                   .get_data(as_text=True))
    assert "Selon le type de séance (Animateur·rice)" in page
    assert "Selon le type de séance (Intervenant·e de table ronde)" in page


def test_new_people_are_created_with_their_email_and_hostile_names_stay_intact(
        day, day_client, organiser):
    hostile = "<script>alert(1)</script> =SOMME(A1)"
    data = session_data() | person("participants-0", "Zoé d’ARCY", "zoe@example.org",
                                   "IRTS « Normandie »") \
        | person("participants-1", hostile, "", "=HYPERLINK(\"x\")", role="moderator") \
        | person("participants-2", "Ελένη ΠΑΠΑΔΟΠΟΥΛΟΥ") | person("participants-3", "")
    response = day_client.post(f"/admin/journees/{day.id}/seances/nouvelle", data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/journees/{day.id}/grille"
    session = only_session(day)
    assert people_of(session.participants) == [
        ("Zoé d’ARCY", "zoe@example.org", Role.SPEAKER),
        (hostile, None, Role.MODERATOR),
        ("Ελένη ΠΑΠΑΔΟΠΟΥΛΟΥ", None, Role.SPEAKER)]
    zoe = session.participants[0].person
    assert (zoe.first_name, zoe.last_name, zoe.organisation, zoe.created_by_id) == (
        "Zoé", "d’ARCY", "IRTS « Normandie »", organiser.id)
    page = day_client.get(f"/admin/journees/{day.id}/grille").get_data(as_text=True)
    assert "enregistrée (3 nouvelles personnes créées)." in text_of(page)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; =SOMME(A1)" in page
    form = day_client.get(f"/admin/journees/{day.id}/seances/{session.id}/modifier") \
        .get_data(as_text=True)
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt; =SOMME(A1)"' in form


def test_split_name():
    assert split_name("Marie-Anne de LA TOUR") == ("Marie-Anne de", "LA TOUR")
    assert split_name("Marie Claire Dupont") == ("Marie Claire", "Dupont")
    assert split_name("Madonna") == ("Madonna", "")
    assert split_name("ABC DEF") == ("ABC", "DEF")


def test_wrong_rows_are_explained_in_french_and_kept(day, day_client):
    data = session_data(end="08:00") | person("participants-0", "", "zoe@example.org") \
        | person("participants-1", "Léo BLANC", "pas-une-adresse") \
        | person("participants-2", "Tao\nLI", role="pirate")
    response = day_client.post(f"/admin/journees/{day.id}/seances/nouvelle", data=data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = text_of(html)
    assert "Le formulaire contient 5 erreurs" in text
    for message in (
            "Heure de fin (facultatif) : L’heure de fin doit être après l’heure de début.",
            "Personne 1 — Prénom et nom : Indiquez le prénom et le nom de la personne.",
            "Personne 2 — Adresse e-mail (nouvelle personne, facultatif) : Saisissez une "
            "adresse e-mail valide",
            "Personne 3 — Prénom et nom : Ce champ tient sur une ligne",
            "Personne 3 — Rôle : Choisissez une des options proposées."):
        assert message in text, message
    assert 'href="#participants-1-email"' in html
    assert 'value="zoe@example.org"' in html and 'value="Léo BLANC"' in html
    assert 'value="pas-une-adresse"' in html
    db.session.expire_all()
    assert day.sessions == [] and db.session.scalar(db.select(db.func.count(Person.id))) == 0


def test_nonsense_posts_never_give_a_500(day, day_client):
    url = f"/admin/journees/{day.id}/seances/nouvelle"
    for data in ({}, {"participants-x-name": "A"}, {"workshops-0-room_id": "abc",
                                                    "workshops-0-title": "T"},
                 session_data() | {"participants-0-person_id": "99999999999999999999",
                                   "participants-0-name": "Ana"},
                 session_data("workshops") | {"workshops-0-workshop_id": "12345",
                                              "workshops-0-title": "T"},
                 {"action": "animation-999"}, {"action": "animation-x"}):
        response = day_client.post(url, data=data)
        assert response.status_code in (200, 302, 404), (data, response.status_code)


def test_adding_a_row_without_javascript_keeps_what_was_typed(day, day_client):
    data = session_data() | person("participants-0", "Ana COSTA", "ana@example.org") \
        | {"action": "ligne"}
    html = day_client.post(f"/admin/journees/{day.id}/seances/nouvelle", data=data) \
        .get_data(as_text=True)
    assert 'id="participants-1-name"' in html and 'value="ana@example.org"' in html
    assert "error-summary" not in html
    data |= {"action": "atelier", "workshops-0-title": "Un"}
    html = day_client.post(f"/admin/journees/{day.id}/seances/nouvelle", data=data) \
        .get_data(as_text=True)
    assert 'id="workshops-1-title"' in html and 'value="Un"' in html
    data |= {"action": "animation-1"}
    html = day_client.post(f"/admin/journees/{day.id}/seances/nouvelle", data=data) \
        .get_data(as_text=True)
    assert 'id="workshops-0-facilitators-2-name"' in html
    db.session.expire_all()
    assert day.sessions == []


def test_someone_known_is_found_by_name_without_a_second_record(day, day_client, organiser):
    known = Person(first_name="Élodie", last_name="LEFÈVRE", email="elodie@example.org",
                   created_by_id=organiser.id)
    db.session.add(known)
    db.session.commit()
    data = session_data("round_table") | person("participants-0", "elodie lefevre") \
        | person("participants-1", "Ana COSTA", "ana@example.org") \
        | person("participants-2", "ana costa", "ana@example.org")
    assert day_client.post(f"/admin/journees/{day.id}/seances/nouvelle",
                           data=data).status_code == 302
    session = only_session(day)
    assert people_of(session.participants) == [
        ("Élodie LEFÈVRE", "elodie@example.org", Role.MODERATOR),
        ("Ana COSTA", "ana@example.org", Role.PANELIST),
        ("Ana COSTA", "ana@example.org", Role.PANELIST)]
    assert db.session.scalar(db.select(db.func.count(Person.id))) == 2

    # Two people of one name: the e-mail address or the organisation tells them apart.
    db.session.add(Person(first_name="Élodie", last_name="LEFÈVRE",
                          email="autre@example.org", created_by_id=organiser.id))
    db.session.commit()
    url = f"/admin/journees/{day.id}/seances/{session.id}/modifier"
    data = session_data("round_table") | person("participants-0", "Élodie LEFÈVRE")
    text = text_of(day_client.post(url, data=data).get_data(as_text=True))
    assert ("Personne 1 — Prénom et nom : 2 personnes s’appellent « Élodie LEFÈVRE » : "
            "choisissez-la dans les suggestions, ou indiquez son adresse e-mail ou son "
            "organisme.") in text
    data = session_data("round_table") | person("participants-0", "Élodie LEFÈVRE",
                                                "autre@example.org")
    assert day_client.post(url, data=data).status_code == 302
    session = only_session(day)
    assert people_of(session.participants) == [
        ("Élodie LEFÈVRE", "autre@example.org", Role.MODERATOR)]
    # The person picked in the suggestions is the one kept, whatever their namesakes.
    data = session_data("round_table") | person("participants-0", "Élodie LEFÈVRE",
                                                person_id=known.id)
    assert day_client.post(url, data=data).status_code == 302
    assert people_of(only_session(day).participants) == [
        ("Élodie LEFÈVRE", "elodie@example.org", Role.MODERATOR)]


def test_people_of_other_days_are_not_reused_by_name(day, day_client, irts):
    """A name typed that only someone of another organiser's day bears makes a new record:
    the organiser never reaches people they may not see."""
    other = irts.sessions[1].participants[0].person
    data = session_data() | person("participants-0", other.full_name)
    assert day_client.post(f"/admin/journees/{day.id}/seances/nouvelle",
                           data=data).status_code == 302
    [part] = only_session(day).participants
    assert part.person_id != other.id and part.person.full_name == other.full_name
    data = session_data() | person("participants-0", other.full_name, person_id=other.id)
    session = only_session(day)
    assert day_client.post(f"/admin/journees/{day.id}/seances/{session.id}/modifier",
                           data=data).status_code == 302
    assert only_session(day).participants[0].person_id != other.id


def test_workshops_slot_as_one_form(day, day_client):
    ids = rooms(day)
    url = f"/admin/journees/{day.id}/seances/nouvelle"
    data = session_data("workshops", start="10:45", end="12:15") | {
        "workshops-0-title": "Écrans", "workshops-0-sector": "Handicap adulte",
        "workshops-0-room_id": str(ids["Salle A"]), "workshops-0-capacity": "2",
        "workshops-1-title": "Données", "workshops-1-room_id": str(ids["Salle B"]),
        "workshops-1-capacity": "2", "workshops-2-title": ""} \
        | person("workshops-0-facilitators-0", "Inès ABADIE", "ines@example.org") \
        | person("workshops-0-facilitators-1", "Paul ROUX", role="trainer") \
        | person("workshops-1-facilitators-0", "Inès ABADIE", "ines@example.org")
    response = day_client.post(url, data=data)
    assert response.status_code == 200  # Inès in two workshops of one slot: confirm first
    text = text_of(response.get_data(as_text=True))
    assert "Inès ABADIE intervient aussi dans « Atelier n° 1 Écrans »" in text \
        or "À vérifier avant d’enregistrer" in text
    db.session.expire_all()
    assert day.sessions == []
    data["workshops-1-facilitators-0-name"] = "Omar DIALLO"
    data["workshops-1-facilitators-0-email"] = ""
    assert day_client.post(url, data=data).status_code == 302
    slot = only_session(day)
    assert [(w.number, w.title, w.sector, w.room.name, w.capacity) for w in slot.workshops] == [
        (1, "Écrans", "Handicap adulte", "Salle A", 2), (2, "Données", "", "Salle B", 2)]
    assert [people_of(w.facilitators) for w in slot.workshops] == [
        [("Inès ABADIE", "ines@example.org", Role.FACILITATOR),
         ("Paul ROUX", None, Role.TRAINER)],
        [("Omar DIALLO", None, Role.FACILITATOR)]]

    # Edited as one form: the rows come back filled; a workshop removed, one added, one
    # whose room is taken refused with its row named.
    edit = f"/admin/journees/{day.id}/seances/{slot.id}/modifier"
    page = day_client.get(edit).get_data(as_text=True)
    first, second = slot.workshops
    assert f'name="workshops-0-workshop_id" type="hidden" value="{first.id}"' in page
    assert 'value="Inès ABADIE"' in page and 'id="workshops-2-title"' in page
    data = session_data("workshops", start="10:45", end="12:15") | {
        "workshops-0-workshop_id": str(first.id), "workshops-0-title": "Écrans et lien",
        "workshops-0-room_id": str(ids["Salle A"]), "workshops-0-capacity": "3",
        "workshops-1-workshop_id": str(second.id), "workshops-1-title": "Données",
        "workshops-1-remove": "y",
        "workshops-2-title": "Accès aux droits", "workshops-2-room_id": str(ids["Salle A"])} \
        | person("workshops-0-facilitators-0", "Inès ABADIE", person_id=first.facilitators[0]
                 .person_id)
    text = text_of(day_client.post(edit, data=data).get_data(as_text=True))
    assert "Atelier 3 — Salle : La salle « Salle A » est déjà occupée" in text
    db.session.expire_all()
    assert [w.title for w in slot.workshops] == ["Écrans", "Données"]
    data["workshops-2-room_id"] = str(ids["Salle B"])
    assert day_client.post(edit, data=data).status_code == 302
    slot = only_session(day)
    assert [(w.number, w.title, w.room.name, w.capacity) for w in slot.workshops] == [
        (1, "Écrans et lien", "Salle A", 3), (3, "Accès aux droits", "Salle B", None)]
    assert people_of(slot.workshops[0].facilitators) == [
        ("Inès ABADIE", "ines@example.org", Role.FACILITATOR)]
    assert db.session.scalar(db.select(db.func.count(Participation.id))) == 1


def test_workshop_bigger_than_its_room_needs_confirmation(day, day_client):
    data = session_data("workshops") | {"workshops-0-title": "Grand",
                                        "workshops-0-room_id": str(rooms(day)["Salle A"]),
                                        "workshops-0-capacity": "30"}
    url = f"/admin/journees/{day.id}/seances/nouvelle"
    text = text_of(day_client.post(url, data=data).get_data(as_text=True))
    assert "La capacité de l’atelier (30 places) dépasse celle de la salle « Salle A »" in text
    assert day_client.post(url, data=data | {"confirm": "y"}).status_code == 302
    assert only_session(day).workshops[0].capacity == 30


def test_people_search(day, day_client, organiser, irts, client):
    mine = Person(first_name="Émile", last_name="ZOLA-MARTIN", organisation="Lycée",
                  email="emile@example.org", created_by_id=organiser.id)
    db.session.add(mine)
    db.session.commit()
    answer = day_client.get("/admin/personnes/recherche?q=emile zola").get_json()
    assert answer == {"total": 1, "people": [
        {"id": mine.id, "name": "Émile ZOLA-MARTIN", "organisation": "Lycée"}]}
    assert "emile@example.org" not in day_client.get(
        "/admin/personnes/recherche?q=zola").get_data(as_text=True)
    # People of a day this organiser does not organise are not found.
    other = irts.sessions[1].participants[0].person
    answer = day_client.get(f"/admin/personnes/recherche?q={other.last_name}").get_json()
    assert other.id not in [p["id"] for p in answer["people"]]
    assert day_client.get("/admin/personnes/recherche?q=").get_json() == {
        "people": [], "total": 0}
    day_client.post("/deconnexion")
    anonymous = client.get("/admin/personnes/recherche?q=zola")
    assert anonymous.status_code == 302 and "/connexion" in anonymous.headers["Location"]
