"""Time the synthesis booklet against bare ReportLab printing the same strings.

The booklet has the IRTS-IDS day's six workshops, each with its four parts written in
Markdown (lists, bold, links, about 2,500 characters), the day's synthesis and a reading
list. The bare script lays out the same paragraph strings with the same DejaVu styles in
a plain ``SimpleDocTemplate``: no Markdown parsing, no bullets, no page numbers. The ratio
booklet / bare is the cost of our own code; the target is ≤ 1.5. Also timed: loading the
booklet's data from the database, and the public syntheses page.

Run: ``.venv/bin/python benchmarks/bench_booklet.py``; results also go to
``benchmarks/results/booklet.json``.
"""

from __future__ import annotations

import json
import sys
import tempfile
from io import BytesIO
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Table
from timing import demo_app, median_ms, paired_median_ms

from journee.documents.booklet_pdf import booklet_story, build_booklet
from journee.documents.pdf import register_fonts
from journee.extensions import db
from journee.programme.models import Event
from journee.syntheses.models import DaySynthesis, SynthesisStatus, WorkshopSynthesis
from journee.syntheses.services import booklet_for
from journee.util.clock import utcnow

SLUG = "travail-social-epreuve-numerique-2018"
REPEAT = 20
TARGET_RATIO = 1.5
RESULTS = Path(__file__).resolve().parent / "results" / "booklet.json"

POINTS = "\n".join(f"- Point clé n°{n} : le numérique **change** la relation d'aide, "
                   "les équipes s'organisent autrement." for n in range(1, 9))
QUESTIONS = "\n".join(f"{n}. Qui garde la main sur les données des personnes accompagnées ?"
                      for n in range(1, 6))
PROPOSALS = ("Former les équipes *avant* de déployer un outil, garder un accueil physique "
             "et une alternative papier. Voir [le plan numérique](https://exemple.fr/plan).\n\n"
             ) * 3
FREE_TEXT = ("Les étudiant·es ont présenté leurs observations ; le débat a porté sur "
             "l'accès aux droits, la dématérialisation et le temps « administratif ».\n\n") * 6


def flat_paragraphs(flowables) -> list:
    """The paragraphs a flowable list draws, in order, as (text, style) or a page break."""
    found = []
    for flowable in flowables:
        if isinstance(flowable, Paragraph):
            found.append((flowable.text, flowable.style))
        elif isinstance(flowable, PageBreak):
            found.append(None)
        elif isinstance(flowable, KeepTogether):
            found.extend(flat_paragraphs(flowable._content))
        elif isinstance(flowable, Table):
            for row in flowable._cellvalues:
                found.extend(flat_paragraphs(row))
    return found


def bare_reportlab(paragraphs: list) -> bytes:
    buffer = BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                            topMargin=18 * mm, bottomMargin=20 * mm)
    doc.build([PageBreak() if item is None else Paragraph(*item) for item in paragraphs])
    return buffer.getvalue()


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        app = demo_app(tmp)
        with app.app_context():
            event = db.session.scalar(db.select(Event).filter_by(slug=SLUG))
            for workshop in event.workshop_sessions[0].workshops:
                db.session.add(WorkshopSynthesis(
                    workshop=workshop, status=SynthesisStatus.PUBLISHED, published_at=utcnow(),
                    key_points=POINTS, questions=QUESTIONS, proposals=PROPOSALS,
                    free_text=FREE_TEXT))
            db.session.add(DaySynthesis(event=event, authors="Cyril LAC, Manuelle FINN",
                                        body=FREE_TEXT * 2, reading_list=POINTS,
                                        published_at=utcnow()))
            db.session.commit()
            client = app.test_client()

            def public_page():
                response = client.get(f"/e/{SLUG}/syntheses")
                assert response.status_code == 200, response.status_code

            data = booklet_for(event, published_only=True)
            register_fonts()
            paragraphs = flat_paragraphs(booklet_story(data))
            booklet_ms, bare_ms, ratio = paired_median_ms(
                lambda: build_booklet(data), lambda: bare_reportlab(paragraphs), REPEAT)
            results = {
                "load_data_ms": median_ms(lambda: booklet_for(event, published_only=True),
                                          REPEAT),
                "public_page_ms": median_ms(public_page, REPEAT),
                "booklet_pdf_ms": booklet_ms,
                "bare_reportlab_ms": bare_ms,
                "booklet_over_bare": ratio,
                "pdf_bytes": len(build_booklet(data)),
            }
            db.session.remove()
            db.engine.dispose()

    results["paragraphs"] = sum(1 for item in paragraphs if item is not None)
    results["target_ratio"] = TARGET_RATIO
    results["repeat"] = REPEAT
    results["python"] = sys.version.split()[0]

    print(f"Synthesis booklet of « {SLUG} » (6 workshops), median of {REPEAT} runs")
    print(f"  {'booklet_for (database → data)':32} {results['load_data_ms']:8.2f} ms")
    print(f"  {'public page (GET …/syntheses)':32} {results['public_page_ms']:8.2f} ms")
    print(f"  {'build_booklet':32} {results['booklet_pdf_ms']:8.2f} ms")
    print(f"  {'bare reportlab, same strings':32} {results['bare_reportlab_ms']:8.2f} ms")
    verdict = "OK" if results["booklet_over_bare"] <= TARGET_RATIO else "TOO SLOW"
    print(f"  {'booklet / bare (median of pairs)':32} {results['booklet_over_bare']:8.2f}   "
          f"(target ≤ {TARGET_RATIO}: {verdict})")

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"Written to {RESULTS}")
    return 0 if verdict == "OK" else 1


if __name__ == "__main__":
    sys.exit(main())
