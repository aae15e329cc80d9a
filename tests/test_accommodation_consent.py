"""The « besoin d’aménagement » answer is health data (RGPD art. 9): stored only with the
person's explicit consent, the time of it kept, both erased after the day."""

import re
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select
from support.pages import text_of
from support.registration import (
    FORM_URL,
    add,
    field_error,
    register,
    registration_by_email,
    registration_count,
    summary_links,
    valid_data,
)

from journee.extensions import db
from journee.gdpr.purge import purge
from journee.registration.models import Registration
from journee.util.clock import utcnow

pytestmark = pytest.mark.usefixtures("registration_open")

DAY = date(2018, 3, 15)
CONSENT_LABEL = ("J’accepte que cette information sur ma santé ou mon handicap soit transmise "
                 "à l’équipe d’organisation et au/à la référent·e handicap, uniquement pour "
                 "préparer mon accueil. Elle sera effacée le vendredi 23 mars 2018.")


@pytest.fixture
def asking(irts):
    irts.ask_accommodation = True
    irts.referent_name = "Zoé N’Diaye"
    irts.referent_email = "referente@irts.example"
    db.session.commit()
    return irts


def test_the_consent_box_comes_with_the_question_and_names_the_erasure_day(client, asking):
    html = client.get(FORM_URL).get_data(as_text=True)
    text = text_of(html)
    assert CONSENT_LABEL in text
    assert "Votre accord, si vous avez répondu « Oui »" in text
    assert ("Sans lui, vous pouvez contacter directement Zoé N’Diaye, référent·e handicap, "
            "referente@irts.example.") in text
    assert 'aria-describedby="accommodation_consent-aide"' in html


def test_no_consent_box_when_the_question_is_off(client, irts):
    html = client.get(FORM_URL).get_data(as_text=True)
    assert 'name="accommodation_consent"' not in html
    assert "Votre accord, si vous avez répondu" not in html


def test_yes_without_consent_is_refused_stores_nothing_and_keeps_the_input(client, asking):
    response = register(client, asking, accommodation_needed="oui",
                        accommodation_details="Interprète en LSF pour la plénière")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert registration_count() == 0
    message = ("Sans votre accord, nous ne pouvons pas enregistrer ce besoin\u202f: cochez "
               "cette case, ou répondez «\u202fNon\u202f» et contactez directement le ou la "
               "référent·e handicap.")
    assert field_error(html, "accommodation_consent") == message
    assert ("accommodation_consent", f"{CONSENT_LABEL} : {message}".replace("\u202f", " ")) \
        in summary_links(html)
    assert "Interprète en LSF pour la plénière" in html
    assert '<input checked id="accommodation_needed-0"' in html


def test_yes_with_consent_stores_the_need_and_the_time_of_consent(client, asking):
    before = utcnow()
    response = register(client, asking, accommodation_needed="oui",
                        accommodation_details="Interprète en LSF", accommodation_consent="y")
    assert response.status_code == 302
    zoe = registration_by_email("zoe.martin@example.org")
    assert zoe.accommodation_needed is True
    assert zoe.accommodation_details == "Interprète en LSF"
    assert before <= zoe.accommodation_consent_at <= utcnow()


def test_no_need_needs_no_consent_and_keeps_none(client, asking):
    response = register(client, asking, accommodation_needed="non", accommodation_consent="y")
    assert response.status_code == 302
    zoe = registration_by_email("zoe.martin@example.org")
    assert zoe.accommodation_needed is False and zoe.accommodation_consent_at is None


def test_answering_no_later_removes_the_need_and_the_consent(client, asking):
    register(client, asking, accommodation_needed="oui", accommodation_details="Fauteuil",
             accommodation_consent="y")
    zoe = registration_by_email("zoe.martin@example.org")
    page = client.get(f"/r/{zoe.token}/modifier").get_data(as_text=True)
    assert re.search(r'<input[^>]* checked [^>]*name="accommodation_consent"', page)
    data = valid_data(asking, accommodation_needed="non", privacy=None, website=None)
    assert client.post(f"/r/{zoe.token}/modifier", data=data).status_code == 302
    zoe = registration_by_email("zoe.martin@example.org")
    assert (zoe.accommodation_needed, zoe.accommodation_details,
            zoe.accommodation_consent_at) == (False, None, None)


def test_the_purge_after_the_day_erases_the_consent_with_the_need(app, asking):
    zoe = add(asking, "Zoé", "Martin", "zoe@example.org", accommodation_needed=True,
              accommodation_details="Fauteuil roulant", accommodation_consent_at=utcnow())
    assert purge(DAY + timedelta(days=7))["accommodation_cleared"] == 0
    db.session.commit()
    db.session.expire_all()
    assert zoe.accommodation_consent_at is not None
    assert purge(DAY + timedelta(days=8))["accommodation_cleared"] == 1
    db.session.commit()
    db.session.expire_all()
    assert (zoe.accommodation_needed, zoe.accommodation_details,
            zoe.accommodation_consent_at) == (False, None, None)
    assert zoe.email == "zoe@example.org"


def test_the_person_gets_the_consent_in_their_data_and_erases_it_with_them(client, asking):
    register(client, asking, accommodation_needed="oui", accommodation_details="Fauteuil",
             accommodation_consent="y")
    zoe = registration_by_email("zoe.martin@example.org")
    data = client.get(f"/r/{zoe.token}/donnees.json").get_json()
    assert data["inscription"]["besoin_d_amenagement"] is True
    assert data["inscription"]["accord_transmission_amenagement_le"].startswith(
        zoe.accommodation_consent_at.isoformat()[:16])
    assert client.post(f"/r/{zoe.token}/supprimer").status_code == 302
    assert registration_by_email("zoe.martin@example.org") is None
    assert db.session.scalar(select(Registration.id).where(
        Registration.accommodation_consent_at.is_not(None))) is None


def test_editing_other_details_keeps_the_time_the_consent_was_given(client, asking):
    register(client, asking, accommodation_needed="oui", accommodation_details="Fauteuil",
             accommodation_consent="y")
    zoe = registration_by_email("zoe.martin@example.org")
    given = datetime(2018, 2, 1, 10, 0)
    zoe.accommodation_consent_at = given
    db.session.commit()
    data = valid_data(asking, accommodation_needed="oui", accommodation_details="Fauteuil",
                      accommodation_consent="y", organisation="CCAS d’Évreux",
                      privacy=None, website=None)
    assert client.post(f"/r/{zoe.token}/modifier", data=data).status_code == 302
    zoe = registration_by_email("zoe.martin@example.org")
    assert zoe.organisation == "CCAS d’Évreux" and zoe.accommodation_consent_at == given
