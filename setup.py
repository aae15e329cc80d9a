"""Packaging: everything is declared in pyproject.toml except the package list.

The repository keeps ``templates/`` and ``migrations/`` at its top level (the layout is
part of the product card); a distribution installs them inside the package, as the data
packages ``journee/templates/`` and ``journee/migrations/`` (a ``package_dir`` mapping),
where ``create_app()`` finds them. An editable install (``make``) leaves them where they
are: the app then finds them next to the package.
"""

from pathlib import Path

from setuptools import find_namespace_packages, setup

#: Top-level folders shipped inside the package, by the package name they install as.
SHIPPED = {"journee.templates": "templates", "journee.migrations": "migrations"}


def shipped_packages() -> list[str]:
    """``journee.templates``, ``journee.templates.admin``… one per folder, caches aside."""
    packages = []
    for package, folder in SHIPPED.items():
        for path in sorted([Path(folder), *Path(folder).rglob("*")]):
            if path.is_dir() and "__pycache__" not in path.parts:
                packages.append(".".join([package, *path.relative_to(folder).parts]))
    return packages


setup(
    packages=[*find_namespace_packages(include=["journee*"], exclude=["*__pycache__"]),
              *shipped_packages()],
    package_dir=SHIPPED,
)
