"""A built wheel installs and serves outside the checkout.

The repository keeps ``templates/`` and ``migrations/`` at its top level; the wheel must
carry them inside the package. The test builds the wheel from a copy of the sources,
installs it in a fresh virtual environment in a temporary folder (the dependencies come
from this test's own environment through a ``.pth`` file, so that nothing is downloaded:
``journee`` itself, its templates and its migrations come from the wheel), then runs
``journee init`` and ``journee demo`` and serves the app with gunicorn.
"""

from __future__ import annotations

import http.client
import importlib.metadata
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import venv
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
#: Bound of every subprocess, in seconds: a hung build or server fails the test.
TIMEOUT = 180


def _shipped_files(folder: str) -> set[str]:
    """The files of a top-level folder as the wheel must hold them (journee/<folder>/…)."""
    return {f"journee/{path.relative_to(ROOT).as_posix()}"
            for path in (ROOT / folder).rglob("*")
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"}


def _run(command: list, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run([str(part) for part in command], capture_output=True, text=True,
                            timeout=TIMEOUT, **kwargs)
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel built from a clean copy of the sources (a checkout's build/ folder could
    hold stale files)."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", "*.pyc", "instance",
        ".pytest_cache", ".hypothesis", "results", "node_modules"))
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet",
               "--wheel-dir", base / "dist", source]
    # Without build isolation when this environment's setuptools can build the project
    # (no download at all); otherwise pip fetches the build requirements (or its cache).
    if int(importlib.metadata.version("setuptools").split(".")[0]) >= 77:
        command.insert(-1, "--no-build-isolation")
    _run(command, cwd=base)
    (built,) = (base / "dist").glob("journee-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh virtual environment, outside the checkout, with the wheel installed."""
    target = tmp_path_factory.mktemp("venv") / "venv"
    venv.create(target, with_pip=False, system_site_packages=False)
    python = target / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--quiet",
          "--no-deps", "--no-index", wheel])
    site_packages = Path(_run([python, "-c", "import sysconfig; "
                                "print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    # The dependencies (Flask, SQLAlchemy, gunicorn…) from this test's environment,
    # after the new environment's own site-packages: journee is found there first.
    (site_packages / "zz_dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n")
    return target


@pytest.fixture
def environment(tmp_path) -> dict:
    """Settings as an operator of an installed wheel gives them: no checkout around."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("JOURNEE_", "PYTHON", "FLASK_"))}
    env.update({
        "JOURNEE_DATABASE_URL": f"sqlite:///{tmp_path / 'journee.sqlite3'}",
        "JOURNEE_SECRET_KEY": secrets.token_hex(32),
        "JOURNEE_PURGE_INTERVAL_SECONDS": "0",  # the demo's past day stays for the test
        "JOURNEE_MAIL_AUTO_RETRY_SECONDS": "0",
    })
    return env


def test_the_wheel_ships_the_templates_and_the_migrations(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    templates, migrations = _shipped_files("templates"), _shipped_files("migrations")
    assert "journee/templates/base.html" in templates
    assert {"journee/migrations/env.py", "journee/migrations/alembic.ini",
            "journee/migrations/script.py.mako"} <= migrations
    assert len([name for name in migrations if "/versions/" in name]) >= 10
    assert templates - names == set()
    assert migrations - names == set()
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]


def test_the_installed_wheel_initialises_and_serves_outside_the_checkout(
        installed, environment, tmp_path):
    python, journee = installed / "bin" / "python", installed / "bin" / "journee"
    where = _run([python, "-c", "import journee; app = journee.create_app(); "
                  "print(journee.__file__); print(app.template_folder); "
                  "print(app.extensions['migrate'].directory); print(app.instance_path)"],
                 cwd=tmp_path, env=environment).stdout.splitlines()
    package = installed.resolve() / "lib"
    for path in where:
        assert Path(path).resolve().is_relative_to(installed.resolve()), where
    assert Path(where[0]).resolve().is_relative_to(package)
    assert [Path(path).resolve() for path in where[1:3]] == [
        Path(where[0]).resolve().parent / name for name in ("templates", "migrations")]
    # Flask's instance folder of an installed package: <prefix>/var/journee-instance.
    assert Path(where[3]) == installed / "var" / "journee-instance"

    init = _run([journee, "init"], cwd=tmp_path, env=environment)
    assert "Base de données à jour" in init.stdout
    demo = _run([journee, "demo"], cwd=tmp_path, env=environment)
    assert "Chargé «\u202f" in demo.stdout

    with _served(python, tmp_path, environment) as port:
        status, home = _get(port, "/")
        assert status == 200, home[:2000]
        assert "<h1>Journées d’étude</h1>" in home
        assert '<html lang="fr"' in home
        event_path, title = re.search(r'<a href="(/e/[^"/]+/)">([^<]+)</a>', home).groups()
        status, page = _get(port, event_path)
        assert status == 200, page[:2000]
        assert f"<h1>{title}</h1>" in page
        status, css = _get(port, "/static/journee.css")
        assert status == 200 and "{" in css


def test_the_instance_folder_can_be_named(installed, environment, tmp_path):
    environment["JOURNEE_INSTANCE_PATH"] = str(tmp_path / "ailleurs")
    result = _run([installed / "bin" / "python", "-c",
                   "import journee; print(journee.create_app().instance_path)"],
                  cwd=tmp_path, env=environment)
    assert result.stdout.strip() == str(tmp_path / "ailleurs")
    assert (tmp_path / "ailleurs").is_dir()


class _served:
    """gunicorn, run by the new environment's Python, on a free loopback port."""

    def __init__(self, python: Path, directory: Path, env: dict) -> None:
        self.command = [str(python), "-m", "gunicorn", "--workers", "1",
                        "--log-level", "warning", "journee:create_app()"]
        self.directory, self.env = directory, env
        self.log = directory / "gunicorn.log"

    def __enter__(self) -> int:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [*self.command, "--bind", f"127.0.0.1:{port}"], cwd=self.directory,
                env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn stopped:\n{self.log.read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return port
            except OSError:
                time.sleep(0.1)
        self.__exit__()
        raise AssertionError(f"gunicorn does not answer:\n{self.log.read_text()}")

    def __exit__(self, *_exc) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=15)


def _get(port: int, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", errors="replace")
    finally:
        connection.close()
