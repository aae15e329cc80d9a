"""Time the facilitators' workshop list (XLSX) for a 500-person workshop against bare openpyxl.

The list is built from its plain dataclass (:class:`WorkshopList`), as the facilitator's
download builds it once the members are loaded. The bare script writes the very cell
values our builder produced (read back once) with a plain write-only workbook: title rows,
header, data rows, no styles, no widths, no text safety. The ratio ours / bare is the cost
of our own code; the target is ≤ 1.3.

Run: ``.venv/bin/python benchmarks/bench_facilitator_list.py``; results also go to
``benchmarks/results/facilitator_list.json``.
"""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from pathlib import Path

from timing import bare_openpyxl, cell_values, paired_median_ms

from journee.documents.workshop_list_xlsx import (
    ListedPerson,
    WorkshopList,
    build_workshop_list_xlsx,
)

PEOPLE = 500
REPEAT = 21
TARGET_RATIO = 1.3
RESULTS = Path(__file__).resolve().parent / "results" / "facilitator_list.json"
TRICKY = ("=1+1", "<Dupont> & Cie", "O'Brien-Lefèvre", "Дмитрий", "ligne\x0bverticale",
          "Ἀλέξανδρος", "#N/A")
PROFILES = ("Étudiant·e", "Professionnel·le", "Formateur·rice", "Cadre", "Autre")


def workshop_list() -> WorkshopList:
    """500 attendees with e-mail and phone (the widest list), a few tricky values."""
    people = [ListedPerson(
        last_name=TRICKY[n % len(TRICKY)] if n % 37 == 0 else f"Nom-{n}",
        first_name=f"Prénom{n}",
        organisation="Maison d’enfants à caractère social des Hauts-de-Rouen",
        function="Éducatrice spécialisée", profile=PROFILES[n % len(PROFILES)],
        email=f"personne{n}@example.org", phone="06 12 34 56 78") for n in range(PEOPLE)]
    return WorkshopList(
        workshop="Atelier n°3\u00a0: Protection de l’enfance",
        event_title="Le travail social à l’épreuve du numérique : enjeux, risques et "
                    "opportunités",
        day=date(2018, 3, 15), starts_at=datetime(2018, 3, 15, 10, 45),
        ends_at=datetime(2018, 3, 15, 12, 30), room="Salle 12", people=people,
        with_contact=True)




def main() -> int:
    data_in = workshop_list()
    data = build_workshop_list_xlsx(data_in)
    values = cell_values(data)
    ours_ms, bare_ms, ratio = paired_median_ms(
        lambda: build_workshop_list_xlsx(data_in), lambda: bare_openpyxl(values, "Participant·es"), REPEAT)
    results = {
        "people": PEOPLE,
        "cells": sum(1 for row in values for value in row if value is not None),
        "ours_ms": ours_ms,
        "bare_openpyxl_ms": bare_ms,
        "ours_over_bare": ratio,
        "xlsx_bytes": len(data),
        "target_ratio": TARGET_RATIO,
        "repeat": REPEAT,
        "python": sys.version.split()[0],
    }

    print(f"Facilitators' XLSX list of a {PEOPLE}-person workshop "
          f"({results['cells']} cells), median of {REPEAT} runs")
    print(f"  {'build_workshop_list_xlsx':34} {ours_ms:8.1f} ms")
    print(f"  {'bare openpyxl, same cells':34} {bare_ms:8.1f} ms")
    verdict = "OK" if ratio <= TARGET_RATIO else "TOO SLOW"
    print(f"  {'ours / bare (median of pairs)':34} {ratio:8.2f}   "
          f"(target ≤ {TARGET_RATIO}: {verdict})")

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"Written to {RESULTS}")
    return 0 if verdict == "OK" else 1


if __name__ == "__main__":
    sys.exit(main())
