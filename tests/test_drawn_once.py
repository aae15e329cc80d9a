"""What the registration flow draws once and reuses (the attendee's calendar, the form's
class) follows every change to what it is drawn from."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from icalendar import Calendar
from support.registration import FORM_URL, register, sent_to

from journee.extensions import db
from journee.programme.models import Person, Workshop

pytestmark = pytest.mark.usefixtures("registration_open")


def calendar_of(address: str) -> Calendar:
    [message] = sent_to(address)
    [part] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    return Calendar.from_ical(part.get_content())


def descriptions(calendar: Calendar) -> str:
    return "\n".join(str(e["DESCRIPTION"]) for e in calendar.walk("VEVENT"))


def test_each_confirmation_calendar_has_its_own_stamp_and_the_programme_as_it_is(
        client, irts, monkeypatch):
    assert register(client, irts, email="premiere@example.org").status_code == 302
    person = db.session.execute(db.select(Person).filter_by(last_name="MEYER")).scalar_one()
    person.last_name = "MEYER-ŁĄCKA"
    db.session.commit()
    later = datetime.now(timezone.utc) + timedelta(minutes=5)
    monkeypatch.setattr("journee.registration.calendar.datetime",
                        type("Later", (datetime,), {"now": staticmethod(lambda tz=None: later)}))
    assert register(client, irts, email="deuxieme@example.org").status_code == 302

    first, second = calendar_of("premiere@example.org"), calendar_of("deuxieme@example.org")
    assert "MEYER-ŁĄCKA" not in descriptions(first) and "MEYER" in descriptions(first)
    assert "MEYER-ŁĄCKA" in descriptions(second)
    first_stamps = {e["DTSTAMP"].dt for e in first.walk("VEVENT")}
    second_stamps = {e["DTSTAMP"].dt for e in second.walk("VEVENT")}
    assert len(first_stamps) == 1 and len(second_stamps) == 1
    assert second_stamps == {later.replace(microsecond=0)}
    assert abs(first_stamps.pop() - datetime.now(timezone.utc)) < timedelta(minutes=2)


def test_two_confirmations_of_an_unchanged_day_carry_the_same_events(client, irts):
    for address in ("a@example.org", "b@example.org"):
        assert register(client, irts, email=address).status_code == 302
    a, b = calendar_of("a@example.org"), calendar_of("b@example.org")
    for name in ("UID", "SUMMARY", "DESCRIPTION", "LOCATION", "SEQUENCE"):
        assert [str(e[name]) for e in a.walk("VEVENT")] == [
            str(e[name]) for e in b.walk("VEVENT")], name


def test_the_form_follows_a_renamed_and_a_new_workshop(client, irts):
    slot = irts.workshop_sessions[0]
    assert "Atelier des essais" not in client.get(FORM_URL).get_data(as_text=True)
    slot.workshops[0].title = "Atelier des essais"
    db.session.add(Workshop(session=slot, title="Atelier tout neuf", number=99))
    db.session.commit()

    html = client.get(FORM_URL).get_data(as_text=True)
    assert "Atelier des essais" in html
    assert "Atelier tout neuf" in html
    new = db.session.execute(db.select(Workshop).filter_by(title="Atelier tout neuf")).scalar_one()
    assert register(client, irts, email="neuf@example.org",
                    **{f"atelier_{slot.id}_1": str(new.id)}).status_code == 302
