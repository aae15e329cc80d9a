"""The questionnaire's pages in a real browser: answering (with and without JavaScript),
and the organiser's editor, results and QR code."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from support.browsing import axe_violations, horizontal_overflow, login, submit
from support.registration import add

from journee.extensions import db
from journee.programme.models import Event, WorkshopMode
from journee.surveys import services
from journee.surveys.models import SurveyInvitation, Wave

SLUG = "travail-social-epreuve-numerique-2018"


@pytest.fixture(scope="module")
def survey_world(live_server):
    """Six people present in workshop 1, five of whom answered; the sixth's link."""
    with live_server.app.app_context():
        event = db.session.scalar(db.select(Event).filter_by(slug=SLUG))
        event.workshop_mode = WorkshopMode.FIRST_COME
        survey = services.ensure_survey(event)
        services.add_question(survey, services.QuestionKind.MULTIPLE,
                              "Comment avez-vous connu la journée ?",
                              "Par mon école\nPar mon employeur\nPar le site", False)
        db.session.commit()
        workshop = event.workshop_sessions[0].workshops[0]
        tokens = []
        for number in range(6):
            registration = add(event, "Zoé", f"Dupont-{number}", f"zoe{number}@example.org",
                               choices=[workshop])
            invitation = SurveyInvitation(survey_id=survey.id,
                                          registration_id=registration.id, wave=Wave.HOT,
                                          invited_on=date(2018, 3, 15))
            registration.checked_in_at = datetime(2018, 3, 15, 8, 30)
            db.session.add(invitation)
            db.session.commit()
            tokens.append((invitation, invitation.token))
        comments = ["Très riche, merci\u202f!", "<script>alert(1)</script>", "=1+1",
                    "Salle un peu petite", None]
        for (invitation, _), score, comment in zip(tokens[:5], (5, 4, 4, 3, 2), comments):
            answers = {survey.questions[0].id: score, survey.questions[5].id: comment,
                       survey.questions[6].id: ["Par mon école", "Par le site"]}
            services.submit(invitation, answers, date(2018, 3, 15))
            db.session.commit()
        base = live_server.base_url
        return {"answer": f"{base}/q/{tokens[5][1]}",
                "editor": f"{base}/admin/journees/{event.id}/questionnaire",
                "results": f"{base}/admin/journees/{event.id}/questionnaire/resultats",
                "qr": f"{base}/admin/journees/{event.id}/questionnaire/qr"}


@pytest.mark.parametrize("width", [360, 1280])
def test_the_answering_page_is_accessible_and_fits(page_factory, survey_world, width):
    page = page_factory(width=width)
    page.goto(survey_world["answer"])
    assert page.locator("h1").inner_text() == "Questionnaire de satisfaction"
    assert page.locator("fieldset legend").count() == 6
    assert axe_violations(page) == []
    assert horizontal_overflow(page) <= 0
    if width == 360:  # the same page showing an error, nothing recorded
        submit(page, page.get_by_role("button", name="Envoyer mes réponses"))
        assert page.locator(".error-summary").is_visible()
        assert axe_violations(page) == []
        assert horizontal_overflow(page) <= 0


def test_the_answering_page_works_without_javascript(page_factory, survey_world):
    page = page_factory(width=360, javascript=False)
    page.goto(survey_world["answer"])
    page.get_by_label("Vos commentaires libres").fill("Une belle journée")
    page.get_by_label("Par mon employeur").check()
    page.get_by_role("button", name="Envoyer mes réponses").click()
    summary = page.locator(".error-summary")
    assert "Répondez à cette question." in summary.inner_text()
    assert page.get_by_label("Vos commentaires libres").input_value() == "Une belle journée"
    assert page.get_by_label("Par mon employeur").is_checked()
    assert horizontal_overflow(page) <= 0

    overall = page.locator("fieldset").first
    overall.get_by_label("5 – Tout à fait satisfait·e").check()
    submit(page, page.get_by_role("button", name="Envoyer mes réponses"))
    assert page.locator("h1").inner_text() == "Merci pour vos réponses"
    page.goto(survey_world["answer"])
    assert "déjà été envoyée par ce lien" in page.locator("main").inner_text()


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("name", ["results", "editor", "qr"])
def test_the_organiser_pages_are_accessible_and_fit(page_factory, live_server,
                                                    survey_world, name, width):
    page = page_factory(width=width)
    login(page, live_server.base_url)
    page.goto(survey_world[name])
    assert page.locator("h1").is_visible()
    if name == "results":
        assert page.locator("svg.chart").count() >= 6
        assert "<script>alert(1)</script>" in page.locator("ul.comments").first.inner_text()
    assert axe_violations(page) == []
    assert horizontal_overflow(page) <= 0
