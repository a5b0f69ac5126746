"""Deleting an account closes its open sockets, over the real channels_redis layer."""

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async

from club.life.account import delete_account
from tests.integration.sockets import live_socket, open_live, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_deleted_members_open_socket_is_closed(personas):
    cookie = session_cookie(personas.member)

    async def scenario():
        socket = live_socket(cookie)
        await open_live(socket)
        await database_sync_to_async(delete_account)(personas.member)
        closed = await socket.receive_output(timeout=5)
        assert closed == {"type": "websocket.close", "code": 4403}

    async_to_sync(scenario)()
