"""Time the organiser's timetable and one-page session form on the IRTS-IDS demo day
(7 rooms, 17 sessions, 6 parallel workshops), against the public event page that shows
the same programme.

Rows: the timetable (GET, every quarter of an hour × every room), the workshops slot's
form (GET, every workshop with its facilitators), and saving that form unchanged (POST,
every row checked and every person found again). Targets (2 cores): the timetable within 3 × the event page, the slot's form
saved in < 300 ms.

Run: ``.venv/bin/python benchmarks/bench_timetable.py``; results also go to
``benchmarks/results/timetable.json``.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from html import unescape
from pathlib import Path

from timing import demo_app, median_ms

from journee.auth.models import User
from journee.extensions import db
from journee.programme.models import Event

SLUG = "travail-social-epreuve-numerique-2018"
REPEAT = 20
TARGET_RATIO = 3.0
TARGET_SAVE_MS = 300
RESULTS = Path(__file__).resolve().parent / "results" / "timetable.json"


def form_fields(html: str) -> dict[str, str]:
    """What a browser would post back: the inputs' values and each select's choice."""
    data = {}
    for tag in re.findall(r"<input [^>]*>", html):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        kind = re.search(r'type="([^"]+)"', tag)
        if name and (not kind or kind[1] not in ("checkbox", "submit")):
            data[name[1]] = unescape(value[1]) if value else ""
    for name, body in re.findall(r'<select [^>]*name="([^"]+)"[^>]*>(.*?)</select>', html,
                                 re.DOTALL):
        chosen = re.search(r'<option selected value="([^"]*)"', body) or re.search(
            r'<option value="([^"]*)"', body)
        data[name] = unescape(chosen[1]) if chosen else ""
    return data


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        app = demo_app(tmp)
        with app.app_context():
            event = db.session.scalar(db.select(Event).filter_by(slug=SLUG))
            event_id, slot_id = event.id, event.workshop_sessions[0].id
            user = User(email="bench@example.org", name="Bench", is_admin=True)
            user.set_password("mot-de-passe-solide")
            db.session.add(user)
            db.session.commit()
        client = app.test_client()
        assert client.post("/connexion", data={"email": "bench@example.org",
                                               "password": "mot-de-passe-solide"}
                           ).status_code == 302
        grid_url = f"/admin/journees/{event_id}/grille"
        form_url = f"/admin/journees/{event_id}/seances/{slot_id}/modifier"

        def get(url):
            def run():
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
            return run

        data = form_fields(client.get(form_url).get_data(as_text=True))

        def save():
            # The same rows each time: nothing to add or remove, all checked again.
            response = client.post(form_url, data=data)
            assert response.status_code == 302, response.get_data(as_text=True)[:2000]

        results = {
            "event_page_ms": median_ms(get(f"/e/{SLUG}/"), REPEAT),
            "timetable_ms": median_ms(get(grid_url), REPEAT),
            "slot_form_ms": median_ms(get(form_url), REPEAT),
            "slot_save_ms": median_ms(save, REPEAT),
            "posted_fields": len(data),
        }
        with app.app_context():
            db.engine.dispose()
    results["timetable_over_event_page"] = results["timetable_ms"] / results["event_page_ms"]
    results.update(repeat=REPEAT, target_ratio=TARGET_RATIO, target_save_ms=TARGET_SAVE_MS,
                   python=sys.version.split()[0])

    print(f"Timetable and session form of « {SLUG} », median of {REPEAT} runs")
    for key, label in (("event_page_ms", "public event page (reference)"),
                       ("timetable_ms", "timetable (GET)"),
                       ("slot_form_ms", "workshops slot form (GET)"),
                       ("slot_save_ms", "workshops slot form saved (POST)")):
        print(f"  {label:36} {results[key]:8.2f} ms")
    ok = (results["timetable_over_event_page"] <= TARGET_RATIO
          and results["slot_save_ms"] <= TARGET_SAVE_MS)
    print(f"  {'timetable / event page':36} {results['timetable_over_event_page']:8.2f}   "
          f"(target ≤ {TARGET_RATIO}; save target < {TARGET_SAVE_MS} ms: "
          f"{'OK' if ok else 'TOO SLOW'})")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"Written to {RESULTS}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
