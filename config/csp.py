"""Content-Security-Policy: one policy for every response, pages and static files alike.

Scripts and styles come from our own origin only and no inline script runs, so markup that
slips into a page (a stored value, an uploaded file) cannot execute. The live channel's socket
is the one outside connection a page opens. Files that members upload are served (config.media)
under a policy that forbids everything, so even a file a browser might render is inert.

Django responses get the header from `ContentSecurityPolicyMiddleware`; `/static/` files are
served by ASGIStaticFilesHandler, which runs no Django middleware, so `StaticFilesPolicy`
adds it at the ASGI level to any response that left without one.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse

HEADER = "Content-Security-Policy"

_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}

# What a member's own file (clip, keyframe, FIT file, export) may do when opened on its own:
# be shown (a browser opening a clip or picture in a tab plays or draws that very file), and
# nothing else. `sandbox` also gives it an opaque origin, away from our cookies.
UPLOADED_FILE_POLICY = (
    "default-src 'none'; img-src 'self'; media-src 'self'; frame-ancestors 'none'; sandbox"
)


def policy(host: str | None = None, *, data_images: bool = False) -> str:
    """The site policy; `host` (already validated against ALLOWED_HOSTS) adds its WebSocket
    origins to connect-src. `data_images` lets a page show images written into its own
    stylesheet (Swagger UI's icons): an image cannot run script."""
    sockets = f" ws://{host} wss://{host}" if host else ""
    directives = {**_DIRECTIVES, "connect-src": "'self'" + sockets}
    if data_images:
        directives["img-src"] = "'self' data:"
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class ContentSecurityPolicyMiddleware:
    """Sets the site policy on every Django response that has not chosen its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if HEADER not in response:
            response[HEADER] = policy(_valid_host(request))
        return response


def with_data_images(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The site policy, plus images from data: URLs, for one view."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response[HEADER] = policy(_valid_host(request), data_images=True)
        return response

    return wrapped


def _valid_host(request: HttpRequest) -> str | None:
    try:
        return request.get_host()
    except DisallowedHost:
        return None


Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_HEADER_BYTES = HEADER.lower().encode()


class StaticFilesPolicy:
    """ASGI wrapper: adds the site policy to any HTTP response that has none (static files)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.value = policy().encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_policy(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(name.lower() == _HEADER_BYTES for name, _ in headers):
                    message = {**message, "headers": [*headers, (_HEADER_BYTES, self.value)]}
            await send(message)

        await self.app(scope, receive, send_with_policy)
