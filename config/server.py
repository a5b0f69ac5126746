"""The web server's and the worker's command lines, in one place: `make run` (manage.py
runclub) and the tests' live servers start exactly these, and the README's scale-out commands
spell them out.

uvicorn, not daphne: it hands a request body to the application in pieces and stops reading
the socket while the application is not reading, so config.bodyguard can refuse a body before
it arrives. Daphne receives every body whole first.
"""

from __future__ import annotations

import sys

from config import limits


def web_server_argv(*, host: str, port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "config.asgi:application",
        "--host",
        host,
        "--port",
        str(port),
        "--http",
        "httptools",
        "--ws",
        "websockets-sansio",
        "--ws-max-size",
        str(limits.WEBSOCKET_MESSAGE_BYTES),
        "--lifespan",
        "off",  # Channels' router has no lifespan handler
        "--timeout-graceful-shutdown",
        "5",  # open live sockets would otherwise hold a stop forever
        "--no-access-log",
        "--log-level",
        "warning",  # not a line per socket opened and closed; errors and tracebacks still show
    ]


def worker_argv(*, node: str, concurrency: int, extra: tuple[str, ...] = ()) -> list[str]:
    """One Celery worker listening to both queues (the embedded mode's single worker)."""
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "-Q",
        "default,video",
        "-c",
        str(concurrency),
        "-n",
        node,
        *extra,
        "--loglevel",
        "INFO",
    ]
