"""A page open longer than the channel layer's group_expiry still hears its club: the socket
re-joins its groups while it lives, so only members of a killed process ever expire."""

import asyncio
import copy

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from django.conf import settings

from club.services import refresh_club_region
from tests.integration.sockets import live_socket, open_live, session_cookie

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

EXPIRY_S = 6


@pytest.fixture
def short_group_expiry(settings):
    layers = copy.deepcopy(settings.CHANNEL_LAYERS)
    layers["default"]["CONFIG"]["group_expiry"] = EXPIRY_S
    settings.CHANNEL_LAYERS = layers  # channels rebuilds its layer on the change


def test_a_socket_open_past_the_group_expiry_still_hears_its_club(personas, short_group_expiry):
    assert settings.CHANNEL_LAYERS["default"]["CONFIG"]["group_expiry"] == EXPIRY_S
    cookie = session_cookie(personas.member)

    async def scenario() -> str:
        socket = live_socket(cookie)
        await open_live(socket)
        await asyncio.sleep(EXPIRY_S + 3)
        await database_sync_to_async(refresh_club_region)(personas.club.pk, region="r", url="/")
        heard = await socket.receive_from(timeout=5)
        await socket.disconnect()
        return heard

    assert 'id="refresh-r"' in async_to_sync(scenario)()
