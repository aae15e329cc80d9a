"""Signed sign-in sheets read back: the signature images on the page (pypdf), names,
times and attested presences (pdftotext), the seal in every footer, recomputed and
matched with the audit entry; the organiser's and facilitator's downloads."""

from __future__ import annotations

import re
from datetime import datetime
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import select
from support.documents import pdf_text
from support.registration import add, slot_of
from support.signatures import signature_png

from journee.attendance.models import HalfDaySignature
from journee.attendance.services import half_day_signatures as signing
from journee.attendance.services import signed_sheets
from journee.attendance.services.half_day_signatures import Signer
from journee.attendance.services.signin import half_days
from journee.audit.models import AuditEntry
from journee.extensions import db
from journee.facilitation.models import FacilitatorLink
from journee.registration.models import Assignment, AssignmentSource

MORNING_9H12 = datetime(2018, 3, 15, 8, 12)  # UTC: 9 h 12 in Paris
AFTERNOON_14H05 = datetime(2018, 3, 15, 13, 5)
SEAL = re.compile(r"Empreinte SHA-256 du contenu : ([0-9a-f]{64})")


def image_xobjects(data: bytes) -> list[int]:
    """How many images each page draws."""
    counts = []
    for page in PdfReader(BytesIO(data)).pages:
        xobjects = page["/Resources"].get("/XObject", {})
        counts.append(sum(1 for ref in xobjects.values()
                          if ref.get_object()["/Subtype"] == "/Image"))
    return counts


@pytest.fixture
def signed(irts):
    """Zoé signs the morning, Łukasz the morning too (another stroke) and has his
    afternoon presence attested; Seán signs nothing; the facilitator of workshop 1 signs."""
    morning, afternoon = half_days(irts)
    zoe = add(irts, "Zoé", "<script>Lefèvre</script>", "zoe@example.org",
              organisation="=SOMME(A1)")
    lukasz = add(irts, "Łukasz", "Żółć", "lukasz@example.org")
    sean = add(irts, "Seán", "O’Brien", "sean@example.org")
    slot = slot_of(irts)
    workshop = slot.workshops[0]
    for person in (zoe, sean):
        db.session.add(Assignment(registration_id=person.id, session_id=slot.id,
                                  workshop_id=workshop.id, source=AssignmentSource.SOLVER))
    facilitator = workshop.facilitators[0].person
    signing.sign(irts, morning, Signer(registration=zoe), signature_png(), "accueil",
                 now=MORNING_9H12)
    signing.sign(irts, morning, Signer(registration=lukasz), signature_png(seed=3),
                 "accueil", now=datetime(2018, 3, 15, 8, 40))
    signing.attest(irts, afternoon, Signer(registration=lukasz), "Paul d’Accueil",
                   "signature impossible", "accueil", now=AFTERNOON_14H05)
    signing.sign(irts, morning, Signer(person=facilitator), signature_png(seed=1),
                 facilitator.full_name, now=datetime(2018, 3, 15, 9, 50))
    db.session.commit()
    return {"zoe": zoe, "lukasz": lukasz, "sean": sean, "workshop": workshop,
            "facilitator": facilitator}


def last_seal_entry() -> AuditEntry:
    return db.session.scalar(select(AuditEntry).where(AuditEntry.action == "signin.seal")
                             .order_by(AuditEntry.id.desc()))


def test_the_signed_day_sheet_shows_images_times_attestations_and_its_seal(irts, signed):
    data = signed_sheets.signed_day_sheet_pdf(irts, "Organisateur·rice orga@example.org")
    db.session.commit()
    assert sum(image_xobjects(data)) == 2  # two distinct strokes, each stored once
    text = pdf_text(data)
    assert "<SCRIPT>LEFÈVRE</SCRIPT> Zoé" in text and "=SOMME(A1)" in text
    assert "ŻÓŁĆ Łukasz" in text and "O’BRIEN Seán" in text
    assert "9 h 12" in text and "9 h 40" in text
    # The attested presence wraps within its cell, over three lines.
    for piece in ("Présence attestée par Paul", "d’Accueil — signature", "impossible (14 h 05)"):
        assert piece in text
    seals = SEAL.findall(text)
    pages = len(PdfReader(BytesIO(data)).pages)
    assert len(seals) == pages and len(set(seals)) == 1
    seal = seals[0]
    # Recomputed from the records, and the same as in the audit log.
    assert signed_sheets.signed_day_sheet(irts).seal == seal
    entry = last_seal_entry()
    assert entry.target == f"Feuille d’émargement signée de la journée — SHA-256 {seal}"
    assert entry.actor == "Organisateur·rice orga@example.org" and entry.rows == 3
    assert signed_sheets.seal_matches(signed_sheets.signed_day_sheet(irts), seal)


def test_a_later_change_to_a_signature_no_longer_matches_the_logged_seal(irts, signed):
    signed_sheets.signed_day_sheet_pdf(irts)
    db.session.commit()
    logged = last_seal_entry().target.rsplit(" ", 1)[1]
    record = db.session.scalar(select(HalfDaySignature).filter_by(
        registration_id=signed["zoe"].id))
    record.image = signature_png(seed=9)
    db.session.commit()
    assert not signed_sheets.seal_matches(signed_sheets.signed_day_sheet(irts), logged)


def test_the_same_records_always_give_the_same_seal(irts, signed):
    first = signed_sheets.signed_day_sheet(irts).seal
    second = signed_sheets.signed_day_sheet(irts).seal
    assert first == second and len(first) == 64


def test_the_signed_workshop_sheet_carries_the_facilitators_signature(irts, signed):
    workshop = signed["workshop"]
    data = signed_sheets.signed_workshop_sheet_pdf(workshop, "Animateur·rice X")
    db.session.commit()
    text = pdf_text(data)
    assert "<SCRIPT>LEFÈVRE</SCRIPT> Zoé" in text and "O’BRIEN Seán" in text
    assert "Łukasz" not in text  # not in this workshop
    assert "9 h 12" in text and "10 h 50" in text  # Zoé; the facilitator at 10 h 50
    assert signed["facilitator"].full_name in text
    assert sum(image_xobjects(data)) == 2  # Zoé's and the facilitator's
    seal = SEAL.search(text)[1]
    assert signed_sheets.signed_workshop_sheet(workshop).seal == seal
    entry = last_seal_entry()
    assert entry.workshop_id == workshop.id and entry.target.endswith(seal)


def test_the_sheet_without_signatures_has_no_image(irts):
    add(irts, "Zoé", "Lefèvre", "zoe@example.org")
    data = signed_sheets.signed_day_sheet_pdf(irts)
    assert image_xobjects(data) == [0]
    assert SEAL.search(pdf_text(data))


def test_the_organiser_downloads_the_signed_sheets_and_sets_the_tolerance(
        organiser_client, irts, signed):
    page = organiser_client.get(f"/admin/journees/{irts.id}/emargement").get_data(
        as_text=True)
    assert "Feuille signée de la journée" in page and 'value="30"' in page
    response = organiser_client.get(f"/admin/journees/{irts.id}/emargement/journee-signee.pdf")
    assert response.mimetype == "application/pdf"
    assert SEAL.search(pdf_text(response.data))[1] in last_seal_entry().target
    response = organiser_client.get(
        f"/admin/journees/{irts.id}/emargement/ateliers/{signed['workshop'].id}/signee.pdf")
    assert "9 h 12" in pdf_text(response.data)

    page = organiser_client.post(f"/admin/journees/{irts.id}/emargement/tolerance",
                                 data={"minutes": "900"}).get_data(as_text=True)
    assert "Entre 0 et 240\u00a0minutes." in page and 'value="900"' in page
    response = organiser_client.post(f"/admin/journees/{irts.id}/emargement/tolerance",
                                     data={"minutes": "10"})
    assert response.status_code == 302
    db.session.expire_all()
    assert irts.signin_tolerance_minutes == 10


def test_the_facilitator_downloads_the_signed_workshop_sheet(client, irts, signed):
    link = FacilitatorLink(event_id=irts.id, person_id=signed["facilitator"].id)
    db.session.add(link)
    db.session.commit()
    response = client.get(
        f"/f/{link.token}/ateliers/{signed['workshop'].uid}/emargement-signee.pdf")
    assert response.mimetype == "application/pdf"
    assert "O’BRIEN Seán" in pdf_text(response.data)
    assert last_seal_entry().actor.startswith("Animateur·rice")


def test_the_sheet_prints_the_form_prepared_when_signing_without_decoding_again(irts, signed):
    """Each signature is prepared for print once, when signed; the sheet then draws the
    prepared pixels, which read back as the ink of the stroke."""
    from journee.documents import signin_pdf

    stored = db.session.scalars(select(HalfDaySignature).where(
        HalfDaySignature.image.is_not(None))).all()
    assert stored and all(record.print_image for record in stored)
    signin_pdf._image.cache_clear()
    data = signed_sheets.signed_day_sheet_pdf(irts)
    assert signin_pdf._image.cache_info().misses == 0
    drawn = [image.image for page in PdfReader(BytesIO(data)).pages for image in page.images]
    assert len(drawn) == 2
    for image in drawn:
        assert image.mode == "L"
        darkest, lightest = image.getextrema()
        assert darkest < 128 and lightest == 255  # dark ink on white paper


def test_the_reason_staff_typed_stays_off_the_sheet(irts, signed):
    """It may say something of the person's health: kept in the record, not printed."""
    record = db.session.scalar(select(HalfDaySignature).where(
        HalfDaySignature.attested_by.is_not(None)))
    record.reason = "bras cassé"
    db.session.commit()
    text = pdf_text(signed_sheets.signed_day_sheet_pdf(irts))
    assert "bras cassé" not in text and "signature" in text and "impossible" in text
    assert db.session.get(HalfDaySignature, record.id).reason == "bras cassé"
