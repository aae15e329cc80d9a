"""Correcting the digital sign-in in a real browser: from the sign-in sheets page to a
half-day's records, then the confirmation form, by keyboard only; axe-core at 360 and
1280 px on each page, the error summary included."""

from __future__ import annotations

from datetime import datetime

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from support.browsing import axe_violations, horizontal_overflow, login, submit
from support.signatures import signature_png

from journee.attendance.models import HalfDaySignature
from journee.attendance.services import half_day_signatures as signing
from journee.attendance.services.half_day_signatures import Signer
from journee.attendance.services.signin import half_days
from journee.audit.models import AuditEntry
from journee.extensions import db
from journee.programme.models import Event
from journee.registration.models import Profile, Registration, RegistrationStatus

PEOPLE = {360: ("Zoé", "Lefèvre"), 1280: ("Łukasz", "Żółć")}
MORNING_9H12 = datetime(2018, 3, 15, 8, 12)  # UTC: 9 h 12 in Paris


def signed_morning(live_server, first: str, last: str) -> tuple[int, int]:
    """A confirmed person of the IRTS-IDS day who signed its morning: the event's id and
    the record's."""
    with live_server.app.app_context():
        event = db.session.scalar(select(Event).filter_by(
            slug="travail-social-epreuve-numerique-2018"))
        registration = Registration(event=event, status=RegistrationStatus.CONFIRMED,
                                    first_name=first, last_name=last,
                                    organisation="MECS Les Tilleuls",
                                    profile=Profile.PROFESSIONAL)
        db.session.add(registration)
        db.session.flush()
        record = signing.sign(event, half_days(event)[0], Signer(registration=registration),
                              signature_png(), "accueil@exemple.fr", now=MORNING_9H12)
        db.session.commit()
        ids = event.id, record.id
        db.session.remove()
    return ids


def still_there(live_server, record_id: int) -> bool:
    with live_server.app.app_context():
        found = db.session.get(HalfDaySignature, record_id) is not None
        db.session.remove()
    return found


def logged_reason(live_server) -> str | None:
    with live_server.app.app_context():
        target = db.session.scalar(select(AuditEntry.target).filter_by(
            action="signin.cancel").order_by(AuditEntry.id.desc()))
        db.session.remove()
    return target


def tab_to(page, name: str, limit: int = 120) -> None:
    """Press Tab until the element whose accessible text starts with ``name`` has the
    focus, as someone without a mouse would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement && "
                                "(document.activeElement.textContent || '').trim()")
        if focused and " ".join(focused.split()).startswith(name):
            return
    raise AssertionError(f"« {name} » cannot be reached with the Tab key")


def check(page) -> None:
    assert axe_violations(page) == []
    assert horizontal_overflow(page) <= 0


@pytest.mark.parametrize("width", [360, 1280])
def test_an_organiser_cancels_a_record_by_keyboard(page_factory, live_server, width):
    first, last = PEOPLE[width]
    event_id, record_id = signed_morning(live_server, first, last)
    page = page_factory(width=width, height=800)
    login(page, live_server.base_url)
    page.goto(f"{live_server.base_url}/admin/journees/{event_id}/emargement")
    check(page)
    tab_to(page, "Corriger l’émargement pour le matin du jeudi 15 mars 2018")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Corriger l’émargement")
    expect(page.get_by_role("row", name=f"{first} {last}")).to_contain_text("Signé à 9 h 12")
    check(page)

    tab_to(page, f"Annuler cet émargement de {first} {last}")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Annuler l’émargement de {first} {last}\u202f?")
    expect(page.get_by_role("listitem").filter(
        has_text="disparaît de la feuille d’émargement signée")).to_be_visible()
    check(page)

    # Sent without a reason: refused in French, nothing deleted.
    submit(page, page.get_by_role("button", name="Annuler cet émargement"))
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Indiquez le motif de l’annulation.")
    assert still_there(live_server, record_id)
    check(page)

    # The summary's link leads to the field; typing and Enter send the form.
    summary.get_by_role("link").click()
    expect(page.get_by_label("Motif de l’annulation")).to_be_focused()
    page.keyboard.type("Mauvaise personne sélectionnée à l’accueil")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".flash")).to_contain_text(
        f"L’émargement de {first} {last} pour le matin du jeudi 15\u00a0mars 2018 est annulé.")
    expect(page.get_by_role("row", name=f"{first} {last}")).to_have_count(0)
    check(page)
    assert not still_there(live_server, record_id)
    assert logged_reason(live_server).endswith(
        "motif\u202f: Mauvaise personne sélectionnée à l’accueil")
