"""Public pages and documents answer conditional requests (ETag, 304 Not Modified) and
are compared with the database each time; private pages are never cached."""

from __future__ import annotations

import subprocess

import pytest
from icalendar import Calendar
from support.pages import text_of
from support.registration import OPEN_DAY, add, register, self_service_links, sent_to

from journee.extensions import db
from journee.programme.models import EventStatus, Person

pytestmark = pytest.mark.usefixtures("registration_open")

EVENT_URL = "/e/travail-social-epreuve-numerique-2018/"
ICS_URL = f"{EVENT_URL}programme.ics"
PDF_URL = f"{EVENT_URL}programme.pdf"


@pytest.fixture(autouse=True)
def event_page_open(monkeypatch):
    monkeypatch.setattr("journee.programme.views.today_in", lambda timezone=None: OPEN_DAY)


def pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=data,
                          capture_output=True, check=True).stdout.decode()


def etag_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.headers["ETag"]


@pytest.mark.parametrize("url", [EVENT_URL, ICS_URL, PDF_URL])
def test_public_pages_answer_304_to_the_version_the_client_holds(client, irts, url):
    first = client.get(url)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert etag.startswith('"') and len(etag) > 10
    assert first.headers["Cache-Control"] == "no-cache"

    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag

    other = client.get(url, headers={"If-None-Match": '"une-autre-version"'})
    assert other.status_code == 200
    assert other.headers["ETag"] == etag
    assert other.data == first.data


def test_an_organiser_edit_gives_the_event_page_a_new_version(client, irts):
    old = etag_of(client, EVENT_URL)
    irts.title = "Le numérique au quotidien"
    db.session.commit()

    response = client.get(EVENT_URL, headers={"If-None-Match": old})
    assert response.status_code == 200
    assert response.headers["ETag"] != old
    assert "Le numérique au quotidien" in text_of(response.get_data(as_text=True))


def test_an_organiser_edit_gives_the_calendar_a_new_version(client, irts):
    old = etag_of(client, ICS_URL)
    session = irts.sessions[2]
    session.title = "Conférence d’ouverture"
    db.session.commit()

    response = client.get(ICS_URL, headers={"If-None-Match": old})
    assert response.status_code == 200
    assert response.headers["ETag"] != old
    summaries = [str(e["SUMMARY"]) for e in Calendar.from_ical(response.data).walk("VEVENT")]
    assert any("Conférence d’ouverture" in s for s in summaries), summaries


def test_a_renamed_speaker_gives_the_pdf_a_new_version(client, irts):
    """A person's row changes no session's date of change: the version still follows."""
    old = etag_of(client, PDF_URL)
    assert "MEYER" in pdf_text(client.get(PDF_URL).data)
    person = db.session.execute(db.select(Person).filter_by(last_name="MEYER")).scalar_one()
    person.last_name = "MEYER-ŁĄCKA"
    db.session.commit()

    response = client.get(PDF_URL, headers={"If-None-Match": old})
    assert response.status_code == 200
    assert response.headers["ETag"] != old
    assert "MEYER-ŁĄCKA" in pdf_text(response.data)
    assert client.get(PDF_URL, headers={"If-None-Match": old}).status_code == 200


def test_a_registration_that_changes_places_left_gives_a_new_version(client, irts):
    irts.capacity = 10
    db.session.commit()
    for n in range(8):
        add(irts, "Personne", f"N{n}", f"personne{n}@example.org")
    db.session.commit()
    response = client.get(EVENT_URL)
    assert "Plus que 2\u00a0places" in response.get_data(as_text=True)
    old = response.headers["ETag"]
    assert client.get(EVENT_URL, headers={"If-None-Match": old}).status_code == 304

    assert register(client, irts).status_code == 302

    response = client.get(EVENT_URL, headers={"If-None-Match": old})
    assert response.status_code == 200
    assert response.headers["ETag"] != old
    assert "Plus qu’une place" in response.get_data(as_text=True)


def test_a_draft_previewed_by_its_organisers_is_kept_by_their_browser_only(
        organiser_client, irts):
    irts.status = EventStatus.DRAFT
    db.session.commit()
    for url in (EVENT_URL, ICS_URL, PDF_URL):
        response = organiser_client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "private, no-cache", url


def test_private_pages_are_never_cached(client, irts):
    assert register(client, irts).status_code == 302
    [link] = self_service_links(sent_to("zoe.martin@example.org")[0])
    for url in (link, f"{link}/calendar.ics", f"{link}/modifier"):
        response = client.get(url, headers={"If-None-Match": "*"})
        assert response.status_code == 200, url
        assert "no-store" in response.headers["Cache-Control"], url
        assert "ETag" not in response.headers, url


def test_the_back_office_is_never_cached(organiser_client, irts):
    response = organiser_client.get(f"/admin/journees/{irts.id}/inscriptions/",
                                    headers={"If-None-Match": "*"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "ETag" not in response.headers
