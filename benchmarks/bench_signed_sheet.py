"""Time the day's sign-in sheet for 200 people with their signatures against the same
sheet without them.

Each person signed both half-days with a stroke of their own (400 distinct PNG images of
600 × 200 pixels, as the signature pad sends them from a tablet): nothing is shared
between cells. The application prepares each signature for print once, when the person
signs (``HalfDaySignature.print_image``), so a sheet decodes no PNG; the measures:

- « stored »: the sheet as the application builds it, from the prepared forms kept with
  the signatures, every image cache emptied before each build — the target (≤ 2 ×);
- « prepare »: what preparing one signature costs, once, in the signing request;
- « undecoded »: the same sheet from the PNG bytes alone (nothing prepared, no cache),
  for comparison: what the sheet would cost if it decoded its images.

Run: ``.venv/bin/python benchmarks/bench_signed_sheet.py``; results also go to
``benchmarks/results/signed_sheet.json``.
"""

from __future__ import annotations

import json
import random
import sys
from dataclasses import replace
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageDraw
from pypdf import PdfReader
from timing import paired_median_ms

from journee.documents import signin_pdf
from journee.documents.signin_pdf import (
    CellSignature,
    SignatureColumn,
    SigninRow,
    SigninSheet,
    build_signin_sheet,
    prepare_signature,
)

PEOPLE = 200
REPEAT = 7
TARGET_RATIO = 2.0
RESULTS = Path(__file__).resolve().parent / "results" / "signed_sheet.json"

FIRST = ["Zoé", "Łukasz", "Ἀλέξανδρος", "Дмитрий", "Anne-Sophie", "Mohamed", "Chloé", "Léo"]
LAST = ["Martin", "O'Brien-Lefèvre", "Żółć", "Иванов", "<Dupont> & Cie", "Belqasmi",
        "Delacroix-Vandenbroucke", "Nguyen"]
ORGS = ["IRTS-IDS Normandie", "Conseil départemental de Seine-Maritime, service de l’ASE",
        "MECS Les Tilleuls", "CCAS de Rouen"]


def stroke(rng: random.Random) -> bytes:
    image = Image.new("RGBA", (600, 200), (0, 0, 0, 0))
    points = [(20 + 40 * i, rng.randint(30, 170)) for i in range(15)]
    ImageDraw.Draw(image).line(points, fill=(26, 26, 64, 255), width=5)
    buffer = BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def sheets() -> tuple[SigninSheet, SigninSheet]:
    rng = random.Random(2018)
    rows = [SigninRow(f"{rng.choice(LAST)} {n}", rng.choice(FIRST), rng.choice(ORGS))
            for n in range(PEOPLE)]
    plain = SigninSheet(
        event_title="Le travail social à l’épreuve du numérique : enjeux, risques et "
                    "opportunités",
        dates="jeudi 15 mars 2018", hours="8 h 30 – 17 h 15",
        place="IRTS-IDS Normandie, Allée de Flore, 76380 Canteleu (Rouen)",
        organiser="IRTS-IDS Normandie et son Réseau de Partenaires",
        columns=[SignatureColumn("Matin", "8 h 30 – 12 h 30"),
                 SignatureColumn("Après-midi", "14 h – 17 h 15")],
        rows=rows, blank_rows=0, seal="0" * 64)
    signed = replace(plain, rows=[
        replace(row, signatures=(CellSignature("9\u00a0h\u00a012", stroke(rng)),
                                 CellSignature("14\u00a0h\u00a005", stroke(rng))))
        for row in rows])
    return signed, plain


def prepared(sheet: SigninSheet) -> SigninSheet:
    """The sheet as the application gives it: each image with its prepared form."""
    return replace(sheet, rows=[
        replace(row, signatures=tuple(
            replace(cell, prepared=prepare_signature(cell.image).to_bytes())
            for cell in row.signatures))
        for row in sheet.rows])


def main() -> int:
    undecoded, plain = sheets()
    stored = prepared(undecoded)
    images = [cell.image for row in undecoded.rows for cell in row.signatures]

    def with_signatures():
        signin_pdf._image.cache_clear()
        return build_signin_sheet(stored)

    def without():
        return build_signin_sheet(plain)

    def from_png_only():
        signin_pdf._image.cache_clear()
        return build_signin_sheet(undecoded)

    def prepare_all():
        for image in images:
            prepare_signature(image)

    data = with_signatures()
    assert signin_pdf._image.cache_info().currsize == 0  # nothing decoded
    images_drawn = sum(1 for page in PdfReader(BytesIO(data)).pages
                       for ref in page["/Resources"].get("/XObject", {}).values()
                       if ref.get_object()["/Subtype"] == "/Image")
    assert images_drawn == 2 * PEOPLE, images_drawn
    signed_ms, plain_ms, ratio = paired_median_ms(with_signatures, without, REPEAT)
    png_ms, plain_png_ms, png_ratio = paired_median_ms(from_png_only, without, REPEAT)
    prepare_ms, _, _ = paired_median_ms(prepare_all, without, 3)
    size_signed, size_plain = len(data), len(without())
    print(f"Feuille de la journée, {PEOPLE} personnes, 2 demi-journées "
          f"(médianes de {REPEAT} passages alternés)")
    print(f"  sans signature                       : {plain_ms:8.1f} ms  "
          f"({size_plain / 1024:.0f} Kio)")
    print(f"  {images_drawn} signatures (formes préparées)   : {signed_ms:8.1f} ms  "
          f"({size_signed / 1024:.0f} Kio)  rapport {ratio:.2f} (objectif ≤ {TARGET_RATIO:.0f})")
    print(f"  préparer une signature (à la signature) : "
          f"{prepare_ms / len(images):8.2f} ms")
    print(f"  {images_drawn} signatures depuis les PNG seuls : {png_ms:8.1f} ms  "
          f"rapport {png_ratio:.2f} (sans signature : {plain_png_ms:.1f} ms)")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({
        "people": PEOPLE, "plain_ms": round(plain_ms, 1), "signed_ms": round(signed_ms, 1),
        "ratio": round(ratio, 2), "prepare_one_ms": round(prepare_ms / len(images), 2),
        "signed_from_png_ms": round(png_ms, 1), "ratio_from_png": round(png_ratio, 2),
        "target_ratio": TARGET_RATIO}, indent=2) + "\n")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
