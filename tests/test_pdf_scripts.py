"""Names in every script print in every PDF. Chinese, Japanese and Korean: DejaVu Sans has
none of these characters, so they are drawn in the CJK fallback, and only where a text
needs it. Arabic and Hebrew: joined letters, drawn right to left."""

from __future__ import annotations

import re
import subprocess
import unicodedata

import pytest
from reportlab.lib.pagesizes import A4
from support.documents import certificate_event, pdf_words

from journee.documents.badge_formats import sheet_format
from journee.documents.badges_pdf import Badge, build_badges
from journee.documents.certificate_pdf import MARGIN, CertificateAttendee, build_certificates
from journee.documents.pdf import (
    FALLBACK_FONT,
    font_runs,
    para_text,
    text_width,
    visual_order,
    wrap_lines,
)
from journee.documents.signin_pdf import SignatureColumn, SigninRow, SigninSheet, build_signin_sheet
from journee.extensions import db

PEOPLE = [("小明", "王", "北京师范大学"), ("민준", "김", "서울 사회복지관"),
          ("はなこ", "山田", "IRTS-IDS « 東京 »")]
RIGHT_TO_LEFT = [("محمد", "بن علي", "جمعية الأمل"), ("שרה", "כהן", "עמותת אור")]
# « محمد » with its letters joined: initial, medial, medial, final (logical order).
JOINED_MUHAMMAD = "\ufee3\ufea4\ufee4\ufeaa"


def text(data: bytes) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"], input=data,
                         capture_output=True, check=True).stdout.decode()
    return re.sub(r"[ \u00a0\u202f]+", " ", out)


def visual_words(data: bytes) -> list[str]:
    """The words as they sit on the page, left to right. pdftotext gives each right-to-left
    word's letters in reading order (between embedding marks) but keeps the words in page
    order, so a name drawn right to left comes out with its words reversed."""
    out = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=data,
                         capture_output=True, check=True).stdout.decode()
    return re.sub("[\u202a-\u202e]", "", out).replace("\u00a0", " ").split()


def drawn_right_to_left(name: str, words: list[str]) -> bool:
    """Whether ``name``'s words appear on the page from right to left, each with its
    letters in reading order (NFKC folds the joined Arabic forms back to letters; the
    brackets around an organisation are left aside)."""
    expected = name.split()[::-1]
    folded = [unicodedata.normalize("NFKC", word).strip("()") for word in words]
    return any(folded[i:i + len(expected)] == expected for i in range(len(folded)))


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
        for first, last, _organisation in PEOPLE:
            assert first in printed and last in printed
        assert any(FALLBACK_FONT in font for font in fonts(data, tmp_path))


def test_the_programme_prints_a_cjk_speaker(client, irts, tmp_path):
    person = irts.workshop_sessions[0].workshops[0].facilitators[0].person
    person.first_name, person.last_name = "はなこ", "山田"
    db.session.commit()
    data = client.get(f"/e/{irts.slug}/programme.pdf").data
    assert "はなこ 山田" in text(data) or "山田 はなこ" in text(data)
    assert any(FALLBACK_FONT in font for font in fonts(data, tmp_path))


def test_arabic_and_hebrew_are_joined_and_ordered_right_to_left():
    assert visual_order("Zoé <Dupont>") == "Zoé <Dupont>"
    assert visual_order("محمد") == JOINED_MUHAMMAD[::-1]
    assert visual_order("שרה כהן") == "ןהכ הרש"
    # A French sentence keeps its order; only the Arabic run turns round.
    assert visual_order("Atelier 2 : محمد bis") == f"Atelier 2 : {JOINED_MUHAMMAD[::-1]} bis"
    # Vowel marks stay with their letter; escaping comes after the reordering.
    assert "\u064f" in visual_order("مُحَمَّد")
    assert para_text("<محمد> & Cie").count("&lt;") == 1
    assert "<" not in para_text("<محمد> & Cie").replace("<font", "")


def test_sign_in_sheets_badges_and_certificates_print_arabic_and_hebrew_names():
    columns = [SignatureColumn("Matin", "9 h – 12 h")]
    sheet = build_signin_sheet(SigninSheet(
        "Titre", "jeudi 15 mars 2018", "9 h – 12 h", "Rouen", "IRTS", columns,
        [SigninRow(last, first, organisation) for first, last, organisation in RIGHT_TO_LEFT]))
    badges = build_badges(sheet_format("a6-1"), [
        Badge(first, last, organisation=organisation, event_title="Journée d’étude",
              event_date="Jeudi 15 mars 2018") for first, last, organisation in RIGHT_TO_LEFT])
    certificates = build_certificates(certificate_event(), [
        CertificateAttendee(first, last, organisation)
        for first, last, organisation in RIGHT_TO_LEFT])
    for data in (sheet, badges, certificates):
        words = visual_words(data)
        assert JOINED_MUHAMMAD in "".join(words)
        for first, last, organisation in RIGHT_TO_LEFT:
            for name in (first, last, organisation):
                assert drawn_right_to_left(name, words), name
    # The sheet's « NOM Prénom » reads from the right, the certificate's sentence from the
    # left with the name turned round inside it.
    assert drawn_right_to_left("بن علي محمد", visual_words(sheet))
    assert drawn_right_to_left("כהן שרה", visual_words(sheet))
    sentence = " ".join(visual_words(certificates))
    assert "certifie que علي بن محمد (" in unicodedata.normalize("NFKC", sentence)


def test_chinese_and_japanese_texts_wrap_between_characters_within_the_margins(tmp_path):
    institute = "北京师范大学社会发展与公共政策学院社会工作系" * 3
    lines = wrap_lines(institute, "DejaVuSans-Bold", 13, 100)
    assert "".join(lines) == institute and len(lines) > 3
    assert all(text_width(line, "DejaVuSans-Bold", 13) <= 100 for line in lines)
    # A hyphen breaks a word only when the word cannot have a line of its own.
    assert wrap_lines("Zoé Dupont-Łukasz", "DejaVuSans", 10, 80) == ["Zoé", "Dupont-Łukasz"]
    assert wrap_lines("Zoé Dupont-Łukasz", "DejaVuSans", 10, 50) == ["Zoé", "Dupont-", "Łukasz"]

    data = build_certificates(certificate_event(institute=institute, signatory=institute),
                              [CertificateAttendee("小明", "王", "北京师范大学")])
    [page] = pdf_words(data, tmp_path)
    printed = "".join(word for word, *_ in page)
    assert institute in printed
    assert max(x1 for _, _, _, x1, _ in page) <= A4[0] - MARGIN + 1
