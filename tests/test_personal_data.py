"""GDPR by design: retention and purge, a person's data export, erasure on request."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from conftest import text_of
from registration_helpers import slot_of
from sqlalchemy import func, select
from test_registration_admin import add, detail_url

from journee.audit.models import AuditEntry
from journee.extensions import db
from journee.facilitation.models import FacilitatorLink
from journee.gdpr.purge import purge
from journee.mail_models import OutboxMessage
from journee.registration.emails import queue_registration_confirmation
from journee.registration.models import Registration, RegistrationStatus, WorkshopChoice
from journee.workshops.models import Assignment, AssignmentSource

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
    assert purge(DAY + timedelta(days=7)).accommodation_cleared == 0
    db.session.commit()
    report = purge(DAY + timedelta(days=8))
    db.session.commit()
    assert report.accommodation_cleared == 1 and report.registrations_anonymised == 0
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
    assert report.registrations_anonymised == 2
    assert report.messages_deleted == 2 and report.links_deleted == 1
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
    assert again.registrations_anonymised == 0 and again.messages_deleted == 0
    assert again.accommodation_cleared == 0


def test_audit_entries_older_than_a_year_are_purged(app, irts):
    now = datetime(2026, 11, 23, 12, 0)
    db.session.add_all([
        AuditEntry(at=now - timedelta(days=366), actor="Organisateur·rice a@b.fr",
                   action="facilitator.view_list", event_id=irts.id),
        AuditEntry(at=now - timedelta(days=30), actor="Organisateur·rice a@b.fr",
                   action="facilitator.view_list", event_id=irts.id)])
    db.session.commit()
    assert purge(date(2026, 11, 23), now=now).audit_entries_deleted == 1
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
