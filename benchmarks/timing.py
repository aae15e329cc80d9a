"""Shared by the benchmark scripts: timing helpers and an app holding the demo days."""

from __future__ import annotations

import statistics
import time
from io import BytesIO

from openpyxl import Workbook, load_workbook

from journee import create_app
from journee.extensions import db


def median_ms(function, repeat: int) -> float:
    function()  # Warm up: fonts parsed, templates compiled, caches filled.
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def paired_median_ms(first, second, repeat: int) -> tuple[float, float, float]:
    """Medians of two functions timed turn by turn, and the median of their ratios:
    alternating keeps a busy machine from favouring one side."""
    first()
    second()
    times_first, times_second = [], []
    for _ in range(repeat):
        for function, timings in ((first, times_first), (second, times_second)):
            start = time.perf_counter()
            function()
            timings.append((time.perf_counter() - start) * 1000)
    ratios = [a / b for a, b in zip(times_first, times_second)]
    return (statistics.median(times_first), statistics.median(times_second),
            statistics.median(ratios))


def demo_app(directory: str):
    """An app on a fresh migrated SQLite database in ``directory``, demo days loaded
    with their 2018 dates. The caller pushes its app context."""
    from flask_migrate import upgrade

    from journee.demo import load_demo

    app = create_app({
        "SECRET_KEY": "bench-e869c7753603237a7a993653b823d65a",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{directory}/bench.sqlite3",
        "PUBLIC_BASE_URL": "http://journee.test", "WTF_CSRF_ENABLED": False,
        "PURGE_INTERVAL_SECONDS": 0,
    })
    with app.app_context():
        upgrade()
        load_demo(original_dates=True)
        db.session.commit()
    return app


def cell_values(data: bytes) -> list[list]:
    """The values of an XLSX file's first sheet, row by row."""
    sheet = load_workbook(BytesIO(data), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def bare_openpyxl(values: list[list], title: str) -> bytes:
    """What a hand-written script would do to write the same cells."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    for row in values:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
