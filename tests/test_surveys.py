"""Satisfaction questionnaires: the ready-made questionnaire and its editor, answering
once and anonymously, the results (figures, per workshop from 5 answers, XLSX), and the
invitations and reminders sent once, whoever runs the job."""

from __future__ import annotations

import re
import threading
from datetime import date, datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, inspect, select
from sqlalchemy import text as sql
from support.pages import text_of
from support.registration import slot_of
from support.runners import run_twice_at_once
from support.surveys import (
    DAY_OVER,
    answer_all,
    answer_data,
    invitation_of,
    invited,
    people,
)

from journee import create_app, secret_links
from journee.extensions import db
from journee.mail_models import OutboxMessage
from journee.programme.models import WorkshopMode
from journee.surveys import jobs, services
from journee.surveys.models import (
    QuestionKind,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
)

DURING = datetime(2018, 3, 15, 10, 0)


@pytest.fixture
def first_come(irts):
    """The IRTS-IDS day in first-come mode, so that each person has their workshop."""
    irts.workshop_mode = WorkshopMode.FIRST_COME
    db.session.commit()
    return irts


# The editor -----------------------------------------------------------------------------

def test_the_ready_made_questionnaire_is_created_on_first_visit(organiser_client, irts):
    page = organiser_client.get(f"/admin/journees/{irts.id}/questionnaire")
    assert page.status_code == 200
    survey = services.survey_of(irts)
    texts = [q.text for q in survey.questions]
    assert len(texts) == 6 and texts[0].startswith("Dans l’ensemble")
    assert [q.kind for q in survey.questions][-1] == QuestionKind.TEXT
    text = text_of(page.get_data(as_text=True))
    assert "Votre atelier vous a-t-il satisfait·e" in text and "Échelle de 1 à 5" in text
    # A second visit creates nothing more.
    organiser_client.get(f"/admin/journees/{irts.id}/questionnaire")
    assert db.session.scalar(select(func.count()).select_from(SurveyQuestion)) == 6


def test_the_organiser_adds_moves_and_removes_questions(organiser_client, irts):
    url = f"/admin/journees/{irts.id}/questionnaire"
    organiser_client.get(url)
    refused = organiser_client.post(url, data={"text": "Comment êtes-vous venu·e ?",
                                               "kind": "single", "choices": "En train"})
    text = text_of(refused.get_data(as_text=True))
    assert "Le formulaire contient 1 erreur" in text
    assert "Donnez au moins deux options, une par ligne." in text
    assert "Comment êtes-vous venu·e ?" in refused.get_data(as_text=True)  # kept

    added = organiser_client.post(url, data={
        "text": "Comment êtes-vous venu·e ?", "kind": "multiple",
        "choices": "En train\nEn bus\n\nÀ vélo", "required": "y"})
    assert added.status_code == 302
    survey = services.survey_of(irts)
    db.session.refresh(survey)
    last = survey.questions[-1]
    assert (last.kind, last.options, last.required) == (
        QuestionKind.MULTIPLE, ["En train", "En bus", "À vélo"], True)

    organiser_client.post(f"{url}/questions/{last.id}/monter")
    db.session.expire_all()
    assert survey.questions[-2].id == last.id
    organiser_client.post(f"{url}/questions/{last.id}/supprimer")
    db.session.expire_all()
    assert last.id not in [q.id for q in survey.questions]
    assert [q.position for q in survey.questions] == sorted(q.position for q in survey.questions)


def test_the_settings_are_checked_and_saved(organiser_client, irts):
    url = f"/admin/journees/{irts.id}/questionnaire"
    organiser_client.get(url)
    refused = organiser_client.post(f"{url}/reglages", data={"cold_days": "deux mois"})
    assert "Saisissez un nombre de jours entre 1 et 365." in text_of(
        refused.get_data(as_text=True))
    assert organiser_client.post(f"{url}/reglages", data={
        "cold_days": "45", "show_rate": "y"}).status_code == 302
    survey = services.survey_of(irts)
    db.session.refresh(survey)
    assert (survey.cold_days, survey.show_rate) == (45, True)


# Answering ------------------------------------------------------------------------------

def test_the_answering_page_asks_each_question_in_a_fieldset(client, first_come):
    survey, [(_, token)] = invited(first_come, 1)
    page = client.get(f"/q/{token}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count("<fieldset") == 5 and html.count("<legend>") == 5
    text = text_of(html)
    assert "Votre réponse est anonyme" in text
    assert "sans votre nom, votre adresse e-mail, votre inscription, votre adresse IP" in text


def test_an_answer_is_kept_on_error_then_recorded_once(client, first_come):
    survey, [(registration, token)] = invited(first_come, 1)
    overall = survey.questions[0]
    comment = survey.questions[-1]
    refused = client.post(f"/q/{token}", data={f"q{comment.id}": "Salle trop petite"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 200
    assert "Le formulaire contient 1 erreur" in text_of(html)
    assert f'href="#q{overall.id}"' in html and "Répondez à cette question." in html
    assert "Salle trop petite" in html
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 0

    done = client.post(f"/q/{token}", data=answer_data(survey, 4, "Salle trop petite"))
    assert done.status_code == 302 and done.headers["Location"].endswith("/questionnaire/merci")
    [response] = db.session.scalars(select(SurveyResponse)).all()
    answers = {a.question_id: a for a in db.session.scalars(select(SurveyAnswer))}
    assert answers[overall.id].score == 4
    assert answers[comment.id].text == "Salle trop petite"
    assert response.workshop_id == slot_of(first_come).workshops[0].id
    db.session.expire_all()
    used = invitation_of(registration)
    assert used.answered and used.token_digest is None and used.token_nonce is None

    again = client.post(f"/q/{token}", data=answer_data(survey, 1))
    assert again.status_code == 404
    assert "une réponse a déjà été envoyée par ce lien" in text_of(again.get_data(as_text=True))
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 1


def test_nothing_in_the_answers_links_them_to_a_person(client, first_come):
    survey, invitations = invited(first_come, 2)
    for (_, token), score in zip(invitations, (5, 2)):
        client.post(f"/q/{token}", data=answer_data(survey, score, "RAS"))

    inspector = inspect(db.engine)
    for table, allowed in (("survey_response", {"id", "survey_id", "wave", "answered_on",
                                                "workshop_id"}),
                           ("survey_answer", {"id", "response_id", "question_id", "score",
                                              "choice", "text"})):
        columns = {c["name"]: c for c in inspector.get_columns(table)}
        assert set(columns) == allowed
        # Nothing finer than the day.
        assert not any("DATETIME" in str(c["type"]).upper() or "TIME" == str(c["type"])
                       for c in columns.values())
        foreign = {fk["referred_table"] for fk in inspector.get_foreign_keys(table)}
        assert foreign <= {"survey", "workshop", "survey_response", "survey_question"}

    rows = db.session.execute(select(SurveyResponse.__table__)).all()
    assert len(rows) == 2
    # The day as stored, nothing more: « 2026-12-05 », no time.
    stored = db.session.execute(sql("SELECT answered_on FROM survey_response")).scalars()
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(day)) for day in stored)
    values = [str(v) for row in rows for v in row] + [
        str(v) for row in db.session.execute(select(SurveyAnswer.__table__)).all()
        for v in row]
    for registration, token in invitations:
        for personal in (registration.email, registration.last_name, token,
                         str(registration.id) + "@", registration.token):
            assert not any(personal in value for value in values)
    # The invitations keep who answered (for the reminder), never what nor when.
    invitation_columns = {c["name"] for c in inspector.get_columns("survey_invitation")}
    assert not invitation_columns & {"response_id", "answered_at", "answered_on"}


def test_two_submissions_at_once_give_one_answer(app, first_come):
    survey, [(registration, token)] = invited(first_come, 1)
    config = {key: app.config[key] for key in (
        "TESTING", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "PUBLIC_BASE_URL",
        "MAIL_FILE_DIR", "IMPORT_DIR", "PASSWORD_HASH_METHOD")}
    apps = [create_app({**config, "MAIL_DELIVER_AFTER_COMMIT": False}) for _ in range(2)]
    both_opened = threading.Barrier(2, timeout=10)
    answers = {survey.questions[0].id: 5}
    outcomes, errors = [], []

    def run(runner_app):
        with runner_app.app_context():
            try:
                invitation = secret_links.find(SurveyInvitation, token)
                both_opened.wait()
                try:
                    services.submit(invitation, answers, date(2018, 3, 15))
                    db.session.commit()
                    outcomes.append("recorded")
                except services.AlreadyAnswered:
                    outcomes.append("refused")
            except Exception as error:  # reported below
                errors.append(error)
            finally:
                db.session.remove()
                db.engine.dispose()

    threads = [threading.Thread(target=run, args=(a,)) for a in apps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert sorted(outcomes) == ["recorded", "refused"]
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 1
    assert db.session.scalar(select(func.count()).select_from(SurveyAnswer)) == 1


def test_the_attendee_page_links_to_the_open_questionnaire(client, first_come):
    survey, [(registration, token)] = invited(first_come, 1)
    page = client.get(f"/r/{registration.token}").get_data(as_text=True)
    assert f'href="/q/{token}"' in page and "Répondre au questionnaire de satisfaction" in page
    client.post(f"/q/{token}", data=answer_data(survey))
    page = client.get(f"/r/{registration.token}").get_data(as_text=True)
    assert "Répondre au questionnaire de satisfaction" not in page



def test_a_day_moved_later_hides_its_questionnaire_until_it_begins(client, first_come):
    _, [(registration, token)] = invited(first_come, 1)
    today = date.today()
    first_come.starts_on = first_come.ends_on = today.replace(year=today.year + 1)
    db.session.commit()
    response = client.get(f"/r/{registration.token}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and registration.first_name in page
    assert f"/q/{token}" not in page
    assert "Répondre au questionnaire de satisfaction" not in page
    first_come.starts_on = first_come.ends_on = today
    db.session.commit()
    page = client.get(f"/r/{registration.token}").get_data(as_text=True)
    assert f'href="/q/{token}"' in page


# Results --------------------------------------------------------------------------------

def test_the_results_match_the_answers(organiser_client, first_come):
    workshops = slot_of(first_come).workshops
    survey, invitations = invited(first_come, 5, workshop=workshops[0])
    others = people(first_come, 4, workshop=workshops[1], prefix="autre")
    jobs.queue_invitations(DAY_OVER)
    invitations += [(r, invitation_of(r).token) for r in others]
    answer_all(organiser_client, survey, invitations, [5, 5, 4, 3, 1, 5, 4, 2, 2],
               ["Bien", None, None, None, None, None, None, None, None])

    outcome = services.results(survey)
    overall = outcome.questions[0]
    assert outcome.responses == 9 and overall.answered == 9
    assert [count for _, count in overall.counts] == [1, 2, 1, 2, 3]
    assert outcome.rate == pytest.approx(5 / 9)
    assert outcome.questions[-1].texts == ["Bien"]

    page = organiser_client.get(f"/admin/journees/{first_come.id}/questionnaire/resultats")
    html = page.get_data(as_text=True)
    text = text_of(html)
    assert "9 réponses" in text and "Taux de satisfaction : 56 %" in text
    assert f'<title id="q{overall.question.id}-titre">' in html
    assert 'data-value="3"' in html  # the three 5s, drawn as a bar of 3
    # Workshop 1 has 5 answers: shown; workshop 2 has 4: hidden.
    first = text.split(f"Atelier n° {workshops[0].number}")[1].split("Atelier n°")[0]
    second = text.split(f"Atelier n° {workshops[1].number}")[1].split("Atelier n°")[0]
    assert "5 réponses" in first
    assert "Moins de 5 réponses : résultats non affichés." in second
    assert services.workshop_results(survey, workshops[1]) is None
    assert services.workshop_results(survey, workshops[0]).responses == 5


def test_hostile_comments_stay_text_on_the_page_and_in_the_workbook(organiser_client,
                                                                   first_come):
    survey, invitations = invited(first_come, 2)
    hostile = ["<script>alert('x')</script>", "=HYPERLINK(\"http://x\";\"y\")"]
    answer_all(organiser_client, survey, invitations, [5, 4], hostile)

    html = organiser_client.get(
        f"/admin/journees/{first_come.id}/questionnaire/resultats").get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;alert(" in html

    download = organiser_client.get(
        f"/admin/journees/{first_come.id}/questionnaire/resultats.xlsx")
    assert download.status_code == 200 and "private" in download.headers["Cache-Control"]
    workbook = load_workbook(BytesIO(download.data))
    counts = workbook["Réponses"]
    rows = [[cell.value for cell in row] for row in counts.iter_rows()]
    assert rows[0][0].startswith("Questionnaire de satisfaction")
    assert [survey.questions[0].text, "5 – Tout à fait satisfait·e", 1] in rows
    assert [survey.questions[0].text, "4", 1] in rows
    comments = workbook["Commentaires"]
    cells = [row[1] for row in comments.iter_rows()]
    texts = [cell.value for cell in cells]
    assert hostile[0] in texts and hostile[1] in texts
    assert all(cell.data_type == "s" for cell in cells if cell.value)


def test_the_public_page_shows_the_rate_only_if_chosen(client, first_come):
    survey, invitations = invited(first_come, 4)
    answer_all(client, survey, invitations, [5, 4, 4, 2])
    page = text_of(client.get(f"/e/{first_come.slug}/").get_data(as_text=True))
    assert "Programme imprimable" in page
    assert "questionnaire de satisfaction" not in page
    survey.show_rate = True
    db.session.commit()
    page = text_of(client.get(f"/e/{first_come.slug}/").get_data(as_text=True))
    assert ("75 % des 4 personnes ayant répondu au questionnaire de satisfaction ont donné "
            "une note de 4 ou 5 sur 5 à la journée.") in page


def test_the_qr_page_leads_to_how_to_answer(organiser_client, client, first_come):
    page = organiser_client.get(f"/admin/journees/{first_come.id}/questionnaire/qr")
    html = page.get_data(as_text=True)
    assert '<svg' in html and 'aria-label="QR code du questionnaire"' in html
    link = f"http://journee.test/e/{first_come.slug}/questionnaire"
    assert link in html
    explained = text_of(client.get(f"/e/{first_come.slug}/questionnaire").get_data(
        as_text=True))
    assert "Chaque personne présente a son propre lien" in explained


# Invitations and reminders --------------------------------------------------------------

def outbox_kinds() -> list[tuple[str, str]]:
    return sorted(db.session.execute(select(OutboxMessage.to_address, OutboxMessage.kind)
                                     .where(OutboxMessage.kind.like("survey%"))).all())


def test_the_hot_invitation_goes_once_to_those_present_after_the_day(first_come):
    services.ensure_survey(first_come)
    db.session.commit()
    present = people(first_come, 2)
    absent = people(first_come, 1, present=False, prefix="absent")
    assert jobs.queue_invitations(DURING) == (0, 0)
    assert jobs.queue_invitations(DAY_OVER) == (2, 0)
    assert jobs.queue_invitations(DAY_OVER) == (0, 0)
    assert outbox_kinds() == [(r.email, "survey_hot") for r in present]
    assert invitation_of(absent[0]) is None


def test_no_invitation_without_the_questionnaire_opened(first_come):
    people(first_come, 2)
    assert jobs.queue_invitations(DAY_OVER) == (0, 0)


def test_one_reminder_to_those_who_have_not_answered_then_the_cold_wave(client, first_come):
    survey, invitations = invited(first_come, 2)
    (answered, token), (silent, _) = invitations
    client.post(f"/q/{token}", data=answer_data(survey))
    assert jobs.queue_invitations(datetime(2018, 3, 17, 9, 0)) == (0, 0)  # too soon
    assert jobs.queue_invitations(datetime(2018, 3, 18, 9, 0)) == (0, 1)
    assert jobs.queue_invitations(datetime(2018, 3, 19, 9, 0)) == (0, 0)
    assert outbox_kinds() == sorted([(answered.email, "survey_hot"),
                                     (silent.email, "survey_hot"),
                                     (silent.email, "survey_hot_reminder")])
    # Sixty days after the day, « à froid », to both.
    assert jobs.queue_invitations(datetime(2018, 5, 13, 9, 0)) == (0, 0)
    assert jobs.queue_invitations(datetime(2018, 5, 14, 9, 0)) == (2, 0)
    assert jobs.queue_invitations(datetime(2018, 5, 14, 9, 0)) == (0, 0)


def test_two_runners_at_once_invite_each_person_once(app, first_come, monkeypatch):
    services.ensure_survey(first_come)
    db.session.commit()
    people(first_come, 3)
    counts = run_twice_at_once(app, monkeypatch, jobs, "_awaiting",
                               lambda: jobs.queue_invitations(DAY_OVER))
    assert sum(invited for invited, _ in counts) == 3
    db.session.expire_all()
    assert len(outbox_kinds()) == 3
    assert db.session.scalar(select(func.count()).select_from(SurveyInvitation)) == 3


def test_invitations_go_with_an_erasure_and_answers_stay(client, first_come):
    from journee.data_owners import erase

    survey, [(registration, token), (other, _)] = invited(first_come, 2)
    client.post(f"/q/{token}", data=answer_data(survey))
    erase([registration])
    db.session.commit()
    assert invitation_of(registration) is None and invitation_of(other) is not None
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 1


def test_the_job_is_registered_only_when_asked(app_factory):
    from journee import tasks

    assert jobs.SURVEY_JOB not in {job.name for job in tasks.registered(app_factory())}
    app = app_factory(SURVEY_INTERVAL_SECONDS=900)
    assert jobs.SURVEY_JOB in {job.name for job in tasks.registered(app)}



def test_facilitators_see_their_workshop_from_five_answers(client, first_come):
    from journee.facilitation.models import FacilitatorLink

    workshop = slot_of(first_come).workshops[0]
    link = FacilitatorLink(event_id=first_come.id,
                           person_id=workshop.facilitators[0].person_id)
    db.session.add(link)
    db.session.commit()
    survey, invitations = invited(first_come, 5, workshop=workshop)
    url = f"/f/{link.token}/ateliers/{workshop.uid}/questionnaire"

    answer_all(client, survey, invitations[:4], [5, 4, 4, 3], ["Top", None, None, None])
    assert "Résultats du questionnaire" not in client.get(f"/f/{link.token}").get_data(
        as_text=True)
    page = text_of(client.get(url).get_data(as_text=True))
    assert "qu’à partir de 5 réponses" in page and "Top" not in page

    answer_all(client, survey, invitations[4:], [1])
    assert "Résultats du questionnaire de satisfaction" in client.get(
        f"/f/{link.token}").get_data(as_text=True)
    page = text_of(client.get(url).get_data(as_text=True))
    assert "5 réponses" in page and "Top" in page and "moyenne 3,4 sur 5" in page
    other = slot_of(first_come).workshops[1]
    assert client.get(f"/f/{link.token}/ateliers/{other.uid}/questionnaire").status_code == 404


# The e-mails, through a real SMTP server -------------------------------------------------

@pytest.fixture
def smtp_irts(app_factory):
    from support.smtp import SMTPServer

    server = SMTPServer().start()
    app = app_factory(MAIL_BACKEND="smtp", MAIL_SMTP_HOST="127.0.0.1",
                      MAIL_SMTP_PORT=server.port, MAIL_SMTP_TIMEOUT=5,
                      MAIL_DELIVER_AFTER_COMMIT=False)
    with app.app_context():
        from journee.demo import load_demo

        event = next(e for e in load_demo(original_dates=True)
                     if e.slug == "travail-social-epreuve-numerique-2018")
        event.workshop_mode = WorkshopMode.FIRST_COME
        db.session.commit()
        yield app, event, server
    server.stop()


def test_the_invitation_and_the_reminder_as_received(smtp_irts):
    from support.smtp import received_by

    from journee.mail import deliver_pending

    app, event, server = smtp_irts
    services.ensure_survey(event)
    db.session.commit()
    aicha, bruno = people(event, 2)
    assert jobs.queue_invitations(DAY_OVER) == (2, 0)
    deliver_pending()
    assert jobs.queue_invitations(DAY_OVER) == (0, 0)
    deliver_pending()
    [invitation] = received_by(server, aicha.email)
    assert len(received_by(server, bruno.email)) == 1
    subject = invitation["Subject"]
    assert subject == f"Questionnaire de satisfaction – {event.title}"
    assert invitation["List-Unsubscribe"].strip().startswith("<http://journee.test/desabonnement/")
    text = invitation.get_body(("plain",)).get_content()
    html = invitation.get_body(("html",)).get_content()
    assert "Merci d’avoir participé à la journée d’étude" in text
    assert "Vos réponses sont anonymes" in text
    [link] = re.findall(r"http://journee\.test(/q/[A-Za-z0-9_-]+)", text)
    assert link in html
    # The copy kept in the outbox does not hold the link.
    kept = db.session.scalar(select(OutboxMessage.message).where(
        OutboxMessage.to_address == aicha.email))
    assert link.encode() not in kept

    client = app.test_client()
    page = client.get(link)
    assert page.status_code == 200 and "Questionnaire de satisfaction" in page.get_data(
        as_text=True)
    survey = services.survey_of(event)
    assert client.post(link, data=answer_data(survey)).status_code == 302

    for day in (18, 19, 20):
        jobs.queue_invitations(datetime(2018, 3, day, 9, 0))
        deliver_pending()
    assert len(received_by(server, aicha.email)) == 1
    [_, reminder] = received_by(server, bruno.email)
    # The subject's spaces are folded by the sender, no-break ones kept.
    assert text_of(reminder["Subject"]) == (
        f"Rappel : Questionnaire de satisfaction – {text_of(event.title)}")
    assert "Vous n’avez pas encore répondu" in reminder.get_body(("plain",)).get_content()


def test_invitations_go_with_the_purge_and_answers_stay(client, first_come):
    from datetime import timedelta

    from journee.gdpr.purge import purge
    from journee.registration.privacy import purge_date

    survey, invitations = invited(first_come, 2)
    client.post(f"/q/{invitations[0][1]}", data=answer_data(survey))
    last_day = purge_date(first_come)
    assert purge(last_day)["survey_invitations"] == 0
    db.session.commit()
    report = purge(last_day + timedelta(days=1))
    db.session.commit()
    assert report["survey_invitations"] == 2
    assert db.session.scalar(select(func.count()).select_from(SurveyInvitation)) == 0
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 1
    assert services.results(survey).responses == 1
