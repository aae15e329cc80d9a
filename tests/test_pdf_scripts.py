"""Chinese, Japanese and Korean names print in every PDF: DejaVu Sans has none of these
characters, so they are drawn in the CJK fallback, and only where a text needs it."""

from __future__ import annotations

import re
import subprocess

import pytest

from journee.documents.badge_formats import sheet_format
from journee.documents.badges_pdf import Badge, build_badges
from journee.documents.certificate_pdf import CertificateAttendee, build_certificates
from journee.documents.pdf import FALLBACK_FONT, font_runs, para_text, text_width
from journee.documents.signin_pdf import (SignatureColumn, SigninRow, SigninSheet,
                                          build_signin_sheet)
from journee.extensions import db
from test_certificates import certificate_event

PEOPLE = [("小明", "王", "北京师范大学"), ("민준", "김", "서울 사회복지관"),
          ("はなこ", "山田", "IRTS-IDS « 東京 »")]


def text(data: bytes) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"], input=data,
                         capture_output=True, check=True).stdout.decode()
    return re.sub(r"[ \u00a0\u202f]+", " ", out)


def fonts(data: bytes, tmp_path) -> set[str]:
    path = tmp_path / "document.pdf"
    path.write_bytes(data)
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                             check=True).stdout.splitlines()[2:]
    return {line.split()[0].split("+")[-1] for line in listing}


def test_runs_split_only_where_dejavu_lacks_the_character():
    assert font_runs("Zoé Łukasz Ἀλέξανδρος", "DejaVuSans") == [
        ("Zoé Łukasz Ἀλέξανδρος", "DejaVuSans")]
    assert font_runs("王小明 (IRTS)", "DejaVuSans-Bold") == [
        ("王小明", FALLBACK_FONT), (" (IRTS)", "DejaVuSans-Bold")]
    assert text_width("王", "DejaVuSans", 10) == pytest.approx(10, rel=0.05)  # full width
    assert para_text("<王> & 김") == (f'&lt;<font face="{FALLBACK_FONT}">王</font>&gt; &amp; '
                                     f'<font face="{FALLBACK_FONT}">김</font>')


def test_a_sign_in_sheet_prints_cjk_names_and_embeds_the_fallback_only_then(tmp_path):
    columns = [SignatureColumn("Matin", "9 h – 12 h")]
    rows = [SigninRow(last, first, organisation) for first, last, organisation in PEOPLE]
    data = build_signin_sheet(SigninSheet("Titre", "jeudi 15 mars 2018", "9 h – 12 h",
                                          "Rouen", "IRTS", columns, rows))
    printed = text(data)
    for first, last, organisation in PEOPLE:
        assert f"{last} {first}" in printed
        assert organisation.replace("\u202f", " ") in printed
    assert FALLBACK_FONT in "".join(fonts(data, tmp_path))

    latin = build_signin_sheet(SigninSheet("Titre", "jeudi 15 mars 2018", "9 h – 12 h",
                                           "Rouen", "IRTS", columns,
                                           [SigninRow("Żółć", "Łukasz", "IRTS")]))
    assert not any(FALLBACK_FONT in font for font in fonts(latin, tmp_path))


def test_badges_and_certificates_print_cjk_names(tmp_path):
    badges = build_badges(sheet_format("a6-1"), [
        Badge(first, last, organisation=organisation, event_title="Journée d’étude",
              event_date="Jeudi 15 mars 2018") for first, last, organisation in PEOPLE])
    certificates = build_certificates(certificate_event(), [
        CertificateAttendee(first, last, organisation) for first, last, organisation in PEOPLE])
    for data in (badges, certificates):
        printed = text(data)
        for first, last, organisation in PEOPLE:
            assert first in printed and last in printed
        assert any(FALLBACK_FONT in font for font in fonts(data, tmp_path))


def test_the_programme_prints_a_cjk_speaker(client, irts, tmp_path):
    person = irts.workshop_sessions[0].workshops[0].facilitators[0].person
    person.first_name, person.last_name = "はなこ", "山田"
    db.session.commit()
    data = client.get(f"/e/{irts.slug}/programme.pdf").data
    assert "はなこ 山田" in text(data) or "山田 はなこ" in text(data)
    assert any(FALLBACK_FONT in font for font in fonts(data, tmp_path))
