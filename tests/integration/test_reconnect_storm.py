"""A restarted server gets every open page back within seconds. Against a running server over
the real Redis layer, 300 sockets connecting at once (three times redis-py's default pool) are
all accepted and all hear a club push; closed all at once, none is left in any group."""

import asyncio
import time

import pytest
import redis
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings

from club.services import club_group, refresh_club_region, user_group
from tests.integration.sockets import real_socket, session_cookie
from tests.servers import LiveServer

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

SOCKETS = 300


async def _open(server_url: str, cookie: bytes) -> object:
    socket = await real_socket(server_url, cookie)
    await socket.recv()  # the catch-up: the consumer has joined its groups and accepted
    return socket


def _members(groups: list[str]) -> dict[str, set[bytes]]:
    """Every channel in each group, whichever test or process put it there."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    return {g: set(client.zrange(get_channel_layer()._group_key(g), 0, -1)) for g in groups}


def test_a_reconnect_storm_is_all_accepted_heard_and_cleaned_up(personas):
    cookie = session_cookie(personas.member)
    groups = [club_group(personas.club.pk), user_group(personas.member.pk)]
    before = _members(groups)
    server = LiveServer()
    server.start()

    async def scenario() -> tuple[int, int]:
        opened = await asyncio.gather(
            *(_open(server.url, cookie) for _ in range(SOCKETS)), return_exceptions=True
        )
        sockets = [s for s in opened if not isinstance(s, BaseException)]
        await database_sync_to_async(refresh_club_region)(personas.club.pk, region="r", url="/")
        heard = await asyncio.gather(
            *(asyncio.wait_for(s.recv(), 10) for s in sockets), return_exceptions=True
        )
        await asyncio.gather(*(s.close() for s in sockets))
        return len(sockets), sum('id="refresh-r"' in h for h in heard if isinstance(h, str))

    try:
        accepted, heard = async_to_sync(scenario)()
        for _ in range(50):  # disconnect handlers finish within moments of the close
            if _members(groups) == before:
                break
            time.sleep(0.2)
        left = {g: len(members - before[g]) for g, members in _members(groups).items()}
    finally:
        server.stop()
    assert (accepted, heard) == (SOCKETS, SOCKETS)
    assert left == {g: 0 for g in groups}
