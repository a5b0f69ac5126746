"""WebSocket handshakes are accepted only from pages of this very site.

A browser sends cookies with a WebSocket handshake to any site, whichever page opened it, so the
Origin header is the only thing that tells our pages from someone else's. It must name the same
scheme, host and port as the handshake itself (whose Host is one of ALLOWED_HOSTS), or be one of
CSRF_TRUSTED_ORIGINS: the rule Django's CSRF check applies to unsafe HTTP requests. Channels'
AllowedHostsOriginValidator compares host names only, so a page served by any other program on
any port of an allowed host (``http://localhost:3000``) could open a signed-in socket.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host
from django.utils.http import is_same_domain

DEFAULT_PORTS = {"http": 80, "https": 443}
Origin = tuple[str, str, int]


def parse_origin(value: str) -> Origin | None:
    """(scheme, host, port) of an http(s) origin, with the scheme's default port filled in."""
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    return parts.scheme, parts.hostname, port or DEFAULT_PORTS[parts.scheme]


def _header(scope: dict, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin1")
    return None


def _is_secure(scope: dict) -> bool:
    """As HttpRequest.is_secure(): the server's own scheme, or the proxy's header if trusted."""
    if scope.get("scheme") in ("wss", "https"):
        return True
    proxy_header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if not proxy_header:
        return False
    name, expected = proxy_header
    wire_name = name.removeprefix("HTTP_").replace("_", "-").lower().encode()
    value = _header(scope, wire_name)
    return value is not None and value.split(",", 1)[0].strip() == expected


def _allowed_hosts() -> list[str]:
    if settings.DEBUG and not settings.ALLOWED_HOSTS:
        return [".localhost", "127.0.0.1", "[::1]"]  # what Django's get_host() allows then
    return settings.ALLOWED_HOSTS


def handshake_origin(scope: dict) -> Origin | None:
    """The origin of the handshake itself, if its Host is one this site serves."""
    host = _header(scope, b"host")
    if not host:
        return None
    domain, _port = split_domain_port(host)
    if not domain or not validate_host(domain, _allowed_hosts()):
        return None
    return parse_origin(f"{'https' if _is_secure(scope) else 'http'}://{host}")


def _trusted(origin: Origin) -> bool:
    """One of CSRF_TRUSTED_ORIGINS; ``https://*.example.org`` covers its subdomains, as there."""
    for pattern in settings.CSRF_TRUSTED_ORIGINS:
        trusted = parse_origin(pattern)
        if trusted is None or (trusted[0], trusted[2]) != (origin[0], origin[2]):
            continue
        host = trusted[1]
        if host == origin[1] or (host.startswith("*.") and is_same_domain(origin[1], host[1:])):
            return True
    return False


def origin_allowed(scope: dict) -> bool:
    sent = _header(scope, b"origin")
    origin = parse_origin(sent) if sent else None
    if origin is None:  # browsers always send one; "null" and opaque origins are refused
        return False
    return origin == handshake_origin(scope) or _trusted(origin)


class SameOriginValidator:
    """ASGI middleware: refuses (HTTP 403) a WebSocket handshake from another origin."""

    def __init__(self, application: object) -> None:
        self.application = application

    async def __call__(self, scope: dict, receive: object, send: object) -> None:
        if scope["type"] == "websocket" and not origin_allowed(scope):
            return await WebsocketDenier()(scope, receive, send)
        return await self.application(scope, receive, send)
