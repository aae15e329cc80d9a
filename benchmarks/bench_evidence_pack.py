"""Time the evidence pack (the Qualiopi ZIP) of a day with 1,000 confirmed attendees, 800
of them present and signing both half-days on the digital sign-in (1,600 distinct
signatures, each with the print form prepared when signed), 10 workshops and 500
questionnaire answers, from the database to the archive; and each part alone, to tell
which one costs most.

Target: under 10 s (median of 3 runs).

Run: ``.venv/bin/python benchmarks/bench_evidence_pack.py``; results also go to
``benchmarks/results/evidence_pack.json``.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from zipfile import ZipFile

from bench_signed_sheet import stroke
from sqlalchemy import insert, select
from timing import demo_app, median_ms

from journee.attendance.models import HalfDaySignature
from journee.attendance.services.signin import half_days
from journee.documents.signin_pdf import prepare_signature
from journee.evidence.pack import PARTS, write_pack
from journee.extensions import db
from journee.programme.models import Event, Workshop, WorkshopMode
from journee.registration.models import (
    Profile,
    Registration,
    RegistrationStatus,
    WorkshopChoice,
)
from journee.surveys import services
from journee.surveys.models import (
    QuestionKind,
    SurveyAnswer,
    SurveyInvitation,
    SurveyResponse,
    Wave,
)

SLUG = "travail-social-epreuve-numerique-2018"
PEOPLE, PRESENT, WORKSHOPS, ANSWERS = 1000, 800, 10, 500
REPEAT = 3
TARGET_S = 10.0
NOW = datetime(2018, 5, 20, 9, 0)
RESULTS = Path(__file__).resolve().parent / "results" / "evidence_pack.json"
FIRST = ["Zoé", "Łukasz", "Дмитрий", "Anne-Sophie", "Mohamed", "Chloé", "Inès", "Hélène"]
LAST = ["Martin", "O'Brien-Lefèvre", "Żółć", "<Dupont> & Cie", "Belqasmi", "Nguyen",
        "Da Silva", "Müller"]


def fill(event: Event) -> None:
    """The attendees (800 checked in), ten workshops, the questionnaire and its answers."""
    event.workshop_mode = WorkshopMode.FIRST_COME
    slot = next(s for s in event.workshop_sessions if s.workshops)
    for number in range(len(slot.workshops) + 1, WORKSHOPS + 1):
        slot.workshops.append(Workshop(number=number, title=f"Atelier ajouté n° {number}"))
    db.session.flush()
    workshops = slot.workshops[:WORKSHOPS]
    db.session.execute(insert(Registration), [
        {"event_id": event.id, "status": RegistrationStatus.CONFIRMED,
         "first_name": FIRST[n % len(FIRST)], "last_name": f"{LAST[n % len(LAST)]} {n}",
         "email": f"p{n}@example.org", "organisation": "IRTS-IDS Normandie",
         "profile": Profile.PROFESSIONAL,
         "checked_in_at": datetime(2018, 3, 15, 8, 30) if n < PRESENT else None}
        for n in range(PEOPLE)])
    ids = db.session.scalars(select(Registration.id).where(
        Registration.event_id == event.id).order_by(Registration.id)).all()
    db.session.execute(insert(WorkshopChoice), [
        {"registration_id": rid, "session_id": slot.id,
         "workshop_id": workshops[n % WORKSHOPS].id, "rank": 1}
        for n, rid in enumerate(ids)])
    present = ids[:PRESENT]
    rng = random.Random(2018)
    signatures = []
    for half in half_days(event):
        for rid in present:
            image = stroke(rng)
            signatures.append({
                "event_id": event.id, "half_day_start": half.starts_at,
                "registration_id": rid, "image": image,
                "print_image": prepare_signature(image).to_bytes(),
                "signed_at": half.starts_at, "collected_by": "Accueil"})
    db.session.execute(insert(HalfDaySignature), signatures)
    survey = services.ensure_survey(event)
    db.session.execute(insert(SurveyInvitation), [
        {"survey_id": survey.id, "registration_id": rid, "wave": wave,
         "answered": n < ANSWERS // 2, "invited_on": date(2018, 3, 15), "reminded": False}
        for wave in (Wave.HOT, Wave.COLD) for n, rid in enumerate(present)])
    db.session.execute(insert(SurveyResponse), [
        {"survey_id": survey.id, "wave": Wave.HOT if n % 2 else Wave.COLD,
         "answered_on": date(2018, 3, 15), "workshop_id": workshops[n % WORKSHOPS].id}
        for n in range(ANSWERS)])
    rows = []
    for n, response_id in enumerate(db.session.scalars(select(SurveyResponse.id))):
        for question in survey.questions:
            if question.kind == QuestionKind.SCALE:
                rows.append({"response_id": response_id, "question_id": question.id,
                             "score": 1 + (n * 7 + question.id) % 5})
            elif n % 3 == 0:
                rows.append({"response_id": response_id, "question_id": question.id,
                             "text": f"Commentaire n° {n} : une journée utile, merci."})
    db.session.execute(insert(SurveyAnswer), rows)
    db.session.commit()


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        app = demo_app(tmp)
        with app.app_context(), app.test_request_context():
            fill(db.session.scalar(select(Event).filter_by(slug=SLUG)))

            def event() -> Event:
                db.session.expire_all()
                return db.session.scalar(select(Event).filter_by(slug=SLUG))

            def pack() -> bytes:
                buffer = BytesIO()
                write_pack(event(), buffer, NOW)
                return buffer.getvalue()

            data = pack()
            names = ZipFile(BytesIO(data)).namelist()
            assert len(names) == 1 + 1 + 1 + WORKSHOPS + 1 + 1 + 4 + 1, names
            pack_s = median_ms(pack, REPEAT) / 1000
            parts = {part.title: median_ms(lambda part=part: [
                len(content) for _, content in part.files(event(), NOW)], REPEAT) / 1000
                for part in PARTS}
            db.session.remove()
            db.engine.dispose()

    results = {"people": PEOPLE, "present": PRESENT, "workshops": WORKSHOPS,
               "answers": ANSWERS, "pack_s": pack_s, "pack_bytes": len(data),
               "parts_s": parts, "target_s": TARGET_S, "repeat": REPEAT,
               "python": sys.version.split()[0]}
    print(f"Evidence pack, {PEOPLE} attendees ({PRESENT} present), {WORKSHOPS} workshops, "
          f"{ANSWERS} answers, median of {REPEAT} runs")
    print(f"  {'whole pack (' + str(len(data) // 1024) + ' KiB)':36} {pack_s:8.2f} s")
    for title, seconds in parts.items():
        print(f"  {'  ' + title:36} {seconds:8.2f} s")
    ok = pack_s <= TARGET_S
    print(f"  target: ≤ {TARGET_S:.0f} s: {'OK' if ok else 'TOO SLOW'}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"Written to {RESULTS}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
