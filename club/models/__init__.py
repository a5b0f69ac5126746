from club.models.feed import FeedComment, FeedItem, FeedItemQuerySet, Kudos
from club.models.notifications import Notification, NotificationQuerySet
from club.models.people import (
    Club,
    ClubActionError,
    ClubQuerySet,
    CoachLink,
    Membership,
    User,
)
from club.models.runs import Run, RunQuerySet, Visibility
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
    "Notification",
    "NotificationQuerySet",
    "Run",
    "RunQuerySet",
    "Visibility",
    "User",
]
