"""Correcting the digital sign-in: an organiser cancels a signature or an attested presence
recorded by mistake, with a reason; the row goes, the audit log keeps the trace, and the
signed sheet, the completion certificates and the attendee's own certificate follow.
Reception staff, facilitators and other events' organisers cannot."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select
from support.documents import AFTER, pdf_text
from support.pages import csrf_token_from, text_of
from support.registration import add, slot_of
from support.signatures import data_url, signature_png

from journee.attendance.models import HalfDaySignature
from journee.attendance.services import half_day_signatures as signing
from journee.attendance.services import signed_sheets
from journee.attendance.services.completion import completion_recipients
from journee.attendance.services.half_day_signatures import Signer
from journee.attendance.services.signin import half_days
from journee.audit.models import AuditEntry
from journee.extensions import db
from journee.facilitation.models import FacilitatorLink
from journee.programme.models import EventMembership
from journee.registration.models import Assignment, AssignmentSource, Registration

# The IRTS-IDS day, 15 March 2018 in Paris (UTC+1): morning 8 h 30 – 12 h 30 (4 h),
# afternoon 14 h – 17 h 15 (3 h 15). Times below are UTC, as stored.
MORNING_9H12 = datetime(2018, 3, 15, 8, 12)
MORNING_9H40 = datetime(2018, 3, 15, 8, 40)
AFTERNOON_14H05 = datetime(2018, 3, 15, 13, 5)
REASON = "Mauvaise personne sélectionnée à l’accueil"


@pytest.fixture
def clock(monkeypatch):
    """« Now » for the signing rules: 15 h 30 in Paris, the afternoon still open."""
    now = {"value": datetime(2018, 3, 15, 14, 30)}
    monkeypatch.setattr(signing, "utcnow", lambda: now["value"])
    return now


@pytest.fixture
def signed(irts, clock):
    """Zoé signs both half-days, Łukasz signs the morning and has his afternoon attested,
    the facilitator of workshop 1 signs the morning; everyone is in workshop 1."""
    morning, afternoon = half_days(irts)
    zoe = add(irts, "Zoé", "<script>Lefèvre</script>", "zoe@example.org",
              organisation="=SOMME(A1)")
    token = zoe.token
    lukasz = add(irts, "Łukasz", "Żółć", "lukasz@example.org")
    slot = slot_of(irts)
    workshop = slot.workshops[0]
    for person in (zoe, lukasz):
        db.session.add(Assignment(registration_id=person.id, session_id=slot.id,
                                  workshop_id=workshop.id, source=AssignmentSource.SOLVER))
    facilitator = workshop.facilitators[0].person
    signing.sign(irts, morning, Signer(registration=zoe), signature_png(),
                 "accueil@example.org", now=MORNING_9H12)
    signing.sign(irts, afternoon, Signer(registration=zoe), signature_png(seed=2),
                 "accueil@example.org", now=AFTERNOON_14H05)
    signing.sign(irts, morning, Signer(registration=lukasz), signature_png(seed=3),
                 "accueil@example.org", now=MORNING_9H40)
    signing.attest(irts, afternoon, Signer(registration=lukasz), "Paul d’Accueil",
                   "signature impossible", "accueil@example.org", now=AFTERNOON_14H05)
    signing.sign(irts, morning, Signer(person=facilitator), signature_png(seed=1),
                 facilitator.full_name, now=datetime(2018, 3, 15, 9, 50))
    db.session.commit()
    return {"zoe": zoe, "zoe_token": token, "lukasz": lukasz, "workshop": workshop,
            "facilitator": facilitator, "morning": morning, "afternoon": afternoon}


def record_of(registration=None, person=None, half=None) -> HalfDaySignature | None:
    query = select(HalfDaySignature)
    if registration is not None:
        query = query.filter_by(registration_id=registration.id)
    if person is not None:
        query = query.filter_by(person_id=person.id)
    if half is not None:
        query = query.filter_by(half_day_start=half.key)
    return db.session.scalar(query)


def cancel_url(irts, record) -> str:
    return f"/admin/journees/{irts.id}/emargement/enregistrements/{record.id}/annuler"


def records() -> int:
    return db.session.scalar(select(func.count()).select_from(HalfDaySignature))


def cancellations() -> list[AuditEntry]:
    return db.session.scalars(select(AuditEntry).filter_by(action="signin.cancel")).all()


def listing_url(irts) -> str:
    return f"/admin/journees/{irts.id}/emargement/corrections/2018-03-15-matin"


def nothing_changed() -> None:
    db.session.expire_all()
    assert records() == 5 and cancellations() == []


def test_the_sign_in_page_leads_to_each_half_days_corrections(organiser_client, irts,
                                                              signed):
    page = organiser_client.get(f"/admin/journees/{irts.id}/emargement").get_data(
        as_text=True)
    text = text_of(page)
    assert ("Corriger l’émargement pour le matin du jeudi 15 mars 2018 "
            "(3 émargements numériques)") in text
    assert ("Corriger l’émargement pour l’après-midi du jeudi 15 mars 2018 "
            "(2 émargements numériques)") in text
    assert f'href="/admin/journees/{irts.id}/emargement/corrections/2018-03-15-matin"' in page
    assert (f'href="/admin/journees/{irts.id}/emargement/corrections/2018-03-15-apres-midi"'
            in page)


def test_the_half_day_page_says_who_signed_when_and_who_collected_it(
        organiser_client, irts, signed):
    page = organiser_client.get(
        f"/admin/journees/{irts.id}/emargement/corrections/2018-03-15-apres-midi"
    ).get_data(as_text=True)
    text = text_of(page)
    assert "Après-midi du jeudi 15 mars 2018, 14 h – 17 h 15" in text
    assert ("Zoé <script>Lefèvre</script> =SOMME(A1) Participant·e Signé à 14 h 05 "
            "accueil@example.org Annuler cet émargement de Zoé <script>Lefèvre</script>"
            ) in text
    assert "<script>Lefèvre" not in page
    assert ("Łukasz Żółć Participant·e Présence attestée par Paul d’Accueil à 14 h 05 "
            "accueil@example.org") in text
    morning = text_of(organiser_client.get(
        f"/admin/journees/{irts.id}/emargement/corrections/2018-03-15-matin"
    ).get_data(as_text=True))
    facilitator = signed["facilitator"]
    assert (f"{facilitator.full_name}") in morning and "Animateur·rice Signé à 10 h 50" in morning
    # Participants first, then facilitators.
    assert morning.index("Żółć") < morning.index("Animateur·rice Signé")
    assert organiser_client.get(
        f"/admin/journees/{irts.id}/emargement/corrections/2018-03-16-matin").status_code == 404


def test_the_organiser_cancels_a_signature_with_a_reason_and_it_can_be_signed_again(
        organiser_client, irts, signed, clock):
    zoe, afternoon = signed["zoe"], signed["afternoon"]
    record = record_of(zoe, half=afternoon)
    checked_in_at = zoe.checked_in_at
    page = text_of(organiser_client.get(cancel_url(irts, record)).get_data(as_text=True))
    assert "Annuler l’émargement de Zoé <script>Lefèvre</script> ?" in page
    assert "Demi-journée Après-midi du jeudi 15 mars 2018" in page
    assert "Émargement Signé à 14 h 05" in page
    assert ("Le certificat de réalisation de Zoé <script>Lefèvre</script> ne comptera plus "
            "cette demi-journée (3 h 15 en moins), à moins d’une nouvelle signature ou d’une "
            "présence attestée par l’équipe.") in page
    assert "La présence de Zoé <script>Lefèvre</script> à l’accueil reste notée." in page
    assert ("Zoé <script>Lefèvre</script> pourra signer à nouveau, ou l’équipe attester sa "
            "présence, jusqu’à la fermeture de l’émargement, le jeudi 15 mars 2018 à "
            "17 h 45.") in page

    response = organiser_client.post(cancel_url(irts, record), data={"reason": REASON})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/emargement/corrections/2018-03-15-apres-midi")
    db.session.expire_all()
    assert record_of(zoe, half=afternoon) is None
    assert record_of(zoe, half=signed["morning"]) is not None  # only the one cancelled
    assert db.session.get(Registration, zoe.id).checked_in_at == checked_in_at
    [entry] = cancellations()
    assert entry.actor == "Organisateur·rice organisatrice@example.org"
    assert entry.event_id == irts.id
    assert entry.target == (
        f"Inscription n°\u00a0{zoe.id} — l’après-midi du jeudi 15\u00a0mars 2018 — "
        "signature du jeudi 15\u00a0mars 2018 à 14\u00a0h\u00a005 — "
        f"motif\u202f: {REASON}")
    listing = text_of(organiser_client.get(response.headers["Location"]).get_data(
        as_text=True))
    assert ("L’émargement de Zoé <script>Lefèvre</script> pour l’après-midi du jeudi "
            "15 mars 2018 est annulé.") in listing
    assert "Signé à 14 h 05" not in listing
    journal = text_of(organiser_client.get(f"/admin/journees/{irts.id}/journal").get_data(
        as_text=True))
    assert ("Émargement numérique annulé par l’équipe organisatrice (signature ou présence "
            "attestée enregistrée par erreur), avec son motif") in journal
    assert f"motif : {REASON}" in journal
    # Sent twice (a double click, a second organiser): nothing left to cancel.
    assert organiser_client.post(cancel_url(irts, record),
                                 data={"reason": REASON}).status_code == 404
    assert len(cancellations()) == 1

    # Still within the window: the right person signs at the desk.
    response = organiser_client.post(
        f"/admin/journees/{irts.id}/accueil/emargement/{zoe.id}/signer",
        data={"signature": data_url(signature_png(seed=7)), "half_day": "2018-03-15T13:00"})
    assert response.status_code == 302
    assert record_of(zoe, half=afternoon).image == signature_png(seed=7)


def test_an_attested_presence_and_a_facilitators_signature_are_cancelled_too(
        organiser_client, irts, signed):
    lukasz, facilitator = signed["lukasz"], signed["facilitator"]
    attested = record_of(lukasz, half=signed["afternoon"])
    response = organiser_client.post(cancel_url(irts, attested),
                                     data={"reason": "Présence attestée pour un homonyme"})
    assert response.status_code == 302
    own = record_of(person=facilitator)
    page = text_of(organiser_client.get(cancel_url(irts, own)).get_data(as_text=True))
    assert "(animateur·rice)" in page
    assert ("Les certificats de réalisation ne changent pas (ils ne concernent que les "
            "personnes inscrites).") in page
    response = organiser_client.post(cancel_url(irts, own),
                                     data={"reason": "Signé sur la ligne d’un autre"})
    assert response.status_code == 302
    db.session.expire_all()
    assert record_of(lukasz, half=signed["afternoon"]) is None
    assert record_of(person=facilitator) is None
    targets = [entry.target for entry in cancellations()]
    assert targets[0].startswith(f"Inscription n°\u00a0{lukasz.id} — l’après-midi")
    assert "présence attestée le jeudi 15\u00a0mars 2018 à 14\u00a0h\u00a005" in targets[0]
    assert targets[1].startswith(f"Animateur·rice n°\u00a0{facilitator.id} — le matin")
    assert targets[1].endswith("motif\u202f: Signé sur la ligne d’un autre")
    # The workshop's signed sheet no longer carries the facilitator's signature.
    text = pdf_text(signed_sheets.signed_workshop_sheet_pdf(signed["workshop"]))
    assert "10 h 50" not in text and "9 h 12" in text


def test_the_signed_sheet_and_the_completion_hours_follow(organiser_client, client, irts,
                                                          signed, monkeypatch):
    zoe = signed["zoe"]
    before = pdf_text(signed_sheets.signed_day_sheet_pdf(irts))
    zoe_row = before.split("LEFÈVRE")[1].split("ŻÓŁĆ")[0]
    assert "9 h 12" in zoe_row and "14 h 05" in zoe_row 
    hours = {r.registration.id: r.minutes for r in completion_recipients(irts)}
    assert hours[zoe.id] == 7 * 60 + 15

    organiser_client.post(cancel_url(irts, record_of(zoe, half=signed["afternoon"])),
                          data={"reason": REASON})
    db.session.expire_all()
    after = pdf_text(signed_sheets.signed_day_sheet_pdf(irts))
    zoe_row = after.split("LEFÈVRE")[1].split("ŻÓŁĆ")[0]
    assert "9 h 12" in zoe_row and "14 h 05" not in zoe_row
    assert "Présence attestée par Paul" in after  # Łukasz's afternoon stays
    hours = {r.registration.id: r.minutes for r in completion_recipients(irts)}
    assert hours == {zoe.id: 4 * 60, signed["lukasz"].id: 7 * 60 + 15}

    # The attendee's own certificate, after the day, says so.
    for module in ("journee.attendance.services.certificates",
                   "journee.attendance.services.completion",
                   "journee.registration.views"):
        monkeypatch.setattr(f"{module}.today_in", lambda timezone="Europe/Paris": AFTER)
    response = client.get(f"/r/{signed['zoe_token']}/certificat-realisation.pdf")
    assert response.status_code == 200
    assert "Assiduité du stagiaire : 4 heures réalisées." in " ".join(
        pdf_text(response.data).split())


def test_a_certificate_already_sent_leaves_again_corrected(organiser_client, irts,
                                                            signed):
    """Zoé had her certificate for both half-days: the confirmation says the corrected
    one will follow, and it does, with the morning taken off."""
    from support.registration import sent_to

    zoe = signed["zoe"]
    zoe.completion_certificate_sent_at = datetime(2018, 3, 16, 8, 0)
    db.session.commit()
    url = cancel_url(irts, record_of(zoe, half=signed["morning"]))
    page = text_of(organiser_client.get(url).get_data(as_text=True))
    assert "a déjà reçu son certificat de réalisation par e-mail : le certificat corrigé " \
           "lui est renvoyé" in page
    response = organiser_client.post(url, data={"reason": REASON})
    listing = text_of(organiser_client.get(response.headers["Location"]).get_data(
        as_text=True))
    assert "Son certificat de réalisation, déjà envoyé, lui est renvoyé corrigé" in listing
    [message] = sent_to("zoe@example.org", "completion_certificate")
    [pdf] = [part for part in message.iter_attachments()
             if part.get_content_type() == "application/pdf"]
    assert "Assiduité du stagiaire : 3 h 15 réalisées." in " ".join(
        pdf_text(pdf.get_content()).split())


def test_the_last_digital_record_of_a_half_day_says_paper_counts_then(
        organiser_client, irts, signed):
    page = organiser_client.get(cancel_url(irts, record_of(signed["zoe"],
                                                           half=signed["morning"])))
    assert "C’est le seul émargement" not in text_of(page.get_data(as_text=True))
    organiser_client.post(cancel_url(irts, record_of(signed["lukasz"],
                                                     half=signed["morning"])),
                          data={"reason": REASON})
    text = text_of(organiser_client.get(cancel_url(irts, record_of(
        signed["zoe"], half=signed["morning"]))).get_data(as_text=True))
    assert ("C’est le seul émargement numérique d’une personne inscrite pour cette "
            "demi-journée : elle comptera donc comme émargée sur la feuille papier") in text


def test_after_the_window_the_page_says_the_person_cannot_sign_again(
        organiser_client, irts, signed, clock):
    clock["value"] = datetime(2018, 3, 16, 9, 0)
    text = text_of(organiser_client.get(cancel_url(irts, record_of(
        signed["zoe"], half=signed["morning"]))).get_data(as_text=True))
    assert ("L’émargement de cette demi-journée a fermé le jeudi 15 mars 2018 à 13 h : "
            "Zoé <script>Lefèvre</script> ne pourra plus signer pour cette demi-journée. "
            "Un·e organisateur·rice pourra encore attester sa présence après coup, depuis "
            "la page de correction de la demi-journée.") in text
    # No late attestation for a facilitator, nor once a half-day's last digital record
    # is gone (it then counts on paper): the page promises none.
    facilitator = text_of(organiser_client.get(cancel_url(irts, record_of(
        person=signed["facilitator"]))).get_data(as_text=True))
    assert "ne pourra plus signer" in facilitator and "après coup" not in facilitator
    organiser_client.post(cancel_url(irts, record_of(signed["lukasz"], half=signed["morning"])),
                          data={"reason": REASON})
    last = text_of(organiser_client.get(cancel_url(irts, record_of(
        signed["zoe"], half=signed["morning"]))).get_data(as_text=True))
    assert "ne pourra plus signer" in last and "attester sa présence après coup" not in last


@pytest.mark.parametrize("reason", ["", "   ", "x" * 151, "deux\nlignes"])
def test_the_reason_is_required_and_what_was_typed_is_kept(organiser_client, irts, signed,
                                                            reason):
    record = record_of(signed["zoe"], half=signed["morning"])
    response = organiser_client.post(cancel_url(irts, record), data={"reason": reason})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    text = text_of(page)
    assert "Le formulaire contient 1 erreur" in text
    assert "<title>Erreurs – Annuler l’émargement" in page
    if not reason.strip():
        assert "Motif de l’annulation : Indiquez le motif de l’annulation." in text
    if len(reason) > 150:
        assert "150 caractères au plus." in text and f'value="{reason}"' in page
    assert 'aria-invalid="true"' in page
    nothing_changed()


@pytest.fixture
def reception_client(make_user, login, irts):
    user = make_user("accueil@example.org")
    db.session.add(EventMembership(event_id=irts.id, user_id=user.id, role="reception"))
    db.session.commit()
    return login(user)


def test_reception_staff_cannot_cancel(reception_client, irts, signed):
    record = record_of(signed["zoe"], half=signed["morning"])
    assert reception_client.get(listing_url(irts)).status_code == 403
    assert reception_client.get(cancel_url(irts, record)).status_code == 403
    assert reception_client.post(cancel_url(irts, record),
                                 data={"reason": REASON}).status_code == 403
    # Their own page shows what was signed, and offers nothing to cancel it.
    page = reception_client.get(f"/admin/journees/{irts.id}/accueil/emargement",
                                query_string={"q": "zoe"}).get_data(as_text=True)
    assert "Annuler cet émargement" not in page and "/annuler" not in page
    nothing_changed()


def test_a_facilitator_cannot_cancel(client, irts, signed):
    """A facilitator holds a link to their workshop, not a staff account: the back office
    sends them to the sign-in page, and their own space offers no cancelling."""
    record = record_of(signed["zoe"], half=signed["morning"])
    link = FacilitatorLink(event_id=irts.id, person_id=signed["facilitator"].id)
    db.session.add(link)
    db.session.commit()
    space = client.get(f"/f/{link.token}/ateliers/{signed['workshop'].uid}/emargement")
    assert space.status_code == 200 and "Annuler" not in space.get_data(as_text=True)
    for response in (client.get(listing_url(irts)), client.get(cancel_url(irts, record)),
                     client.post(cancel_url(irts, record), data={"reason": REASON})):
        assert response.status_code == 302 and "/connexion" in response.headers["Location"]
    nothing_changed()


def test_another_events_organiser_cannot_cancel(make_user, login, demo, irts, signed):
    client = login(make_user("autre@example.org",
                             events=[demo["travail-social-2-0-etsup-2018"]]))
    record = record_of(signed["zoe"], half=signed["morning"])
    assert client.get(listing_url(irts)).status_code == 404
    assert client.get(cancel_url(irts, record)).status_code == 404
    assert client.post(cancel_url(irts, record), data={"reason": REASON}).status_code == 404
    nothing_changed()


def test_a_record_of_another_event_is_not_found(make_user, login, demo, irts, signed):
    etsup = demo["travail-social-2-0-etsup-2018"]
    client = login(make_user("deux@example.org", events=[irts, etsup]))
    record = record_of(signed["zoe"], half=signed["morning"])
    assert client.get(cancel_url(etsup, record)).status_code == 404
    assert client.post(cancel_url(etsup, record), data={"reason": REASON}).status_code == 404
    assert client.get(f"/admin/journees/{irts.id}/emargement/enregistrements/999999/annuler"
                      ).status_code == 404
    nothing_changed()


def test_the_cancel_form_needs_its_csrf_token(csrf_app):
    from journee.auth.models import User
    from journee.demo import load_demo

    [irts] = [e for e in load_demo(original_dates=True)
              if e.slug == "travail-social-epreuve-numerique-2018"]
    user = User(email="orga@example.org", name="orga")
    user.set_password("mot-de-passe-solide")
    db.session.add_all([user, EventMembership(event=irts, user=user)])
    zoe = add(irts, "Zoé", "Lefèvre", "zoe@example.org")
    signing.attest(irts, half_days(irts)[0], Signer(registration=zoe), "Paul", "",
                   "accueil@example.org", now=MORNING_9H12)
    db.session.commit()
    record = record_of(zoe)
    client = csrf_app.test_client()
    client.post("/connexion", data={
        "email": user.email, "password": "mot-de-passe-solide",
        "csrf_token": csrf_token_from(client.get("/connexion").get_data(as_text=True))})
    assert client.post(cancel_url(irts, record), data={"reason": REASON}).status_code == 400
    db.session.expire_all()
    assert records() == 1
    page = client.get(cancel_url(irts, record)).get_data(as_text=True)
    response = client.post(cancel_url(irts, record), data={
        "reason": REASON, "csrf_token": csrf_token_from(page)})
    assert response.status_code == 302
    assert records() == 0 and len(cancellations()) == 1
