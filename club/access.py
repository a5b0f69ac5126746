"""One access helper per object type. Every lookup starts from what the requester may see."""

from __future__ import annotations

from typing import Protocol, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404

from club.models import ApiToken, Club, FeedItem, Notification, Run, User, coaches_see

M = TypeVar("M", bound=Model)


def first_or_404(found: QuerySet[M], message: str) -> M:
    """The object the lookup found, else a 404 that says no more than `message`."""
    obj = found.first()
    if obj is None:
        raise Http404(message)
    return obj


class OwnedItem(Protocol):
    """A run or an analysis: something a member owns and shares."""

    owner: User
    owner_id: int
    visibility: str


def get_club_for_user(user: User, slug: str) -> Club:
    """A club page is for its members; to anyone else the club does not exist."""
    return first_or_404(Club.objects.for_user(user).filter(slug=slug), "No such club.")


def get_club_by_invite(code: str) -> Club:
    return first_or_404(
        Club.objects.filter(invite_code=code), "This invite link is not valid any more."
    )


def get_notification_for_user(user: User, notification_id: int) -> Notification:
    return first_or_404(
        Notification.objects.for_user(user).filter(pk=notification_id), "No such notification."
    )


def get_run_for_user(user: User, run_id: int) -> Run:
    """A run the user may see (theirs, or shared with them); anything else does not exist."""
    return first_or_404(
        Run.objects.visible_to(user).select_related("owner").filter(pk=run_id), "No such run."
    )


def get_own_run(user: User, run_id: int) -> Run:
    """A run the user may change: only their own."""
    mine = Run.objects.filter(owner=user) if user.is_authenticated else Run.objects.none()
    return first_or_404(mine.filter(pk=run_id), "No such run.")


def get_athlete_for_user(user: User, athlete_id: int) -> User:
    """The user themselves, or someone they coach; to anyone else the athlete does not exist."""
    if user.is_authenticated and user.pk == athlete_id:
        return user
    return first_or_404(User.objects.athletes_of(user).filter(pk=athlete_id), "No such athlete.")


def get_feed_item_for_user(user: User, item_id: int) -> FeedItem:
    """A feed item the user can see in one of their clubs' feeds."""
    return first_or_404(FeedItem.objects.visible_to(user).filter(pk=item_id), "No such feed item.")


def get_token_for_user(user: User, token_id: int) -> ApiToken:
    """One of the member's own API tokens; nobody else's exists for them."""
    return first_or_404(
        ApiToken.objects.for_user(user).filter(pk=token_id), "No such token of yours."
    )


def thread_people(target: OwnedItem) -> set[int]:
    """Who takes part in an item's coaching thread: its owner, and their coaches while the
    item shows to them."""
    people = {target.owner_id}
    if coaches_see(target.visibility):
        people.update(User.objects.coaches_of(target.owner).values_list("pk", flat=True))
    return people


def can_comment(user: User, target: OwnedItem) -> bool:
    return user.is_authenticated and user.pk in thread_people(target)
