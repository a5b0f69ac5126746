"""The live channel of a signed-in browser: pushes for the user's own group only."""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.template.loader import render_to_string

from analysis.models import Job
from club.models import Membership, Notification
from club.services import club_group, user_group


class LiveConsumer(AsyncWebsocketConsumer):
    """Each page opens one socket; events arrive as htmx out-of-band swaps."""

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        # Groups come from the user's own memberships, read after authentication.
        self.groups_joined = [user_group(user.pk), *await self._club_groups(user)]
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()

    @database_sync_to_async
    def _club_groups(self, user: object) -> list[str]:
        clubs = Membership.objects.filter(user=user).values_list("club_id", flat=True)
        return [club_group(pk) for pk in clubs]

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def account_closed(self, event: dict) -> None:
        await self.close(code=4403)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """The browser has nothing to say on this channel; what it sends is ignored."""

    async def notification_new(self, event: dict) -> None:
        html = await self._render_notification(event["id"])
        if html:
            await self.send(text_data=html)

    @database_sync_to_async
    def _render_notification(self, notification_id: int) -> str:
        user = self.scope["user"]
        # Re-read through the user's own scope: a stray event for someone else renders nothing.
        notification = Notification.objects.for_user(user).filter(pk=notification_id).first()
        if notification is None:
            return ""
        unread = Notification.objects.for_user(user).unread().count()
        return render_to_string(
            "club/live/notification_push.html",
            {"notification": notification, "unread_count": unread},
        )

    async def job_changed(self, event: dict) -> None:
        html = await self._render_job(event["id"])
        if html:
            await self.send(text_data=html)

    @database_sync_to_async
    def _render_job(self, job_id: int) -> str:
        job = Job.objects.for_user(self.scope["user"]).filter(pk=job_id).first()
        if job is None:
            return ""
        return render_to_string("analysis/live/job_push.html", {"job": job})

    async def region_changed(self, event: dict) -> None:
        # The URL is re-read by the browser with its own session, so access is checked there.
        html = render_to_string(
            "club/live/region_refresh.html", {"region": event["region"], "url": event["url"]}
        )
        await self.send(text_data=html)
