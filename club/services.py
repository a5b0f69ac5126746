"""Writes that have side effects beyond the database row: here, live pushes."""

from __future__ import annotations

import hashlib
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.contrib.auth.signals import user_logged_out
from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.http import HttpRequest

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


def session_group(session_key: str) -> str:
    """The sockets opened under one sign-in. Named by a digest: the key itself is a credential
    and has no business in Redis."""
    return "session." + hashlib.sha256(session_key.encode()).hexdigest()[:40]


@receiver(pre_save, sender=User, dispatch_uid="club.note_password_change")
def note_password_change(sender: type, instance: User, **kwargs: object) -> None:
    fields = kwargs.get("update_fields")
    if instance.pk is None or (fields is not None and "password" not in fields):
        return
    stored = User.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    instance._password_changed = stored is not None and stored != instance.password


@receiver(post_save, sender=User, dispatch_uid="club.recheck_sockets_after_password_change")
def recheck_sockets_after_password_change(sender: type, instance: User, **kwargs: object) -> None:
    """A new password ends the user's other sessions; their open sockets check theirs."""
    if getattr(instance, "_password_changed", False):
        instance._password_changed = False
        event = {"type": "session.verify"}
        transaction.on_commit(lambda: _send(instance.pk, event))


@receiver(user_logged_out, dispatch_uid="club.close_sockets_at_logout")
def close_sockets_at_logout(sender: type, request: HttpRequest | None, **kwargs: object) -> None:
    """Signing out ends the live channel of that session in every tab, at once."""
    session = getattr(request, "session", None)
    key = session.session_key if session is not None else None
    if key:
        group = session_group(key)
        transaction.on_commit(lambda: _send_group(group, {"type": "session.ended"}))


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
