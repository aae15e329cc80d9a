from datetime import date

from support.pages import text_of

from journee.extensions import db
from journee.programme.models import EventStatus, Participation, Person, Role
from journee.programme.schedule import registration_status

IRTS_URL = "/e/travail-social-epreuve-numerique-2018/"


def test_event_page_shows_the_programme_as_printed(client, irts):
    response = client.get(IRTS_URL)
    assert response.status_code == 200
    text = text_of(response.get_data(as_text=True))
    assert "Journée d’étude interprofessionnelle 2018" in text
    assert "Le travail social à l’épreuve du numérique" in text
    assert "Jeudi 15 mars 2018" in text
    for expected in ("8 h 30 – 9 h", "9 h 15 – 10 h 30", "10 h 45 – 12 h 30", "17 h 15",
                     "Conférence plénière", "Technologies numériques et travail social",
                     "Vincent MEYER, Sociologue, Professeur des universités",
                     "Atelier n° 1 : Handicap enfant", "Secteur : Handicap enfant",
                     "Salle : Salle 1", "Benoît CESSELIN, ITEP La Houssaye",
                     "Présentation du dispositif « Passeurs d’images »",
                     "Pierre LEMARCHAND, Normandie Images",
                     "Allée de Flore", "76380 Canteleu (Rouen)",
                     "claire.lagu@irtsnormandie.ids.fr", "Contexte",
                     "Présentation et organisation de la journée"):
        assert expected in text, expected
    # Sessions come in the order of the day.
    order = [text.index(label) for label in (
        "Accueil", "Introduction", "Conférence plénière", "Pause déjeuner",
        "Restitution des ateliers", "Enjeux et risques", "Opportunités", "Clôture", "Buffet")]
    assert order == sorted(order)


def test_moderators_are_in_bold(client, irts):
    html = client.get(IRTS_URL).get_data(as_text=True)
    assert "<strong>Mohamed BELQASMI</strong>, Chargé de recherche, IRTS-IDS Normandie" in html


def test_registration_deadline_in_words(client, irts):
    status = registration_status(irts, today=date(2018, 2, 1))
    assert status.is_open
    assert status.message.replace("\u00a0", " ") == (
        "Inscription gratuite et obligatoire jusqu’au jeudi 1er mars 2018.")
    assert registration_status(irts, today=date(2018, 3, 1)).is_open  # deadline included
    closed = registration_status(irts, today=date(2018, 3, 2))
    assert not closed.is_open and "closes depuis le jeudi" in closed.message.replace("\u00a0", " ")
    early = registration_status(irts, today=date(2018, 1, 1))
    assert not early.is_open and "ouverte à partir du lundi 8" in early.message.replace("\u00a0", " ")
    assert "a eu lieu" in registration_status(irts, today=date(2018, 3, 16)).message


def test_each_session_and_workshop_has_its_calendar_link(client, irts):
    html = client.get(IRTS_URL).get_data(as_text=True)
    for session in irts.sessions:
        assert f"/e/{irts.slug}/seances/{session.uid}.ics" in html
    for workshop in irts.workshop_sessions[0].workshops:
        assert f"/e/{irts.slug}/seances/{workshop.uid}.ics" in html


def test_index_lists_upcoming_and_past_days(client, demo):
    text = text_of(client.get("/").get_data(as_text=True))
    assert text.index("À venir") < text.index("Journées passées")
    past = text[text.index("Journées passées"):]
    assert "Le Travail social 2.0" in past and "Le travail social à l’épreuve" in past


def test_draft_is_hidden_from_the_public_but_shown_to_its_organiser(
        client, irts, make_user, login):
    irts.status = EventStatus.DRAFT
    db.session.commit()
    assert client.get(IRTS_URL).status_code == 404
    assert client.get(IRTS_URL + "programme.ics").status_code == 404
    assert "Le travail social à l’épreuve" not in client.get("/").get_data(as_text=True)
    login(make_user(events=[irts]))
    page = client.get(IRTS_URL)
    assert page.status_code == 200 and "Brouillon" in page.get_data(as_text=True)


def test_unknown_event_is_a_french_404(client):
    response = client.get("/e/nexiste-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.get_data(as_text=True)


def test_hostile_names_are_escaped(client, irts):
    plenary = irts.sessions[2]
    person = Person(first_name="<script>alert(1)</script>", last_name="Łukasz Ðorđević 李雷",
                    organisation="=HYPERLINK(\"x\")", function="Zoé & Cie")
    plenary.participations.append(Participation(person=person, role=Role.SPEAKER, position=9))
    db.session.commit()
    html = client.get(IRTS_URL).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Łukasz Ðorđević 李雷" in html
    assert "Zoé &amp; Cie, =HYPERLINK(&#34;x&#34;)" in html


def test_markdown_presentation_is_sanitised(client, irts):
    irts.presentation = "**Important** <img src=x onerror=alert(1)> [lien](javascript:alert(1))"
    db.session.commit()
    html = client.get(IRTS_URL).get_data(as_text=True)
    assert "<strong>Important</strong>" in html
    assert "<img" not in html and "href=\"javascript" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_programme_documents_use_a_fixed_number_of_queries(client, irts):
    """No query per session, room or person: a larger programme costs no more queries."""
    from datetime import timedelta

    from sqlalchemy import event as sa_event

    from journee.programme.models import Room, Session, SessionKind

    def statements(url: str) -> int:
        db.session.expire_all()
        seen = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        sa_event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(url).status_code == 200
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    urls = [IRTS_URL, IRTS_URL + "programme.ics", IRTS_URL + "programme.pdf"]
    before = [statements(url) for url in urls]
    closing = irts.sessions[-1]
    for n in range(5):
        room = Room(name=f"Salle annexe {n}", capacity=20)
        irts.rooms.append(room)
        extra = Session(kind=SessionKind.TALKS, title=f"Communication {n}", room=room,
                        starts_at=closing.starts_at + timedelta(minutes=15 * (n + 1)),
                        ends_at=closing.starts_at + timedelta(minutes=15 * (n + 2)))
        extra.participations.append(Participation(
            person=Person(first_name="Intervenante", last_name=str(n)), role=Role.SPEAKER))
        irts.sessions.append(extra)
    db.session.commit()
    assert [statements(url) for url in urls] == before
