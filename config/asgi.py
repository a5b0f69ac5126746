"""ASGI entry point: HTTP through Django (bodies bounded first), WebSockets through Channels.

Served by uvicorn; config.server holds the command line.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_http = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402  (needs the app registry loaded)
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler  # noqa: E402

from club.life.routing import websocket_urlpatterns  # noqa: E402
from config.bodyguard import BodyGuard  # noqa: E402
from config.csp import StaticFilesPolicy  # noqa: E402
from config.websocket_origin import SameOriginValidator  # noqa: E402

http_app = ASGIStaticFilesHandler(django_http) if settings.SERVE_STATIC else django_http
# Static files and the guard's 413s skip Django's middleware; this gives them the same
# Content-Security-Policy.
http_app = StaticFilesPolicy(BodyGuard(http_app))

application = ProtocolTypeRouter(
    {
        "http": http_app,
        "websocket": SameOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
