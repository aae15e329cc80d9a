"""The « émargement » pages in a real browser: a signature drawn with the pointer on the
canvas and stored as a PNG, axe-core at 360 and 1280 px, and the page without JavaScript
(the attested presence only)."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from support.browsing import axe_violations, horizontal_overflow, login, submit

from journee.attendance.models import HalfDaySignature
from journee.extensions import db
from journee.facilitation.models import FacilitatorLink
from journee.programme.models import (
    Event,
    EventStatus,
    Participation,
    Person,
    Role,
    Session,
    SessionKind,
    Workshop,
)
from journee.registration.models import (
    Assignment,
    AssignmentSource,
    Profile,
    Registration,
    RegistrationStatus,
)

PEOPLE = {"narrow": ("Zoé", "Lefèvre"), "wide": ("Łukasz", "Żółć"),
          "nojs": ("Seán", "O’Brien"), "member": ("Дмитрий", "Иванов"),
          "pad": ("Noémie", "Pointeau")}


@pytest.fixture(scope="module")
def day(live_server) -> dict:
    """A day in progress now (Paris time), with a workshop, its facilitator and four
    confirmed people."""
    now = datetime.now(ZoneInfo("Europe/Paris")).replace(tzinfo=None, second=0,
                                                         microsecond=0)
    start = max(now - timedelta(minutes=30), now.replace(hour=0, minute=1))
    with live_server.app.app_context():
        event = Event(slug="emargement-en-cours", title="Journée d’émargement",
                      starts_on=start.date(), ends_on=start.date(),
                      status=EventStatus.PUBLISHED)
        slot = Session(kind=SessionKind.WORKSHOPS, title="Ateliers", starts_at=start,
                       ends_at=start + timedelta(hours=2))
        event.sessions.append(slot)
        workshop = Workshop(number=1, title="Écrans et lien social")
        slot.workshops.append(workshop)
        person = Person(first_name="Inès", last_name="Abadie")
        slot.participations.append(Participation(person=person, role=Role.FACILITATOR,
                                                 workshop=workshop))
        db.session.add(event)
        db.session.flush()
        ids = {}
        for key, (first, last) in PEOPLE.items():
            registration = Registration(event=event, status=RegistrationStatus.CONFIRMED,
                                        first_name=first, last_name=last,
                                        organisation="MECS Les Tilleuls",
                                        profile=Profile.PROFESSIONAL)
            db.session.add(registration)
            db.session.flush()
            ids[key] = registration.id
        db.session.add(Assignment(registration_id=ids["member"], session_id=slot.id,
                                  workshop_id=workshop.id, source=AssignmentSource.SOLVER))
        link = FacilitatorLink(event_id=event.id, person_id=person.id)
        db.session.add(link)
        db.session.commit()
        base = live_server.base_url
        return {"desk": f"{base}/admin/journees/{event.id}/accueil/emargement", "ids": ids,
                "facilitator": f"{base}/f/{link.token}/ateliers/{workshop.uid}/emargement"}


def stored(live_server, registration_id: int) -> HalfDaySignature | None:
    with live_server.app.app_context():
        record = db.session.scalar(select(HalfDaySignature).filter_by(
            registration_id=registration_id))
        db.session.expunge_all()
        db.session.remove()
        return record


def draw(page) -> None:
    """A stroke across the canvas with the mouse's pointer events."""
    box = page.locator("canvas").bounding_box()
    x, y, width, height = box["x"], box["y"], box["width"], box["height"]
    page.mouse.move(x + width * 0.1, y + height * 0.6)
    page.mouse.down()
    for step in range(1, 21):
        page.mouse.move(x + width * (0.1 + 0.04 * step),
                        y + height * (0.6 - 0.3 * ((step % 4) / 3)), steps=2)
    page.mouse.up()


@pytest.mark.parametrize(("key", "width"), [("narrow", 360), ("wide", 1280)])
def test_a_signature_drawn_with_the_pointer_is_stored_as_a_png(page_factory, live_server,
                                                               day, key, width):
    from PIL import Image

    page = page_factory(width=width, height=800)
    login(page, live_server.base_url)
    first, last = PEOPLE[key]
    page.goto(day["desk"] + f"?q={last}")
    assert axe_violations(page) == []
    assert horizontal_overflow(page) <= 0
    submit(page, page.get_by_role("link", name=f"Signer pour {first} {last}"))
    expect(page.locator("canvas")).to_be_visible()
    assert axe_violations(page) == []
    assert horizontal_overflow(page) <= 0
    # An empty pad is refused on the server, in French, and nothing is stored.
    submit(page, page.get_by_role("button", name="Valider ma signature"))
    expect(page.locator(".error-summary")).to_contain_text("Aucune signature n’a été reçue")
    assert stored(live_server, day["ids"][key]) is None
    draw(page)
    page.get_by_role("button", name="Effacer").click()
    expect(page.locator("#signature-statut")).to_have_text("Signature effacée.")
    draw(page)
    submit(page, page.get_by_role("button", name="Valider ma signature"))
    expect(page.locator(".flash")).to_contain_text(f"{first} {last} a signé pour")
    assert axe_violations(page) == []
    record = stored(live_server, day["ids"][key])
    assert record is not None and record.image.startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(BytesIO(record.image)) as image:
        alpha = image.convert("RGBA").getchannel("A")
        drawn = sum(alpha.histogram()[1:])
        assert image.width >= 300 and drawn > 200


def test_without_javascript_only_the_attested_presence_is_offered(page_factory, live_server,
                                                                  day):
    page = page_factory(width=360, height=800, javascript=False)
    login(page, live_server.base_url)
    page.goto(day["desk"] + f"/{day['ids']['nojs']}")
    expect(page.locator("canvas")).to_be_hidden()
    expect(page.get_by_role("button", name="Valider ma signature")).to_be_hidden()
    submit(page, page.get_by_role("button", name="Attester la présence"))
    expect(page.locator(".error-summary")).to_contain_text("Indiquez qui atteste la présence.")
    expect(page.get_by_label("Motif")).to_have_value("signature impossible")
    page.get_by_role("textbox", name="Présence attestée par").fill("Paul d’Accueil")
    submit(page, page.get_by_role("button", name="Attester la présence"))
    expect(page.locator(".signing-done")).to_contain_text(
        "Présence attestée par Paul d’Accueil — signature impossible")
    record = stored(live_server, day["ids"]["nojs"])
    assert record.image is None and record.attested_by == "Paul d’Accueil"


@pytest.mark.parametrize("width", [360, 1280])
def test_the_facilitators_emargement_pages_pass_axe(page_factory, live_server, day, width):
    page = page_factory(width=width, height=800)
    page.goto(day["facilitator"])
    expect(page.get_by_role("heading", name="Émargement de l’atelier n° 1")).to_be_visible()
    assert axe_violations(page) == []
    assert horizontal_overflow(page) <= 0
    submit(page, page.get_by_role("link", name="Signer en tant qu’animateur·rice"))
    expect(page.locator("canvas")).to_be_visible()
    assert axe_violations(page) == []
    assert horizontal_overflow(page) <= 0


INK = """(box) => {
    const canvas = document.querySelector("canvas");
    const [x0, x1] = box === "right" ? [canvas.width / 2, canvas.width] : [0, canvas.width];
    const data = canvas.getContext("2d").getImageData(
        Math.floor(x0), 0, Math.floor(x1 - x0), canvas.height).data;
    let inked = 0;
    for (let i = 3; i < data.length; i += 4) { if (data[i] > 0) { inked += 1; } }
    const shown = canvas.getBoundingClientRect();
    return {inked, width: canvas.width, height: canvas.height,
            expected: [Math.round(shown.width * devicePixelRatio),
                       Math.round(shown.height * devicePixelRatio)]};
}"""


def open_pad(page, live_server, day) -> None:
    login(page, live_server.base_url)
    first, last = PEOPLE["pad"]
    page.goto(day["desk"] + f"?q={last}")
    submit(page, page.get_by_role("link", name=f"Signer pour {first} {last}"))
    expect(page.locator("canvas")).to_be_visible()


def test_a_turned_screen_keeps_the_signature_on_a_pad_of_the_new_size(page_factory,
                                                                       live_server, day):
    page = page_factory(width=360, height=740)
    open_pad(page, live_server, day)
    draw(page)
    before = page.evaluate(INK, "all")
    assert before["inked"] > 200 and [before["width"], before["height"]] == before["expected"]

    page.set_viewport_size({"width": 740, "height": 360})  # the phone turned
    page.wait_for_function("""() => {
        const canvas = document.querySelector("canvas");
        return canvas.width === Math.round(canvas.getBoundingClientRect().width
                                           * devicePixelRatio);
    }""")
    after = page.evaluate(INK, "all")
    assert [after["width"], after["height"]] == after["expected"]
    assert after["width"] != before["width"]
    assert after["inked"] > 100  # the same signature, scaled
    assert horizontal_overflow(page) <= 0


def test_a_second_finger_or_a_palm_does_not_draw(page_factory, live_server, day):
    page = page_factory(width=1280, height=800)
    open_pad(page, live_server, day)
    page.evaluate("""() => {
        const canvas = document.querySelector("canvas");
        const box = canvas.getBoundingClientRect();
        const at = (id, type, fx, fy) => canvas.dispatchEvent(new PointerEvent(type, {
            pointerId: id, bubbles: true, cancelable: true, pointerType: "touch",
            clientX: box.left + box.width * fx, clientY: box.top + box.height * fy}));
        at(1, "pointerdown", 0.1, 0.5);
        at(2, "pointerdown", 0.7, 0.3);  // a palm lands on the right while signing
        for (let step = 0; step <= 10; step += 1) {
            at(1, "pointermove", 0.1 + 0.03 * step, 0.5 + 0.02 * step);
            at(2, "pointermove", 0.7 + 0.02 * step, 0.3 + 0.04 * step);
        }
        at(2, "pointerup", 0.9, 0.7);
        at(1, "pointerup", 0.4, 0.7);
    }""")
    assert page.evaluate(INK, "all")["inked"] > 50
    assert page.evaluate(INK, "right")["inked"] == 0
