"""The evidence pack for the Qualiopi auditor, opened back: the names in the ZIP, each
PDF read with pdftotext (the summary's figures against the database), the workbooks
with openpyxl, the read-me; and who may download it."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from io import BytesIO
from zipfile import ZIP_DEFLATED, ZipFile
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from support.registration import add, slot_of
from support.surveys import answer_all, folded, invitation_of, invited, pdf_text, people

from journee.audit.models import AuditEntry
from journee.extensions import db
from journee.programme.models import WorkshopMode
from journee.registration.models import Registration, RegistrationStatus
from journee.surveys import jobs
from journee.surveys.models import Wave

COLD_DAY = datetime(2018, 5, 14, 9, 0)
"""Sixty days after the IRTS-IDS day: the « à froid » invitations leave."""
HOSTILE_FIRST, HOSTILE_LAST = "<script>alert(1)</script>", "=SUM(A1)"


@pytest.fixture
def first_come(irts):
    irts.workshop_mode = WorkshopMode.FIRST_COME
    db.session.commit()
    return irts


def pack_of(client, event) -> tuple[ZipFile, object]:
    response = client.get(f"/admin/journees/{event.id}/dossier-qualiopi.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert int(response.headers["Content-Length"]) == len(response.data)
    return ZipFile(BytesIO(response.data)), response


def confirmed(event, present: bool | None = None) -> int:
    query = select(func.count()).select_from(Registration).where(
        Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED)
    if present:
        query = query.where(Registration.checked_in_at.is_not(None))
    return db.session.scalar(query)


def test_the_pack_opened_back(organiser_client, first_come):
    workshops = slot_of(first_come).workshops
    hostile = add(first_come, HOSTILE_FIRST, HOSTILE_LAST, "hostile@example.org",
                  choices=[workshops[1]])
    hostile.checked_in_at = datetime(2018, 3, 15, 8, 40)
    people(first_come, 2, present=False, prefix="absent")
    survey, invitations = invited(first_come, 6, workshop=workshops[0])
    invitations.append((hostile, invitation_of(hostile).token))
    # « À chaud »: five answers out of seven invitations; « à froid »: two out of seven.
    answer_all(organiser_client, survey, invitations[:5], [5, 5, 4, 2, 1],
               ["Très riche", "<b>gras</b> & =1+1", None, None, None])
    jobs.queue_invitations(COLD_DAY)
    cold = [(r, invitation_of(r, Wave.COLD).token) for r, _ in invitations]
    answer_all(organiser_client, survey, cold[:2], [4, 3])

    archive, response = pack_of(organiser_client, first_come)
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="dossier-qualiopi-travail-social-epreuve-numerique-2018.zip"')
    assert "no-store" in response.headers["Cache-Control"]
    assert archive.namelist() == [
        "00-synthese.pdf", "01-programme.pdf", "02-feuilles-emargement/journee.pdf",
        "02-feuilles-emargement/atelier-01-handicap-enfant.pdf",
        "02-feuilles-emargement/atelier-02-handicap-adulte.pdf",
        "02-feuilles-emargement/atelier-03-protection-de-l-enfance.pdf",
        "02-feuilles-emargement/atelier-04-personnes-agees.pdf",
        "02-feuilles-emargement/atelier-05-intervention-socio-urbaine.pdf",
        "02-feuilles-emargement/atelier-06-exclusion-et-insertion.pdf",
        "03-attestations-de-presence.pdf", "04-certificats-de-realisation.pdf",
        "05-questionnaires/a-chaud-resultats.pdf", "05-questionnaires/a-chaud-resultats.xlsx",
        "05-questionnaires/a-froid-resultats.pdf", "05-questionnaires/a-froid-resultats.xlsx",
        "LISEZ-MOI.txt"]
    assert all(info.compress_type == ZIP_DEFLATED for info in archive.infolist())
    # Dated in Paris time, like the « généré le » of the summary and the read-me.
    paris = datetime.now(ZoneInfo("Europe/Paris")).replace(tzinfo=None)
    assert all(abs(datetime(*info.date_time) - paris) < timedelta(minutes=5)
               for info in archive.infolist())

    # The summary's figures are those of the database.
    registered, present = confirmed(first_come), confirmed(first_come, present=True)
    assert present == 7 and registered >= 9
    summary = folded(pdf_text(archive.read("00-synthese.pdf")))
    assert "Synthèse de l’action" in summary and folded(first_come.title) in summary
    assert "jeudi 15 mars 2018" in summary and "IRTS-IDS Normandie, Allée de Flore" in summary
    assert "Organisme IRTS-IDS Normandie et son Réseau de Partenaires" in summary
    assert f"Inscrit·es confirmé·es {registered} " in summary
    assert "Personnes présentes (au moins une demi-journée) 7 " in summary
    # Morning 8 h 30 – 12 h 30 (4 h) and afternoon 14 h – 17 h 15 (3 h 15): 7 h 15 each.
    assert "Heures de formation délivrées 50 h 45 " in summary
    assert "Durée moyenne par personne présente 7 h 15 " in summary
    assert "Attestations de présence délivrées 7 " in summary
    assert "Certificats de réalisation délivrés 7 " in summary
    # pdftotext may lose the no-break space of « 4 h » in a narrow cell.
    assert re.search(r"Matin 8 h 30 – 12 h 30 4 ?h 7 Après-midi 14 h – 17 h 15 3 ?h 15 7 ",
                     summary)
    assert ("Taux de réponse, à chaud : 5 réponses sur 7 invitations envoyées (71 %)."
            in summary)
    assert ("Taux de réponse, à froid : 2 réponses sur 7 invitations envoyées (29 %)."
            in summary)
    # 5, 5, 4 then 4 out of seven answers in all give 4 or 5.
    assert "Taux de satisfaction : 57 % (part des réponses 4 ou 5 sur 5" in summary
    assert re.search(r"Document généré le \w+ \d+ \w+ 20\d\d à \d+ h", summary)

    programme = folded(pdf_text(archive.read("01-programme.pdf")))
    assert folded(first_come.title) in programme and "Handicap enfant" in programme

    day = folded(pdf_text(archive.read("02-feuilles-emargement/journee.pdf")))
    assert HOSTILE_FIRST in day and HOSTILE_LAST in day and "DURAND-ABSENT-0" in day.upper()
    first_sheet = folded(pdf_text(archive.read(
        "02-feuilles-emargement/atelier-01-handicap-enfant.pdf")))
    assert all(f"Durand-personne-{n}".upper() in first_sheet.upper() for n in range(6))
    assert HOSTILE_LAST not in first_sheet

    certificates = pdf_text(archive.read("03-attestations-de-presence.pdf"))
    assert certificates.count("\f") == 7
    assert HOSTILE_FIRST in certificates and "absent" not in certificates.lower()

    completion = pdf_text(archive.read("04-certificats-de-realisation.pdf"))
    assert completion.count("\f") == 7 and HOSTILE_FIRST in completion
    assert "7 h 15" in completion.replace("\u202f", " ").replace("\xa0", " ")

    hot = folded(pdf_text(archive.read("05-questionnaires/a-chaud-resultats.pdf")))
    assert "questionnaire « à chaud »" in hot and "5 réponses." in hot
    assert "À chaud : 5 réponses sur 7 invitations envoyées (71 %)." in hot
    assert "Taux de satisfaction : 60 %" in hot
    assert "<b>gras</b> & =1+1" in hot and "Très riche" in hot
    cold_pdf = folded(pdf_text(archive.read("05-questionnaires/a-froid-resultats.pdf")))
    assert "2 réponses." in cold_pdf and "Taux de satisfaction : 50 %" in cold_pdf
    assert "Très riche" not in cold_pdf

    workbook = load_workbook(BytesIO(archive.read("05-questionnaires/a-chaud-resultats.xlsx")))
    rows = [[cell.value for cell in row] for row in workbook["Réponses"].iter_rows()]
    overall = survey.questions[0].text
    assert [overall, "5 – Tout à fait satisfait·e", 2] in rows
    assert [overall, "1 – Pas du tout satisfait·e", 1] in rows
    comments = [row[1] for row in workbook["Commentaires"].iter_rows()]
    assert "<b>gras</b> & =1+1" in [c.value for c in comments]
    assert all(c.data_type == "s" for c in comments if c.value)
    cold_book = load_workbook(BytesIO(archive.read("05-questionnaires/a-froid-resultats.xlsx")))
    rows = [[cell.value for cell in row] for row in cold_book["Réponses"].iter_rows()]
    assert [overall, "4", 1] in rows and [overall, "3", 1] in rows

    readme = archive.read("LISEZ-MOI.txt").decode("utf-8")
    assert readme.startswith("Dossier de preuves Qualiopi\n")
    assert "Journée d’étude\u202f: «\u202fLe travail social" in readme
    title = first_come.title.replace("\u202f", " ")
    assert f"Journée d’étude : « {title} »" in readme.replace("\u202f", " ")
    for name in archive.namelist()[:-1]:
        assert f"   - {name}\n" in readme
    assert ("6. Questionnaires de satisfaction\n   Ce que cela prouve\u202f: les "
            "appréciations des participant·es") in readme
    assert "indicateur 30\u202f: recueil des appréciations" in readme
    assert "indicateur 2\u202f: indicateurs de résultats" in readme

    [entry] = db.session.scalars(select(AuditEntry).filter_by(
        action="organiser.download_evidence")).all()
    assert entry.event_id == first_come.id and entry.rows == 16
    # Each sheet in the pack carries its seal, and the audit log keeps the same one.
    seals = db.session.scalars(select(AuditEntry.target).filter_by(
        action="signin.seal", event_id=first_come.id)).all()
    assert len(seals) == 7
    day_seal = re.search(r"SHA-256 ([0-9a-f]{64})", next(
        seal for seal in seals if "atelier" not in seal.lower()))[1]
    assert day_seal in day.replace("\n", "")


def test_a_pack_without_presence_nor_questionnaire_says_so(organiser_client, irts):
    archive, _ = pack_of(organiser_client, irts)
    names = archive.namelist()
    assert not any(name.startswith(("03-", "04-", "05-")) for name in names)
    readme = archive.read("LISEZ-MOI.txt").decode("utf-8").replace("\u202f", " ")
    assert "Aucune personne n’est notée présente : pas d’attestation." in readme
    assert "Aucun questionnaire n’a été envoyé pour cette journée." in readme
    summary = folded(pdf_text(archive.read("00-synthese.pdf")))
    assert "Heures de formation délivrées 0 min " in summary
    assert "Durée moyenne par personne présente — " in summary
    assert "Aucun questionnaire envoyé pour cette journée." in summary


def test_a_large_pack_is_streamed_from_a_temporary_file(organiser_client, irts,
                                                        monkeypatch):
    from journee.evidence import admin

    monkeypatch.setattr(admin, "IN_MEMORY", 10_000)
    response = organiser_client.get(f"/admin/journees/{irts.id}/dossier-qualiopi.zip")
    assert response.is_streamed and response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    data = response.data
    assert int(response.headers["Content-Length"]) == len(data) > 10_000
    assert ZipFile(BytesIO(data)).namelist()[:2] == ["00-synthese.pdf", "01-programme.pdf"]


def test_the_event_home_links_to_the_pack(organiser_client, irts):
    page = organiser_client.get(f"/admin/journees/{irts.id}/").get_data(as_text=True)
    assert f'href="/admin/journees/{irts.id}/dossier-qualiopi.zip"' in page
    assert "Dossier de preuves Qualiopi (ZIP)" in page


def test_only_the_event_s_organisers_download_the_pack(client, make_user, login, demo, irts):
    other = next(event for event in demo.values() if event is not irts)
    url = f"/admin/journees/{irts.id}/dossier-qualiopi.zip"
    assert client.get(url).headers["Location"].startswith("/connexion")
    login(make_user("autre@example.org", events=[other]))
    assert client.get(url).status_code == 404
    assert not db.session.scalars(select(AuditEntry).filter_by(
        action="organiser.download_evidence")).all()


def test_a_two_day_event_without_a_programme_still_gives_its_pack(client, make_user, login):
    from datetime import date

    from journee.programme.models import Event, EventMembership

    event = Event(slug="deux-jours", title="Deux jours «\u00a0<vides>\u00a0»",
                  starts_on=date(2027, 3, 18), ends_on=date(2027, 3, 19))
    db.session.add(event)
    db.session.commit()
    user = make_user()
    db.session.add(EventMembership(event=event, user=user))
    db.session.commit()
    login(user)
    archive, _ = pack_of(client, event)
    assert archive.namelist() == ["00-synthese.pdf", "01-programme.pdf",
                                  "02-feuilles-emargement/journee.pdf", "LISEZ-MOI.txt"]
    summary = folded(pdf_text(archive.read("00-synthese.pdf")))
    assert "Deux jours « <vides> »" in summary
    assert "du jeudi 18 mars 2027 au vendredi 19 mars 2027" in summary
    assert ("jeudi 18 mars 2027, matin — 0 min 0 jeudi 18 mars 2027, après-midi — 0 min 0 "
            "vendredi 19 mars 2027, matin") in summary
