"""The messages written directly (journee.mail_mime) are the messages the email package
writes: same headers, bodies, images and attachments, only the boundaries differ."""

from __future__ import annotations

import email
import email.policy
import re
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import format_datetime, parsedate_to_datetime

import pytest
from icalendar import Calendar
from support.registration import OPEN_DAY
from support.smtp import sending_to

from journee import mail, mail_mime
from journee.demo import load_demo
from journee.extensions import db
from journee.mail_models import OutboxMessage
from journee.registration.emails import queue_registration_confirmation_later
from journee.registration.services import Attendee, register

PINNED_DATE = datetime(2018, 3, 15, 8, 5, 7, tzinfo=timezone.utc)
LOGO = "logo-test@journee.local"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 9 + b"\x00IEND"
TOKEN = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-"
ICS = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:PUBLISH\r\nBEGIN:VEVENT\r\n"
       "SUMMARY:Le travail social à l’épreuve du numérique : « enjeux » – 北京\r\n"
       "LOCATION:IRTS-IDS Normandie\\, 12 rue d’Hérouville\r\n"
       "DESCRIPTION:" + "Ateliers\\, conférences et tables rondes. " * 8 + "\r\n"
       "END:VEVENT\r\nEND:VCALENDAR\r\n").encode("utf-8")
CALENDAR = mail.Attachment("journee-travail-social-epreuve-numerique-2018.ics", ICS,
                           "text/calendar", {"method": "PUBLISH", "charset": "utf-8"})
PDF = mail.Attachment("programme.pdf", b"%PDF-1.4\n" + bytes(range(256)) * 3,
                      "application/pdf")

TEXT = ("Bonjour Aïcha N’DIAYE-LEFÈVRE,\n\n"
        "Votre inscription à « Le travail social à l’épreuve du numérique » est "
        "confirmée : jeudi 15 mars 2018, de 9 h 15 à 17 h.\n"
        "Nom : <script>alert(1)</script> Łukasz O'Brien — 北京 Ελληνικά العربية\n"
        f"Votre lien personnel : http://journee.test/r/{TOKEN}\n"
        "Une ligne bien plus longue que soixante-seize caractères, pour que l’encodage "
        "la coupe, avec des = et des tabulations\tet une espace à la fin \n"
        "From the start of a line\n.\n"
        "--===============1234567890123456789==\n"
        "--===============1234567890123456789==--\n")
HTML = ("<p>Bonjour Aïcha N’DIAYE-LEFÈVRE,</p>\n"
        "<p>Nom&nbsp;: &lt;script&gt;alert(1)&lt;/script&gt; Łukasz O&#39;Brien — 北京</p>\n"
        f'<p><a href="http://journee.test/r/{TOKEN}">Votre page</a></p>\n')
HTML_WITH_LOGO = f'<p><img src="cid:{LOGO}" alt="IRTS-IDS Normandie"></p>\n' + HTML
ACCENTED = ("Inscription confirmée\u00a0: Le travail social à l’épreuve du numérique : "
            "enjeux, risques et « perspectives » pour 北京 et Łódź")

MESSAGES = {
    "ASCII subject, text only": dict(subject="Registration confirmed", text_body="Hello.\n"),
    "accented subject, text and HTML": dict(subject=ACCENTED, text_body=TEXT,
                                            html_body=HTML),
    "HTML with the logo inline": dict(subject=ACCENTED, text_body=TEXT,
                                      html_body=HTML_WITH_LOGO),
    "calendar attached, reply-to": dict(subject=ACCENTED, text_body=TEXT, html_body=HTML,
                                        attachments=[CALENDAR], reply_to="contact@irts.fr"),
    "logo, calendar and PDF": dict(subject="Long ASCII subject " * 6, text_body=TEXT,
                                   html_body=HTML_WITH_LOGO, attachments=[CALENDAR, PDF],
                                   reply_to="o'brien+journee@irts-ids.example.org"),
    "text and calendar, no HTML": dict(subject=ACCENTED, text_body=TEXT,
                                       attachments=[CALENDAR]),
    "empty HTML body": dict(subject="Vide", text_body="", html_body=""),
    "extra headers": dict(subject="Questionnaire", text_body=TEXT, html_body=HTML,
                          headers={"List-Unsubscribe": "<http://journee.test/desabonnement/"
                                                       + "x" * 80 + ">",
                                   "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}),
}


@pytest.fixture
def pinned(app, monkeypatch):
    """One Date and one Message-ID for every message, so that both ways can be compared
    byte for byte; the logo the HTML bodies may show."""
    monkeypatch.setattr(mail, "format_datetime", lambda now: format_datetime(PINNED_DATE))
    monkeypatch.setattr(mail, "make_msgid",
                        lambda domain: f"<152110110700.4242.123456789@{domain}>")
    mail.register_inline_image(app, LOGO, lambda: PNG)
    return app


def both_ways(monkeypatch, build):
    """What *build()* gives written directly, then by the email package."""
    write = mail_mime.write
    written = []

    def spy(**parts):
        written.append(write(**parts))
        return written[-1]

    monkeypatch.setattr(mail_mime, "write", spy)
    direct = build()
    assert written and written[-1] is not None, "the email package wrote it"
    monkeypatch.setattr(mail_mime, "write", lambda **parts: None)
    by_package = build()
    monkeypatch.setattr(mail_mime, "write", write)
    return direct, by_package


def build(to="aicha@example.org", **message):
    return lambda: mail.build_message(to, **message)


def parse(raw: bytes) -> EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)


def body(message: EmailMessage, subtype: str) -> str:
    """The decoded body, with the line ends it had before it was sent."""
    return message.get_body((subtype,)).get_content().replace("\r\n", "\n")


def flat(text: str) -> str:
    """No-break spaces as plain ones, and no folding whitespace, to compare prose."""
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def without_boundaries(raw: bytes) -> bytes:
    boundaries = list(dict.fromkeys(re.findall(rb"={15}\d{19}==", raw)))
    for number, boundary in enumerate(boundaries):
        raw = raw.replace(boundary, b"BOUNDARY-%d" % number)
    return raw


def summary(raw: bytes) -> list:
    """The headers, then each part: type and parameters, disposition, file name,
    Content-ID, content."""
    message = parse(raw)
    parts = [[(name, str(value)) for name, value in message.items()
              if name != "Content-Type"]]
    for part in message.walk():
        params = {key: value for key, value in part["Content-Type"].params.items()
                  if key != "boundary"} if part["Content-Type"] else {}
        parts.append((part.get_content_type(), params, part.get_content_disposition(),
                      part.get_filename(), part["Content-ID"],
                      None if part.is_multipart() else part.get_content()))
    return parts


def assert_sound_lines(raw: bytes) -> None:
    assert raw.endswith(b"\r\n")
    lines = raw[:-2].split(b"\r\n")
    assert not any(b"\r" in line or b"\n" in line for line in lines)
    assert max(len(line) for line in lines) <= 998
    assert raw.isascii()


@pytest.mark.parametrize("message", MESSAGES.values(), ids=MESSAGES.keys())
def test_the_direct_message_is_the_email_packages(pinned, monkeypatch, message):
    direct, by_package = both_ways(monkeypatch, build(**message))

    assert without_boundaries(direct) == without_boundaries(by_package)
    assert summary(direct) == summary(by_package)
    assert_sound_lines(direct)
    parsed = parse(direct)
    assert parsed["To"] == "aicha@example.org"
    assert parsed["Subject"].lstrip() == message["subject"].strip()
    assert parsed["Reply-To"] == message.get("reply_to")
    assert parsedate_to_datetime(parsed["Date"]) == PINNED_DATE
    assert parsed["Message-ID"] == "<152110110700.4242.123456789@journee.local>"
    # An empty body is written as one empty line.
    assert body(parsed, "plain") == (message["text_body"] or "\n")
    if message.get("html_body") is not None:
        assert body(parsed, "html") == (message["html_body"] or "\n")
    else:
        assert parsed.get_body(("html",)) is None
    for name, value in (message.get("headers") or {}).items():
        assert parsed[name] == value


@pytest.mark.parametrize("message", MESSAGES.values(), ids=MESSAGES.keys())
def test_the_copy_kept_is_made_the_same_way(pinned, monkeypatch, message):
    message = {key: value for key, value in message.items() if key != "headers"}
    (direct, direct_copy), (by_package, package_copy) = both_ways(
        monkeypatch, lambda: mail.build_message_and_copy("aicha@example.org", **message))

    assert without_boundaries(direct_copy) == without_boundaries(package_copy)
    copy = parse(direct_copy)
    assert TOKEN not in body(copy, "plain")
    if TOKEN in message["text_body"]:
        assert body(copy, "plain") == message["text_body"].replace(TOKEN, "…")
    assert summary(direct_copy) == summary(mail.masked_links(direct))
    assert_sound_lines(direct_copy)


def test_the_pieces_come_out_whole(pinned, monkeypatch):
    direct, _ = both_ways(monkeypatch, build(**MESSAGES["logo, calendar and PDF"]))

    message = parse(direct)
    assert [part.get_content_type() for part in message.walk()] == [
        "multipart/mixed", "multipart/alternative", "text/plain", "multipart/related",
        "text/html", "image/png", "text/calendar", "application/pdf"]
    calendar, pdf = message.iter_attachments()
    assert calendar.get_content() == ICS.decode("utf-8")
    assert calendar.get_filename() == "journee-travail-social-epreuve-numerique-2018.ics"
    assert dict(calendar["Content-Type"].params) == {"method": "PUBLISH", "charset": "utf-8"}
    assert calendar["Content-Transfer-Encoding"] == "base64"
    assert pdf.get_content() == PDF.content and pdf.get_filename() == "programme.pdf"
    [logo] = [part for part in message.walk() if part.get_content_type() == "image/png"]
    assert logo.get_content() == PNG and logo["Content-ID"] == f"<{LOGO}>"
    assert logo.get_content_disposition() == "inline"
    html = body(message, "html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Łukasz O&#39;Brien — 北京" in html
    text = body(message, "plain")
    assert "<script>alert(1)</script> Łukasz O'Brien — 北京 Ελληνικά العربية" in text
    # The boundaries written in the body are text, not delimiters.
    assert "--===============1234567890123456789==--\n" in text
    assert message["Reply-To"] == "o'brien+journee@irts-ids.example.org"
    assert message["Subject"].lstrip() == ("Long ASCII subject " * 6).strip()
    base64_lines = [line for line in direct.split(b"\r\n") if re.fullmatch(rb"[\w+/=]{40,}",
                                                                            line)]
    assert base64_lines and max(len(line) for line in base64_lines) == 76


def test_a_real_date_and_message_id(app):
    raw = mail.build_message("aicha@example.org", "Bonjour", "Bonjour.\n")

    message = parse(raw)
    assert abs(parsedate_to_datetime(message["Date"]) - datetime.now(timezone.utc)) \
        < timedelta(minutes=1)
    assert re.fullmatch(r"<[\d.]+@journee\.local>", message["Message-ID"])
    assert message["From"] == "Journée <ne-pas-repondre@journee.local>"


@pytest.mark.parametrize("to, reply_to, headers", [
    ("zoé@exemple.fr", None, None),
    ("Zoé Martin <zoe@example.org>", None, None),
    ("aicha@example.org", "accueil@irts-normandié.fr", None),
    ("aicha@example.org", None, {"X-Étiquette": "un"}),
    ("aicha@example.org", None, {"X-Label": "Łódź"}),
    ("aicha@example.org", None, {"Content-Language": "fr"}),
], ids=["non-ASCII address", "display name", "non-ASCII reply-to", "non-ASCII header name",
        "non-ASCII header value", "content header"])
def test_the_email_package_writes_what_is_unusual(pinned, monkeypatch, to, reply_to,
                                                  headers):
    write = mail_mime.write
    written = []
    monkeypatch.setattr(mail_mime, "write",
                        lambda **parts: written.append(write(**parts)) or written[-1])

    raw = mail.build_message(to, ACCENTED, TEXT, HTML, [CALENDAR], reply_to=reply_to,
                             headers=headers)

    assert written == [None]
    message = parse(raw)
    assert message["To"] == to
    assert body(message, "plain") == TEXT
    assert [part.get_filename() for part in message.iter_attachments()] == [
        CALENDAR.filename]
    assert_sound_lines(raw)


@pytest.mark.parametrize("change", [
    {"to_address": "aicha@example.org\r\nBcc: x@example.org"},
    {"sender": "Journée <ne-pas-repondre@journee.local>\nBcc: x@example.org"},
    {"subject": "Bonjour\x0bà tous"},
    {"headers": {"List-Unsubscribe": "<http://x>\r\nBcc: x@example.org"}},
    {"headers": {"Mime-Version": "1.0"}},
    {"message_id": "<" + "x" * 80 + "@journee.local>"},
    {"attachments": [mail.Attachment("notes.txt", "texte", "text/plain")]},
    {"attachments": [mail.Attachment("journée.ics", ICS, "text/calendar")]},
    {"attachments": [mail.Attachment("x.ics", ICS, "text/calendar", {"name": "Łódź"})]},
    {"attachments": [mail.Attachment("x.bin", ICS, "application")]},
    {"images": [("logo@journée", PNG)]},
])
def test_what_the_direct_writer_leaves_to_the_email_package(change):
    message = dict(sender="Journée <ne-pas-repondre@journee.local>",
                   to_address="aicha@example.org", subject="Bonjour", reply_to=None,
                   date=format_datetime(PINNED_DATE),
                   message_id="<1.2.3@journee.local>", headers=None, text_body=TEXT,
                   html_body=HTML_WITH_LOGO, images=[(LOGO, PNG)], attachments=[CALENDAR])
    assert mail_mime.write(**message) is not None

    assert mail_mime.write(**message | change) is None


def test_the_worker_writes_the_confirmation_directly_and_it_arrives_whole(app_factory, smtp,
                                                                        monkeypatch):
    app = app_factory(**sending_to(smtp))
    with app.app_context():
        [irts] = [event for event in load_demo(original_dates=True)
                  if event.slug == "travail-social-epreuve-numerique-2018"]
        db.session.commit()
        registration = register(irts.id, Attendee(
            first_name="<script>alert(1)</script>", last_name="O'Brien-Łódź 北京",
            profile="professional", email="obrien@example.org",
            organisation="IRTS-IDS Normandie", function="Éducatrice"), today=OPEN_DAY)
        token = registration.token
        write = mail_mime.write
        written = []
        monkeypatch.setattr(mail_mime, "write",
                            lambda **parts: written.append(write(**parts)) or written[-1])
        queue_registration_confirmation_later(registration)
        db.session.commit()

        [message] = smtp.messages
        assert len(written) == 1 and written[0] is not None
        assert message["To"] == "obrien@example.org"
        assert message["Reply-To"] == irts.contact_email
        assert flat(message["Subject"]) == flat(f"Inscription confirmée : {irts.title}")
        text, html = body(message, "plain"), body(message, "html")
        assert "<script>alert(1)</script> O'Brien-Łódź 北京" in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
        assert f"http://journee.test/r/{token}" in text + html
        [calendar] = message.iter_attachments()
        assert calendar.get_filename() == f"journee-{irts.slug}.ics"
        assert dict(calendar["Content-Type"].params) == {"method": "PUBLISH",
                                                          "charset": "utf-8"}
        assert Calendar.from_ical(calendar.get_content())["METHOD"] == "PUBLISH"
        [kept] = db.session.scalars(db.select(OutboxMessage)).all()
        assert token not in body(parse(kept.message), "plain")
        assert token not in body(parse(kept.message), "html")
