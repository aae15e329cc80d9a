"""Time the XLSX export of 5,000 registrations against bare openpyxl.

The bare script writes the very cell values the export produced (read back from its
output once) with a plain write-only workbook: title rows, header, data rows, no styles,
no widths, no conversions. The ratio export / bare is the cost of our own code (building
the values from the models, text safety, styles); the target is ≤ 1.3.

Run: ``.venv/bin/python benchmarks/bench_registration_export.py``; results also go to
``benchmarks/results/registration_export.json``.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import insert
from timing import bare_openpyxl, cell_values, demo_app, paired_median_ms

from journee.extensions import db
from journee.registration.exporting import build_registrations_xlsx, registrations_for_export
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
REPEAT = 7
TARGET_RATIO = 1.3
RESULTS = Path(__file__).resolve().parent / "results" / "registration_export.json"
TRICKY = ("=1+1", "+33 6 12 34 56 78", "@cmd", "-2", "ligne\x0bverticale")



def insert_people(event) -> None:
    """5,000 registrations with three ranked workshops each, in two bulk inserts."""
    slot = next(s for s in event.workshop_sessions if s.workshops)
    workshops = slot.workshops
    profiles = list(Profile)
    start = datetime(2018, 1, 10, 8, 0)
    rows = []
    for n in range(PEOPLE):
        rows.append({
            "event_id": event.id, **issue(Registration.link_purpose),
            "status": RegistrationStatus.CONFIRMED if n < 4000 else RegistrationStatus.WAITLISTED,
            "first_name": TRICKY[n % len(TRICKY)] if n % 97 == 0 else f"Prénom{n}",
            "last_name": f"Nom-{n}", "email": f"personne{n}@example.org",
            "phone": "06 12 34 56 78", "organisation": "IRTS-IDS Normandie",
            "function": "Étudiante éducatrice spécialisée",
            "profile": profiles[n % len(profiles)],
            "course": "ES" if n % 3 == 0 else None, "course_year": 2 if n % 3 == 0 else None,
            "sector": "Protection de l’enfance", "lunch": n % 2 == 0,
            "consent_future_events": n % 5 == 0, "privacy_version": "bench",
            "privacy_acknowledged_at": start, "source": Source.ONLINE,
            "created_at": start + timedelta(minutes=n), "updated_at": start,
        })
    db.session.execute(insert(Registration), rows)
    ids = db.session.scalars(db.select(Registration.id).order_by(Registration.id)).all()
    choices = [{"registration_id": rid, "session_id": slot.id,
                "workshop_id": workshops[(i + rank) % len(workshops)].id, "rank": rank + 1}
               for i, rid in enumerate(ids) for rank in range(3)]
    db.session.execute(insert(WorkshopChoice), choices)
    db.session.commit()




def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        app = demo_app(tmp)
        with app.app_context():
            from journee.programme.models import Event

            event = db.session.scalar(db.select(Event).where(Event.slug == SLUG))
            insert_people(event)

            start = time.perf_counter()
            registrations = registrations_for_export(event)
            load_ms = (time.perf_counter() - start) * 1000
            data = build_registrations_xlsx(event, registrations)
            values = cell_values(data)
            export_ms, bare_ms, ratio = paired_median_ms(
                lambda: build_registrations_xlsx(event, registrations),
                lambda: bare_openpyxl(values, "Inscriptions"), REPEAT)
            results = {
                "registrations": len(registrations),
                "cells": sum(1 for row in values for value in row if value is not None),
                "load_ms": load_ms,
                "export_ms": export_ms,
                "bare_openpyxl_ms": bare_ms,
                "export_over_bare": ratio,
                "xlsx_bytes": len(data),
            }
            db.session.remove()
            db.engine.dispose()

    results["target_ratio"] = TARGET_RATIO
    results["repeat"] = REPEAT
    results["python"] = sys.version.split()[0]

    print(f"XLSX export of {results['registrations']} registrations "
          f"({results['cells']} cells), median of {REPEAT} runs")
    print(f"  {'registrations_for_export (query)':34} {results['load_ms']:8.1f} ms")
    print(f"  {'build_registrations_xlsx':34} {results['export_ms']:8.1f} ms")
    print(f"  {'bare openpyxl, same cells':34} {results['bare_openpyxl_ms']:8.1f} ms")
    verdict = "OK" if results["export_over_bare"] <= TARGET_RATIO else "TOO SLOW"
    print(f"  {'export / bare (median of pairs)':34} {results['export_over_bare']:8.2f}   "
          f"(target ≤ {TARGET_RATIO}: {verdict})")

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"Written to {RESULTS}")
    return 0 if verdict == "OK" else 1


if __name__ == "__main__":
    sys.exit(main())
