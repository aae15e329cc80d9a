"""Which package may import which: read from the source (AST), not from a running app.

``journee.workshops`` builds on ``journee.registration`` (it places registrations in
workshops and e-mails them); registration never reaches back, so neither needs an import
inside a function to dodge a cycle. The whole package map is checked by import-linter
(``[tool.importlinter]`` in pyproject.toml, run by ``.ci/run``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import journee

PACKAGE = Path(journee.__file__).resolve().parent


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports(name: str, path: Path) -> list[tuple[str, bool]]:
    """(imported module, whether the import sits inside a function) for each import."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []

    def visit(node, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                       ast.Lambda))
            if isinstance(child, ast.Import):
                found.extend((alias.name, inside) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")
                    anchor = anchor[:len(anchor) - child.level + 1]
                    base = ".".join(anchor + ([base] if base else []))
                found.append((base, inside))
                # « from . import services » imports a module too.
                found.extend((f"{base}.{alias.name}", inside) for alias in child.names)
            visit(child, inside)

    visit(tree, False)
    return found


def within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_the_module_names_are_read_right():
    found = dict(modules())
    assert "journee.registration.emails" in found and "journee.mail" in found
    assert ("journee.registration.emails", False) in imports(
        "journee.workshops.emails", found["journee.workshops.emails"])


def test_registration_never_imports_workshops():
    wrong = [(name, imported) for name, path in modules().items()
             if within(name, "journee.registration")
             for imported, _ in imports(name, path) if within(imported, "journee.workshops")]
    assert wrong == []


def test_no_import_inside_a_function_between_registration_and_workshops():
    pairs = (("journee.registration", "journee.workshops"),
             ("journee.workshops", "journee.registration"))
    wrong = [(name, imported) for name, path in modules().items()
             for imported, inside in imports(name, path) if inside
             for mine, other in pairs if within(name, mine) and within(imported, other)]
    assert wrong == []


def test_no_import_cycle_through_registration_and_workshops():
    """Module-level imports only: a module of one package that reaches a module of the
    other, which reaches it back, would be a cycle."""
    found = modules()
    graph = {name: {imported for imported, inside in imports(name, path)
                    if not inside and imported in found and imported != name}
             for name, path in found.items()}

    def reach(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for following in graph[todo.pop()] - seen:
                seen.add(following)
                todo.append(following)
        return seen

    cycles = [(name, other) for name in found if within(name, "journee.registration")
              for other in reach(name) if within(other, "journee.workshops")
              and name in reach(other)]
    assert cycles == []


def test_each_package_registers_its_composers_in_init_app():
    """No composer is registered as a side effect of importing a module."""
    wrong = []
    for name, path in modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            text = ast.unparse(node)
            if not isinstance(node, (ast.FunctionDef, ast.ClassDef)) and (
                    "register_composer(" in text or "COMPOSERS[" in text):
                wrong.append(name)
    assert wrong == []
