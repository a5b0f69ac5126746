"""The live channel of a signed-in browser: pushes for the user's own groups only.

Close codes the page acts on (static/js/app.js reads the same numbers):
4401 not signed in, stop listening; 4403 account closed; 4409 the session behind this socket is
no longer what it was (signed out elsewhere, password changed, expired): reconnect once, and the
handshake, made with the browser's cookies as they are now, says whether the page is still live.
"""

from __future__ import annotations

import asyncio
import logging
import random
from importlib import import_module
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.contrib.auth import get_user
from django.http import HttpRequest
from django.template.loader import render_to_string
from redis.exceptions import RedisError

from analysis.models import Job
from club.models import Membership, Notification
from club.services import club_group, session_group, user_group

log = logging.getLogger(__name__)

CLOSE_SIGNED_OUT = 4401
CLOSE_ACCOUNT_CLOSED = 4403
CLOSE_SESSION_CHANGED = 4409

# Group members older than the layer's group_expiry are dropped by the next group_send; an open
# socket re-joins well before that, so only sockets of a killed process ever age out.
LIVE_GROUP_REFRESH_S = settings.CHANNEL_LAYERS["default"]["CONFIG"]["group_expiry"] / 4

# Missed notifications shown as toasts on (re)connect; the rest are counted in one more toast.
CATCH_UP_TOASTS = 5


def cursor_from(scope: dict) -> int | None:
    """The newest notification id the page has seen (``?after=``), if it sent a sane one."""
    values = parse_qs(scope.get("query_string", b"").decode("latin1")).get("after", [])
    if len(values) == 1 and values[0].isdigit() and len(values[0]) < 19:
        return int(values[0])
    return None


def session_is_current(scope: dict) -> bool:
    """Whether the session this socket was opened with still signs in the same user now: it
    may since have signed out, expired or been cut off by a password change."""
    request = HttpRequest()
    engine = import_module(settings.SESSION_ENGINE)
    request.session = engine.SessionStore(scope["session"].session_key)
    return get_user(request).pk == scope["user"].pk


class LiveConsumer(AsyncWebsocketConsumer):
    """Each page opens one socket; events arrive as htmx out-of-band swaps."""

    groups_joined: list[str] = []
    refresher: asyncio.Task | None = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            # Accepted, then closed with a reason: a refused handshake looks to the browser
            # like a network failure, and the page would retry forever.
            await self.accept()
            await self.close(code=CLOSE_SIGNED_OUT)
            return
        session = session_group(self.scope["session"].session_key)
        # Groups come from the user's own memberships, read after authentication.
        self.groups_joined = [user_group(user.pk), session, *await self._club_groups(user)]
        await self._join_groups()
        await self.accept()
        self.refresher = asyncio.create_task(self._keep_groups())
        # After joining: whatever is stored from now on is pushed; whatever came before is
        # in this catch-up. A notification in both shows once (the page drops repeated ids).
        await self.send(text_data=await self._catch_up(cursor_from(self.scope)))

    @database_sync_to_async
    def _club_groups(self, user: object) -> list[str]:
        clubs = Membership.objects.filter(user=user).values_list("club_id", flat=True)
        return [club_group(pk) for pk in clubs]

    async def _join_groups(self) -> None:
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)

    async def _keep_groups(self) -> None:
        while True:
            await asyncio.sleep(LIVE_GROUP_REFRESH_S * random.uniform(0.8, 1.0))
            try:
                await self._join_groups()
            except RedisError:
                log.warning("live socket could not renew its groups; retrying later")

    @database_sync_to_async
    def _catch_up(self, after: int | None) -> str:
        unread = Notification.objects.for_user(self.scope["user"]).unread()
        missed = unread.filter(pk__gt=after) if after is not None else unread.none()
        shown = list(missed.order_by("-pk")[:CATCH_UP_TOASTS])
        context = {
            "missed": shown[::-1],  # toasts stack downwards: oldest first
            "more": missed.count() - len(shown) if len(shown) == CATCH_UP_TOASTS else 0,
            "unread_count": unread.count(),
        }
        return render_to_string("club/live/catch_up.html", context)

    async def disconnect(self, code: int) -> None:
        if self.refresher is not None:
            self.refresher.cancel()
        for group in self.groups_joined:
            try:
                await self.channel_layer.group_discard(group, self.channel_name)
            except RedisError:  # the group's expiry removes the member later
                log.warning("live socket could not leave %s", group)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """The browser has nothing to say on this channel; what it sends is ignored."""

    async def account_closed(self, event: dict) -> None:
        await self.close(code=CLOSE_ACCOUNT_CLOSED)

    async def session_ended(self, event: dict) -> None:
        await self.close(code=CLOSE_SIGNED_OUT)

    async def notification_new(self, event: dict) -> None:
        await self._push(await self._render_notification(event["id"]))

    async def job_changed(self, event: dict) -> None:
        await self._push(await self._render_job(event["id"]))

    async def _push(self, html: str | None) -> None:
        """None: the session no longer signs this user in, so nothing more is sent to it."""
        if html is None:
            await self.close(code=CLOSE_SESSION_CHANGED)
        elif html:
            await self.send(text_data=html)

    @database_sync_to_async
    def _render_notification(self, notification_id: int) -> str | None:
        if not session_is_current(self.scope):
            return None
        mine = Notification.objects.for_user(self.scope["user"])
        # Re-read through the user's own scope: a stray event for someone else renders nothing.
        notification = mine.filter(pk=notification_id).first()
        if notification is None:
            return ""
        return render_to_string(
            "club/live/notification_push.html",
            {"notification": notification, "unread_count": mine.unread().count()},
        )

    @database_sync_to_async
    def _render_job(self, job_id: int) -> str | None:
        if not session_is_current(self.scope):
            return None
        job = Job.objects.for_user(self.scope["user"]).filter(pk=job_id).first()
        return render_to_string("analysis/live/job_push.html", {"job": job}) if job else ""

    async def region_changed(self, event: dict) -> None:
        # The URL is re-read by the browser with its own session, so access is checked there.
        html = render_to_string(
            "club/live/region_refresh.html", {"region": event["region"], "url": event["url"]}
        )
        await self.send(text_data=html)
