"""The printable programme: content, order, fonts and user text printed as typed."""

import re
from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from journee.documents.pdf import markdown_paragraphs, para_text
from journee.extensions import db
from journee.programme.models import Participation, Person, Role, SessionKind
from journee.programme.pdf import build_programme_pdf

URL = "/e/travail-social-epreuve-numerique-2018/programme.pdf"


def spaces_folded(text: str) -> str:
    return re.sub(r"[ \u00a0\u202f]+", " ", text)


def read_pdf(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, spaces_folded(text)


def fetch(client) -> tuple[PdfReader, str]:
    response = client.get(URL)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    return read_pdf(response.data)


def test_programme_pdf_content(client, irts):
    reader, text = fetch(client)

    assert len(reader.pages) >= 2
    assert reader.metadata.title == irts.title
    assert "Le travail social à l’épreuve du numérique : enjeux, risques et opportunités" in (
        " ".join(text.split()))
    assert "Journée d’étude interprofessionnelle 2018" in text
    for expected in ("Kédidja KADDOUR", "Vincent MEYER", "Laëtitia LANGIN", "Marielle STINÈS",
                     "Allée de Flore", "jeudi 15 mars 2018", "9 h 15 – 10 h 30",
                     "Atelier n° 6 : Exclusion et insertion", "Secteur : Handicap adulte",
                     "Présentation du dispositif « Passeurs d’images »",
                     "claire.lagu@irtsnormandie.ids.fr", "page 1 / "):
        assert expected in text, expected
    assert "■" not in text and "\ufffd" not in text
    assert "*" not in text


def test_sessions_are_in_programme_order(client, irts):
    _, text = fetch(client)
    programme = text[text.index("Programme de la journée"):]
    order = ["8 h 30 – 9 h · Accueil", "Introduction", "Conférence plénière", "Pause",
             "Ateliers", "Atelier n° 1", "Atelier n° 6", "Pause déjeuner",
             "Restitution des ateliers", "Table ronde", "Récits d’expériences", "Clôture",
             "Buffet", "Informations pratiques"]
    positions = [programme.index(label) for label in order]
    assert positions == sorted(positions)


def test_registration_line_follows_today(irts):
    def text_on(day):
        return read_pdf(build_programme_pdf(irts, today=day))[1]

    assert "Inscription gratuite et obligatoire jusqu’au jeudi 1er mars 2018." in (
        text_on(date(2018, 2, 1)))
    assert "Cette journée a eu lieu le jeudi 15 mars 2018." in text_on(date(2018, 4, 1))


def test_only_dejavu_fonts_are_embedded(client, irts):
    reader, _ = fetch(client)
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
            # ReportLab embeds TrueType subsets as simple fonts with their own file.
            assert font["/Subtype"] == "/TrueType"
            assert "/FontFile2" in font["/FontDescriptor"]
    assert fonts == {"DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"}


@pytest.mark.parametrize("name", [
    "Zoé <Dupont> & Cie", "Łukasz Ðorđević", "Αλέξανδρος", "Дмитрий",
    '<img src="/etc/passwd">', "<b>pas gras</b> &amp;",
])
def test_names_print_exactly_as_typed(client, irts, name):
    plenary = next(s for s in irts.sessions if s.kind == SessionKind.PLENARY)
    person = Person(first_name=name, last_name="", function="", organisation="")
    plenary.participations.append(Participation(person=person, role=Role.WITNESS, position=9))
    db.session.commit()

    _, text = fetch(client)
    assert f"Grand témoin : {name}" in text


def test_para_text_escapes_markup_and_normalises():
    assert para_text("Zoe\u0301 <Dupont> & Cie\x0b") == "Zoé &lt;Dupont&gt; &amp; Cie"
    assert para_text(None) == ""


def test_markdown_becomes_plain_paragraphs():
    paragraphs = markdown_paragraphs(
        "Un **bel** *atelier* : voir [le site](https://example.org).\n\n"
        "- premier point\n- second <img src=x>\n")
    assert paragraphs == [
        "Un <b>bel</b> <i>atelier</i>\u00a0: voir le site (https://example.org).",
        "• premier point",
        "• second &lt;img src=x&gt;",
    ]
