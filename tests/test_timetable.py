"""The organiser's timetable: rooms as columns, quarters of an hour as rows."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import event as sa_event
from support.pages import table_grid, text_of

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
    Workshop,
)


@pytest.fixture
def day(app, make_user):
    event = Event(slug="grille", title="Journée « grille »", starts_on=date(2027, 3, 18),
                  ends_on=date(2027, 3, 18))
    event.rooms += [Room(name="Amphi", capacity=200), Room(name="Salle <b>2</b>",
                                                         capacity=30)]
    db.session.add(event)
    db.session.commit()
    return event


@pytest.fixture
def day_client(day, make_user, login):
    user = make_user()
    db.session.add(EventMembership(event=day, user=user))
    db.session.commit()
    return login(user)


def at(hour, minute=0):
    return datetime(2027, 3, 18, hour, minute)


def add(event, kind, start, end, title="", room=None, workshops=()):
    session = Session(kind=kind, title=title, starts_at=start, ends_at=end, room=room)
    session.workshops += list(workshops)
    event.sessions.append(session)
    db.session.commit()
    return session


def rooms(event):
    return {room.name: room for room in event.rooms}


def test_sessions_are_placed_by_room_and_time(day, day_client):
    amphi, salle = rooms(day)["Amphi"], rooms(day)["Salle <b>2</b>"]
    add(day, SessionKind.WELCOME, at(8, 30), at(9), "Accueil café")
    add(day, SessionKind.PLENARY, at(9), at(10, 30), "Conférence", room=amphi)
    add(day, SessionKind.WORKSHOPS, at(10, 45), at(12, 10), "Ateliers du matin", workshops=[
        Workshop(number=1, title="Écrans", room=amphi, capacity=2),
        Workshop(number=2, title="Données", room=salle, capacity=2),
        Workshop(number=3, title="Sans lieu")])
    add(day, SessionKind.CLOSING, at(17, 15), None, "Clôture", room=amphi)

    html = day_client.get(f"/admin/journees/{day.id}/grille").get_data(as_text=True)
    grid = table_grid(html, "Grille du jeudi 18 mars 2027")
    header, rows = grid[0], {row[0]: row[1:] for row in grid[1:]}
    assert header == ["Heure", "Amphi", "Salle <b>2</b>", "Sans salle"]
    assert "<b>2</b>" not in html  # the room's name is text, not markup
    assert list(rows)[:3] == ["8 h 30", "8 h 45", "9 h"]
    # The welcome has no room: last column, two quarters of an hour.
    assert all(rows[t][2].startswith("8 h 30 – 9 h · Accueil Accueil café")
               for t in ("8 h 30", "8 h 45"))
    assert rows["8 h 30"][0].startswith("Ajouter ici : Amphi, 8 h 30")
    # The plenary spans 9 h to 10 h 30 in the Amphi: six rows, one cell.
    plenary = [t for t, cells in rows.items() if "Conférence" in cells[0]]
    assert plenary == ["9 h", "9 h 15", "9 h 30", "9 h 45", "10 h", "10 h 15"]
    assert rows["10 h 30"][0].startswith("Ajouter ici")
    # Parallel workshops side by side; 12 h 10 ends within the 12 h quarter.
    for t in ("10 h 45", "11 h", "11 h 45", "12 h"):
        assert "Atelier n° 1 : Écrans" in rows[t][0]
        assert "Atelier n° 2 : Données" in rows[t][1]
        assert "Atelier n° 3 : Sans lieu" in rows[t][2]
    assert "2 places" in rows["10 h 45"][0]
    assert rows["12 h 15"][0].startswith("Ajouter ici")
    # A session with no end holds one quarter; the grid runs to 17 h 30 at least.
    assert "Clôture" in rows["17 h 15"][0] and list(rows)[-1] == "17 h 15"
    assert "Conflit" not in text_of(html)


def test_room_taken_twice_is_shown_as_a_conflict_in_words(day, day_client):
    amphi = rooms(day)["Amphi"]
    add(day, SessionKind.PLENARY, at(9), at(10), "Conférence", room=amphi)
    add(day, SessionKind.TALKS, at(9, 30), at(10, 30), "Récits", room=amphi)
    add(day, SessionKind.BREAK, at(9, 30), at(10), "Pause")  # no room: no conflict
    html = day_client.get(f"/admin/journees/{day.id}/grille").get_data(as_text=True)
    grid = table_grid(html, "Grille du")
    rows = {row[0]: row[1:] for row in grid[1:]}
    cell = rows["9 h"][0]
    assert cell.startswith("Conflit : salle occupée deux fois")
    assert "Conférence" in cell and "Récits" in cell
    assert all(rows[t][0] == cell for t in ("9 h 15", "9 h 30", "10 h 15"))
    assert "Conflit" not in rows["9 h 30"][2]
    text = text_of(html)
    assert ("1 conflit de salle « Conférence » (9 h – 10 h) et « Récits » (9 h 30 – "
            "10 h 30) occupent la salle « Amphi » en même temps.") in text
    assert 'class="busy has-conflict"' in html


def test_add_here_fills_the_new_session_form(day, day_client):
    salle = rooms(day)["Salle <b>2</b>"]
    html = day_client.get(f"/admin/journees/{day.id}/grille").get_data(as_text=True)
    link = f"/admin/journees/{day.id}/seances/nouvelle?jour=2027-03-18&amp;debut=14:15&amp;" \
           f"salle={salle.id}"
    assert link in html
    form = day_client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert 'value="2027-03-18"' in form and 'value="14:15"' in form
    assert f'<option selected value="{salle.id}">' in form
    # Nonsense in the query is ignored, never a 500.
    form = day_client.get(f"/admin/journees/{day.id}/seances/nouvelle?jour=demain&debut=25:99"
                          "&salle=999999")
    assert form.status_code == 200
    assert 'value="2027-03-18"' in form.get_data(as_text=True)


def test_rooms_added_from_the_timetable(day, day_client):
    url = f"/admin/journees/{day.id}/salles/ajouter"
    response = day_client.post(url, data={
        "rooms-0-name": "Salle 3", "rooms-0-capacity": "12", "rooms-1-name": "",
        "rooms-2-name": "=cmd|' /C calc'!A0", "rooms-3-name": "  "})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/journees/{day.id}/grille"
    db.session.expire_all()
    assert {(r.name, r.capacity) for r in day.rooms} == {
        ("Amphi", 200), ("Salle <b>2</b>", 30), ("Salle 3", 12), ("=cmd|' /C calc'!A0", None)}

    response = day_client.post(url, data={
        "rooms-0-name": "Bibliothèque", "rooms-0-capacity": "0", "rooms-1-name": "amphi"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = text_of(html)
    assert "Le formulaire contient 2 erreurs" in text
    assert ("Salle 1 — Capacité (places) : La capacité doit être comprise entre 1 et 100 000."
            in text)
    assert "Salle 2 — Nom de la salle : Une salle s’appelle déjà « Amphi »" in text
    assert 'value="Bibliothèque"' in html and 'href="#rooms-1-name"' in html
    db.session.expire_all()
    assert len(day.rooms) == 4

    response = day_client.post(url, data={"rooms-0-name": ""})
    assert "Indiquez le nom d’au moins une salle." in text_of(response.get_data(as_text=True))


def test_duplicate_copies_the_session_with_its_people(irts, organiser_client):
    plenary = next(s for s in irts.sessions if s.kind == SessionKind.PLENARY)
    slot = irts.workshop_sessions[0]
    base = f"/admin/journees/{irts.id}/seances"
    response = organiser_client.post(f"{base}/{plenary.id}/dupliquer")
    db.session.expire_all()
    copy = max(irts.sessions, key=lambda s: s.id)
    assert response.headers["Location"] == f"{base}/{copy.id}/modifier"
    assert (copy.kind, copy.title, copy.starts_at, copy.ends_at, copy.room) == (
        plenary.kind, plenary.title, plenary.starts_at, plenary.ends_at, None)
    assert [(p.person_id, p.role, p.function) for p in copy.participations] == [
        (p.person_id, p.role, p.function) for p in plenary.participations]
    assert copy.uid != plenary.uid
    page = text_of(organiser_client.get(response.headers["Location"]).get_data(as_text=True))
    assert "est dupliquée, sans salle : choisissez son horaire et sa salle." in page
    assert f'action="{base}/{copy.id}/dupliquer"' in organiser_client.get(
        response.headers["Location"]).get_data(as_text=True)

    organiser_client.post(f"{base}/{slot.id}/dupliquer")
    db.session.expire_all()
    copy = max(irts.sessions, key=lambda s: s.id)
    assert [(w.number, w.title, w.capacity, w.room) for w in copy.workshops] == [
        (w.number, w.title, w.capacity, None) for w in slot.workshops]
    assert [[p.person_id for p in w.facilitators] for w in copy.workshops] == [
        [p.person_id for p in w.facilitators] for w in slot.workshops]
    assert all(p.session is copy for w in copy.workshops for p in w.facilitators)


def test_timetable_belongs_to_the_event_organisers(day, irts, organiser_client):
    assert organiser_client.get(f"/admin/journees/{day.id}/grille").status_code == 404
    assert organiser_client.post(f"/admin/journees/{day.id}/salles/ajouter",
                                 data={"rooms-0-name": "X"}).status_code == 404
    assert organiser_client.get(f"/admin/journees/{irts.id}/grille").status_code == 200


# People taken twice ----------------------------------------------------------------------

def take_part(session, person, role=Role.SPEAKER, workshop=None):
    with db.session.no_autoflush:
        session.participations.append(Participation(person=person, role=role,
                                                    workshop=workshop))
    db.session.commit()


def grid_rows(client, event):
    html = client.get(f"/admin/journees/{event.id}/grille").get_data(as_text=True)
    grid = table_grid(html, "Grille du")
    return html, {row[0]: row[1:] for row in grid[1:]}


def test_facilitator_in_two_parallel_workshops(day, day_client):
    amphi, salle = rooms(day)["Amphi"], rooms(day)["Salle <b>2</b>"]
    slot = add(day, SessionKind.WORKSHOPS, at(10, 45), at(12), "Ateliers du matin", workshops=[
        Workshop(number=1, title="Écrans", room=amphi, capacity=20),
        Workshop(number=2, title="Données", room=salle, capacity=20),
        Workshop(number=3, title="L’accès aux droits", capacity=20)])
    marie = Person(first_name="Marie", last_name="Dupont")
    take_part(slot, marie, Role.FACILITATOR, slot.workshops[0])
    take_part(slot, marie, Role.FACILITATOR, slot.workshops[2])
    take_part(slot, Person(first_name="Karim", last_name="Benali"), Role.FACILITATOR,
              slot.workshops[1])

    html, rows = grid_rows(day_client, day)
    text = text_of(html)
    assert ("1 personne prise deux fois au même moment Marie Dupont intervient dans "
            "l’atelier n° 1 « Écrans » et dans l’atelier n° 3 « L’accès aux droits », "
            "jeudi 18 mars 2027 de 10 h 45 à 12 h.") in text
    edit = f'href="/admin/journees/{day.id}/seances/{slot.id}/modifier"'
    assert html.count(f"{edit}>Modifier l’atelier n°\u00a0") == 2
    # The two workshops concerned say so in words; Karim's does not.
    for t in ("10 h 45", "11 h 45"):
        assert "Personne prise deux fois : Marie Dupont" in rows[t][0]
        assert "Personne prise deux fois" in rows[t][2]
        assert "deux fois" not in rows[t][1]
    assert "Conflit" not in text  # no room is taken twice
    assert html.count("has-person-clash") == 2


def test_someone_of_a_whole_workshops_slot_is_marked_in_each_of_its_workshops(
        day, day_client):
    amphi, salle = rooms(day)["Amphi"], rooms(day)["Salle <b>2</b>"]
    slot = add(day, SessionKind.WORKSHOPS, at(14), at(16), "Ateliers de l’après-midi",
               workshops=[Workshop(number=1, title="Écrans", room=amphi, capacity=20),
                          Workshop(number=2, title="Données", room=salle, capacity=20)])
    testimony = add(day, SessionKind.TESTIMONY, at(15, 30), at(16, 30))
    witness = Person(first_name="Médéric", last_name="Martin")
    take_part(slot, witness, Role.RAPPORTEUR)
    take_part(testimony, witness, Role.WITNESS)

    html, rows = grid_rows(day_client, day)
    assert ("Médéric Martin intervient dans la séance d’ateliers « Ateliers de "
            "l’après-midi » et dans les témoignages, jeudi 18 mars 2027 de 15 h 30 à "
            "16 h.") in text_of(html)
    for t in ("14 h", "15 h 45"):  # both workshops, all along
        assert all("Personne prise deux fois : Médéric Martin" in cell for cell in rows[t][:2])
    assert "Personne prise deux fois : Médéric Martin" in rows["15 h 30"][2]
    assert rows["14 h"][2].startswith("Ajouter ici")


def test_speaker_in_the_plenary_and_an_overlapping_round_table(day, day_client):
    amphi, salle = rooms(day)["Amphi"], rooms(day)["Salle <b>2</b>"]
    plenary = add(day, SessionKind.PLENARY, at(9), at(10, 30), "Le numérique", room=amphi)
    table = add(day, SessionKind.ROUND_TABLE, at(10), at(11), "Regards croisés", room=salle)
    untitled = add(day, SessionKind.TALKS, at(10, 15), at(10, 45))
    zoe = Person(first_name="Zoé", last_name="N’Diaye")
    take_part(plenary, zoe)
    take_part(table, zoe, Role.PANELIST)
    take_part(untitled, zoe)

    html, rows = grid_rows(day_client, day)
    text = text_of(html)
    assert "1 personne prise deux fois au même moment" in text
    # One sentence per pair of overlapping occupations: three pairs.
    assert ("Zoé N’Diaye intervient dans la conférence plénière « Le numérique » et dans "
            "la table ronde « Regards croisés », jeudi 18 mars 2027 de 10 h à 10 h 30.") in text
    assert ("Zoé N’Diaye intervient dans la conférence plénière « Le numérique » et dans "
            "les communications, jeudi 18 mars 2027 de 10 h 15 à 10 h 30.") in text
    assert ("Zoé N’Diaye intervient dans la table ronde « Regards croisés » et dans les "
            "communications, jeudi 18 mars 2027 de 10 h 15 à 10 h 45.") in text
    assert text.count("Zoé N’Diaye intervient dans") == 3
    base = f"/admin/journees/{day.id}/seances"
    assert f'<a href="{base}/{plenary.id}/modifier">Modifier la conférence plénière' in html
    assert f'<a href="{base}/{table.id}/modifier">Modifier la table ronde' in html
    assert "Personne prise deux fois : Zoé N’Diaye" in rows["9 h"][0]
    assert "Personne prise deux fois : Zoé N’Diaye" in rows["10 h"][1]
    assert "Personne prise deux fois : Zoé N’Diaye" in rows["10 h 15"][2]


def test_back_to_back_sessions_are_not_a_clash(day, day_client):
    amphi, salle = rooms(day)["Amphi"], rooms(day)["Salle <b>2</b>"]
    plenary = add(day, SessionKind.PLENARY, at(9), at(10), "Le numérique", room=amphi)
    table = add(day, SessionKind.ROUND_TABLE, at(10), at(11), "Regards croisés", room=salle)
    # Closing right at the end of the round table, without an end time of its own.
    closing = add(day, SessionKind.CLOSING, at(11), None, "Clôture", room=amphi)
    karim = Person(first_name="Karim", last_name="Benali")
    for session in (plenary, table, closing):
        take_part(session, karim)
    # Twice in one session (moderator and speaker) is one place, not two.
    take_part(table, karim, Role.MODERATOR)

    html, _rows = grid_rows(day_client, day)
    assert "deux fois" not in text_of(html)
    assert "has-person-clash" not in html


def test_a_session_without_an_end_time_clashes_at_its_start(day, day_client):
    amphi, salle = rooms(day)["Amphi"], rooms(day)["Salle <b>2</b>"]
    talks = add(day, SessionKind.TALKS, at(16, 30), at(17, 30), "Récits", room=salle)
    closing = add(day, SessionKind.CLOSING, at(17), None, room=amphi)
    ines = Person(first_name="Inès", last_name="Abadie")
    take_part(talks, ines)
    take_part(closing, ines, Role.MODERATOR)

    html, rows = grid_rows(day_client, day)
    assert ("Inès Abadie intervient dans les communications « Récits » et dans la clôture, "
            "jeudi 18 mars 2027 à 17 h.") in text_of(html)
    assert "Personne prise deux fois : Inès Abadie" in rows["17 h"][0]
    assert "Personne prise deux fois : Inès Abadie" in rows["16 h 30"][1]


def test_names_and_titles_taken_twice_are_shown_as_text(day, day_client):
    amphi, salle = rooms(day)["Amphi"], rooms(day)["Salle <b>2</b>"]
    plenary = add(day, SessionKind.PLENARY, at(9), at(10), "<b>Ouverture</b>", room=amphi)
    talks = add(day, SessionKind.TALKS, at(9), at(10), "=HYPERLINK(\"x\")", room=salle)
    strange = Person(first_name="<script>alert(1)</script>", last_name="O'Neil-Nguyễn")
    take_part(plenary, strange)
    take_part(talks, strange)

    html, rows = grid_rows(day_client, day)
    assert "<script>alert" not in html and "<b>Ouverture" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; O&#39;Neil-Nguyễn" in html
    text = text_of(html)
    assert ("<script>alert(1)</script> O'Neil-Nguyễn intervient dans la conférence "
            "plénière « <b>Ouverture</b> » et dans les communications « =HYPERLINK(\"x\") "
            "», jeudi 18 mars 2027 de 9 h à 10 h.") in text
    assert "Personne prise deux fois : <script>alert(1)</script> O'Neil-Nguyễn" in rows["9 h"][0]


class Statements:
    def __init__(self):
        self.seen = []

    def __enter__(self):
        db.session.expire_all()
        sa_event.listen(db.engine, "before_cursor_execute", self._note)
        return self

    def __exit__(self, *exc):
        sa_event.remove(db.engine, "before_cursor_execute", self._note)

    def _note(self, connection, cursor, statement, *args):
        self.seen.append(statement)


def test_people_taken_twice_cost_no_query_per_session_or_person(irts, organiser_client):
    url = f"/admin/journees/{irts.id}/grille"
    with Statements() as before:
        assert organiser_client.get(url).status_code == 200
    assert "deux fois" not in text_of(organiser_client.get(url).get_data(as_text=True))

    # Ten more sessions in ten more rooms, each with two new people and a facilitator of
    # the first workshops slot, who is then taken twice ten times.
    slot = irts.workshop_sessions[0]
    facilitator = slot.workshops[0].facilitators[0].person
    for n in range(10):
        room = Room(name=f"Salle annexe {n}", capacity=20)
        irts.rooms.append(room)
        extra = Session(kind=SessionKind.TALKS, title=f"Communication {n}", room=room,
                        starts_at=slot.starts_at + timedelta(minutes=n),
                        ends_at=slot.starts_at + timedelta(minutes=n + 30))
        for who in (Person(first_name="Intervenante", last_name=f"{n}"),
                    Person(first_name="Intervenant", last_name=f"{n} bis"), facilitator):
            extra.participations.append(Participation(person=who, role=Role.SPEAKER))
        irts.sessions.append(extra)
    db.session.commit()
    with Statements() as after:
        response = organiser_client.get(url)
    text = text_of(response.get_data(as_text=True))
    assert text.count(f"{facilitator.full_name} intervient dans") >= 10
    for statement in before.seen:
        print(statement)
    assert len(after.seen) == len(before.seen) <= 12
