"""The « émargement » pages: the reception desk and the facilitator's space, the form
posts, the refusals in French, and the page without JavaScript."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select
from support.pages import text_of
from support.registration import add, slot_of
from support.signatures import data_url, signature_png

from journee.attendance.models import HalfDaySignature
from journee.attendance.services import half_day_signatures
from journee.attendance.services.presence import mark_present
from journee.audit.models import AuditEntry
from journee.extensions import db
from journee.facilitation.models import FacilitatorLink
from journee.registration.models import Assignment, AssignmentSource, Registration

MORNING_9H12 = datetime(2018, 3, 15, 8, 12)  # UTC: 9 h 12 in Paris


@pytest.fixture
def clock(monkeypatch):
    now = {"value": MORNING_9H12}
    monkeypatch.setattr(half_day_signatures, "utcnow", lambda: now["value"])
    return now


@pytest.fixture
def zoe(irts):
    return add(irts, "Zoé", "<script>Lefèvre</script>", "zoe@example.org",
               organisation="=MECS Les Tilleuls")


def desk(irts, suffix=""):
    return f"/admin/journees/{irts.id}/accueil/emargement{suffix}"


def records():
    return db.session.scalars(select(HalfDaySignature)).all()


def test_the_desk_finds_a_name_and_the_person_signs(organiser_client, irts, zoe, clock):
    page = organiser_client.get(desk(irts), query_string={"q": "lefevre"}).get_data(
        as_text=True)
    text = text_of(page)
    assert "Matin du jeudi 15 mars 2018, 8 h 30 – 12 h 30" in text
    assert "Zoé <script>Lefèvre</script>" in text and "<script>Lefèvre" not in page
    assert f"/accueil/emargement/{zoe.id}" in page
    search = db.session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()))
    assert (search.action, search.rows) == ("checkin.search", 1)
    assert "lefevre" not in search.target.casefold()

    page = organiser_client.get(desk(irts, f"/{zoe.id}")).get_data(as_text=True)
    assert "Valider ma signature" in page and "data-signature-pad hidden" in page
    assert 'value="signature impossible"' in page

    response = organiser_client.post(desk(irts, f"/{zoe.id}/signer"), data={
        "signature": data_url(signature_png()), "half_day": "2018-03-15T00:00"})
    assert response.status_code == 302
    [row] = records()
    assert row.image == signature_png() and row.collected_by == "organisatrice@example.org"
    assert db.session.get(Registration, zoe.id).checked_in_at is not None
    confirmation = text_of(organiser_client.get(response.headers["Location"]).get_data(
        as_text=True))
    assert "Zoé <script>Lefèvre</script> a signé pour ce matin à 9 h 12. Merci." in confirmation
    assert "Signé à 9 h 12." in confirmation
    assert db.session.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc())) \
        == "signin.sign"


def test_a_second_signature_is_refused_in_french_and_nothing_changes(
        organiser_client, irts, zoe, clock):
    signed = {"signature": data_url(signature_png()), "half_day": "2018-03-15T00:00"}
    organiser_client.post(desk(irts, f"/{zoe.id}/signer"), data=signed)
    clock["value"] = datetime(2018, 3, 15, 9, 0)
    page = organiser_client.post(desk(irts, f"/{zoe.id}/signer"), data={
        "signature": data_url(signature_png(seed=2)), "half_day": "2018-03-15T00:00"})
    assert page.status_code == 200
    assert "a déjà signé pour ce matin à 9 h 12" in text_of(page.get_data(as_text=True))
    [row] = records()
    assert row.image == signature_png()


def test_a_blank_or_missing_drawing_is_refused_with_an_error_summary(
        organiser_client, irts, zoe, clock):
    page = organiser_client.post(desk(irts, f"/{zoe.id}/signer"), data={
        "signature": "", "half_day": "2018-03-15T00:00"}).get_data(as_text=True)
    assert "Le formulaire contient 1 erreur" in text_of(page)
    assert "Aucune signature n’a été reçue" in page
    assert records() == []


def test_attested_presence_keeps_what_was_typed_and_is_recorded(
        organiser_client, irts, zoe, clock):
    page = organiser_client.post(desk(irts, f"/{zoe.id}/attester"), data={
        "attested_by": "", "reason": "main plâtrée", "half_day": "2018-03-15T00:00"}
    ).get_data(as_text=True)
    assert "Indiquez qui atteste la présence." in page
    assert 'value="main plâtrée"' in page and records() == []
    response = organiser_client.post(desk(irts, f"/{zoe.id}/attester"), data={
        "attested_by": "Paul d’Accueil", "reason": "signature impossible",
        "half_day": "2018-03-15T00:00"})
    assert response.status_code == 302
    [row] = records()
    assert (row.image, row.attested_by, row.reason) == (None, "Paul d’Accueil",
                                                       "signature impossible")
    page = text_of(organiser_client.get(desk(irts), query_string={"q": "zoe"}).get_data(
        as_text=True))
    assert "Présence attestée par Paul d’Accueil — signature impossible" in page


def test_outside_any_window_the_desk_says_when_signing_opens(organiser_client, irts, zoe,
                                                             clock):
    clock["value"] = datetime(2018, 3, 15, 12, 10)  # 13 h 10 in Paris
    text = text_of(organiser_client.get(desk(irts)).get_data(as_text=True))
    assert ("Aucune demi-journée n’est ouverte à l’émargement pour le moment : "
            "l’émargement pour l’après-midi du jeudi 15 mars 2018 ouvre le jeudi "
            "15 mars 2018 à 13 h 30.") in text
    # A page shown in the morning and sent too late: refused, saying when it closed.
    page = organiser_client.post(desk(irts, f"/{zoe.id}/signer"), data={
        "signature": data_url(signature_png()), "half_day": "2018-03-15T00:00"})
    assert ("Il est trop tard pour signer : l’émargement pour le matin du jeudi 15 mars "
            "2018 a fermé le jeudi 15 mars 2018 à 13 h.") in text_of(page.get_data(as_text=True))
    assert records() == []


def test_a_door_check_in_shows_on_the_emargement_page(organiser_client, irts, zoe, clock):
    mark_present(zoe, "accueil@example.org")
    db.session.commit()
    text = text_of(organiser_client.get(desk(irts), query_string={"q": "zoe"}).get_data(
        as_text=True))
    assert "Présent·e à l’accueil depuis" in text and "pas encore signé" in text


@pytest.fixture
def workshop_world(irts, zoe):
    slot = slot_of(irts)
    workshop = slot.workshops[0]
    db.session.add(Assignment(registration_id=zoe.id, session_id=slot.id,
                              workshop_id=workshop.id, source=AssignmentSource.SOLVER))
    person = workshop.facilitators[0].person
    link = FacilitatorLink(event_id=irts.id, person_id=person.id)
    db.session.add(link)
    db.session.commit()
    return {"workshop": workshop, "person": person, "link": link,
            "base": f"/f/{link.token}/ateliers/{workshop.uid}/emargement"}


def test_the_facilitator_signs_and_collects_the_members_signatures(
        client, irts, zoe, clock, workshop_world):
    base, person = workshop_world["base"], workshop_world["person"]
    text = text_of(client.get(base).get_data(as_text=True))
    assert "Émargement de l’atelier n° 1" in text and "Zoé <script>Lefèvre</script>" in text
    response = client.post(f"{base}/animateur/signer", data={
        "signature": data_url(signature_png(seed=4))})
    assert response.status_code == 302
    response = client.post(f"{base}/{zoe.id}/signer", data={
        "signature": data_url(signature_png())})
    assert response.status_code == 302
    rows = {(r.registration_id, r.person_id, r.collected_by) for r in records()}
    assert rows == {(None, person.id, person.full_name), (zoe.id, None, person.full_name)}
    text = text_of(client.get(base).get_data(as_text=True))
    assert text.count("Signé à 9 h 12") == 2


def test_the_facilitator_sees_only_their_workshops_members(client, irts, clock,
                                                           workshop_world):
    other = add(irts, "Odile", "Autreatelier", "odile@example.org")
    assert client.get(f"{workshop_world['base']}/{other.id}").status_code == 404
    assert client.post(f"{workshop_world['base']}/{other.id}/signer", data={
        "signature": data_url(signature_png())}).status_code == 404
    assert records() == []


def test_the_event_home_leads_to_the_digital_sign_in(organiser_client, irts):
    page = organiser_client.get(f"/admin/journees/{irts.id}/").get_data(as_text=True)
    assert (f'<a class="button" href="/admin/journees/{irts.id}/accueil/emargement">'
            "Émargement numérique</a>") in page


def test_the_sign_in_page_tells_the_organiser_when_paper_counts(organiser_client, irts):
    import re

    html = organiser_client.get(f"/admin/journees/{irts.id}/emargement").get_data(as_text=True)
    title = re.search(r"<title>(.*?)</title>", html, re.S)[1]
    assert title == f"Feuilles d’émargement – {irts.title} – Journée"
    page = text_of(html)
    assert ("Une demi-journée où aucune personne inscrite n’a signé à l’écran compte comme "
            "émargée sur la feuille papier") in page
