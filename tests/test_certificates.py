"""Attendance certificates: the PDF read back, the organiser's page, e-mails, the
attendee's own download after the day."""

from __future__ import annotations

import re
import subprocess
from datetime import date, datetime, timedelta
from io import BytesIO

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader
from sqlalchemy import select
from support.documents import AFTER, BEFORE, DAY, certificate_event
from support.pages import text_of
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from journee.attendance.services.certificates import MAX_SIGNATURE_BYTES, queue_certificates
from journee.audit.models import AuditEntry
from journee.documents.certificate_pdf import (
    CertificateAttendee,
    CertificateDay,
    build_certificates,
)
from journee.extensions import db
from journee.gdpr.purge import purge
from journee.mail import deliver_pending
from journee.mail_models import OutboxMessage
from journee.registration.models import Profile, Registration, RegistrationStatus
from journee.util.clock import utcnow

PAGE = "/admin/journees/{}/attestations"


def pdf_text(data: bytes) -> str:
    """``pdftotext`` output with every kind of space folded into one."""
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data,
                            capture_output=True, check=True)
    return re.sub(r"[\s\u00a0\u202f]+", " ", result.stdout.decode())


def pages_of(data: bytes) -> list[str]:
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data,
                            capture_output=True, check=True)
    return [re.sub(r"[\s\u00a0\u202f]+", " ", page).strip()
            for page in result.stdout.decode().split("\f")][:len(PdfReader(BytesIO(data)).pages)]


def image_count(data: bytes) -> int:
    """How many image XObjects the pages draw."""
    count = 0
    for page in PdfReader(BytesIO(data)).pages:
        resources = page.get("/Resources") or {}
        xobjects = resources.get("/XObject") or {}
        count += sum(1 for ref in xobjects.values() if ref.get_object()["/Subtype"] == "/Image")
    return count


def png(size=(300, 100), fmt="PNG") -> bytes:
    image = Image.new("RGB", size, "white")
    ImageDraw.Draw(image).line([(10, 80), (100, 20), (290, 70)], fill="navy", width=5)
    buffer = BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


@pytest.fixture
def pin_today(monkeypatch):
    """Set « today » for the certificate rules and the self-service page."""
    def pin(day: date) -> None:
        for module in ("journee.attendance.services.certificates", "journee.registration.views"):
            monkeypatch.setattr(f"{module}.today_in", lambda timezone="Europe/Paris": day)
    pin(BEFORE)
    return pin


def add(event, first, last, email=None, present=False, status=RegistrationStatus.CONFIRMED,
        organisation="IRTS-IDS Normandie") -> Registration:
    registration = Registration(
        event_id=event.id, status=status, first_name=first, last_name=last, email=email,
        organisation=organisation, profile=Profile.SUPPORTED_PERSON,
        accommodation_needed=True, accommodation_details="Fauteuil roulant, secret médical",
        checked_in_at=datetime(2018, 3, 15, 8, 40) if present else None,
        checked_in_by="Accueil" if present else None)
    db.session.add(registration)
    db.session.flush()
    return registration


@pytest.fixture
def people(irts):
    """Present: Zoé (tricky), Łukasz (no e-mail), Дмитрий; absent: Bruno; cancelled but
    checked in: Carl."""
    found = {
        "zoe": add(irts, "Zoé", "<Dupont> & Cie", "zoe@example.org", present=True,
                   organisation="<img src=x> & =1+1"),
        "lukasz": add(irts, "Łukasz", "Żółć", None, present=True),
        "dmitri": add(irts, "Дмитрий", "O'Brien-Lefèvre\x0b", "dmitri@example.org",
                      present=True),
        "bruno": add(irts, "Bruno", "Absent", "bruno@example.org"),
        "carl": add(irts, "Carl", "Annulé", "carl@example.org", present=True,
                    status=RegistrationStatus.CANCELLED),
    }
    db.session.commit()
    return found


# The document --------------------------------------------------------------------------

def test_one_page_per_attendee_with_every_field():
    attendees = [CertificateAttendee("Zoé", "<Dupont> & Cie", "<img src=x> & =1+1"),
                 CertificateAttendee("Ἀλέξανδρος", "Żółć\x0b", "")]
    data = build_certificates(certificate_event(), attendees)
    pages = pages_of(data)
    assert len(pages) == 2
    first, second = pages
    assert "Attestation de présence" in first
    assert ("Je soussigné·e Marie Durand, directrice générale, certifie que Zoé <Dupont> & Cie "
            "(<img src=x> & =1+1) a participé à la journée d’étude « Le travail social à "
            "l’épreuve du numérique », organisée par IRTS-IDS Normandie, le jeudi 15 mars 2018 "
            "à Canteleu (Rouen), de 8 h 30 à 17 h.") in first
    assert "Fait à Canteleu (Rouen), le 16 mars 2018" in first
    assert "certifie que Ἀλέξανδρος Żółć a participé" in second
    assert "Zoé" not in second
    assert image_count(data) == 0


def test_the_signature_image_is_drawn_when_there_is_one():
    attendees = [CertificateAttendee("Zoé", "Martin"), CertificateAttendee("Léo", "Petit")]
    data = build_certificates(certificate_event(signature=png()), attendees)
    assert image_count(data) == 2
    # The image is embedded once and drawn on each page.
    reader = PdfReader(BytesIO(data))
    refs = {ref.idnum for page in reader.pages
            for ref in page["/Resources"]["/XObject"].values()}
    assert len(refs) == 1


def test_several_days_each_with_their_hours_and_no_signatory():
    event = certificate_event(signatory="", days=[
        CertificateDay(DAY, datetime(2018, 3, 15, 9), datetime(2018, 3, 15, 17)),
        CertificateDay(date(2018, 3, 16), datetime(2018, 3, 16, 9),
                       datetime(2018, 3, 16, 12, 30))])
    text = pdf_text(build_certificates(event, [CertificateAttendee("Zoé", "Martin")]))
    assert ("à Canteleu (Rouen), le jeudi 15 mars 2018 de 9 h à 17 h et le vendredi "
            "16 mars 2018 de 9 h à 12 h 30.") in text
    assert "Je soussigné·e ……" in text


# The organiser's page ------------------------------------------------------------------

def test_download_all_has_only_present_confirmed_attendees(organiser_client, irts, people):
    response = organiser_client.get(PAGE.format(irts.id) + "/toutes.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pages = pages_of(response.data)
    assert len(pages) == 3
    # Alphabetical by last name: <Dupont>, O'Brien-Lefèvre, Żółć.
    assert "Zoé <Dupont> & Cie (<img src=x> & =1+1)" in pages[0]
    assert "Дмитрий O'Brien-Lefèvre (IRTS-IDS Normandie)" in pages[1]
    assert "Łukasz Żółć" in pages[2]
    text = " ".join(pages)
    assert "Bruno" not in text and "Carl" not in text
    assert "Fauteuil" not in text and "accompagnée" not in text
    assert "le jeudi 15 mars 2018 à Canteleu (Rouen), de 8 h 30 à 17 h 15" in text
    entry = db.session.scalars(select(AuditEntry)).one()
    assert (entry.action, entry.rows, entry.event_id) == (
        "organiser.download_certificates", 3, irts.id)


def test_download_one_and_404s(organiser_client, irts, people, demo, make_user):
    zoe, bruno = people["zoe"], people["bruno"]
    url = PAGE.format(irts.id) + "/{}.pdf"
    response = organiser_client.get(url.format(zoe.id))
    assert response.status_code == 200
    assert len(pages_of(response.data)) == 1 and "Zoé <Dupont>" in pdf_text(response.data)
    assert organiser_client.get(url.format(bruno.id)).status_code == 404
    assert organiser_client.get(url.format(people["carl"].id)).status_code == 404
    other = next(e for e in demo.values() if e.id != irts.id)
    foreign = add(other, "Autre", "Journée", "autre@example.org", present=True)
    db.session.commit()
    assert organiser_client.get(url.format(foreign.id)).status_code == 404
    assert organiser_client.get(PAGE.format(other.id) + f"/{foreign.id}.pdf").status_code == 404
    assert organiser_client.get(PAGE.format(other.id)).status_code == 404
    assert [e.rows for e in db.session.scalars(select(AuditEntry))] == [1]


def test_page_lists_attendees_with_their_presence(organiser_client, irts, people, pin_today):
    html = organiser_client.get(PAGE.format(irts.id)).get_data(as_text=True)
    assert "Attestations de présence" in html
    assert "3\u00a0personnes présentes sur 4\u00a0inscrit·es confirmé·es" in html
    assert "&lt;Dupont&gt; &amp; Cie" in html and "<Dupont>" not in html
    assert 'name="present" value="{}" id="present-{}" checked'.format(
        people["zoe"].id, people["zoe"].id) in html
    assert f'name="present" value="{people["bruno"].id}" id="present-{people["bruno"].id}">' \
        in html
    assert "Carl" not in html
    # Before the day: no e-mail button, a French explanation instead.
    assert "Envoyer les attestations par e-mail" not in html
    assert "après la journée" in html


def test_signatory_and_signature_upload(organiser_client, irts):
    add(irts, "Zoé", "Martin", "zoe@example.org", present=True)
    db.session.commit()
    everyone = PAGE.format(irts.id) + "/toutes.pdf"
    assert image_count(organiser_client.get(everyone).data) == 0
    response = organiser_client.post(PAGE.format(irts.id), data={
        "signatory": "Marie Durand, directrice générale",
        "signature": (BytesIO(png()), "signature.png")}, content_type="multipart/form-data")
    assert response.status_code == 302
    db.session.refresh(irts)
    assert irts.certificate_signatory == "Marie Durand, directrice générale"
    assert irts.certificate_signature == png()
    html = organiser_client.get(PAGE.format(irts.id)).get_data(as_text=True)
    preview = PAGE.format(irts.id) + "/signature"
    assert f'src="{preview}"' in html
    image = organiser_client.get(preview)
    assert image.status_code == 200 and image.mimetype == "image/png"
    assert image.data == png()
    data = organiser_client.get(everyone).data
    assert image_count(data) == 1
    assert "Je soussigné·e Marie Durand, directrice générale, certifie que Zoé Martin" in \
        pdf_text(data)
    # A new signatory without a file keeps the image.
    organiser_client.post(PAGE.format(irts.id), data={"signatory": "Jean Morel, directeur"},
                          content_type="multipart/form-data")
    db.session.refresh(irts)
    assert irts.certificate_signatory == "Jean Morel, directeur"
    assert irts.certificate_signature == png()
    response = organiser_client.post(preview + "/supprimer")
    assert response.status_code == 302
    db.session.refresh(irts)
    assert irts.certificate_signature is None
    assert organiser_client.get(preview).status_code == 404
    assert image_count(organiser_client.get(everyone).data) == 0


@pytest.mark.parametrize("upload, message", [
    (b"%PDF-1.4 pas une image", "n’est pas une image lisible"),
    (png()[:120], "n’est pas une image lisible"),
    (png(fmt="GIF"), "au format GIF"),
    (png(fmt="PNG") + b"\0" * MAX_SIGNATURE_BYTES, "Le fichier dépasse 1\u00a0Mo"),
    (png(size=(3000, 2000)), "trop grande"),
])
def test_a_bad_signature_file_is_refused_and_nothing_is_lost(organiser_client, irts, upload,
                                                              message):
    irts.certificate_signature = png()
    irts.certificate_signatory = "Ancienne signataire"
    db.session.commit()
    # Encoded here, in memory: the test client would spool a big body to a temporary file
    # it never closes.
    boundary, body = encode_multipart(MultiDict({
        "signatory": "Nouvelle <signataire>",
        "signature": FileStorage(BytesIO(upload), "sig.png", content_type="image/png")}))
    response = organiser_client.post(PAGE.format(irts.id), data=body,
                                     content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in html.replace("&#39;", "’")
    assert 'class="error-summary"' in html
    assert 'value="Nouvelle &lt;signataire&gt;"' in html  # the input is kept
    db.session.refresh(irts)
    assert irts.certificate_signatory == "Ancienne signataire"
    assert irts.certificate_signature == png()


def test_organiser_ticks_and_unticks_presence(organiser_client, irts, people):
    zoe, bruno, dmitri = people["zoe"], people["bruno"], people["dmitri"]
    listed = [zoe.id, bruno.id, dmitri.id, people["lukasz"].id]
    was = [zoe.id, dmitri.id, people["lukasz"].id]
    response = organiser_client.post(PAGE.format(irts.id) + "/presences", data={
        "listed": listed, "was_present": was,
        "present": [bruno.id, dmitri.id, people["lukasz"].id, "x"]})
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    assert bruno.checked_in_at is not None
    assert bruno.checked_in_by == "Organisateur·rice organisatrice@example.org"
    assert zoe.checked_in_at is None and zoe.checked_in_by is None
    assert dmitri.checked_in_by == "Accueil"  # unchanged
    entry = db.session.scalars(select(AuditEntry)).one()
    assert (entry.action, entry.rows) == ("organiser.mark_presence", 2)


def test_a_check_in_after_the_page_was_drawn_is_not_undone(organiser_client, irts, people):
    bruno = people["bruno"]
    # The page showed Bruno absent; he was checked in at the door since.
    bruno.checked_in_at = utcnow()
    bruno.checked_in_by = "Accueil"
    db.session.commit()
    organiser_client.post(PAGE.format(irts.id) + "/presences", data={
        "listed": [bruno.id], "present": []})
    db.session.expire_all()
    assert bruno.checked_in_at is not None


def test_ticks_cannot_reach_another_events_registrations(organiser_client, irts, demo):
    other = next(e for e in demo.values() if e.id != irts.id)
    foreign = add(other, "Autre", "Journée", "autre@example.org")
    db.session.commit()
    organiser_client.post(PAGE.format(irts.id) + "/presences", data={
        "listed": [foreign.id], "present": [foreign.id]})
    db.session.expire_all()
    assert foreign.checked_in_at is None


# E-mails -------------------------------------------------------------------------------

def test_sending_is_refused_before_the_day(organiser_client, irts, people, pin_today):
    response = organiser_client.post(PAGE.format(irts.id) + "/envoyer")
    assert response.status_code == 302
    html = organiser_client.get(PAGE.format(irts.id)).get_data(as_text=True)
    assert "ne peuvent être envoyées qu’après la journée" in html
    assert db.session.scalars(select(OutboxMessage)).all() == []
    db.session.expire_all()
    assert people["zoe"].certificate_sent_at is None


def test_sending_after_the_day_once_with_the_pdf(organiser_client, irts, people, pin_today,
                                                delivered):
    pin_today(AFTER)
    html = organiser_client.get(PAGE.format(irts.id)).get_data(as_text=True)
    assert "Envoyer les attestations par e-mail (2\u00a0personnes)" in html
    organiser_client.post(PAGE.format(irts.id) + "/envoyer")
    deliver_pending()
    messages = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert sorted(m.to_address for m in messages) == ["dmitri@example.org", "zoe@example.org"]
    assert {m.kind for m in messages} == {"certificate"}
    zoe_message = next(m for m in messages if m.to_address == "zoe@example.org")
    parsed = delivered(zoe_message)
    assert " ".join(parsed["Subject"].split()) == "Attestation de présence : " + text_of(irts.title)
    body = parsed.get_body(("plain",)).get_content()
    assert "Votre attestation de présence est jointe" in body
    assert f"/r/{people['zoe'].token}" in body
    attachments = list(parsed.iter_attachments())
    assert [a.get_content_type() for a in attachments] == ["application/pdf"]
    text = pdf_text(attachments[0].get_content())
    assert "certifie que Zoé <Dupont> & Cie" in text and "Дмитрий" not in text
    db.session.expire_all()
    assert people["zoe"].certificate_sent_at is not None
    assert people["lukasz"].certificate_sent_at is None  # no address
    assert people["bruno"].certificate_sent_at is None  # absent
    # A second click sends nothing more.
    organiser_client.post(PAGE.format(irts.id) + "/envoyer")
    assert len(db.session.scalars(select(OutboxMessage)).all()) == 2
    html = organiser_client.get(PAGE.format(irts.id)).get_data(as_text=True)
    assert "Envoyer les attestations par e-mail" not in html
    assert "ont reçu leur attestation par e-mail" in html
    entries = db.session.scalars(select(AuditEntry)).all()
    assert [(e.action, e.rows) for e in entries] == [("organiser.send_certificates", 2)]


def test_an_attendee_unticked_before_delivery_gets_no_email(organiser_client, irts, people,
                                                            pin_today, app):
    pin_today(AFTER)
    app.config["MAIL_DELIVER_AFTER_COMMIT"] = False
    organiser_client.post(PAGE.format(irts.id) + "/envoyer")
    people["zoe"].checked_in_at = None
    db.session.commit()
    deliver_pending()
    statuses = {m.to_address: m.status.value for m in db.session.scalars(select(OutboxMessage))}
    assert statuses == {"zoe@example.org": "skipped", "dmitri@example.org": "sent"}


# The attendee's own certificate ----------------------------------------------------------

def test_attendee_download_only_after_the_day_and_if_present(client, irts, people, pin_today):
    zoe = people["zoe"]
    url = f"/r/{zoe.token}/attestation.pdf"
    assert client.get(url).status_code == 404
    page = client.get(f"/r/{zoe.token}").get_data(as_text=True)
    assert "Télécharger mon attestation de présence" not in page
    pin_today(DAY)
    assert client.get(url).status_code == 404  # the day itself is not over
    pin_today(AFTER)
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "private, no-store"
    pages = pages_of(response.data)
    assert len(pages) == 1 and "certifie que Zoé <Dupont> & Cie" in pages[0]
    page = client.get(f"/r/{zoe.token}").get_data(as_text=True)
    assert "Télécharger mon attestation de présence" in page
    assert url in page
    for absent in (people["bruno"], people["carl"]):
        assert client.get(f"/r/{absent.token}/attestation.pdf").status_code == 404
        assert "Télécharger mon attestation" not in client.get(
            f"/r/{absent.token}").get_data(as_text=True)
    assert client.get("/r/pas-un-jeton/attestation.pdf").status_code == 404


def test_an_anonymised_registration_opens_no_certificate(client, irts, people, pin_today):
    pin_today(AFTER)
    zoe = people["zoe"]
    token = zoe.token
    assert client.get(f"/r/{token}/attestation.pdf").status_code == 200
    purge(DAY + timedelta(days=91))
    db.session.commit()
    # Neither the link the person had nor the token anonymisation once wrote.
    for link in (token, f"anonyme-{zoe.id}"):
        assert client.get(f"/r/{link}/attestation.pdf").status_code == 404
        assert client.get(f"/r/{link}").status_code == 404


def test_the_organiser_gets_no_certificate_of_an_anonymised_registration(
        organiser_client, irts, people, pin_today):
    pin_today(AFTER)
    purge(DAY + timedelta(days=91))
    db.session.commit()
    zoe = people["zoe"]
    text = text_of(organiser_client.get(PAGE.format(irts.id)).get_data(as_text=True))
    assert ("3 inscriptions présentes sont anonymisées (durée de conservation écoulée) : "
            "leurs attestations ne peuvent plus être produites ni envoyées.") in text
    assert "Télécharger toutes les attestations" not in text
    assert "anonymisée, plus d’attestation" in text
    response = organiser_client.get(PAGE.format(irts.id) + f"/{zoe.id}.pdf")
    assert response.status_code == 302
    assert response.location.endswith(PAGE.format(irts.id) + "#presences")
    text = text_of(organiser_client.get(PAGE.format(irts.id)).get_data(as_text=True))
    assert ("Cette inscription est anonymisée (sa durée de conservation est écoulée) : son "
            "attestation de présence ne peut plus être produite.") in text
    everyone = organiser_client.get(PAGE.format(irts.id) + "/toutes.pdf")
    assert pages_of(everyone.data) == ["Aucune personne présente."]
    assert "anonymisée" not in pdf_text(everyone.data)
    assert queue_certificates(irts, AFTER) == 0


def test_organiser_pages_need_a_login(client, irts):
    for url in (PAGE.format(irts.id), PAGE.format(irts.id) + "/toutes.pdf"):
        assert client.get(url).status_code in (302, 401)
    assert client.post(PAGE.format(irts.id) + "/envoyer").status_code in (302, 401)


def test_forms_need_the_csrf_token(csrf_app):
    from flask import g
    from support.pages import csrf_token_from

    from journee.auth.models import User
    from journee.demo import load_demo
    from journee.programme.models import EventMembership

    event = load_demo(original_dates=True)[0]
    user = User(email="orga@example.org", name="orga", is_admin=False)
    user.set_password("mot-de-passe-solide")
    db.session.add_all([user, EventMembership(event=event, user=user)])
    bruno = add(event, "Bruno", "Absent", "bruno@example.org")
    db.session.commit()
    client = csrf_app.test_client()
    token = csrf_token_from(client.get("/connexion").get_data(as_text=True))
    client.post("/connexion", data={"email": user.email, "password": "mot-de-passe-solide",
                                    "csrf_token": token})
    response = client.post(PAGE.format(event.id) + "/presences",
                           data={"listed": [bruno.id], "present": [bruno.id]})
    assert response.status_code == 400
    db.session.expire_all()
    assert bruno.checked_in_at is None
    # The fixture's app context outlives requests: drop the token Flask-WTF cached in ``g``
    # before signing in, so the next page puts a fresh one in the new session.
    g.pop("csrf_token", None)
    page = client.get(PAGE.format(event.id)).get_data(as_text=True)
    response = client.post(PAGE.format(event.id) + "/presences", data={
        "listed": [bruno.id], "present": [bruno.id], "csrf_token": csrf_token_from(page)})
    assert response.status_code == 302
    db.session.expire_all()
    assert bruno.checked_in_at is not None
