"""The outbox and the registration e-mails, delivered to a real SMTP server."""

from __future__ import annotations

import email
import email.policy
import re
from email.message import EmailMessage

import pytest
from icalendar import Calendar
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy import func
from sqlalchemy import text as sql_text
from support.registration import OPEN_DAY as TODAY
from support.smtp import SMTPServer, sending_to

from journee import mail, tasks
from journee.extensions import db
from journee.mail_models import OutboxMessage, OutboxStatus
from journee.registration.emails import (
    queue_already_registered,
    queue_promotion_notice,
    queue_registration_confirmation,
    queue_registration_confirmation_later,
)
from journee.registration.models import Registration, RegistrationStatus
from journee.registration.services import Attendee, register

BASE_URL = "http://journee.test"
HOSTILE = "<script>alert(1)</script> Łukasz"
SECRET = "Fauteuil roulant, chambre accessible n°42"


@pytest.fixture
def app_factory(app_factory):
    """Apps whose commits leave the outbox alone: these tests deliver it step by step
    with ``deliver_pending`` (the delivery after a commit has its own tests below)."""
    return lambda **overrides: app_factory(**{"MAIL_DELIVER_AFTER_COMMIT": False,
                                              **overrides})


@pytest.fixture
def smtp_server():
    """A port where an SMTP server will listen once ``start()`` is called."""
    server = SMTPServer()
    yield server
    server.stop()


@pytest.fixture
def smtp_app(app_factory, smtp_server):
    app = app_factory(MAIL_BACKEND="smtp", MAIL_SMTP_HOST="127.0.0.1",
                      MAIL_SMTP_PORT=smtp_server.port, MAIL_SMTP_TIMEOUT=5)
    with app.app_context():
        yield app


@pytest.fixture
def irts_event(smtp_app):
    from journee.demo import load_demo

    events = load_demo(original_dates=True)
    db.session.commit()
    return next(e for e in events if e.slug == "travail-social-epreuve-numerique-2018")


def make_attendee(event, **fields) -> Attendee:
    slot = event.workshop_sessions[0]
    values = {
        "first_name": "Aïcha", "last_name": "N’DIAYE-LEFÈVRE", "profile": "student",
        "email": "aicha@example.org", "organisation": "IRTS-IDS Normandie",
        "function": "Étudiante éducatrice spécialisée", "course": "ES", "course_year": 2,
        "lunch": True, "accommodation_needed": True, "accommodation_details": SECRET,
        "choices": {slot.id: [w.id for w in slot.workshops[:3]]},
    }
    values.update(fields)
    return Attendee(**values)


def register_and_queue(event, **fields) -> tuple[Registration, OutboxMessage]:
    """Register someone and queue their confirmation in the same transaction."""
    registration = register(event.id, make_attendee(event, **fields), today=TODAY)
    message = queue_registration_confirmation(registration, BASE_URL)
    db.session.commit()
    return registration, message


def parse(message: OutboxMessage) -> EmailMessage:
    return email.message_from_bytes(message.message, policy=email.policy.default)


def text_part(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def html_part(message: EmailMessage) -> str:
    return message.get_body(("html",)).get_content()


def calendars(message: EmailMessage) -> list[Calendar]:
    return [Calendar.from_ical(part.get_content())
            for part in message.iter_attachments() if part.get_content_type() == "text/calendar"]


def flat(text: str) -> str:
    """No-break spaces folded into plain spaces, for comparing prose."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.mark.parametrize("subject", [
    "Liste d’attente : Le travail social à l’épreuve du numérique : enjeux, risques",
    ("Une place s’est libérée : « Ateliers » — 北京 et Łódź, " * 3).strip(),
    "A plain ASCII subject that is long enough to be folded over two lines or more",
])
def test_subjects_keep_every_space(app, subject):
    message = parse(mail.queue_email("test", "camille@example.org", subject, "Bonjour."))

    # Python's parser keeps the space that follows « Subject: » when a long subject
    # starts on the next line; mail clients drop it.
    assert message["Subject"].lstrip() == subject


def test_confirmation_is_delivered_to_the_smtp_server(smtp_app, smtp_server, irts_event):
    smtp_server.start()
    registration, queued = register_and_queue(irts_event)

    assert mail.deliver_pending() == (1, 0)

    [envelope] = smtp_server.handler.envelopes
    assert envelope.mail_from == "ne-pas-repondre@journee.local"
    assert envelope.rcpt_tos == ["aicha@example.org"]
    [message] = smtp_server.messages
    assert not message.defects
    assert message["To"] == "aicha@example.org"
    assert message["From"].addresses[0].display_name == "Journée"
    assert message["Reply-To"] == "claire.lagu@irtsnormandie.ids.fr"
    assert message["Message-ID"].endswith("@journee.local>")
    assert message["Date"].datetime is not None
    assert flat(message["Subject"]) == f"Inscription confirmée : {flat(irts_event.title)}"

    text = flat(text_part(message))
    assert "Bonjour Aïcha," in text
    assert "Nom : Aïcha N’DIAYE-LEFÈVRE" in text
    assert "Structure : IRTS-IDS Normandie" in text
    assert "Fonction : Étudiante éducatrice spécialisée" in text
    assert "Profil : Étudiant·e" in text
    assert "Formation : ES, 2e année" in text
    assert "Déjeuner sur place : oui" in text
    assert "1. Atelier n° 1 : Handicap enfant" in text
    assert "3. Atelier n° 3 : Protection de l’enfance" in text
    assert "Date : jeudi 15 mars 2018" in text
    assert "Horaires : de 8 h 30 à 17 h 15" in text
    assert "Lieu : IRTS-IDS Normandie, Allée de Flore, 76380 Canteleu (Rouen)" in text
    assert "Contact : claire.lagu@irtsnormandie.ids.fr" in text
    assert f"http://journee.test/r/{registration.token}" in text
    assert "jusqu’au 1er mars 2018" in text
    assert "annuler votre inscription" in text
    assert "ajouter la journée à votre agenda" in text
    assert f'href="http://journee.test/r/{registration.token}"' in html_part(message)

    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "journee-travail-social-epreuve-numerique-2018.ics"
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "PUBLISH"
    [calendar] = calendars(message)
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert len(calendar.walk("VEVENT")) == len(irts_event.sessions)

    db.session.refresh(queued)
    assert queued.status == OutboxStatus.SENT
    assert queued.sent_at is not None and queued.attempts == 1 and queued.last_error is None
    assert queued.registration_id == registration.id and queued.kind == "confirmation"
    assert mail.deliver_pending() == (0, 0)


def test_a_server_down_keeps_the_message_for_a_later_try(smtp_app, smtp_server, irts_event):
    registration, queued = register_and_queue(irts_event)

    assert mail.deliver_pending() == (0, 1)

    db.session.refresh(queued)
    assert queued.status == OutboxStatus.PENDING
    assert queued.attempts == 1
    assert queued.last_error and "Connection" in queued.last_error
    assert queued.sent_at is None
    assert db.session.get(Registration, registration.id).status == RegistrationStatus.CONFIRMED

    smtp_server.start()
    assert mail.deliver_pending() == (1, 0)
    assert mail.deliver_pending() == (0, 0)

    assert len(smtp_server.handler.envelopes) == 1
    db.session.refresh(queued)
    assert queued.status == OutboxStatus.SENT
    assert queued.attempts == 2 and queued.last_error is None


# Delivery after the commit --------------------------------------------------------------

@pytest.fixture
def sending_app(app_factory, smtp_server):
    """An app as deployed: a commit that queued messages has them sent."""
    app = app_factory(MAIL_BACKEND="smtp", MAIL_SMTP_HOST="127.0.0.1",
                      MAIL_SMTP_PORT=smtp_server.port, MAIL_SMTP_TIMEOUT=5,
                      MAIL_DELIVER_AFTER_COMMIT=True)
    with app.app_context():
        yield app


def test_a_commit_delivers_what_it_queued(sending_app, smtp_server):
    smtp_server.start()
    queued = mail.queue_email("test", "camille@example.org", "Essai", "Bonjour.")
    assert smtp_server.messages == []

    db.session.commit()

    [message] = smtp_server.messages
    assert message["To"] == "camille@example.org"
    assert db.session.get(OutboxMessage, queued.id).status == OutboxStatus.SENT


def test_a_commit_through_a_request_delivers_too(sending_app, smtp_server):
    smtp_server.start()
    with sending_app.test_request_context("/"):
        mail.queue_email("test", "camille@example.org", "Essai", "Bonjour.")
        db.session.commit()
        assert len(smtp_server.messages) == 1


def test_a_public_form_leaves_its_message_to_the_worker(sending_app, smtp_server):
    smtp_server.start()
    with sending_app.test_request_context("/"):
        mail.queue_email("test", "camille@example.org", "Essai", "Bonjour.")
        mail.leave_to_worker()
        db.session.commit()
    assert smtp_server.messages == []  # the answer did not wait for the e-mail

    # What ``journee worker`` does between its rounds, every TASKS_POLL_SECONDS.
    with sending_app.app_context():
        [outcome] = tasks.run_woken()
    assert outcome.job.name == mail.OUTBOX_JOB and not outcome.failed
    with sending_app.app_context():
        assert tasks.run_woken() == []  # nothing new: the next look sends nothing
    [message] = smtp_server.messages
    assert message["To"] == "camille@example.org"


def test_a_public_form_sends_itself_when_no_worker_delivers_the_outbox(app_factory,
                                                                        smtp_server):
    app = app_factory(**sending_to(smtp_server), MAIL_AUTO_RETRY_SECONDS=0)
    smtp_server.start()
    with app.test_request_context("/"):
        mail.queue_email("test", "camille@example.org", "Essai", "Bonjour.")
        mail.leave_to_worker()
        db.session.commit()
        assert len(smtp_server.messages) == 1


def test_the_worker_looks_only_for_messages_never_tried(sending_app, smtp_server):
    # Nothing listens yet: the first try fails, and the retry waits for the period.
    with sending_app.test_request_context("/"):
        mail.queue_email("test", "camille@example.org", "Essai", "Bonjour.")
        mail.leave_to_worker()
        db.session.commit()
    with sending_app.app_context():
        [outcome] = tasks.run_woken()
        assert outcome.summary == "0 message envoyé, 1 en échec."
        assert tasks.run_woken() == []
    smtp_server.start()
    assert smtp_server.messages == []


@pytest.fixture
def sending_irts(sending_app):
    from journee.demo import load_demo

    events = load_demo(original_dates=True)
    db.session.commit()
    return next(e for e in events if e.slug == "travail-social-epreuve-numerique-2018")


def test_a_message_composed_by_the_sender_leaves_with_the_commit(sending_irts, smtp_server):
    smtp_server.start()
    registration = register(sending_irts.id, make_attendee(sending_irts), today=TODAY)
    queue_registration_confirmation_later(registration)
    db.session.commit()

    [message] = smtp_server.messages
    assert message["To"] == "aicha@example.org"
    assert message["Subject"].startswith("Inscription confirmée")


def test_a_rolled_back_transaction_sends_nothing(sending_app, smtp_server):
    smtp_server.start()
    mail.queue_email("test", "camille@example.org", "Essai", "Bonjour.")
    db.session.flush()
    db.session.rollback()
    db.session.commit()

    assert smtp_server.messages == []
    assert db.session.scalar(db.select(func.count(OutboxMessage.id))) == 0


def test_a_commit_without_messages_does_not_wake_the_sender(sending_app, smtp_server,
                                                            monkeypatch):
    smtp_server.start()
    # A message left pending by an earlier failure waits for the periodic job.
    monkeypatch.setitem(sending_app.config, "MAIL_DELIVER_AFTER_COMMIT", False)
    mail.queue_email("test", "camille@example.org", "Essai", "Bonjour.")
    db.session.commit()
    monkeypatch.undo()
    woken = []
    monkeypatch.setattr(mail, "deliver_pending", lambda limit: woken.append(limit))
    monkeypatch.setattr(mail.tasks, "wake", lambda app, name: woken.append(name))

    from journee.ratelimit import record
    record("test", "clé")
    db.session.commit()
    db.session.commit()

    assert woken == [] and smtp_server.messages == []


def test_a_runner_in_the_process_is_woken_instead(sending_app, smtp_server, monkeypatch):
    woken = []
    monkeypatch.setattr(mail.tasks, "wake", lambda app, name: woken.append(name) or True)
    mail.queue_email("test", "camille@example.org", "Essai", "Bonjour.")
    db.session.commit()

    assert woken == [mail.OUTBOX_JOB]
    assert db.session.scalar(db.select(OutboxMessage.status)) == OutboxStatus.PENDING


def test_a_savepoint_waits_for_the_outer_commit(sending_app, smtp_server):
    smtp_server.start()
    with db.session.begin_nested():
        mail.queue_email("test", "camille@example.org", "Essai", "Bonjour.")
    assert smtp_server.messages == []
    db.session.commit()
    assert len(smtp_server.messages) == 1


def test_a_failed_delivery_never_breaks_the_commit(sending_irts, monkeypatch):
    register_and_queue(sending_irts)  # nothing listens on the port: kept for later

    def broken(limit):
        raise RuntimeError("base de données indisponible")

    monkeypatch.setattr(mail, "deliver_pending", broken)
    mail.queue_email("test", "camille@example.org", "Essai", "Bonjour.")
    db.session.commit()
    assert set(db.session.scalars(db.select(OutboxMessage.status))) == {
        OutboxStatus.PENDING}


def test_the_file_backend_writes_one_eml_file_per_message(app_factory, tmp_path):
    outbox = tmp_path / "outbox"
    app = app_factory(MAIL_FILE_DIR=str(outbox))
    with app.app_context():
        queued = mail.queue_email("test", "camille@example.org", "Essai d’envoi",
                                  "Un message en français : é, ç, œ.")
        db.session.commit()

        assert mail.deliver_pending() == (1, 0)
        assert queued.status == OutboxStatus.SENT

    [path] = outbox.iterdir()
    assert path.suffix == ".eml"
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert message["Subject"] == "Essai d’envoi"
    assert message.get_content().splitlines() == ["Un message en français : é, ç, œ."]


def test_send_mail_command_sums_up(app_factory, tmp_path):
    app = app_factory(MAIL_FILE_DIR=str(tmp_path / "outbox"))
    runner = app.test_cli_runner()
    with app.app_context():
        for n in range(2):
            mail.queue_email("test", f"personne{n}@example.org", "Essai", "Bonjour.")
        db.session.commit()

    assert runner.invoke(args=["send-mail"]).output == "2 messages envoyés, 0 en échec.\n"
    assert runner.invoke(args=["send-mail"]).output == "0 message envoyé, 0 en échec.\n"


def test_send_mail_command_reports_failures(smtp_app, smtp_server, irts_event):
    register_and_queue(irts_event)
    runner = smtp_app.test_cli_runner()

    assert runner.invoke(args=["send-mail"]).output == "0 message envoyé, 1 en échec.\n"
    smtp_server.start()
    assert runner.invoke(args=["send-mail"]).output == "1 message envoyé, 0 en échec.\n"


def test_waitlisted_confirmation(smtp_app, irts_event):
    irts_event.capacity = 1
    db.session.commit()
    register_and_queue(irts_event, email="premiere@example.org")

    registration, queued = register_and_queue(irts_event)

    assert registration.status == RegistrationStatus.WAITLISTED
    message = parse(queued)
    assert flat(message["Subject"]) == f"Liste d’attente : {flat(irts_event.title)}"
    text = flat(text_part(message))
    assert "vous êtes sur la liste d’attente" in text
    assert "de vous retirer de la liste d’attente" in text
    assert "est confirmée" not in text
    # No calendar until a place is confirmed.
    assert calendars(message) == []


@pytest.mark.parametrize("html", [None, '<p><a href="http://journee.test/r/{token}">lien'
                                  '</a> « Zoé »</p>', "<p>Sans lien</p>"])
def test_the_copy_made_with_the_message_is_the_copy_masked_afterwards(smtp_app, html):
    token = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-"
    text = (f"Bonjour Zoé,\nVotre lien : http://journee.test/r/{token}\n"
            + "« Très » long, " * 12 + "\n. point\n")
    calendar = mail.Attachment("journee.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
                               "text/calendar", {"method": "PUBLISH"})
    raw, copy = mail.build_message_and_copy(
        "zoe@example.org", "Inscription confirmée", text,
        None if html is None else html.format(token=token), [calendar])

    def read(message: bytes) -> EmailMessage:
        return email.message_from_bytes(message, policy=email.policy.default)

    def contents(message: bytes) -> list:
        return [(part.get_content_type(), part.get_content())
                for part in read(message).walk() if not part.is_multipart()]

    assert contents(copy) == contents(mail.masked_links(raw))
    assert token not in "".join(str(content) for _, content in contents(copy))
    assert read(copy)["Message-ID"] == read(raw)["Message-ID"]


def test_the_copy_kept_of_a_sent_message_has_its_links_masked(smtp_app, smtp_server,
                                                              irts_event):
    smtp_server.start()
    registration, queued = register_and_queue(irts_event)
    token = registration.token

    assert mail.deliver_pending() == (1, 0)

    [delivered] = smtp_server.messages
    assert f"{BASE_URL}/r/{token}" in text_part(delivered)
    db.session.refresh(queued)
    kept = parse(queued)
    assert f"{BASE_URL}/r/…" in text_part(kept) and f'href="{BASE_URL}/r/…"' in html_part(kept)
    assert token not in text_part(kept) + html_part(kept)
    assert text_part(kept) == text_part(delivered).replace(token, "…")
    assert [part.get_content() for part in kept.iter_attachments()] \
        == [part.get_content() for part in delivered.iter_attachments()]


def test_promotion_notice_and_self_service_link(smtp_app, smtp_server, irts_event):
    smtp_server.start()
    registration = register(irts_event.id, make_attendee(irts_event), today=TODAY)

    promotion = parse(queue_promotion_notice(registration, BASE_URL))
    queue_already_registered(irts_event.id, registration.email)  # written by the sender
    db.session.commit()
    mail.deliver_pending()
    [_, resend] = smtp_server.messages

    assert flat(promotion["Subject"]) == f"Une place s’est libérée : {flat(irts_event.title)}"
    assert "Une place s’est libérée : votre inscription" in flat(text_part(promotion))
    assert len(calendars(promotion)) == 1
    assert flat(resend["Subject"]) == f"Votre inscription : {flat(irts_event.title)}"
    text = flat(text_part(resend))
    assert "Vous êtes déjà inscrit·e" in text
    assert f"http://journee.test/r/{registration.token}" in text
    assert "Formation" not in text  # only the link, not the details
    kinds = db.session.scalars(db.select(OutboxMessage.kind).order_by(OutboxMessage.id))
    assert list(kinds) == ["promotion", "self_service_link"]


def test_a_day_without_deadline_nor_workshops(smtp_app, irts_event):
    from journee.programme.models import Event
    from journee.registration.models import Source

    etsup = db.session.scalar(db.select(Event).filter_by(slug="travail-social-2-0-etsup-2018"))
    registration = register(etsup.id, Attendee(first_name="Inès", last_name="Martin",
                                               profile="professional",
                                               email="ines@example.org"),
                            today=TODAY, source=Source.STAFF)

    text = flat(text_part(parse(queue_registration_confirmation(registration, BASE_URL))))

    assert "Date : mardi 20 mars 2018" in text
    assert "Horaires : de 9 h à 16 h 30" in text
    assert "- de modifier vos informations ;" in text
    assert "jusqu’au" not in text and "atelier" not in text.casefold()


def test_no_message_without_an_address(smtp_app, irts_event):
    registration = register(irts_event.id, make_attendee(irts_event, email=None), today=TODAY)

    assert queue_registration_confirmation(registration, BASE_URL) is None


def test_names_come_out_exactly_and_safely(smtp_app, smtp_server, irts_event):
    smtp_server.start()
    register_and_queue(irts_event, first_name=HOSTILE, last_name="Ōkubo 大久保",
                       organisation="L’Étape & Cie <b>")
    mail.deliver_pending()
    [message] = smtp_server.messages

    text = text_part(message)
    assert f"Bonjour {HOSTILE}," in text
    assert f"{HOSTILE} Ōkubo 大久保" in text
    assert "L’Étape & Cie <b>" in text
    html = html_part(message)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Łukasz Ōkubo 大久保" in html
    assert "L’Étape &amp; Cie &lt;b&gt;" in html


def test_accommodation_needs_are_never_sent(smtp_app, smtp_server, irts_event):
    smtp_server.start()
    registration, _ = register_and_queue(irts_event)
    queue_promotion_notice(registration, BASE_URL)
    queue_already_registered(irts_event.id, registration.email)
    db.session.commit()
    mail.deliver_pending()

    assert len(smtp_server.messages) == 3
    for message in smtp_server.messages:
        raw = message.as_bytes()
        assert b"Fauteuil" not in raw
        for part in message.walk():
            if not part.is_multipart():
                content = part.get_content()
                if isinstance(content, bytes):
                    content = content.decode()
                assert "Fauteuil" not in content and "n°42" not in content


def test_one_variable_switches_to_smtp(app_factory, monkeypatch):
    monkeypatch.setenv("JOURNEE_SMTP_HOST", "smtp.example.org")
    monkeypatch.setenv("JOURNEE_MAIL_SMTP_PORT", "587")
    monkeypatch.setenv("JOURNEE_MAIL_SMTP_STARTTLS", "true")

    config = app_factory().config

    assert config["MAIL_BACKEND"] == "smtp"
    assert config["MAIL_SMTP_HOST"] == "smtp.example.org"
    assert config["MAIL_SMTP_PORT"] == 587 and config["MAIL_SMTP_STARTTLS"] is True
    assert "SMTP_HOST" not in config


def test_one_round_writes_each_deferred_confirmation_with_the_programme_loaded_once(
        smtp_app, smtp_server, irts_event):
    """Confirmations queued by the public form are written by the sender: a round of
    them shares the programme and the day's calendar, loads its people and their choices
    at once, and each message stays its person's."""
    people = [("Aïcha", "aicha@example.org"), ("Léon", "leon@example.org"),
              ("Ἀλέξανδρος", "alex@example.org")]
    for first_name, address in people:
        registration = register(irts_event.id, make_attendee(
            irts_event, first_name=first_name, email=address), today=TODAY)
        queue_registration_confirmation_later(registration)
    db.session.commit()
    db.session.expire_all()
    programme_loads, fingerprints, people_loads = [], [], []

    def count(conn, cursor, statement, *args):
        if not statement.lstrip().startswith("SELECT"):
            return
        if re.search(r"\bFROM (registration|workshop_choice)\b", statement):
            people_loads.append(statement)
        # The sessions of the whole programme, loaded to draw the calendar; the
        # fingerprint that tells whether it changed reads the people last.
        if "FROM programme_session" in statement and "ORDER BY programme_session.starts_at" \
                in statement:
            programme_loads.append(statement)
        if "FROM person" in statement and statement.rstrip().endswith("ORDER BY person.id"):
            fingerprints.append(statement)

    smtp_server.start()
    sqlalchemy_event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert mail.deliver_pending() == (3, 0)
    finally:
        sqlalchemy_event.remove(db.engine, "before_cursor_execute", count)
    assert len(programme_loads) == 1
    assert len(fingerprints) == 1
    assert len(people_loads) == 2, people_loads  # the registrations, then their choices
    received = {m["To"]: m for m in smtp_server.messages}
    assert sorted(received) == sorted(address for _, address in people)
    for first_name, address in people:
        message = received[address]
        assert first_name in text_part(message)
        assert all(other not in text_part(message) for other, _ in people
                   if other != first_name)
        [calendar] = calendars(message)
        summaries = [str(c["SUMMARY"]) for c in calendar.walk("VEVENT")]
        assert any("Technologies numériques" in s for s in summaries)
    # The round is over: the session expires on commit again.
    assert db.session().expire_on_commit is True


def test_a_batch_that_cannot_be_prepared_is_written_message_by_message(
        smtp_app, smtp_server, irts_event, monkeypatch):
    for first_name, address in [("Aïcha", "aicha@example.org"), ("Léon", "leon@example.org")]:
        registration = register(irts_event.id, make_attendee(
            irts_event, first_name=first_name, email=address), today=TODAY)
        queue_registration_confirmation_later(registration)
    db.session.commit()

    def broken(batch):
        db.session.execute(sql_text("SELECT * FROM no_such_table"))

    monkeypatch.setitem(smtp_app.extensions[mail.PREPARERS], "confirmation", broken)
    smtp_server.start()
    assert mail.deliver_pending() == (2, 0)
    received = {m["To"]: text_part(m) for m in smtp_server.messages}
    assert "Aïcha" in received["aicha@example.org"] and "Léon" in received["leon@example.org"]


class AnotherDeliverer:
    """A second process delivering (the app's workers, ``journee send-mail``), started
    while the first sends its first message: what each sent, and what the second's
    ``deliver_pending`` returned."""

    def __init__(self, app, monkeypatch) -> None:
        self.app, self.monkeypatch = app, monkeypatch
        self.sent: list[int] = []
        self.nested: tuple[int, int] | None = None
        self.started = False
        self._send = mail.FileBackend.send
        monkeypatch.setattr(mail.FileBackend, "send",
                            lambda backend, message: self._send_while_another_runs(
                                backend, message))

    def _send_while_another_runs(self, backend, message):
        import threading

        if not self.started:
            self.started = True
            # The other deliverer is another process: it has a lock of its own.
            self.monkeypatch.setattr(mail, "_delivery_lock", threading.Lock())
            other = threading.Thread(target=self._deliver)
            other.start()
            other.join(30)
        self.sent.append(message.id)
        self._send(backend, message)

    def _deliver(self) -> None:
        with self.app.app_context():
            self.nested = mail.deliver_pending()


def test_a_second_deliverer_leaves_a_message_being_sent_alone(app_factory, tmp_path,
                                                               monkeypatch):
    """Two processes deliver: while one is sending a message, the other must not claim it
    again, or the person gets it twice."""
    app = app_factory(MAIL_FILE_DIR=str(tmp_path / "outbox"))
    other = AnotherDeliverer(app, monkeypatch)
    with app.app_context():
        queued = mail.queue_email("test", "camille@example.org", "Essai", "Bonjour.")
        db.session.commit()
        assert mail.deliver_pending() == (1, 0)
        assert other.nested == (0, 0)
        assert other.sent == [queued.id]
        db.session.expire_all()
        assert queued.status == OutboxStatus.SENT and queued.attempts == 1


def test_messages_are_claimed_ten_at_a_time_and_a_second_deliverer_takes_the_rest(
        app_factory, tmp_path, monkeypatch):
    """One claim statement (and one commit) for ten messages; another process that
    delivers meanwhile sends only what the first has not claimed, and nobody gets a
    message twice."""
    import threading

    from sqlalchemy import event as sa_event

    app = app_factory(MAIL_FILE_DIR=str(tmp_path / "outbox"))
    other = AnotherDeliverer(app, monkeypatch)
    claims: list[str] = []

    def note(connection, cursor, statement, *args):
        if statement.startswith("UPDATE outbox") and "RETURNING" in statement \
                and threading.current_thread() is threading.main_thread():
            claims.append(statement)

    with app.app_context():
        queued = [mail.queue_email("test", f"personne{n}@example.org", "Essai", "Bonjour.")
                  for n in range(25)]
        db.session.commit()
        ids = [message.id for message in queued]
        sa_event.listen(db.engine, "before_cursor_execute", note)
        try:
            first = mail.deliver_pending()
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", note)
        assert first == (10, 0) and other.nested == (15, 0)
        assert len(claims) == 3  # 25 listed: claimed by ten (the last two found none)
        assert sorted(other.sent) == ids
        db.session.expire_all()
        assert {(m.status, m.attempts) for m in queued} == {(OutboxStatus.SENT, 1)}
    assert len(list((tmp_path / "outbox").iterdir())) == 25


def test_a_message_held_by_a_dead_deliverer_is_sent_once_its_claim_has_passed(
        app_factory, tmp_path):
    from datetime import timedelta

    from journee.util.clock import utcnow

    app = app_factory(MAIL_FILE_DIR=str(tmp_path / "outbox"))
    with app.app_context():
        queued = mail.queue_email("test", "camille@example.org", "Essai", "Bonjour.")
        db.session.commit()
        queued.attempts, queued.claimed_until = 1, utcnow() + timedelta(minutes=9)
        db.session.commit()
        assert mail.deliver_pending() == (0, 0)  # still held by the other one

        queued.claimed_until = utcnow() - timedelta(seconds=1)
        db.session.commit()
        assert mail.deliver_pending() == (1, 0)
        db.session.expire_all()
        assert (queued.status, queued.attempts, queued.claimed_until) == (
            OutboxStatus.SENT, 2, None)
    assert len(list((tmp_path / "outbox").iterdir())) == 1


def test_eml_files_are_readable_by_their_owner_only(app_factory, tmp_path):
    import stat

    outbox = tmp_path / "outbox"
    app = app_factory(MAIL_FILE_DIR=str(outbox))
    with app.app_context():
        queued = mail.queue_email("test", "camille@example.org", "Essai", "Bonjour.")
        db.session.commit()
        assert mail.deliver_pending() == (1, 0)

    [path] = outbox.iterdir()
    assert path.name.endswith(f"-{queued.id:06d}.eml")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(outbox.stat().st_mode) == 0o700


def test_a_title_with_line_breaks_still_gets_its_confirmation_sent(
        smtp_app, smtp_server, irts_event):
    """An old row may hold a title over two lines: the subject keeps one line, the
    calendar attached opens, and the person gets their confirmation."""
    from journee.programme.models import Event

    db.session.execute(db.update(Event).where(Event.id == irts_event.id).values(
        title="Le travail social\r\nà l’épreuve\nBcc: intrus@example.org"))
    db.session.commit()
    db.session.expire_all()
    registration = register(irts_event.id, make_attendee(irts_event), today=TODAY)
    queued = queue_registration_confirmation_later(registration)
    db.session.commit()
    smtp_server.start()

    assert mail.deliver_pending() == (1, 0)

    [envelope] = smtp_server.handler.envelopes
    assert envelope.rcpt_tos == ["aicha@example.org"]
    [message] = smtp_server.messages
    assert flat(message["Subject"]) == ("Inscription confirmée : Le travail social à "
                                        "l’épreuve Bcc: intrus@example.org")
    assert message["Bcc"] is None
    [calendar] = calendars(message)
    assert str(calendar["X-WR-CALNAME"]) == ("Le travail social à l’épreuve Bcc: "
                                            "intrus@example.org")
    db.session.refresh(queued)
    assert queued.status == OutboxStatus.SENT


def test_a_message_that_cannot_be_written_is_marked_failed_and_the_next_goes(
        smtp_app, smtp_server, irts_event):
    first = register(irts_event.id, make_attendee(irts_event), today=TODAY)
    broken = queue_registration_confirmation_later(first)
    second = register(irts_event.id, make_attendee(irts_event, email="leon@example.org"),
                      today=TODAY)
    fine = queue_registration_confirmation_later(second)
    db.session.commit()
    # An address saved before addresses were checked: no header can hold it.
    db.session.execute(db.update(OutboxMessage).where(OutboxMessage.id == broken.id)
                       .values(to_address="aicha@example.org\r\nBcc: intrus@example.org"))
    db.session.commit()
    smtp_server.start()

    assert mail.deliver_pending() == (1, 1)
    assert mail.deliver_pending() == (0, 0)  # never tried again

    assert [e.rcpt_tos for e in smtp_server.handler.envelopes] == [["leon@example.org"]]
    db.session.expire_all()
    assert (broken.status, broken.attempts, broken.message) == (OutboxStatus.FAILED, 1, None)
    assert broken.last_error.startswith("ValueError: ")
    assert "linefeed" in broken.last_error
    assert fine.status == OutboxStatus.SENT


def test_a_message_a_request_cannot_write_is_recorded_as_failed(app):
    queued = mail.queue_email("test", "camille@example.org\nBcc: intrus@example.org",
                              "Essai", "Bonjour.")
    db.session.commit()

    db.session.expire_all()
    assert queued.status == OutboxStatus.FAILED and queued.message is None
    assert "linefeed" in queued.last_error
    assert mail.deliver_pending() == (0, 0)


def test_a_busy_database_while_writing_leaves_the_message_for_the_next_round(
        app, irts, monkeypatch):
    from sqlalchemy.exc import OperationalError

    registration = register(irts.id, make_attendee(irts), today=TODAY)
    queued = queue_registration_confirmation_later(registration)
    db.session.commit()

    def locked(outbox):
        raise OperationalError("SELECT …", {}, Exception("database is locked"))

    monkeypatch.setitem(app.extensions[mail.COMPOSERS], "confirmation", locked)
    assert mail.deliver_pending() == (0, 1)
    db.session.expire_all()
    assert queued.status == OutboxStatus.PENDING and "locked" in queued.last_error

    monkeypatch.undo()
    assert mail.deliver_pending() == (1, 0)


def test_a_calendar_that_cannot_be_drawn_fails_its_message_not_the_request(
        smtp_app, irts_event):
    """A time zone saved before it was checked: the promotion is still recorded, and its
    notice marked failed with the reason instead of breaking the organiser's page."""
    from journee.programme.models import Event

    registration = register(irts_event.id, make_attendee(irts_event), today=TODAY)
    db.session.execute(db.update(Event).where(Event.id == irts_event.id).values(
        timezone="Europe/Nulle-part"))
    db.session.commit()
    db.session.expire_all()

    queued = queue_promotion_notice(registration, BASE_URL)
    db.session.commit()

    db.session.expire_all()
    assert (queued.status, queued.message, queued.kind) == (OutboxStatus.FAILED, None,
                                                            "promotion")
    assert queued.last_error.startswith("ZoneInfoNotFoundError: ")
    assert queued.registration_id == registration.id


def test_a_cron_tick_sends_what_a_public_form_left_to_the_worker(sending_app, smtp_server):
    """Without ``journee worker``, the next ``journee tick`` sends it, even when the
    outbox job is not due."""
    smtp_server.start()
    runner = sending_app.test_cli_runner()
    assert runner.invoke(args=["tick"]).exit_code == 0  # every job has run: none is due
    with sending_app.test_request_context("/"):
        mail.queue_email("test", "camille@example.org", "Essai", "Bonjour.")
        mail.leave_to_worker()
        db.session.commit()
    assert smtp_server.messages == []
    result = runner.invoke(args=["tick"])
    assert result.exit_code == 0, result.output
    [message] = smtp_server.messages
    assert message["To"] == "camille@example.org"
