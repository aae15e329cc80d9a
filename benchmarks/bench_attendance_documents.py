"""Time the sign-in sheet of a 1,000-person day and 1,000 attendance certificates against
bare ReportLab scripts drawing the same strings.

The bare sign-in sheet draws, on a plain ``Canvas`` in the same DejaVu fonts, the same
header, the same table header on each page, each row's number, « NOM Prénom » and
organisation with a rectangle per row, the blank rows, the signature box and
« page n / N », with the same number of rows per page: what a hand-written script would do.
The bare certificates draw the same lines per page (the sentence wrapped by ReportLab's
``simpleSplit`` in one font) and the same signature image. The ratio ours / bare is the cost
of our own code (measuring names to fit them, breaking the sentence with bold runs, the
numbered canvas); the target is ≤ 1.5.

The whole path from the database (1,000 confirmed registrations of the demo day loaded,
then the sheet built) is timed too, for information.

Run: ``.venv/bin/python benchmarks/bench_attendance_documents.py``; results also go to
``benchmarks/results/attendance_documents.json``.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
from datetime import date, datetime
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageDraw
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfgen.canvas import Canvas
from timing import demo_app, median_ms, paired_median_ms

from journee.attendance.services.signin import day_signin_pdf
from journee.documents.certificate_pdf import (
    TITLE,
    CertificateAttendee,
    CertificateDay,
    CertificateEvent,
    build_certificates,
    certifying_sentence,
)
from journee.documents.pdf import FONT, FONT_BOLD, register_fonts
from journee.documents.signin_pdf import (
    SignatureColumn,
    SigninRow,
    SigninSheet,
    build_signin_sheet,
    display_name,
)
from journee.extensions import db

PEOPLE = 1000
REPEAT = 7
TARGET_RATIO = 1.5
SLUG = "travail-social-epreuve-numerique-2018"
RESULTS = Path(__file__).resolve().parent / "results" / "attendance_documents.json"

FIRST = ["Zoé", "Łukasz", "Ἀλέξανδρος", "Дмитрий", "Anne-Sophie", "Mohamed", "Chloé", "Léo",
         "Inès", "Jean-Baptiste", "Fatoumata", "Hélène"]
LAST = ["Martin", "O'Brien-Lefèvre", "Żółć", "Иванов", "<Dupont> & Cie", "Belqasmi",
        "Delacroix-Vandenbroucke", "Nguyen", "Lefèbvre", "Da Silva", "Müller", "Rousseau"]
ORGS = ["IRTS-IDS Normandie", "Conseil départemental de Seine-Maritime, service de l’ASE",
        "MECS Les Tilleuls", "Association d’aide à domicile « Bien chez soi »", "CCAS de Rouen",
        "Université de Rouen Normandie"]


def people(count: int) -> list[tuple[str, str, str]]:
    rng = random.Random(2018)
    found = [(rng.choice(FIRST), f"{rng.choice(LAST)}{'' if n % 7 else ' ' + str(n)}",
              rng.choice(ORGS)) for n in range(count)]
    return sorted(found, key=lambda p: (p[1].casefold(), p[0].casefold()))


def signature_png() -> bytes:
    image = Image.new("RGBA", (600, 200), (255, 255, 255, 0))
    ImageDraw.Draw(image).line([(20, 160), (150, 30), (300, 170), (580, 40)],
                               fill=(0, 0, 90, 255), width=8)
    buffer = BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


# Sign-in sheets -------------------------------------------------------------------------

def signin_sheet(count: int) -> SigninSheet:
    return SigninSheet(
        event_title="Le travail social à l’épreuve du numérique : enjeux, risques et "
                    "opportunités",
        edition="Journée d’étude interprofessionnelle 2018", dates="jeudi 15 mars 2018",
        hours="8 h 30 – 17 h 15",
        place="IRTS-IDS Normandie, Allée de Flore, 76380 Canteleu (Rouen)",
        organiser="IRTS-IDS Normandie et son Réseau de Partenaires",
        columns=[SignatureColumn("Matin", "8 h 30 – 12 h 30"),
                 SignatureColumn("Après-midi", "14 h – 17 h 15")],
        rows=[SigninRow(last, first, org) for first, last, org in people(count)])


def bare_signin(sheet: SigninSheet, first_page_rows: int, page_rows: int) -> bytes:
    """The same strings and rules on a plain canvas, with fixed rows per page."""
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    width, height = A4
    x0, x1 = 15 * mm, width - 15 * mm
    widths = [9 * mm, 58 * mm, 47 * mm, 33 * mm, 33 * mm]
    total_rows = len(sheet.rows) + sheet.blank_rows
    pages = 1 + max(0, -(-(total_rows - first_page_rows) // page_rows))
    headings = ["N°", "NOM Prénom", "Structure"] + [c.label for c in sheet.columns]
    index = 0
    for page in range(1, pages + 1):
        y = height - 14 * mm
        if page == 1:
            canvas.setFont(FONT, 8.5)
            canvas.drawString(x0, y - 8.5, sheet.organiser)
            canvas.setFont(FONT_BOLD, 16)
            canvas.drawString(x0, y - 28, "Feuille d’émargement")
            canvas.setFont(FONT_BOLD, 12)
            canvas.drawString(x0, y - 43, sheet.event_title)
            canvas.setFont(FONT, 9.5)
            for n, line in enumerate((sheet.dates, sheet.hours, sheet.place, sheet.organiser)):
                canvas.drawString(x0 + 30 * mm, y - 60 - 12 * n, line)
            y -= 60 + 12 * 4 + 5 * mm
            rows_here = first_page_rows
        else:
            canvas.setFont(FONT_BOLD, 9)
            canvas.drawString(x0, y - 9, f"Feuille d’émargement — {sheet.event_title}")
            y -= 9 + 4 * mm
            rows_here = page_rows
        canvas.rect(x0, y - 13 * mm, x1 - x0, 13 * mm, stroke=1, fill=0)
        x = x0
        for heading, column in zip(headings, widths):
            canvas.setFont(FONT_BOLD, 8.5)
            canvas.drawString(x + 1.6 * mm, y - 7 * mm, heading)
            x += column
        canvas.setFont(FONT, 7.5)
        x = x0 + sum(widths[:3])
        for column, column_width in zip(sheet.columns, widths[3:]):
            canvas.drawString(x + 1.6 * mm, y - 10 * mm, column.hours)
            x += column_width
        y -= 13 * mm
        for _ in range(rows_here):
            if index >= total_rows:
                break
            canvas.rect(x0, y - 11 * mm, x1 - x0, 11 * mm, stroke=1, fill=0)
            x = x0
            for column in widths[:-1]:
                x += column
                canvas.line(x, y, x, y - 11 * mm)
            canvas.setFont(FONT, 7.5)
            canvas.drawRightString(x0 + 7.4 * mm, y - 6 * mm, str(index + 1))
            if index < len(sheet.rows):
                last, first = display_name(sheet.rows[index])
                canvas.setFont(FONT_BOLD, 9.5)
                canvas.drawString(x0 + 10.6 * mm, y - 6 * mm, last)
                canvas.setFont(FONT, 9.5)
                canvas.drawString(x0 + 40 * mm, y - 6 * mm, " " + first)
                canvas.setFont(FONT, 8)
                canvas.drawString(x0 + 68.6 * mm, y - 6 * mm, sheet.rows[index].organisation)
            y -= 11 * mm
            index += 1
        if page == pages:
            canvas.setFont(FONT_BOLD, 10)
            canvas.drawString(x0, y - 10 * mm, "Signature de l’organisateur·rice")
            canvas.rect(x0, y - 32 * mm, 84 * mm, 18 * mm)
            canvas.setFont(FONT, 8)
            canvas.drawString(x0 + 1.6 * mm, y - 18 * mm, sheet.organiser)
        canvas.setFont(FONT, 8)
        canvas.drawString(20 * mm, 10 * mm, f"Feuille d’émargement — {sheet.event_title}")
        canvas.drawRightString(width - 20 * mm, 10 * mm, f"page {page} / {pages}")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# Certificates -----------------------------------------------------------------------------

def certificate_event(signature: bytes) -> CertificateEvent:
    return CertificateEvent(
        institute="IRTS-IDS Normandie et son Réseau de Partenaires",
        title="Le travail social à l’épreuve du numérique : enjeux, risques et opportunités",
        days=[CertificateDay(date(2018, 3, 15), datetime(2018, 3, 15, 8, 30),
                             datetime(2018, 3, 15, 17, 15))],
        city="Canteleu (Rouen)", issued_on=date(2018, 3, 16),
        signatory="Marie Durand, directrice générale", signature=signature,
        edition="Journée d’étude interprofessionnelle 2018")


def bare_certificates(event: CertificateEvent,
                      attendees: list[CertificateAttendee]) -> bytes:
    """One page per attendee: the same lines, the sentence wrapped in one font."""
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    width, height = A4
    image = ImageReader(BytesIO(event.signature))
    closing = ("Cette attestation est délivrée à l’intéressé·e pour servir et valoir ce que "
               "de droit.")
    for attendee in attendees:
        canvas.setFont(FONT_BOLD, 13)
        canvas.drawString(25 * mm, height - 25 * mm, event.institute)
        canvas.setFont(FONT_BOLD, 22)
        canvas.drawCentredString(width / 2, height - 80 * mm, TITLE)
        sentence = "".join(run.text for run in certifying_sentence(event, attendee))
        y = height - 105 * mm
        canvas.setFont(FONT, 12)
        lines = (simpleSplit(sentence, FONT, 12, width - 50 * mm) + [""]
                 + simpleSplit(closing, FONT, 12, width - 50 * mm))
        for line in lines:
            canvas.drawString(25 * mm, y, line)
            y -= 19
        canvas.drawString(width / 2 + 5 * mm, y - 12 * mm,
                          "Fait à Canteleu (Rouen), le 16 mars 2018")
        canvas.setFont(FONT, 10.5)
        canvas.drawString(width / 2 + 5 * mm, y - 25 * mm, event.signatory)
        canvas.drawImage(image, width / 2 + 5 * mm, y - 55 * mm, 60 * mm, 20 * mm, mask="auto")
        canvas.setFont(FONT, 8)
        canvas.drawCentredString(width / 2, 15 * mm, f"{event.edition} — {event.title}")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# The path from the database ----------------------------------------------------------------

def add_registrations(count: int) -> None:
    from journee.programme.models import Event
    from journee.registration.models import Profile, Registration, RegistrationStatus

    event = db.session.scalar(db.select(Event).filter_by(slug=SLUG))
    db.session.add_all(
        Registration(event_id=event.id, status=RegistrationStatus.CONFIRMED, first_name=first,
                     last_name=last, email=f"p{n}@example.org", organisation=org,
                     profile=Profile.PROFESSIONAL)
        for n, (first, last, org) in enumerate(people(count)))
    db.session.commit()


def main() -> int:
    register_fonts()
    sheet = signin_sheet(PEOPLE)
    ours = build_signin_sheet(sheet)
    pages = len(PdfReader(BytesIO(ours)).pages)
    # Rows per page as our builder lays them out (first page has the full header).
    total_rows = PEOPLE + sheet.blank_rows
    page_rows = 22
    first_page_rows = total_rows - page_rows * (pages - 1)
    bare_pages = len(PdfReader(BytesIO(bare_signin(sheet, first_page_rows, page_rows))).pages)
    signin_ms, bare_signin_ms, signin_ratio = paired_median_ms(
        lambda: build_signin_sheet(sheet),
        lambda: bare_signin(sheet, first_page_rows, page_rows), REPEAT)

    event = certificate_event(signature_png())
    attendees = [CertificateAttendee(first, last, org) for first, last, org in people(PEOPLE)]
    cert_ms, bare_cert_ms, cert_ratio = paired_median_ms(
        lambda: build_certificates(event, attendees),
        lambda: bare_certificates(event, attendees), REPEAT)

    with tempfile.TemporaryDirectory() as tmp:
        app = demo_app(tmp)
        with app.app_context():
            add_registrations(PEOPLE)
            from journee.programme.models import Event

            def from_database():
                db.session.expire_all()
                day_signin_pdf(db.session.scalar(db.select(Event).filter_by(slug=SLUG)))

            path_ms = median_ms(from_database, REPEAT)
            db.session.remove()
            db.engine.dispose()

    results = {
        "people": PEOPLE, "signin_pages": pages, "bare_signin_pages": bare_pages,
        "signin_ms": signin_ms, "bare_signin_ms": bare_signin_ms,
        "signin_over_bare": signin_ratio,
        "certificates_ms": cert_ms, "bare_certificates_ms": bare_cert_ms,
        "certificates_over_bare": cert_ratio,
        "day_signin_from_database_ms": path_ms,
        "target_ratio": TARGET_RATIO, "repeat": REPEAT, "python": sys.version.split()[0],
    }
    print(f"Attendance documents for {PEOPLE} people, median of {REPEAT} paired runs")
    print(f"  {'sign-in sheet (' + str(pages) + ' pages)':36} {signin_ms:9.1f} ms")
    print(f"  {'bare reportlab, same strings':36} {bare_signin_ms:9.1f} ms")
    print(f"  {'  ratio (median of pairs)':36} {signin_ratio:9.2f}")
    print(f"  {'1,000 certificates':36} {cert_ms:9.1f} ms")
    print(f"  {'bare reportlab, same strings':36} {bare_cert_ms:9.1f} ms")
    print(f"  {'  ratio (median of pairs)':36} {cert_ratio:9.2f}")
    print(f"  {'day sheet from the database':36} {path_ms:9.1f} ms")
    ok = signin_ratio <= TARGET_RATIO and cert_ratio <= TARGET_RATIO
    print(f"Target ≤ {TARGET_RATIO}: {'OK' if ok else 'TOO SLOW'}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"Written to {RESULTS}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
