"""Signing out ends the live channel of that session, over the real channels_redis layer: its
open sockets are closed at once and hear nothing more, while the member's other sessions stay
live; a socket whose session ended some other way is closed at its next push, unsent."""

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from django.contrib.sessions.models import Session
from django.test import Client

from club.services import notify
from tests.integration.sockets import live_socket, open_live, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)

SIGNED_OUT = {"type": "websocket.close", "code": 4401}


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


def test_a_session_ended_elsewhere_gets_its_socket_closed_instead_of_the_next_push(personas):
    client, cookie = _signed_in_client(personas.member)
    key = client.cookies["sessionid"].value

    async def scenario():
        socket = live_socket(cookie)
        await open_live(socket)
        # Expired, cleared by an administrator, cut off by a password change: no signal comes.
        await database_sync_to_async(Session.objects.filter(session_key=key).delete)()
        await database_sync_to_async(notify)(personas.member, title="Not for an ended session")
        closed = await socket.receive_output(timeout=5)
        assert closed == {"type": "websocket.close", "code": 4409}

    async_to_sync(scenario)()


def test_a_password_change_elsewhere_stops_pushes_to_older_sessions(personas):
    _client, cookie = _signed_in_client(personas.member)

    async def scenario():
        socket = live_socket(cookie)
        await open_live(socket)

        def change_password() -> None:
            personas.member.set_password("a-new-password-of-mine")
            personas.member.save()
            notify(personas.member, title="Not for the old session")

        await database_sync_to_async(change_password)()
        closed = await socket.receive_output(timeout=5)
        assert closed == {"type": "websocket.close", "code": 4409}

    async_to_sync(scenario)()
