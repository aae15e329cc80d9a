"""The blank paper registration form, read back with pypdf."""

import re
from io import BytesIO

from pypdf import PdfReader

from journee.extensions import db
from journee.programme.models import WorkshopMode
from journee.registration.form_pdf import build_blank_registration_form

URL = "/admin/journees/{}/inscriptions/formulaire-papier.pdf"


def pdf_text(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, re.sub(r"[ \u00a0\u202f]+", " ", text)


def test_paper_form_asks_the_online_questions(organiser_client, irts):
    response = organiser_client.get(URL.format(irts.id))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "formulaire-inscription-travail-social-epreuve-numerique-2018.pdf" in (
        response.headers["Content-Disposition"])
    reader, text = pdf_text(response.data)
    assert reader.metadata.title.startswith("Formulaire d’inscription – Le travail social")
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)  # A4.
    assert "Le travail social à l’épreuve du numérique" in text
    assert "Jeudi 15 mars 2018" in text
    for question in ("Prénom*", "Nom*", "Adresse e-mail*", "Téléphone",
                     "Établissement, service ou", "Fonction", "Vous êtes (une case)*",
                     "Déjeunerez-vous sur place ?*", "Secteur d’exercice ou de stage"):
        assert question in text, question
    for option in ("☐ Étudiant·e", "☐ Professionnel·le", "☐ Personne accompagnée", "☐ ES",
                   "☐ CAFERUIS", "☐ 2e année", "☐ Protection de l’enfance", "☐ Oui"):
        assert option in text, option
    assert "besoin d’un aménagement" not in text  # Not asked by this event.
    assert "Numérotez dans les cases vos 3 ateliers préférés" in text
    for number, title in ((1, "Handicap enfant"), (3, "Protection de l’enfance"),
                          (6, "Exclusion et insertion")):
        assert f"Atelier n° {number} : {title}" in text
    assert "Vos données personnelles" in text
    assert "Tout est supprimé le 13 juin 2018" in text
    assert "☐ J’ai pris connaissance de ces informations sur mes données personnelles.*" in text
    assert "☐ Je souhaite être informé·e par e-mail des prochaines journées d’étude." in text
    assert "Date :" in text and "Signature :" in text
    assert "Formulaire à retourner à IRTS-IDS Normandie" in text
    assert "claire.lagu@irtsnormandie.ids.fr" in text
    assert "avant le 1er mars 2018" in text


def test_paper_form_follows_the_event_settings(app, irts):
    irts.ask_accommodation = True
    irts.ask_photo_consent = True
    irts.ask_lunch = False
    irts.workshop_mode = WorkshopMode.FIRST_COME
    irts.title = "Journée <b>spéciale</b> & Cie"
    db.session.commit()
    _, text = pdf_text(build_blank_registration_form(irts))
    assert "Journée <b>spéciale</b> & Cie" in text
    assert "Déjeunerez-vous" not in text
    assert "Avez-vous besoin d’un aménagement ?" in text
    assert "Précisez votre besoin" in text
    assert "J’accepte que cette information sur ma santé ou mon handicap soit transmise" in text
    assert "J’accepte d’être pris·e en photo" in text
    assert "Cochez l’atelier auquel vous participerez" in text


def test_paper_form_is_for_the_event_organisers_only(client, make_user, login, demo, irts):
    other = demo["travail-social-2-0-etsup-2018"]
    assert client.get(URL.format(irts.id)).status_code == 302
    login(make_user(events=[other]))
    assert client.get(URL.format(irts.id)).status_code == 404
    assert client.get(URL.format(other.id)).status_code == 200
