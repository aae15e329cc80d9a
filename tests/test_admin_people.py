"""The people directory: search, pages, forms, and names shown exactly as typed."""

import re

from support.pages import text_of

from journee.audit.models import AuditEntry
from journee.auth.models import User
from journee.extensions import db
from journee.programme.models import Participation, Person, Role

HOSTILE = "<script>alert(1)</script>"


def test_search_ignores_case_and_accents(organiser_client, irts):
    text = text_of(organiser_client.get("/admin/personnes/?q=eliane").get_data(as_text=True))
    assert "Éliane DARSOULANT" in text and "1 personne pour « eliane »" in text
    text = text_of(organiser_client.get("/admin/personnes/?q=NORMANDIE+images")
                   .get_data(as_text=True))
    assert "Pierre LEMARCHAND" in text and "KADDOUR" not in text
    text = text_of(organiser_client.get("/admin/personnes/?q=zzz").get_data(as_text=True))
    assert "0 personne pour « zzz »" in text


def test_people_are_paged(organiser_client, irts):
    total = len({part.person_id for session in irts.sessions
                 for part in session.participations})
    assert total > 25
    first = organiser_client.get("/admin/personnes/").get_data(as_text=True)
    assert "Page 1 sur" in text_of(first) and "Page suivante" in first
    second = organiser_client.get("/admin/personnes/?page=2").get_data(as_text=True)
    assert "Page précédente" in second
    assert first.count('<th scope="row">') == 25
    assert second.count('<th scope="row">') == min(25, total - 25)
    assert organiser_client.get("/admin/personnes/?page=abc").status_code == 200


def test_create_and_edit_person(organiser_client):
    response = organiser_client.post("/admin/personnes/nouvelle", data={
        "first_name": "", "last_name": "DUPONT", "email": "pas-une-adresse"})
    text = text_of(response.get_data(as_text=True))
    assert "Indiquez le prénom." in text and "Saisissez une adresse e-mail valide" in text
    assert 'value="DUPONT"' in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Person).filter_by(last_name="DUPONT")) is None

    assert organiser_client.post("/admin/personnes/nouvelle", data={
        "first_name": " Jeanne ", "last_name": "DUPONT", "function": "Sociologue",
        "organisation": "Université", "email": ""}).status_code == 302
    person = db.session.scalar(db.select(Person).filter_by(last_name="DUPONT"))
    assert (person.first_name, person.email) == ("Jeanne", None)
    assert organiser_client.post(f"/admin/personnes/{person.id}/modifier", data={
        "first_name": "Jeanne", "last_name": "DUPONT", "function": "Professeure",
        "organisation": "Université", "email": "jeanne@example.org"}).status_code == 302
    db.session.expire_all()
    assert (person.function, person.email) == ("Professeure", "jeanne@example.org")
    assert organiser_client.get("/admin/personnes/999/modifier").status_code == 404


def test_names_shown_escaped_and_intact(organiser_client, irts):
    pause = next(s for s in irts.sessions if s.kind == "break")
    url = f"/admin/journees/{irts.id}/seances/{pause.id}/intervenants/creer"
    for first, last in ((HOSTILE, "=1+1"), ("Łukasz", "Ðorđević")):
        assert organiser_client.post(url, data={
            "nouvelle-first_name": first, "nouvelle-last_name": last,
            "nouvelle-organisation": "=HYPERLINK(\"x\")", "nouvelle-role": "speaker"}
        ).status_code == 302
    for page in (f"/admin/journees/{irts.id}/seances/{pause.id}/",
                 "/admin/personnes/?q=script", "/admin/personnes/?q=lukasz+dordevic"):
        html = organiser_client.get(page).get_data(as_text=True)
        assert HOSTILE not in html
        assert ("&lt;script&gt;alert(1)&lt;/script&gt; =1+1" in html) != ("lukasz" in page)
        assert ("Łukasz Ðorđević" in html) != ("script" in page)
    text = text_of(organiser_client.get(f"/admin/journees/{irts.id}/seances/{pause.id}/")
                   .get_data(as_text=True))
    assert f"{HOSTILE} =1+1, =HYPERLINK(\"x\")" in text
    # The flash message after adding is escaped as well.
    organiser_client.post(url, data={"nouvelle-first_name": HOSTILE,
                                     "nouvelle-role": "speaker"}, follow_redirects=False)
    html = organiser_client.get("/admin/").get_data(as_text=True)
    assert HOSTILE not in html and "&lt;script&gt;" in html


def test_a_new_person_stays_with_its_creator_until_placed(client, make_user, login, irts,
                                                         demo):
    """Created in the directory, a person is their creator's alone; once they take part
    in a day, that day's organisers see them and their creator no longer does, unless
    they organise it."""
    etsup = demo["travail-social-2-0-etsup-2018"]
    creator = make_user("a@example.org", events=[irts])
    organiser_b = make_user("b@example.org", events=[etsup])
    login(creator)
    assert client.post("/admin/personnes/nouvelle", data={
        "first_name": "Jeanne", "last_name": "DUPONT", "email": "jeanne@example.org"}
    ).status_code == 302
    jeanne = db.session.scalar(db.select(Person).filter_by(last_name="DUPONT"))
    assert jeanne.created_by_id == creator.id
    assert "Jeanne DUPONT" in text_of(client.get("/admin/personnes/?q=dupont")
                                      .get_data(as_text=True))
    client.post("/deconnexion")

    login(organiser_b)
    assert "Jeanne DUPONT" not in client.get("/admin/personnes/?q=dupont").get_data(
        as_text=True)
    assert client.get(f"/admin/personnes/{jeanne.id}/modifier").status_code == 404
    lunch = next(s for s in etsup.sessions if s.kind == "lunch")
    add = f"/admin/journees/{etsup.id}/seances/{lunch.id}/intervenants/ajouter"
    assert client.post(add, data={"existante-person_id": str(jeanne.id),
                                  "existante-role": "speaker"}).status_code == 404
    assert not db.session.scalar(db.select(Participation).filter_by(person_id=jeanne.id))
    client.post("/deconnexion")

    # An administrator puts her on the ETSUP day: she is now that day's.
    login(make_user("admin@example.org", admin=True))
    assert client.post(add, data={"existante-person_id": str(jeanne.id),
                                  "existante-role": "speaker"}).status_code == 302
    client.post("/deconnexion")
    login(creator)
    assert client.get(f"/admin/personnes/{jeanne.id}/modifier").status_code == 404
    client.post("/deconnexion")
    login(organiser_b)
    assert "jeanne@example.org" in client.get(f"/admin/personnes/{jeanne.id}/modifier") \
        .get_data(as_text=True)


def test_people_created_in_a_session_belong_to_their_creator(organiser_client, irts):
    pause = next(s for s in irts.sessions if s.kind == "break")
    assert organiser_client.post(
        f"/admin/journees/{irts.id}/seances/{pause.id}/intervenants/creer",
        data={"nouvelle-first_name": "Paul", "nouvelle-last_name": "ESTÈVE",
              "nouvelle-role": "speaker"}).status_code == 302
    person = db.session.scalar(db.select(Person).filter_by(last_name="ESTÈVE"))
    organiser = db.session.scalar(db.select(User).filter_by(email="organisatrice@example.org"))
    assert person.created_by_id == organiser.id


def test_an_email_is_changed_only_by_who_organises_all_the_days(client, make_user, login,
                                                                irts, demo):
    """The address is where facilitator links go: an organiser of one of the days cannot
    redirect them; one who organises every day can, and the change is logged."""
    etsup = demo["travail-social-2-0-etsup-2018"]
    shared = Person(first_name="Claire", last_name="MOREAU", email="claire@example.org")
    for event in (irts, etsup):
        lunch = next(s for s in event.sessions if s.kind == "lunch")
        lunch.participations.append(Participation(person=shared, role=Role.SPEAKER))
    db.session.commit()
    url = f"/admin/personnes/{shared.id}/modifier"
    typed = {"first_name": "Claire", "last_name": "MOREAU", "function": "Sociologue",
             "organisation": "", "email": "ailleurs@example.org"}

    login(make_user("a@example.org", events=[irts]))
    html = client.get(url).get_data(as_text=True)
    assert "seul·e un·e administrateur·rice peut changer son adresse e-mail" in text_of(html)
    response = client.post(url, data=typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'id="email-erreur">Vous ne pouvez pas changer l’adresse e-mail de '
                     r'cette personne\xa0: elle intervient aussi dans une journée que vous '
                     r'n’organisez pas\.', html)
    assert 'value="ailleurs@example.org"' in html and 'value="Sociologue"' in html
    db.session.expire_all()
    assert (shared.email, shared.function) == ("claire@example.org", "")
    # The rest of the card stays editable.
    assert client.post(url, data={**typed, "email": "claire@example.org"}).status_code == 302
    db.session.expire_all()
    assert (shared.email, shared.function) == ("claire@example.org", "Sociologue")
    assert db.session.scalar(db.select(db.func.count(AuditEntry.id))) == 0
    client.post("/deconnexion")

    login(make_user("ab@example.org", events=[irts, etsup]))
    assert client.post(url, data=typed).status_code == 302
    db.session.expire_all()
    assert shared.email == "ailleurs@example.org"
    entries = db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.event_id)).all()
    assert [(e.action, e.event_id, e.actor, e.target) for e in entries] == [
        ("organiser.change_person_email", event.id, "Organisateur·rice ab@example.org",
         f"Claire MOREAU (fiche n°\u00a0{shared.id})") for event in (irts, etsup)]
    journal = text_of(client.get(f"/admin/journees/{etsup.id}/journal")
                      .get_data(as_text=True))
    assert "Changement de l’adresse e-mail d’un·e intervenant·e" in journal
    assert "ailleurs@example.org" not in journal and "claire@example.org" not in journal
