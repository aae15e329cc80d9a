"""The PDFs read back (``pdftotext``) and a day's certificate data: shared by the badge,
certificate and script tests."""

from __future__ import annotations

import html
import re
import subprocess
from datetime import date, datetime

from journee.documents.certificate_pdf import CertificateDay, CertificateEvent

DAY = date(2018, 3, 15)
BEFORE, AFTER = date(2018, 3, 14), date(2018, 3, 16)


def pdf_text(data: bytes) -> str:
    """The PDF's text as ``pdftotext -layout`` reads it, runs of spaces (no-break ones
    too) folded into one."""
    result = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"], input=data,
                            capture_output=True, check=True)
    return re.sub(r"[ \u00a0\u202f]+", " ", result.stdout.decode())


def pdf_words(data: bytes, tmp_path, first: int = 1, last: int | None = None):
    """Every word drawn, as (text, xMin, yMin, xMax, yMax) in points from the top-left,
    grouped by page, from ``pdftotext -bbox``."""
    path = tmp_path / "badges.pdf"
    path.write_bytes(data)
    command = ["pdftotext", "-bbox", "-enc", "UTF-8", "-f", str(first)]
    if last:
        command += ["-l", str(last)]
    out = subprocess.run(command + [str(path), "-"], check=True, capture_output=True,
                         text=True).stdout
    pages = []
    for page in re.findall(r"<page [^>]*>(.*?)</page>", out, re.S):
        pages.append([(html.unescape(text), float(x0), float(y0), float(x1), float(y1))
                      for x0, y0, x1, y1, text in re.findall(
                          r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                          r'yMax="([\d.]+)">(.*?)</word>', page)])
    return pages


def certificate_event(**overrides) -> CertificateEvent:
    values = {"institute": "IRTS-IDS Normandie",
              "title": "Le travail social à l’épreuve du numérique",
              "days": [CertificateDay(DAY, datetime(2018, 3, 15, 8, 30),
                                      datetime(2018, 3, 15, 17, 0))],
              "city": "Canteleu (Rouen)", "issued_on": AFTER,
              "signatory": "Marie Durand, directrice générale"}
    return CertificateEvent(**(values | overrides))
