"""Time the organiser's pages that count registrations, on a day of 5,000 of them: the
event's admin home (its dashboard), the registration summary, and the registrations list.

Each page is requested through the test client as a signed-in organiser, so the time is
the whole request: loading, counting, charts, template. Target: ≤ 150 ms (median) for the
dashboard and the list of events, which fail the run beyond it; the summary and the
registrations list are reported against the same figure (the list as it stands: another
branch adds paging to it).

Run: ``.venv/bin/python benchmarks/bench_dashboard.py``; results also go to
``benchmarks/results/dashboard.json``.
"""

from __future__ import annotations

import json
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import insert
from timing import demo_app, median_ms

from journee.extensions import db
from journee.mail_models import OutboxMessage, OutboxStatus
from journee.registration.models import (
    Profile,
    Registration,
    RegistrationStatus,
    Source,
    WorkshopChoice,
)
from journee.secret_links import issue

SLUG = "travail-social-epreuve-numerique-2018"
PEOPLE = 5000
REPEAT = 15
TARGET_MS = 150
GATED = ("dashboard (event admin home)", "list of events")
RESULTS = Path(__file__).resolve().parent / "results" / "dashboard.json"
SECTORS = ("Protection de l’enfance", "Handicap adulte", "Handicap enfant", "Insertion",
           "Personnes âgées", "")


def insert_people(event) -> None:
    """5,000 registrations over 50 days, three ranked workshops each, and an e-mail each
    (a few waiting or failed), in bulk inserts."""
    slot = next(s for s in event.workshop_sessions if s.workshops)
    workshops = slot.workshops
    profiles = list(Profile)
    start = datetime(2018, 1, 8, 8, 0)
    statuses = [RegistrationStatus.CONFIRMED] * 8 + [RegistrationStatus.WAITLISTED,
                                                     RegistrationStatus.CANCELLED]
    rows = [{
        "event_id": event.id, **issue(Registration.link_purpose),
        "status": statuses[n % len(statuses)],
        "first_name": f"Prénom{n}", "last_name": f"Nom-{n}", "email": f"p{n}@example.org",
        "organisation": f"Structure {n % 150}", "function": "Éducatrice spécialisée",
        "profile": profiles[n % len(profiles)], "course": "ES" if n % 3 == 0 else None,
        "sector": SECTORS[n % len(SECTORS)], "lunch": n % 2 == 0,
        "privacy_version": "bench", "privacy_acknowledged_at": start, "source": Source.ONLINE,
        "created_at": start + timedelta(minutes=14 * n), "updated_at": start,
    } for n in range(PEOPLE)]
    db.session.execute(insert(Registration), rows)
    ids = db.session.scalars(db.select(Registration.id).order_by(Registration.id)).all()
    db.session.execute(insert(WorkshopChoice), [
        {"registration_id": rid, "session_id": slot.id,
         "workshop_id": workshops[(i + rank) % len(workshops)].id, "rank": rank + 1}
        for i, rid in enumerate(ids) for rank in range(3)])
    db.session.execute(insert(OutboxMessage), [
        {"kind": "confirmation", "to_address": f"p{i}@example.org", "subject": "Inscription",
         "status": (OutboxStatus.PENDING if i % 100 == 0 else OutboxStatus.FAILED
                    if i % 250 == 1 else OutboxStatus.SENT),
         "registration_id": rid, "attempts": 1, "created_at": start}
        for i, rid in enumerate(ids)])
    db.session.commit()


def main() -> int:
    from journee.auth.models import User
    from journee.programme.models import Event, EventMembership

    with tempfile.TemporaryDirectory() as tmp:
        app = demo_app(tmp)
        app.config["MAIL_DELIVER_AFTER_COMMIT"] = False
        with app.app_context():
            event = db.session.scalar(db.select(Event).where(Event.slug == SLUG))
            insert_people(event)
            user = User(email="bench@example.org", name="bench")
            user.set_password("mot-de-passe-solide")
            db.session.add_all([user, EventMembership(event=event, user=user)])
            db.session.commit()
            event_id = event.id
            db.session.remove()
        client = app.test_client()
        client.post("/connexion", data={"email": "bench@example.org",
                                        "password": "mot-de-passe-solide"})
        pages = {
            "dashboard (event admin home)": f"/admin/journees/{event_id}/",
            "list of events": "/admin/",
            "registration summary": f"/admin/journees/{event_id}/inscriptions/bilan",
            "registrations list": f"/admin/journees/{event_id}/inscriptions/",
        }

        def getter(url):
            def get():
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
            return get

        html = client.get(pages["dashboard (event admin home)"]).get_data(as_text=True)
        assert "Tableau de bord des inscriptions" in html and "<svg" in html
        timings = {name: median_ms(getter(url), REPEAT) for name, url in pages.items()}
        with app.app_context():
            db.engine.dispose()

    results = {"registrations": PEOPLE, "repeat": REPEAT, "target_ms": TARGET_MS,
               "python": sys.version.split()[0],
               "median_ms": {name: round(ms, 1) for name, ms in timings.items()}}
    print(f"Organiser's pages on a day of {PEOPLE} registrations, median of {REPEAT} "
          "requests")
    failed = False
    for name, ms in timings.items():
        verdict = "OK" if ms <= TARGET_MS else "TOO SLOW"
        failed |= verdict != "OK" and name in GATED
        print(f"  {name:32} {ms:8.1f} ms   (target ≤ {TARGET_MS} ms: {verdict})")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"Written to {RESULTS}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
