"""A presence attested after the fact: on a half-day's correction page, an organiser records
the person the live sign-in missed (the wrong name picked at the desk, a paper sheet signed
while the tablet was down), with who attests it and why. The record counts like the
desk's attested presence, the signed sheet says it was recorded after the fact, and the
audit log keeps the trace. Never for a half-day to come, nor for reception staff."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from sqlalchemy import func, select
from support.documents import AFTER, pdf_text
from support.pages import csrf_token_from, text_of
from support.registration import add
from support.signatures import signature_png

from journee.attendance.models import HalfDaySignature
from journee.attendance.services import half_day_signatures as signing
from journee.attendance.services import signed_sheets
from journee.attendance.services.half_day_signatures import Signer
from journee.attendance.services.signin import half_days
from journee.audit.models import AuditEntry
from journee.extensions import db
from journee.programme.models import EventMembership
from journee.registration.models import Profile, Registration, RegistrationStatus

# The IRTS-IDS day, 15 March 2018 in Paris (UTC+1): morning 8 h 30 – 12 h 30 (4 h),
# afternoon 14 h – 17 h 15 (3 h 15). Times below are UTC, as stored.
MORNING_9H12 = datetime(2018, 3, 15, 8, 12)
AFTERNOON_14H05 = datetime(2018, 3, 15, 13, 5)
NEXT_DAY_10H = datetime(2018, 3, 16, 9, 0)
REASON = "A signé la feuille papier pendant la panne de la tablette"


@pytest.fixture
def clock(monkeypatch):
    """« Now » for the signing rules: the next day, 10 h in Paris, every window closed."""
    now = {"value": NEXT_DAY_10H}
    monkeypatch.setattr(signing, "utcnow", lambda: now["value"])
    return now


@pytest.fixture
def day(irts, clock):
    """Zoé signed both half-days; Łukasz signed the afternoon only (someone else was
    picked for him in the morning, and that record was cancelled); Marie is on the
    waiting list, Paul cancelled."""
    morning, afternoon = half_days(irts)
    zoe = add(irts, "Zoé", "<script>Lefèvre</script>", "zoe@example.org",
              organisation="=SOMME(A1)")
    lukasz = add(irts, "Łukasz", "Żółć", "lukasz@example.org", organisation="IRTS Caen")
    token = lukasz.token
    marie = add(irts, "Marie", "Curie", "marie@example.org")
    paul = add(irts, "Paul", "Martin", "paul@example.org")
    marie.status = RegistrationStatus.WAITLISTED
    paul.status = RegistrationStatus.CANCELLED
    signing.sign(irts, morning, Signer(registration=zoe), signature_png(),
                 "accueil@example.org", now=MORNING_9H12)
    signing.sign(irts, afternoon, Signer(registration=zoe), signature_png(seed=2),
                 "accueil@example.org", now=AFTERNOON_14H05)
    signing.sign(irts, afternoon, Signer(registration=lukasz), signature_png(seed=3),
                 "accueil@example.org", now=AFTERNOON_14H05)
    db.session.commit()
    return {"zoe": zoe, "lukasz": lukasz, "lukasz_token": token, "marie": marie,
            "paul": paul, "morning": morning, "afternoon": afternoon}


def page_url(irts, part: str = "matin") -> str:
    return f"/admin/journees/{irts.id}/emargement/corrections/2018-03-15-{part}"


def attest_url(irts, part: str = "matin") -> str:
    return page_url(irts, part) + "/attester"


def form(person, **overrides) -> dict:
    return {"registration": str(person.id), "attested_by": "Claire d’Accueil",
            "reason": REASON, **overrides}


def record_of(registration, half) -> HalfDaySignature | None:
    return db.session.scalar(select(HalfDaySignature).filter_by(
        registration_id=registration.id, half_day_start=half.key))


def records() -> int:
    return db.session.scalar(select(func.count()).select_from(HalfDaySignature))


def late_entries() -> list[AuditEntry]:
    return db.session.scalars(select(AuditEntry).filter_by(action="signin.attest_late")).all()


def nothing_recorded() -> None:
    db.session.expire_all()
    assert records() == 3 and late_entries() == []


def certificate_hours(client, token, monkeypatch) -> str:
    for module in ("journee.attendance.services.certificates",
                   "journee.attendance.services.completion",
                   "journee.registration.views"):
        monkeypatch.setattr(f"{module}.today_in", lambda timezone="Europe/Paris": AFTER)
    response = client.get(f"/r/{token}/certificat-realisation.pdf")
    assert response.status_code == 200
    text = " ".join(pdf_text(response.data).split())
    return re.search(r"Assiduité du stagiaire : [^.]*\.", text).group(0)


def test_the_page_offers_the_people_without_a_record(organiser_client, irts, day):
    page = organiser_client.get(page_url(irts)).get_data(as_text=True)
    text = text_of(page)
    assert "Attester une présence après coup" in text
    options = re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', page)
    # Confirmed people without a morning record: not Zoé (signed), Marie, Paul.
    assert [name for _, name in options] == ["ŻÓŁĆ Łukasz – IRTS Caen"]
    # Prefilled with the organiser's name; the hint warns against health data.
    assert 'value="organisatrice"' in page
    assert "n’y indiquez rien de la santé de la personne" in text
    assert "<script>Lefèvre" not in page


def test_the_organiser_records_a_late_presence(organiser_client, client, irts, day,
                                               monkeypatch):
    lukasz, morning = day["lukasz"], day["morning"]
    assert certificate_hours(client, day["lukasz_token"], monkeypatch) == (
        "Assiduité du stagiaire : 3 h 15 réalisées.")

    response = organiser_client.post(attest_url(irts), data=form(lukasz))
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/emargement/corrections/2018-03-15-matin")
    db.session.expire_all()
    record = record_of(lukasz, morning)
    assert record.image is None and record.attested_by == "Claire d’Accueil"
    assert record.reason == REASON and record.collected_by == "organisatrice@example.org"
    assert record.signed_at == NEXT_DAY_10H
    assert record.attested_late
    [entry] = late_entries()
    assert entry.actor == "Organisateur·rice organisatrice@example.org"
    assert entry.event_id == irts.id
    assert entry.target == (
        f"Inscription n°\u00a0{lukasz.id} — le matin du jeudi 15\u00a0mars 2018 — "
        f"motif\u202f: {REASON} — attestée par Claire d’Accueil")

    listing = text_of(organiser_client.get(response.headers["Location"]).get_data(
        as_text=True))
    assert ("La présence de Łukasz Żółć est attestée après coup pour le matin du jeudi "
            "15 mars 2018.") in listing
    assert ("Łukasz Żółć IRTS Caen Participant·e Présence attestée après coup par Claire "
            "d’Accueil le vendredi 16 mars 2018 à 10 h organisatrice@example.org") in listing
    # Nobody left to pick.
    assert ("Toutes les personnes inscrites et confirmées ont un émargement pour le matin "
            "du jeudi 15 mars 2018.") in listing

    # The completion certificate counts the morning too.
    assert certificate_hours(client, day["lukasz_token"], monkeypatch) == (
        "Assiduité du stagiaire : 7 h 15 réalisées.")
    # The signed sheet says it was not taken live, and when it was recorded.
    sheet = pdf_text(signed_sheets.signed_day_sheet_pdf(irts))
    row = " ".join(sheet.split("ŻÓŁĆ")[0].split("LEFÈVRE")[1].split()) + " ".join(
        sheet.split("ŻÓŁĆ")[1].split("Signature de l’organisateur")[0].split())
    assert "Présence attestée par Claire" in row
    assert "d’Accueil (après coup, le vendredi 16 mars 2018 à 10 h)" in row
    # Stored when written: a wider tolerance afterwards does not make it look live.
    irts.signin_tolerance_minutes = 24 * 60
    db.session.commit()
    assert "(après coup, le vendredi 16 mars 2018 à 10 h)" in " ".join(
        pdf_text(signed_sheets.signed_day_sheet_pdf(irts)).split())
    irts.signin_tolerance_minutes = 30
    db.session.commit()
    journal = text_of(organiser_client.get(f"/admin/journees/{irts.id}/journal").get_data(
        as_text=True))
    assert ("Présence attestée après coup par l’équipe organisatrice (une demi-journée "
            "commencée ou passée), avec son motif") in journal


def test_a_certificate_already_sent_leaves_again_corrected(organiser_client, irts, day):
    """Łukasz had his certificate for the afternoon only: the organiser's correction
    sends him the corrected one, and says so; nobody else gets anything."""
    from datetime import datetime as moment

    from support.registration import sent_to

    lukasz = day["lukasz"]
    lukasz.completion_certificate_sent_at = day["zoe"].completion_certificate_sent_at = \
        moment(2018, 3, 16, 8, 0)
    db.session.commit()
    response = organiser_client.post(attest_url(irts), data=form(lukasz))
    listing = text_of(organiser_client.get(response.headers["Location"]).get_data(
        as_text=True))
    assert ("Son certificat de réalisation, déjà envoyé, lui est renvoyé corrigé par "
            "e-mail.") in listing
    [message] = sent_to("lukasz@example.org", "completion_certificate")
    [pdf] = [part for part in message.iter_attachments()
             if part.get_content_type() == "application/pdf"]
    assert "Assiduité du stagiaire : 7 h 15 réalisées." in " ".join(
        pdf_text(pdf.get_content()).split())
    assert sent_to("zoe@example.org", "completion_certificate") == []


def test_a_late_presence_recorded_by_mistake_is_cancelled_like_any_other(
        organiser_client, irts, day):
    organiser_client.post(attest_url(irts), data=form(day["lukasz"]))
    record = record_of(day["lukasz"], day["morning"])
    page = text_of(organiser_client.get(
        f"/admin/journees/{irts.id}/emargement/enregistrements/{record.id}/annuler"
    ).get_data(as_text=True))
    assert ("Émargement Présence attestée après coup par Claire d’Accueil le vendredi "
            "16 mars 2018 à 10 h") in page
    response = organiser_client.post(
        f"/admin/journees/{irts.id}/emargement/enregistrements/{record.id}/annuler",
        data={"reason": "Homonyme"})
    assert response.status_code == 302
    target = db.session.scalar(select(AuditEntry.target).filter_by(action="signin.cancel"))
    assert ("présence attestée après coup le vendredi 16\u00a0mars 2018 à 10\u00a0h"
            in target)
    db.session.expire_all()
    assert record_of(day["lukasz"], day["morning"]) is None


def test_it_marks_the_person_present_at_the_door(organiser_client, irts, day):
    marc = add(irts, "Marc", "Dubois", "marc@example.org")
    assert marc.checked_in_at is None
    response = organiser_client.post(attest_url(irts), data=form(marc))
    assert response.status_code == 302
    db.session.expire_all()
    marc = db.session.get(Registration, marc.id)
    assert marc.checked_in_at is not None
    assert marc.checked_in_by == "organisatrice@example.org"


def test_a_double_submit_gets_the_already_recorded_refusal(organiser_client, irts, day):
    assert organiser_client.post(attest_url(irts), data=form(day["lukasz"])).status_code == 302
    response = organiser_client.post(attest_url(irts), data=form(day["lukasz"]))
    assert response.status_code == 200
    text = text_of(response.get_data(as_text=True))
    assert "Le formulaire contient 1 erreur" in text
    assert ("Łukasz Żółć a déjà une présence attestée pour le matin du jeudi 15 mars 2018, "
            "le vendredi 16 mars 2018 à 10 h.") in text
    db.session.expire_all()
    assert records() == 4 and len(late_entries()) == 1


def test_refused_for_someone_who_signed(organiser_client, irts, day):
    response = organiser_client.post(attest_url(irts), data=form(day["zoe"]))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert ("Zoé <script>Lefèvre</script> a déjà signé pour le matin du jeudi 15 mars 2018, "
            "le jeudi 15 mars 2018 à 9 h 12.") in text_of(page)
    assert "<script>Lefèvre" not in page
    db.session.expire_all()
    assert record_of(day["zoe"], day["morning"]).image is not None
    assert records() == 3 and late_entries() == []


@pytest.mark.parametrize("who, refusal", [
    ("marie", "Marie Curie est sur la liste d’attente : confirmez d’abord sa place pour "
              "attester sa présence."),
    ("paul", "L’inscription de Paul Martin est annulée : sa présence ne peut pas être "
             "attestée."),
])
def test_refused_for_a_waitlisted_or_cancelled_registration(organiser_client, irts, day,
                                                            who, refusal):
    response = organiser_client.post(attest_url(irts), data=form(day[who]))
    assert response.status_code == 200
    assert refusal in text_of(response.get_data(as_text=True))
    nothing_recorded()
    assert db.session.get(Registration, day[who].id).checked_in_at is None


def test_refused_for_a_half_day_to_come(organiser_client, irts, day, clock):
    clock["value"] = datetime(2018, 3, 15, 10, 0)  # 11 h in Paris: the morning goes on
    page = text_of(organiser_client.get(page_url(irts, "apres-midi")).get_data(as_text=True))
    assert ("Cette demi-journée n’a pas encore commencé : vous pourrez attester une présence "
            "après coup à partir du jeudi 15 mars 2018 à 14 h.") in page
    response = organiser_client.post(attest_url(irts, "apres-midi"),
                                     data=form(day["marie"], registration=str(
                                         add(irts, "Marc", "Dubois").id)))
    assert response.status_code == 200
    assert ("L’après-midi du jeudi 15 mars 2018 n’a pas encore commencé : une présence ne "
            "peut être attestée qu’à partir du jeudi 15 mars 2018 à 14 h.") in text_of(
        response.get_data(as_text=True))
    nothing_recorded()


def test_allowed_once_the_half_day_has_started(organiser_client, irts, day, clock):
    clock["value"] = datetime(2018, 3, 15, 10, 0)  # 11 h in Paris, the window open
    response = organiser_client.post(attest_url(irts), data=form(day["lukasz"]))
    assert response.status_code == 302
    db.session.expire_all()
    record = record_of(day["lukasz"], day["morning"])
    assert record is not None and record.attested_late


def test_refused_for_a_half_day_signed_on_paper(organiser_client, irts, day):
    for record in db.session.scalars(select(HalfDaySignature).filter_by(
            half_day_start=day["morning"].key)):
        db.session.delete(record)
    db.session.commit()
    page = text_of(organiser_client.get(page_url(irts)).get_data(as_text=True))
    assert ("Personne n’a émargé numériquement pour le matin du jeudi 15 mars 2018 : cette "
            "demi-journée compte sur la feuille papier") in page
    response = organiser_client.post(attest_url(irts), data=form(day["lukasz"]))
    assert response.status_code == 200
    assert "cette demi-journée compte sur la feuille papier" in text_of(
        response.get_data(as_text=True))
    db.session.expire_all()
    assert records() == 2 and late_entries() == []


def test_another_events_registration_is_not_found(organiser_client, irts, demo, day):
    etsup = next(event for event in demo.values() if event.id != irts.id)
    stranger = Registration(event=etsup, status=RegistrationStatus.CONFIRMED,
                            first_name="Inès", last_name="Abadie",
                            profile=Profile.PROFESSIONAL)
    db.session.add(stranger)
    db.session.commit()
    response = organiser_client.post(attest_url(irts), data=form(stranger))
    assert response.status_code == 404
    for forged in ("abc", "²", "9" * 30):  # never a 500, on SQLite or PostgreSQL
        assert organiser_client.post(attest_url(irts), data=form(
            day["lukasz"], registration=forged)).status_code == 404
    assert organiser_client.post(attest_url(irts).replace("2018-03-15", "2018-03-16"),
                                 data=form(day["lukasz"])).status_code == 404
    nothing_recorded()


@pytest.mark.parametrize("field, value, error", [
    ("reason", "", "Motif : Indiquez le motif."),
    ("reason", "   ", "Motif : Indiquez le motif."),
    ("reason", "x" * 151, "Motif : 150 caractères au plus."),
    ("reason", "deux\nlignes", "Motif :"),
    ("attested_by", "", "Indiquez qui atteste la présence."),
    ("registration", "", "Personne : Choisissez la personne dont vous attestez la présence."),
])
def test_the_form_is_checked_and_keeps_what_was_typed(organiser_client, irts, day, field,
                                                      value, error):
    data = {**form(day["lukasz"], attested_by="Zoé =SOMME(A1) d’Accueil"), field: value}
    response = organiser_client.post(attest_url(irts), data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    text = text_of(page)
    assert "Le formulaire contient 1 erreur" in text
    assert "<title>Erreurs – Corriger l’émargement" in page
    assert error in text
    assert 'aria-invalid="true"' in page
    if field != "attested_by":
        assert 'value="Zoé =SOMME(A1) d’Accueil"' in page
    if field != "reason":
        assert f'value="{REASON}"' in page
    if field != "registration":
        assert f'<option selected value="{day["lukasz"].id}"' in page
    nothing_recorded()


def test_without_a_name_on_the_account_who_attests_is_required(make_user, login, irts, day):
    user = make_user("sans-nom@example.org", events=[irts])
    user.name = ""
    db.session.commit()
    client = login(user)
    page = client.get(page_url(irts)).get_data(as_text=True)
    assert re.search(r'<input[^>]*id="attested_by"[^>]*value=""', page)
    response = client.post(attest_url(irts), data=form(day["lukasz"], attested_by=""))
    assert "Indiquez qui atteste la présence." in text_of(response.get_data(as_text=True))
    nothing_recorded()


@pytest.fixture
def reception_client(make_user, login, irts):
    user = make_user("accueil@example.org")
    db.session.add(EventMembership(event_id=irts.id, user_id=user.id, role="reception"))
    db.session.commit()
    return login(user)


def test_reception_staff_cannot(reception_client, irts, day):
    assert reception_client.get(page_url(irts)).status_code == 403
    assert reception_client.post(attest_url(irts), data=form(day["lukasz"])).status_code == 403
    nothing_recorded()


def test_other_events_organisers_get_not_found(make_user, login, demo, irts, day):
    other = next(event for event in demo.values() if event.id != irts.id)
    client = login(make_user("autre@example.org", events=[other]))
    assert client.post(attest_url(irts), data=form(day["lukasz"])).status_code == 404
    nothing_recorded()


def test_the_form_needs_its_csrf_token(csrf_app, monkeypatch):
    from journee.auth.models import User
    from journee.demo import load_demo

    monkeypatch.setattr(signing, "utcnow", lambda: NEXT_DAY_10H)
    irts = next(event for event in load_demo(original_dates=True)
                if event.slug == "travail-social-epreuve-numerique-2018")
    zoe, lukasz = add(irts, "Zoé", "Lefèvre"), add(irts, "Łukasz", "Żółć")
    signing.sign(irts, half_days(irts)[0], Signer(registration=zoe), signature_png(),
                 "accueil@example.org", now=MORNING_9H12)
    user = User(email="organisatrice@example.org", name="Claire")
    user.set_password("mot-de-passe-solide")
    db.session.add_all([user, EventMembership(event=irts, user=user)])
    db.session.commit()
    client = csrf_app.test_client()
    response = client.post("/connexion", data={
        "email": user.email, "password": "mot-de-passe-solide",
        "csrf_token": csrf_token_from(client.get("/connexion").get_data(as_text=True))})
    assert response.status_code == 302

    assert client.post(attest_url(irts), data=form(lukasz)).status_code == 400
    assert records() == 1
    token = csrf_token_from(client.get(page_url(irts)).get_data(as_text=True))
    response = client.post(attest_url(irts), data=form(lukasz, csrf_token=token))
    assert response.status_code == 302
    db.session.expire_all()
    assert records() == 2

