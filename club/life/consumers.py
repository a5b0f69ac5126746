"""The live channel of a signed-in browser: pushes for the user's own groups only.

A socket lives only as long as the sign-in it was opened with. Signing out closes the
session's sockets at once (club.services); a password change makes every socket of the user
check its session; and each socket checks it again whenever it renews its groups, which
catches sessions that expired or were removed without a word.

Close codes the page acts on (static/js/app.js reads the same numbers):
4401 not signed in, stop listening; 4403 account closed; 4409 the session behind this socket is
no longer what it was: reconnect once, and the handshake, made with the browser's cookies as
they are now, says whether the page is still live.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import random
from importlib import import_module
from urllib.parse import parse_qs

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend
from django.template.loader import render_to_string
from django.utils.crypto import constant_time_compare
from redis.exceptions import RedisError

from analysis.models import Job
from club.models import Membership, Notification
from club.services import club_group, session_group, user_group

log = logging.getLogger(__name__)

CLOSE_SIGNED_OUT = 4401
CLOSE_ACCOUNT_CLOSED = 4403
CLOSE_SESSION_CHANGED = 4409

# Missed notifications shown as toasts on (re)connect; the rest are counted in one more toast.
CATCH_UP_TOASTS = 5


def cursor_from(scope: dict) -> int | None:
    """The newest notification id the page has seen (``?after=``), if it sent a sane one."""
    values = parse_qs(scope.get("query_string", b"").decode("latin1")).get("after", [])
    if len(values) == 1 and values[0].isdigit() and len(values[0]) < 19:
        return int(values[0])
    return None


def session_is_current(scope: dict) -> bool:
    """Whether the session this socket was opened with still signs in the same user: it may
    since have signed out, expired, been removed or been cut off by a password change. The
    check of django.contrib.auth.get_user, without its writes (it flushes a stale session)."""
    engine = import_module(settings.SESSION_ENGINE)
    data = engine.SessionStore(scope["session"].session_key).load()
    backend_path, user_id = data.get(BACKEND_SESSION_KEY), str(data.get(SESSION_KEY))
    if backend_path not in settings.AUTHENTICATION_BACKENDS or user_id != str(scope["user"].pk):
        return False
    user = load_backend(backend_path).get_user(scope["user"].pk)
    if user is None:  # deleted or deactivated
        return False
    sent = data.get(HASH_SESSION_KEY) or ""
    valid = (user.get_session_auth_hash(), *user.get_session_auth_fallback_hash())
    return any(constant_time_compare(sent, one) for one in valid)


@functools.lru_cache(maxsize=512)
def region_refresh_html(region: str, url: str) -> str:
    """The same for every socket a club-wide push reaches, and nobody's data: made once."""
    return render_to_string("club/live/region_refresh.html", {"region": region, "url": url})


class LiveConsumer(AsyncWebsocketConsumer):
    """Each page opens one socket; events arrive as htmx out-of-band swaps."""

    groups_joined: list[str] = []
    refresher: asyncio.Task | None = None

    async def __call__(self, scope: dict, receive: object, send: object) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            # Also when the server gives up on a busy instance and cancels it, or a handler
            # fails: a socket that is gone must not stay in its groups.
            if self.groups_joined:
                await asyncio.shield(self._leave_groups())

    async def dispatch(self, message: dict) -> None:
        """Channels' own dispatch, less the hop it makes before every message to close old
        database connections in the one thread all database work shares: with thousands of
        sockets a club-wide push queued a hop per socket there. This consumer reaches the
        database only through database_sync_to_async, which closes them itself."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            # Accepted, then closed with a reason: a refused handshake looks to the browser
            # like a network failure, and the page would retry forever.
            await self.accept()
            await self.close(code=CLOSE_SIGNED_OUT)
            return
        # Accepted first: a server restart brings every page back at once, and a server gives
        # each handshake only seconds. The page counts itself live, and re-reads its regions,
        # when the catch-up below arrives, which is after every group has been joined.
        await self.accept()
        self.groups_joined = [user_group(user.pk), session_group(self.scope["session"].session_key)]
        await self._join_groups(self.groups_joined)
        # Read after joining the user's groups: whatever is stored from now on is pushed,
        # whatever came before is in the catch-up. One in both shows once (the page drops
        # repeated ids). Club groups come from the user's own memberships.
        clubs, catch_up = await self._clubs_and_catch_up(cursor_from(self.scope))
        await self._join_groups(clubs)
        self.groups_joined += clubs
        self.refresher = asyncio.create_task(self._keep_groups())
        await self.send(text_data=catch_up)

    @database_sync_to_async
    def _clubs_and_catch_up(self, after: int | None) -> tuple[list[str], str]:
        user = self.scope["user"]
        clubs = Membership.objects.filter(user=user).values_list("club_id", flat=True)
        unread = Notification.objects.for_user(user).unread()
        missed = unread.filter(pk__gt=after) if after is not None else unread.none()
        shown = list(missed.order_by("-pk")[:CATCH_UP_TOASTS])
        context = {
            "missed": shown[::-1],  # toasts stack downwards: oldest first
            "more": missed.count() - len(shown) if len(shown) == CATCH_UP_TOASTS else 0,
            "unread_count": unread.count(),
        }
        html = render_to_string("club/live/catch_up.html", context)
        return [club_group(pk) for pk in clubs], html

    async def _join_groups(self, groups: list[str]) -> None:
        for group in groups:
            await self.channel_layer.group_add(group, self.channel_name)

    async def _keep_groups(self) -> None:
        """Group members older than the layer's group_expiry are dropped by the next group_send;
        an open socket re-joins well before that, so only sockets of a killed process age out."""
        every_s = self.channel_layer.group_expiry / 4
        while True:
            await asyncio.sleep(every_s * random.uniform(0.8, 1.0))
            if not await database_sync_to_async(session_is_current)(self.scope):
                await self._end(CLOSE_SESSION_CHANGED)
                return
            try:
                await self._join_groups(self.groups_joined)
            except RedisError:
                log.warning("live socket could not renew its groups; retrying later")

    async def disconnect(self, code: int) -> None:
        await self._leave_groups()

    async def _leave_groups(self) -> None:
        if self.refresher is not None and self.refresher is not asyncio.current_task():
            self.refresher.cancel()
        leaving, self.groups_joined = self.groups_joined, []
        for group in leaving:
            try:
                await self.channel_layer.group_discard(group, self.channel_name)
            except RedisError:  # the group's expiry removes the member later
                log.warning("live socket could not leave %s", group)

    async def _end(self, code: int) -> None:
        """Close from our side: leave the groups first, so nothing more is sent to it."""
        await self._leave_groups()
        await self.close(code=code)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """The browser has nothing to say on this channel; what it sends is ignored."""

    async def account_closed(self, event: dict) -> None:
        await self._end(CLOSE_ACCOUNT_CLOSED)

    async def session_ended(self, event: dict) -> None:
        await self._end(CLOSE_SIGNED_OUT)

    async def session_verify(self, event: dict) -> None:
        if not await database_sync_to_async(session_is_current)(self.scope):
            await self._end(CLOSE_SESSION_CHANGED)

    async def _send_push(self, html: str) -> None:
        # Events already in this process's buffer may still arrive after _end().
        if html and self.groups_joined:
            await self.send(text_data=html)

    async def notification_new(self, event: dict) -> None:
        await self._send_push(await self._render_notification(event["id"]))

    @database_sync_to_async
    def _render_notification(self, notification_id: int) -> str:
        mine = Notification.objects.for_user(self.scope["user"])
        # Re-read through the user's own scope: a stray event for someone else renders nothing.
        notification = mine.filter(pk=notification_id).first()
        if notification is None:
            return ""
        return render_to_string(
            "club/live/notification_push.html",
            {"notification": notification, "unread_count": mine.unread().count()},
        )

    async def job_changed(self, event: dict) -> None:
        await self._send_push(await self._render_job(event["id"]))

    @database_sync_to_async
    def _render_job(self, job_id: int) -> str:
        job = Job.objects.for_user(self.scope["user"]).filter(pk=job_id).first()
        return render_to_string("analysis/live/job_push.html", {"job": job}) if job else ""

    async def region_changed(self, event: dict) -> None:
        # The URL is re-read by the browser with its own session, so access is checked there.
        await self._send_push(region_refresh_html(event["region"], event["url"]))
