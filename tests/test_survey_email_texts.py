"""The questionnaire's invitations and reminders have texts the organisers may change,
on the page of the automatic e-mails' texts, like the others: the text saved there is
the one received by a real SMTP server."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from sqlalchemy import select
from support.pages import text_of
from support.smtp import SMTPServer, received_by
from support.surveys import DAY_OVER, people

from journee.auth.models import User
from journee.extensions import db
from journee.mail import deliver_pending
from journee.programme.models import EventMembership, WorkshopMode
from journee.registration.models import EmailText
from journee.surveys import jobs, services

SLUG = "travail-social-epreuve-numerique-2018"


@pytest.fixture
def smtp_irts(app_factory):
    server = SMTPServer().start()
    app = app_factory(MAIL_BACKEND="smtp", MAIL_SMTP_HOST="127.0.0.1",
                      MAIL_SMTP_PORT=server.port, MAIL_SMTP_TIMEOUT=5,
                      MAIL_DELIVER_AFTER_COMMIT=False)
    with app.app_context():
        from journee.demo import load_demo

        event = next(e for e in load_demo(original_dates=True) if e.slug == SLUG)
        event.workshop_mode = WorkshopMode.FIRST_COME
        user = User(email="orga@example.org", name="Orga")
        user.set_password("mot-de-passe-solide")
        db.session.add_all([user, EventMembership(event=event, user=user)])
        db.session.commit()
        client = app.test_client()
        assert client.post("/connexion", data={"email": "orga@example.org",
                                               "password": "mot-de-passe-solide"}
                           ).status_code == 302
        yield client, event, server
    server.stop()


def test_the_texts_page_offers_the_questionnaire_s_e_mails(smtp_irts):
    client, event, _ = smtp_irts
    page = text_of(client.get(
        f"/admin/journees/{event.id}/messages/automatiques/").get_data(as_text=True))
    for label in ("Questionnaire de satisfaction « à chaud » (invitation)",
                  "Questionnaire de satisfaction « à chaud » (rappel)",
                  "Questionnaire de satisfaction « à froid » (invitation)",
                  "Questionnaire de satisfaction « à froid » (rappel)"):
        assert label in page
    form = client.get(f"/admin/journees/{event.id}/messages/automatiques/survey_cold")
    text = text_of(form.get_data(as_text=True))
    assert "Avec le recul, qu’en retenez-vous pour votre pratique ?" in text
    assert "le lien personnel vers le questionnaire, la garantie d’anonymat" in text
    assert client.get(f"/admin/journees/{event.id}/messages/automatiques/inconnu"
                      ).status_code == 404


def test_the_invitation_received_has_the_event_s_own_text(smtp_irts):
    client, event, server = smtp_irts
    url = f"/admin/journees/{event.id}/messages/automatiques/survey_hot"
    refused = client.post(url, data={"subject": "Votre avis {prenon}", "body": "Bonjour"})
    assert refused.status_code == 200
    assert "Votre avis {prenon}" in refused.get_data(as_text=True)  # kept
    assert "Le formulaire contient" in text_of(refused.get_data(as_text=True))
    saved = client.post(url, data={
        "subject": "{prénom}, votre avis sur « {journée} » ?",
        "body": "Bonjour {prénom},\n\nTrois minutes pour nous dire ce que vous retenez "
                "de la journée ? <script>alert(1)</script>"})
    assert saved.status_code == 302
    assert db.session.scalar(select(EmailText.kind).where(
        EmailText.event_id == event.id)) == "survey_hot"

    services.ensure_survey(event)
    db.session.commit()
    [zoe] = people(event, 1)
    assert jobs.queue_invitations(DAY_OVER) == (1, 0)
    deliver_pending()
    [invitation] = received_by(server, zoe.email)
    # The organiser's text is set in French typography, the event's title left as typed.
    assert invitation["Subject"] == f"Zoé, votre avis sur «\u202f{event.title}\u202f»\u202f?"
    text = invitation.get_body(("plain",)).get_content()
    html = invitation.get_body(("html",)).get_content()
    assert ("Trois minutes pour nous dire ce que vous retenez de la journée\u202f? "
            "<script>alert(1)</script>") in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert "Merci d’avoir participé" not in text
    # What the app adds whatever the text: the link, anonymity, the way out.
    [link] = re.findall(r"http://journee\.test(/q/[A-Za-z0-9_-]+)", text)
    assert link in html and "Vos réponses sont anonymes" in text
    assert "Ne plus recevoir ces messages" in text

    # The reminder keeps its default text.
    for day in (18, 19):
        jobs.queue_invitations(datetime(2018, 3, day, 9, 0))
        deliver_pending()
    [_, reminder] = received_by(server, zoe.email)
    assert reminder["Subject"] == f"Rappel\u202f: Questionnaire de satisfaction – {event.title}"
    assert ("Vous n’avez pas encore répondu au questionnaire de satisfaction «\u202fà "
            "chaud\u202f» de la journée d’étude") in reminder.get_body(("plain",)).get_content()
