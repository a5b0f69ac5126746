"""One access helper per object type. Every lookup starts from what the requester may see."""

from __future__ import annotations

from typing import Protocol

from django.http import Http404

from club.models import ApiToken, Club, FeedItem, Notification, Run, User, coaches_see


class OwnedItem(Protocol):
    """A run or an analysis: something a member owns and shares."""

    owner: User
    owner_id: int
    visibility: str


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


def get_run_for_user(user: User, run_id: int) -> Run:
    """A run the user may see (theirs, or shared with them); anything else does not exist."""
    run = Run.objects.visible_to(user).select_related("owner").filter(pk=run_id).first()
    if run is None:
        raise Http404("No such run.")
    return run


def get_own_run(user: User, run_id: int) -> Run:
    """A run the user may change: only their own."""
    run = Run.objects.filter(owner=user, pk=run_id).first() if user.is_authenticated else None
    if run is None:
        raise Http404("No such run.")
    return run


def get_athlete_for_user(user: User, athlete_id: int) -> User:
    """The user themselves, or someone they coach; to anyone else the athlete does not exist."""
    if user.is_authenticated and user.pk == athlete_id:
        return user
    athlete = User.objects.athletes_of(user).filter(pk=athlete_id).first()
    if athlete is None:
        raise Http404("No such athlete.")
    return athlete


def get_feed_item_for_user(user: User, item_id: int) -> FeedItem:
    """A feed item the user can see in one of their clubs' feeds."""
    item = FeedItem.objects.visible_to(user).filter(pk=item_id).first()
    if item is None:
        raise Http404("No such feed item.")
    return item


def get_token_for_user(user: User, token_id: int) -> ApiToken:
    """One of the member's own API tokens; nobody else's exists for them."""
    token = ApiToken.objects.for_user(user).filter(pk=token_id).first()
    if token is None:
        raise Http404("No such token of yours.")
    return token


def thread_people(target: OwnedItem) -> set[int]:
    """Who takes part in an item's coaching thread: its owner, and their coaches while the
    item shows to them."""
    people = {target.owner_id}
    if coaches_see(target.visibility):
        people.update(User.objects.coaches_of(target.owner).values_list("pk", flat=True))
    return people


def can_comment(user: User, target: OwnedItem) -> bool:
    return user.is_authenticated and user.pk in thread_people(target)
