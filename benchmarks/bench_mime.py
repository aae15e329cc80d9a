"""Time writing a confirmation e-mail: directly (journee.mail_mime) and by the email package.

The message is a real confirmation of the IRTS-IDS demo day (its plain-text and HTML
bodies as the templates render them, its calendar attached, the reply-to address), written
with the copy kept once sent (:func:`journee.mail.build_message_and_copy`, what the worker
does for each confirmation), once through the direct writer and once through the ``email``
package it falls back on, timed turn by turn in the same run. Target: the direct way at
most half the package's.

Run: ``.venv/bin/python benchmarks/bench_mime.py``; results also go to
``benchmarks/results/mime.json``.
"""

from __future__ import annotations

import email
import email.policy
import json
import sys
import tempfile
from datetime import date
from pathlib import Path

from timing import demo_app, paired_median_ms

from journee import mail, mail_mime
from journee.extensions import db
from journee.programme.models import Event
from journee.registration.emails import calendar_attachment, queue_registration_confirmation
from journee.registration.services import Attendee, register

SLUG = "travail-social-epreuve-numerique-2018"
BASE_URL = "http://journee.test"
REPEAT = 300
TARGET_RATIO = 0.5
RESULTS = Path(__file__).resolve().parent / "results" / "mime.json"


def confirmation_parts() -> dict:
    """The pieces of a real confirmation, read back from the message the app wrote."""
    event = db.session.execute(db.select(Event).filter_by(slug=SLUG)).scalar_one()
    registration = register(event.id, Attendee(
        first_name="Aïcha", last_name="N’DIAYE-LEFÈVRE", profile="student",
        email="aicha@example.org", organisation="IRTS-IDS Normandie",
        function="Étudiante éducatrice spécialisée", course="ES", course_year=2,
        lunch=True), today=date(2018, 2, 1))
    written = email.message_from_bytes(
        queue_registration_confirmation(registration, BASE_URL).message,
        policy=email.policy.default)
    return {"to_address": registration.email, "subject": written["Subject"],
            "text_body": written.get_body(("plain",)).get_content().replace("\r\n", "\n"),
            "html_body": written.get_body(("html",)).get_content().replace("\r\n", "\n"),
            "attachments": [calendar_attachment(registration, BASE_URL)],
            "reply_to": event.contact_email or None}


def main() -> int:
    with tempfile.TemporaryDirectory() as directory:
        app = demo_app(directory)
        with app.app_context():
            parts = confirmation_parts()
            write = mail_mime.write

            def direct():
                mail_mime.write = write
                return mail.build_message_and_copy(**parts)

            def by_package():
                mail_mime.write = lambda **pieces: None
                try:
                    return mail.build_message_and_copy(**parts)
                finally:
                    mail_mime.write = write

            size = len(direct()[0])
            direct_ms, package_ms, ratio = paired_median_ms(direct, by_package, REPEAT)
            db.session.rollback()

    results = {"message_bytes": size, "direct_ms": direct_ms, "package_ms": package_ms,
               "direct_over_package": ratio, "target_ratio": TARGET_RATIO, "repeat": REPEAT,
               "python": sys.version.split()[0]}
    ok = ratio <= TARGET_RATIO
    print(f"A confirmation with its calendar ({size} bytes) and the copy kept, median of "
          f"{REPEAT} runs")
    print(f"  {'written directly':30} {direct_ms:7.2f} ms")
    print(f"  {'written by the email package':30} {package_ms:7.2f} ms")
    print(f"  {'direct / package (pairs)':30} {ratio:7.2f}   "
          f"(target ≤ {TARGET_RATIO}: {'OK' if ok else 'TOO SLOW'})")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"Written to {RESULTS}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
