"""« Le programme a changé »: a session's times or room, or a workshop's room, changed in a
published day are told to the people concerned, once, within the hour, with their
calendar updated; read as a real SMTP server receives them."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from email.message import EmailMessage

import pytest
from icalendar import Calendar
from sqlalchemy import func, select
from support.pages import text_of
from support.registration import add, slot_of
from support.runners import run_twice_at_once
from support.smtp import sending_to

from journee import tasks
from journee.extensions import db
from journee.mail import deliver_pending
from journee.mail_models import OutboxMessage
from journee.programme import updates
from journee.programme.models import (
    EventStatus,
    ProgrammeChange,
    ProgrammeChangeItem,
    Room,
    WorkshopMode,
)
from journee.registration import programme_notices
from journee.registration.models import (
    ProgrammeChangeNotice,
    Registration,
    RegistrationStatus,
)

NBSP = "\u00a0"
FIRST_EDIT = datetime(2018, 3, 1, 9, 0)
"""UTC, two weeks before the IRTS-IDS day (Thursday 15 March 2018, Europe/Paris)."""
REGISTERED = datetime(2018, 2, 1, 9, 0)
PLENARY = "Technologies numériques et travail social"


@pytest.fixture
def app(app_factory, smtp):
    """Messages stay queued until the test delivers them to the SMTP server."""
    app = app_factory(**sending_to(smtp, after_commit=False))
    with app.app_context():
        yield app


@pytest.fixture
def clock(monkeypatch):
    """The organisers edit on 1 March 2018; ``clock.now`` moves on."""

    class Clock:
        now = FIRST_EDIT

    monkeypatch.setattr(updates, "utcnow", lambda: Clock.now)
    monkeypatch.setattr(updates, "today_in", lambda timezone: Clock.now.date())
    return Clock


@pytest.fixture
def day(irts, clock):
    """The IRTS-IDS day in first-come mode (each person holds a workshop), with people:
    two with a workshop in a room, one without an address, one cancelled, one waiting."""
    irts.workshop_mode = WorkshopMode.FIRST_COME
    db.session.commit()
    workshops = [w for w in slot_of(irts).workshops if w.room is not None]
    first, second = workshops[0], workshops[1]
    people = {
        "aicha": add(irts, "Aïcha", "N’Diaye", "aicha@example.org", choices=[first]),
        "bruno": add(irts, "Bruno", "Petit", "bruno@example.org", choices=[second]),
        "paper": add(irts, "Chloé", "Sans-Adresse", None, choices=[first]),
        "gone": add(irts, "Denis", "Annulé", "denis@example.org", choices=[first]),
        "waiting": add(irts, "Eve", "Attente", "eve@example.org", choices=[first]),
    }
    people["gone"].status = RegistrationStatus.CANCELLED
    people["waiting"].status = RegistrationStatus.WAITLISTED
    for registration in people.values():
        registration.created_at = REGISTERED
    db.session.commit()
    return {"event": irts, "first": first, "second": second, **people}


def plenary(event):
    return next(s for s in event.sessions if s.title == PLENARY)


def room(event, name):
    return next(r for r in event.rooms if r.name == name)


def edit_form(session, **overrides):
    data = {"kind": session.kind.value, "title": session.title,
            "description": session.description, "day": "2018-03-15",
            "start": f"{session.starts_at:%H:%M}",
            "end": f"{session.ends_at:%H:%M}" if session.ends_at else "",
            "room_id": str(session.room_id or 0), "confirm": "y"}
    data.update(overrides)
    return data


def save(client, event, session, **overrides) -> str:
    """Save the session form and return the text of the page it leads to."""
    url = f"/admin/journees/{event.id}/seances/{session.id}/modifier"
    response = client.post(url, data=edit_form(session, **overrides))
    assert response.status_code == 302, text_of(response.get_data(as_text=True))
    db.session.expire_all()
    return text_of(client.get(response.headers["Location"]).get_data(as_text=True))


def notice_count() -> int:
    return db.session.scalar(select(func.count(OutboxMessage.id))
                             .where(OutboxMessage.kind == "programme_change"))


def received(smtp, address) -> list[EmailMessage]:
    return [m for m in smtp.messages if m["To"] == address]


def plain(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content().replace(NBSP, " ")


def calendar_of(message: EmailMessage) -> dict[str, tuple[int, object, str]]:
    """SEQUENCE, start and location per UID of the attached calendar."""
    [part] = [p for p in message.iter_attachments()
              if p.get_content_type() == "text/calendar"]
    return {str(e["uid"]): (int(e["sequence"]), e.decoded("dtstart"), str(e["location"]))
            for e in Calendar.from_ical(part.get_content()).walk("VEVENT")}


def send_at(minutes_after_first_edit: int) -> int:
    return programme_notices.queue_programme_notices(
        FIRST_EDIT + timedelta(minutes=minutes_after_first_edit))


def test_a_burst_of_edits_makes_one_notice_within_the_hour(
        app, smtp, day, organiser_client, clock):
    event, aicha = day["event"], day["aicha"]
    plenary_session = plenary(event)
    before = calendar_of(_reminder_like_calendar(aicha, smtp))

    page = save(organiser_client, event, plenary_session, start="09:30", end="10:45")
    assert ("2 personnes inscrites concernées par ce changement d’horaire ou de salle "
            "seront prévenues par e-mail dans l’heure.") in page.replace(NBSP, " ")
    clock.now = FIRST_EDIT + timedelta(minutes=20)
    page = save(organiser_client, event, plenary(event),
                room_id=str(room(event, "Salle 1").id))
    assert "2 personnes inscrites concernées" in page.replace(NBSP, " ")

    assert send_at(30) == 0  # still gathering
    assert send_at(54) == 0
    assert send_at(56) == 2
    assert send_at(57) == 0 and send_at(120) == 0
    deliver_pending()

    assert [m["To"] for m in smtp.messages].count("aicha@example.org") == 2
    [notice] = [m for m in received(smtp, "aicha@example.org")
                if "Changement de programme" in m["Subject"]]
    assert notice["Subject"].replace(NBSP, " ") == f"Changement de programme : {event.title}"
    text = plain(notice)
    assert f"Conférence plénière « {PLENARY} »" in text
    assert "- horaire : 9 h 15 – 10 h 30 → 9 h 30 – 10 h 45" in text
    assert "- salle : Amphithéâtre → Salle 1" in text
    assert text.count("Conférence plénière") == 1  # both edits in one line of the notice
    assert "/r/" in text  # their own page, as in every e-mail of their registration
    assert "Google Agenda" in text

    after = calendar_of(notice)
    assert after.keys() == before.keys()
    assert all(after[uid][0] > before[uid][0] for uid in before)
    uid = f"{plenary(event).uid}@"
    [moved] = [value for key, value in after.items() if key.startswith(uid)]
    assert moved[1].hour == 9 and moved[1].minute == 30 and moved[2].startswith("Salle 1")
    assert [m["To"] for m in smtp.messages if "Changement" in m["Subject"]] == [
        "aicha@example.org", "bruno@example.org"]


def _reminder_like_calendar(registration, smtp) -> EmailMessage:
    """The calendar the person has before the change: their confirmation's."""
    from journee.registration.emails import queue_registration_confirmation

    queue_registration_confirmation(registration, "http://journee.test")
    db.session.commit()
    deliver_pending()
    return received(smtp, registration.email)[-1]


def test_a_change_undone_tells_no_one(app, smtp, day, organiser_client):
    event = day["event"]
    save(organiser_client, event, plenary(event), start="09:30", end="10:45")
    page = save(organiser_client, event, plenary(event), start="09:15", end="10:30")
    assert ("Les horaires et les salles sont revenus à leur état précédent : aucun e-mail "
            "ne sera envoyé aux personnes inscrites.") in page.replace("\u202f", " ")
    assert send_at(56) == 0
    assert notice_count() == 0
    change = db.session.scalar(select(ProgrammeChange))
    assert change.finished_at is not None


def test_a_workshop_room_tells_only_its_people(app, smtp, day):
    """Changed straight on the model, as any editing page would: recorded all the same."""
    first = day["first"]
    old_name = first.room.name
    first.room = db.session.scalar(select(Room).where(Room.event_id == day["event"].id,
                                                      Room.name == "Amphithéâtre"))
    db.session.commit()
    [item] = db.session.scalars(select(ProgrammeChangeItem)).all()
    assert item.workshop_id == first.id and item.old_room_name == old_name

    assert send_at(56) == 1
    deliver_pending()
    [notice] = smtp.messages
    assert notice["To"] == "aicha@example.org"
    text = plain(notice)
    assert f"{first.label.replace(NBSP, ' ')}" in text
    assert f"- salle : {item.old_room_name} → Amphithéâtre" in text
    assert "horaire" not in text.split("Le programme de votre journée")[0]


def test_edits_after_the_notice_make_another_one(app, smtp, day, clock):
    session = plenary(day["event"])
    session.starts_at = session.starts_at.replace(minute=30)
    db.session.commit()
    assert send_at(56) == 2

    clock.now = FIRST_EDIT + timedelta(minutes=70)
    session = plenary(day["event"])
    session.ends_at = session.ends_at.replace(minute=45)
    db.session.commit()
    assert send_at(100) == 0
    assert send_at(127) == 2
    deliver_pending()
    texts = [plain(m) for m in received(smtp, "bruno@example.org")]
    assert "9 h 15 – 10 h 30 → 9 h 30 – 10 h 30" in texts[0]
    assert "9 h 30 – 10 h 30 → 9 h 30 – 10 h 45" in texts[1]


def test_nothing_for_a_draft_or_once_the_day_is_over(app, smtp, day, clock):
    event = day["event"]
    event.status = EventStatus.DRAFT
    db.session.commit()
    plenary(event).starts_at = datetime(2018, 3, 15, 9, 30)
    db.session.commit()
    assert db.session.scalar(select(func.count(ProgrammeChangeItem.id))) == 0

    event.status = EventStatus.PUBLISHED
    db.session.commit()
    clock.now = datetime(2018, 3, 16, 9, 0)
    plenary(event).starts_at = datetime(2018, 3, 15, 9, 45)
    db.session.commit()
    assert db.session.scalar(select(func.count(ProgrammeChangeItem.id))) == 0

    # Recorded the day before, but the round comes once the day is over: nobody is told.
    clock.now = datetime(2018, 3, 14, 9, 0)
    plenary(event).starts_at = datetime(2018, 3, 15, 9, 15)
    db.session.commit()
    assert programme_notices.queue_programme_notices(datetime(2018, 3, 15, 23, 30)) == 0
    assert notice_count() == 0


def test_someone_cancelled_before_the_round_gets_nothing(app, smtp, day):
    plenary(day["event"]).room = None
    db.session.commit()
    day["bruno"].status = RegistrationStatus.CANCELLED
    db.session.commit()
    assert send_at(56) == 1
    deliver_pending()
    assert [m["To"] for m in smtp.messages] == ["aicha@example.org"]


def test_a_crash_mid_round_leaves_the_rest_for_the_next_one(app, smtp, day, monkeypatch):
    plenary(day["event"]).room = None
    db.session.commit()
    original = programme_notices.queue_programme_notice
    calls = []

    def crash_on_the_second(*args):
        calls.append(args[0].id)
        original(*args)
        if len(calls) == 2:
            raise RuntimeError("worker killed")

    monkeypatch.setattr(programme_notices, "queue_programme_notice", crash_on_the_second)
    with pytest.raises(RuntimeError):
        send_at(56)
    db.session.rollback()
    assert notice_count() == 1

    monkeypatch.setattr(programme_notices, "queue_programme_notice", original)
    assert send_at(61) == 1  # after a restart: only the one not queued
    assert send_at(66) == 0
    deliver_pending()
    assert sorted(m["To"] for m in smtp.messages) == ["aicha@example.org",
                                                      "bruno@example.org"]


def test_two_runners_at_once_queue_each_notice_once(app, day, monkeypatch):
    """Two apps on one database, each in its thread, both past the query of who is
    concerned before either claims anything."""
    plenary(day["event"]).room = None
    db.session.commit()
    counts = run_twice_at_once(app, monkeypatch, programme_notices, "audience",
                               lambda: send_at(56))
    assert sorted(counts) == [0, 2] or sorted(counts) == [1, 1]
    db.session.expire_all()
    assert notice_count() == 2
    assert sorted(db.session.execute(
        select(Registration.email)
        .join(ProgrammeChangeNotice, ProgrammeChangeNotice.registration_id == Registration.id)
    ).scalars()) == ["aicha@example.org", "bruno@example.org"]


def test_the_job_is_registered_and_runs_from_the_runner(app_factory, monkeypatch):
    from journee.demo import load_demo

    assert programme_notices.PROGRAMME_NOTICE_JOB not in {
        job.name for job in tasks.registered(app_factory())}
    app = app_factory(PROGRAMME_NOTICE_INTERVAL_SECONDS=300)
    assert programme_notices.PROGRAMME_NOTICE_JOB in {
        job.name for job in tasks.registered(app)}
    monkeypatch.setattr(updates, "utcnow", lambda: FIRST_EDIT)
    monkeypatch.setattr(updates, "today_in", lambda timezone: date(2018, 3, 1))
    monkeypatch.setattr(programme_notices, "utcnow",
                        lambda: FIRST_EDIT + timedelta(hours=1))
    with app.app_context():
        event = next(e for e in load_demo(original_dates=True)
                     if e.slug == "travail-social-epreuve-numerique-2018")
        add(event, "Aïcha", "N’Diaye", "aicha@example.org")
        plenary(event).room = None
        db.session.commit()
        outcome = tasks.run_now(programme_notices.PROGRAMME_NOTICE_JOB)
        assert not outcome.failed
        assert outcome.summary == "1 avis de changement de programme mis en file."
        assert (tasks.run_now(programme_notices.PROGRAMME_NOTICE_JOB).summary
                == "aucun changement de programme à annoncer.")
        db.session.remove()


def test_several_items_changed_at_once_make_one_change(app, smtp, day):
    """A timetable that moves two sessions and a workshop in one save."""
    event = day["event"]
    plenary(event).starts_at = datetime(2018, 3, 15, 9, 30)
    round_table = next(s for s in event.sessions if s.kind.value == "round_table")
    round_table.room = None
    day["second"].room = None
    db.session.commit()
    [change] = db.session.scalars(select(ProgrammeChange)).all()
    assert len(change.items) == 3

    assert send_at(56) == 2
    deliver_pending()
    bruno = plain(received(smtp, "bruno@example.org")[0])
    aicha = plain(received(smtp, "aicha@example.org")[0])
    assert "- horaire : 9 h 15 – 10 h 30 → 9 h 30 – 10 h 30" in bruno
    assert "- salle : Amphithéâtre → non précisée" in bruno
    assert day["second"].label.replace(NBSP, " ") in bruno
    # In the order of the day: the plenary, the workshop, then the round table.
    assert (bruno.index(PLENARY) < bruno.index(day["second"].label.replace(NBSP, " "))
            < bruno.index("Table ronde"))
    assert day["second"].label.replace(NBSP, " ") not in aicha and "Table ronde" in aicha


def test_the_event_s_own_text_opens_the_notice_and_the_changes_stay(
        app, smtp, day, organiser_client):
    event, aicha = day["event"], day["aicha"]
    texts = f"/admin/journees/{event.id}/messages/automatiques/programme_change"
    response = organiser_client.post(texts, data={
        "subject": "Du nouveau pour {prénom} : {journée}",
        "body": "{prénom}, l’horaire de votre journée a bougé."})
    assert response.status_code == 302

    save(organiser_client, event, plenary(event), start="09:30", end="10:45")
    assert send_at(56) == 2
    deliver_pending()
    [notice] = [m for m in received(smtp, aicha.email) if "Du nouveau" in m["Subject"]]
    assert text_of(notice["Subject"]) == f"Du nouveau pour Aïcha : {text_of(event.title)}"
    text = plain(notice)
    assert "Aïcha, l’horaire de votre journée a bougé." in text
    assert "a changé pour vous" not in text
    # What the app adds whatever the text: the change itself and the calendar.
    assert "- horaire : 9 h 15 – 10 h 30 → 9 h 30 – 10 h 45" in text
    assert [p.get_content_type() for p in notice.iter_attachments()] == ["text/calendar"]
