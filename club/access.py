"""One access helper per object type. Every lookup starts from what the requester may see."""

from __future__ import annotations

from django.http import Http404

from club.models import Club, Notification, User


def get_club_for_user(user: User, slug: str) -> Club:
    """A club page is for its members; to anyone else the club does not exist."""
    club = Club.objects.for_user(user).filter(slug=slug).first()
    if club is None:
        raise Http404("No such club.")
    return club


def get_club_by_invite(code: str) -> Club:
    club = Club.objects.filter(invite_code=code).first()
    if club is None:
        raise Http404("This invite link is not valid any more.")
    return club


def get_notification_for_user(user: User, notification_id: int) -> Notification:
    notification = Notification.objects.for_user(user).filter(pk=notification_id).first()
    if notification is None:
        raise Http404("No such notification.")
    return notification
