"""Places left, as the event page and the registration form show them at render time."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from support.pages import text_of
from support.registration import FORM_URL, OPEN_DAY, add, field_error, slot_of, valid_data

from journee.extensions import db
from journee.programme.models import WorkshopMode
from journee.registration import places

pytestmark = pytest.mark.usefixtures("registration_open")

EVENT_URL = "/e/travail-social-epreuve-numerique-2018/"


@pytest.fixture(autouse=True)
def event_page_open(monkeypatch):
    monkeypatch.setattr("journee.programme.views.today_in", lambda timezone=None: OPEN_DAY)


class Elements(HTMLParser):
    """Every element with an id: its attributes, and the text inside it."""

    def __init__(self, html: str):
        super().__init__()
        self.attrs: dict[str, dict] = {}
        self.texts: dict[str, list[str]] = {}
        self._open: list[str | None] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        element_id = attributes.get("id")
        if element_id:
            self.attrs[element_id] = attributes
            self.texts[element_id] = []
        if tag not in ("input", "br", "meta", "link", "img"):
            self._open.append(element_id)

    def handle_endtag(self, tag):
        if self._open and tag not in ("input", "br", "meta", "link", "img"):
            self._open.pop()

    def handle_data(self, data):
        for element_id in self._open:
            if element_id:
                self.texts[element_id].append(data)

    def text(self, element_id: str) -> str:
        return re.sub(r"[ \t\n]+", " ", "".join(self.texts[element_id])).strip()


def _fill(event, count: int) -> None:
    for n in range(count):
        add(event, "Personne", f"N{n}", f"p{n}@example.org")


@pytest.mark.parametrize(("capacity", "taken", "expected"), [
    (None, 2, None),
    (100, 2, None),
    (60, 48, "Plus que 12\u00a0places"),
    (3, 2, "Plus qu’une place"),
    (3, 3, "Complet\u202f: inscription sur liste d’attente"),
])
def test_the_event_page_and_the_form_say_the_places_left(
        client, irts, capacity, taken, expected):
    irts.capacity = capacity
    db.session.commit()
    _fill(irts, taken)

    for url in (EVENT_URL, FORM_URL):
        html = client.get(url).get_data(as_text=True)
        notices = [t for t in ("Plus que", "Plus qu’une", "Complet") if t in html]
        if expected is None:
            assert notices == [], url
        else:
            assert f'<p class="places-left"><strong>{expected}</strong></p>' in html, url


def test_a_full_day_without_waiting_list_says_so(client, irts):
    irts.capacity, irts.waitlist_enabled = 2, False
    db.session.commit()
    _fill(irts, 2)
    assert '<p class="places-left"><strong>Complet</strong></p>' in \
        client.get(EVENT_URL).get_data(as_text=True)
    assert "Cette journée est complète." in text_of(client.get(FORM_URL).get_data(as_text=True))


def test_few_left_thresholds():
    assert places.few_left(240, 48) and not places.few_left(240, 49)
    assert places.few_left(30, 15) and not places.few_left(30, 16)
    assert places.few_left(100, 20) and not places.few_left(100, 21)


def test_a_full_first_come_workshop_is_disabled_with_its_reason(client, irts):
    irts.workshop_mode = WorkshopMode.FIRST_COME
    slot = slot_of(irts)
    full, few = slot.workshops[0], slot.workshops[1]
    full.capacity, few.capacity = 1, 3
    db.session.commit()
    add(irts, "Ana", "Pleine", "ana@example.org", choices=[full])
    add(irts, "Bo", "Peu", "bo@example.org", choices=[few])

    page = Elements(client.get(FORM_URL).get_data(as_text=True))

    radio = page.attrs[f"atelier_{slot.id}-0"]
    assert "disabled" in radio
    reason = radio["aria-describedby"]
    assert page.text(reason) == "(Complet\u202f: plus aucune place dans cet atelier.)"
    other = page.attrs[f"atelier_{slot.id}-1"]
    assert "disabled" not in other
    assert page.text(other["aria-describedby"]) == "(2\u00a0places restantes)"
    # Refused on the server too, whatever the browser sent.
    data = valid_data(irts, email="forge@example.org")
    for rank in (1, 2, 3):
        data.pop(f"atelier_{slot.id}_{rank}")
    data[f"atelier_{slot.id}"] = str(full.id)
    html = client.post(FORM_URL, data=data).get_data(as_text=True)
    assert field_error(html, f"atelier_{slot.id}") == \
        "L’atelier n°\u00a01 vient d’être complet\u00a0: choisissez-en un autre."


def test_preference_mode_marks_workshops_asked_for_twice_their_places(client, irts):
    slot = slot_of(irts)
    popular, quiet = slot.workshops[0], slot.workshops[1]
    popular.capacity, quiet.capacity = 2, 2
    db.session.commit()
    for n in range(4):
        add(irts, "Personne", f"N{n}", f"p{n}@example.org", choices=[popular])
    add(irts, "Autre", "Personne", "autre@example.org", choices=[quiet])

    html = client.get(FORM_URL).get_data(as_text=True)

    assert f'<option value="{popular.id}">{popular.label} (très demandé)</option>' in html
    assert f'<option value="{quiet.id}">{quiet.label}</option>' in html
    assert ("«\u202fTrès demandé\u202f»\u202f: au moins deux fois plus de personnes ont mis "
            "cet atelier en 1er\u202fchoix qu’il n’a de places.") in html.replace("<sup>", "").replace(
                "</sup>", "").replace("&#8239;", "\u202f")


def test_one_below_twice_the_places_is_not_marked():
    assert places.is_popular(40, 80) and not places.is_popular(40, 79)
    assert not places.is_popular(None, 1000)


def test_the_form_counts_its_places_and_first_choices_in_one_statement(irts, demo):
    from journee.registration import services
    from journee.registration.models import RegistrationStatus

    slot = slot_of(irts)
    first, second = slot.workshops[0], slot.workshops[1]
    irts.capacity = 10
    db.session.commit()
    for n in range(3):
        add(irts, "Personne", f"N{n}", f"p{n}@example.org", choices=[first, second])
    add(irts, "Autre", "Personne", "autre@example.org", choices=[second])
    add(irts, "Partie", "Personne", "partie@example.org",
        choices=[first]).status = RegistrationStatus.CANCELLED
    other = next(e for e in demo.values() if e.id != irts.id)
    other.capacity = None
    services.register(other.id, services.Attendee(
        first_name="Ailleurs", last_name="Personne", email="ailleurs@example.org",
        profile="professional", privacy_version="test"), OPEN_DAY,
        source=services.Source.STAFF)
    db.session.commit()

    counts = services.form_counts(irts)

    assert counts.places_left == services.places_left(irts) == 10 - 4
    assert counts.first_choices == services.workshop_first_choices(irts) == {
        first.id: 3, second.id: 1}
    assert services.form_counts(other).places_left is None
