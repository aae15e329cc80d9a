"""Door check-in per day on an event of two days: the paper half-days, the completion
certificates, the desk of the second day, undoing, two phones at once, the migration."""

from __future__ import annotations

import threading
from datetime import date, datetime

import pytest
from sqlalchemy import select
from support.documents import pdf_text
from support.pages import text_of

from journee.attendance.models import DoorCheckIn
from journee.attendance.services import half_day_signatures as signing
from journee.attendance.services import presence
from journee.attendance.services.completion import completion_certificates_pdf, recipient
from journee.attendance.services.half_day_presence import (
    attended_half_days,
    half_days_attended_by,
)
from journee.attendance.services.half_day_signatures import Signer
from journee.attendance.services.presence import mark_present, undo_presence
from journee.attendance.services.signin import half_days
from journee.branding.models import LegalIdentity
from journee.extensions import db
from journee.programme.models import Event, Session, SessionKind
from journee.registration.models import Profile, Registration, RegistrationStatus

pytestmark = pytest.mark.postgres

THURSDAY, FRIDAY = date(2018, 3, 15), date(2018, 3, 16)
STAFF = "organisatrice@example.org"


@pytest.fixture
def event(app):
    """Thursday 9 h – 12 h 30 and 14 h – 17 h 30, Friday 9 h – 12 h, all on paper."""
    event = Event(slug="deux-jours", title="Accompagner l’enfance en danger",
                  starts_on=THURSDAY, ends_on=FRIDAY, venue_city="Rouen")
    db.session.add(event)
    for kind, start, end in (
            (SessionKind.PLENARY, datetime(2018, 3, 15, 9), datetime(2018, 3, 15, 12, 30)),
            (SessionKind.LUNCH, datetime(2018, 3, 15, 12, 30), datetime(2018, 3, 15, 14)),
            (SessionKind.ROUND_TABLE, datetime(2018, 3, 15, 14), datetime(2018, 3, 15, 17, 30)),
            (SessionKind.PLENARY, datetime(2018, 3, 16, 9), datetime(2018, 3, 16, 12))):
        event.sessions.append(Session(kind=kind, title=kind.value, starts_at=start,
                                      ends_at=end))
    db.session.add(LegalIdentity(
        legal_name="IRTS-IDS Normandie", address="3 rue Gustave Flaubert\n76380 Canteleu",
        siret="77567227200021", nda="28760123476", nda_region="Normandie",
        representative_name="Marie Durand", representative_role="directrice générale",
        city="Canteleu"))
    db.session.commit()
    return event


def person(event, first, last) -> Registration:
    registration = Registration(event_id=event.id, status=RegistrationStatus.CONFIRMED,
                                first_name=first, last_name=last, organisation="MECS",
                                profile=Profile.PROFESSIONAL)
    db.session.add(registration)
    db.session.commit()
    return registration


@pytest.fixture
def zoe(event):
    """Came on Thursday only."""
    zoe = person(event, "Zoé", "Lefèvre")
    mark_present(zoe, STAFF, day=THURSDAY)
    db.session.commit()
    return zoe


@pytest.fixture
def ali(event):
    """Came on both days."""
    ali = person(event, "Ali", "Ben Salah")
    mark_present(ali, STAFF, day=THURSDAY)
    mark_present(ali, STAFF, day=FRIDAY)
    db.session.commit()
    return ali


def records(registration) -> list[date]:
    return list(db.session.scalars(select(DoorCheckIn.day).where(
        DoorCheckIn.registration_id == registration.id).order_by(DoorCheckIn.day)))


@pytest.fixture
def on_friday(monkeypatch):
    """The desk's « today » is Friday, the event's second day."""
    for module in ("journee.attendance.services.presence", "journee.attendance.admin.checkin"):
        monkeypatch.setattr(f"{module}.today_in", lambda timezone="Europe/Paris": FRIDAY)


# Paper half-days and certificates ----------------------------------------------------------

def labels(halves) -> list[tuple[date, str]]:
    return [(half.day, half.label) for half in halves]


def test_paper_half_days_count_only_the_days_each_person_came(event, zoe, ali):
    thursday = [(THURSDAY, "Matin"), (THURSDAY, "Après-midi")]
    attended = attended_half_days(event)
    assert labels(attended[zoe.id]) == thursday
    assert labels(attended[ali.id]) == thursday + [(FRIDAY, "Matin")]
    assert labels(half_days_attended_by(zoe)) == thursday
    assert labels(half_days_attended_by(ali)) == thursday + [(FRIDAY, "Matin")]


def test_completion_certificates_say_the_hours_of_the_days_attended(event, zoe, ali):
    zoe_text = pdf_text(completion_certificates_pdf(event, [recipient(zoe)], today=FRIDAY))
    ali_text = pdf_text(completion_certificates_pdf(event, [recipient(ali)], today=FRIDAY))
    assert "Zoé" in zoe_text and "Assiduité du stagiaire : 7 heures réalisées." in zoe_text
    assert "Ali" in ali_text and "Assiduité du stagiaire : 10 heures réalisées." in ali_text


def test_an_attested_half_day_marks_the_day_it_belongs_to(event, zoe):
    friday_morning = half_days(event)[-1]
    signing.attest(event, friday_morning, Signer(registration=zoe), "Paul Martin", "",
                   STAFF, now=datetime(2018, 3, 16, 8, 30))  # 9 h 30 in Rouen
    db.session.commit()
    assert records(zoe) == [THURSDAY, FRIDAY]
    first = db.session.scalar(select(DoorCheckIn.at).where(
        DoorCheckIn.registration_id == zoe.id, DoorCheckIn.day == THURSDAY))
    assert db.session.get(Registration, zoe.id).checked_in_at == first


# The desk on the second day -----------------------------------------------------------------

@pytest.fixture
def desk(event, make_user, login):
    return login(make_user(events=[event])), f"/admin/journees/{event.id}/accueil"


def test_the_desk_on_friday_shows_who_came_on_thursday_and_marks_them_for_friday(
        on_friday, desk, event, zoe):
    client, url = desk
    page = text_of(client.get(url, query_string={"q": "zoé"}).get_data(as_text=True))
    assert "Venu·e le jeudi 15 mars 2018" in page and "Marquer présent·e" in page
    assert "Présent·e depuis" not in page
    assert "Présent·es : 0 sur 1 attendu·es" in page
    thursday_time = db.session.get(Registration, zoe.id).checked_in_at

    response = client.post(f"{url}/{zoe.id}/present", data={"q": "zoé"},
                           follow_redirects=True)
    page = text_of(response.get_data(as_text=True))
    assert "Zoé Lefèvre est marqué·e présent·e." in page
    assert "Présent·e depuis" in page and "Venu·e le jeudi 15 mars 2018" in page
    assert "Présent·es : 1 sur 1 attendu·es" in page
    assert records(zoe) == [THURSDAY, FRIDAY]
    db.session.expire_all()
    assert db.session.get(Registration, zoe.id).checked_in_at == thursday_time
    assert client.get(f"{url}/compteurs").get_json()["present"] == 1


def test_undo_on_friday_keeps_thursday(on_friday, desk, event, ali):
    client, url = desk
    thursday_time = db.session.get(Registration, ali.id).checked_in_at
    response = client.post(f"{url}/{ali.id}/annuler", follow_redirects=True)
    assert "La présence de Ali Ben Salah est annulée." in text_of(
        response.get_data(as_text=True))
    assert records(ali) == [THURSDAY]
    db.session.expire_all()
    ali = db.session.get(Registration, ali.id)
    assert (ali.checked_in_at, ali.checked_in_by) == (thursday_time, STAFF)
    # Nothing left to undo on Friday: Thursday stays.
    assert undo_presence(ali) is False and records(ali) == [THURSDAY]


def test_after_the_event_the_organiser_ticks_each_day_on_the_certificates_page(
        desk, event, zoe, ali):
    """From the paper sheets, after the event: one box per person and day. Zoé, who came
    on Thursday only, is ticked on Friday too by mistake, then not; Ali's Thursday is
    unticked and his Friday kept; the certificate's hours follow."""
    client, _ = desk
    url = f"/admin/journees/{event.id}/attestations"
    html = client.get(url).get_data(as_text=True).replace("\u00a0", " ")
    page = text_of(html)
    assert "Présent·e le jeudi 15 mars 2018" in page
    assert "Présent·e le vendredi 16 mars 2018" in page
    assert "Une case par jour" in page
    assert (f'name="present-2018-03-15" value="{zoe.id}" id="present-{zoe.id}-2018-03-15"'
            " checked") in html
    assert (f'name="present-2018-03-16" value="{zoe.id}" id="present-{zoe.id}-2018-03-16">'
            in html)
    assert f'<label for="present-{ali.id}-2018-03-16" class="visually-hidden">Ali Ben ' \
           "Salah présent·e le vendredi 16 mars 2018</label>" in html

    listed = [zoe.id, ali.id]
    drawn = {"was_present-2018-03-15": listed, "was_present-2018-03-16": [ali.id]}
    response = client.post(f"{url}/presences", follow_redirects=True, data={
        "listed": listed, **drawn,
        "present-2018-03-15": [zoe.id], "present-2018-03-16": [zoe.id, ali.id]})
    assert ("Présences enregistrées : 1 journée de présence ajoutée, 1 journée retirée."
            in text_of(response.get_data(as_text=True)).replace("\u00a0", " "))
    assert records(zoe) == [THURSDAY, FRIDAY] and records(ali) == [FRIDAY]
    db.session.expire_all()
    assert [half.day for half in half_days_attended_by(
        db.session.get(Registration, ali.id))] == [FRIDAY]

    # The mistake put right: Friday unticked for Zoé, Thursday kept.
    client.post(f"{url}/presences", data={
        "listed": listed, "was_present-2018-03-15": [zoe.id],
        "was_present-2018-03-16": listed, "present-2018-03-15": [zoe.id],
        "present-2018-03-16": [ali.id]})
    assert records(zoe) == [THURSDAY] and records(ali) == [FRIDAY]


def test_a_day_ticked_after_the_certificate_left_sends_the_corrected_one(desk, event, zoe,
                                                                         ali):
    """Zoé's completion certificate (Thursday only) was e-mailed; the organiser then
    ticks her Friday from the paper sheet: the corrected certificate leaves, and the page
    says so. Ali, whose certificate never left, gets nothing."""
    from journee.mail_models import OutboxMessage

    zoe = db.session.get(Registration, zoe.id)
    zoe.email = "zoe@example.org"
    zoe.completion_certificate_sent_at = datetime(2018, 3, 17, 9)
    ali = db.session.get(Registration, ali.id)
    ali.email = "ali@example.org"
    db.session.commit()
    client, _ = desk
    url = f"/admin/journees/{event.id}/attestations"
    response = client.post(f"{url}/presences", follow_redirects=True, data={
        "listed": [zoe.id, ali.id], "was_present-2018-03-15": [zoe.id, ali.id],
        "was_present-2018-03-16": [ali.id], "present-2018-03-15": [zoe.id, ali.id],
        "present-2018-03-16": [zoe.id, ali.id]})
    page = text_of(response.get_data(as_text=True)).replace("\u00a0", " ")
    assert ("Certificat de réalisation déjà envoyé : la version corrigée est renvoyée par "
            "e-mail à 1 personne.") in page
    queued = db.session.execute(select(OutboxMessage.to_address).where(
        OutboxMessage.kind == "completion_certificate")).scalars().all()
    assert queued == ["zoe@example.org"]
    assert records(zoe) == [THURSDAY, FRIDAY]


def test_checked_in_at_follows_the_earliest_record_left(event):
    """Marked on Friday first, then Thursday noted afterwards: undoing Friday moves « came
    at least once » to Thursday's record; undoing that one too clears it."""
    lina = person(event, "Lina", "Haddad")
    mark_present(lina, "vendredi@example.org", day=FRIDAY)
    db.session.commit()
    friday_time = lina.checked_in_at
    mark_present(lina, "jeudi@example.org", day=THURSDAY)
    db.session.commit()
    assert lina.checked_in_at == friday_time
    assert undo_presence(lina, FRIDAY) is True
    db.session.commit()
    thursday_time = db.session.scalar(select(DoorCheckIn.at).where(
        DoorCheckIn.registration_id == lina.id))
    assert (lina.checked_in_at, lina.checked_in_by) == (thursday_time, "jeudi@example.org")
    assert undo_presence(lina, THURSDAY) is True
    db.session.commit()
    assert (lina.checked_in_at, lina.checked_in_by) == (None, None)
    assert records(lina) == []


def test_a_day_outside_the_event_marks_the_nearest_day_of_the_programme(event):
    assert presence.desk_day(event, date(2018, 3, 14)) == THURSDAY
    assert presence.desk_day(event, FRIDAY) == FRIDAY
    assert presence.desk_day(event, date(2026, 12, 5)) == FRIDAY


def test_two_phones_marking_at_once_keep_one_record(app, event):
    registration_id = person(event, "Zoé", "Lefèvre").id
    barrier = threading.Barrier(2, timeout=10)
    outcomes: list[bool] = []

    def scan(staff):
        with app.app_context():
            registration = db.session.get(Registration, registration_id)
            barrier.wait()
            outcomes.append(mark_present(registration, staff, day=FRIDAY))
            db.session.commit()

    threads = [threading.Thread(target=scan, args=(f"{name}@example.org",))
               for name in ("un", "deux")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [False, True]
    db.session.expire_all()
    [record] = db.session.scalars(select(DoorCheckIn).where(
        DoorCheckIn.registration_id == registration_id)).all()
    registration = db.session.get(Registration, registration_id)
    assert (registration.checked_in_at, registration.checked_in_by) == (record.at, record.by)


# The migration ------------------------------------------------------------------------------

def test_upgrade_gives_each_checked_in_registration_the_record_of_its_day(
        app_factory, migrated_database, tmp_path):
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import inspect, text

    from journee.demo import load_demo

    app = app_factory(SQLALCHEMY_DATABASE_URI=migrated_database.empty(tmp_path))
    with app.app_context():
        upgrade(revision="18a0000a001")
        event_id = load_demo(original_dates=True)[0].id
        db.session.commit()
        # The IRTS-IDS day of 15 March 2018, made to last until Friday.
        db.session.execute(text("UPDATE event SET ends_on = :friday WHERE id = :id"),
                           {"friday": FRIDAY, "id": event_id})
        insert = text(
            "INSERT INTO registration (event_id, token_digest, status, first_name, last_name,"
            " organisation, function, profile, sector, accommodation_needed,"
            " privacy_version, consent_photos, consent_future_events, source, created_at,"
            " updated_at, checked_in_at, checked_in_by) VALUES (:event_id, :token,"
            " 'confirmed', :first, 'Martin', '', '', 'student', '', false, 'v1', false,"
            " false, 'online', :now, :now, :at, :by)")
        now = datetime(2018, 2, 1, 9, 0)
        db.session.execute(insert, [
            {"event_id": event_id, "token": "t1", "first": "Zoé", "now": now,
             "at": datetime(2018, 3, 15, 8, 5), "by": "accueil@example.org"},
            # 0 h 30 on Friday in Paris, still Thursday in UTC.
            {"event_id": event_id, "token": "t2", "first": "Ali", "now": now,
             "at": datetime(2018, 3, 15, 23, 30), "by": "nuit@example.org"},
            {"event_id": event_id, "token": "t3", "first": "Paul", "now": now,
             "at": None, "by": None}])
        db.session.commit()
        db.session.remove()

        upgrade()

        rows = db.session.execute(text(
            "SELECT registration.first_name, door_check_in.day, door_check_in.at,"
            " door_check_in.by FROM door_check_in JOIN registration"
            " ON registration.id = door_check_in.registration_id"
            " ORDER BY registration.first_name")).all()
        assert [(first, str(day)[:10], str(at)[:16], by) for first, day, at, by in rows] == [
            ("Ali", "2018-03-16", "2018-03-15 23:30", "nuit@example.org"),
            ("Zoé", "2018-03-15", "2018-03-15 08:05", "accueil@example.org")]
        db.session.remove()

        downgrade(revision="18a0000a001")
        assert "door_check_in" not in inspect(db.engine).get_table_names()
        db.session.remove()


# Personal data --------------------------------------------------------------------------------

def test_door_records_are_exported_erased_and_lose_who_at_the_purge(event, zoe, ali):
    from datetime import timedelta

    from journee import data_owners
    from journee.gdpr.purge import purge

    exported = data_owners.person_data(ali)["inscription"]["presences_a_l_accueil"]
    assert [item["jour"] for item in exported] == ["2018-03-15", "2018-03-16"]

    data_owners.erase([zoe])
    db.session.commit()
    assert db.session.scalars(select(DoorCheckIn.registration_id)).all() == [ali.id] * 2

    purge(FRIDAY + timedelta(days=event.retention_days + 1))
    db.session.commit()
    # The days stay for the counts; who marked them goes, as ``checked_in_by`` does.
    assert [(row.day, row.by) for row in db.session.scalars(
        select(DoorCheckIn).order_by(DoorCheckIn.day))] == [(THURSDAY, None), (FRIDAY, None)]


def test_the_half_days_cost_the_same_queries_for_two_people_or_twenty(app, event, zoe, ali):
    from sqlalchemy import event as sql_event

    def statements(function) -> int:
        seen = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        db.session.expire_all()
        sql_event.listen(db.engine, "before_cursor_execute", listener)
        try:
            function()
        finally:
            sql_event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    few = statements(lambda: attended_half_days(db.session.get(Event, event.id)))
    one = statements(lambda: half_days_attended_by(db.session.get(Registration, ali.id)))
    for number in range(18):
        someone = person(event, f"Personne{number}", "Martin")
        mark_present(someone, STAFF, day=THURSDAY if number % 2 else FRIDAY)
    db.session.commit()
    assert len(attended_half_days(event)) == 20
    assert statements(lambda: attended_half_days(db.session.get(Event, event.id))) == few
    assert statements(lambda: half_days_attended_by(
        db.session.get(Registration, ali.id))) == one
