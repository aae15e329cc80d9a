"""Time the e-mails of a day of 5,000 people: delivering a full outbox, and a reminder
round.

1. Delivery: 5,000 queued messages (a confirmation-sized text and HTML body) sent by
   ``deliver_pending`` with the file backend (each one claimed, written as an ``.eml``
   file, marked sent and committed); ms per e-mail, median of the runs.
2. A reminder round for 5,000 confirmed people, each holding a workshop: the job's claim
   and queueing (one ``reminder_sent`` row, the message with its .ics, one commit per
   person), then the delivery of those 5,000 reminders; median of the runs.

Run: ``.venv/bin/python benchmarks/bench_communication.py [RUNS]`` (3 by default;
``BENCH_PEOPLE=500`` for a quick look);
results also go to ``benchmarks/results/communication.json``. On a machine shared with
other work, the figures move with its load: compare medians taken together.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, func, select

from journee import create_app
from journee.extensions import db
from journee.mail import deliver_pending, queue_email
from journee.mail_models import OutboxMessage, OutboxStatus
from journee.programme.models import Event, WorkshopMode
from journee.registration import reminders
from journee.registration.models import (
    Profile,
    Registration,
    RegistrationStatus,
    ReminderSent,
    WorkshopChoice,
)

SLUG = "travail-social-epreuve-numerique-2018"
PEOPLE = int(os.environ.get("BENCH_PEOPLE", 5000))
RESULTS = Path(__file__).resolve().parent / "results" / "communication.json"
WEEK_BEFORE = datetime(2018, 3, 8, 8, 0)
"""UTC, when the 7-day reminder of the IRTS-IDS day (15 March 2018) is due."""
REGISTERED = datetime(2018, 2, 1, 9, 0)
TEXT = ("Bonjour,\n\nVotre inscription à la journée d’étude « Le travail social à l’épreuve "
        "du numérique » est confirmée.\n\n" + "Informations pratiques : … \n" * 30)
HTML = "<p>" + TEXT.replace("\n", "<br>") + "</p>"


def bench_app(directory: str):
    """The demo days on a fresh SQLite database; e-mails written to ``directory`` and
    sent only when the benchmark says so."""
    from flask_migrate import upgrade

    from journee.demo import load_demo

    app = create_app({
        "SECRET_KEY": "bench-e869c7753603237a7a993653b823d65a",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{directory}/bench.sqlite3",
        "PUBLIC_BASE_URL": "http://journee.test", "WTF_CSRF_ENABLED": False,
        "PURGE_INTERVAL_SECONDS": 0, "MAIL_BACKEND": "file",
        "MAIL_FILE_DIR": f"{directory}/outbox", "MAIL_DELIVER_AFTER_COMMIT": False,
    })
    with app.app_context():
        upgrade()
        load_demo(original_dates=True)
        db.session.commit()
    return app


def fill(event: Event) -> None:
    """PEOPLE confirmed registrations, each holding a workshop of the first slot."""
    event.workshop_mode = WorkshopMode.FIRST_COME
    workshops = [s for s in event.workshop_sessions if s.workshops][0].workshops
    rows = [Registration(
        event_id=event.id, status=RegistrationStatus.CONFIRMED, first_name=f"Prénom{n}",
        last_name=f"Nom{n}", organisation=f"Structure {n % 97}",
        email=f"personne{n}@example.org", profile=Profile.PROFESSIONAL,
        created_at=REGISTERED) for n in range(PEOPLE)]
    db.session.add_all(rows)
    db.session.flush()
    for n, registration in enumerate(rows):
        workshop = workshops[n % len(workshops)]
        db.session.add(WorkshopChoice(registration_id=registration.id,
                                      session_id=workshop.session_id,
                                      workshop_id=workshop.id, rank=1))
    db.session.commit()


BATCH = 500


def deliver_all(per_email: list[float] | None = None) -> int:
    """Deliver the whole outbox, BATCH messages per call (the job takes 1,000); the ms
    per e-mail of each full batch go to *per_email*."""
    sent = 0
    while True:
        start = time.perf_counter()
        done, failed = deliver_pending(BATCH)
        elapsed = (time.perf_counter() - start) * 1000
        if failed:
            raise RuntimeError(f"{failed} e-mails not delivered")
        if not done:
            return sent
        if per_email is not None and done == BATCH:
            per_email.append(elapsed / done)
        sent += done


def clear_outbox() -> None:
    db.session.execute(delete(OutboxMessage))
    db.session.execute(delete(ReminderSent))
    db.session.commit()


def timed(function) -> tuple[float, object]:
    start = time.perf_counter()
    result = function()
    return (time.perf_counter() - start) * 1000, result


def delivery_run(per_batch: list[float]) -> float:
    """ms per e-mail to deliver PEOPLE queued messages (each batch's in *per_batch*)."""
    clear_outbox()
    for n in range(PEOPLE):
        queue_email("bench", f"personne{n}@example.org", "Inscription confirmée", TEXT, HTML)
    db.session.commit()
    elapsed, sent = timed(lambda: deliver_all(per_batch))
    assert sent == PEOPLE, sent
    print(f"  delivery run: {elapsed / sent:.2f} ms per e-mail", flush=True)
    return elapsed / sent


def reminder_run() -> tuple[float, float]:
    """ms to claim and queue the round's reminders, then to deliver them."""
    clear_outbox()
    queue_ms, queued = timed(lambda: reminders.queue_reminders(WEEK_BEFORE))
    assert queued == PEOPLE, queued
    print(f"  reminder run: claim + queue {queue_ms / 1000:.1f} s", flush=True)
    deliver_ms, sent = timed(deliver_all)
    assert sent == PEOPLE, sent
    print(f"  reminder run: deliver {deliver_ms / 1000:.1f} s", flush=True)
    assert db.session.scalar(select(func.count(OutboxMessage.id)).where(
        OutboxMessage.kind == "reminder", OutboxMessage.status == OutboxStatus.SENT)) == PEOPLE
    return queue_ms, deliver_ms


def main(runs: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        app = bench_app(tmp)
        with app.app_context():
            fill(db.session.scalar(select(Event).filter_by(slug=SLUG)))
            per_batch: list[float] = []
            per_email = [delivery_run(per_batch) for _ in range(runs)]
            rounds = [reminder_run() for _ in range(runs)]
            db.session.remove()
            db.engine.dispose()

    queue_ms = statistics.median(q for q, _ in rounds)
    deliver_ms = statistics.median(d for _, d in rounds)
    results = {
        "people": PEOPLE, "runs": runs, "python": sys.version.split()[0],
        "delivery_ms_per_email": statistics.median(per_email),
        "delivery_ms_per_email_runs": per_email,
        "delivery_ms_per_email_median_of_batches": statistics.median(per_batch),
        "delivery_batch": BATCH,
        "reminder_queue_ms": queue_ms,
        "reminder_queue_ms_per_person": queue_ms / PEOPLE,
        "reminder_deliver_ms": deliver_ms,
        "reminder_deliver_ms_per_email": deliver_ms / PEOPLE,
        "reminder_runs_ms": rounds,
    }
    print(f"E-mails for {PEOPLE} people, file backend, median of {runs} runs")
    print(f"  {'deliver the outbox':34} {results['delivery_ms_per_email']:8.2f} ms per e-mail")
    print(f"  {f'  median of batches of {BATCH}':34} "
          f"{results['delivery_ms_per_email_median_of_batches']:8.2f} ms per e-mail")
    print(f"  {'reminder round: claim + queue':34} {queue_ms / 1000:8.2f} s "
          f"({results['reminder_queue_ms_per_person']:.2f} ms per person)")
    print(f"  {'reminder round: deliver':34} {deliver_ms / 1000:8.2f} s "
          f"({results['reminder_deliver_ms_per_email']:.2f} ms per e-mail)")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"Written to {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 3))
