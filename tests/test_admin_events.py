"""Creating, editing, publishing and duplicating days through the organiser's space."""

from datetime import date

from support.pages import csrf_token_from, text_of

from journee.extensions import db
from journee.programme.models import (
    Event,
    EventMembership,
    EventStatus,
    Participation,
    Person,
    WorkshopMode,
)


def event_form(**overrides):
    data = {
        "title": "Le pouvoir d’agir : « et maintenant ? »", "edition": "Journée 2026",
        "slug": "", "starts_on": "2026-03-12", "ends_on": "2026-03-12",
        "venue_name": "IRTS-IDS Normandie", "venue_city": "Canteleu",
        "contact_email": "contact@irts.example", "registration_opens_on": "2026-01-05",
        "registration_deadline": "2026-03-01", "capacity": "200", "waitlist_enabled": "non",
        "workshop_mode": "first_come", "workshop_choices": "4", "retention_days": "60",
        "accommodation_retention_days": "3",
        "presentation": "Une **journée**.",
    }
    data.update(overrides)
    return data


def count(model):
    return db.session.scalar(db.select(db.func.count(model.id)))


def test_create_event_makes_creator_member(make_user, login):
    user = make_user(may_create_events=True)
    client = login(user)
    page = client.get("/admin/").get_data(as_text=True)
    assert "Créer une journée" in page
    form = client.get("/admin/journees/nouvelle")
    assert form.status_code == 200 and 'type="date"' in form.get_data(as_text=True)

    response = client.post("/admin/journees/nouvelle", data=event_form())
    assert response.status_code == 302
    event = db.session.scalar(db.select(Event))
    assert event.slug == "le-pouvoir-d-agir-et-maintenant"
    assert event.status == EventStatus.DRAFT
    assert event.waitlist_enabled is False and event.workshop_mode == WorkshopMode.FIRST_COME
    assert (event.workshop_choices, event.retention_days, event.capacity) == (4, 60, 200)
    assert event.accommodation_retention_days == 3
    assert [m.user_id for m in event.memberships] == [user.id]
    assert response.headers["Location"] == f"/admin/journees/{event.id}/"

    index = text_of(client.get("/admin/").get_data(as_text=True))
    assert "Le pouvoir d’agir : « et maintenant ? »" in index
    assert "jeudi 12 mars 2026" in index and "Brouillon" in index


def test_create_event_errors_keep_input(make_user, login):
    client = login(make_user(may_create_events=True))
    response = client.post("/admin/journees/nouvelle", data=event_form(
        ends_on="2026-03-11", registration_deadline="2026-03-20",
        contact_email="pas-une-adresse", venue_name="Lieu « gardé »"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = text_of(html)
    assert "La date de fin doit être le jour du début ou un jour suivant." in text
    assert "Saisissez une adresse e-mail valide" in text
    assert 'class="error-summary"' in html and 'href="#ends_on"' in html
    assert 'id="ends_on-erreur"' in html
    assert 'value="Lieu « gardé »"' in html and 'value="pas-une-adresse"' in html
    assert count(Event) == 0


def test_deadline_and_opening_rules_through_the_form(make_user, login):
    client = login(make_user(may_create_events=True))
    text = text_of(client.post("/admin/journees/nouvelle", data=event_form(
        registration_deadline="2026-03-13")).get_data(as_text=True))
    assert "au plus tard le dernier jour" in text
    text = text_of(client.post("/admin/journees/nouvelle", data=event_form(
        registration_opens_on="2026-03-05")).get_data(as_text=True))
    assert "L’ouverture des inscriptions doit précéder la date limite" in text
    text = text_of(client.post("/admin/journees/nouvelle", data=event_form(
        workshop_choices="11", title="")).get_data(as_text=True))
    assert "Le nombre de vœux doit être compris entre 1 et 10." in text
    assert "Indiquez le titre de la journée." in text
    assert count(Event) == 0
    assert client.post("/admin/journees/nouvelle", data=event_form(
        registration_deadline="2026-03-12")).status_code == 302


def test_slug_must_be_unique_and_clean(organiser_client, irts):
    text = text_of(organiser_client.post("/admin/journees/nouvelle", data=event_form(
        slug=irts.slug)).get_data(as_text=True))
    assert "Cette adresse courte est déjà utilisée" in text
    text = text_of(organiser_client.post("/admin/journees/nouvelle", data=event_form(
        slug="Avec Espaces")).get_data(as_text=True))
    assert "lettres minuscules sans accent" in text
    assert organiser_client.post("/admin/journees/nouvelle",
                                 data=event_form(slug="journee-2026")).status_code == 302
    assert db.session.scalar(db.select(Event).filter_by(slug="journee-2026"))


def test_edit_event(organiser_client, irts):
    form = organiser_client.get(f"/admin/journees/{irts.id}/modifier").get_data(as_text=True)
    assert f'value="{irts.slug}"' in form and 'value="2018-03-15"' in form
    response = organiser_client.post(f"/admin/journees/{irts.id}/modifier", data=event_form(
        title="Nouveau titre", slug="", starts_on="2018-03-15", ends_on="2018-03-16",
        registration_opens_on="", registration_deadline="2018-03-01"))
    assert response.status_code == 302
    db.session.expire_all()
    assert irts.title == "Nouveau titre" and irts.slug == "travail-social-epreuve-numerique-2018"
    assert irts.ends_on == date(2018, 3, 16) and irts.registration_opens_on is None


def test_publish_unpublish_archive(organiser_client, irts):
    url = f"/admin/journees/{irts.id}"
    assert organiser_client.post(f"{url}/depublier").status_code == 302
    db.session.expire_all()
    assert irts.status == EventStatus.DRAFT
    assert organiser_client.get(f"/e/{irts.slug}/").status_code == 200  # staff still see it
    page = text_of(organiser_client.get(f"{url}/").get_data(as_text=True))
    assert "Vérifier et publier" in page and "Brouillon" in page
    organiser_client.post(f"{url}/publier", data={"confirm": "y"})
    db.session.expire_all()
    assert irts.status == EventStatus.PUBLISHED
    organiser_client.post(f"{url}/archiver")
    db.session.expire_all()
    assert irts.status == EventStatus.ARCHIVED
    assert organiser_client.get(f"{url}/archiver").status_code == 405


def test_duplicate_through_the_form(organiser_client, irts):
    people = count(Person)
    participations = sum(len(s.participations) for s in irts.sessions)
    page = organiser_client.get(f"/admin/journees/{irts.id}/dupliquer")
    assert "Nouvelle date de début" in page.get_data(as_text=True)
    response = organiser_client.post(f"/admin/journees/{irts.id}/dupliquer", data={
        "starts_on": "2019-03-14", "title": "", "slug": ""})
    assert response.status_code == 302
    copy = db.session.scalar(db.select(Event).where(Event.id != irts.id,
                                                    Event.title == irts.title))
    assert copy.status == EventStatus.DRAFT and copy.slug != irts.slug
    assert copy.starts_on == date(2019, 3, 14)
    assert copy.registration_deadline == date(2019, 2, 28)
    assert len(copy.sessions) == len(irts.sessions)
    assert [s.starts_at.time() for s in copy.sessions] == [s.starts_at.time()
                                                            for s in irts.sessions]
    assert sum(len(s.workshops) for s in copy.sessions) == 6
    assert count(Person) == people
    assert sum(len(s.participations) for s in copy.sessions) == participations
    assert count(Participation) == 70 + participations  # both demo days, then the copy
    assert {s.uid for s in copy.sessions}.isdisjoint({s.uid for s in irts.sessions})
    assert db.session.scalar(db.select(EventMembership).filter_by(event_id=copy.id))


def test_duplicate_needs_a_date(organiser_client, irts):
    response = organiser_client.post(f"/admin/journees/{irts.id}/dupliquer",
                                     data={"starts_on": "", "slug": irts.slug})
    assert "Indiquez la date de la nouvelle journée." in text_of(response.get_data(as_text=True))
    response = organiser_client.post(f"/admin/journees/{irts.id}/dupliquer",
                                     data={"starts_on": "2019-03-14", "slug": irts.slug})
    assert "déjà utilisée" in text_of(response.get_data(as_text=True))
    assert count(Event) == 2  # the two demo days only


def test_csrf_required_on_every_post(csrf_app):
    from journee.auth.models import User

    user = User(email="organisatrice@example.org", may_create_events=True)
    user.set_password("mot-de-passe-solide")
    db.session.add(user)
    db.session.commit()
    client = csrf_app.test_client()
    login_page = client.get("/connexion").get_data(as_text=True)
    response = client.post("/connexion", data={
        "email": "organisatrice@example.org", "password": "mot-de-passe-solide",
        "csrf_token": csrf_token_from(login_page)})
    assert response.status_code == 302

    assert client.post("/admin/journees/nouvelle", data=event_form()).status_code == 400
    assert count(Event) == 0
    token = csrf_token_from(client.get("/admin/journees/nouvelle").get_data(as_text=True))
    response = client.post("/admin/journees/nouvelle", data=event_form(csrf_token=token))
    assert response.status_code == 302
    event = db.session.scalar(db.select(Event))

    # The small button forms carry a token too.
    page = client.get(f"/admin/journees/{event.id}/").get_data(as_text=True)
    assert client.post(f"/admin/journees/{event.id}/archiver").status_code == 400
    db.session.expire_all()
    assert event.status == EventStatus.DRAFT
    assert client.post(f"/admin/journees/{event.id}/archiver",
                       data={"csrf_token": csrf_token_from(page)}).status_code == 302
    db.session.expire_all()
    assert event.status == EventStatus.ARCHIVED


def range_message() -> str:
    from journee.formatting import format_date
    from journee.util.clock import today_in

    last = date(today_in().year + 10, 12, 31)
    return ("Saisissez une date entre le 1er\u00a0janvier 2000 et le "
            f"{format_date(last, weekday=False)}.")


def test_event_dates_stay_within_a_sensible_range(make_user, login):
    """A date such as 9999-12-31 broke the day's pages and stopped every purge."""
    from support.registration import field_error

    client = login(make_user(may_create_events=True))
    response = client.post("/admin/journees/nouvelle", data=event_form(
        starts_on="9999-12-31", ends_on="9999-12-31", registration_opens_on="1999-12-31",
        registration_deadline="2026-03-01"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for field in ("starts_on", "ends_on", "registration_opens_on"):
        assert field_error(html, field) == range_message(), field
    assert 'value="9999-12-31"' in html and 'value="1999-12-31"' in html
    assert count(Event) == 0

    assert client.post("/admin/journees/nouvelle", data=event_form(
        starts_on="2000-01-01", ends_on="2000-01-01", registration_opens_on="",
        registration_deadline="")).status_code == 302


def test_an_edit_to_a_date_out_of_range_is_refused(organiser_client, irts):
    from support.registration import field_error

    response = organiser_client.post(f"/admin/journees/{irts.id}/modifier", data=event_form(
        starts_on="2018-03-15", ends_on="2018-03-15", registration_opens_on="",
        registration_deadline="1999-12-31"))
    assert field_error(response.get_data(as_text=True),
                       "registration_deadline") == range_message()
    db.session.expire_all()
    assert irts.registration_deadline == date(2018, 3, 1)


def test_a_duplicate_stays_within_the_range(organiser_client, irts):
    from support.registration import field_error

    url = f"/admin/journees/{irts.id}/dupliquer"
    response = organiser_client.post(url, data={"starts_on": "9999-12-31"})
    assert field_error(response.get_data(as_text=True), "starts_on") == range_message()
    # A day saved with an end far away (before dates were checked): its copy would end
    # past the range, and past what Python's dates can hold.
    db.session.execute(db.update(Event).where(Event.id == irts.id).values(
        ends_on=date(9999, 12, 31)))
    db.session.commit()
    response = organiser_client.post(url, data={"starts_on": "2030-03-14"})
    assert field_error(response.get_data(as_text=True), "starts_on").startswith(
        "Les autres dates de la journée (fin, ouverture et clôture des inscriptions), "
        "décalées d’autant, ne seraient plus entre le 1er\u00a0janvier 2000 et le ")
    assert count(Event) == 2


def test_a_typed_title_is_kept_in_french_typography(organiser_client, irts):
    """A title shows in page titles, subjects, PDFs and sheets: it is stored set right."""
    response = organiser_client.post(f"/admin/journees/{irts.id}/modifier", data=event_form(
        title="L'aller-vers : « et maintenant ? » <script>x</script>", slug="",
        edition="Journée d'étude 2018", starts_on="2018-03-15", ends_on="2018-03-15",
        registration_opens_on="", registration_deadline="2018-03-01"))
    assert response.status_code == 302
    db.session.expire_all()
    assert irts.title == ("L’aller-vers\u202f: «\u202fet maintenant\u202f?\u202f» "
                          "<script>x</script>")
    assert irts.edition == "Journée d’étude 2018"
