"""The bottom layer, journee.util: its helpers, and that it stays the bottom layer."""

import ast
from datetime import date, datetime
from pathlib import Path

import journee
from journee.util import clock
from journee.util.text import fold, quoted

PACKAGE = Path(journee.__file__).parent
ROOT = PACKAGE.parent
MOVED = {"fold": "journee.util.text", "today_in": "journee.util.clock",
         "utcnow": "journee.util.clock"}


def imports(path: Path):
    """``(module, names)`` for each import of ``path``, relative imports made absolute."""
    package = list(path.relative_to(ROOT).parts[:-1])
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            yield module, [alias.name for alias in node.names]


def python_files(*folders: str):
    for folder in folders:
        yield from (ROOT / folder).rglob("*.py")


def test_util_imports_no_feature_package():
    """Only the standard library and journee.util itself: every layer may import it."""
    for path in (PACKAGE / "util").glob("*.py"):
        for module, _ in imports(path):
            if module == "journee" or module.startswith("journee."):
                assert module.startswith("journee.util"), f"{path.name} imports {module}"
            else:
                assert module.split(".")[0] in {"__future__", "datetime", "unicodedata",
                                                "zoneinfo"}, f"{path.name} imports {module}"


def test_clock_and_folding_come_from_util_only():
    for path in python_files("journee", "tests", "benchmarks"):
        for module, names in imports(path):
            for name in set(names) & MOVED.keys():
                assert module == MOVED[name], \
                    f"{path.relative_to(ROOT)} imports {name} from {module}"
    # Module-level functions only: an e-mail header has a fold() method of its own.
    defined = {node.name: path.relative_to(ROOT)
               for path in python_files("journee") if path.parent.name != "util"
               for node in ast.parse(path.read_text(encoding="utf-8")).body
               if isinstance(node, ast.FunctionDef) and node.name in MOVED}
    assert defined == {}


def test_fold_ignores_case_and_accents():
    assert fold("Élodie") == "elodie"
    assert fold("ŻÓŁĆ") == fold("zolc") == "zolc"
    assert fold("Œuvre Straße") == "oeuvre strasse"
    assert fold("MARTIN") == "martin"


def test_quoted_keeps_the_guillemets_on_the_line():
    assert quoted("Salle 1") == "«\u00a0Salle 1\u00a0»"
    assert quoted("Nom", "\u202f") == "«\u202fNom\u202f»"


def test_today_is_the_event_s_day(monkeypatch):
    class Clock(datetime):
        @classmethod
        def now(cls, tz=None):
            # 23 h 30 UTC on 14 March is already 15 March in Paris.
            return datetime(2018, 3, 14, 23, 30, tzinfo=clock.UTC).astimezone(tz)

    monkeypatch.setattr(clock, "datetime", Clock)
    assert clock.today_in("Europe/Paris") == date(2018, 3, 15)
    assert clock.today_in("UTC") == date(2018, 3, 14)
    assert clock.utcnow() == datetime(2018, 3, 14, 23, 30)
