"""A live socket lives as long as its sign-in, over the real channels_redis layer: signing out
closes that session's sockets at once and no other; a password change closes the sockets of
the sessions it ended; a session that silently expired or was removed is found out when the
socket renews its groups."""

import copy

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from django.contrib.sessions.models import Session
from django.test import Client

from club.services import notify
from tests.integration.sockets import live_socket, open_live, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)

SIGNED_OUT = {"type": "websocket.close", "code": 4401}
SESSION_CHANGED = {"type": "websocket.close", "code": 4409}
EXPIRY_S = 6


@pytest.fixture
def short_group_expiry(settings):
    """Sockets renew their groups, and check their session, every EXPIRY_S / 4 s or so."""
    layers = copy.deepcopy(settings.CHANNEL_LAYERS)
    layers["default"]["CONFIG"]["group_expiry"] = EXPIRY_S
    settings.CHANNEL_LAYERS = layers  # channels rebuilds its layer on the change


def _signed_in_client(user) -> tuple[Client, bytes]:
    client = Client()
    client.force_login(user)
    return client, f"sessionid={client.cookies['sessionid'].value}".encode()


def test_sign_out_closes_every_tab_of_that_session_and_no_other(personas):
    client, cookie = _signed_in_client(personas.member)
    elsewhere_cookie = session_cookie(personas.member)  # the same member on another device

    async def scenario():
        tab, other_tab, elsewhere = (
            live_socket(cookie),
            live_socket(cookie),
            live_socket(elsewhere_cookie),
        )
        for socket in (tab, other_tab, elsewhere):
            await open_live(socket)
        response = await database_sync_to_async(client.post)("/accounts/logout/")
        assert response.status_code in (200, 302)
        assert await tab.receive_output(timeout=5) == SIGNED_OUT
        assert await other_tab.receive_output(timeout=5) == SIGNED_OUT
        await database_sync_to_async(notify)(personas.member, title="After sign-out")
        assert "After sign-out" in await elsewhere.receive_from(timeout=5)
        await elsewhere.disconnect()

    async_to_sync(scenario)()


def test_reconnecting_with_a_signed_out_cookie_is_closed_as_signed_out(personas):
    client, cookie = _signed_in_client(personas.member)
    client.post("/accounts/logout/")

    async def scenario():
        socket = live_socket(cookie)
        assert (await socket.connect(timeout=5))[0]
        assert await socket.receive_output(timeout=5) == SIGNED_OUT

    async_to_sync(scenario)()


def test_a_session_removed_without_a_word_is_found_out_at_the_next_renewal(
    personas, short_group_expiry
):
    client, cookie = _signed_in_client(personas.member)
    key = client.cookies["sessionid"].value

    async def scenario():
        socket = live_socket(cookie)
        await open_live(socket)
        # Expired, or cleared by an administrator: no signal comes.
        await database_sync_to_async(Session.objects.filter(session_key=key).delete)()
        closed = await socket.receive_output(timeout=EXPIRY_S)
        assert closed == SESSION_CHANGED

    async_to_sync(scenario)()


def test_a_password_change_closes_the_sockets_of_the_sessions_it_ended(personas):
    _client, cookie = _signed_in_client(personas.member)

    async def scenario():
        socket = live_socket(cookie)
        await open_live(socket)

        def change_password() -> None:
            personas.member.set_password("a-new-password-of-mine")
            personas.member.save()

        await database_sync_to_async(change_password)()
        assert await socket.receive_output(timeout=5) == SESSION_CHANGED
        await database_sync_to_async(notify)(personas.member, title="Not for the old session")
        assert await socket.receive_nothing(timeout=1)

    async_to_sync(scenario)()


def test_saving_a_profile_leaves_the_sockets_open(personas):
    _client, cookie = _signed_in_client(personas.member)

    async def scenario():
        socket = live_socket(cookie)
        await open_live(socket)
        personas.member.first_name = "Renamed"
        await database_sync_to_async(personas.member.save)()
        await database_sync_to_async(notify)(personas.member, title="Still here")
        assert "Still here" in await socket.receive_from(timeout=5)
        await socket.disconnect()

    async_to_sync(scenario)()
