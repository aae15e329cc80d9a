"""Time the organiser's results page of a questionnaire with 1,000 answers (each to the
five ready-made scales, a third with a comment, spread over the workshops).

Target: under 300 ms (median).

Run: ``.venv/bin/python benchmarks/bench_surveys.py``; results also go to
``benchmarks/results/surveys.json``.
"""

from __future__ import annotations

import json
import sys
import tempfile
from datetime import date
from pathlib import Path

from sqlalchemy import insert, select
from timing import demo_app, median_ms

from journee.auth.models import User
from journee.extensions import db
from journee.programme.models import Event
from journee.surveys import services
from journee.surveys.models import QuestionKind, SurveyAnswer, SurveyResponse, Wave

SLUG = "travail-social-epreuve-numerique-2018"
ANSWERS = 1000
REPEAT = 30
TARGET_MS = 300.0
RESULTS = Path(__file__).resolve().parent / "results" / "surveys.json"


def fill(event: Event) -> None:
    survey = services.ensure_survey(event)
    workshops = [w.id for s in event.workshop_sessions for w in s.workshops]
    db.session.execute(insert(SurveyResponse), [
        {"survey_id": survey.id, "wave": Wave.HOT, "answered_on": date(2018, 3, 15),
         "workshop_id": workshops[n % len(workshops)]} for n in range(ANSWERS)])
    response_ids = db.session.scalars(select(SurveyResponse.id)).all()
    rows = []
    for n, response_id in enumerate(response_ids):
        for question in survey.questions:
            if question.kind == QuestionKind.SCALE:
                rows.append({"response_id": response_id, "question_id": question.id,
                             "score": 1 + (n * 7 + question.id) % 5})
            elif n % 3 == 0:
                rows.append({"response_id": response_id, "question_id": question.id,
                             "text": f"Commentaire n° {n} : une journée utile, merci."})
    db.session.execute(insert(SurveyAnswer), rows)
    user = User(email="orga@exemple.fr", name="Organisatrice", is_admin=True)
    user.set_password("mot-de-passe-solide")
    db.session.add(user)
    db.session.commit()


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        app = demo_app(tmp)
        with app.app_context():
            event = db.session.scalar(select(Event).filter_by(slug=SLUG))
            fill(event)
            client = app.test_client()
            client.post("/connexion", data={"email": "orga@exemple.fr",
                                            "password": "mot-de-passe-solide"})
            url = f"/admin/journees/{event.id}/questionnaire/resultats"
            page = client.get(url)
            assert page.status_code == 200, page.status_code
            assert f"{ANSWERS:,}".replace(",", "\u202f") in page.get_data(as_text=True)
            results = {"answers": ANSWERS, "results_page_ms": median_ms(
                lambda: client.get(url), REPEAT)}
            db.session.remove()
            db.engine.dispose()

    results["target_ms"] = TARGET_MS
    results["repeat"] = REPEAT
    results["python"] = sys.version.split()[0]
    print(f"Questionnaire results, {ANSWERS} answers, median of {REPEAT} runs")
    print(f"  {'results page (organiser)':36} {results['results_page_ms']:8.2f} ms")
    ok = results["results_page_ms"] <= TARGET_MS
    print(f"  target: ≤ {TARGET_MS:.0f} ms: {'OK' if ok else 'TOO SLOW'}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"Written to {RESULTS}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
