"""Accessibility conditions of the venue and the disability referent (Qualiopi
indicators 1 and 26): set by the organiser, published on the event page, in the
confirmation e-mail and the programme."""

import re
from datetime import date

from support.pages import text_of

from journee.extensions import db
from journee.programme.forms import french_phone


def ticked(html: str) -> list[str]:
    return [re.search(r'value="([^"]+)"', tag).group(1)
            for tag in re.findall(r'<input[^>]*name="accessibility_features"[^>]*>', html)
            if " checked" in tag]


def accessibility_form(**overrides):
    data = {
        "title": "Le travail social à l’épreuve du numérique", "edition": "Journée 2018",
        "slug": "", "starts_on": "2018-03-15", "ends_on": "2018-03-15",
        "venue_name": "IRTS-IDS Normandie", "venue_city": "Canteleu",
        "registration_deadline": "2018-03-01", "waitlist_enabled": "oui",
        "workshop_mode": "preferences", "workshop_choices": "3", "retention_days": "90",
        "accessibility_features": ["step_free", "hearing_loop"],
        "accessibility_notes": "Salle au 1er étage, ascenseur côté parking.",
        "referent_name": "Zoé N’Diaye", "referent_email": "Referente@IRTS.example",
        "referent_phone": "+33 2 35 12 34 56", "ask_accommodation": "y",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_the_organiser_sets_the_accessibility_block(organiser_client, irts):
    page = organiser_client.get(f"/admin/journees/{irts.id}/modifier").get_data(as_text=True)
    assert "<legend>Accessibilité</legend>" in page
    assert "Référent·e handicap" in page
    response = organiser_client.post(f"/admin/journees/{irts.id}/modifier",
                                     data=accessibility_form())
    assert response.status_code == 302
    db.session.expire_all()
    assert irts.accessibility_features == "step_free,hearing_loop"
    assert irts.accessibility_labels == ["Accès de plain-pied ou par ascenseur",
                                         "Boucle à induction magnétique"]
    assert irts.accessibility_notes == "Salle au 1er étage, ascenseur côté parking."
    assert (irts.referent_name, irts.referent_email, irts.referent_phone) == (
        "Zoé N’Diaye", "referente@irts.example", "02 35 12 34 56")
    assert irts.ask_accommodation is True
    # Shown again as saved.
    page = organiser_client.get(f"/admin/journees/{irts.id}/modifier").get_data(as_text=True)
    assert ticked(page) == ["step_free", "hearing_loop"]
    assert 'value="02 35 12 34 56"' in page


def test_wrong_referent_contact_is_refused_and_input_kept(organiser_client, irts):
    response = organiser_client.post(f"/admin/journees/{irts.id}/modifier", data=accessibility_form(
        referent_email="pas-une-adresse", referent_phone="12345",
        accessibility_notes="<script>alert(1)</script>"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = text_of(html)
    assert "Le formulaire contient 2 erreurs" in text
    assert "Saisissez une adresse e-mail valide" in text
    assert "Saisissez un numéro de téléphone français à dix chiffres" in text
    assert 'value="pas-une-adresse"' in html and 'value="12345"' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    assert ticked(html) == ["step_free", "hearing_loop"]
    db.session.expire_all()
    assert irts.referent_email == "" and irts.accessibility_features == ""


def test_a_referent_needs_a_name_and_a_way_to_reach_them(organiser_client, irts):
    response = organiser_client.post(f"/admin/journees/{irts.id}/modifier", data=accessibility_form(
        referent_name="", referent_phone=""))
    assert "Indiquez le nom du ou de la référent·e handicap." in text_of(
        response.get_data(as_text=True))
    response = organiser_client.post(f"/admin/journees/{irts.id}/modifier", data=accessibility_form(
        referent_email="", referent_phone=""))
    assert "Indiquez une adresse e-mail ou un téléphone" in text_of(
        response.get_data(as_text=True))
    response = organiser_client.post(f"/admin/journees/{irts.id}/modifier", data=accessibility_form(
        accessibility_features=["teleportation"]))
    assert response.status_code == 200
    db.session.expire_all()
    assert irts.referent_name == ""


def test_french_phone_numbers():
    assert french_phone("0235123456") == "02 35 12 34 56"
    assert french_phone("02.35.12.34.56") == "02 35 12 34 56"
    assert french_phone("+33 6 12 34 56 78") == "06 12 34 56 78"
    assert french_phone("0033612345678") == "06 12 34 56 78"
    assert french_phone("00 35 12 34 56") is None
    assert french_phone("+44 20 7946 0958") is None
    assert french_phone("06 12 34 56") is None


def test_a_duplicated_day_keeps_its_accessibility_settings(organiser_client, irts):
    from journee.programme.models import Event

    organiser_client.post(f"/admin/journees/{irts.id}/modifier", data=accessibility_form())
    response = organiser_client.post(f"/admin/journees/{irts.id}/dupliquer", data={
        "starts_on": "2019-03-14", "title": "", "slug": ""})
    assert response.status_code == 302
    copy = db.session.scalar(db.select(Event).where(Event.id != irts.id,
                                                    Event.starts_on == date(2019, 3, 14)))
    assert copy.accessibility_labels == ["Accès de plain-pied ou par ascenseur",
                                         "Boucle à induction magnétique"]
    assert (copy.referent_name, copy.referent_email, copy.referent_phone,
            copy.ask_accommodation) == ("Zoé N’Diaye", "referente@irts.example",
                                        "02 35 12 34 56", True)
