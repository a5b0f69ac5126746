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

__all__ = [
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
