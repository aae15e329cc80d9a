"""iCalendar exports: the whole programme and one session or workshop."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from journee.extensions import db
from journee.programme.models import Participation, Person, Role, SessionKind

PARIS = ZoneInfo("Europe/Paris")
URL = "/e/travail-social-epreuve-numerique-2018/programme.ics"


def fetch(client, url=URL) -> Calendar:
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return Calendar.from_ical(response.data)


def vevents(calendar: Calendar) -> dict[str, object]:
    return {str(component["UID"]): component for component in calendar.walk("VEVENT")}


def session_of(event, kind):
    return next(s for s in event.sessions if s.kind == kind)


def test_programme_has_one_vevent_per_session_and_per_workshop(client, irts):
    calendar = fetch(client)

    workshops = [w for s in irts.sessions for w in s.workshops]
    assert len(irts.sessions) == 11 and len(workshops) == 6
    assert len(calendar.walk("VEVENT")) == 11 + 6
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["X-WR-CALNAME"]) == irts.title
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Paris"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    for component in calendar.walk("VEVENT"):
        assert str(component["STATUS"]) == "CONFIRMED"
        assert str(component["URL"]) == (
            "http://journee.test/e/travail-social-epreuve-numerique-2018/")
        assert component["DTSTART"].params["TZID"] == "Europe/Paris"


def test_workshops_take_their_slot_times_and_rooms(client, irts):
    events = vevents(fetch(client))
    workshops = [w for s in irts.sessions for w in s.workshops]

    for workshop in workshops:
        component = events[f"{workshop.uid}@journee"]
        assert component.start == datetime(2018, 3, 15, 10, 45, tzinfo=PARIS)
        assert component.end == datetime(2018, 3, 15, 12, 30, tzinfo=PARIS)
        assert str(component["SUMMARY"]) == f"Atelier n°\u00a0{workshop.number}\u00a0: {workshop.title}"
        location = str(component["LOCATION"])
        assert f"Salle {workshop.number}" in location
        assert "Allée de Flore" in location and "76380" in location
        assert workshop.sector in str(component["DESCRIPTION"])

    first = events[f"{workshops[0].uid}@journee"]
    assert "Laëtitia LANGIN (IDEFHI ITEP Canteleu)" in str(first["DESCRIPTION"])


def test_plenary_summary_and_description(client, irts):
    plenary = session_of(irts, SessionKind.PLENARY)
    component = vevents(fetch(client))[f"{plenary.uid}@journee"]

    assert str(component["SUMMARY"]) == (
        "Conférence plénière\u00a0: Technologies numériques et travail social")
    assert component.start == datetime(2018, 3, 15, 9, 15, tzinfo=PARIS)
    assert component.end == datetime(2018, 3, 15, 10, 30, tzinfo=PARIS)
    description = str(component["DESCRIPTION"])
    assert "Vincent MEYER" in description and "Sociologue" in description
    assert "Mohamed BELQASMI" in description
    assert "Amphithéâtre" in str(component["LOCATION"])


def test_session_without_end_has_no_dtend(client, irts):
    closing = session_of(irts, SessionKind.CLOSING)
    component = vevents(fetch(client))[f"{closing.uid}@journee"]
    assert component.start == datetime(2018, 3, 15, 17, 15, tzinfo=PARIS)
    assert "DTEND" not in component


def test_contributions_are_listed_with_presenters(client, irts):
    talks = session_of(irts, SessionKind.TALKS)
    description = str(vevents(fetch(client))[f"{talks.uid}@journee"]["DESCRIPTION"])
    assert "Présentation du dispositif «\u202fPasseurs d’images\u202f»" in description
    assert "Pierre LEMARCHAND (Normandie Images)" in description


def test_uids_are_stable_and_an_edit_bumps_sequence(client, irts):
    first = vevents(fetch(client))
    assert vevents(fetch(client)).keys() == first.keys()

    plenary = session_of(irts, SessionKind.PLENARY)
    plenary.updated_at = datetime(2018, 1, 8, 9, 0)
    db.session.commit()
    before = vevents(fetch(client))[f"{plenary.uid}@journee"]

    plenary.touch()
    db.session.commit()
    after = vevents(fetch(client))[f"{plenary.uid}@journee"]

    assert after["SEQUENCE"] == before["SEQUENCE"] + 1
    assert after["LAST-MODIFIED"].dt > before["LAST-MODIFIED"].dt


def test_moving_the_workshops_slot_bumps_its_workshops(client, irts):
    slot = session_of(irts, SessionKind.WORKSHOPS)
    workshop = slot.workshops[0]
    before = vevents(fetch(client))[f"{workshop.uid}@journee"]
    slot.touch()
    db.session.commit()
    after = vevents(fetch(client))[f"{workshop.uid}@journee"]
    assert after["SEQUENCE"] == before["SEQUENCE"] + 1


@pytest.mark.parametrize("kind", [SessionKind.PLENARY, SessionKind.WORKSHOPS])
def test_one_session_alone(client, irts, kind):
    session = session_of(irts, kind)
    calendar = fetch(client, f"/e/{irts.slug}/seances/{session.uid}.ics")
    [component] = calendar.walk("VEVENT")
    assert str(component["UID"]) == f"{session.uid}@journee"
    assert len(calendar.walk("VTIMEZONE")) == 1


def test_one_workshop_alone(client, irts):
    workshop = session_of(irts, SessionKind.WORKSHOPS).workshops[2]
    calendar = fetch(client, f"/e/{irts.slug}/seances/{workshop.uid}.ics")
    [component] = calendar.walk("VEVENT")
    assert str(component["SUMMARY"]) == "Atelier n°\u00a03\u00a0: Protection de l’enfance"


def test_unknown_uid_is_404(client, irts):
    assert client.get(f"/e/{irts.slug}/seances/0123456789abcdef.ics").status_code == 404


def test_user_text_comes_back_exactly(client, irts):
    name = "<script>alert(1)</script> Łukasz Ðorđević 李雷"
    plenary = session_of(irts, SessionKind.PLENARY)
    person = Person(first_name=name, last_name="", function="Rapporteur, « invité »",
                    organisation="Ville de Łódź; Zoé & Cie\\n")
    plenary.participations.append(
        Participation(person=person, role=Role.WITNESS, position=9))
    db.session.commit()

    component = vevents(fetch(client))[f"{plenary.uid}@journee"]
    description = str(component["DESCRIPTION"])
    assert f"{name} (Rapporteur, « invité », Ville de Łódź; Zoé & Cie\\n)" in description


def test_line_breaks_in_an_old_title_keep_both_calendars_whole(client, irts):
    """Rows saved before single-line fields were enforced may hold line breaks: the
    programme's calendar and the attendee's own still open, one line per property."""
    from sqlalchemy import update
    from support.registration import OPEN_DAY as TODAY

    from journee.programme.models import Event
    from journee.registration.services import Attendee, register

    db.session.execute(update(Event).where(Event.id == irts.id).values(
        title="Le travail social\r\nà l’épreuve\nX-INJECTED:oui", venue_name="IRTS\r\nRouen"))
    db.session.commit()
    db.session.expire_all()
    registration = register(irts.id, Attendee(first_name="Zoé", last_name="Martin",
                                              profile="professional",
                                              email="zoe@example.org"), today=TODAY)
    db.session.commit()

    for url in (URL, f"/r/{registration.token}/calendar.ics"):
        calendar = fetch(client, url)
        assert str(calendar["X-WR-CALNAME"]) == "Le travail social à l’épreuve X-INJECTED:oui"
        assert "X-INJECTED" not in calendar
        plenary = vevents(calendar)[f"{session_of(irts, SessionKind.PLENARY).uid}@journee"]
        assert "IRTS\nRouen, Allée de Flore" in str(plenary["LOCATION"])
