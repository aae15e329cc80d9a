"""What reaches people by e-mail around their registration, read as a real SMTP server
receives it: the calendar links in the plain-text part, the old address told when staff
replace it."""

from email.message import EmailMessage
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from support.pages import text_of
from support.registration import detail_url, register, registration_by_email, valid_data
from support.smtp import sending_to

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


def plain(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def html_links(message: EmailMessage) -> list[str]:
    import re

    html = message.get_body(("html",)).get_content()
    return [unescape(href) for href in re.findall(r'href="([^"]+)"', html)]


def test_the_plain_text_carries_the_calendar_links_on_their_own_lines(client, irts, smtp):
    assert register(client, irts).status_code == 302
    [confirmation] = received(smtp)
    lines = plain(confirmation).splitlines()

    google = lines[lines.index(f"Ajouter la journée à Google Agenda{NBSP}:") + 1]
    outlook = lines[lines.index(f"Ajouter la journée à Outlook{NBSP}:") + 1]
    # The very addresses of the HTML part, whole, each alone on its line.
    links = html_links(confirmation)
    assert google in links and outlook in links
    assert google.startswith("https://calendar.google.com/calendar/render?")
    assert outlook.startswith("https://outlook.live.com/calendar/0/deeplink/compose?")
    assert parse_qs(urlsplit(google).query)["dates"] == ["20180315T073000Z/20180315T161500Z"]
    assert parse_qs(urlsplit(outlook).query)["subject"] == [irts.title]


def test_the_confirmation_s_links_show_what_its_calendar_shows(client, irts, smtp,
                                                                monkeypatch):
    """Just registered, nothing is published to the person: no workshop in the
    calendar attached, none in its links, and no look for one."""
    from journee.registration import calendar

    lookups = []
    monkeypatch.setattr(calendar, "attendee_workshops",
                        lambda registration: lookups.append(registration) or {})
    assert register(client, irts).status_code == 302
    [confirmation] = received(smtp)

    assert lookups == []
    google = [link for link in html_links(confirmation) if "calendar.google.com" in link]
    assert len(google) == 1 and google[0] in plain(confirmation).splitlines()
    details = parse_qs(urlsplit(google[0]).query)["details"][0]
    assert "Votre atelier" not in details
    [ics] = [part for part in confirmation.iter_attachments()
             if part.get_content_type() == "text/calendar"]
    assert "Votre atelier" not in ics.get_payload(decode=True).decode()


def test_first_come_the_confirmation_s_links_and_calendar_name_the_workshop(
        client, irts, smtp):
    from support.registration import slot_of

    from journee.extensions import db
    from journee.programme.models import WorkshopMode

    irts.workshop_mode = WorkshopMode.FIRST_COME
    db.session.commit()
    slot = slot_of(irts)
    taken = slot.workshops[1]
    data = valid_data(irts)
    for rank in (1, 2, 3):
        data.pop(f"atelier_{slot.id}_{rank}")
    data[f"atelier_{slot.id}"] = str(taken.id)
    assert client.post("/e/travail-social-epreuve-numerique-2018/register",
                       data=data).status_code == 302
    [confirmation] = received(smtp)

    google = next(link for link in html_links(confirmation) if "calendar.google.com" in link)
    details = parse_qs(urlsplit(google).query)["details"][0]
    assert f"Votre atelier{NBSP}: {taken.label}" in details
    [ics] = [part for part in confirmation.iter_attachments()
             if part.get_content_type() == "text/calendar"]
    from icalendar import Calendar

    summaries = [str(event["SUMMARY"]) for event in
                 Calendar.from_ical(ics.get_payload(decode=True)).walk("VEVENT")]
    assert any(taken.title in summary for summary in summaries), summaries


def test_no_calendar_links_for_someone_waiting(client, irts, smtp):
    irts.capacity = 0
    from journee.extensions import db

    db.session.commit()
    assert register(client, irts).status_code == 302
    [waiting] = received(smtp)
    assert "Google" not in plain(waiting) and "outlook" not in plain(waiting).lower()


def edit_data(event, **overrides) -> dict:
    data = valid_data(event, **overrides)
    for name in ("privacy", "website"):
        data.pop(name, None)
    return data


def test_staff_replacing_the_address_tell_the_old_one_without_the_link(
        make_user, login, client, irts, smtp):
    assert register(client, irts).status_code == 302
    zoe = registration_by_email(ZOE)
    staff = login(make_user(events=[irts]))
    new = "zoe.m@example.net"
    response = staff.post(detail_url(irts, zoe, "modifier"), data=edit_data(irts, email=new))
    assert response.status_code == 302, text_of(response.get_data(as_text=True))

    [_, notice] = received(smtp)
    assert notice["Subject"].replace(NBSP, " ") == f"Adresse e-mail remplacée : {irts.title}"
    body = plain(notice)
    assert (f"L’équipe organisatrice de la journée d’étude «{NBSP}{irts.title}{NBSP}» "
            f"(15{NBSP}mars 2018) a remplacé cette adresse par une autre") in body
    # Nothing that opens the registration, nor who it is, nor where it goes now.
    for message_text in (body, notice.get_body(("html",)).get_content()):
        assert "/r/" not in message_text
        assert new not in message_text and "Zoé" not in message_text
    assert not [p for p in notice.iter_attachments()]

    [change] = received(smtp, new)
    assert "/r/" in plain(change)
    assert f"Adresse e-mail{NBSP}: {ZOE} → {new}" in plain(change)

    # Saved again: the address is the same, nobody is told anything.
    assert staff.post(detail_url(irts, zoe, "modifier"),
                      data=edit_data(irts, email=new)).status_code == 302
    assert len(smtp.messages) == 3


def test_an_address_given_where_there_was_none_tells_nobody_else(
        make_user, login, irts, smtp):
    from support.registration import add

    paper = add(irts, "Chloé", "Sans-Adresse", None)
    staff = login(make_user(events=[irts]))
    data = edit_data(irts, email="chloe@example.org", first_name="Chloé",
                     last_name="Sans-Adresse")
    response = staff.post(detail_url(irts, paper, "modifier"), data=data)
    assert response.status_code == 302, text_of(response.get_data(as_text=True))
    assert [m["To"] for m in smtp.messages] == ["chloe@example.org"]
