"""Time 1,000 completion certificates (« certificats de réalisation ») against a bare
ReportLab script drawing the same strings, and the whole path from the database.

The bare script draws, on a plain ``Canvas`` in the same DejaVu fonts, each page's lines
(the sentences wrapped by ReportLab's ``simpleSplit`` in one font), the four natures, the
signature image and the footer. The ratio ours / bare is the cost of our own code (the
bold runs of the sentences, the shared page set-up); the target is ≤ 1.5.

The path from the database (1,000 confirmed registrations of the demo day checked in,
their half-days and hours worked out, then the PDF built) is timed too, for information.

Run: ``.venv/bin/python benchmarks/bench_completion_certificates.py``; results also go to
``benchmarks/results/completion_certificates.json``.
"""

from __future__ import annotations

import json
import sys
import tempfile
from datetime import date, datetime
from io import BytesIO
from pathlib import Path

from bench_attendance_documents import SLUG, people, signature_png
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfgen.canvas import Canvas
from timing import demo_app, median_ms, paired_median_ms

from journee.documents.completion_pdf import (
    KEEPING,
    TITLE,
    CompletionAction,
    CompletionAttendee,
    Provider,
    attendee_sentence,
    build_completion_certificates,
    opening,
    when,
)
from journee.documents.pdf import FONT, FONT_BOLD, register_fonts
from journee.extensions import db

PEOPLE = 1000
REPEAT = 7
TARGET_RATIO = 1.5
RESULTS = Path(__file__).resolve().parent / "results" / "completion_certificates.json"
NATURES = ["action de formation", "bilan de compétences", "action de VAE",
           "action de formation par apprentissage"]


def action(signature: bytes) -> CompletionAction:
    return CompletionAction(
        provider=Provider("IRTS-IDS Normandie", "3 rue Gustave Flaubert\n76380 Canteleu",
                          "732 829 320 00074", "28 76 01234 76", "Normandie",
                          "Marie Durand", "directrice générale"),
        title="Le travail social à l’épreuve du numérique : enjeux, risques et opportunités",
        objectives="Comprendre les effets du numérique sur la relation d’aide ; repérer les "
                   "risques de fracture numérique ; découvrir des pratiques innovantes.",
        natures=[(nature, index == 0) for index, nature in enumerate(NATURES)],
        starts_on=date(2018, 3, 15), ends_on=date(2018, 3, 15), duration="7 h 15",
        city="Canteleu", issued_on=date(2018, 3, 16), signature=signature)


def bare(action: CompletionAction, attendees: list[CompletionAttendee]) -> bytes:
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    width, height = A4
    text_width = width - 44 * mm
    image = ImageReader(BytesIO(action.signature))
    start = "".join(run.text for run in opening(action))
    for attendee in attendees:
        canvas.setFont(FONT_BOLD, 13)
        canvas.drawString(22 * mm, height - 20 * mm, action.provider.name)
        canvas.setFont(FONT, 9)
        for n, line in enumerate(action.provider.address.splitlines()):
            canvas.drawString(22 * mm, height - 26 * mm - 11 * n, line)
        canvas.setFont(FONT_BOLD, 20)
        canvas.drawCentredString(width / 2, height - 50 * mm, TITLE)
        sentence = "".join(run.text for run in attendee_sentence(attendee, action))
        lines = (simpleSplit(start, FONT, 11, text_width) + simpleSplit(sentence, FONT, 11,
                                                                         text_width)
                 + ["Objectifs de l’action :"]
                 + simpleSplit(action.objectives, FONT, 11, text_width)
                 + [f"☒ {NATURES[0]}"] + [f"☐ {nature}" for nature in NATURES[1:]]
                 + simpleSplit(when(action), FONT, 11, text_width)
                 + [f"Assiduité du stagiaire : {attendee.attended} réalisées."]
                 + simpleSplit(KEEPING, FONT, 8.5, text_width))
        y = height - 66 * mm
        canvas.setFont(FONT, 11)
        for line in lines:
            canvas.drawString(22 * mm, y, line)
            y -= 16
        canvas.drawString(width / 2, y - 6 * mm, "Fait à Canteleu, le 16 mars 2018")
        canvas.drawString(width / 2, y - 16 * mm, "Marie Durand, directrice générale")
        canvas.drawImage(image, width / 2, y - 46 * mm, 60 * mm, 20 * mm, mask="auto")
        canvas.setFont(FONT, 7.5)
        canvas.drawCentredString(width / 2, 21 * mm, "IRTS-IDS Normandie — SIRET 732 829 320 "
                                                     "00074")
        canvas.drawCentredString(width / 2, 12 * mm, "Déclaration d’activité enregistrée sous "
                                 "le numéro 28 76 01234 76 auprès du préfet de la région "
                                 "Normandie. Cet enregistrement ne vaut pas agrément de l’État.")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def check_everyone_in() -> None:
    from journee.programme.models import Event
    from journee.registration.models import Profile, Registration, RegistrationStatus

    event = db.session.scalar(db.select(Event).filter_by(slug=SLUG))
    db.session.add_all(
        Registration(event_id=event.id, status=RegistrationStatus.CONFIRMED, first_name=first,
                     last_name=last, email=f"p{n}@example.org", organisation=org,
                     profile=Profile.PROFESSIONAL, checked_in_at=datetime(2018, 3, 15, 8, 40))
        for n, (first, last, org) in enumerate(people(PEOPLE)))
    db.session.commit()


def main() -> int:
    register_fonts()
    shared = action(signature_png())
    attendees = [CompletionAttendee(first, last, org, "7 h 15")
                 for first, last, org in people(PEOPLE)]
    ours_ms, bare_ms, ratio = paired_median_ms(
        lambda: build_completion_certificates(shared, attendees),
        lambda: bare(shared, attendees), REPEAT)

    with tempfile.TemporaryDirectory() as tmp:
        app = demo_app(tmp)
        with app.app_context():
            from journee.attendance.services.completion import completion_certificates_pdf
            from journee.programme.models import Event

            check_everyone_in()

            def from_database():
                db.session.expire_all()
                completion_certificates_pdf(
                    db.session.scalar(db.select(Event).filter_by(slug=SLUG)))

            path_ms = median_ms(from_database, REPEAT)
            db.session.remove()
            db.engine.dispose()

    results = {"people": PEOPLE, "completion_certificates_ms": ours_ms, "bare_ms": bare_ms,
               "over_bare": ratio, "from_database_ms": path_ms, "target_ratio": TARGET_RATIO,
               "repeat": REPEAT, "python": sys.version.split()[0]}
    print(f"Completion certificates for {PEOPLE} people, median of {REPEAT} paired runs")
    print(f"  {'1,000 completion certificates':36} {ours_ms:9.1f} ms")
    print(f"  {'bare reportlab, same strings':36} {bare_ms:9.1f} ms")
    print(f"  {'  ratio (median of pairs)':36} {ratio:9.2f}")
    print(f"  {'from the database':36} {path_ms:9.1f} ms")
    ok = ratio <= TARGET_RATIO
    print(f"Target ≤ {TARGET_RATIO}: {'OK' if ok else 'TOO SLOW'}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"Written to {RESULTS}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
