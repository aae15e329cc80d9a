"""Time an organiser's message to 5,000 people: queuing it, then delivering it.

Queuing (:func:`journee.messages.operations.send_message`: choose the recipients, write
the message's row and one outbox row per person, the audit entry, commit) is compared
with its floor, a bare SQLAlchemy Core ``executemany`` of the same 5,000 outbox rows,
timed turn by turn in the same run. Targets: under 3 s, and at most twice the floor.
Delivery writes every e-mail (placeholders filled, both parts, List-Unsubscribe) through
the file backend, once; its cost is given per e-mail.

Run: ``.venv/bin/python benchmarks/bench_messages.py``; results also go to
``benchmarks/results/messages.json``.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, insert, update
from timing import demo_app

from journee.auth.models import User
from journee.extensions import db
from journee.mail import deliver_pending
from journee.mail_models import OutboxMessage, OutboxStatus
from journee.messages import operations
from journee.messages.models import Mailing
from journee.messages.recipients import Audience
from journee.registration.models import Profile, Registration, RegistrationStatus, Source
from journee.secret_links import issue
from journee.util.clock import utcnow

SLUG = "travail-social-epreuve-numerique-2018"
PEOPLE = 5000
REPEAT = 7
TARGET_MS = 3000
TARGET_RATIO = 2.0
RESULTS = Path(__file__).resolve().parent / "results" / "messages.json"
SUBJECT = "Votre journée du {date}, {prénom}"
BODY = ("Bonjour {prénom} {nom},\n\nRendez-vous à « {journée} ». Votre atelier : {atelier} "
        "(salle {salle}).\n\nVotre espace personnel : {lien personnel}")


def insert_people(event) -> None:
    profiles = list(Profile)
    start = datetime(2018, 1, 10, 8, 0)
    db.session.execute(insert(Registration), [{
        "event_id": event.id, **issue(Registration.link_purpose),
        "status": RegistrationStatus.CONFIRMED, "first_name": f"Prénom{n}",
        "last_name": f"Nom-{n}", "email": f"personne{n}@example.org",
        "organisation": "IRTS-IDS Normandie", "function": "Éducatrice",
        "profile": profiles[n % len(profiles)], "sector": "", "privacy_version": "bench",
        "privacy_acknowledged_at": start, "source": Source.ONLINE,
        "created_at": start + timedelta(minutes=n), "updated_at": start,
    } for n in range(PEOPLE)])
    db.session.commit()


def clear() -> None:
    db.session.execute(delete(OutboxMessage))
    db.session.execute(delete(Mailing))
    db.session.commit()


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        app = demo_app(tmp)
        # The bench delivers on its own, after the timings.
        app.config["MAIL_DELIVER_AFTER_COMMIT"] = False
        app.config["MAIL_FILE_DIR"] = f"{tmp}/outbox"
        with app.app_context():
            from journee.programme.models import Event

            event = db.session.scalar(db.select(Event).where(Event.slug == SLUG))
            insert_people(event)
            author = User(email="orga@example.org", name="orga")
            author.set_password("mot-de-passe-du-banc")
            db.session.add(author)
            db.session.commit()
            people = db.session.execute(db.select(Registration.id, Registration.email)
                                        .where(Registration.event_id == event.id)).all()

            def queue():
                operations.send_message(event, Audience(), SUBJECT, BODY, by=author)
                db.session.commit()

            def bare():
                now = utcnow()
                db.session.execute(insert(OutboxMessage.__table__), [
                    {"kind": "message", "to_address": address, "subject": "",
                     "status": OutboxStatus.PENDING, "attempts": 0, "created_at": now,
                     "registration_id": registration_id, "not_before": now}
                    for registration_id, address in people])
                db.session.commit()

            times = {"queue": [], "bare": []}
            for run in range(REPEAT + 1):
                for name, function in (("queue", queue), ("bare", bare)):
                    clear()
                    start = time.perf_counter()
                    function()
                    if run:  # the first round warms up
                        times[name].append((time.perf_counter() - start) * 1000)
            ratios = [q / b for q, b in zip(times["queue"], times["bare"])]

            clear()
            queue()
            queued = db.session.scalar(db.select(db.func.count(OutboxMessage.id)))
            db.session.execute(update(OutboxMessage).values(not_before=None))
            db.session.commit()
            start = time.perf_counter()
            sent, failed = deliver_pending(PEOPLE)
            deliver_ms = (time.perf_counter() - start) * 1000
            db.session.remove()
            db.engine.dispose()

    results = {
        "recipients": queued,
        "queue_ms": statistics.median(times["queue"]),
        "bare_insert_ms": statistics.median(times["bare"]),
        "queue_over_bare": statistics.median(ratios),
        "delivered": sent, "failed": failed,
        "deliver_ms_per_email": deliver_ms / max(sent, 1),
        "target_ms": TARGET_MS, "target_ratio": TARGET_RATIO, "repeat": REPEAT,
        "python": sys.version.split()[0],
    }
    print(f"A message with placeholders to {queued} people, median of {REPEAT} runs")
    print(f"  {'send_message (queue, commit)':34} {results['queue_ms']:8.1f} ms")
    print(f"  {'bare Core insert, same rows':34} {results['bare_insert_ms']:8.1f} ms")
    ok = results["queue_ms"] < TARGET_MS and results["queue_over_bare"] <= TARGET_RATIO
    print(f"  {'queue / bare (median of pairs)':34} {results['queue_over_bare']:8.2f}   "
          f"(target < {TARGET_MS} ms and ≤ {TARGET_RATIO}: {'OK' if ok else 'TOO SLOW'})")
    print(f"  {'delivery, file backend':34} {results['deliver_ms_per_email']:8.2f} ms per "
          f"e-mail ({sent} sent, {failed} failed, one run)")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"Written to {RESULTS}")
    return 0 if ok and sent == queued and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
