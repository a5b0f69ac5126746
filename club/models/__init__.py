from club.models.feed import FeedComment, FeedItem, FeedItemQuerySet, Kudos
from club.models.notifications import Notification, NotificationQuerySet
from club.models.people import (
    Club,
    ClubActionError,
    ClubQuerySet,
    CoachLink,
    Membership,
    NotAllowed,
    User,
    Visibility,
    coaches_see,
)
from club.models.runs import Run, RunQuerySet, shared_with
from club.models.tokens import ApiToken

__all__ = [
    "ApiToken",
    "FeedComment",
    "FeedItem",
    "FeedItemQuerySet",
    "Kudos",
    "Club",
    "ClubActionError",
    "ClubQuerySet",
    "CoachLink",
    "Membership",
    "NotAllowed",
    "Notification",
    "NotificationQuerySet",
    "Run",
    "RunQuerySet",
    "Visibility",
    "User",
    "coaches_see",
    "shared_with",
]
