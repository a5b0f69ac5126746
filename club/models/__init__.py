from club.models.notifications import Notification, NotificationQuerySet
from club.models.people import Club, ClubActionError, ClubQuerySet, Membership, User
from club.models.runs import Run, RunQuerySet, Visibility

__all__ = [
    "Club",
    "ClubActionError",
    "ClubQuerySet",
    "Membership",
    "Notification",
    "NotificationQuerySet",
    "Run",
    "RunQuerySet",
    "Visibility",
    "User",
]
