"""Operations: one function makes a change, queues its e-mails and writes its audit
entry, whoever calls it (a view, the CLI, a test)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from journee.audit.log import ATTENDEE
from journee.audit.models import AuditEntry
from journee.extensions import db
from journee.mail_models import OutboxMessage, OutboxStatus
from journee.registration import operations, services
from journee.registration.models import Registration, RegistrationStatus

OPEN_DAY = date(2018, 2, 1)
BASE_URL = "http://journee.test"
ORGANISER = "Organisateur·rice organisatrice@example.org"


def attendee(first: str, email: str | None) -> services.Attendee:
    return services.Attendee(first_name=first, last_name="Martin", profile="professional",
                             email=email, privacy_version="test")


def entries(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).filter_by(action=action)
                                   .order_by(AuditEntry.id)))


def messages(kind: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).filter_by(kind=kind)
                                   .order_by(OutboxMessage.id)))


@pytest.fixture
def full_day(irts):
    """One place: Zoé holds it, Lina waits."""
    irts.capacity = 1
    irts.waitlist_enabled = True
    zoe = services.register(irts.id, attendee("Zoé", "zoe@example.org"), OPEN_DAY)
    lina = services.register(irts.id, attendee("Lina", "lina@example.org"), OPEN_DAY)
    db.session.commit()
    assert (zoe.status, lina.status) == (RegistrationStatus.CONFIRMED,
                                         RegistrationStatus.WAITLISTED)
    return irts, zoe, lina


def test_cancel_called_directly_promotes_notifies_and_logs(full_day, make_user):
    event, zoe, lina = full_day
    organiser = make_user(events=[event])

    promoted = operations.cancel_registration(zoe, base_url=BASE_URL, by=organiser)
    db.session.commit()

    assert promoted.id == lina.id
    assert db.session.get(Registration, zoe.id).status == RegistrationStatus.CANCELLED
    assert db.session.get(Registration, lina.id).status == RegistrationStatus.CONFIRMED
    [notice] = messages("promotion")
    assert notice.to_address == "lina@example.org"
    assert notice.status == OutboxStatus.SENT  # the commit sent it
    [entry] = entries("organiser.cancel_registration")
    assert (entry.actor, entry.event_id) == (ORGANISER, event.id)
    assert entry.target == f"Inscription n°\u00a0{zoe.id}\u202f; n°\u00a0{lina.id} prend la place libérée"


@pytest.mark.parametrize("by_staff", [False, True])
def test_erase_called_directly_deletes_promotes_notifies_and_logs(full_day, make_user,
                                                                  by_staff):
    event, zoe, lina = full_day
    number = zoe.id
    organiser = make_user(events=[event]) if by_staff else None

    erasure = operations.erase([zoe], base_url=BASE_URL, by=organiser)
    db.session.commit()

    assert erasure.registrations == 1
    assert db.session.get(Registration, number) is None
    assert db.session.scalar(select(Registration).filter_by(email="zoe@example.org")) is None
    assert db.session.get(Registration, lina.id).status == RegistrationStatus.CONFIRMED
    [notice] = messages("promotion")
    assert (notice.to_address, notice.status) == ("lina@example.org", OutboxStatus.SENT)
    action = "organiser.erase_person" if by_staff else "attendee.erase_self"
    [entry] = entries(action)
    assert entry.actor == (ORGANISER if by_staff else ATTENDEE)
    assert (entry.event_id, entry.rows) == (event.id, 1)
    assert entry.target.endswith(f"n°\u00a0{number}") and "Zoé" not in entry.target


def test_register_called_directly_writes_the_row_its_e_mail_and_its_entry(irts):
    registration = operations.register(irts, attendee("Zoé", "zoe@example.org"), OPEN_DAY,
                                       base_url=BASE_URL)
    db.session.commit()

    assert registration.status == RegistrationStatus.CONFIRMED
    [confirmation] = messages("confirmation")
    assert (confirmation.registration_id, confirmation.status) == (registration.id,
                                                                   OutboxStatus.SENT)
    [entry] = entries("attendee.register")
    assert entry.target == f"Inscription n°\u00a0{registration.id}"
    assert entry.actor.startswith("La personne inscrite")


def test_a_refused_operation_queues_and_logs_nothing(full_day, make_user):
    event, zoe, lina = full_day
    with pytest.raises(services.EventFull):
        operations.promote(lina, base_url=BASE_URL, by=make_user(events=[event]))
    db.session.rollback()

    assert messages("promotion") == [] and entries("organiser.promote_registration") == []


def detail_url(event, registration, action):
    return f"/admin/journees/{event.id}/inscriptions/{registration.id}/{action}"


def test_staff_cancel_restore_and_promote_are_logged_with_their_actor(full_day, make_user,
                                                                       login):
    event, zoe, lina = full_day
    client = login(make_user(events=[event]))

    assert client.post(detail_url(event, zoe, "annuler")).status_code == 302
    assert client.post(detail_url(event, zoe, "retablir")).status_code == 302
    # Lina took the place: Zoé is back on the waiting list, then Lina leaves.
    assert db.session.get(Registration, zoe.id).status == RegistrationStatus.WAITLISTED
    client.post(detail_url(event, lina, "annuler"))
    db.session.expire_all()
    assert db.session.get(Registration, zoe.id).status == RegistrationStatus.CONFIRMED
    client.post(detail_url(event, lina, "retablir"))
    event.capacity = 2
    db.session.commit()
    assert client.post(detail_url(event, lina, "confirmer")).status_code == 302

    logged = [(e.action, e.actor, e.target) for e in db.session.scalars(
        select(AuditEntry).where(AuditEntry.action.not_like("%view%"))
        .order_by(AuditEntry.id))]
    assert logged == [
        ("organiser.cancel_registration", ORGANISER,
         f"Inscription n°\u00a0{zoe.id}\u202f; n°\u00a0{lina.id} prend la place libérée"),
        ("organiser.restore_registration", ORGANISER, f"Inscription n°\u00a0{zoe.id}"),
        ("organiser.cancel_registration", ORGANISER,
         f"Inscription n°\u00a0{lina.id}\u202f; n°\u00a0{zoe.id} prend la place libérée"),
        ("organiser.restore_registration", ORGANISER, f"Inscription n°\u00a0{lina.id}"),
        ("organiser.promote_registration", ORGANISER, f"Inscription n°\u00a0{lina.id}"),
    ]
    assert all(entry.event_id == event.id for entry in entries("organiser.cancel_registration"))


def test_the_attendee_cancelling_from_their_link_is_logged_as_themself(full_day, client,
                                                                       monkeypatch):
    event, zoe, lina = full_day
    monkeypatch.setattr("journee.registration.views.today_in", lambda timezone: OPEN_DAY)
    response = client.post(f"/r/{zoe.token}/annuler")
    assert response.status_code == 302

    [entry] = entries("attendee.cancel_self")
    assert (entry.actor, entry.event_id) == (ATTENDEE, event.id)
    assert entry.target == f"Inscription n°\u00a0{zoe.id}\u202f; n°\u00a0{lina.id} prend la place libérée"
    [notice] = messages("promotion")
    assert (notice.to_address, notice.status) == ("lina@example.org", OutboxStatus.SENT)


def test_publishing_called_directly_e_mails_and_logs(irts, make_user):
    from journee.programme.models import SessionKind
    from journee.registration.models import Assignment, AssignmentSource
    from journee.workshops import services as workshops
    from journee.workshops.models import AssignmentPublication

    organiser = make_user(events=[irts])
    slot = next(s for s in irts.sessions if s.kind == SessionKind.WORKSHOPS)
    zoe = services.register(irts.id, attendee("Zoé", "zoe@example.org"), OPEN_DAY)
    db.session.add(Assignment(registration_id=zoe.id, session_id=slot.id,
                              workshop_id=slot.workshops[0].id,
                              source=AssignmentSource.ORGANISER))
    db.session.commit()

    assert workshops.publish(slot, BASE_URL, by=organiser).notices == 1
    db.session.commit()

    [notice] = messages("assignment")
    assert (notice.to_address, notice.status) == ("zoe@example.org", OutboxStatus.SENT)
    [entry] = entries("organiser.publish_assignment")
    assert (entry.actor, entry.event_id, entry.rows) == (ORGANISER, irts.id, 1)
    assert entry.target == workshops.slot_label(slot)
    publication = db.session.scalar(select(AssignmentPublication))
    assert publication.published_by == organiser.email


def test_registering_on_site_called_directly_confirms_and_logs(irts, make_user):
    from journee.attendance import operations as desk

    staff = make_user(events=[irts])
    registration = desk.register_on_site(irts, attendee("Zoé", "zoe@example.org"),
                                         base_url=BASE_URL, by=staff)
    db.session.commit()

    assert registration.checked_in_at is not None
    assert registration.checked_in_by == staff.email
    [confirmation] = messages("confirmation")
    assert confirmation.status == OutboxStatus.SENT
    [entry] = entries("checkin.on_site")
    assert (entry.actor, entry.target) == (ORGANISER, f"Inscription n°\u00a0{registration.id}")

    assert desk.undo_check_in(registration, by=staff)
    assert not desk.undo_check_in(registration, by=staff)
    db.session.commit()
    assert len(entries("checkin.undo")) == 1
