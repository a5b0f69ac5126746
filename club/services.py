"""Writes that have side effects beyond the database row: here, live pushes."""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from club.models import Notification, User

log = logging.getLogger(__name__)


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def notify(
    recipient: User,
    *,
    title: str,
    body: str = "",
    link: str = "",
    kind: str = Notification.Kind.INFO,
) -> Notification:
    """Store a notification and, once the surrounding transaction commits, push a hint of it."""
    if link and not link.startswith("/"):
        raise ValueError("Notification links must be site-relative paths starting with '/'.")
    notification = Notification.objects.create(
        recipient=recipient, kind=kind, title=title[:200], body=body, link=link
    )
    transaction.on_commit(lambda: push_to_user(recipient.pk, "notification.new", notification.pk))
    return notification


def push_to_user(user_id: int, event: str, object_id: int) -> None:
    """Ring the user's open pages. Losing a push loses nothing: pages re-read on reconnect."""
    _send(user_id, {"type": event, "id": object_id})


def refresh_region(user_ids: list[int], *, region: str, url: str) -> None:
    """After commit, ask the users' open pages that show `region` (an element id) to re-read
    it from `url`. Pages without that region ignore the hint."""
    if not url.startswith("/"):
        raise ValueError("Region URLs must be site-relative paths starting with '/'.")
    event = {"type": "region.changed", "region": region, "url": url}
    for user_id in set(user_ids):
        transaction.on_commit(lambda user_id=user_id: _send(user_id, event))


def club_group(club_id: int) -> str:
    return f"club.{club_id}"


def refresh_club_region(club_id: int, *, region: str, url: str) -> None:
    """Like refresh_region, for every open page of a club's members (one group send)."""
    event = {"type": "region.changed", "region": region, "url": url}
    transaction.on_commit(lambda: _send_group(club_group(club_id), event))


def _send(user_id: int, event: dict) -> None:
    _send_group(user_group(user_id), event)


def _send_group(group: str, event: dict) -> None:
    try:
        async_to_sync(get_channel_layer().group_send)(group, event)
    except Exception:  # the row is stored; a broken layer must not fail the caller's write
        log.exception("live push %s to %s failed", event["type"], group)
