"""Signing per half-day: the window and its tolerance, one record per person and
half-day (even under a double submit), attested presence, presence at the door fed both
ways, and the rule of :func:`attended_half_days`."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from support.registration import add
from support.signatures import blank_png, data_url, signature_png

from journee.attendance import operations
from journee.attendance.models import HalfDaySignature
from journee.attendance.services import half_day_signatures as signing
from journee.attendance.services.half_day_presence import (
    attended_half_days,
    half_days_attended_by,
)
from journee.attendance.services.half_day_signatures import (
    AlreadySigned,
    BadSignatureImage,
    OutsideWindow,
    Signer,
)
from journee.attendance.services.presence import NotConfirmed, mark_present
from journee.attendance.services.signin import half_days
from journee.extensions import db
from journee.programme.models import Event
from journee.registration.models import Registration, RegistrationStatus

# The IRTS-IDS day, 15 March 2018 in Paris (UTC+1): morning 8 h 30 – 12 h 30, afternoon
# 14 h – 17 h 15. Times below are UTC, as stored.
MORNING_9H12 = datetime(2018, 3, 15, 8, 12)


@pytest.fixture
def zoe(irts):
    return add(irts, "Zoé", "Lefèvre", "zoe@example.org")


def morning(event):
    return half_days(event)[0]


def afternoon(event):
    return half_days(event)[1]


def count(model=HalfDaySignature) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_signature_is_stored_with_its_time_and_collector_and_marks_present(irts, zoe):
    png = signature_png()
    signing.sign(irts, morning(irts), Signer(registration=zoe), png, "accueil@example.org",
                 now=MORNING_9H12)
    db.session.commit()
    row = db.session.scalar(select(HalfDaySignature))
    assert (row.registration_id, row.person_id, row.image, row.signed_at, row.collected_by,
            row.attested_by) == (zoe.id, None, png, MORNING_9H12, "accueil@example.org", None)
    assert row.half_day_start == datetime(2018, 3, 15, 0, 0)  # the morning's key
    assert zoe.checked_in_at is not None and zoe.checked_in_by == "accueil@example.org"


@pytest.mark.parametrize(("now", "message"), [
    (datetime(2018, 3, 15, 6, 59), "Il est trop tôt pour signer\u202f: l’émargement pour le "
     "matin du jeudi 15\u00a0mars 2018 ouvre le jeudi 15\u00a0mars 2018 à 8\u00a0h."),
    (datetime(2018, 3, 15, 12, 1), "Il est trop tard pour signer\u202f: l’émargement pour le "
     "matin du jeudi 15\u00a0mars 2018 a fermé le jeudi 15\u00a0mars 2018 à 13\u00a0h."),
])
def test_outside_the_window_is_refused_saying_when(irts, zoe, now, message):
    with pytest.raises(OutsideWindow) as refused:
        signing.sign(irts, morning(irts), Signer(registration=zoe), signature_png(), "x",
                     now=now)
    assert str(refused.value) == message
    db.session.rollback()
    assert count() == 0
    assert db.session.get(Registration, zoe.id).checked_in_at is None


def test_the_window_edges_and_the_tolerance_setting(irts, zoe):
    signer = Signer(registration=zoe)
    # 8 h local (7 h UTC): the default 30 minutes before 8 h 30.
    signing.check_window(irts, morning(irts), datetime(2018, 3, 15, 7, 0))
    signing.check_window(irts, morning(irts), datetime(2018, 3, 15, 12, 0))
    irts.signin_tolerance_minutes = 5
    db.session.commit()
    with pytest.raises(OutsideWindow, match="ouvre le jeudi 15\u00a0mars 2018 à 8\u00a0h\u00a025"):
        signing.sign(irts, morning(irts), signer, signature_png(), "x",
                     now=datetime(2018, 3, 15, 7, 0))
    db.session.rollback()
    signing.sign(irts, morning(irts), signer, signature_png(), "x",
                 now=datetime(2018, 3, 15, 7, 25))
    db.session.commit()
    assert count() == 1


def test_open_half_day_follows_the_clock(irts):
    assert signing.open_half_day(irts, MORNING_9H12) == morning(irts)
    assert signing.open_half_day(irts, datetime(2018, 3, 15, 12, 10)) is None
    assert signing.next_half_day(irts, datetime(2018, 3, 15, 12, 10)) == afternoon(irts)
    assert signing.open_half_day(irts, datetime(2018, 3, 15, 13, 0)) == afternoon(irts)


def test_a_second_signature_for_the_same_half_day_is_refused_in_french(irts, zoe):
    signer = Signer(registration=zoe)
    signing.sign(irts, morning(irts), signer, signature_png(), "x", now=MORNING_9H12)
    db.session.commit()
    with pytest.raises(AlreadySigned) as refused:
        signing.sign(irts, morning(irts), signer, signature_png(seed=3), "y",
                     now=datetime(2018, 3, 15, 9, 40))
    db.session.rollback()
    assert str(refused.value) == "Zoé Lefèvre a déjà signé pour ce matin à 9\u00a0h\u00a012."
    with pytest.raises(AlreadySigned, match="ce matin à 9\u00a0h\u00a012"):
        signing.attest(irts, morning(irts), signer, "Paul Accueil", "", "y",
                       now=datetime(2018, 3, 15, 9, 40))
    db.session.rollback()
    # The afternoon is another half-day.
    signing.sign(irts, afternoon(irts), signer, signature_png(), "x",
                 now=datetime(2018, 3, 15, 13, 5))
    db.session.commit()
    assert count() == 2


def test_a_double_submit_at_the_same_moment_leaves_one_row(app, irts, zoe):
    event_id, registration_id = irts.id, zoe.id
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit():
        with app.app_context():
            event = db.session.get(Event, event_id)
            registration = db.session.get(Registration, registration_id)
            half = morning(event)
            barrier.wait()
            try:
                signing.sign(event, half, Signer(registration=registration), signature_png(),
                             "x", now=MORNING_9H12)
                db.session.commit()
                outcomes.append("signed")
            except AlreadySigned:
                db.session.rollback()
                outcomes.append("refused")

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "signed"]
    assert count() == 1


def test_attested_presence_keeps_who_attested_and_why(irts, zoe):
    operations.attest_half_day(irts, morning(irts), Signer(registration=zoe),
                               attested_by="Paul Martin", reason="", collected_by="acc@x.org",
                               actor="Organisateur·rice acc@x.org", now=MORNING_9H12)
    db.session.commit()
    row = db.session.scalar(select(HalfDaySignature))
    assert (row.image, row.attested_by, row.reason) == (None, "Paul Martin",
                                                       "signature impossible")
    assert db.session.get(Registration, zoe.id).checked_in_at is not None


def test_the_image_must_be_a_drawn_png(irts):
    assert signing.image_from_data_url(data_url(signature_png())) == signature_png()
    for value, message in [("", "Aucune signature"), ("data:image/jpeg;base64,AAAA", "pas pu être lue"),
                           ("data:image/png;base64,@@@", "pas pu être lue"),
                           (data_url(b"\x89PNG\r\n\x1a\nnot really"), "pas une image lisible"),
                           (data_url(blank_png()), "La signature est vide")]:
        with pytest.raises(BadSignatureImage, match=message):
            signing.image_from_data_url(value)


def test_a_waitlisted_person_cannot_sign(irts, zoe):
    zoe.status = RegistrationStatus.WAITLISTED
    db.session.commit()
    with pytest.raises(NotConfirmed):
        signing.sign(irts, morning(irts), Signer(registration=zoe), signature_png(), "x",
                     now=MORNING_9H12)
    db.session.rollback()
    assert count() == 0


def test_a_facilitator_signs_once_per_half_day(irts):
    slot = irts.workshop_sessions[0]
    person = slot.workshops[0].facilitators[0].person
    signer = Signer(person=person)
    signing.sign(irts, morning(irts), signer, signature_png(), "Benoît CESSELIN",
                 now=MORNING_9H12)
    db.session.commit()
    with pytest.raises(AlreadySigned, match=f"{person.full_name} a déjà signé"):
        signing.sign(irts, morning(irts), signer, signature_png(), "x", now=MORNING_9H12)
    db.session.rollback()
    assert db.session.scalar(select(HalfDaySignature.person_id)) == person.id


def test_attended_half_days_signed_or_attested(irts, zoe):
    other = add(irts, "Łukasz", "Żółć", "lukasz@example.org")
    door_only = add(irts, "Seán", "O’Brien", "sean@example.org")
    mark_present(door_only, "accueil")
    signing.sign(irts, morning(irts), Signer(registration=zoe), signature_png(), "x",
                 now=MORNING_9H12)
    signing.attest(irts, afternoon(irts), Signer(registration=other), "Paul", "", "x",
                   now=datetime(2018, 3, 15, 13, 5))
    db.session.commit()
    assert attended_half_days(irts) == {zoe.id: [morning(irts)], other.id: [afternoon(irts)]}
    # One person's own reading, as their page asks it, says the same.
    assert half_days_attended_by(zoe) == [morning(irts)]
    assert half_days_attended_by(other) == [afternoon(irts)]
    assert half_days_attended_by(door_only) == []


def test_without_any_record_a_door_check_in_attends_every_half_day(irts, zoe):
    absent = add(irts, "Łukasz", "Żółć", "lukasz@example.org")
    mark_present(zoe, "accueil")
    db.session.commit()
    attended = attended_half_days(irts)
    assert attended == {zoe.id: half_days(irts)}
    assert absent.id not in attended
    assert half_days_attended_by(zoe) == half_days(irts)
    assert half_days_attended_by(absent) == []


def test_a_half_day_without_any_digital_record_went_on_paper(irts, zoe):
    """The tablet in the morning, the paper sheet in the afternoon: the morning counts
    its signatures, the afternoon everyone checked in at the door."""
    door_only = add(irts, "Seán", "O’Brien", "sean@example.org")
    never_came = add(irts, "Amira", "Haddad", "amira@example.org")
    mark_present(door_only, "accueil")
    signing.sign(irts, morning(irts), Signer(registration=zoe), signature_png(), "x",
                 now=MORNING_9H12)
    db.session.commit()

    assert attended_half_days(irts) == {zoe.id: half_days(irts),
                                        door_only.id: [afternoon(irts)]}
    assert half_days_attended_by(zoe) == half_days(irts)
    assert half_days_attended_by(door_only) == [afternoon(irts)]
    assert half_days_attended_by(never_came) == []


def test_a_day_without_sessions_is_attended_by_nobody(irts, zoe):
    """A second day left empty in the programme has half-days without hours: nothing to
    attend there, whether the first day went on paper or not."""
    irts.ends_on = irts.ends_on + timedelta(days=1)
    mark_present(zoe, "accueil")
    db.session.commit()
    assert len(half_days(irts)) == 4 and half_days(irts)[-1].starts_at is None
    assert attended_half_days(irts) == {zoe.id: [morning(irts), afternoon(irts)]}
    assert half_days_attended_by(zoe) == [morning(irts), afternoon(irts)]


def test_erasure_removes_the_persons_signatures_and_export_shows_them(irts, zoe):
    from journee.data_owners import erase, person_data

    other = add(irts, "Łukasz", "Żółć", "lukasz@example.org")
    for person, collector in ((zoe, "accueil@irts.example.org"), (other, "Inès Facilitatrice")):
        signing.sign(irts, morning(irts), Signer(registration=person), signature_png(),
                     collector, now=MORNING_9H12)
    db.session.commit()
    exported = person_data(zoe)["emargement"]
    assert [item["signe_le"] for item in exported] == ["2018-03-15T08:12:00"]
    # Collected at reception: the staff's team, not their account's address.
    assert [item["recueilli_par"] for item in exported] == ["l’équipe de la journée"]
    assert [item["recueilli_par"] for item in person_data(other)["emargement"]] == [
        "Inès Facilitatrice"]
    assert exported[0]["signature_png_base64"]
    erase([zoe])
    db.session.commit()
    assert db.session.scalars(select(HalfDaySignature.registration_id)).all() == [other.id]


def test_the_retention_purge_deletes_the_events_signatures(irts, zoe):
    from datetime import date

    from journee.gdpr.purge import purge

    signing.sign(irts, morning(irts), Signer(registration=zoe), signature_png(), "x",
                 now=MORNING_9H12)
    db.session.commit()
    assert purge(date(2018, 3, 20))["half_day_signatures"] == 0
    report = purge(date(2018, 6, 20))
    db.session.commit()
    assert report["half_day_signatures"] == 1 and count() == 0


def test_a_facilitators_own_signature_keeps_the_door_check_in_rule(irts, zoe):
    """Only participants' records mean the paper sheet was not used."""
    person = irts.workshop_sessions[0].workshops[0].facilitators[0].person
    signing.sign(irts, morning(irts), Signer(person=person), signature_png(), "x",
                 now=MORNING_9H12)
    mark_present(zoe, "accueil")
    db.session.commit()
    assert attended_half_days(irts) == {zoe.id: half_days(irts)}


def test_a_signature_stays_with_its_half_day_when_the_programme_moves(irts, zoe):
    """An organiser moving the first session on the day detaches nothing."""
    afternoon_only = add(irts, "Łukasz", "Żółć", "lukasz@example.org")
    signing.sign(irts, morning(irts), Signer(registration=zoe), signature_png(), "x",
                 now=MORNING_9H12)
    signing.attest(irts, afternoon(irts), Signer(registration=afternoon_only), "Paul", "",
                   "x", now=datetime(2018, 3, 15, 13, 5))
    db.session.commit()
    first = min(irts.sessions, key=lambda session: session.starts_at)
    first.starts_at += timedelta(minutes=15)
    db.session.commit()
    assert morning(irts).starts_at != datetime(2018, 3, 15, 8, 30)
    # Detached, the morning would look like a paper half-day, attended by both.
    assert attended_half_days(irts) == {zoe.id: [morning(irts)],
                                        afternoon_only.id: [afternoon(irts)]}
    assert half_days_attended_by(zoe) == [morning(irts)]
    assert half_days_attended_by(afternoon_only) == [afternoon(irts)]
    with pytest.raises(AlreadySigned):
        signing.sign(irts, morning(irts), Signer(registration=zoe), signature_png(), "x",
                     now=MORNING_9H12)
    db.session.rollback()


def test_undoing_a_presence_after_signing_takes_the_half_days_back_everywhere(irts, zoe):
    from journee.attendance.services.presence import undo_presence

    other = add(irts, "Łukasz", "Żółć", "lukasz@example.org")
    for person in (zoe, other):
        signing.sign(irts, morning(irts), Signer(registration=person), signature_png(),
                     "x", now=MORNING_9H12)
    db.session.commit()
    undo_presence(zoe)
    db.session.commit()
    # The afternoon, without any digital record, went on paper.
    assert attended_half_days(irts) == {other.id: half_days(irts)}
    assert half_days_attended_by(other) == half_days(irts)
    assert half_days_attended_by(zoe) == []
