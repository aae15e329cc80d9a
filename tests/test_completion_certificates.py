"""Completion certificates (« certificats de réalisation »): hours from the half-days
attended, the PDF read back, the organisation's identity (SIRET, NDA), the event's
objectives and nature, the organiser's pages, the attendee's download and the e-mail."""

from __future__ import annotations

import re
import subprocess
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select
from support.documents import AFTER, BEFORE, DAY
from support.pages import text_of
from support.smtp import prose_of, received_by, sending_to, subject_of

from journee.attendance.services.completion import (
    action_minutes,
    completion_certificates_pdf,
    completion_recipients,
    half_day_minutes,
)
from journee.attendance.services.half_day_presence import attended_half_days
from journee.attendance.services.presence import mark_present
from journee.attendance.services.signin import half_days
from journee.audit.models import AuditEntry
from journee.branding.legal import NumberRefused, checked_nda, checked_siret
from journee.branding.models import LegalIdentity
from journee.extensions import db
from journee.formatting import format_duration
from journee.gdpr.purge import purge
from journee.mail import deliver_pending
from journee.mail_models import OutboxMessage
from journee.programme.models import ActionNature, Event, Session, SessionKind
from journee.registration.models import Profile, Registration, RegistrationStatus

PAGE = "/admin/journees/{}/certificats-realisation"
IDENTITY = "/admin/identite/organisme"
#: A SIRET whose Luhn key is right (SIREN 732 829 320, NIC 00074).
SIRET = "73282932000074"


def pdf_pages(data: bytes) -> list[str]:
    """``pdftotext`` per page, every kind of space folded into one."""
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data,
                            capture_output=True, check=True)
    pages = result.stdout.decode().split("\f")
    return [re.sub(r"[\s\u00a0\u202f]+", " ", page).strip() for page in pages if page.strip()]


@pytest.fixture
def pin_today(monkeypatch):
    """Set « today » for the certificate rules and the self-service page."""
    def pin(day: date) -> None:
        for module in ("journee.attendance.services.certificates",
                       "journee.attendance.services.completion",
                       "journee.registration.views"):
            monkeypatch.setattr(f"{module}.today_in", lambda timezone="Europe/Paris": day)
    pin(BEFORE)
    return pin


def add(event, first, last, email=None, present=False, status=RegistrationStatus.CONFIRMED,
        organisation="IRTS-IDS Normandie", profile=Profile.PROFESSIONAL) -> Registration:
    registration = Registration(
        event_id=event.id, status=status, first_name=first, last_name=last, email=email,
        organisation=organisation, profile=profile,
        checked_in_at=datetime(2018, 3, 15, 8, 40) if present else None)
    db.session.add(registration)
    db.session.flush()
    return registration


def identity(**overrides) -> LegalIdentity:
    values = {"legal_name": "IRTS-IDS Normandie", "address": "3 rue Gustave Flaubert\n"
              "76380 Canteleu", "siret": SIRET, "nda": "28760123476",
              "nda_region": "Normandie", "representative_name": "Marie Durand",
              "representative_role": "directrice générale", "city": "Canteleu"}
    values.update(overrides)
    row = LegalIdentity(**values)
    db.session.add(row)
    db.session.commit()
    return row


@pytest.fixture
def people(irts):
    """Present: Zoé (tricky name, a student), Дмитрий (no e-mail); absent: Bruno;
    cancelled but checked in: Carl."""
    found = {
        "zoe": add(irts, "Zoé", "<script>alert(1)</script> O’Brien", "zoe@example.org",
                   present=True, organisation="=1+1 École", profile=Profile.STUDENT),
        "dmitri": add(irts, "Дмитрий", "Ἀλέξανδρος 王", None, present=True,
                      organisation="CCAS d’Évreux"),
        "bruno": add(irts, "Bruno", "Absent", "bruno@example.org"),
        "carl": add(irts, "Carl", "Annulé", "carl@example.org", present=True,
                    status=RegistrationStatus.CANCELLED),
    }
    db.session.commit()
    return found


def two_day_event(**sessions) -> Event:
    """Thursday 9 h – 12 h 30 and 14 h – 17 h 30 (lunch left out), Friday 9 h – 12 h."""
    event = Event(slug="deux-jours", title="Accompagner l’enfance en danger",
                  starts_on=date(2018, 3, 15), ends_on=date(2018, 3, 16),
                  venue_city="Rouen")
    db.session.add(event)
    for kind, start, end in (
            (SessionKind.PLENARY, datetime(2018, 3, 15, 9), datetime(2018, 3, 15, 10, 30)),
            (SessionKind.WORKSHOPS, datetime(2018, 3, 15, 10, 45),
             datetime(2018, 3, 15, 12, 30)),
            (SessionKind.LUNCH, datetime(2018, 3, 15, 12, 30), datetime(2018, 3, 15, 14)),
            (SessionKind.ROUND_TABLE, datetime(2018, 3, 15, 14), datetime(2018, 3, 15, 17, 30)),
            (SessionKind.PLENARY, datetime(2018, 3, 16, 9), datetime(2018, 3, 16, 12))):
        event.sessions.append(Session(kind=kind, title=kind.value, starts_at=start,
                                      ends_at=end))
    db.session.commit()
    return event


# Hours -----------------------------------------------------------------------------------

def test_hours_are_the_sum_of_the_half_days_attended(app):
    event = two_day_event()
    halves = half_days(event)
    assert [half_day_minutes([half]) for half in halves] == [210, 210, 180]
    assert action_minutes(event) == 600
    assert format_duration(action_minutes(event)) == "10\u00a0heures"
    assert format_duration(half_day_minutes(halves[:2])) == "7\u00a0heures"
    assert format_duration(half_day_minutes(halves[1:2])) == "3\u00a0h\u00a030"
    assert format_duration(60) == "1\u00a0heure" and format_duration(45) == "45\u00a0minutes"


def test_checked_in_people_attend_the_days_they_came_and_absent_ones_none(app):
    event = two_day_event()
    here = add(event, "Léa", "Présente", present=True)
    add(event, "Paul", "Absent")
    add(event, "Carl", "Annulé", present=True, status=RegistrationStatus.CANCELLED)
    db.session.commit()
    attended = attended_half_days(event)
    assert list(attended) == [here.id]
    # Checked in on Thursday morning (9 h 40 in Rouen): Thursday's half-days only.
    assert [(h.day, h.label) for h in attended[here.id]] == [
        (date(2018, 3, 15), "Matin"), (date(2018, 3, 15), "Après-midi")]
    [recipient] = completion_recipients(event)
    assert recipient.registration.id == here.id and recipient.minutes == 420

    mark_present(here, "accueil@example.org", day=date(2018, 3, 16))
    db.session.commit()
    assert [(h.day, h.label) for h in attended_half_days(event)[here.id]] == [
        (date(2018, 3, 15), "Matin"), (date(2018, 3, 15), "Après-midi"),
        (date(2018, 3, 16), "Matin")]
    [recipient] = completion_recipients(event)
    assert recipient.minutes == 600


def test_nobody_present_means_no_certificate(app, irts):
    add(irts, "Bruno", "Absent", "bruno@example.org")
    db.session.commit()
    assert attended_half_days(irts) == {}
    assert completion_recipients(irts) == []
    assert pdf_pages(completion_certificates_pdf(irts)) == [
        "Aucune personne n’a suivi l’action."]


def test_a_half_day_taken_away_lowers_the_hours(app, irts, people, monkeypatch):
    """The hours follow what :func:`attended_half_days` says, half-day by half-day."""
    morning, afternoon = half_days(irts)
    monkeypatch.setattr("journee.attendance.services.completion.attended_half_days",
                        lambda event: {people["zoe"].id: [afternoon],
                                       people["dmitri"].id: []})
    [zoe] = completion_recipients(irts)
    assert zoe.registration.id == people["zoe"].id and zoe.minutes == 195
    text = pdf_pages(completion_certificates_pdf(irts))[0]
    assert "Assiduité du stagiaire : 3 h 15 réalisées." in text
    assert "pour une durée de 7 h 15." in text


# The document ----------------------------------------------------------------------------

def test_the_pdf_names_everything_the_model_asks_for(app, irts, people, pin_today):
    identity()
    irts.action_objectives = ("Comprendre les effets du numérique sur la relation d’aide ; "
                              "repérer les risques de fracture numérique.")
    irts.action_nature = ActionNature.TRAINING
    db.session.commit()
    pin_today(AFTER)
    pages = pdf_pages(completion_certificates_pdf(irts))
    assert len(pages) == 2
    zoe, dmitri = pages  # alphabetical: « <script>… », then « Ἀλέξανδρος »
    assert "Certificat de réalisation" in zoe
    assert ("Je soussigné(e) Marie Durand, directrice générale, représentant légal du "
            "dispensateur de l’action concourant au développement des compétences "
            "IRTS-IDS Normandie, atteste que :") in zoe
    # A student: their school is no employer.
    title = " ".join(irts.title.split())
    assert f"Zoé <script>alert(1)</script> O’Brien a suivi l’action « {title} »" in zoe
    assert "salarié(e)" not in zoe and "=1+1" not in zoe
    assert ("Дмитрий Ἀλέξανδρος 王, salarié(e) de l’entreprise CCAS d’Évreux, a suivi "
            "l’action") in dmitri
    assert ("Objectifs de l’action : Comprendre les effets du numérique sur la relation "
            "d’aide ; repérer les risques de fracture numérique.") in zoe
    assert ("Nature de l’action concourant au développement des compétences : "
            "☒ action de formation ☐ bilan de compétences ☐ action de VAE "
            "☐ action de formation par apprentissage") in zoe
    assert ("qui s’est déroulée le jeudi 15 mars 2018 pour une durée de 7 h 15.") in zoe
    assert "Assiduité du stagiaire : 7 h 15 réalisées." in zoe
    assert "je m’engage à conserver l’ensemble des pièces justificatives" in zoe
    assert "Fait à Canteleu, le 16 mars 2018" in zoe
    assert "3 rue Gustave Flaubert 76380 Canteleu" in zoe
    assert "IRTS-IDS Normandie — SIRET 732 829 320 00074" in zoe
    assert ("Déclaration d’activité enregistrée sous le numéro 28 76 01234 76 auprès du "
            "préfet de la région Normandie. Cet enregistrement ne vaut pas agrément de "
            "l’État.") in zoe
    assert "Bruno" not in " ".join(pages) and "Carl" not in " ".join(pages)


def test_several_days_seven_hours_and_another_nature(app):
    identity(representative_name="", representative_role="")
    event = two_day_event()
    event.action_nature = ActionNature.VAE
    here = add(event, "Léa", "Martin", present=True)
    db.session.commit()
    morning, afternoon, friday = half_days(event)
    recipient = completion_recipients(event)[0]
    object.__setattr__(recipient, "half_days", [morning, afternoon])
    text = pdf_pages(completion_certificates_pdf(event, [recipient], today=AFTER))[0]
    assert here.first_name in text
    assert ("qui s’est déroulée du jeudi 15 mars 2018 au vendredi 16 mars 2018 pour une "
            "durée de 10 heures.") in text
    assert "Assiduité du stagiaire : 7 heures réalisées." in text
    assert "☐ action de formation ☐ bilan de compétences ☒ action de VAE" in text
    # No representative yet: a line to fill in by hand.
    assert "Je soussigné(e) ……" in text
    assert "Objectifs" not in text  # none given
    assert "Fait à Canteleu, le 16 mars 2018" in text


def test_objectives_keep_their_lines_and_a_long_text_is_cut(app, irts, people):
    irts.action_objectives = "- repérer les usages ;\r\n\r\n- analyser les pratiques."
    db.session.commit()
    result = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
                            input=completion_certificates_pdf(irts, completion_recipients(
                                irts)[:1]), capture_output=True, check=True)
    lines = [re.sub(r"[\s\u00a0\u202f]+", " ", line).strip()
             for line in result.stdout.decode().splitlines()]
    start = lines.index("Objectifs de l’action :")
    assert lines[start + 1:start + 3] == ["- repérer les usages ;", "- analyser les pratiques."]
    irts.action_objectives = "Un objectif très détaillé. " * 200
    db.session.commit()
    [page] = pdf_pages(completion_certificates_pdf(irts, completion_recipients(irts)[:1]))
    objectives = page.split("Objectifs de l’action : ")[1].split(" Nature de l’action")[0]
    assert objectives.endswith("…") and 20 < objectives.count("Un objectif") < 60
    assert "Assiduité du stagiaire : 7 h 15 réalisées." in page


def test_the_signature_image_uploaded_for_the_event_is_drawn(app, irts, people):
    from io import BytesIO

    from PIL import Image
    from pypdf import PdfReader

    buffer = BytesIO()
    Image.new("RGB", (300, 100), "white").save(buffer, "PNG")
    irts.certificate_signature = buffer.getvalue()
    db.session.commit()
    reader = PdfReader(BytesIO(completion_certificates_pdf(irts)))
    assert len(reader.pages) == 2
    for page in reader.pages:
        xobjects = page["/Resources"]["/XObject"]
        assert [x.get_object()["/Subtype"] for x in xobjects.values()] == ["/Image"]


# The organisation's identity --------------------------------------------------------------

@pytest.mark.parametrize("typed, digits", [
    ("732 829 320 00074", "73282932000074"),
    ("73282932000074", "73282932000074"),
    ("356 000 000 00001", "35600000000001"),  # La Poste: digits add up to a multiple of 5
    ("356 000 000 00048", "35600000000048"),  # La Poste's head office: the Luhn key
])
def test_a_valid_siret_is_kept_as_its_digits(typed, digits):
    assert checked_siret(typed) == digits


@pytest.mark.parametrize("typed, message", [
    ("732 829 320 00075", "clé de contrôle est fausse"),
    ("35600000000002", "clé de contrôle est fausse"),
    ("7328293200007", "14\u00a0chiffres"),
    ("7328293200007A", "14\u00a0chiffres"),
    ("٧٣٢٨٢٩٣٢٠٠٠٠٧٤", "14\u00a0chiffres"),
])
def test_a_wrong_siret_is_refused_in_french(typed, message):
    with pytest.raises(NumberRefused, match=message):
        checked_siret(typed)


def test_the_nda_has_eleven_digits():
    assert checked_nda("28 76 01234 76") == "28760123476"
    for wrong in ("2876012347", "287601234767", "28-76-0123A-76"):
        with pytest.raises(NumberRefused, match="11\u00a0chiffres"):
            checked_nda(wrong)


def test_the_administrator_sets_the_identity(client, make_user, login):
    login(make_user("admin@example.org", admin=True))
    response = client.post(IDENTITY, data={
        "legal_name": "IRTS-IDS Normandie", "address": "3 rue Gustave Flaubert",
        "siret": "732 829 320 00074", "nda": "28 76 01234 76", "nda_region": "Normandie",
        "representative_name": "Marie-Hélène N’Diaye", "representative_role": "directrice",
        "city": "Canteleu"})
    assert response.status_code == 302 and response.location.endswith(IDENTITY)
    row = db.session.scalars(select(LegalIdentity)).one()
    assert (row.siret, row.nda, row.representative_name) == (
        "73282932000074", "28760123476", "Marie-Hélène N’Diaye")
    page = client.get(IDENTITY).get_data(as_text=True)
    assert "L’identité de l’organisme de formation est enregistrée." in page
    assert 'value="73282932000074"' in page
    entry = db.session.scalars(select(AuditEntry)).one()
    assert entry.action == "organiser.change_legal_identity"


def test_a_wrong_identity_is_refused_and_what_was_typed_kept(client, make_user, login):
    login(make_user("admin@example.org", admin=True))
    response = client.post(IDENTITY, data={
        "legal_name": "<script>alert(1)</script>", "siret": "732 829 320 00075",
        "nda": "28 76", "nda_region": "", "representative_name": "=SOMME(A1)"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = text_of(html)
    assert "Le formulaire contient 3 erreurs" in text
    assert "Ce numéro SIRET n’existe pas (sa clé de contrôle est fausse)" in text
    assert "Le numéro de déclaration d’activité compte 11 chiffres" in text
    assert "Indiquez la région qui a enregistré la déclaration d’activité." in text
    assert 'value="732 829 320 00075"' in html and 'value="=SOMME(A1)"' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    assert db.session.scalars(select(LegalIdentity)).all() == []


def test_only_administrators_set_the_identity(organiser_client):
    assert organiser_client.get(IDENTITY).status_code == 403
    assert organiser_client.post(IDENTITY, data={"legal_name": "X"}).status_code == 403
    assert db.session.scalars(select(LegalIdentity)).all() == []


# The event's objectives and nature ---------------------------------------------------------

def test_the_organiser_sets_objectives_and_nature_on_the_event(organiser_client, irts):
    url = f"/admin/journees/{irts.id}/modifier"
    page = organiser_client.get(url).get_data(as_text=True)
    assert "Certificat de réalisation" in page
    assert 'checked id="action_nature-0" name="action_nature" type="radio" value="training"' \
        in page
    form = {"title": irts.title, "starts_on": "2018-03-15", "ends_on": "2018-03-15",
            "workshop_choices": "3", "retention_days": "90", "waitlist_enabled": "oui",
            "workshop_mode": "preferences", "reminder_days": "7, 1",
            "action_objectives": "Repérer les usages du numérique.",
            "action_nature": "skills_assessment"}
    response = organiser_client.post(url, data=form)
    assert response.status_code == 302, text_of(response.get_data(as_text=True))
    db.session.expire_all()
    assert irts.action_objectives == "Repérer les usages du numérique."
    assert irts.action_nature == ActionNature.SKILLS_ASSESSMENT
    page = organiser_client.get(url).get_data(as_text=True)
    assert ('checked id="action_nature-1" name="action_nature" type="radio" '
            'value="skills_assessment"') in page
    assert '<label for="action_nature-2">Action de VAE</label>' in page


# The organiser's pages ---------------------------------------------------------------------

def test_the_organiser_page_lists_people_and_their_hours(organiser_client, irts, people):
    text = text_of(organiser_client.get(PAGE.format(irts.id)).get_data(as_text=True))
    assert "2 personnes ont suivi au moins une demi-journée." in text
    assert "Nature Action de formation" in text and "Durée totale 7 h 15" in text
    assert "il manque la raison sociale, le numéro SIRET" in text
    assert "<script>alert(1)</script> O’Brien Zoé =1+1 École 2 7 h 15" in text
    assert "Bruno" not in text and "Carl" not in text


def test_the_organiser_downloads_all_and_one(organiser_client, irts, people, demo):
    response = organiser_client.get(PAGE.format(irts.id) + "/tous.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert len(pdf_pages(response.data)) == 2
    one = organiser_client.get(PAGE.format(irts.id) + f"/{people['dmitri'].id}.pdf")
    [page] = pdf_pages(one.data)
    assert "Дмитрий Ἀλέξανδρος 王" in page
    for nobody in (people["bruno"], people["carl"]):
        assert organiser_client.get(PAGE.format(irts.id) + f"/{nobody.id}.pdf"
                                    ).status_code == 404
    other = next(e for e in demo.values() if e.id != irts.id)
    foreign = add(other, "Autre", "Journée", present=True)
    db.session.commit()
    assert organiser_client.get(PAGE.format(irts.id) + f"/{foreign.id}.pdf").status_code == 404
    assert organiser_client.get(PAGE.format(other.id)).status_code == 404
    assert [(e.action, e.rows) for e in db.session.scalars(select(AuditEntry))] == [
        ("organiser.download_completion_certificates", 2),
        ("organiser.download_completion_certificates", 1)]


def test_organiser_pages_need_a_login(client, irts):
    for url in (PAGE.format(irts.id), PAGE.format(irts.id) + "/tous.pdf", IDENTITY):
        assert client.get(url).status_code in (302, 401)
    assert client.post(PAGE.format(irts.id) + "/envoyer").status_code in (302, 401)


# The attendee's own certificate -----------------------------------------------------------

def test_attendee_download_only_after_the_day_and_if_they_attended(client, irts, people,
                                                                    pin_today):
    zoe = people["zoe"]
    url = f"/r/{zoe.token}/certificat-realisation.pdf"
    assert client.get(url).status_code == 404
    assert "certificat de réalisation" not in client.get(f"/r/{zoe.token}").get_data(
        as_text=True)
    pin_today(AFTER)
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    [page] = pdf_pages(response.data)
    assert "Zoé <script>alert(1)</script> O’Brien a suivi l’action" in page
    assert "Télécharger mon certificat de réalisation" in client.get(
        f"/r/{zoe.token}").get_data(as_text=True)
    for nobody in (people["bruno"], people["carl"]):
        assert client.get(f"/r/{nobody.token}/certificat-realisation.pdf").status_code == 404
        assert "certificat de réalisation" not in client.get(
            f"/r/{nobody.token}").get_data(as_text=True)
    purge(DAY + timedelta(days=91))
    db.session.commit()
    assert client.get(url).status_code == 404


# E-mail -----------------------------------------------------------------------------------

@pytest.fixture
def smtp_irts(app_factory, smtp, monkeypatch):
    app = app_factory(**sending_to(smtp, after_commit=False))
    with app.app_context():
        from journee.demo import load_demo

        event = next(e for e in load_demo(original_dates=True)
                     if e.slug == "travail-social-epreuve-numerique-2018")
        db.session.commit()
        for module in ("certificates", "completion"):
            monkeypatch.setattr(f"journee.attendance.services.{module}.today_in",
                                lambda timezone="Europe/Paris": AFTER)
        yield app, event


def test_sent_once_after_the_day_with_the_pdf(smtp_irts, smtp):
    from journee.attendance.operations import send_completion_certificates
    from journee.attendance.services.certificates import CertificatesNotYet
    from journee.auth.models import User

    app, event = smtp_irts
    organiser = User(email="orga@example.org", name="orga")
    organiser.set_password("mot-de-passe-solide")
    db.session.add(organiser)
    zoe = add(event, "Zoé", "N’Diaye", "zoe@example.org", present=True)
    add(event, "Léo", "Sans-Adresse", None, present=True)
    add(event, "Bruno", "Absent", "bruno@example.org")
    identity()
    with pytest.raises(CertificatesNotYet, match="qu’après la journée"):
        send_completion_certificates(event, by=organiser, today=DAY)
    assert send_completion_certificates(event, by=organiser) == 1
    db.session.commit()
    deliver_pending()
    [message] = received_by(smtp, "zoe@example.org")
    assert subject_of(message) == " ".join(f"Certificat de réalisation : {event.title}".split())
    body = prose_of(message)
    title = " ".join(event.title.split())
    assert f"Votre certificat de réalisation de l’action « {title} »" in body
    assert "il indique 7 h 15 de présence" in body
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    [page] = pdf_pages(attachment.get_content())
    assert "Zoé N’Diaye, salarié(e) de l’entreprise IRTS-IDS Normandie" in page
    assert "Assiduité du stagiaire : 7 h 15 réalisées." in page
    db.session.expire_all()
    assert zoe.completion_certificate_sent_at is not None
    # A second time sends nothing more.
    assert send_completion_certificates(event, by=organiser) == 0
    db.session.commit()
    deliver_pending()
    assert len(smtp.messages) == 1
    kinds = [m.kind for m in db.session.scalars(select(OutboxMessage))]
    assert kinds == ["completion_certificate"]
    assert [(e.action, e.rows) for e in db.session.scalars(select(AuditEntry))] == [
        ("organiser.send_completion_certificates", 1)]


def test_the_send_button_after_the_day(organiser_client, irts, people, pin_today):
    html = organiser_client.get(PAGE.format(irts.id)).get_data(as_text=True)
    assert "Envoyer les certificats par e-mail" not in html
    organiser_client.post(PAGE.format(irts.id) + "/envoyer")
    assert db.session.scalars(select(OutboxMessage)).all() == []
    pin_today(AFTER)
    text = text_of(organiser_client.get(PAGE.format(irts.id)).get_data(as_text=True))
    assert "Envoyer les certificats par e-mail (1 personne)" in text
    response = organiser_client.post(PAGE.format(irts.id) + "/envoyer")
    assert response.status_code == 302
    assert [m.to_address for m in db.session.scalars(select(OutboxMessage))] == [
        "zoe@example.org"]
    text = text_of(organiser_client.get(PAGE.format(irts.id)).get_data(as_text=True))
    assert "ont reçu leur certificat par e-mail" in text


def test_an_unknown_nature_is_refused_in_french_and_the_objectives_kept(organiser_client,
                                                                         irts):
    url = f"/admin/journees/{irts.id}/modifier"
    response = organiser_client.post(url, data={
        "title": irts.title, "starts_on": "2018-03-15", "ends_on": "2018-03-15",
        "workshop_choices": "3", "retention_days": "90", "waitlist_enabled": "oui",
        "workshop_mode": "preferences", "action_objectives": "<script>x</script> Objectif",
        "action_nature": "stage"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert ("Nature de l’action concourant au développement des compétences : Choisissez "
            "une des options proposées.") in text_of(html)
    assert "&lt;script&gt;x&lt;/script&gt; Objectif</textarea>" in html
    db.session.expire_all()
    assert irts.action_nature == ActionNature.TRAINING and irts.action_objectives == ""


def test_a_duplicated_day_keeps_its_objectives_and_nature(app, irts):
    from journee.programme.services import duplicate_event

    irts.action_objectives = "Repérer les usages du numérique."
    irts.action_nature = ActionNature.APPRENTICESHIP
    db.session.commit()
    copy = duplicate_event(irts, date(2019, 3, 14), today=date(2018, 6, 1))
    db.session.commit()
    db.session.expire_all()
    assert (copy.action_objectives, copy.action_nature) == (
        "Repérer les usages du numérique.", ActionNature.APPRENTICESHIP)


def test_a_second_sender_that_saw_nobody_sent_sends_nothing(app, irts, people):
    """Two organisers click at once: the second read the registrations before the first
    committed, and still sends nothing twice."""
    from sqlalchemy.orm.attributes import set_committed_value

    from journee.attendance.services.completion import queue_completion_certificates

    assert queue_completion_certificates(irts, AFTER) == 1
    db.session.commit()
    zoe = people["zoe"]
    assert zoe.completion_certificate_sent_at is not None
    set_committed_value(zoe, "completion_certificate_sent_at", None)  # as seen earlier
    assert queue_completion_certificates(irts, AFTER) == 0
    db.session.commit()
    assert [m.to_address for m in db.session.scalars(select(OutboxMessage))] == [
        "zoe@example.org"]


def test_the_hours_attended_agree_in_the_singular(app, irts):
    from journee.attendance.services.completion import completion_action
    from journee.documents.completion_pdf import (
        CompletionAttendee,
        build_completion_certificates,
    )

    identity()
    one, seven = pdf_pages(build_completion_certificates(completion_action(irts), [
        CompletionAttendee("Zoé", "Martin", "", format_duration(60)),
        CompletionAttendee("Inès", "Durand", "", format_duration(420))]))
    assert "Assiduité du stagiaire : 1 heure réalisée." in one
    assert "Assiduité du stagiaire : 7 heures réalisées." in seven
