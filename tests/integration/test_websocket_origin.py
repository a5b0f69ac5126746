"""A signed-in socket is opened only by pages of this very site: the Origin must name the
handshake's own scheme, host and port (its Host one of ALLOWED_HOSTS), or a trusted origin.
In process over the real channels_redis layer, and against a running server."""

import pytest
import websockets
from asgiref.sync import async_to_sync

from tests.integration.sockets import live_socket, real_socket, session_cookie
from tests.servers import LiveServer

pytestmark = pytest.mark.django_db(transaction=True)


def _accepted(cookie: bytes, *, origin: bytes, host: bytes = b"localhost") -> bool:
    async def scenario() -> bool:
        socket = live_socket(cookie, origin, host=host)
        connected, _ = await socket.connect(timeout=5)
        if connected:
            await socket.disconnect()
        return connected

    return async_to_sync(scenario)()


@pytest.mark.parametrize(
    "origin, host",
    [
        (b"http://localhost:8000", b"localhost:8000"),
        (b"http://127.0.0.1:8123", b"127.0.0.1:8123"),
        (b"http://[::1]:8000", b"[::1]:8000"),
        (b"http://LOCALHOST", b"localhost:80"),
    ],
)
def test_a_page_of_the_same_origin_is_accepted(personas, origin, host):
    assert _accepted(session_cookie(personas.member), origin=origin, host=host)


@pytest.mark.parametrize(
    "origin, host",
    [
        (b"http://localhost:3000", b"localhost:8000"),  # another program on the same host
        (b"http://localhost", b"localhost:8000"),
        (b"https://localhost:8000", b"localhost:8000"),  # scheme differs
        (b"http://127.0.0.1:8000", b"localhost:8000"),  # another name of the machine
        (b"http://evil.example", b"evil.example"),  # a Host we do not serve (DNS rebinding)
        (b"null", b"localhost"),
        (b"", b"localhost"),
    ],
)
def test_a_page_of_another_origin_is_refused(personas, origin, host):
    assert not _accepted(session_cookie(personas.member), origin=origin, host=host)


def test_a_trusted_origin_is_accepted_on_its_exact_scheme_and_port(personas, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://*.runclub.example"]
    cookie = session_cookie(personas.member)
    assert _accepted(cookie, origin=b"https://app.runclub.example", host=b"backend:8000")
    assert not _accepted(cookie, origin=b"http://app.runclub.example", host=b"backend:8000")
    assert not _accepted(cookie, origin=b"https://app.runclub.example:8443", host=b"backend")


def test_behind_a_tls_proxy_the_https_origin_is_the_sites_own(personas, settings):
    settings.ALLOWED_HOSTS = ["runclub.example"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    cookie = session_cookie(personas.member)

    async def scenario(origin: bytes) -> bool:
        socket = live_socket(cookie, origin, host=b"runclub.example")
        socket.scope["headers"].append((b"x-forwarded-proto", b"https"))
        return (await socket.connect(timeout=5))[0]

    assert async_to_sync(scenario)(b"https://runclub.example")
    assert not async_to_sync(scenario)(b"http://runclub.example")


def test_the_running_server_refuses_its_own_host_on_another_port(personas):
    cookie = session_cookie(personas.member)
    server = LiveServer()
    server.start()

    async def scenario() -> None:
        async with real_socket(server.url, cookie) as socket:
            assert 'id="unread-badge"' in await socket.recv()
        elsewhere = f"http://127.0.0.1:{server.port + 1}"
        with pytest.raises(websockets.InvalidStatus) as refused:
            async with real_socket(server.url, cookie, origin=elsewhere):
                pass
        assert refused.value.response.status_code == 403

    try:
        async_to_sync(scenario)()
    finally:
        server.stop()
