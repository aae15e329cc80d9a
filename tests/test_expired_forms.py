"""A form sent after its session expired comes back with what was typed, and a fresh
token; nothing is written until it is sent again."""

from __future__ import annotations

import re

import pytest
from flask import g
from support.pages import csrf_token_from, text_of
from support.registration import (
    FORM_URL,
    input_value,
    registration_by_email,
    registration_count,
    valid_data,
)

from journee.expired_forms import SESSION_EXPIRED
from journee.extensions import db
from journee.facilitation.models import FacilitatorLink
from journee.registration.models import RegistrationStatus
from journee.syntheses.models import WorkshopSynthesis

#: Today is 1 February 2018 for the registration views (``registration_open``).
pytestmark = pytest.mark.usefixtures("registration_open")

HOSTILE = {"first_name": "Ἀλέξανδρος", "last_name": "N’Diaye-<b>Lefèvre</b>",
           "organisation": "=HYPERLINK(\"x\")", "function": "Éducatrice « spécialisée »"}


def demo_event():
    from journee.demo import load_demo

    events = load_demo(original_dates=True)
    db.session.commit()
    return next(e for e in events if e.slug == "travail-social-epreuve-numerique-2018")


def post(client, url, data):
    """POST as a new request of its own would: the fixture's app context, which every
    test-client request shares, must not hand over the token cached in ``g`` by an
    earlier request (in production each request has its own)."""
    g.pop("csrf_token", None)
    return client.post(url, data=data)


def flat(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


def test_a_registration_sent_after_the_session_expired_keeps_every_answer(csrf_app):
    event = demo_event()
    evening = csrf_app.test_client()
    stale_token = csrf_token_from(evening.get(FORM_URL).get_data(as_text=True))
    data = valid_data(event, **HOSTILE, csrf_token=stale_token)

    morning = csrf_app.test_client()  # the session cookie is gone (expired, or dropped)
    response = post(morning, FORM_URL, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert flat(SESSION_EXPIRED) in flat(text_of(html))
    assert registration_count() == 0
    for name, value in HOSTILE.items():
        assert input_value(html, name) == value
    assert "<b>Lefèvre</b>" not in html  # shown as text, never as markup
    slot = [s for s in event.workshop_sessions if s.workshops][0]
    chosen = re.search(rf'<select[^>]*name="atelier_{slot.id}_1".*?</select>', html, re.S)[0]
    assert re.search(rf'<option selected value="{data[f"atelier_{slot.id}_1"]}"'
                     rf'|<option value="{data[f"atelier_{slot.id}_1"]}" selected', chosen)

    fresh_token = csrf_token_from(html)
    assert fresh_token != stale_token
    again = post(morning, FORM_URL, {**data, "csrf_token": fresh_token})
    assert again.status_code == 302
    registration = registration_by_email(data["email"])
    assert registration.first_name == "Ἀλέξανδρος"
    assert registration.organisation == "=HYPERLINK(\"x\")"
    assert registration.status == RegistrationStatus.CONFIRMED


def test_a_cancel_button_sent_without_a_valid_session_stays_refused(csrf_app):
    """Cancelling acts on any POST: it must never run without its token."""
    event = demo_event()
    client = csrf_app.test_client()
    token = csrf_token_from(client.get(FORM_URL).get_data(as_text=True))
    client.post(FORM_URL, data=valid_data(event, csrf_token=token))
    registration = registration_by_email("zoe.martin@example.org")

    other = csrf_app.test_client()
    response = post(other, f"/r/{registration.token}/annuler", {"csrf_token": token})
    assert response.status_code == 400
    assert "Requête invalide" in response.get_data(as_text=True)
    assert registration_by_email("zoe.martin@example.org").status == \
        RegistrationStatus.CONFIRMED


def test_a_synthesis_sent_after_the_session_expired_keeps_its_text(csrf_app):
    event = demo_event()
    workshop = event.workshop_sessions[0].workshops[0]
    link = FacilitatorLink(event_id=event.id, person_id=workshop.facilitators[0].person.id)
    db.session.add(link)
    db.session.commit()
    url = f"/f/{link.token}/ateliers/{workshop.uid}/synthese"
    text = "- Les usagers « décrochent »\n- L’accueil <papier> reste nécessaire"
    token = csrf_token_from(csrf_app.test_client().get(url).get_data(as_text=True))

    client = csrf_app.test_client()
    response = post(client, url, {"key_points": text, "action": "brouillon",
                                  "csrf_token": token})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert flat(SESSION_EXPIRED) in flat(text_of(html))
    assert text.replace("<", "&lt;").replace(">", "&gt;") in html.replace("\r\n", "\n")
    assert db.session.scalar(db.select(WorkshopSynthesis)) is None

    again = post(client, url, {"key_points": text, "action": "brouillon",
                               "csrf_token": csrf_token_from(html)})
    assert again.status_code == 302
    assert db.session.scalar(db.select(WorkshopSynthesis)).key_points == text
