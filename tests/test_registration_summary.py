"""The « Bilan des inscriptions »: exact counts on a known data set, the page, the workbook."""

from __future__ import annotations

import re
from datetime import date, datetime
from io import BytesIO
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook
from support.pages import text_of
from support.registration import add, build_known_set, slot_of

from journee.extensions import db
from journee.programme.models import Room
from journee.registration.summary import Row, build_summary, build_summary_xlsx

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def known(irts):
    people = build_known_set(irts)
    # Workshop 1 (first choice of Durand and Benali) sits in a room of one place.
    first = slot_of(irts).workshops[0]
    first.room = Room(event=irts, name="Petite salle", capacity=1)
    db.session.commit()
    return people


def table(summary, key) -> list[tuple[str, int, int, int]]:
    [found] = [t for t in summary.tables if t.key == key]
    return [(r.label, r.confirmed, r.waitlisted, r.total) for r in found.rows]


def test_counts_on_a_known_data_set(irts, known):
    summary = build_summary(irts)
    assert summary.statuses == [("Confirmée", 3), ("Liste d’attente", 1), ("Annulée", 1)]
    assert summary.total == 5
    assert table(summary, "profils") == [
        ("Étudiant·e", 1, 1, 2), ("Professionnel·le", 1, 0, 1), ("Formateur·rice", 0, 0, 0),
        ("Chercheur·e", 0, 0, 0), ("Cadre", 0, 0, 0),
        ("Acteur·rice institutionnel·le", 1, 0, 1), ("Personne accompagnée", 0, 0, 0),
        ("Autre", 0, 0, 0)]
    assert table(summary, "formations")[:2] == [("ES", 1, 0, 1), ("AS", 0, 1, 1)]
    assert all(row[3] == 0 for row in table(summary, "formations")[2:])
    assert table(summary, "organisations") == [
        ("IRTS-IDS Normandie", 1, 1, 2), ("Conseil départemental", 1, 0, 1),
        ("MECS Les Tilleuls", 1, 0, 1)]  # the cancelled « Mairie » is not counted
    assert table(summary, "secteurs") == [
        ("Non renseigné", 1, 1, 2), ("Handicap adulte", 1, 0, 1),
        ("Protection de l’enfance", 1, 0, 1)]
    assert table(summary, "dejeuner") == [("Oui", 2, 0, 2), ("Non", 1, 1, 2),
                                          ("Sans réponse", 0, 0, 0)]
    assert table(summary, "origine") == [("En ligne", 2, 1, 3),
                                         ("Saisie par l’équipe", 1, 0, 1), ("Import", 0, 0, 0),
                                         ("Sur place", 0, 0, 0)]
    # Days in Paris time: 23:30 UTC on 31 January is 1 February; the gap day is listed.
    assert [(d.day, d.count) for d in summary.days] == [
        (date(2018, 2, 1), 2), (date(2018, 2, 2), 0), (date(2018, 2, 3), 3)]
    demand = {w.label.split("\u00a0:")[0]: w for w in summary.workshops}
    assert [(w.first_choices, w.all_choices) for w in summary.workshops] == [
        (2, 3), (0, 1), (1, 1), (0, 0), (0, 1), (0, 0)]
    first = demand["Atelier n°\u00a01"]
    assert (first.capacity, first.room, first.room_capacity, first.limit) == (
        40, "Petite salle", 1, 1)
    assert first.over_demand
    assert [w.over_demand for w in summary.workshops] == [True] + [False] * 5


def test_top_twenty_organisations_then_the_others(irts):
    irts.capacity = None
    db.session.commit()
    for n in range(23):
        for _ in range(2 if n < 3 else 1):
            add(irts, "Personne", f"{n}-{_}", f"p{n}-{_}@example.org",
                organisation=f"Structure {n:02d}")
    rows = build_summary(irts).tables[2].rows
    assert len(rows) == 21
    assert [r.label for r in rows[:3]] == ["Structure 00", "Structure 01", "Structure 02"]
    assert rows[0].total == 2 and rows[3].total == 1
    assert (rows[-1].label, rows[-1].total) == ("Autres organisations (3)", 3)


def test_page_shows_the_tables_and_an_accessible_chart(organiser_client, irts, known):
    response = organiser_client.get(f"/admin/journees/{irts.id}/inscriptions/bilan")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = text_of(html)
    for expected in ("Bilan des inscriptions", "Télécharger le bilan (XLSX)",
                     "Confirmée 3", "Liste d’attente 1", "Annulée 1", "Total 5",
                     "Étudiant·e 1 1 2", "IRTS-IDS Normandie 1 1 2", "Oui 2 0 2",
                     "Saisie par l’équipe 1 0 1",
                     "jeudi 1er février 2018 2", "vendredi 2 février 2018 0",
                     "samedi 3 février 2018 3",
                     "Demande supérieure aux places (2 pour 1)"):
        assert expected in text, expected
    assert html.count("<caption>") == 9 and 'scope="row"' in html
    # The charts: inline SVG with a title, their bars sized by attributes (no style).
    assert html.count('role="img"') == 5
    assert "style=" not in html.split("<main", 1)[1]
    assert "<script" not in html


def charts_of(html) -> dict[str, ElementTree.Element]:
    return {svg.get("id"): svg for svg in (
        ElementTree.fromstring(found) for found in re.findall(r"<svg .*?</svg>", html, re.S))}


def bars(svg) -> list[tuple[str, int, str | None]]:
    labels = [t.text for t in svg.findall(f"{SVG}text")][::2]
    return [(label, int(rect.get("data-value")), rect.get("data-limit"))
            for label, rect in zip(labels, svg.findall(f"{SVG}rect[@class='bar']"))]


def test_summary_opens_with_headline_figures_and_charts(organiser_client, irts, known):
    html = organiser_client.get(
        f"/admin/journees/{irts.id}/inscriptions/bilan").get_data(as_text=True)
    text = text_of(html)
    headline = text[text.index("En bref"):text.index("Statuts")]
    for expected in ("Inscriptions confirmées 3 sur 3", "Liste d’attente 1",
                     "Places restantes aucune (complet)", "Annulations 1",
                     "Inscriptions en ligne Clôturées (le jeudi 1er mars 2018)"):
        assert expected in headline, expected
    # The charts come before the tables, each named and with the figures of its table.
    assert html.index("<svg") < html.index("<caption>")
    charts = charts_of(html)
    assert set(charts) == {"graphique-par-jour", "graphique-profils", "graphique-secteurs",
                           "graphique-organisations", "graphique-ateliers"}
    for svg in charts.values():
        assert svg.get("role") == "img"
        assert svg.get("aria-labelledby") == f"{svg.get('id')}-titre {svg.get('id')}-desc"
    assert bars(charts["graphique-profils"])[:2] == [("Étudiant·e", 2, None),
                                                     ("Professionnel·le", 1, None)]
    assert [b[1] for b in bars(charts["graphique-profils"])] == [2, 1, 0, 0, 0, 1, 0, 0]
    assert bars(charts["graphique-organisations"]) == [
        ("IRTS-IDS Normandie", 2, None), ("Conseil départemental", 1, None),
        ("MECS Les Tilleuls", 1, None)]
    workshops = bars(charts["graphique-ateliers"])
    assert [(value, limit) for _, value, limit in workshops][:3] == [
        (2, "1"), (0, "40"), (1, "40")]
    desc = charts["graphique-ateliers"].find(f"{SVG}desc").text
    assert desc.startswith("Atelier n°\u00a01\u202f: Handicap enfant\u202f: 2 1ers choix, "
                           "1\u00a0place\u202f; Atelier n°\u00a02")
    points = charts["graphique-par-jour"].findall(f"{SVG}circle")
    assert [int(p.get("data-total")) for p in points] == [2, 2, 5]
    assert "Jour Reçues ce jour Cumul" in text and "samedi 3 février 2018 3 5" in text


def _sheet_rows(workbook, name):
    return [tuple(cell for cell in row) for row in workbook[name].iter_rows(values_only=True)]


def test_workbook_has_the_same_tables(organiser_client, irts, known):
    response = organiser_client.get(f"/admin/journees/{irts.id}/inscriptions/bilan.xlsx")
    assert response.status_code == 200
    assert response.mimetype == ("application/vnd.openxmlformats-officedocument."
                                 "spreadsheetml.sheet")
    assert "attachment" in response.headers["Content-Disposition"]
    workbook = load_workbook(BytesIO(response.data))
    assert workbook.sheetnames == ["Statuts", "Profils", "Formations des étudiant·es",
                                   "Organisations", "Secteurs", "Déjeuner sur place",
                                   "Origine des inscriptions", "Par jour", "Ateliers"]
    assert _sheet_rows(workbook, "Statuts") == [
        (irts.title, None), ("Inscriptions par statut", None), ("Statut", "Inscriptions"),
        ("Confirmée", 3), ("Liste d’attente", 1), ("Annulée", 1), ("Total", 5)]
    assert _sheet_rows(workbook, "Organisations")[2:] == [
        ("Organisation", "Confirmées", "Liste d’attente", "Total"),
        ("IRTS-IDS Normandie", 1, 1, 2), ("Conseil départemental", 1, 0, 1),
        ("MECS Les Tilleuls", 1, 0, 1), ("Total", 3, 1, 4)]
    days = _sheet_rows(workbook, "Par jour")[3:]
    assert days == [(datetime(2018, 2, 1), 2), (datetime(2018, 2, 2), 0),
                    (datetime(2018, 2, 3), 3)]
    workshops = _sheet_rows(workbook, "Ateliers")
    assert workshops[2] == ("Créneau", "Atelier", "1ers choix", "Tous les choix",
                            "Capacité de l’atelier", "Salle", "Capacité de la salle",
                            "Demande supérieure aux places")
    assert workshops[3][2:] == (2, 3, 40, "Petite salle", 1, "Oui")
    assert workshops[4][2:4] == (0, 1) and workshops[4][-1] == "Non"


def test_hostile_values_are_text_in_the_workbook(irts):
    irts.capacity = None
    db.session.commit()
    add(irts, "A", "A", "a@example.org", organisation="=1+1")
    add(irts, "B", "B", "b@example.org", organisation="Łukasz\x0b & <script>")
    add(irts, "C", "C", "c@example.org", organisation="=1+1", sector='=HYPERLINK("x")')
    workbook = load_workbook(BytesIO(build_summary_xlsx("=titre", build_summary(irts))))
    sheet = workbook["Organisations"]
    cells = {sheet.cell(row=r, column=1).value: sheet.cell(row=r, column=1)
             for r in range(4, sheet.max_row + 1)}
    assert cells["=1+1"].data_type == "s" and cells["=1+1"].value == "=1+1"
    assert "Łukasz & <script>" in cells  # the control character removed, the rest kept
    assert workbook["Statuts"]["A1"].data_type == "s"
    sectors = workbook["Secteurs"]
    formula = [c for c in sectors["A"] if c.value == '=HYPERLINK("x")']
    assert formula and formula[0].data_type == "s"


def test_an_empty_event(organiser_client, irts):
    summary = build_summary(irts)
    assert summary.total == 0 and summary.days == []
    assert Row("x").total == 0
    text = text_of(organiser_client.get(
        f"/admin/journees/{irts.id}/inscriptions/bilan").get_data(as_text=True))
    assert "Aucune inscription pour l’instant." in text
    workbook = load_workbook(BytesIO(organiser_client.get(
        f"/admin/journees/{irts.id}/inscriptions/bilan.xlsx").data))
    assert _sheet_rows(workbook, "Statuts")[-1] == ("Total", 0)


def test_days_in_a_time_zone_with_half_hours(irts):
    """India is UTC+5:30: 18:29 UTC is still the 1st there, 18:31 UTC the 2nd."""
    irts.capacity = None
    irts.timezone = "Asia/Kolkata"
    db.session.commit()
    for n, moment in enumerate((datetime(2018, 2, 1, 18, 29), datetime(2018, 2, 1, 18, 31),
                                datetime(2018, 2, 1, 18, 45))):
        add(irts, "Personne", f"N{n}", f"p{n}@example.org", created_at=moment)
    assert [(d.day, d.count) for d in build_summary(irts).days] == [
        (date(2018, 2, 1), 1), (date(2018, 2, 2), 2)]


def test_names_typed_by_people_stay_text_in_the_charts(organiser_client, irts):
    irts.capacity = None
    db.session.commit()
    add(irts, "A", "A", "a@example.org", organisation="<script>alert(1)</script>")
    add(irts, "B", "B", "b@example.org", organisation="=1+1 « Łódź » 東京")
    html = organiser_client.get(
        f"/admin/journees/{irts.id}/inscriptions/bilan").get_data(as_text=True)
    assert "<script>alert" not in html
    labels = [label for label, _, _ in bars(charts_of(html)["graphique-organisations"])]
    assert labels == ["<script>alert(1)</script>", "=1+1 « Łódź » 東京"]
