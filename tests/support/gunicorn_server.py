"""A real gunicorn server for the rush and fault tests, started as a subprocess.

The server serves ``journee:create_app()`` in its own process group, so that a test can
stop it (SIGTERM) or kill it with its workers at once (SIGKILL), as a crash or an
out-of-memory killer would. Its settings come from ``JOURNEE_*`` variables, as in
production: monkeypatching the test process does not reach it.

``--preload`` imports the app once, in the master, before it forks its workers: a server
is ready in half the time on two busy cores. ``create_app()`` opens no database
connection, so each worker still makes its own.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
#: The server's key: an app of the test process needs the same one to derive the secret
#: links the server opens.
SECRET_KEY = "rush-and-faults-0324cff402215230125f3a35b073c280"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class GunicornServer:
    """``gunicorn --workers 2 --threads 4`` on a database given by its URL."""

    def __init__(self, database_url: str, directory: Path, workers: int = 2, threads: int = 4,
                 app: str = "journee:create_app()", **settings: str) -> None:
        self.directory = Path(directory)
        self.env = {**os.environ,
                    "JOURNEE_DATABASE_URL": database_url,
                    "JOURNEE_SECRET_KEY": SECRET_KEY,
                    # The demo day may carry 2018 data: no retention purge in a test server.
                    "JOURNEE_PURGE_INTERVAL_SECONDS": "0",
                    "JOURNEE_MAIL_FILE_DIR": str(self.directory / "outbox"),
                    "JOURNEE_PUBLIC_BASE_URL": "http://journee.test",
                    **{f"JOURNEE_{name}": value for name, value in settings.items()}}
        self.workers = workers
        self.threads = threads
        self.app = app
        self.process: subprocess.Popen | None = None
        self.port = 0
        self.log_path = self.directory / "gunicorn.log"

    def start(self, timeout: float = 60) -> GunicornServer:
        self.port = free_port()
        log = self.log_path.open("ab")
        # Its own session and process group: killpg reaches the master and every worker.
        self.process = subprocess.Popen(
            [str(GUNICORN), "--workers", str(self.workers), "--threads", str(self.threads),
             "--bind", f"127.0.0.1:{self.port}", "--graceful-timeout", "5", "--preload",
             "--log-level", "warning", self.app],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn s’est arrêté au démarrage :\n{self.log()}")
            try:
                self.request("GET", "/", timeout=5)  # any answer: a worker is serving
                return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn ne répond pas :\n{self.log()}")

    def stop(self) -> None:
        """Stop gracefully; kill what is still there after a while."""
        if self.process is None or self.process.poll() is not None:
            self.process = None
            return
        self._signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self._signal(signal.SIGKILL)
            self.process.wait()
        self.process = None

    def kill(self) -> None:
        """SIGKILL to the master and its workers together: nothing gets to clean up.

        Returns once none of them runs any more (the workers, orphaned, may linger as
        zombies: they hold no lock and no file).
        """
        group = self.process.pid
        self._signal(signal.SIGKILL)
        self.process.wait()
        self.process = None
        deadline = time.monotonic() + 10
        while _running_in_group(group) and time.monotonic() < deadline:
            time.sleep(0.05)

    def _signal(self, number: int) -> None:
        try:
            os.killpg(self.process.pid, number)
        except ProcessLookupError:
            pass

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def request(self, method: str, path: str, body: dict | None = None,
                cookie: str | None = None, timeout: float = 120) -> tuple[int, dict, str]:
        """One request on a new connection: (status, headers, body text)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = {}
        if cookie:
            headers["Cookie"] = cookie
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, data, headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
            return response.status, {k.lower(): v for k, v in response.getheaders()}, text
        finally:
            connection.close()

    def form_session(self, path: str) -> tuple[str, str]:
        """GET a form as a browser would: its session cookie and CSRF token."""
        status, headers, html = self.request("GET", path)
        assert status == 200, (status, html[:500])
        cookie = headers["set-cookie"].split(";")[0]
        return cookie, CSRF_FIELD.search(html)[1]


def _running_in_group(group: int) -> bool:
    """Whether a process of this process group is still alive (zombies aside)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            return True
    return False
