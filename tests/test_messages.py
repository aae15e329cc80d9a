"""The organisers' messages: whom they reach, their placeholders, the preview, the test
to oneself, the message as an SMTP server receives it, its pace, the list of messages
sent, and the opt-out (List-Unsubscribe, RFC 8058) that spares transactional e-mails."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select, update
from support.pages import csrf_token_from, text_of
from support.registration import add, slot_of
from support.smtp import sending_to

from journee.audit.models import AuditEntry
from journee.extensions import db
from journee.mail import deliver_pending
from journee.mail_models import OutboxMessage, OutboxStatus
from journee.messages import emails, recipients
from journee.messages.models import Mailing, OptOut
from journee.messages.recipients import Audience, Presence
from journee.placeholders import PlaceholderError, parse
from journee.programme.models import EventMembership, WorkshopMode
from journee.registration.emails import queue_cancellation_notice
from journee.registration.models import (
    Assignment,
    AssignmentSource,
    NoWorkshopNotice,
    Profile,
    RegistrationStatus,
)
from journee.typography import one_line
from journee.util.clock import utcnow

CONFIRMED = RegistrationStatus.CONFIRMED
WAITLISTED = RegistrationStatus.WAITLISTED


def flat(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


def people_of(event) -> dict:
    """Seven people of the IRTS-IDS day in first-come mode (each has the workshop they
    took): Aïcha came on the day, Bruno did not, Chloé is a student without address,
    Olga asked for no more messages, Eve waits, Denis cancelled."""
    event.workshop_mode = WorkshopMode.FIRST_COME
    db.session.commit()
    workshops = [w for w in slot_of(event).workshops if w.room is not None]
    first, second = workshops[0], workshops[1]
    people = {
        "aicha": add(event, "Aïcha", "N’Diaye", "aicha@example.org", choices=[first]),
        "bruno": add(event, "Bruno", "=Petit", "bruno@example.org", choices=[second],
                     profile="student"),
        "chloe": add(event, "Chloé", "Sans-Adresse", None, choices=[first]),
        "olga": add(event, "Olga", "Désabonnée", "olga@example.org", choices=[first]),
        "eve": add(event, "Eve", "Attente", "eve@example.org", choices=[second]),
        "denis": add(event, "Denis", "Annulé", "denis@example.org", choices=[second]),
    }
    people["aicha"].checked_in_at = datetime(2018, 3, 15, 8, 30)
    people["eve"].status = WAITLISTED
    people["denis"].status = RegistrationStatus.CANCELLED
    db.session.add(OptOut(registration_id=people["olga"].id))
    db.session.commit()
    people["workshops"] = (first, second)
    return people


def addresses(event, **filters) -> set[str]:
    return {address for _, address in recipients.recipients(event, Audience(**filters)).rows}


# Whom a message reaches ------------------------------------------------------------------

def test_each_recipient_set_gives_the_right_people(irts):
    people = people_of(irts)
    first, second = people["workshops"]
    assert addresses(irts) == {"aicha@example.org", "bruno@example.org"}
    assert addresses(irts, statuses=frozenset({WAITLISTED})) == {"eve@example.org"}
    assert addresses(irts, statuses=frozenset({CONFIRMED, WAITLISTED})) == {
        "aicha@example.org", "bruno@example.org", "eve@example.org"}
    assert addresses(irts, workshop_id=first.id) == {"aicha@example.org"}
    # The waiting list has no workshop, whatever its choices.
    assert addresses(irts, statuses=frozenset({CONFIRMED, WAITLISTED}),
                     workshop_id=second.id) == {"bruno@example.org"}
    assert addresses(irts, presence=Presence.PRESENT) == {"aicha@example.org"}
    assert addresses(irts, presence=Presence.ABSENT) == {"bruno@example.org"}
    assert addresses(irts, profile=Profile.STUDENT) == {"bruno@example.org"}
    assert addresses(irts, profile=Profile.STUDENT, presence=Presence.PRESENT) == set()
    assert addresses(irts, statuses=frozenset({CONFIRMED, WAITLISTED}),
                     registration_ids=(people["aicha"].id, people["eve"].id,
                                       people["denis"].id)) == {"aicha@example.org",
                                                                "eve@example.org"}
    chosen = recipients.recipients(irts, Audience(workshop_id=first.id))
    assert chosen.opted_out == 1  # Olga, in the first workshop
    # In the order they registered: the preview shows the first.
    assert [address for _, address in recipients.recipients(irts, Audience()).rows] == [
        "aicha@example.org", "bruno@example.org"]


def test_after_publication_the_workshop_is_the_published_one(irts):
    slot = slot_of(irts)
    first, second = slot.workshops[0], slot.workshops[1]
    told = add(irts, "Inès", "Publiée", "ines@example.org", choices=[first])
    draft = add(irts, "Jules", "Brouillon", "jules@example.org", choices=[first])
    left = add(irts, "Karima", "Sans-Atelier", "karima@example.org", choices=[second])
    db.session.add_all([
        Assignment(registration_id=told.id, session_id=slot.id, workshop_id=first.id,
                   published_workshop_id=first.id, source=AssignmentSource.SOLVER),
        # Assigned by a run not yet published: not told, not in the workshop's messages.
        Assignment(registration_id=draft.id, session_id=slot.id, workshop_id=first.id,
                   source=AssignmentSource.SOLVER),
        NoWorkshopNotice(registration_id=left.id, session_id=slot.id)])
    db.session.commit()
    assert addresses(irts, workshop_id=first.id) == {"ines@example.org"}
    assert addresses(irts, without_workshop=True) == {"karima@example.org"}


# Placeholders ----------------------------------------------------------------------------

def test_placeholders_are_typed_as_shown_and_checked():
    template = parse("Bonjour {Prenom} {NOM}, voici { lien  personnel } ({atelier}).")
    assert template.names == {"prénom", "nom", "lien personnel", "atelier"}
    assert template.fill({"prénom": "Zoé", "nom": "Ngô", "lien personnel": "L",
                          "atelier": "A"}) == "Bonjour Zoé Ngô, voici L (A)."
    with pytest.raises(PlaceholderError) as unknown:
        parse("Bonjour {prénon},")
    assert flat(str(unknown.value)).startswith("« {prénon} » n’est pas un champ connu. "
                                               "Champs possibles : {prénom}, {nom},")
    with pytest.raises(PlaceholderError) as lone:
        parse("Bonjour {prénom, à bientôt")
    assert "Accolade « { » sans accolade fermante" in flat(str(lone.value))
    with pytest.raises(PlaceholderError):
        parse("Bonjour prénom}")


def compose_url(event) -> str:
    return f"/admin/journees/{event.id}/messages/nouveau"


def form_data(**overrides) -> dict:
    data = {"statuses": ["confirmed"], "workshop": "", "presence": "", "profile": "",
            "subject": "Votre atelier, {prénom}",
            "body": "Bonjour {prénom} {nom},\n\nVous êtes dans {atelier}, salle {salle}.\n\n"
                    "Votre espace : {lien personnel}",
            "action": "apercu"}
    data.update(overrides)
    return data


def outbox_count(kind: str | None = None) -> int:
    query = select(func.count(OutboxMessage.id))
    if kind is not None:
        query = query.where(OutboxMessage.kind == kind)
    return db.session.scalar(query)


def test_a_wrong_placeholder_is_a_french_error_and_the_text_is_kept(organiser_client, irts):
    people_of(irts)
    typed = "Bonjour {prénom},\n\nRendez-vous en {lieu} ! <script>alert(1)</script>"
    response = organiser_client.post(compose_url(irts), data=form_data(
        body=typed, subject="Rappel {", action="envoyer"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = flat(text_of(html))
    assert "Le formulaire contient 2 erreurs" in text
    assert "Message : « {lieu} » n’est pas un champ connu." in text
    assert "Objet : Accolade « { » sans accolade fermante" in text
    assert "Rendez-vous en {lieu} ! &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'value="Rappel {"' in html
    assert outbox_count() == 0 and db.session.scalar(select(func.count(Mailing.id))) == 0


def test_no_recipient_is_said_in_french(organiser_client, irts):
    people_of(irts)
    response = organiser_client.post(compose_url(irts), data=form_data(
        profile="researcher"))
    assert "Aucune personne ne correspond à ces critères." in text_of(
        response.get_data(as_text=True))
    response = organiser_client.post(compose_url(irts), data=form_data(statuses=[]))
    assert "Cochez au moins un type d’inscription." in text_of(response.get_data(as_text=True))


# Preview, test, sending ------------------------------------------------------------------

def test_the_preview_shows_one_real_recipient_and_the_count(organiser_client, irts):
    people = people_of(irts)
    first, _ = people["workshops"]
    response = organiser_client.post(compose_url(irts), data=form_data(
        workshop=str(first.id)))
    text = flat(text_of(response.get_data(as_text=True)))
    assert "Aperçu pour Aïcha N’Diaye" in text
    assert "1 destinataire (1 personne désabonnée laissée(s) de côté)" in text
    assert "Objet : Votre atelier, Aïcha" in text
    assert f"Vous êtes dans {flat(first.label)}, salle {first.room.name}." in text
    # The personal link is not the organiser's to open: masked.
    assert "Votre espace : http://journee.test/r/… " in text
    assert "Envoyer à 1 personne" in text
    assert outbox_count() == 0


def test_people_picked_in_the_registrations_list(organiser_client, irts):
    people = people_of(irts)
    picked = [str(people["bruno"].id), str(people["eve"].id)]
    page = organiser_client.post(compose_url(irts), data={"registration_ids": picked})
    html = page.get_data(as_text=True)
    assert "Le message ira aux 2 personnes choisies" in flat(text_of(html))
    assert html.count('name="registration_ids"') == 2 and "erreur" not in text_of(html)
    response = organiser_client.post(compose_url(irts), data=form_data(
        statuses=["confirmed", "waitlisted"], registration_ids=picked, action="envoyer"))
    assert response.status_code == 302
    assert sorted(db.session.scalars(select(OutboxMessage.to_address).where(
        OutboxMessage.kind == "message"))) == ["bruno@example.org", "eve@example.org"]


@pytest.fixture
def smtp_app(app_factory, make_user, smtp):
    server = smtp
    app = app_factory(**sending_to(server, after_commit=False), MESSAGES_PER_MINUTE=600_000)
    with app.app_context():
        event = irts_of(app)
        client = app.test_client()
        user = make_user(email="orga@example.org", events=[event])
        assert client.post("/connexion", data={"email": user.email,
                                               "password": "mot-de-passe-solide"}
                           ).status_code == 302
        yield event, client, server


def test_test_to_oneself_then_the_message_as_received(smtp_app):
    event, client, server = smtp_app
    people = people_of(event)
    first, second = people["workshops"]
    response = client.post(compose_url(event), data=form_data(action="test"))
    assert "Message de test envoyé à orga@example.org, tel que Aïcha N’Diaye le recevrait." \
        in flat(text_of(response.get_data(as_text=True)))
    deliver_pending()
    [test] = server.messages
    assert server.handler.envelopes[0].rcpt_tos == ["orga@example.org"]
    assert flat(test["Subject"]) == "[Test] Votre atelier, Aïcha"
    assert "/r/…" in test.get_body(("plain",)).get_content()
    assert test["List-Unsubscribe"] is None

    response = client.post(compose_url(event), data=form_data(action="envoyer"))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Message mis en file d’attente pour 2 personnes" in flat(text_of(page))
    assert deliver_pending() == (2, 0)
    received = {m["To"]: m for m in server.messages[1:]}
    assert set(received) == {"aicha@example.org", "bruno@example.org"}
    message = received["aicha@example.org"]
    assert flat(message["Subject"]) == "Votre atelier, Aïcha"
    text = flat(message.get_body(("plain",)).get_content())
    assert text.startswith(f"Bonjour Aïcha N’Diaye, Vous êtes dans {flat(first.label)}, "
                           f"salle {first.room.name}.")
    [link] = re.findall(r"http://journee\.test/r/[A-Za-z0-9_-]+", text)
    assert link.endswith(people["aicha"].token)
    [unsubscribe] = re.findall(r"<(http://journee\.test/desabonnement/[^>]+)>",
                               message["List-Unsubscribe"])
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"Pour ne plus recevoir ses messages (les e-mails sur votre inscription " \
           f"continueront de vous parvenir) : {unsubscribe}" in text
    html = message.get_body(("html",)).get_content()
    assert f'<a href="{unsubscribe}">Ne plus recevoir ses messages</a>' in html
    assert f'<a href="{link}">{link}</a>' in html
    assert message["Reply-To"] == event.contact_email
    # The name that looks like a formula stays text.
    bruno = flat(received["bruno@example.org"].get_body(("plain",)).get_content())
    assert bruno.startswith(f"Bonjour Bruno =Petit, Vous êtes dans {flat(second.label)}")

    # Listed with its counts, and in the audit log.
    index = flat(text_of(client.get(f"/admin/journees/{event.id}/messages/")
                         .get_data(as_text=True)))
    assert "Votre atelier, {prénom} 2 personnes inscrit·es confirmé·es" in index
    assert "1 personne désabonnée laissée(s) de côté" in index
    assert "par orga@example.org" in index
    assert "2 envoyé(s), 0 en attente, 0 en échec" in index
    [entry] = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "organiser.send_message")).all()
    assert entry.rows == 2 and entry.actor == "Organisateur·rice orga@example.org"
    assert flat(entry.target).startswith("Message « Votre atelier, {prénom} » n° ")


def test_messages_leave_at_the_configured_pace(app_factory, make_user):
    app = app_factory(MESSAGES_PER_MINUTE=2, MAIL_DELIVER_AFTER_COMMIT=False)
    with app.app_context():
        from journee.messages import operations

        event = irts_of(app)
        for number in range(5):
            add(event, f"Personne{number}", "Test", f"p{number}@example.org")
        before = utcnow()
        mailing = operations.send_message(event, Audience(), "Bonjour", "Bonjour {prénom}",
                                          by=make_user(events=[event]))
        db.session.commit()
        times = sorted(db.session.scalars(select(OutboxMessage.not_before).where(
            OutboxMessage.mailing_id == mailing.id)))
        assert len(times) == 5
        assert [round((t - times[0]).total_seconds()) for t in times] == [0, 30, 60, 90, 120]
        assert before <= times[0] <= utcnow()
        # Two a minute: the first leaves now, the others wait their turn.
        assert deliver_pending() == (1, 0)
        assert deliver_pending() == (0, 0)
        # A minute later (and a second): the ones due by then leave.
        db.session.execute(update(OutboxMessage).where(
            OutboxMessage.not_before <= times[0] + timedelta(seconds=61))
            .values(not_before=utcnow() - timedelta(seconds=1)))
        db.session.commit()
        assert deliver_pending() == (2, 0)
        db.session.remove()


# Stopping the messages ------------------------------------------------------------------

def irts_of(app):
    from journee.demo import load_demo

    event = next(e for e in load_demo(original_dates=True)
                 if e.slug == "travail-social-epreuve-numerique-2018")
    db.session.commit()
    return event


def test_one_click_and_the_page_record_the_opt_out_once(csrf_app):
    people = people_of(irts_of(csrf_app))
    client = csrf_app.test_client()
    url = emails.unsubscribe_url(people["aicha"].id, "http://journee.test")
    path = url.removeprefix("http://journee.test")
    # RFC 8058: a POST without cookie nor CSRF token, twice.
    for _ in range(2):
        response = client.post(path, data={"List-Unsubscribe": "One-Click"})
        assert response.status_code == 204
    assert db.session.scalars(select(OptOut.registration_id)).all().count(
        people["aicha"].id) == 1
    assert "C’est fait" in text_of(client.get(path).get_data(as_text=True))

    bruno = emails.unsubscribe_url(people["bruno"].id, "http://journee.test").removeprefix(
        "http://journee.test")
    page = client.get(bruno).get_data(as_text=True)
    assert "Les e-mails sur votre inscription elle-même" in text_of(page)
    assert client.post(bruno, data={}).status_code == 400  # no CSRF token
    assert db.session.get(OptOut, people["bruno"].id) is None
    done = client.post(bruno, data={"csrf_token": csrf_token_from(page)})
    assert done.status_code == 200 and "Messages arrêtés" in text_of(done.get_data(as_text=True))
    assert db.session.get(OptOut, people["bruno"].id) is not None
    # A forged or altered link opens nothing.
    assert client.get(bruno[:-2] + "xx").status_code == 404
    assert client.post("/desabonnement/jeton-invalide",
                       data={"List-Unsubscribe": "One-Click"}).status_code == 404


def test_opted_out_people_are_left_out_and_transactional_mail_still_reaches_them(
        organiser_client, irts, delivered):
    people = people_of(irts)
    # Queued before Bruno opts out (his turn comes after Aïcha’s): not sent once he has.
    response = organiser_client.post(compose_url(irts), data=form_data(action="envoyer"))
    assert response.status_code == 302
    db.session.add(OptOut(registration_id=people["bruno"].id))
    db.session.commit()
    # His turn comes (the pace held his message back).
    db.session.execute(update(OutboxMessage).where(OutboxMessage.kind == "message")
                       .values(not_before=None))
    db.session.commit()
    deliver_pending()
    db.session.expire_all()
    skipped = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.to_address == "bruno@example.org", OutboxMessage.kind == "message"))
    assert skipped.status == OutboxStatus.SKIPPED

    page = organiser_client.post(compose_url(irts), data=form_data())
    assert "1 destinataire (2 personnes désabonnées laissée(s) de côté)" in flat(
        text_of(page.get_data(as_text=True)))
    organiser_client.post(compose_url(irts), data=form_data(action="envoyer"))
    mailing = db.session.scalars(select(Mailing).order_by(Mailing.id.desc())).first()
    assert (mailing.recipient_count, mailing.opted_out_count) == (1, 2)
    assert db.session.scalars(select(OutboxMessage.to_address).where(
        OutboxMessage.mailing_id == mailing.id)).all() == ["aicha@example.org"]

    # His cancellation still reaches him, without List-Unsubscribe.
    notice = queue_cancellation_notice(people["bruno"], "http://journee.test", None)
    db.session.commit()
    db.session.refresh(notice)
    assert notice.status == OutboxStatus.SENT
    message = delivered(notice)
    assert message["List-Unsubscribe"] is None and message["List-Unsubscribe-Post"] is None
    assert "est annulée" in message.get_body(("plain",)).get_content()


# Who may ---------------------------------------------------------------------------------

def test_only_the_event_organisers_write(client, make_user, login, irts, demo):
    people_of(irts)
    etsup = demo["etsup-2018"] if "etsup-2018" in demo else next(
        e for e in demo.values() if e.id != irts.id)
    login(make_user(email="autre@example.org", events=[etsup]))
    for url in (compose_url(irts), f"/admin/journees/{irts.id}/messages/",
                f"/admin/journees/{irts.id}/messages/automatiques/",
                text_url(irts, "confirmation")):
        assert client.get(url).status_code == 404
    assert client.post(compose_url(irts), data=form_data(action="envoyer")).status_code == 404
    assert client.post(text_url(irts, "confirmation"), data={
        "subject": "Piraté", "body": "Piraté"}).status_code == 404
    from journee.registration.models import EmailText

    assert db.session.scalar(select(func.count(EmailText.id))) == 0
    assert outbox_count("message") == 0
    reception = make_user(email="accueil@example.org")
    db.session.add(EventMembership(event=irts, user=reception, role="reception"))
    db.session.commit()
    client.post("/deconnexion")
    login(reception)
    assert client.get(compose_url(irts)).status_code == 403


def test_the_event_page_links_to_the_messages(organiser_client, irts):
    page = organiser_client.get(f"/admin/journees/{irts.id}/").get_data(as_text=True)
    assert f'href="/admin/journees/{irts.id}/messages/"' in page


# The automatic e-mails' own texts -------------------------------------------------------

def text_url(event, kind: str) -> str:
    return f"/admin/journees/{event.id}/messages/automatiques/{kind}"


def test_an_edited_automatic_e_mail_as_received_and_its_reset(smtp_app):
    event, client, server = smtp_app
    page = client.get(text_url(event, "confirmation")).get_data(as_text=True)
    assert "Ce texte est celui par défaut." in text_of(page)
    assert "Votre inscription à la journée d’étude" in page and "{journée}" in page

    response = client.post(text_url(event, "confirmation"), data={
        "subject": "Bienvenue {prénom} : {journée}",
        "body": "Merci {prénom} {nom} !\n\nÀ très vite, le {date}."})
    assert response.status_code == 302
    listing = text_of(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Confirmation d’inscription Modifié pour cette journée" in listing

    from journee.registration.emails import queue_registration_confirmation

    zoe = add(event, "Zoé", "L’Hôte", "zoe@example.org")
    queue_registration_confirmation(zoe, "http://journee.test")
    db.session.commit()
    deliver_pending()
    [message] = server.messages
    assert flat(message["Subject"]) == f"Bienvenue Zoé : {flat(event.title)}"
    text = flat(message.get_body(("plain",)).get_content())
    assert text.startswith("Bonjour Zoé, Merci Zoé L’Hôte ! À très vite, le jeudi 15 mars 2018.")
    # What the app adds is still there: the link, the practical facts, the calendar.
    assert re.search(r"http://journee\.test/r/[A-Za-z0-9_-]+", text)
    assert "Date : jeudi 15 mars 2018" in text and "Lieu :" in text
    assert "Votre inscription à la journée d’étude" not in text
    assert [p.get_content_type() for p in message.iter_attachments()] == ["text/calendar"]
    assert message["List-Unsubscribe"] is None
    html = message.get_body(("html",)).get_content()
    assert "<p>Merci Zoé L’Hôte\u202f!</p>" in html.replace("&#39;", "’")
    # The waiting list keeps its own default text.
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "organiser.edit_email_text")) == 1

    response = client.post(text_url(event, "confirmation") + "/retablir")
    assert response.status_code == 302
    queue_registration_confirmation(zoe, "http://journee.test")
    db.session.commit()
    deliver_pending()
    again = server.messages[1]
    assert flat(again["Subject"]) == f"Inscription confirmée : {flat(event.title)}"
    assert flat(again.get_body(("plain",)).get_content()).startswith(
        f"Bonjour Zoé, Votre inscription à la journée d’étude « {flat(event.title)} » est "
        "confirmée. Nous serons heureux de vous accueillir.")


def test_a_wrong_placeholder_in_an_automatic_text_is_refused(organiser_client, irts):
    response = organiser_client.post(text_url(irts, "reminder"), data={
        "subject": "Rappel {journée}", "body": "À demain {Prénom}, salle {sale} <b>"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "« {sale} » n’est pas un champ connu." in flat(text_of(html))
    assert "À demain {Prénom}, salle {sale} &lt;b&gt;" in html
    from journee.registration.models import EmailText

    assert db.session.scalar(select(func.count(EmailText.id))) == 0


def test_the_default_subjects_are_the_ones_sent(irts, delivered):
    from journee.registration.email_texts import DEFAULT_TEXTS, placeholder_values
    from journee.registration.emails import (
        queue_cancellation_notice,
        queue_registration_confirmation,
    )
    from journee.registration.reminders import queue_reminder

    people = people_of(irts)
    base = "http://journee.test"
    sent = {
        "confirmation": queue_registration_confirmation(people["aicha"], base),
        "waitlist": queue_registration_confirmation(people["eve"], base),
        "reminder": queue_reminder(people["bruno"], base),
        "cancellation": queue_cancellation_notice(people["olga"], base, None),
    }
    db.session.commit()
    for kind, message in sent.items():
        values = placeholder_values(db.session.get(type(people["aicha"]),
                                                   message.registration_id), base)
        # As the outbox keeps it: spaces folded, no-break ones kept (see mail.queue_email).
        default = one_line(parse(DEFAULT_TEXTS[kind].subject).fill(values))
        assert message.subject == default, kind
    assert "vous êtes sur la liste d’attente" in delivered(sent["waitlist"]).get_body(
        ("plain",)).get_content()


def test_the_opt_out_is_in_the_person_s_export_and_goes_with_an_erasure(irts):
    from journee import data_owners
    from journee.registration import operations

    people = people_of(irts)
    olga = people["olga"]
    exported = data_owners.person_data(olga)["inscription"]
    assert exported["messages_de_l_equipe_refuses_le"].startswith("20")
    assert data_owners.person_data(people["aicha"])["inscription"][
        "messages_de_l_equipe_refuses_le"] is None
    operations.erase([olga], base_url="http://journee.test")
    db.session.commit()
    assert db.session.scalars(select(OptOut.registration_id)).all() == []
