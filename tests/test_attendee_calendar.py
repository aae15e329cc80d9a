"""An attendee's own day as a calendar: the programme, with their workshop once assigned."""

from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from icalendar import Calendar

from journee.programme.models import SessionKind, WorkshopMode
from journee.registration.calendar import build_attendee_ics, day_links

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
    assert str(component["SUMMARY"]) == "Ateliers (répartition à venir)"
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


# Only the person's day --------------------------------------------------------------------

def test_before_the_assignment_the_slot_is_one_event_to_come(irts, client):
    """Preference mode, nothing published: the common sessions and the slot as one event
    « Ateliers (répartition à venir) », with the programme's UIDs; no parallel workshop."""
    data = build_attendee_ics(irts, "http://journee.test")

    events = vevents(data)
    assert set(events) == {f"{s.uid}@journee" for s in irts.sessions}
    programme = vevents(client.get(
        "/e/travail-social-epreuve-numerique-2018/programme.ics").data)
    workshop_uids = {f"{w.uid}@journee" for s in irts.sessions for w in s.workshops}
    assert set(events) == set(programme) - workshop_uids
    for slot in irts.workshop_sessions:
        component = events[f"{slot.uid}@journee"]
        assert str(component["SUMMARY"]) == "Ateliers (répartition à venir)"
        assert component.start == programme[f"{slot.uid}@journee"].start


def test_the_day_of_someone_assigned_holds_their_workshop_only(irts, client):
    slot = irts.workshop_sessions[0]
    mine = slot.workshops[1]
    data = build_attendee_ics(irts, "http://journee.test", assigned_workshops={slot.id: mine})

    events = vevents(data)
    others = {f"{w.uid}@journee" for w in slot.workshops if w is not mine}
    assert f"{mine.uid}@journee" in events
    assert not others & set(events)
    common = {f"{s.uid}@journee" for s in irts.sessions if s.kind != SessionKind.WORKSHOPS}
    assert common <= set(events)
    assert set(events) == common | {f"{mine.uid}@journee"} | {
        f"{s.uid}@journee" for s in irts.workshop_sessions if s is not slot}


def test_first_come_slot_keeps_its_title_without_a_choice(irts):
    irts.workshop_mode = WorkshopMode.FIRST_COME
    slot = irts.workshop_sessions[0]
    events = vevents(build_attendee_ics(irts, "http://journee.test"))
    assert str(events[f"{slot.uid}@journee"]["SUMMARY"]) == "Ateliers"


# Google Agenda and Outlook links ---------------------------------------------------------

def test_google_and_outlook_links_cover_the_whole_day_in_utc(irts):
    slot = irts.workshop_sessions[0]
    mine = slot.workshops[2]
    links = day_links(irts, "http://journee.test/", {slot.id: mine})
    first = min(s.starts_at for s in irts.sessions).replace(tzinfo=PARIS)
    last = max(s.ends_at or s.starts_at for s in irts.sessions).replace(tzinfo=PARIS)
    start, end = first.astimezone(timezone.utc), last.astimezone(timezone.utc)
    # March 2018 in Paris is UTC+1: a 9 h start is 8 h UTC.
    assert start.hour == first.hour - 1

    google = urlsplit(links.google)
    assert (google.scheme, google.netloc, google.path) == (
        "https", "calendar.google.com", "/calendar/render")
    query = parse_qs(google.query)
    assert query["action"] == ["TEMPLATE"]
    assert query["text"] == [irts.title]
    assert query["dates"] == [f"{start:%Y%m%dT%H%M%S}Z/{end:%Y%m%dT%H%M%S}Z"]
    assert query["location"] == [irts.full_address]
    details = query["details"][0]
    assert f"Votre atelier\u00a0: {mine.label}" in details
    assert "http://journee.test/e/travail-social-epreuve-numerique-2018/" in details
    assert "/r/" not in details

    outlook = urlsplit(links.outlook)
    assert (outlook.netloc, outlook.path) == (
        "outlook.live.com", "/calendar/0/deeplink/compose")
    query = parse_qs(outlook.query)
    assert query["subject"] == [irts.title]
    assert datetime.fromisoformat(query["startdt"][0]) == start
    assert datetime.fromisoformat(query["enddt"][0]) == end
    assert query["location"] == [irts.full_address]
    assert query["body"] == [details]


def test_an_event_without_sessions_is_given_as_whole_days(irts):
    irts.sessions.clear()
    query = parse_qs(urlsplit(day_links(irts, "http://journee.test").google).query)
    assert query["dates"] == ["20180315/20180316"]
