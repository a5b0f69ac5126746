"""The live channel over the real channels_redis layer: who may connect, who hears what."""

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator

from club.services import notify, user_group
from tests.integration.sockets import live_socket, open_live, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)


async def _connected(communicator: WebsocketCommunicator) -> bool:
    connected, _ = await communicator.connect(timeout=5)
    return connected


def test_anonymous_socket_is_closed_as_signed_out_before_any_push(personas):
    async def scenario():
        communicator = live_socket()
        assert await _connected(communicator)  # so the page learns why, and stops retrying
        assert await communicator.receive_output(timeout=5) == {
            "type": "websocket.close",
            "code": 4401,
        }

    async_to_sync(scenario)()


def test_socket_from_a_foreign_origin_is_refused(personas):
    cookie = session_cookie(personas.member)

    async def scenario():
        communicator = live_socket(cookie, origin=b"http://evil.example")
        assert not await _connected(communicator)

    async_to_sync(scenario)()


def test_a_user_hears_only_their_own_notifications(personas):
    member_cookie, clubmate_cookie = (
        session_cookie(personas.member),
        session_cookie(personas.clubmate),
    )

    async def scenario():
        mine, theirs = live_socket(member_cookie), live_socket(clubmate_cookie)
        await open_live(mine), await open_live(theirs)
        await _notify(personas.member, "Your analysis is ready")
        html = await mine.receive_from(timeout=5)
        assert "Your analysis is ready" in html and 'id="unread-badge"' in html
        assert await theirs.receive_nothing(timeout=1)
        await mine.disconnect()
        await theirs.disconnect()

    async_to_sync(scenario)()


def test_a_stray_event_naming_another_users_notification_renders_nothing(personas):
    clubmate_cookie = session_cookie(personas.clubmate)
    secret = notify(personas.member, title="Private to member")

    async def scenario():
        theirs = live_socket(clubmate_cookie)
        await open_live(theirs)
        await get_channel_layer().group_send(
            user_group(personas.clubmate.pk), {"type": "notification.new", "id": secret.pk}
        )
        assert await theirs.receive_nothing(timeout=1)
        await theirs.disconnect()

    async_to_sync(scenario)()


async def _notify(user, title):
    from channels.db import database_sync_to_async

    await database_sync_to_async(notify)(user, title=title)
