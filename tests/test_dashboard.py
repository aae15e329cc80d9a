"""The dashboard of an event (its admin home) and its line in the list of events: figures
checked against the database, charts with their text alternative."""

from __future__ import annotations

import re
from datetime import date
from xml.etree import ElementTree

import pytest
from sqlalchemy import func, select
from support.pages import text_of
from support.registration import add, build_known_set, slot_of

from journee.extensions import db
from journee.mail_models import OutboxMessage, OutboxStatus
from journee.registration.models import (
    Assignment,
    AssignmentSource,
    Registration,
    RegistrationStatus,
)
from journee.secret_links import issue

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def today(monkeypatch):
    def set_day(day: date) -> None:
        monkeypatch.setattr("journee.registration.admin.dashboard.today_in",
                            lambda timezone="Europe/Paris": day)
    set_day(date(2018, 2, 17))
    return set_day


@pytest.fixture
def known(irts, today):
    people = build_known_set(irts)
    irts.capacity = 10
    db.session.commit()
    return people


def home(client, event) -> str:
    response = client.get(f"/admin/journees/{event.id}/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def dashboard_text(html: str) -> str:
    text = text_of(html)
    return text[text.index("Tableau de bord des inscriptions"):text.index(
        "Inscriptions et ateliers")]


def queue(registration, status, subject="Votre inscription"):
    message = OutboxMessage(kind="confirmation", to_address="x@example.org",
                            subject=subject, status=status,
                            registration_id=registration.id)
    db.session.add(message)
    return message


def test_headline_figures_match_the_database(organiser_client, irts, known, demo):
    counts = dict(db.session.execute(
        select(Registration.status, func.count()).where(Registration.event_id == irts.id)
        .group_by(Registration.status)).all())
    assert counts == {RegistrationStatus.CONFIRMED: 3, RegistrationStatus.WAITLISTED: 1,
                      RegistrationStatus.CANCELLED: 1}
    text = dashboard_text(home(organiser_client, irts))
    for expected in ("Inscriptions confirmées 3 sur 10", "Liste d’attente 1",
                     "Places restantes 7", "Annulations 1",
                     "Inscriptions en ligne Clôture dans 12 jours (le jeudi 1er mars 2018)",
                     "E-mails en attente d’envoi 0", "E-mails non envoyés 0"):
        assert expected in text, expected


def test_places_left_follow_confirmations(organiser_client, irts, known):
    irts.capacity = 4
    db.session.commit()
    assert "Places restantes 1" in dashboard_text(home(organiser_client, irts))
    add(irts, "Ana", "Lopes", "ana.lopes@example.org")
    assert "Places restantes aucune (complet)" in dashboard_text(home(organiser_client, irts))
    irts.capacity = None
    db.session.commit()
    assert "Places restantes non limitées" in dashboard_text(home(organiser_client, irts))


@pytest.mark.parametrize(("day", "expected"), [
    (date(2018, 2, 28), "Clôture demain"), (date(2018, 3, 1), "Clôture ce soir"),
    (date(2018, 3, 2), "Clôturées")])
def test_days_to_the_deadline(organiser_client, irts, known, today, day, expected):
    today(day)
    assert f"Inscriptions en ligne {expected} (le jeudi 1er mars 2018)" in dashboard_text(
        home(organiser_client, irts))


def test_outbox_pending_and_failed(app, organiser_client, irts, known, demo):
    # Left in the outbox, as when the mail server is down or the worker has not run yet.
    app.config["MAIL_DELIVER_AFTER_COMMIT"] = False
    martin, durand = known["martin"], known["durand"]
    for status in (OutboxStatus.PENDING, OutboxStatus.PENDING, OutboxStatus.FAILED,
                   OutboxStatus.SENT):
        queue(martin, status)
    queue(durand, OutboxStatus.PENDING)
    # Another day's messages are not this day's.
    etsup = demo["travail-social-2-0-etsup-2018"]
    other = Registration(event_id=etsup.id, status=RegistrationStatus.CONFIRMED,
                         first_name="Léa", last_name="Roux", email="lea.roux@example.org",
                         profile="professional", **issue(Registration.link_purpose))
    db.session.add(other)
    db.session.flush()
    queue(other, OutboxStatus.FAILED)
    db.session.commit()
    in_outbox = dict(db.session.execute(
        select(OutboxMessage.status, func.count())
        .join(Registration, Registration.id == OutboxMessage.registration_id)
        .where(Registration.event_id == irts.id).group_by(OutboxMessage.status)).all())
    assert in_outbox == {OutboxStatus.PENDING: 3, OutboxStatus.FAILED: 1,
                         OutboxStatus.SENT: 1}
    html = home(organiser_client, irts)
    text = dashboard_text(html)
    assert "E-mails en attente d’envoi 3" in text
    assert "E-mails non envoyés 1 voir lesquels" in text
    assert (f'href="/admin/journees/{irts.id}/inscriptions/#e-mails-en-echec">voir lesquels'
            in html)
    # Where the link goes, the failure is listed.
    listing = organiser_client.get(f"/admin/journees/{irts.id}/inscriptions/")
    assert 'id="e-mails-en-echec"' in listing.get_data(as_text=True)


def svgs(html) -> dict[str, ElementTree.Element]:
    return {svg.get("id"): svg for svg in (
        ElementTree.fromstring(found) for found in re.findall(r"<svg .*?</svg>", html, re.S))}


def test_charts_have_a_text_alternative(organiser_client, irts, known):
    html = home(organiser_client, irts)
    charts = svgs(html)
    assert set(charts) == {"tableau-de-bord-cumul", "tableau-de-bord-ateliers"}
    for chart_id, svg in charts.items():
        assert svg.get("role") == "img"
        assert svg.get("aria-labelledby") == f"{chart_id}-titre {chart_id}-desc"
        assert svg.find(f"{SVG}title").text and svg.find(f"{SVG}desc").text
    # Registrations over time: the running total, its figures in a table under <details>.
    points = charts["tableau-de-bord-cumul"].findall(f"{SVG}circle")
    assert [(p.get("data-day"), int(p.get("data-total"))) for p in points] == [
        ("2018-02-01", 2), ("2018-02-02", 2), ("2018-02-03", 5)]
    details = html[html.index("<details>"):html.index("</details>")]
    assert "samedi 3 février 2018 3 5" in text_of(details)
    # Workshop demand: first choices of confirmed people against the places.
    bars = charts["tableau-de-bord-ateliers"].findall(f"{SVG}rect[@class='bar']")
    workshops = slot_of(irts).workshops
    assert [(int(b.get("data-value")), int(b.get("data-limit"))) for b in bars] == [
        (2, workshops[0].capacity), (0, workshops[1].capacity), (1, workshops[2].capacity),
        (0, workshops[3].capacity), (0, workshops[4].capacity), (0, workshops[5].capacity)]
    text = dashboard_text(html)
    assert f"Atelier n° 1 : Handicap enfant Ateliers 2 1ers choix {workshops[0].capacity}" \
        in text


def test_workshop_demand_shows_the_assignment_once_there_is_one(organiser_client, irts,
                                                                known):
    slot = slot_of(irts)
    for person, workshop in ((known["martin"], slot.workshops[4]),
                             (known["durand"], slot.workshops[4]),
                             (known["benali"], slot.workshops[0])):
        db.session.add(Assignment(registration_id=person.id, session_id=slot.id,
                                  workshop_id=workshop.id, source=AssignmentSource.SOLVER))
    db.session.commit()
    html = home(organiser_client, irts)
    bars = svgs(html)["tableau-de-bord-ateliers"].findall(f"{SVG}rect[@class='bar']")
    assert [int(b.get("data-value")) for b in bars] == [1, 0, 0, 0, 2, 0]
    assert "2 affecté·es" in dashboard_text(html)


def test_an_event_without_registrations(organiser_client, irts, today):
    text = dashboard_text(home(organiser_client, irts))
    assert "Inscriptions confirmées 0" in text and "Aucune inscription pour l’instant." in text


def test_each_event_has_its_line_in_the_list(organiser_client, make_user, login, irts,
                                             known, demo):
    queue(known["martin"], OutboxStatus.FAILED)
    db.session.commit()
    text = text_of(organiser_client.get("/admin/").get_data(as_text=True))
    assert ("3 confirmées, 1 en attente 7 places restantes Clôture dans 12 jours "
            "1 e-mail non envoyé") in text
    # An administrator sees every day, each with its own figures.
    admin = login(make_user(email="admin@example.org", admin=True))
    text = text_of(admin.get("/admin/").get_data(as_text=True))
    assert "0 confirmée places non limitées Pas de date limite" in text  # ETSUP
