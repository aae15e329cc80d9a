"""The people directory: search, pages, forms, and names shown exactly as typed."""

from conftest import text_of
from journee.extensions import db
from journee.programme.models import Person

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
    total = db.session.scalar(db.select(db.func.count(Person.id)))
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
