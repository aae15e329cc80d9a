"""GDPR by design: retention and purge, a person's data export, erasure on request."""

from __future__ import annotations

import json
import os
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from icalendar import Calendar
from sqlalchemy import func, select, text, update
from support.pages import text_of
from support.registration import add, detail_url, slot_of

from journee import mail
from journee.audit.models import AuditEntry
from journee.extensions import db
from journee.facilitation.models import FacilitatorLink
from journee.gdpr.purge import purge
from journee.mail_models import OutboxMessage, OutboxStatus
from journee.programme.models import Event
from journee.registration.emails import (
    queue_already_registered,
    queue_link_request,
    queue_registration_confirmation,
)
from journee.registration.models import (
    Assignment,
    AssignmentSource,
    Registration,
    RegistrationStatus,
    WorkshopChoice,
)
from journee.util.clock import today_in, utcnow

DAY = date(2018, 3, 15)  # the IRTS-IDS day (2018 dates in tests)


def count(model, **filters) -> int:
    return db.session.scalar(select(func.count()).select_from(model).filter_by(**filters))


def registered(irts, first="Zoé", last="Martin", email="zoe@example.org", **details):
    slot = slot_of(irts)
    registration = add(irts, first, last, email, choices=slot.workshops[:3],
                        accommodation_needed=True,
                        accommodation_details="Fauteuil roulant, place près de la porte",
                        phone="06 12 34 56 78", organisation="IRTS-IDS Normandie",
                        function="Étudiante", **details)
    db.session.add(Assignment(registration_id=registration.id, session_id=slot.id,
                              workshop_id=slot.workshops[0].id,
                              source=AssignmentSource.SOLVER))
    queue_registration_confirmation(registration, "http://journee.test")
    db.session.commit()
    return registration


def test_accommodation_needs_go_seven_days_after_the_day(app, irts):
    zoe = registered(irts)
    assert purge(DAY + timedelta(days=7))["accommodation_cleared"] == 0
    db.session.commit()
    report = purge(DAY + timedelta(days=8))
    db.session.commit()
    assert report["accommodation_cleared"] == 1 and report["registrations_anonymised"] == 0
    db.session.expire_all()
    assert zoe.accommodation_details is None and zoe.accommodation_needed is False
    assert zoe.email == "zoe@example.org"  # the rest stays until the retention period


def test_personal_data_is_anonymised_after_retention_and_counts_remain(app, irts):
    zoe = registered(irts)
    registered(irts, "Łukasz", "Wąsowski", "lukasz@example.org", profile="student")
    db.session.add(FacilitatorLink(event_id=irts.id,
                                   person_id=irts.workshop_sessions[0].workshops[0]
                                   .facilitators[0].person_id))
    db.session.commit()
    assert count(OutboxMessage) == 2
    link = zoe.token

    report = purge(DAY + timedelta(days=91))
    db.session.commit()
    assert report["registrations_anonymised"] == 2
    assert report["messages_deleted"] == 2 and report["links_deleted"] == 1
    db.session.expire_all()
    assert zoe.first_name == "Personne" and zoe.last_name == "anonymisée"
    assert (zoe.email, zoe.phone, zoe.organisation, zoe.function) == (None, None, "", "")
    assert zoe.accommodation_details is None and zoe.badge_code is None
    assert (zoe.token_nonce, zoe.token_digest, zoe.token) == (None, None, None)
    assert zoe.anonymised_at is not None
    # What the aggregates need stays: status, profile, choices, placements.
    assert count(Registration, event_id=irts.id, status=RegistrationStatus.CONFIRMED) == 2
    assert count(Registration, profile="student") == 1
    assert count(WorkshopChoice) == 6 and count(Assignment) == 2
    # The old self-service link opens nothing, nor does the token anonymisation once gave.
    for token in (link, f"anonyme-{zoe.id}"):
        assert app.test_client().get(f"/r/{token}").status_code == 404

    again = purge(DAY + timedelta(days=92))
    db.session.commit()
    assert again["registrations_anonymised"] == 0 and again["messages_deleted"] == 0
    assert again["accommodation_cleared"] == 0


def test_audit_entries_older_than_a_year_are_purged(app, irts):
    now = datetime(2026, 11, 23, 12, 0)
    db.session.add_all([
        AuditEntry(at=now - timedelta(days=366), actor="Organisateur·rice a@b.fr",
                   action="facilitator.view_list", event_id=irts.id),
        AuditEntry(at=now - timedelta(days=30), actor="Organisateur·rice a@b.fr",
                   action="facilitator.view_list", event_id=irts.id)])
    db.session.commit()
    assert purge(date(2026, 11, 23), now=now)["audit_entries_deleted"] == 1
    db.session.commit()
    assert count(AuditEntry) == 1


def test_purge_command_prints_what_it_did_and_is_idempotent(app, irts, runner):
    registered(irts)
    first = runner.invoke(args=["purge"])
    assert first.exit_code == 0, first.output
    assert "Inscriptions anonymisées : 1" in first.output
    assert "Besoins d’aménagement effacés : 1" in first.output
    second = runner.invoke(args=["purge"])
    assert "Inscriptions anonymisées : 0" in second.output


def test_purge_dry_run_changes_nothing(app, irts, runner):
    zoe = registered(irts)
    result = runner.invoke(args=["purge", "--dry-run"])
    assert "Inscriptions anonymisées : 1" in result.output and "Simulation" in result.output
    db.session.expire_all()
    assert zoe.email == "zoe@example.org"


def test_organiser_exports_a_persons_data_as_json(organiser_client, irts):
    zoe = registered(irts, first="Zoé <b>", last="=1+1")
    response = organiser_client.get(detail_url(irts, zoe, "donnees.json"))
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.get_data(as_text=True))
    assert data["inscription"]["prenom"] == "Zoé <b>" and data["inscription"]["nom"] == "=1+1"
    assert data["inscription"]["precisions_amenagement"].startswith("Fauteuil")
    assert [c["rang"] for c in data["choix_d_ateliers"]] == [1, 2, 3]
    assert len(data["ateliers_attribues"]) == 1 and len(data["e_mails"]) == 1
    entry = db.session.scalars(select(AuditEntry)).one()
    assert entry.action == "organiser.export_person" and "Zoé" not in entry.target


def test_erasure_removes_the_person_everywhere_and_says_what_is_kept(
        organiser_client, irts, demo, make_user):
    irts.capacity = 1
    db.session.commit()
    zoe = registered(irts)
    waiting = add(irts, "Lina", "Haddad", "lina@example.org")
    assert waiting.status == RegistrationStatus.WAITLISTED
    page = organiser_client.get(detail_url(irts, zoe, "effacer"))
    assert "Effacer définitivement" in text_of(page.get_data(as_text=True))

    response = organiser_client.post(detail_url(irts, zoe, "effacer"), follow_redirects=True)
    text = text_of(response.get_data(as_text=True))
    assert "Effacement fait : 1 inscription(s)" in text and "journal d’accès" in text
    assert db.session.scalar(select(Registration).filter_by(email="zoe@example.org")) is None
    assert count(WorkshopChoice, registration_id=zoe.id) == 0
    assert count(Assignment, registration_id=zoe.id) == 0
    assert count(OutboxMessage, to_address="zoe@example.org") == 0
    db.session.expire_all()
    assert waiting.status == RegistrationStatus.CONFIRMED  # the freed place went on
    entry = db.session.scalars(select(AuditEntry).filter_by(
        action="organiser.erase_person")).one()
    assert "Zoé" not in entry.target and "zoe@" not in entry.target


def test_erasure_and_export_are_404_for_another_events_organiser(make_user, login, irts, demo):
    zoe = registered(irts)
    client = login(make_user(events=[demo["travail-social-2-0-etsup-2018"]]))
    assert client.get(detail_url(irts, zoe, "donnees.json")).status_code == 404
    assert client.post(detail_url(irts, zoe, "effacer")).status_code == 404
    assert db.session.get(Registration, zoe.id) is not None


# E-mails kept on disk and in the outbox -------------------------------------------------

def eml_files(app) -> dict[str, bytes]:
    """The file backend's messages, by file name."""
    return {path.name: path.read_bytes()
            for path in Path(app.config["MAIL_FILE_DIR"]).glob("*.eml")}


def test_erasure_deletes_the_persons_eml_files(app, organiser_client, irts):
    zoe = registered(irts)
    queue_already_registered(irts.id, zoe.email)
    registered(irts, "Lina", "Haddad", "lina@example.org")
    db.session.commit()  # which sends them
    token = zoe.token
    assert mail.deliver_pending() == (0, 0)
    assert sum(b"zoe@example.org" in raw for raw in eml_files(app).values()) == 2

    response = organiser_client.post(detail_url(irts, zoe, "effacer"), follow_redirects=True)
    assert "Effacement fait : 1 inscription(s) et 2 e-mail(s) supprimés." in text_of(
        response.get_data(as_text=True))

    [kept] = eml_files(app).values()
    assert b"lina@example.org" in kept
    assert b"zoe@example.org" not in kept and token.encode() not in kept


def cannot_delete(message_ids):
    raise OSError(13, "Permission denied")


def test_an_erasure_whose_files_cannot_be_deleted_is_still_done(
        app, organiser_client, irts, monkeypatch, caplog):
    """The files go once the erasure is committed: an error there is logged, and
    neither undoes the erasure nor turns it into an error page."""
    zoe = registered(irts)  # whose commit sends the confirmation
    assert len(eml_files(app)) == 1
    monkeypatch.setattr("journee.mail_personal_data.delete_files", cannot_delete)

    response = organiser_client.post(detail_url(irts, zoe, "effacer"))

    assert response.status_code == 302
    db.session.expire_all()
    assert count(Registration, email="zoe@example.org") == 0
    assert count(OutboxMessage) == 0
    assert "Fichiers .eml non supprimés après l’effacement." in caplog.text
    assert len(eml_files(app)) == 1  # left to MAIL_FILE_RETENTION_DAYS


def test_the_self_erasure_is_done_when_its_files_cannot_be_deleted(
        app, client, irts, monkeypatch):
    zoe = registered(irts)  # whose commit sends the confirmation
    assert len(eml_files(app)) == 1
    monkeypatch.setattr("journee.mail_personal_data.delete_files", cannot_delete)

    response = client.post(f"/r/{zoe.token}/supprimer")

    assert response.status_code == 302
    assert count(Registration, email="zoe@example.org") == 0


def test_an_erasure_rolled_back_keeps_the_files(app, irts):
    from journee.data_owners import erase

    zoe = registered(irts)  # whose commit sends the confirmation
    assert len(eml_files(app)) == 1
    erase([zoe])
    db.session.rollback()
    db.session.commit()  # a later commit in the same session deletes nothing either

    assert count(Registration, email="zoe@example.org") == 1
    assert len(eml_files(app)) == 1


def test_the_purge_deletes_the_eml_files_of_the_people_it_anonymises(app, irts, runner):
    registered(irts)
    registered(irts, "Lina", "Haddad", "lina@example.org")
    mail.queue_email("test", "camille@example.org", "Essai", "Bonjour.")  # no registration
    queue_link_request("lina@example.org")  # asked from the form: tied to no registration
    db.session.commit()  # which sends them
    assert mail.deliver_pending() == (0, 0)

    dry_run = runner.invoke(args=["purge", "--dry-run"])
    assert "Fichiers .eml supprimés : 0" in dry_run.output
    assert len(eml_files(app)) == 4

    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "Fichiers .eml supprimés : 3" in result.output
    [kept] = eml_files(app).values()
    assert b"camille@example.org" in kept
    assert db.session.scalars(db.select(OutboxMessage.to_address)).all() \
        == ["camille@example.org"]


def test_eml_files_go_after_their_retention_period(app, irts):
    app.config["MAIL_FILE_RETENTION_DAYS"] = 10
    for n in range(3):
        mail.queue_email("test", f"personne{n}@example.org", "Essai", "Bonjour.")
    db.session.commit()  # which sends them
    assert mail.deliver_pending() == (0, 0)
    names = sorted(eml_files(app))
    directory = Path(app.config["MAIL_FILE_DIR"])
    for name, age in zip(names, (11, 9, 0)):
        moment = time.time() - age * 86400
        os.utime(directory / name, (moment, moment))

    report = purge(date(2018, 1, 1))  # no event is due: only the files' age counts
    db.session.commit()

    assert report["mail_files_deleted"] == 1
    assert sorted(eml_files(app)) == names[1:]
    assert "Fichiers .eml supprimés : 1" in report.lines()


def test_sent_messages_lose_their_text_after_a_week_and_keep_what_lists_show(app, irts):
    old, recent = (mail.queue_email("test", f"{name}@example.org", "Essai", "Bonjour.")
                   for name in ("ancien", "recent"))
    db.session.commit()  # which sends them
    assert mail.deliver_pending() == (0, 0)
    app.config["MAIL_DELIVER_AFTER_COMMIT"] = False  # the next one stays pending
    waiting = mail.queue_email("test", "attente@example.org", "Essai", "Bonjour.")
    old.sent_at = utcnow() - timedelta(days=8)
    recent.sent_at = utcnow() - timedelta(days=6)
    waiting.created_at = utcnow() - timedelta(days=30)
    db.session.commit()

    report = purge(date(2018, 1, 1))
    db.session.commit()

    assert report["message_bodies_dropped"] == 1
    db.session.expire_all()
    assert old.message is None
    assert (old.kind, old.status, old.subject, old.to_address) == (
        "test", OutboxStatus.SENT, "Essai", "ancien@example.org")
    assert old.sent_at is not None and old.created_at is not None
    assert recent.message is not None and waiting.message is not None
    assert waiting.status == OutboxStatus.PENDING
    assert mail.deliver_pending() == (1, 0)  # the waiting one still goes


def test_messages_of_no_registration_go_with_their_files_after_90_days(app, irts):
    """Facilitator links, password resets, link requests: no registration's retention
    period removes their recipient and subject, so their own does."""
    zoe = registered(irts)
    old, recent = (mail.queue_email("password_reset", f"{name}@example.org", "Essai",
                                    "Bonjour.") for name in ("ancien", "recent"))
    db.session.commit()  # which sends them
    assert mail.deliver_pending() == (0, 0)
    app.config["MAIL_DELIVER_AFTER_COMMIT"] = False  # the next one stays pending
    stuck = mail.queue_email("link_request", "bloque@example.org", "Essai", "Bonjour.")
    [of_zoe] = db.session.scalars(select(OutboxMessage).filter_by(registration_id=zoe.id))
    for message, age in ((old, 91), (recent, 89), (of_zoe, 200)):
        message.sent_at = utcnow() - timedelta(days=age)
    stuck.created_at = utcnow() - timedelta(days=120)
    db.session.commit()

    report = purge(date(2018, 1, 1))  # no event is due
    db.session.commit()

    assert report["other_messages_deleted"] == 2 and report["mail_files_deleted"] == 1
    assert "E-mails sans inscription supprimés : 2" in report.lines()
    kept = set(db.session.scalars(select(OutboxMessage.id)))
    assert kept == {recent.id, of_zoe.id}
    files = b"".join(eml_files(app).values())
    assert b"recent@example.org" in files and b"zoe@example.org" in files
    assert b"ancien@example.org" not in files
    assert purge(date(2018, 1, 1))["other_messages_deleted"] == 0


def test_the_event_purge_deletes_the_facilitator_links_messages_and_files(
        app, organiser_client, irts):
    person = irts.workshop_sessions[0].workshops[0].facilitators[0].person
    person.email = "animatrice@example.org"
    db.session.commit()
    organiser_client.post(f"/admin/journees/{irts.id}/animateurs/{person.id}/creer")
    [message] = db.session.scalars(select(OutboxMessage))
    assert message.status == OutboxStatus.SENT and message.facilitator_link_id is not None
    assert any(b"animatrice@example.org" in eml for eml in eml_files(app).values())

    report = purge(DAY + timedelta(days=91))
    db.session.commit()

    assert report["links_deleted"] == 1 and report["messages_deleted"] == 1
    assert count(FacilitatorLink) == 0 and count(OutboxMessage) == 0
    assert eml_files(app) == {}


def test_anonymisation_keeps_only_the_listed_sectors(app, irts):
    typed = registered(irts, sector="Foyer Les Tilleuls, chez Mme Durand")
    listed = registered(irts, "Lina", "Haddad", "lina@example.org", sector="Handicap adulte")
    none = registered(irts, "Léon", "Petit", "leon@example.org", sector="")

    purge(DAY + timedelta(days=91))
    db.session.commit()

    db.session.expire_all()
    assert (typed.sector, listed.sector, none.sector) == ("Autre", "Handicap adulte", "")
    assert count(Registration, sector="Foyer Les Tilleuls, chez Mme Durand") == 0


# Dates out of range ------------------------------------------------------------------------

ETSUP = "travail-social-2-0-etsup-2018"


def test_an_event_dated_9999_breaks_neither_its_pages_nor_the_purge(app, client, irts, demo):
    """Dates saved before they were checked (or written into the database by hand)."""
    from journee.registration.services import Attendee, register

    zoe = registered(irts)
    etsup = demo[ETSUP]
    db.session.execute(update(Event).where(Event.id == etsup.id).values(
        starts_on=date(9999, 12, 31), ends_on=date(9999, 12, 31), registration_opens_on=None,
        registration_deadline=date(9999, 12, 31)))
    db.session.commit()
    db.session.expire_all()
    far = register(etsup.id, Attendee(first_name="Inès", last_name="Martin",
                                      profile="professional", email="ines@example.org"),
                   today=today_in())
    db.session.commit()

    for url in (f"/e/{ETSUP}/", f"/e/{ETSUP}/register", f"/r/{far.token}"):
        assert client.get(url).status_code == 200, url
    assert "31\u00a0décembre 9999" in client.get(f"/e/{ETSUP}/register").get_data(as_text=True)
    for url in (f"/e/{ETSUP}/programme.ics", f"/r/{far.token}/calendar.ics"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert Calendar.from_ical(response.data).walk("VEVENT")

    report = purge(today_in())
    db.session.commit()

    assert report.problems == [] and report["registrations_anonymised"] == 1
    db.session.expire_all()
    assert zoe.anonymised_at is not None and far.email == "ines@example.org"


def unreadable(event) -> tuple[int, str]:
    """Give the event a date Python cannot read (PostgreSQL stores it, SQLite too)."""
    found = event.id, event.title
    db.session.execute(text(
        "UPDATE event SET starts_on = '10000-01-01', ends_on = '10000-01-01', "
        "registration_opens_on = NULL, registration_deadline = NULL WHERE id = :id"),
        {"id": event.id})
    db.session.commit()
    db.session.expunge_all()
    return found


def test_purge_reports_an_event_it_cannot_read_and_purges_the_others(app, irts, demo,
                                                                       runner):
    zoe_id = registered(irts).id
    event_id, title = unreadable(demo[ETSUP])

    result = runner.invoke(args=["purge"])

    assert result.exit_code == 1
    assert "Inscriptions anonymisées : 1" in result.stdout
    [problem] = result.stderr.splitlines()
    title = " ".join(title.split())  # the report keeps it on one line
    assert problem.startswith(f"Journée n°\u00a0{event_id} «\u202f{title}\u202f» non traitée\u202f: ")
    assert db.session.get(Registration, zoe_id).anonymised_at is not None


def test_the_periodic_purge_reports_an_event_it_cannot_read_and_purges_the_others(
        app, irts, demo, runner, caplog):
    zoe_id = registered(irts).id
    event_id, title = unreadable(demo[ETSUP])

    result = runner.invoke(args=["tick"])

    assert result.exit_code == 1
    assert text_of(result.stderr).startswith(text_of(
        f"Purge des données (durées de conservation) : échec : Journée n°\u00a0{event_id} "
        f"«\u202f{title}\u202f» non traitée\u202f: "))
    assert db.session.get(Registration, zoe_id).anonymised_at is not None
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert any(text_of(m).startswith(text_of(
        f"Tâche périodique retention-purge en échec : Journée n° {event_id} « {title} » "
        "non traitée : ")) for m in errors), errors
