"""The browser's side of the live channel, for tests: a session cookie and a socket."""

from __future__ import annotations

from channels.testing import WebsocketCommunicator
from django.test import Client
from websockets.asyncio.client import connect

from config.asgi import application


def session_cookie(user) -> bytes:
    """Made synchronously: call it before entering the test's async scenario."""
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


def live_socket(
    cookie: bytes | None = None,
    origin: bytes = b"http://localhost",
    *,
    host: bytes = b"localhost",
    path: str = "/ws/live/",
) -> WebsocketCommunicator:
    """A handshake as a page of http://localhost would make it (Host and Origin agree)."""
    headers = [(b"host", host), (b"origin", origin)] + ([(b"cookie", cookie)] if cookie else [])
    return WebsocketCommunicator(application, path, headers=headers)


async def open_live(communicator: WebsocketCommunicator) -> str:
    """Connect, and return what the server sends first: the badge and any missed notifications."""
    connected, _ = await communicator.connect(timeout=5)
    assert connected, "the live socket was refused"
    return await communicator.receive_from(timeout=5)


def real_socket(server_url: str, cookie: bytes, *, origin: str | None = None) -> connect:
    """A WebSocket to a running server, as a page of `origin` (the server's own by default)
    would open it. No client pings: a page sends nothing while it sits idle."""
    return connect(
        "ws" + server_url.removeprefix("http") + "/ws/live/",
        origin=origin or server_url,
        additional_headers={"Cookie": cookie.decode()},
        ping_interval=None,
        proxy=None,
        open_timeout=30,
    )
