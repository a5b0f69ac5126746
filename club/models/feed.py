"""The club feed: runs, analyses, drills done and coach shout-outs, with kudos and comments.
What an item shows is decided when it is read, from the owner's current choices."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from club.models.people import Club, Membership, User


class FeedItemQuerySet(models.QuerySet["FeedItem"]):
    def visible_to(self, user: User) -> FeedItemQuerySet:
        """Items of the user's clubs: shout-outs to those clubs; clubmates' runs shared with
        clubs; clubmates' analyses and drills done when they show them to clubs; their own."""
        if not user.is_authenticated:
            return self.none()
        clubs = Membership.objects.filter(user=user).values("club_id")
        mates = Membership.objects.filter(club_id__in=clubs).values("user_id")
        showing = Q(actor__show_on_leaderboards=True)
        return self.filter(
            Q(kind=FeedItem.Kind.SHOUTOUT, club_id__in=clubs)
            | Q(actor=user)
            | Q(actor_id__in=mates)
            & (
                Q(kind=FeedItem.Kind.RUN, run__visibility="club")
                | Q(kind=FeedItem.Kind.ANALYSIS) & showing
                | Q(kind=FeedItem.Kind.DRILL) & showing
            )
        )

    def for_club(self, club: Club, user: User) -> FeedItemQuerySet:
        members = club.memberships.values("user_id")
        return (
            self.visible_to(user)
            .filter(Q(club=club) | Q(club__isnull=True, actor_id__in=members))
            .select_related("actor", "run", "analysis", "session__assignment")
            .prefetch_related("kudos", "comments__author")
        )


class FeedItem(models.Model):
    class Kind(models.TextChoices):
        RUN = "run", "Run"
        ANALYSIS = "analysis", "Form analysis"
        DRILL = "drill", "Drill session"
        SHOUTOUT = "shoutout", "Shout-out"

    actor = models.ForeignKey(User, on_delete=models.CASCADE, related_name="feed_items")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    club = models.ForeignKey(Club, null=True, blank=True, on_delete=models.CASCADE)
    run = models.ForeignKey("club.Run", null=True, blank=True, on_delete=models.CASCADE)
    analysis = models.ForeignKey(
        "analysis.VideoAnalysis", null=True, blank=True, on_delete=models.CASCADE
    )
    session = models.ForeignKey(
        "coaching.DrillSession", null=True, blank=True, on_delete=models.CASCADE
    )
    text = models.TextField(blank=True, max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = FeedItemQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.actor}"


class Kudos(models.Model):
    item = models.ForeignKey(FeedItem, on_delete=models.CASCADE, related_name="kudos")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "user"], name="one_kudos_each")]

    def __str__(self) -> str:
        return f"{self.user} → {self.item}"


class FeedComment(models.Model):
    item = models.ForeignKey(FeedItem, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:40]}"
