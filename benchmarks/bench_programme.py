"""Time the public programme: event page, iCalendar and PDF, against bare ReportLab.

The bare script lays out the very paragraphs the programme PDF draws (same strings, same
DejaVu styles, A4) with a plain ``SimpleDocTemplate``: no database objects, no Markdown,
no page numbers. The ratio PDF / bare is the cost of our own code; the target is ≤ 1.5.

Run: ``.venv/bin/python benchmarks/bench_programme.py``; results also go to
``benchmarks/results/programme.json``.
"""

from __future__ import annotations

import json
import sys
import tempfile
from io import BytesIO
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
from timing import demo_app, median_ms, paired_median_ms

from journee.documents.pdf import register_fonts
from journee.extensions import db
from journee.programme.ics import build_programme_ics
from journee.programme.pdf import build_programme_pdf, programme_story
from journee.programme.queries import event_with_programme

SLUG = "travail-social-epreuve-numerique-2018"
REPEAT = 30
TARGET_RATIO = 1.5
RESULTS = Path(__file__).resolve().parent / "results" / "programme.json"




def bare_reportlab(paragraphs: list[tuple[str, object]]) -> bytes:
    """What a hand-written script would do to print the same strings."""
    buffer = BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                            topMargin=18 * mm, bottomMargin=20 * mm)
    story = [Paragraph(text, style) if style else Spacer(0, 2 * mm)
             for text, style in paragraphs]
    doc.build(story)
    return buffer.getvalue()


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        app = demo_app(tmp)
        with app.app_context():

            event = event_with_programme(SLUG)
            client = app.test_client()

            def event_page():
                response = client.get(f"/e/{SLUG}/")
                assert response.status_code == 200, response.status_code

            register_fonts()
            # The same strings and styles as the programme PDF, collected once.
            paragraphs = [(getattr(f, "text", ""), getattr(f, "style", None))
                          for f in programme_story(event)]
            pdf_ms, bare_ms, ratio = paired_median_ms(
                lambda: build_programme_pdf(event), lambda: bare_reportlab(paragraphs), REPEAT)
            results = {
                "event_page_ms": median_ms(event_page, REPEAT),
                "programme_ics_ms": median_ms(
                    lambda: build_programme_ics(event, "http://journee.test"), REPEAT),
                "programme_story_ms": median_ms(lambda: programme_story(event), REPEAT),
                "programme_pdf_ms": pdf_ms,
                "bare_reportlab_ms": bare_ms,
                "pdf_over_bare": ratio,
            }
            results["pdf_bytes"] = len(build_programme_pdf(event))
            db.session.remove()
            db.engine.dispose()

    results["paragraphs"] = len(paragraphs)
    results["target_ratio"] = TARGET_RATIO
    results["repeat"] = REPEAT
    results["python"] = sys.version.split()[0]

    print(f"Programme « {SLUG} », median of {REPEAT} runs")
    print(f"  {'event page (GET /e/<slug>/)':32} {results['event_page_ms']:8.2f} ms")
    print(f"  {'build_programme_ics':32} {results['programme_ics_ms']:8.2f} ms")
    print(f"  {'build_programme_pdf':32} {results['programme_pdf_ms']:8.2f} ms")
    print(f"  {'  of which the story':32} {results['programme_story_ms']:8.2f} ms")
    print(f"  {'bare reportlab, same strings':32} {results['bare_reportlab_ms']:8.2f} ms")
    verdict = "OK" if results["pdf_over_bare"] <= TARGET_RATIO else "TOO SLOW"
    print(f"  {'PDF / bare (median of pairs)':32} {results['pdf_over_bare']:8.2f}   "
          f"(target ≤ {TARGET_RATIO}: {verdict})")

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"Written to {RESULTS}")
    return 0 if verdict == "OK" else 1


if __name__ == "__main__":
    sys.exit(main())
