"""A presence attested after the fact, in a real browser: on a past half-day's correction
page, the organiser picks the person, sends the form without a reason (refused in French,
the choice kept), then with one; axe-core at 360 and 1280 px on each page."""

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

#: Per width: who signed the morning, and who was missed.
PEOPLE = {360: (("Zoé", "Lefèvre"), ("Łukasz", "Żółć")),
          1280: (("Amélie", "N’Diaye"), ("Ольга", "<script>Петрова</script>"))}
MORNING_9H12 = datetime(2018, 3, 15, 8, 12)  # UTC: 9 h 12 in Paris
REASON = "A signé la feuille papier pendant la panne de la tablette"


def morning_with_one_missed(live_server, signed: tuple[str, str],
                            missed: tuple[str, str]) -> tuple[int, int]:
    """Two confirmed people of the IRTS-IDS day: one signed its morning, the other has no
    record; the event's id and the missed person's registration id."""
    with live_server.app.app_context():
        event = db.session.scalar(select(Event).filter_by(
            slug="travail-social-epreuve-numerique-2018"))
        people = [Registration(event=event, status=RegistrationStatus.CONFIRMED,
                               first_name=first, last_name=last,
                               organisation="MECS Les Tilleuls",
                               profile=Profile.PROFESSIONAL) for first, last in (signed, missed)]
        db.session.add_all(people)
        db.session.flush()
        signing.sign(event, half_days(event)[0], Signer(registration=people[0]),
                     signature_png(), "accueil@exemple.fr", now=MORNING_9H12)
        db.session.commit()
        ids = event.id, people[1].id
        db.session.remove()
    return ids


def late_record(live_server, registration_id: int) -> tuple[HalfDaySignature | None, str]:
    with live_server.app.app_context():
        record = db.session.scalar(select(HalfDaySignature).filter_by(
            registration_id=registration_id))
        target = db.session.scalar(select(AuditEntry.target).filter_by(
            action="signin.attest_late").order_by(AuditEntry.id.desc()))
        if record is not None:
            db.session.expunge(record)
        db.session.remove()
    return record, target


def check(page) -> None:
    assert axe_violations(page) == []
    assert horizontal_overflow(page) <= 0


@pytest.mark.parametrize("width", [360, 1280])
def test_an_organiser_attests_a_presence_after_the_fact(page_factory, live_server, width):
    signed, missed = PEOPLE[width]
    event_id, missed_id = morning_with_one_missed(live_server, signed, missed)
    label = f"{missed[1].upper()} {missed[0]} – MECS Les Tilleuls"
    page = page_factory(width=width, height=800)
    login(page, live_server.base_url)
    page.goto(f"{live_server.base_url}/admin/journees/{event_id}/emargement/corrections/"
              "2018-03-15-matin")
    expect(page.get_by_role("heading", level=2, name="Attester une présence après coup")
           ).to_be_visible()
    # Prefilled with the organiser's name.
    expect(page.get_by_label("Présence attestée par")).to_have_value("Organisatrice")
    check(page)

    # Sent without a reason: refused in French, nothing recorded, the choice kept.
    page.get_by_label("Personne", exact=True).select_option(label=label)
    submit(page, page.get_by_role("button", name="Attester la présence"))
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Indiquez le motif.")
    expect(page.get_by_label("Personne", exact=True)).to_have_value(str(missed_id))
    assert late_record(live_server, missed_id)[0] is None
    check(page)

    # The summary's link leads to the field; typing and Enter send the form.
    summary.get_by_role("link").click()
    expect(page.get_by_label("Motif", exact=True)).to_be_focused()
    page.keyboard.type(REASON)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    name = f"{missed[0]} {missed[1]}"
    expect(page.locator(".flash")).to_contain_text(
        f"La présence de {name} est attestée après coup pour le matin du jeudi "
        "15\u00a0mars 2018.")
    expect(page.get_by_role("row", name=name)).to_contain_text(
        "Présence attestée après coup par Organisatrice le")
    check(page)
    record, target = late_record(live_server, missed_id)
    assert record is not None and record.attested_by == "Organisatrice"
    assert record.reason == REASON
    assert target.endswith(f"motif\u202f: {REASON} — attestée par Organisatrice")
