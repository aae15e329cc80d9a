"""An empty form field's HTML is kept (journee.web.rendered_fields): the page stays exactly
what it was, every change to the form shows at once, and nothing typed is ever kept."""

from __future__ import annotations

import re

import pytest
from support.registration import FORM_URL, add, input_value, slot_of, valid_data

from journee.extensions import db
from journee.programme.models import WorkshopMode
from journee.web import rendered_fields

pytestmark = pytest.mark.usefixtures("registration_open")


class Counting(rendered_fields._RenderedFields):
    """The kept HTML, counting the fields rendered for want of it."""

    def __init__(self) -> None:
        super().__init__(rendered_fields.SIZE)
        self.renders = 0

    def get(self, key, render):
        def counted():
            self.renders += 1
            return render()
        return super().get(key, counted)


@pytest.fixture
def kept(monkeypatch) -> Counting:
    kept = Counting()
    monkeypatch.setattr(rendered_fields, "rendered", kept)
    return kept


def without_token(html: str) -> str:
    return re.sub(r'name="csrf_token" type="hidden" value="[^"]*"', "", html)


def test_the_second_empty_form_comes_from_kept_html_and_is_the_same_page(client, irts, kept):
    first = client.get(FORM_URL).get_data(as_text=True)
    rendered = kept.renders
    assert rendered >= 10  # the person, the profile, the lunch, the three ranks…

    second = client.get(FORM_URL).get_data(as_text=True)

    assert kept.renders == rendered
    assert without_token(second) == without_token(first)


def test_the_same_page_as_rendered_without_keeping(client, irts, kept, app):
    kept_page = client.get(FORM_URL).get_data(as_text=True)
    kept_page = client.get(FORM_URL).get_data(as_text=True)
    app.jinja_env.auto_reload = True  # templates read again: nothing kept
    try:
        fresh = client.get(FORM_URL).get_data(as_text=True)
    finally:
        app.jinja_env.auto_reload = False
    assert without_token(fresh) == without_token(kept_page)


def test_a_renamed_workshop_and_a_new_question_show_at_once(client, irts, kept):
    workshop = slot_of(irts).workshops[0]
    before = client.get(FORM_URL).get_data(as_text=True)
    assert 'name="accommodation_needed"' not in before

    workshop.title = "Écrire à l’« usager » <vraiment>"
    irts.ask_accommodation = True
    db.session.commit()
    after = client.get(FORM_URL).get_data(as_text=True)

    assert "Écrire à l’« usager » &lt;vraiment&gt;" in after.replace("&#8239;", "\u202f") \
        .replace("\u202f", " ")
    assert 'name="accommodation_needed"' in after


def test_places_left_in_a_first_come_workshop_follow_the_registrations(client, irts, kept):
    irts.workshop_mode = WorkshopMode.FIRST_COME
    slot = slot_of(irts)
    workshop = slot.workshops[0]
    workshop.capacity = 2
    db.session.commit()
    assert "(2\u00a0places restantes)" in client.get(FORM_URL).get_data(as_text=True)

    add(irts, "Ana", "Premier", "ana@example.org", choices=[workshop])
    html = client.get(FORM_URL).get_data(as_text=True)
    assert "(1\u00a0place restante)" in html

    add(irts, "Bo", "Second", "bo@example.org", choices=[workshop])
    html = client.get(FORM_URL).get_data(as_text=True)
    radio = re.search(rf'<input[^>]*id="atelier_{slot.id}-0"[^>]*>', html)[0]
    assert "disabled" in radio


def test_what_someone_typed_is_shown_back_and_never_kept(client, irts, kept):
    client.get(FORM_URL)
    data = valid_data(irts, first_name="Zoé <script>", last_name="=Ngô-Đặng",
                      email="pas-une-adresse", phone="06 99 88 77 66")
    html = client.post(FORM_URL, data=data).get_data(as_text=True)

    assert input_value(html, "first_name") == "Zoé <script>"
    assert input_value(html, "last_name") == "=Ngô-Đặng"
    assert input_value(html, "email") == "pas-une-adresse"
    kept_html = "".join(kept._html.values())
    for typed in ("Zoé", "Ngô", "pas-une-adresse", "06 99 88 77 66"):
        assert typed not in kept_html
    # The next person gets an empty form.
    html = client.get(FORM_URL).get_data(as_text=True)
    assert input_value(html, "first_name") == ""
    assert "Zoé" not in html


def test_an_attendee_s_own_answers_on_their_edit_page_are_never_kept(client, irts, kept):
    registration = add(irts, "Lùcia", "D’Almeida", "lucia@example.org",
                       choices=slot_of(irts).workshops[:1])
    html = client.get(f"/r/{registration.token}/modifier").get_data(as_text=True)

    assert input_value(html, "last_name") == "D’Almeida"
    kept_html = "".join(kept._html.values())
    assert "Almeida" not in kept_html and "lucia@example.org" not in kept_html


def test_a_form_that_does_not_say_so_is_never_kept(client, irts, kept):
    """The late attestation's select lists people's names: only forms whose choices are
    the event's (the registration form) say their fields may be kept."""
    html = client.get(f"{FORM_URL.rsplit('/', 1)[0]}/register/lien").get_data(as_text=True)
    assert 'name="email"' in html
    assert kept.renders == 0 and len(kept) == 0
