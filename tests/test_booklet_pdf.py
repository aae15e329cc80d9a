"""The synthesis booklet and the Markdown it prints, read back with pdftotext."""

from __future__ import annotations

import re
import subprocess
from datetime import date, datetime
from io import BytesIO

from pypdf import PdfReader
from reportlab.platypus import Paragraph

from journee.documents.booklet_pdf import (
    Booklet,
    BookletDaySynthesis,
    BookletPerson,
    BookletSession,
    BookletWorkshop,
    build_booklet,
)
from journee.documents.markdown_pdf import markdown_flowables
from journee.extensions import db
from journee.syntheses.models import DaySynthesis, SynthesisStatus, WorkshopSynthesis
from journee.util.clock import utcnow

SLUG = "travail-social-epreuve-numerique-2018"
DANGEROUS = "<img src=/etc/passwd> <script>alert(1)</script> <font size=40>grand</font>"


def pdf_text(data: bytes, layout: bool = True) -> str:
    """The PDF's text as pdftotext reads it, with no-break spaces folded."""
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + ["-", "-"]
    text = subprocess.run(args, input=data, capture_output=True, check=True).stdout
    return re.sub(r"[\u00a0\u202f]", " ", text.decode("utf-8"))


def folded(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def text_of(paragraph: Paragraph) -> str:
    """The text reportlab will draw, after it parsed the paragraph's markup."""
    return "".join(frag.text for frag in paragraph.frags)


def day(hour: int, minute: int = 0) -> datetime:
    return datetime(2018, 3, 15, hour, minute)


def sample() -> Booklet:
    return Booklet(
        event_title="Le travail social à l’épreuve du numérique",
        edition="Journée d’étude interprofessionnelle 2018",
        starts_on=date(2018, 3, 15), ends_on=date(2018, 3, 15),
        place="IRTS-IDS Normandie, Allée de Flore, 76380 Canteleu (Rouen)",
        host_organisation="IRTS-IDS Normandie", partners="Zoé <Dupont> & Cie, Дмитрий",
        sessions=[BookletSession(day(8, 30), day(9), "Accueil"),
                  BookletSession(day(9, 15), day(10, 30), "Conférence plénière",
                                 "Technologies numériques et travail social"),
                  BookletSession(day(14), day(14, 30), "Restitution des ateliers")],
        workshops=[
            BookletWorkshop(
                1, "Handicap enfant", "Handicap enfant", "Salle 12",
                [BookletPerson("Benoît CESSELIN", "Praticien·ne", "ITEP La Houssaye"),
                 BookletPerson("Zoé <Dupont> & Cie", "Formateur·rice", "O'Brien-Lefèvre")],
                [("Points clés", "- Premier point\n- Second point " + DANGEROUS),
                 ("Questions soulevées", "1. Qui décide ?\n2. Łukasz Żółć demande"),
                 ("Propositions", ""), ("Compte rendu", "Texte\x0b libre.")]),
            BookletWorkshop(2, "Handicap adulte", parts=[("Points clés", "")],
                            status_note="Brouillon : texte en cours de rédaction, non relu."),
        ],
        day_synthesis=BookletDaySynthesis(
            "Synthèse du grand témoin", "Richard FEAT",
            "## Conclusions provisoires\n\n> Les logiques de domination ne changent guère.\n\n"
            "Voir [Entourage](https://www.entourage.social/)."),
        reading_list="- *Les cahiers de l’inclusion numérique*\n- Ἀλέξανδρος, <b>pas gras</b>",
        working_copy=True)


def test_booklet_prints_every_part_in_order():
    data = build_booklet(sample())
    reader = PdfReader(BytesIO(data))
    pages = len(reader.pages)
    assert reader.metadata.title == "Synthèses – Le travail social à l’épreuve du numérique"
    text = pdf_text(data)
    flat = folded(text)
    order = ["Journée d’étude interprofessionnelle 2018",
             "Le travail social à l’épreuve du numérique", "Jeudi 15 mars 2018",
             "Allée de Flore", "Livret des synthèses", "Organisation : IRTS-IDS Normandie",
             "Partenaires : Zoé <Dupont> & Cie, Дмитрий", "Document de travail",
             "Programme de la journée", "8 h 30 – 9 h", "Accueil",
             "9 h 15 – 10 h 30", "Conférence plénière – Technologies numériques",
             "14 h – 14 h 30", "Restitution des ateliers",
             "Synthèses des ateliers", "Atelier n° 1 : Handicap enfant",
             "Secteur : Handicap enfant · Salle : Salle 12",
             "Benoît CESSELIN (Praticien·ne, ITEP La Houssaye)",
             "Zoé <Dupont> & Cie (Formateur·rice, O'Brien-Lefèvre)",
             "Points clés", "Premier point", "Questions soulevées", "Qui décide ?",
             "Compte rendu", "Texte libre.",
             "Atelier n° 2 : Handicap adulte", "Brouillon : texte en cours de rédaction",
             "Synthèse non encore rédigée.",
             "Synthèse du grand témoin", "Par Richard FEAT", "Conclusions provisoires",
             "Les logiques de domination ne changent guère.",
             "Voir Entourage (https://www.entourage.social/).",
             "Pour aller plus loin", "Les cahiers de l’inclusion numérique",
             "Ἀλέξανδρος, <b>pas gras</b>"]
    positions = [flat.index(expected) for expected in order]
    assert positions == sorted(positions)
    # The empty part has no heading; the literal markup was printed, not interpreted.
    assert "Propositions" not in flat
    assert DANGEROUS in flat
    assert "Łukasz Żółć" in flat
    # Markdown lists are list items: a bullet or a number before each item's text.
    assert re.search(r"^\s*•\s+Premier point$", text, re.M)
    assert re.search(r"^\s*•\s+Second point", text, re.M)
    assert re.search(r"^\s*1\.\s+Qui décide \?$", text, re.M)
    assert re.search(r"^\s*2\.\s+Łukasz Żółć demande$", text, re.M)
    assert re.search(r"^\s*•\s+Les cahiers", text, re.M)
    assert "- Premier point" not in flat and "**" not in flat and "##" not in flat
    for number in range(1, pages + 1):
        assert f"page {number} / {pages}" in flat
    assert "■" not in text and "\ufffd" not in text


def test_public_booklet_has_no_working_copy_mark_and_no_empty_parts():
    data = build_booklet(Booklet(event_title="Titre", starts_on=date(2018, 3, 20),
                                 ends_on=date(2018, 3, 21)))
    flat = folded(pdf_text(data))
    assert "Du mardi 20 mars 2018 au mercredi 21 mars 2018" in flat
    assert "Document de travail" not in flat and "document de travail" not in flat
    assert "Synthèses des ateliers" not in flat and "Pour aller plus loin" not in flat


def test_markdown_flowables_escape_everything_typed():
    flowables = markdown_flowables(
        "# Titre <b>\n\nUn *mot* & <Dupont>\n\n- a\n- **b**\n\n3. trois\n4. quatre\n\n"
        "<script>alert(1)</script>\n\n![photo](https://exemple.fr/a.png) ![x](file:///etc/passwd)")
    assert all(isinstance(f, Paragraph) for f in flowables)
    texts = [text_of(p) for p in flowables]
    assert texts == ["Titre <b>", "Un mot & <Dupont>", "a", "b", "trois", "quatre",
                     "<script>alert(1)</script>",
                     "[image\u00a0: photo (https://exemple.fr/a.png)] ![x](file:///etc/passwd)"]
    assert all(frag.fontName == "DejaVuSans-Bold" for frag in flowables[0].frags)
    assert any(getattr(frag, "italic", 0) for frag in flowables[1].frags)
    assert [p.bulletText for p in flowables] == [None, None, "•", "•", "3.", "4.", None, None]
    assert flowables[2].style.leftIndent > flowables[1].style.leftIndent
    assert markdown_flowables("") == [] and markdown_flowables("  \n") == []


def test_markdown_nested_lists_keep_every_bullet():
    flowables = markdown_flowables("- un\n  - un point un\n- - deux, liste dans l’item\n"
                                   "\n  second paragraphe\n- ")
    rows = [(p.bulletText, text_of(p), p.style.leftIndent) for p in flowables]
    assert [(bullet, text) for bullet, text, _ in rows] == [
        ("•", "un"), ("•", "un point un"), ("•", ""), ("•", "deux, liste dans l’item"),
        (None, "second paragraphe"), ("•", "")]
    assert rows[1][2] > rows[0][2] == rows[2][2] == rows[4][2]


# Through the application ---------------------------------------------------------------

def _workshop(irts, number):
    return irts.workshop_sessions[0].workshops[number - 1]


def _write(irts):
    db.session.add_all([
        WorkshopSynthesis(workshop_id=_workshop(irts, 1).id, status=SynthesisStatus.DRAFT,
                          key_points="- Brouillon de l’atelier un"),
        WorkshopSynthesis(workshop_id=_workshop(irts, 3).id,
                          status=SynthesisStatus.SUBMITTED, submitted_at=utcnow(),
                          questions="Remise <Dupont> & Cie"),
        WorkshopSynthesis(workshop_id=_workshop(irts, 4).id,
                          status=SynthesisStatus.PUBLISHED, published_at=utcnow(),
                          proposals="1. Publiée pour les EHPAD"),
        DaySynthesis(event_id=irts.id, authors="Cyril LAC, Manuelle FINN",
                     body="La restitution, pas encore publiée.",
                     reading_list="- Une lecture"),
    ])
    db.session.commit()


def test_organiser_booklet_includes_drafts_marked_as_such(organiser_client, irts):
    _write(irts)
    response = organiser_client.get(f"/admin/journees/{irts.id}/syntheses/livret.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    flat = folded(pdf_text(response.data))
    for number, title in enumerate(["Handicap enfant", "Handicap adulte",
                                    "Protection de l’enfance", "Personnes âgées",
                                    "Intervention socio-urbaine", "Exclusion et insertion"],
                                   start=1):
        assert f"Atelier n° {number} : {title}" in flat
    assert "Brouillon de l’atelier un" in flat and "Brouillon : texte en cours" in flat
    assert "Remise <Dupont> & Cie" in flat and "Remise aux organisateurs, pas encore" in flat
    assert "Publiée pour les EHPAD" in flat
    assert "Restitution des ateliers Par Cyril LAC, Manuelle FINN" in flat
    assert "Brouillon : pas encore publiée." in flat and "Une lecture" in flat
    assert "Laëtitia LANGIN (Praticien·ne, IDEFHI ITEP Canteleu)" in flat
    assert "Jeudi 15 mars 2018" in flat and "10 h 45 – 12 h 30" in flat
    assert "Conférence plénière – Technologies numériques et travail social" in flat


def test_public_booklet_prints_only_published_parts(client, irts):
    _write(irts)
    response = client.get(f"/e/{SLUG}/syntheses/livret.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    flat = folded(pdf_text(response.data))
    assert "Atelier n° 4 : Personnes âgées" in flat and "Publiée pour les EHPAD" in flat
    assert "Johann POISSON" in flat
    for hidden in ("Handicap enfant", "Brouillon", "Remise <Dupont>", "Une lecture",
                   "La restitution, pas encore publiée", "Document de travail"):
        assert hidden not in flat, hidden
