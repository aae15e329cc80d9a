"""Every change an attendee makes, or staff make for them, is confirmed by e-mail with
their updated calendar: same UIDs, a higher SEQUENCE each time, and a cancellation that
cancels. The e-mails are read as a real SMTP server receives them."""

from email.message import EmailMessage

import pytest
from icalendar import Calendar
from sqlalchemy import select
from support.pages import text_of
from support.registration import (
    detail_url,
    register,
    registration_by_email,
    slot_of,
    valid_data,
)
from support.smtp import sending_to

from journee.audit.models import AuditEntry
from journee.extensions import db

#: Today is 1 February 2018 for the registration views (``registration_open``).
pytestmark = pytest.mark.usefixtures("registration_open")

ZOE = "zoe.martin@example.org"
NBSP = "\u00a0"


@pytest.fixture
def app(app_factory, smtp):
    """An app as deployed: each commit sends what it queued to the SMTP server."""
    app = app_factory(**sending_to(smtp))
    with app.app_context():
        yield app


def received(smtp, address: str = ZOE) -> list[EmailMessage]:
    return [m for m in smtp.messages if m["To"] == address]


def calendar_of(message: EmailMessage) -> Calendar:
    [part] = [p for p in message.iter_attachments()
              if p.get_content_type() == "text/calendar"]
    return Calendar.from_ical(part.get_content())


def vevents(calendar: Calendar) -> dict[str, tuple[int, str]]:
    """SEQUENCE and STATUS per UID."""
    return {str(e["uid"]): (int(e["sequence"]), str(e["status"]))
            for e in calendar.walk("VEVENT")}


def subject(message: EmailMessage) -> str:
    """No-break spaces as plain ones: a folded header keeps only the latter."""
    return message["Subject"].lstrip().replace(NBSP, " ")


def prose(text: str) -> str:
    """Long lines unfolded, no-break spaces as plain ones."""
    return " ".join(text.replace(NBSP, " ").split())


def text(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def edit_data(event, **overrides) -> dict:
    data = valid_data(event, **overrides)
    for name in ("privacy", "website"):
        data.pop(name, None)
    return data


def entries(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


@pytest.fixture
def zoe(client, irts, smtp):
    assert register(client, irts).status_code == 302
    [confirmation] = received(smtp)
    assert subject(confirmation) == f"Inscription confirmée : {irts.title}"
    return registration_by_email(ZOE)


def test_each_change_is_confirmed_with_the_same_events_in_a_newer_sequence(
        client, irts, zoe, smtp):
    first = vevents(calendar_of(received(smtp)[0]))
    slot = slot_of(irts)
    w = slot.workshops
    response = client.post(f"/r/{zoe.token}/modifier", data=edit_data(irts, **{
        "organisation": "MECS Les Tilleuls", f"atelier_{slot.id}_1": str(w[5].id)}))
    assert response.status_code == 302

    [_, change] = received(smtp)
    assert subject(change) == f"Vos modifications pour « {irts.title} » sont enregistrées"
    body = text(change)
    assert f"Structure{NBSP}: IRTS-IDS Normandie → MECS Les Tilleuls" in body
    then = " ; ".join((f"1. {w[2].label}", f"2. {w[0].label}", f"3. {w[4].label}"))
    now = " ; ".join((f"1. {w[5].label}", f"2. {w[0].label}", f"3. {w[4].label}"))
    assert prose(f"Ateliers (10 h 45 – 12 h 30) : {then} → {now}") in prose(body)
    assert "Téléphone" not in body.split("VOTRE INSCRIPTION")[0]  # only what changed
    # The personal link, and no other secret link.
    assert body.count("/r/") == 1 and f"/r/{zoe.token}" in body
    second = vevents(calendar_of(change))
    assert second.keys() == first.keys()
    assert all(second[uid][0] > first[uid][0] for uid in first)
    assert {status for _, status in second.values()} == {"CONFIRMED"}

    assert client.post(f"/r/{zoe.token}/modifier", data=edit_data(irts, **{
        "organisation": "MECS Les Tilleuls", "lunch": "non",
        f"atelier_{slot.id}_1": str(w[5].id)})).status_code == 302
    [*_, again] = received(smtp)
    body = text(again)
    assert f"Déjeuner sur place{NBSP}: oui → non" in body and "Structure" not in \
        body.split("VOTRE INSCRIPTION")[0]
    third = vevents(calendar_of(again))
    assert third.keys() == first.keys()
    assert all(third[uid][0] > second[uid][0] for uid in first)

    # The download from the personal page is that latest calendar.
    download = Calendar.from_ical(client.get(f"/r/{zoe.token}/calendar.ics").data)
    assert vevents(download) == third

    [entry, _] = entries("attendee.change_self")
    assert entry.target.startswith(f"Inscription n°\u00a0{zoe.id} (Structure, Ateliers")


def test_a_post_that_changes_nothing_sends_nothing(client, irts, zoe, smtp):
    response = client.post(f"/r/{zoe.token}/modifier", data=edit_data(irts))
    assert response.status_code == 302
    assert len(received(smtp)) == 1
    assert entries("attendee.change_self") == []
    assert registration_by_email(ZOE).calendar_sequence == 0


def test_accommodation_needs_are_said_changed_but_never_written(client, irts, zoe, smtp):
    irts.ask_accommodation = True
    db.session.commit()
    assert client.post(f"/r/{zoe.token}/modifier", data=edit_data(
        irts, accommodation_needed="oui", accommodation_details="Fauteuil roulant",
        accommodation_consent="y")).status_code == 302
    [_, change] = received(smtp)
    assert f"Besoins d’aménagement{NBSP}: modifiés (non repris dans ce message)" in \
        text(change)
    assert "Fauteuil" not in change.as_string()


def test_cancellation_sends_the_calendar_that_cancels(client, irts, zoe, smtp):
    client.post(f"/r/{zoe.token}/modifier", data=edit_data(
        irts, organisation="MECS Les Tilleuls"))
    [first, change] = received(smtp)
    uids = vevents(calendar_of(first)).keys()
    last = vevents(calendar_of(change))

    response = client.post(f"/r/{zoe.token}/annuler")
    assert response.status_code == 302
    [*_, cancellation] = received(smtp)
    assert subject(cancellation) == f"Inscription annulée : {irts.title}"
    body = text(cancellation)
    assert "est annulée" in body and "d’annuler votre inscription" not in body
    calendar = calendar_of(cancellation)
    assert str(calendar["method"]) == "CANCEL"
    cancelled = vevents(calendar)
    assert cancelled.keys() == uids
    assert all(status == "CANCELLED" for _, status in cancelled.values())
    assert all(cancelled[uid][0] > last[uid][0] for uid in uids)
    [part] = cancellation.iter_attachments()
    assert part.get_param("method") == "CANCEL"
    assert len(entries("attendee.cancel_self")) == 1


def test_staff_edit_is_confirmed_too(make_user, login, irts, zoe, smtp):
    staff = login(make_user(events=[irts]))
    first = vevents(calendar_of(received(smtp)[0]))
    data = edit_data(irts, function="Éducatrice spécialisée")
    response = staff.post(detail_url(irts, zoe, "modifier"), data=data)
    assert response.status_code == 302, text_of(response.get_data(as_text=True))

    [_, change] = received(smtp)
    assert (f"Fonction{NBSP}: Étudiante éducatrice spécialisée → Éducatrice spécialisée"
            in text(change))
    second = vevents(calendar_of(change))
    assert second.keys() == first.keys()
    assert all(second[uid][0] > first[uid][0] for uid in first)
    [entry] = entries("organiser.change_registration")
    assert entry.target == f"Inscription n°\u00a0{zoe.id} (Fonction)"

    # Saved again unchanged: nothing sent, nothing logged.
    assert staff.post(detail_url(irts, zoe, "modifier"), data=data).status_code == 302
    assert len(received(smtp)) == 2
    assert len(entries("organiser.change_registration")) == 1


def test_a_waitlisted_person_gets_the_summary_without_a_calendar(client, irts, smtp):
    irts.capacity = 0
    irts.waitlist_enabled = True
    db.session.commit()
    assert register(client, irts).status_code == 302
    zoe = registration_by_email(ZOE)
    assert client.post(f"/r/{zoe.token}/modifier", data=edit_data(
        irts, organisation="MECS Les Tilleuls")).status_code == 302
    [_, change] = received(smtp)
    assert "Structure" in text(change)
    assert not [p for p in change.iter_attachments()
                if p.get_content_type() == "text/calendar"]


def test_the_published_workshop_updates_the_calendar_too(client, irts, zoe, smtp,
                                                         make_user):
    from journee.registration.models import Assignment, AssignmentSource
    from journee.workshops import services as workshops

    first = vevents(calendar_of(received(smtp)[0]))
    slot = slot_of(irts)
    db.session.add(Assignment(registration_id=zoe.id, session_id=slot.id,
                              workshop_id=slot.workshops[0].id,
                              source=AssignmentSource.ORGANISER))
    db.session.commit()
    workshops.publish(slot, "http://journee.test", by=make_user(events=[irts]))
    db.session.commit()

    [_, notice] = received(smtp)
    published = vevents(calendar_of(notice))
    kept = first.keys() & published.keys()
    assert len(kept) == len(first) - 1  # the slot became the workshop
    assert all(published[uid][0] > first[uid][0] for uid in kept)

    assert client.post(f"/r/{zoe.token}/modifier", data=edit_data(
        irts, organisation="MECS Les Tilleuls")).status_code == 302
    [*_, change] = received(smtp)
    changed = vevents(calendar_of(change))
    assert changed.keys() == published.keys()
    assert all(changed[uid][0] > published[uid][0] for uid in published)


def test_a_first_come_workshop_left_is_cancelled_in_the_calendar(client, irts, smtp):
    from journee.programme.models import WorkshopMode

    irts.workshop_mode = WorkshopMode.FIRST_COME
    db.session.commit()
    slot = slot_of(irts)
    w = slot.workshops
    one = {f"atelier_{slot.id}_{rank}": None for rank in (1, 2, 3)}
    assert register(client, irts, **one,
                    **{f"atelier_{slot.id}": str(w[2].id)}).status_code == 302
    zoe = registration_by_email(ZOE)
    [confirmation] = received(smtp)
    first = vevents(calendar_of(confirmation))
    left = next(uid for uid in first if uid.startswith(f"{w[2].uid}@"))

    assert client.post(f"/r/{zoe.token}/modifier", data=edit_data(
        irts, **one, **{f"atelier_{slot.id}": str(w[5].id)})).status_code == 302
    [_, change] = received(smtp)
    changed = vevents(calendar_of(change))
    assert changed[left][1] == "CANCELLED" and changed[left][0] > first[left][0]
    taken = next(uid for uid in changed if uid.startswith(f"{w[5].uid}@"))
    assert changed[taken][1] == "CONFIRMED"
    assert all(changed[uid][0] > first[uid][0] for uid in first)
