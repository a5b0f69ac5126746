"""Posting to the club feed, and refreshing the open feeds of the actor's clubs."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse

from club.models import Club, ClubActionError, FeedComment, FeedItem, Kudos, User
from club.services import refresh_club_region


def post(
    actor: User, kind: str, *, club: Club | None = None, text: str = "", **target: object
) -> FeedItem:
    """One feed item; who sees it is decided when the feed is read (FeedItem.visible_to)."""
    item = FeedItem.objects.create(actor=actor, kind=kind, club=club, text=text[:1000], **target)
    clubs = [club] if club else list(Club.objects.filter(memberships__user=actor))
    for one in clubs:
        refresh_feed(one)
    return item


def refresh_feed(club: Club) -> None:
    url = reverse("club-feed", args=[club.slug])
    refresh_club_region(club.pk, region=f"feed-{club.pk}", url=url)


@transaction.atomic
def shout_out(*, coach: User, club: Club, text: str) -> FeedItem:
    if not club.may_address(coach):
        raise ClubActionError("Only the club's coaches and owner give shout-outs.")
    if not text.strip():
        raise ClubActionError("Write the shout-out first.")
    return post(coach, FeedItem.Kind.SHOUTOUT, club=club, text=text.strip())


def toggle_kudos(*, user: User, item: FeedItem) -> bool:
    """Give kudos, or take it back; True when given."""
    mine = Kudos.objects.filter(item=item, user=user)
    if mine.exists():
        mine.delete()
        return False
    Kudos.objects.create(item=item, user=user)
    return True


def comment(*, author: User, item: FeedItem, body: str) -> FeedComment:
    if not body.strip():
        raise ClubActionError("Write something first.")
    return FeedComment.objects.create(item=item, author=author, body=body.strip()[:1000])
