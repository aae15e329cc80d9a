"""Time the check-in desk on a day of 3,000 registrations: search, counts, one tap.

The search folds accents in Python over the event's names (SQLite has no ``unaccent``);
it is compared with a bare SQL ``LIKE`` on the same columns, which finds « Lefèvre »
only when typed with its accent. The counts are polled every 10 s by each phone at the
door; marking present is one conditional UPDATE and a commit. Targets: a search under
50 ms (typed letters must feel instant on a phone), counts under 50 ms.

Run: ``.venv/bin/python benchmarks/bench_checkin.py``; results also go to
``benchmarks/results/checkin.json``.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from sqlalchemy import or_, select
from timing import demo_app, median_ms, paired_median_ms

from journee.attendance.services import presence
from journee.extensions import db
from journee.programme.models import Event
from journee.registration.models import (
    Assignment,
    AssignmentSource,
    Profile,
    Registration,
    RegistrationStatus,
    WorkshopChoice,
)

SLUG = "travail-social-epreuve-numerique-2018"
PEOPLE = 3000
REPEAT = 30
TARGET_MS = 50.0
RESULTS = Path(__file__).resolve().parent / "results" / "checkin.json"
LAST_NAMES = ("Lefèvre", "Martin", "Żółć", "O'Brien-Lefèvre", "Dupont", "Nguyen", "Bernard",
              "Дмитриев", "Durand", "Petit")


def fill(event: Event) -> None:
    """PEOPLE confirmed registrations spread over the first slot's workshops."""
    workshops = [s for s in event.workshop_sessions if s.workshops][0].workshops
    rows = []
    for n in range(PEOPLE):
        rows.append(Registration(
            event_id=event.id, status=RegistrationStatus.CONFIRMED, first_name=f"Prénom{n}",
            last_name=f"{LAST_NAMES[n % len(LAST_NAMES)]}{n}", organisation=f"Structure {n % 97}",
            email=f"personne{n}@example.org", profile=Profile.PROFESSIONAL))
    db.session.add_all(rows)
    db.session.flush()
    for n, registration in enumerate(rows):
        workshop = workshops[n % len(workshops)]
        db.session.add(WorkshopChoice(registration_id=registration.id,
                                      session_id=workshop.session_id,
                                      workshop_id=workshop.id, rank=1))
        db.session.add(Assignment(registration_id=registration.id,
                                  session_id=workshop.session_id, workshop_id=workshop.id,
                                  source=AssignmentSource.SOLVER, rank=1))
    db.session.commit()


def bare_like(event: Event, text: str) -> list[int]:
    """What a hand-written search would do: SQL LIKE, accents not folded; every match
    (the search counts them all too)."""
    pattern = f"%{text}%"
    return db.session.scalars(select(Registration.id).where(
        Registration.event_id == event.id,
        or_(Registration.first_name.like(pattern), Registration.last_name.like(pattern),
            Registration.organisation.like(pattern)))).all()


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        app = demo_app(tmp)
        with app.app_context():
            event = db.session.scalar(select(Event).filter_by(slug=SLUG))
            fill(event)
            search_ms, bare_ms, ratio = paired_median_ms(
                lambda: presence.search(event, "lefevre"),
                lambda: bare_like(event, "Lefèvre"), REPEAT)
            found = presence.search(event, "lefevre").total
            ids = db.session.scalars(select(Registration.id).where(
                Registration.event_id == event.id)).all()
            staff = "accueil@example.org"
            marks = iter(ids)

            def mark_one():
                registration = db.session.get(Registration, next(marks))
                presence.mark_present(registration, staff)
                db.session.commit()

            results = {
                "registrations": PEOPLE,
                "search_ms": search_ms,
                "bare_like_ms": bare_ms,
                "search_over_bare": ratio,
                "search_matches": found,
                "counts_ms": median_ms(lambda: presence.counts(event), REPEAT),
                "mark_present_ms": median_ms(mark_one, REPEAT),
            }
            db.session.remove()
            db.engine.dispose()

    results["target_ms"] = TARGET_MS
    results["repeat"] = REPEAT
    results["python"] = sys.version.split()[0]
    print(f"Check-in desk, {PEOPLE} registrations, median of {REPEAT} runs")
    print(f"  {'search « lefevre » (Python fold)':36} {results['search_ms']:8.2f} ms "
          f"({found} matches)")
    print(f"  {'bare SQL LIKE, same columns':36} {results['bare_like_ms']:8.2f} ms")
    print(f"  {'search / bare (median of pairs)':36} {results['search_over_bare']:8.2f}")
    print(f"  {'counts (overall and per workshop)':36} {results['counts_ms']:8.2f} ms")
    print(f"  {'mark present + commit':36} {results['mark_present_ms']:8.2f} ms")
    ok = results["search_ms"] <= TARGET_MS and results["counts_ms"] <= TARGET_MS
    print(f"  target: search and counts ≤ {TARGET_MS:.0f} ms: {'OK' if ok else 'TOO SLOW'}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"Written to {RESULTS}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
