"""Time 1,000 badges on the 10-per-page sheet against a bare ReportLab script.

The bare script draws, on a plain ``Canvas`` in the same DejaVu fonts, the very strings
our badges draw (same fonts, sizes and positions, collected once from our layout), the
same role bands, the same cut marks, and the same QR codes: it encodes each link with
zxing-cpp (the same matrices) and draws one rectangle per horizontal run of dark modules
with ReportLab's path API, in page coordinates. What it does not do is our own work:
measuring names to shrink or break them, wrapping organisations, placing the blocks.
A second bare run draws the QR codes the way our builder does (runs found with numpy,
one path of integers per code, in module units): ours / that run is the cost of our
layout alone. The targets: both ratios ≤ 1.5, and 1,000 badges under 3 s.

The whole organiser request (1,000 confirmed registrations of the demo day loaded, their
workshops, codes and links, the PDF, the audit row) is timed too, for information.

Run: ``.venv/bin/python benchmarks/bench_badges.py``; results also go to
``benchmarks/results/badges.json``.
"""

from __future__ import annotations

import json
import random
import secrets
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

import zxingcpp
from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import insert
from timing import demo_app, median_ms, paired_median_ms

from journee.documents import badges_pdf
from journee.documents.badge_formats import sheet_format
from journee.documents.badges_pdf import Badge, build_badges
from journee.documents.pdf import FONT, FONT_BOLD, plain_text, register_fonts
from journee.documents.qr import QUIET_ZONE, draw_qr, qr_matrix
from journee.extensions import db

BADGES = 1000
REPEAT = 5
TARGET_RATIO = 1.5
TARGET_MS = 3000
FORMAT = "a4-10-54x90"
SLUG = "travail-social-epreuve-numerique-2018"
RESULTS = Path(__file__).resolve().parent / "results" / "badges.json"

FIRST = ("Zoé", "Jean-Baptiste", "Łukasz", "Ἀλέξανδρος", "Marie-Christine", "Anaïs", "Dmitri",
         "Siobhán", "Karim", "Éloïse")
LAST = ("Martin", "O'Brien-Lefèvre", "Żółć", "Дмитриев", "de la Tour d'Auvergne-Lauraguais",
        "Nguyen", "Benali", "Wolfeschlegelsteinhausenberger", "Durand", "Lefèvre")
ORGANISATIONS = ("IRTS-IDS Normandie", "Centre communal d'action sociale de Rouen",
                 "ITEP La Houssaye", "Maison d'enfants à caractère social Les Tilleuls, "
                 "service d'accueil de jour", "", "Conseil départemental de la Seine-Maritime")


def sample_badges() -> list[Badge]:
    rng = random.Random(2018)
    badges = []
    for _ in range(BADGES):
        role = rng.choice((None,) * 8 + ("Animation", "Intervention"))
        badges.append(Badge(
            first_name=rng.choice(FIRST), last_name=rng.choice(LAST),
            organisation=rng.choice(ORGANISATIONS),
            event_title="Le travail social à l'épreuve du numérique : enjeux, risques et "
                        "opportunités",
            event_date="Jeudi 15 mars 2018",
            workshops=(f"Atelier {rng.randint(1, 6)} · Salle {rng.randint(1, 6)}",),
            role=role,
            qr_url=None if role else "http://journee.test/admin/journees/1/accueil/badge/"
                                     + secrets.token_urlsafe(12)))
    return badges


def drawing_plan(badges: list[Badge]) -> list[tuple]:
    """What each badge draws, taken once from our layout: (label origin, band, lines, QR
    box and link). The bare script replays it without measuring anything."""
    sheet = sheet_format(FORMAT)
    geometry = badges_pdf._Geometry(sheet)
    plan = []
    for index, badge in enumerate(badges):
        x, y = sheet.label_origin(index % sheet.per_page)
        lines = [(line.font, line.size, line.colour, line.x, line.y, line.text)
                 for line in badges_pdf._layout(badge, geometry, badge.qr_url is not None)]
        qr = None
        if badge.qr_url:
            qr = (geometry.width - geometry.pad - geometry.qr,
                  badges_pdf._reserved_below(badge, geometry), geometry.qr, badge.qr_url)
        band = plain_text(badge.role) or None
        plan.append((x, y, band, lines, qr))
    return plan


def bare_reportlab(plan: list[tuple], fast_qr: bool = False) -> bytes:
    """A hand-written script printing the same badges. With ``fast_qr`` it draws the codes
    as our builder does (runs found with numpy, one integer path per code): the ratio to
    that script is the cost of our layout alone."""
    sheet = sheet_format(FORMAT)
    g = badges_pdf._Geometry(sheet)
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=sheet.page_size, initialFontName=FONT)
    for index, (x, y, band, lines, qr) in enumerate(plan):
        if index % sheet.per_page == 0:
            if index:
                canvas.showPage()
            badges_pdf._draw_cut_marks(canvas, sheet)
        if band:
            canvas.setFillColor(badges_pdf.BAND_COLOURS[band])
            canvas.rect(x + g.band_inset, y + g.band_inset, g.width - 2 * g.band_inset, g.band,
                        stroke=0, fill=1)
            canvas.setFillColor(colors.white)
            canvas.setFont(FONT_BOLD, g.band_size)
            canvas.drawCentredString(x + g.width / 2, y + g.band_inset + (
                g.band - badges_pdf._ASCENT * g.band_size) / 2, band)
        for font, size, colour, lx, ly, text in lines:
            canvas.setFillColor(colour)
            canvas.setFont(font, size)
            canvas.drawString(x + lx, y + ly, text)
        if qr and fast_qr:
            qx, qy, width, link = qr
            draw_qr(canvas, qr_matrix(link), x + qx, y + qy, width)
        elif qr:
            qx, qy, width, link = qr
            image = zxingcpp.create_barcode(link, zxingcpp.BarcodeFormat.QRCode,
                                            ec_level="M").to_image(scale=1,
                                                                   add_quiet_zones=False)
            size = image.shape[0]
            pixels = bytes(memoryview(image))
            module = width / (size + 2 * QUIET_ZONE)
            left, bottom = x + qx + QUIET_ZONE * module, y + qy + QUIET_ZONE * module
            canvas.setFillColor(colors.black)
            path = canvas.beginPath()
            for row in range(size):
                start = None
                for column in range(size + 1):
                    dark = column < size and pixels[row * size + column] == 0
                    if dark and start is None:
                        start = column
                    elif not dark and start is not None:
                        path.rect(left + start * module, bottom + (size - 1 - row) * module,
                                  (column - start) * module, module)
                        start = None
            canvas.drawPath(path, stroke=0, fill=1)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def insert_attendees(event) -> None:
    """1,000 confirmed registrations spread over the workshops, in two bulk inserts."""
    from journee.registration.models import (
        Assignment,
        AssignmentSource,
        Profile,
        Registration,
        RegistrationStatus,
    )
    from journee.secret_links import issue

    slot = next(s for s in event.workshop_sessions if s.workshops)
    badges = sample_badges()
    db.session.execute(insert(Registration), [{
        "event_id": event.id, **issue(Registration.link_purpose),
        "badge_code": secrets.token_urlsafe(12), "status": RegistrationStatus.CONFIRMED,
        "first_name": badge.first_name, "last_name": f"{badge.last_name} {n}",
        "email": f"personne{n}@example.org", "organisation": badge.organisation,
        "profile": Profile.PROFESSIONAL} for n, badge in enumerate(badges)])
    ids = db.session.scalars(db.select(Registration.id).filter_by(event_id=event.id)).all()
    db.session.execute(insert(Assignment), [{
        "registration_id": registration_id, "session_id": slot.id,
        "workshop_id": slot.workshops[n % len(slot.workshops)].id,
        "source": AssignmentSource.SOLVER} for n, registration_id in enumerate(ids)])
    db.session.commit()


def time_request(tmp: str) -> float:
    """Median time of the organiser's POST printing every attendee's badge."""
    from journee.auth.models import User
    from journee.programme.models import Event, EventMembership

    app = demo_app(tmp)
    with app.app_context():
        event = db.session.scalar(db.select(Event).filter_by(slug=SLUG))
        insert_attendees(event)
        user = User(email="bench@example.org", name="bench")
        user.set_password("mot-de-passe-solide")
        db.session.add_all([user, EventMembership(event=event, user=user)])
        db.session.commit()
        event_id = event.id
        db.session.remove()
    client = app.test_client()
    client.post("/connexion", data={"email": "bench@example.org",
                                    "password": "mot-de-passe-solide"})
    form = {"sheet_format": FORMAT, "selection": "tous", "offset_x": "0", "offset_y": "0",
            "skip": "0", "cut_marks": "y"}

    def post():
        response = client.post(f"/admin/journees/{event_id}/badges", data=form)
        assert response.mimetype == "application/pdf", response.status_code

    timing = median_ms(post, 3)
    with app.app_context():
        db.engine.dispose()
    return timing


def main() -> int:
    register_fonts()
    sheet = sheet_format(FORMAT)
    badges = sample_badges()
    plan = drawing_plan(badges)
    ours_ms, bare_ms, ratio = paired_median_ms(lambda: build_badges(sheet, badges),
                                               lambda: bare_reportlab(plan), REPEAT)
    ours_fast_ms, fast_ms, fast_ratio = paired_median_ms(lambda: build_badges(sheet, badges),
                                              lambda: bare_reportlab(plan, fast_qr=True),
                                              REPEAT)
    qr_ms = median_ms(lambda: [qr_matrix(b.qr_url) for b in badges if b.qr_url], 3)
    layout_ms = median_ms(lambda: drawing_plan(badges), 3)
    with tempfile.TemporaryDirectory() as tmp:
        request_ms = time_request(tmp)
    results = {
        "badges": BADGES, "format": FORMAT, "qr_codes": sum(1 for b in badges if b.qr_url),
        "pages": sheet.pages_for(BADGES), "build_badges_ms": ours_ms,
        "bare_reportlab_ms": bare_ms, "ours_over_bare": ratio,
        "build_badges_second_pairing_ms": ours_fast_ms,
        "bare_fast_qr_ms": fast_ms, "ours_over_bare_fast_qr": fast_ratio,
        "qr_encoding_ms": qr_ms, "layout_ms": layout_ms, "organiser_request_ms": request_ms,
        "pdf_bytes": len(build_badges(sheet, badges)), "target_ratio": TARGET_RATIO,
        "target_ms": TARGET_MS, "repeat": REPEAT, "python": sys.version.split()[0],
    }

    print(f"{BADGES} badges on « {sheet.label} » ({results['qr_codes']} QR codes, "
          f"{results['pages']} pages), median of {REPEAT} paired runs")
    print(f"  {'build_badges':34} {ours_ms:8.0f} ms")
    print(f"  {'bare reportlab, same strings/QR':34} {bare_ms:8.0f} ms")
    print(f"  {'  ours / bare (median of pairs)':34} {ratio:8.2f}")
    print(f"  {'build_badges (second pairing)':34} {ours_fast_ms:8.0f} ms")
    print(f"  {'bare, QR drawn our way':34} {fast_ms:8.0f} ms")
    print(f"  {'  ours / bare (median of pairs)':34} {fast_ratio:8.2f}    (our layout alone)")
    print(f"  {'QR encoding alone (zxing + runs)':34} {qr_ms:8.0f} ms")
    print(f"  {'layout alone (fitting text)':34} {layout_ms:8.0f} ms")
    print(f"  {'organiser request (POST, 1,000)':34} {request_ms:8.0f} ms")
    worst_ratio, worst_ms = max(ratio, fast_ratio), max(ours_ms, ours_fast_ms)
    ratio_ok, time_ok = worst_ratio <= TARGET_RATIO, worst_ms <= TARGET_MS
    print(f"  {'worst ratio':34} {worst_ratio:8.2f}    (target ≤ {TARGET_RATIO}: "
          f"{'OK' if ratio_ok else 'TOO SLOW'})")
    print(f"  {'slowest build_badges median':34} {worst_ms / 1000:8.2f} s  (target < "
          f"{TARGET_MS / 1000:g} s: {'OK' if time_ok else 'TOO SLOW'})")

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"Written to {RESULTS}")
    return 0 if ratio_ok and time_ok else 1


if __name__ == "__main__":
    started = time.perf_counter()
    code = main()
    print(f"({time.perf_counter() - started:.0f} s in all)")
    sys.exit(code)
