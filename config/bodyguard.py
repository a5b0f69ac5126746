"""An ASGI wrapper that bounds request bodies before the application reads them.

Django reads a whole body before any view runs, so a size check in a view comes too late: the
bytes have already been received. This wrapper sits in front of it (config.asgi) and answers
413 itself:

* at once, without reading a byte, when the declared Content-Length is over the route's limit
  (config.limits.body_limit), or over the anonymous limit and nobody is signed in;
* as the bytes stream in, for a body without a Content-Length (chunked), as soon as the count
  passes either limit. The application is told the client went away and the rest is not read.

The server must hand the body over in pieces and stop reading the socket while the application
is not reading (uvicorn does); the 413 carries `Connection: close` so the unread rest of the
body is dropped with the connection instead of being read and thrown away.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from types import SimpleNamespace
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import parse_cookie
from django.urls import Resolver404, resolve

from config import limits

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SIGN_IN_FIRST = (
    f"Sign in first: before signing in a request may send at most {limits.ANONYMOUS_BODY.shown}."
)


class BodyGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        # Import the URL configuration (and with it every view) now, not on the first request.
        _url_name("/")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = _headers(scope) if scope["type"] == "http" else {}
        if b"content-length" not in headers and b"transfer-encoding" not in headers:
            await self.app(scope, receive, send)  # no body at all (GET, static files, sockets)
            return
        limit = _route_limit(scope, headers)
        declared = _declared_length(headers)
        if declared is not None and declared > limit.body_max_bytes:
            await refuse(scope, send, limits.too_large(limit, size_bytes=declared))
            return
        if declared is not None and declared > limits.ANONYMOUS_BODY.max_bytes:
            if not await signed_in(headers):
                await refuse(scope, send, SIGN_IN_FIRST)
                return
        metered = _MeteredBody(scope, receive, send, limit, headers, trusted=declared is not None)
        await self.app(scope, metered.receive, metered.send)
        if metered.refusal and not metered.response_started:
            await refuse(scope, send, metered.refusal)


class _MeteredBody:
    """Counts the body as the application reads it and cuts it off at the limit."""

    def __init__(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        limit: limits.BodyLimit,
        headers: dict[bytes, bytes],
        *,
        trusted: bool,
    ) -> None:
        self.scope, self._receive, self._send = scope, receive, send
        self.limit, self.headers = limit, headers
        # A declared length was checked already, and the server holds the body to it.
        self.sender_checked = trusted
        self.received = 0
        self.refusal = ""
        self.response_started = False

    async def receive(self) -> Message:
        message = await self._receive()
        if message["type"] != "http.request" or self.refusal:
            return message
        self.received += len(message.get("body", b""))
        if self.received > self.limit.body_max_bytes:
            self.refusal = limits.too_large(self.limit)
        elif self.received > limits.ANONYMOUS_BODY.max_bytes and not self.sender_checked:
            self.sender_checked = True
            if not await signed_in(self.headers):
                self.refusal = SIGN_IN_FIRST
        # The application stops reading as if the client had gone; this wrapper answers.
        return {"type": "http.disconnect"} if self.refusal else message

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.response_started = True
        await self._send(message)


async def refuse(scope: Scope, send: Send, reason: str) -> None:
    """413 with the reason: JSON for the API, plain text for pages (the upload script shows it)."""
    if scope["path"].startswith("/api/"):
        body, content_type = json.dumps({"detail": reason}).encode(), b"application/json"
    else:
        body, content_type = reason.encode(), b"text/plain; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def signed_in(headers: dict[bytes, bytes]) -> bool:
    """Whether the request carries a live session or a valid API token: the same answer the
    view would get, asked before the body is read."""
    try:
        token = _api_token(headers)
        if token is not None:
            return await sync_to_async(_token_is_valid)(token)
        return await _session_is_signed_in(headers)
    except Exception:  # an unreadable cookie or a database hiccup: treat as not signed in
        return False


async def _session_is_signed_in(headers: dict[bytes, bytes]) -> bool:
    from importlib import import_module

    from django.contrib.auth import aget_user

    cookies = parse_cookie(headers.get(b"cookie", b"").decode("latin-1"))
    key = cookies.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return False
    session = import_module(settings.SESSION_ENGINE).SessionStore(key)
    user = await aget_user(SimpleNamespace(session=session))
    return bool(user.is_authenticated)


def _api_token(headers: dict[bytes, bytes]) -> str | None:
    parts = headers.get(b"authorization", b"").decode("latin-1").split()
    return parts[1] if len(parts) == 2 else None


def _token_is_valid(key: str) -> bool:
    """Asks the API's own token authentication classes, so their rules (expiry, revocation)
    decide here too."""
    from rest_framework.exceptions import AuthenticationFailed
    from rest_framework.settings import api_settings

    for auth_class in api_settings.DEFAULT_AUTHENTICATION_CLASSES:
        if not hasattr(auth_class, "authenticate_credentials"):
            continue
        try:
            user, _ = auth_class().authenticate_credentials(key)
        except (AuthenticationFailed, TypeError):
            continue
        if user is not None and user.is_active:
            return True
    return False


def _headers(scope: Scope) -> dict[bytes, bytes]:
    return {name.lower(): value for name, value in scope.get("headers", [])}


def _declared_length(headers: dict[bytes, bytes]) -> int | None:
    try:
        return int(headers[b"content-length"])
    except (KeyError, ValueError):
        return None


def _route_limit(scope: Scope, headers: dict[bytes, bytes]) -> limits.BodyLimit:
    content_type = headers.get(b"content-type", b"").decode("latin-1")
    return limits.body_limit(url_name=_url_name(scope["path"]), content_type=content_type)


def _url_name(path: str) -> str | None:
    try:
        return resolve(path).url_name
    except Resolver404:
        return None
