"""The accessibility conditions and the disability referent where attendees read them:
the event page, the confirmation e-mail (as a real SMTP server receives it) and the
printable programme (read back with pdftotext)."""

import re
import subprocess

import pytest
from support.pages import text_of
from support.registration import OPEN_DAY, register
from support.smtp import prose_of, received_by, sending_to

from journee.extensions import db

EVENT_URL = "/e/travail-social-epreuve-numerique-2018/"


@pytest.fixture
def app(app_factory, smtp):
    app = app_factory(**sending_to(smtp))
    with app.app_context():
        yield app


@pytest.fixture
def accessible(irts):
    irts.accessibility_features = "step_free,sign_language,assistance_dog"
    irts.accessibility_notes = "Entrée « Flore » : rampe d’accès <b>côté parking</b>."
    irts.referent_name = "Zoé N’Diaye"
    irts.referent_email = "referente@irts.example"
    irts.referent_phone = "02 35 12 34 56"
    db.session.commit()
    return irts


def test_the_event_page_lists_the_conditions_and_the_referent(client, accessible,
                                                               monkeypatch):
    monkeypatch.setattr("journee.programme.views.today_in", lambda timezone=None: OPEN_DAY)
    html = client.get(EVENT_URL).get_data(as_text=True)
    section = re.search(r'<section aria-labelledby="accessibilite".*?</section>', html, re.S)
    assert section, "no « Accessibilité » section"
    section = section.group(0)
    assert '<h2 id="accessibilite">Accessibilité</h2>' in section
    assert re.findall(r"<li>(.*?)</li>", section) == [
        "Accès de plain-pied ou par ascenseur",
        "Interprétation en langue des signes française (LSF) sur demande",
        "Chien guide ou d’assistance accepté"]
    assert "rampe d’accès &lt;b&gt;côté parking&lt;/b&gt;" in section
    assert ("votre contact : Zoé N’Diaye, référent·e handicap, referente@irts.example, "
            "02 35 12 34 56.") in text_of(section)
    assert 'href="mailto:referente@irts.example"' in section
    assert 'href="tel:+33235123456"' in section


def test_without_conditions_the_page_says_so_and_whom_to_ask(client, irts, monkeypatch):
    monkeypatch.setattr("journee.programme.views.today_in", lambda timezone=None: OPEN_DAY)
    text = text_of(client.get(EVENT_URL).get_data(as_text=True))
    assert ("Accessibilité L’équipe organisatrice n’a pas encore indiqué les conditions "
            "d’accessibilité du lieu. Pour toute question sur l’accessibilité ou un besoin "
            "d’aménagement, écrivez à l’équipe organisatrice : "
            "claire.lagu@irtsnormandie.ids.fr.") in text


@pytest.mark.usefixtures("registration_open")
def test_the_confirmation_e_mail_tells_the_conditions_and_the_referent(client, accessible,
                                                                       smtp):
    assert register(client, accessible).status_code == 302
    [message] = received_by(smtp, "zoe.martin@example.org")
    body = prose_of(message)
    assert ("ACCESSIBILITÉ - Accès de plain-pied ou par ascenseur - Interprétation en "
            "langue des signes française (LSF) sur demande - Chien guide ou d’assistance "
            "accepté Entrée « Flore » : rampe d’accès <b>côté parking</b>. Pour préparer "
            "votre venue (handicap, besoin d’un aménagement), votre contact : Zoé N’Diaye, "
            "référent·e handicap, referente@irts.example, 02 35 12 34 56.") in body
    # The opening and the summary are still there, before it.
    assert body.index("VOTRE INSCRIPTION") < body.index("ACCESSIBILITÉ")
    html = message.get_body(("html",)).get_content()
    assert 'href="tel:+33235123456"' in html
    assert "&lt;b&gt;côté parking&lt;/b&gt;" in html


@pytest.mark.usefixtures("registration_open")
def test_no_accessibility_paragraph_when_nothing_is_told(client, irts, smtp):
    assert register(client, irts).status_code == 302
    [message] = received_by(smtp, "zoe.martin@example.org")
    assert "ACCESSIBILITÉ" not in prose_of(message)


def test_the_printable_programme_has_an_accessibility_section(client, accessible, tmp_path):
    response = client.get(EVENT_URL + "programme.pdf")
    assert response.status_code == 200
    path = tmp_path / "programme.pdf"
    path.write_bytes(response.data)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    text = " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())
    assert ("Accessibilité • Accès de plain-pied ou par ascenseur • Interprétation en langue "
            "des signes française (LSF) sur demande • Chien guide ou d’assistance accepté "
            "Entrée « Flore » : rampe d’accès <b>côté parking</b>.") in text
    assert ("Votre contact : Zoé N’Diaye, référent·e handicap, referente@irts.example, "
            "02 35 12 34 56") in text
