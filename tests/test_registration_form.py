"""The registration form: what it asks, what it stores, how it refuses bad input."""

import re

import pytest
from support.pages import csrf_token_from, text_of
from support.registration import (
    DONE_URL,
    FORM_URL,
    OPEN_DAY,
    field_error,
    input_value,
    register,
    registration_by_email,
    registration_count,
    self_service_links,
    sent_to,
    slot_of,
    summary_links,
    valid_data,
)

from journee.extensions import db
from journee.programme.models import Session, SessionKind, Workshop
from journee.registration.models import Profile, RegistrationStatus, Source

#: Today is 1 February 2018 for the registration views (``registration_open``).
pytestmark = pytest.mark.usefixtures("registration_open")


def test_form_is_linked_from_the_event_page(client, irts, monkeypatch):
    monkeypatch.setattr("journee.programme.views.today_in", lambda timezone=None: OPEN_DAY)
    html = client.get("/e/travail-social-epreuve-numerique-2018/").get_data(as_text=True)
    assert f'href="{FORM_URL}"' in html
    assert "S’inscrire" in html


def test_form_fields_are_labelled_grouped_and_autocompleted(client, irts):
    response = client.get(FORM_URL)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for name, token in (("first_name", "given-name"), ("last_name", "family-name"),
                        ("email", "email"), ("phone", "tel"),
                        ("organisation", "organization"), ("function", "organization-title")):
        assert re.search(rf'<input[^>]*autocomplete="{token}"[^>]*name="{name}"', html), name
        assert f'<label for="{name}">' in html
    # Every group of radios is a fieldset with its legend.
    for group in ("profile", "lunch"):
        assert re.search(rf'<fieldset[^>]*id="{group}"[^>]*>\s*<legend>', html), group
    slot = slot_of(irts)
    assert re.search(rf'<fieldset class="field slot" id="creneau-{slot.id}">\s*'
                     r'<legend>Ateliers, 10\u00a0h\u00a045 – 12\u00a0h\u00a030</legend>', html)
    text = text_of(html)
    assert "1er choix" in text and "2e choix" in text and "3e choix" in text
    assert "Déjeunerez-vous sur place ?" in text
    # The optional questions this event does not ask are left out.
    assert 'name="accommodation_needed"' not in html
    assert 'name="consent_photos"' not in html
    assert 'name="consent_future_events"' in html
    # The honeypot is out of reach of people, keyboards and screen readers.
    assert re.search(r'<div class="visually-hidden" aria-hidden="true">\s*<label for="website">'
                     r'[^<]*</label>\s*<input autocomplete="off" id="website" name="website" '
                     r'tabindex="-1"', html)


def test_privacy_notice_says_who_why_who_sees_how_long_and_rights(client, irts):
    text = text_of(client.get(FORM_URL).get_data(as_text=True))
    assert "En bref : vos réponses servent uniquement à organiser cette journée." in text
    assert "IRTS-IDS Normandie et son Réseau de Partenaires" in text
    assert "ne voient que vos nom, prénom, établissement, fonction et profil" in text
    assert "90 jours après la journée, soit jusqu’au 13 juin 2018" in text
    assert ("Un besoin d’aménagement, sa précision et votre accord sont supprimés 7 jours "
            "après la journée") in text
    assert "accord explicite, donné par la case prévue (article 9.2.a du RGPD)" in text
    assert "claire.lagu@irtsnormandie.ids.fr" in text
    assert "CNIL" in text
    assert "article 6.1.b du RGPD" in text and "Tout le reste est facultatif" in text
    assert "J’ai pris connaissance de ces informations" in text


def test_privacy_notice_names_the_institute_set_by_an_administrator(
        client, irts, make_user, login):
    admin = login(make_user("admin@example.org", admin=True))
    response = admin.post("/admin/donnees-personnelles", data={
        "controller": "Association IRTS-IDS Normandie", "address": "11 rue Guillaume Lecointe, Caen",
        "dpo_contact": "dpo@irtsnormandie.example", "extra": "Hébergement **en France**."})
    assert response.status_code == 302
    bad = admin.post("/admin/donnees-personnelles", data={"controller": "Garde ce texte",
                                                          "dpo_contact": "pas une adresse"})
    assert "Cette adresse e-mail n’est pas valide." in text_of(bad.get_data(as_text=True))
    assert 'value="Garde ce texte"' in bad.get_data(as_text=True)
    admin.post("/deconnexion")
    html = client.get(FORM_URL).get_data(as_text=True)
    text = text_of(html)
    assert "Association IRTS-IDS Normandie, 11 rue Guillaume Lecointe, Caen" in text
    assert "dpo@irtsnormandie.example" in text and "<strong>en France</strong>" in html


def test_only_administrators_edit_the_privacy_information(make_user, login, irts):
    client = login(make_user(events=[irts]))
    assert client.get("/admin/donnees-personnelles").status_code == 403


def test_happy_path_stores_exactly_what_was_typed(client, irts):
    slot = slot_of(irts)
    workshops = slot.workshops
    response = register(client, irts, email="  Zoe.Martin@Example.ORG ")
    assert response.status_code == 302
    registration = registration_by_email("zoe.martin@example.org")
    assert response.headers["Location"] == DONE_URL
    assert registration.status == RegistrationStatus.CONFIRMED
    assert (registration.first_name, registration.last_name) == ("Zoé", "Martin")
    assert registration.phone == "06 12 34 56 78"
    assert registration.organisation == "IRTS-IDS Normandie"
    assert registration.function == "Étudiante éducatrice spécialisée"
    assert registration.profile == Profile.STUDENT
    assert (registration.course, registration.course_year) == ("ES", 2)
    assert registration.sector == "Protection de l’enfance"
    assert registration.lunch is True
    assert registration.accommodation_needed is False
    assert registration.accommodation_details is None
    assert registration.consent_future_events is True
    assert registration.consent_photos is False
    assert registration.privacy_acknowledged_at is not None
    assert registration.privacy_version
    assert registration.source == Source.ONLINE
    assert [(c.session_id, c.rank, c.workshop_id) for c in registration.choices] == [
        (slot.id, 1, workshops[2].id), (slot.id, 2, workshops[0].id),
        (slot.id, 3, workshops[4].id)]


def test_after_registering_a_page_says_the_e_mail_is_sent_and_the_e_mail_has_the_link(
        client, irts):
    response = register(client, irts)
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    text = text_of(page.get_data(as_text=True))
    assert "Demande d’inscription reçue" in text
    assert ("Un e-mail vous est envoyé à l’adresse que vous avez indiquée. Il confirme "
            "votre inscription") in text
    assert "regardez aussi dans vos courriers indésirables" in text
    assert f'href="{FORM_URL}/lien"' in page.get_data(as_text=True)
    assert "Zoé" not in text and "zoe.martin" not in text  # nothing about the person
    [confirmation] = sent_to("zoe.martin@example.org", "confirmation")
    assert confirmation["Subject"].startswith("Inscription confirmée")
    registration = registration_by_email("zoe.martin@example.org")
    assert self_service_links(confirmation) == [f"/r/{registration.token}"]
    own_page = client.get(f"/r/{registration.token}")
    assert own_page.headers["Cache-Control"] == "no-store"
    assert "Confirmée" in text_of(own_page.get_data(as_text=True))


def test_confirmation_e_mail_is_queued_with_the_registration(client, irts):
    from journee.mail_models import OutboxMessage

    register(client, irts)
    messages = db.session.scalars(db.select(OutboxMessage)).all()
    assert [m.to_address for m in messages] == ["zoe.martin@example.org"]
    assert messages[0].kind == "confirmation"


def test_optional_questions_when_the_event_asks_them(client, irts):
    irts.ask_accommodation = True
    irts.ask_photo_consent = True
    irts.ask_lunch = False
    db.session.commit()
    html = client.get(FORM_URL).get_data(as_text=True)
    assert "Avez-vous besoin d’un aménagement ? (nous vous contacterons)" in text_of(html)
    assert ("Seuls l’équipe organisatrice et le ou la référent·e handicap lisent cette "
            "précision ; elle est supprimée après la journée.") in text_of(html)
    assert 'name="lunch"' not in html
    response = register(client, irts, lunch=None, accommodation_needed="oui",
                        accommodation_details="Fauteuil roulant, place près de la porte",
                        accommodation_consent="y", consent_photos="y")
    assert response.status_code == 302
    registration = registration_by_email("zoe.martin@example.org")
    assert registration.lunch is None
    assert registration.accommodation_needed is True
    assert registration.accommodation_details == "Fauteuil roulant, place près de la porte"
    assert registration.consent_photos is True


def test_accommodation_details_without_yes_is_questioned(client, irts):
    irts.ask_accommodation = True
    db.session.commit()
    response = register(client, irts, accommodation_needed="non",
                        accommodation_details="Interprète LSF")
    html = response.get_data(as_text=True)
    assert "répondez «\u202fOui\u202f»" in field_error(html, "accommodation_details")
    assert registration_count() == 0
    assert "Interprète LSF" in html


def test_non_students_need_no_course_and_do_not_store_one(client, irts):
    register(client, irts, profile="professional", course="ES", course_year="2")
    registration = registration_by_email("zoe.martin@example.org")
    assert registration.profile == Profile.PROFESSIONAL
    assert (registration.course, registration.course_year) == (None, None)


def test_other_sector_in_free_text(client, irts):
    register(client, irts, sector="Autre", sector_other="Santé mentale")
    assert registration_by_email("zoe.martin@example.org").sector == "Santé mentale"


def test_later_choices_are_optional_and_blank_ranks_are_skipped(client, irts):
    slot = slot_of(irts)
    register(client, irts, **{f"atelier_{slot.id}_2": ""})
    registration = registration_by_email("zoe.martin@example.org")
    assert [(c.rank, c.workshop_id) for c in registration.choices] == [
        (1, slot.workshops[2].id), (2, slot.workshops[4].id)]


@pytest.mark.parametrize("overrides, field, message", [
    ({"first_name": ""}, "first_name", "Indiquez votre prénom."),
    ({"last_name": "   "}, "last_name", "Indiquez votre nom."),
    ({"email": ""}, "email", "Indiquez votre adresse e-mail."),
    ({"email": "zoe.martin@"}, "email",
     "Saisissez une adresse e-mail valide, par exemple prenom.nom@exemple.fr."),
    ({"phone": "appelez-moi"}, "phone",
     "Saisissez un numéro de téléphone, par exemple 06 12 34 56 78."),
    ({"organisation": ""}, "organisation", "Indiquez votre établissement, service ou école."),
    ({"profile": None}, "profile", "Indiquez votre profil."),
    ({"profile": "astronaut"}, "profile", "Choisissez une des options proposées."),
    ({"course": ""}, "course", "Indiquez votre formation."),
    ({"course_year": ""}, "course_year", "Indiquez votre année de formation."),
    ({"course_year": "9"}, "course_year", "Choisissez une des options proposées."),
    ({"sector": "Astronautique"}, "sector", "Choisissez une des options proposées."),
    ({"lunch": None}, "lunch", "Indiquez si vous déjeunerez sur place."),
    ({"privacy": None}, "privacy",
     "Cochez cette case pour confirmer que vous avez pris connaissance de l’information "
     "sur vos données."),
    ({"first_name": "Z" * 101}, "first_name", "Saisissez 100\u202fcaractères au maximum."),
    ({"organisation": "O" * 201}, "organisation", "Saisissez 200\u202fcaractères au maximum."),
    ({"email": "a" * 250 + "@example.org"}, "email",
     "Saisissez 254\u202fcaractères au maximum."),
    ({"first_name": "Zo\x07é"}, "first_name", "Ce champ contient des caractères non autorisés."),
    ({"first_name": "Zo\u2028é"}, "first_name",
     "Ce champ tient sur une ligne\u202f: retirez les retours à la ligne."),
])
def test_each_rule_shows_its_message_next_to_the_field_and_in_the_summary(
        client, irts, overrides, field, message):
    response = register(client, irts, **overrides)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in field_error(html, field)
    radio = field in ("profile", "lunch")
    target = f"{field}-0" if radio else field
    spaced = message.replace("\u202f", " ")
    assert any(link == target and spaced in text for link, text in summary_links(html))
    assert registration_count() == 0
    # What was typed is kept.
    if field != "last_name":
        assert input_value(html, "last_name") == "Martin"
    if field != "organisation":
        assert input_value(html, "organisation") == "IRTS-IDS Normandie"
    if "email" not in overrides:
        assert input_value(html, "email") == "zoe.martin@example.org"
    if "first_name" in overrides and overrides["first_name"].strip():
        assert input_value(html, "first_name") == overrides["first_name"]


def test_student_without_course_keeps_the_rest_of_the_answer(client, irts):
    slot = slot_of(irts)
    html = register(client, irts, course="").get_data(as_text=True)
    assert 'value="student" checked' in html or 'checked id="profile-0"' in html
    assert re.search(rf'<option selected value="{slot.workshops[2].id}">', html)
    assert '<option selected value="2">2e année</option>' in html
    assert re.search(r'<input checked id="lunch-0"', html)


def test_first_choice_is_required(client, irts):
    slot = slot_of(irts)
    html = register(client, irts, **{f"atelier_{slot.id}_1": ""}).get_data(as_text=True)
    assert field_error(html, f"atelier_{slot.id}_1") == "Indiquez au moins votre 1er\u202fchoix."
    assert ("atelier_%d_1" % slot.id, "Ateliers, 10 h 45 – 12 h 30 – 1er choix : "
            "Indiquez au moins votre 1er choix.") in summary_links(html)
    assert registration_count() == 0


def test_same_workshop_twice_is_refused(client, irts):
    slot = slot_of(irts)
    same = str(slot.workshops[2].id)
    html = register(client, irts, **{f"atelier_{slot.id}_3": same}).get_data(as_text=True)
    assert field_error(html, f"atelier_{slot.id}_3") == \
        "Vous avez déjà choisi cet atelier en 1er\u00a0choix."
    assert registration_count() == 0


def _second_slot(event):
    first = slot_of(event)
    slot = Session(kind=SessionKind.WORKSHOPS, starts_at=first.starts_at.replace(hour=14),
                   ends_at=first.starts_at.replace(hour=16), position=99)
    event.sessions.append(slot)
    slot.workshops.extend([Workshop(number=7, title="Numérique et jeunesse"),
                           Workshop(number=8, title="Numérique et vieillesse")])
    db.session.commit()
    return slot


def test_workshop_from_another_slot_is_a_field_error(client, irts):
    other = _second_slot(irts)
    slot = slot_of(irts)
    html = register(client, irts, **{
        f"atelier_{slot.id}_2": str(other.workshops[0].id),
        f"atelier_{other.id}_1": str(other.workshops[1].id)}).get_data(as_text=True)
    assert field_error(html, f"atelier_{slot.id}_2") == "Choisissez une des options proposées."
    assert registration_count() == 0


def test_workshop_from_another_event_or_not_a_number_is_a_field_error(client, demo, irts):
    slot = slot_of(irts)
    for forged in ("999999", "abc", "1 OR 1=1"):
        response = register(client, irts, **{f"atelier_{slot.id}_1": forged})
        assert response.status_code == 200
        assert field_error(response.get_data(as_text=True), f"atelier_{slot.id}_1") == \
            "Choisissez une des options proposées."
    assert registration_count() == 0


def test_second_slot_ranks_its_own_workshops(client, irts):
    other = _second_slot(irts)
    html = client.get(FORM_URL).get_data(as_text=True)
    # Two workshops in that slot: two ranks, not three.
    assert f'name="atelier_{other.id}_2"' in html
    assert f'name="atelier_{other.id}_3"' not in html
    response = register(client, irts, **{f"atelier_{other.id}_1": str(other.workshops[1].id)})
    assert response.status_code == 302, text_of(response.get_data(as_text=True))
    registration = registration_by_email("zoe.martin@example.org")
    assert [(c.session_id, c.rank, c.workshop_id) for c in registration.choices
            if c.session_id == other.id] == [(other.id, 1, other.workshops[1].id)]


@pytest.mark.parametrize("first, last", [
    ("Zoé", "d’Arc-Lévy"), ("Łukasz", "Ðorđević"), ("李", "雷"),
    ("<script>alert(1)</script>", "=1+1"),
])
def test_names_are_stored_exactly_and_escaped_in_pages(client, irts, first, last):
    response = register(client, irts, first_name=first, last_name=last)
    assert response.status_code == 302
    registration = registration_by_email("zoe.martin@example.org")
    assert (registration.first_name, registration.last_name) == (first, last)
    html = client.get(f"/r/{registration.token}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert f"{first} {last}" in text_of(html)


def test_escaped_when_the_form_is_shown_again(client, irts):
    html = register(client, irts, first_name="<script>alert(1)</script>",
                    email="pas-une-adresse").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert input_value(html, "first_name") == "<script>alert(1)</script>"


def test_honeypot_pretends_success_and_writes_nothing(client, irts):
    response = register(client, irts, website="http://spam.example")
    assert response.status_code == 302
    assert response.headers["Location"] == DONE_URL  # as any registration
    assert registration_count() == 0


def test_csrf_token_is_required(csrf_app):
    from journee.demo import load_demo

    irts = load_demo(original_dates=True)[0]
    db.session.commit()
    client = csrf_app.test_client()
    response = client.post(FORM_URL, data=valid_data(irts))
    assert response.status_code == 400
    assert registration_count() == 0
    token = csrf_token_from(client.get(FORM_URL).get_data(as_text=True))
    response = client.post(FORM_URL, data=valid_data(irts, csrf_token=token))
    assert response.status_code == 302
    assert registration_count() == 1


def test_draft_event_is_not_open_for_registration(client, irts):
    from journee.programme.models import EventStatus

    irts.status = EventStatus.DRAFT
    db.session.commit()
    assert client.get(FORM_URL).status_code == 404
