"""An attendee's own day as a calendar: the programme, with their workshop once assigned."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar

from journee.programme.models import SessionKind
from journee.registration.calendar import build_attendee_ics

PARIS = ZoneInfo("Europe/Paris")


def vevents(data: bytes) -> dict[str, object]:
    return {str(c["UID"]): c for c in Calendar.from_ical(data).walk("VEVENT")}


def test_the_day_has_every_session_with_the_programme_uids(irts):
    data = build_attendee_ics(irts, "http://journee.test")

    calendar = Calendar.from_ical(data)
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    events = vevents(data)
    assert set(events) == {f"{s.uid}@journee" for s in irts.sessions}
    slot = irts.workshop_sessions[0]
    component = events[f"{slot.uid}@journee"]
    assert str(component["SUMMARY"]) == "Ateliers"
    assert component.start == datetime(2018, 3, 15, 10, 45, tzinfo=PARIS)
    assert all(w.title in str(component["DESCRIPTION"]) for w in slot.workshops)


def test_an_assigned_workshop_replaces_its_slot(irts, client):
    slot = next(s for s in irts.sessions if s.kind == SessionKind.WORKSHOPS)
    workshop = slot.workshops[2]

    data = build_attendee_ics(irts, "http://journee.test",
                              assigned_workshops={slot.id: workshop})

    events = vevents(data)
    assert f"{slot.uid}@journee" not in events
    assert len(events) == len(irts.sessions)
    mine = events[f"{workshop.uid}@journee"]
    programme = vevents(client.get(
        "/e/travail-social-epreuve-numerique-2018/programme.ics").data)
    same = programme[f"{workshop.uid}@journee"]
    for name in ("SUMMARY", "LOCATION", "DESCRIPTION", "URL", "SEQUENCE"):
        assert mine[name] == same[name], name
    assert mine.start == same.start == datetime(2018, 3, 15, 10, 45, tzinfo=PARIS)
    assert mine.end == same.end
    assert "Salle 3" in str(mine["LOCATION"])
