"""Badges: the PDF read back (text, word boxes, QR codes) and the organiser's page."""

from __future__ import annotations

import html
import re
import subprocess
from datetime import datetime
from io import BytesIO

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from sqlalchemy import select
from support.documents import pdf_words

from journee.attendance.links import checkin_path, checkin_url
from journee.attendance.services.badges import parse_team
from journee.audit.models import AuditEntry
from journee.documents.badge_formats import sheet_format
from journee.documents.badges_pdf import Badge, build_badges, fit_block, fit_name
from journee.documents.pdf import FONT_BOLD, plain_text, register_fonts
from journee.extensions import db
from journee.programme.models import Participation, Session, WorkshopMode
from journee.registration.models import (
    Assignment,
    AssignmentSource,
    Profile,
    Registration,
    RegistrationStatus,
    WorkshopChoice,
)

URL = "/admin/journees/{}/badges"
TRICKY = [("Zoé <Dupont>", "& Cie"), ("Siobhán", "O'Brien-Lefèvre"), ("Łukasz", "Żółć"),
          ("Ἀλέξανδρος", "Дмитрий"), ("=1+1", "<img src=x>"), ("Ana\x0bïs", "Ré\tmy")]
LONG_NAME = "Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaft"


# Reading PDFs back -----------------------------------------------------------------------

def pdf_lines(data: bytes, tmp_path) -> list[list[str]]:
    """The text of each page, line by line, from ``pdftotext -raw``."""
    path = tmp_path / "badges-text.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], check=True,
                         capture_output=True, text=True).stdout
    return [[re.sub(r"[\u00a0\u202f]", " ", line).strip() for line in page.splitlines()
             if line.strip()] for page in out.split("\f")[:-1]]


def qr_codes(data: bytes, tmp_path, page: int = 1) -> list[str]:
    """The QR codes found on a page rendered at 300 dpi."""
    path = tmp_path / "badges-qr.pdf"
    path.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "300", "-png", "-singlefile", "-f", str(page), "-l",
                    str(page), str(path), str(tmp_path / "page")], check=True)
    image = Image.open(tmp_path / "page.png")
    return sorted(result.text for result in zxingcpp.read_barcodes(image)
                  if result.format == zxingcpp.BarcodeFormat.QRCode)


def page_sizes(data: bytes) -> list[tuple[int, int]]:
    return [(round(float(page.mediabox.width)), round(float(page.mediabox.height)))
            for page in PdfReader(BytesIO(data)).pages]


def badge(first="Zoé", last="Martin", **fields) -> Badge:
    values = dict(organisation="IRTS-IDS Normandie",
                  event_title="Le travail social à l’épreuve du numérique",
                  event_date="Jeudi 15 mars 2018")
    values.update(fields)
    return Badge(first, last, **values)


# The builder -----------------------------------------------------------------------------

@pytest.mark.parametrize("format_id, pages, size", [
    ("a4-10-54x90", 3, (595, 842)), ("a4-8-60x90", 3, (595, 842)),
    ("a4-4-a6", 6, (595, 842)), ("a6-1", 23, (298, 420))])
def test_page_count_for_23_badges_on_each_format(format_id, pages, size):
    data = build_badges(sheet_format(format_id), [badge(last=f"N{n}") for n in range(23)])
    assert page_sizes(data) == [size] * pages


def test_skipped_labels_move_the_badges_along_the_sheet(tmp_path):
    sheet = sheet_format("a4-10-54x90")
    data = build_badges(sheet, [badge(last=f"Nom{n}") for n in range(23)], skip=8)
    assert len(page_sizes(data)) == 4
    first_page = pdf_words(data, tmp_path, 1, 1)[0]
    nom0 = next(word for word in first_page if word[0] == "Nom0")
    # Slot 8 is the left label of the fifth row: 13.5 + 4 × 54 mm from the top.
    assert 15 * mm < nom0[1] < 105 * mm
    assert (13.5 + 4 * 54) * mm < nom0[2] < (13.5 + 5 * 54) * mm
    with pytest.raises(ValueError):
        build_badges(sheet, [badge()], skip=10)


def test_tricky_names_come_out_literally(tmp_path):
    badges = [badge(first, last, organisation="Zoé <b>& Cie</b>") for first, last in TRICKY]
    data = build_badges(sheet_format("a6-1"), badges)
    pages = pdf_lines(data, tmp_path)
    assert len(pages) == len(TRICKY)
    for (first, last), lines in zip(TRICKY, pages):
        assert plain_text(first) in lines and plain_text(last) in lines, (first, lines)
        assert "Zoé <b>& Cie</b>" in lines
    assert "Anaïs" in pages[5] and "Ré my" in pages[5]  # \x0b removed, a tab is a space.
    assert "\ufffd" not in "".join(sum(pages, []))
    # DejaVu Sans is embedded (not merely named), so no glyph falls back to a box.
    reader = PdfReader(BytesIO(data))
    fonts = {font["/BaseFont"]: font for page in reader.pages
             for font in page["/Resources"]["/Font"].values()}
    assert all("DejaVuSans" in name for name in fonts)
    assert all("/FontFile2" in font["/FontDescriptor"] for font in fonts.values())


def test_text_is_nfc_normalised(tmp_path):
    decomposed = "Zoe\u0301"  # « Zoé » typed with a combining accent.
    data = build_badges(sheet_format("a6-1"), [badge(decomposed, "Martin")])
    assert "Zo\u00e9" in pdf_lines(data, tmp_path)[0]


def test_a_very_long_name_is_shrunk_and_never_cut(tmp_path):
    sheet = sheet_format("a4-10-54x90")
    long_pair = "Marie-Christine-Bénédicte-Anne-Sophie"
    data = build_badges(sheet, [badge("Jean", LONG_NAME), badge(long_pair, LONG_NAME)])
    words = pdf_words(data, tmp_path)[0]
    texts = [word[0] for word in words]
    assert texts.count(LONG_NAME) == 2
    # Every word stays inside its label (with the label's inner padding).
    for text, x0, _y0, x1, _y1 in words:
        column = 0 if x0 < 105 * mm else 1
        left = (15 + 90 * column) * mm
        assert left + 3 * mm < x0 and x1 < left + 87 * mm, text
    # The long first name is broken after a hyphen rather than shrunk illegibly.
    first_lines = [text for text in texts if text.startswith(("Marie", "Anne", "Bénédicte"))]
    assert "".join(first_lines) == long_pair and len(first_lines) == 2
    size, lines = fit_name(LONG_NAME, FONT_BOLD, 24, 11, 82 * mm)
    assert lines == (LONG_NAME,) and size < 11


def test_fitting_rules():
    register_fonts()
    # Short: the largest size. Too long for one line at the smallest: two lines.
    assert fit_name("Zoé", FONT_BOLD, 24, 11, 82 * mm) == (24, ("Zoé",))
    name = "Jean-Baptiste-Marie de la Tour d’Auvergne"
    size, lines = fit_name(name, FONT_BOLD, 24, 11, 60 * mm)
    assert lines == ("Jean-Baptiste-Marie", "de la Tour d’Auvergne") and size >= 11
    assert all(stringWidth(line, FONT_BOLD, size) <= 60 * mm + 0.01 for line in lines)
    size, lines = fit_name("Marie-Christine-Bénédicte", FONT_BOLD, 24, 11, 30 * mm)
    assert lines == ("Marie-Christine-", "Bénédicte")  # After a hyphen, which stays.
    size, lines = fit_block("Centre communal d’action sociale de Saint-Étienne-du-Rouvray",
                            FONT_BOLD, 8.5, 6.5, 50 * mm)
    assert len(lines) == 2 and " ".join(lines) == (
        "Centre communal d’action sociale de Saint-Étienne-du-Rouvray")


def test_role_bands_and_workshops_are_printed(tmp_path):
    data = build_badges(sheet_format("a4-8-60x90"), [
        badge("Claire", "Lagu", role="Organisation"),
        badge("Benoît", "Cesselin", role="Animation", workshops=("Atelier 1 · Salle 1",)),
        badge("Pierre", "Orateur", role="Intervention"),
        badge("Zoé", "Martin", workshops=("9 h 30 · Atelier 3 · Salle 204",
                                          "14 h · Atelier 5 · Amphithéâtre"))])
    text = "\n".join(pdf_lines(data, tmp_path)[0])
    for expected in ("Organisation", "Animation", "Intervention", "Atelier 1 · Salle 1",
                     "9 h 30 · Atelier 3 · Salle 204", "14 h · Atelier 5 · Amphithéâtre"):
        assert expected in text


def test_every_qr_code_decodes_back_to_its_check_in_link(tmp_path):
    links = [f"http://journee.test/admin/journees/7/accueil/badge/code{n:02d}-Ab_x"
             for n in range(10)]
    data = build_badges(sheet_format("a4-10-54x90"),
                        [badge(last=f"N{n}", qr_url=link) for n, link in enumerate(links)])
    assert qr_codes(data, tmp_path) == sorted(links)


def test_cut_marks_are_outside_the_labels_and_optional(tmp_path):
    sheet = sheet_format("a4-10-54x90")

    def dark_in_top_margin(data) -> bool:
        (tmp_path / "marks.pdf").write_bytes(data)
        subprocess.run(["pdftoppm", "-r", "100", "-png", "-singlefile", "-gray",
                        str(tmp_path / "marks.pdf"), str(tmp_path / "marks")], check=True)
        image = Image.open(tmp_path / "marks.png").convert("L")
        per_mm = 100 / 25.4
        # The vertical mark above the left edge of the first column, at x = 15 mm.
        band = [image.getpixel((round(15 * per_mm) + dx, round(y * per_mm)))
                for dx in (-1, 0, 1) for y in (7, 9, 11)]
        return min(band) < 200

    assert dark_in_top_margin(build_badges(sheet, [badge()]))
    assert not dark_in_top_margin(build_badges(sheet, [badge()], cut_marks=False))


def test_the_calibration_offset_moves_everything(tmp_path):
    sheet = sheet_format("a4-10-54x90")
    plain = pdf_words(build_badges(sheet, [badge()]), tmp_path)[0]
    moved = pdf_words(build_badges(sheet, [badge()], offset_mm=(2.5, -4)), tmp_path)[0]
    assert [word[0] for word in plain] == [word[0] for word in moved]
    for before, after in zip(plain, moved):
        assert after[1] - before[1] == pytest.approx(2.5 * mm, abs=0.05)
        assert after[2] - before[2] == pytest.approx(-4 * mm, abs=0.05)


# Data for the organiser's page -----------------------------------------------------------

def add_registration(event, email, **values) -> Registration:
    fields = dict(status=RegistrationStatus.CONFIRMED, first_name="Zoé", last_name="Martin",
                  email=email, phone="06 12 34 56 78", profile=Profile.STUDENT,
                  organisation="IRTS-IDS Normandie", function="Étudiante",
                  accommodation_needed=False)
    fields.update(values)
    registration = Registration(event_id=event.id, **fields)
    db.session.add(registration)
    db.session.flush()
    return registration


def assign(registration, workshop) -> None:
    db.session.add(Assignment(registration_id=registration.id,
                              session_id=workshop.session_id, workshop_id=workshop.id,
                              source=AssignmentSource.ORGANISER))


@pytest.fixture
def people(irts):
    slot = next(s for s in irts.workshop_sessions if s.workshops)
    zoe = add_registration(irts, "zoe@example.org", first_name="Zoé <Dupont>",
                           last_name="& Cie", profile=Profile.SUPPORTED_PERSON,
                           accommodation_needed=True,
                           accommodation_details="Fauteuil roulant, place réservée")
    lukasz = add_registration(irts, "lukasz@example.org", first_name="Łukasz",
                              last_name="Żółć", organisation="=1+1")
    waiting = add_registration(irts, "attente@example.org", first_name="Walter",
                               last_name="Attente", status=RegistrationStatus.WAITLISTED)
    assign(zoe, slot.workshops[2])
    db.session.commit()
    return {"zoe": zoe, "lukasz": lukasz, "waiting": waiting, "slot": slot}


def form_data(**overrides) -> dict:
    data = {"sheet_format": "a4-10-54x90", "selection": "tous", "registration": "",
            "team": "", "offset_x": "0", "offset_y": "0", "skip": "0", "cut_marks": "y"}
    data.update(overrides)
    return data


def pdf_text(data: bytes, tmp_path) -> str:
    return "\n".join(sum(pdf_lines(data, tmp_path), []))


def audit_rows(event) -> list[AuditEntry]:
    return db.session.scalars(select(AuditEntry).filter_by(
        event_id=event.id, action="organiser.print_badges").order_by(AuditEntry.id)).all()


# The organiser's page --------------------------------------------------------------------

def test_the_page_offers_formats_selections_and_settings(organiser_client, irts, people):
    page = organiser_client.get(URL.format(irts.id))
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    for label in ("10 badges par A4 (54 × 90 mm)", "8 badges par A4 (60 × 90 mm)",
                  "4 badges A6 par A4", "1 badge par page A6"):
        assert label in html.unescape(body)
    # Each radio group is a fieldset with its legend.
    assert re.search(r'<fieldset[^>]*id="sheet_format">\s*<legend>Format des planches', body)
    assert re.search(r'<fieldset[^>]*id="selection">\s*<legend>Badges à imprimer', body)
    assert "Tous les inscrits confirmés (2)" in body
    assert re.search(r'<input checked[^>]*value="a4-10-54x90"', body)  # The default.
    assert re.search(r'<input checked[^>]*value="tous"', body)
    # The person select lists confirmed attendees only.
    assert html.escape("& Cie Zoé <Dupont>") in body and "Attente" not in body
    assert re.search(r'<label for="skip">Étiquettes à sauter sur la première planche</label>',
                     body)
    assert re.search(r'<input[^>]*inputmode="decimal"[^>]*name="offset_x"[^>]*value="0"', body)
    event_page = organiser_client.get(f"/admin/journees/{irts.id}/").get_data(as_text=True)
    assert f'href="/admin/journees/{irts.id}/badges"' in event_page


def test_printing_all_attendees(organiser_client, irts, people, tmp_path):
    response = organiser_client.post(URL.format(irts.id), data=form_data())
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/pdf"
    assert ("badges-travail-social-epreuve-numerique-2018.pdf"
            in response.headers["Content-Disposition"])
    assert "no-store" in response.headers["Cache-Control"]
    text = pdf_text(response.data, tmp_path)
    for expected in ("Zoé <Dupont>", "& Cie", "Łukasz", "Żółć", "=1+1",
                     "Le travail social à l’épreuve du numérique :", "Jeudi 15 mars 2018",
                     "Atelier 3 · Salle 3"):
        assert expected in text, expected
    assert "Walter" not in text  # On the waiting list.
    # Never a sensitive field, nor contact details.
    for secret in ("zoe@example.org", "@", "06 12 34 56 78", "Personne accompagnée",
                   "accompagn", "Fauteuil", "Étudiante", "Étudiant"):
        assert secret not in text, secret
    # The QR codes carry the check-in links, never the self-service token.
    db.session.expire_all()
    zoe, lukasz = (db.session.get(Registration, people[name].id) for name in ("zoe", "lukasz"))
    codes = qr_codes(response.data, tmp_path)
    assert codes == sorted(
        f"http://journee.test/admin/journees/{irts.id}/accueil/badge/{person.badge_code}"
        for person in (zoe, lukasz))
    assert not any(zoe.token in code or lukasz.token in code for code in codes)
    # Printed: marked, and written to the audit log with the count.
    assert zoe.badge_printed_at is not None and lukasz.badge_printed_at is not None
    assert db.session.get(Registration, people["waiting"].id).badge_printed_at is None
    [entry] = audit_rows(irts)
    assert entry.rows == 2 and entry.actor == "Organisateur·rice organisatrice@example.org"
    assert "tous les inscrits confirmés" in entry.target


def test_only_new_prints_those_not_printed_yet(organiser_client, irts, people, tmp_path):
    assert organiser_client.post(URL.format(irts.id), data=form_data()).mimetype == (
        "application/pdf")
    newcomer = add_registration(irts, "new@example.org", first_name="Nadia",
                                last_name="Nouvelle")
    db.session.commit()
    response = organiser_client.post(URL.format(irts.id), data=form_data(selection="nouveaux"))
    assert response.mimetype == "application/pdf"
    text = pdf_text(response.data, tmp_path)
    assert "Nadia" in text and "Łukasz" not in text and "Zoé <Dupont>" not in text
    assert db.session.get(Registration, newcomer.id).badge_printed_at is not None
    assert [entry.rows for entry in audit_rows(irts)] == [2, 1]
    # Nothing new left: the form says so, in French, and prints nothing.
    again = organiser_client.post(URL.format(irts.id), data=form_data(selection="nouveaux"))
    assert again.status_code == 200 and again.mimetype == "text/html"
    assert "ont déjà été imprimés" in again.get_data(as_text=True)
    assert len(audit_rows(irts)) == 2


def test_printing_one_person_and_giving_an_old_row_its_code(organiser_client, irts, people,
                                                            tmp_path):
    lukasz = people["lukasz"]
    lukasz.badge_code = None
    db.session.commit()
    preselected = organiser_client.get(URL.format(irts.id) + f"?inscription={lukasz.id}")
    assert re.search(rf'<option selected value="{lukasz.id}"|<option value="{lukasz.id}" '
                     r'selected', preselected.get_data(as_text=True))
    response = organiser_client.post(URL.format(irts.id), data=form_data(
        selection="une-personne", registration=str(lukasz.id), sheet_format="a6-1"))
    assert response.mimetype == "application/pdf"
    assert page_sizes(response.data) == [(298, 420)]
    assert "Żółć" in pdf_text(response.data, tmp_path)
    db.session.expire_all()
    code = db.session.get(Registration, lukasz.id).badge_code
    assert code and qr_codes(response.data, tmp_path) == [
        checkin_url(irts.id, code)]
    assert db.session.get(Registration, people["zoe"].id).badge_printed_at is None
    assert audit_rows(irts)[0].rows == 1


def test_another_events_person_is_a_404(organiser_client, demo, irts, people):
    other = demo["travail-social-2-0-etsup-2018"]
    stranger = add_registration(other, "autre@example.org", first_name="Autre")
    db.session.commit()
    for value in (str(stranger.id), "999999", "abc"):
        response = organiser_client.post(URL.format(irts.id), data=form_data(
            selection="une-personne", registration=value))
        assert response.status_code == 404, value
    assert organiser_client.get(
        URL.format(irts.id) + f"?inscription={stranger.id}").status_code == 404
    assert audit_rows(irts) == []


def test_a_person_on_the_waiting_list_has_no_badge(organiser_client, irts, people):
    response = organiser_client.post(URL.format(irts.id), data=form_data(
        selection="une-personne", registration=str(people["waiting"].id)))
    assert response.mimetype == "text/html"
    assert "Cette personne n’a pas d’inscription confirmée." in response.get_data(as_text=True)
    missing = organiser_client.post(URL.format(irts.id), data=form_data(
        selection="une-personne"))
    assert "Choisissez la personne dont vous voulez le badge." in missing.get_data(
        as_text=True)


def test_programme_people_get_role_bands_and_no_qr(organiser_client, irts, people, tmp_path):
    response = organiser_client.post(URL.format(irts.id), data=form_data(
        selection="programme", sheet_format="a4-8-60x90"))
    assert response.mimetype == "application/pdf"
    text = pdf_text(response.data, tmp_path)
    assert "Benoît" in text and "CESSELIN" in text  # Facilitator of workshop 1.
    assert "Animation" in text and "Intervention" in text
    assert "Atelier 1 · Salle 1" in text
    assert "Łukasz" not in text
    assert qr_codes(response.data, tmp_path) == []
    assert db.session.get(Registration, people["zoe"].id).badge_printed_at is None
    people_in_programme = set(db.session.scalars(
        select(Participation.person_id).join(Session).where(Session.event_id == irts.id)))
    assert len(re.findall(r"(?m)^(Animation|Intervention)$", text)) == len(
        people_in_programme)
    [entry] = audit_rows(irts)
    assert entry.rows == len(people_in_programme)


def test_team_badges_from_the_text_area(organiser_client, irts, people, tmp_path):
    team = "Claire Lagu ; Chargée de communication\n\n Ἀλέξανδρος  O'Brien-Lefèvre\n"
    response = organiser_client.post(URL.format(irts.id), data=form_data(
        selection="equipe", team=team))
    assert response.mimetype == "application/pdf"
    text = pdf_text(response.data, tmp_path)
    assert "Claire" in text and "Lagu" in text and "O'Brien-Lefèvre" in text
    assert "Chargée de communication, IRTS-IDS Normandie" in text
    assert text.count("Organisation") == 2
    assert len(page_sizes(response.data)) == 1


def test_team_lines_are_checked(organiser_client, irts, people):
    members, problems = parse_team("Claire Lagu;Accueil\n ; fonction seule\nZoé\x0bM")
    assert [(m.first_name, m.last_name, m.function) for m in members] == [
        ("Claire", "Lagu", "Accueil")]
    assert problems == ["Ligne 2\u202f: indiquez le prénom et le nom avant le point-virgule.",
                        "Ligne 3\u202f: la ligne contient des caractères non autorisés."]
    response = organiser_client.post(URL.format(irts.id), data=form_data(
        selection="equipe", team="Claire Lagu\n; sans nom"))
    body = response.get_data(as_text=True)
    assert response.mimetype == "text/html"
    assert "Ligne 2\u202f: indiquez le prénom et le nom" in html.unescape(body)
    assert "Claire Lagu\n; sans nom" in html.unescape(body)  # The input is kept.
    empty = organiser_client.post(URL.format(irts.id), data=form_data(selection="equipe"))
    assert "Indiquez au moins une personne, une par ligne." in empty.get_data(as_text=True)


BAD_SETTINGS = [
    ("offset_x", "abc", "Saisissez un nombre de millimètres, par exemple 1,5 ou -2."),
    ("offset_y", "20", "Le décalage doit être compris entre -15 et 15\u00a0mm."),
    ("offset_x", "-15,5", "Le décalage doit être compris entre -15 et 15\u00a0mm."),
    ("offset_x", "nan", "Saisissez un nombre de millimètres"),
    ("skip", "10", "Sur ce format, une planche compte 10\u00a0étiquettes"),
    ("skip", "-1", "Indiquez un nombre positif ou 0."),
    ("skip", "deux", "Saisissez un nombre entier."),
    ("sheet_format", "a3-inconnu", "Choisissez une des options proposées."),
    ("selection", "tout-le-monde", "Choisissez une des options proposées."),
]


def test_bad_settings_are_explained_in_french_with_the_input_kept(organiser_client, irts,
                                                                  people):
    for field, value, message in BAD_SETTINGS:
        response = organiser_client.post(URL.format(irts.id), data=form_data(**{field: value}))
        assert response.status_code == 200 and response.mimetype == "text/html", value
        body = html.unescape(response.get_data(as_text=True))
        assert message in body, (field, value)
        assert 'class="error-summary"' in body
        if field in ("offset_x", "offset_y", "skip"):
            assert re.search(rf'name="{field}"[^>]*value="{re.escape(value)}"', body), value
    assert db.session.get(Registration, people["zoe"].id).badge_printed_at is None
    assert audit_rows(irts) == []


def test_a_french_decimal_offset_is_accepted(organiser_client, irts, people, tmp_path):
    response = organiser_client.post(URL.format(irts.id), data=form_data(
        offset_x="1,5", offset_y="\u22122", skip="3", cut_marks=""))
    assert response.mimetype == "application/pdf"
    words = pdf_words(response.data, tmp_path)[0]
    first = next(word for word in words if word[0] == "Zoé")
    # Slot 3 is the right label of the second row, moved 1.5 mm right and 2 mm up.
    assert first[1] == pytest.approx((105 + 4 + 1.5) * mm, abs=1)
    assert (13.5 + 54 - 2) * mm < first[2] < (13.5 + 2 * 54) * mm


def test_first_come_events_show_the_workshop_taken(organiser_client, irts, people, tmp_path):
    irts.workshop_mode = WorkshopMode.FIRST_COME
    slot = people["slot"]
    db.session.add(WorkshopChoice(registration_id=people["lukasz"].id, session_id=slot.id,
                                  workshop_id=slot.workshops[4].id, rank=1))
    db.session.commit()
    response = organiser_client.post(URL.format(irts.id), data=form_data())
    text = pdf_text(response.data, tmp_path)
    assert "Atelier 5 · Salle 5" in text and "Atelier 3" not in text


def test_the_page_is_for_the_event_organisers_only(client, make_user, login, demo, irts):
    other = demo["travail-social-2-0-etsup-2018"]
    assert client.get(URL.format(irts.id)).status_code == 302
    assert client.post(URL.format(irts.id), data=form_data()).status_code == 302
    login(make_user(events=[other]))
    assert client.get(URL.format(irts.id)).status_code == 404
    assert client.post(URL.format(irts.id), data=form_data()).status_code == 404
    assert client.get(URL.format(other.id)).status_code == 200


def test_the_check_in_link_is_the_check_in_route(app):
    url = checkin_url(12, "Ab3_xY-9kLmNoPqR")
    assert url == "http://journee.test/admin/journees/12/accueil/badge/Ab3_xY-9kLmNoPqR"
    assert checkin_url(12, "abc", "https://exemple.fr/") == (
        "https://exemple.fr/admin/journees/12/accueil/badge/abc")
    endpoint, arguments = app.url_map.bind("localhost").match(checkin_path(12, "abc"))
    assert endpoint == "admin.checkin.badge" and arguments == {"event_id": 12, "code": "abc"}


def test_printing_needs_the_form_token(csrf_app):
    from support.pages import csrf_token_from

    from journee.auth.models import User
    from journee.demo import load_demo
    from journee.programme.models import EventMembership

    irts = load_demo(original_dates=True)[0]
    user = User(email="organisatrice@example.org", name="Organisatrice")
    user.set_password("mot-de-passe-solide")
    db.session.add_all([user, EventMembership(event=irts, user=user)])
    add_registration(irts, "zoe@example.org")
    db.session.commit()
    client = csrf_app.test_client()
    login_page = client.get("/connexion").get_data(as_text=True)
    assert client.post("/connexion", data={
        "email": user.email, "password": "mot-de-passe-solide",
        "csrf_token": csrf_token_from(login_page)}).status_code == 302
    page = client.get(URL.format(irts.id)).get_data(as_text=True)
    assert client.post(URL.format(irts.id), data=form_data()).status_code == 400
    assert db.session.scalar(select(Registration.badge_printed_at)) is None
    done = client.post(URL.format(irts.id), data=form_data(csrf_token=csrf_token_from(page)))
    assert done.mimetype == "application/pdf"
    assert isinstance(db.session.scalar(select(Registration.badge_printed_at)), datetime)
