"""Logged runs: from a watch file or entered by hand."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse

from club.files import remove_after_commit
from club.models.people import SEEN_BY_COACHES, User, Visibility


def _original_path(run: Run, filename: str) -> str:
    # Server-made name: nothing of the uploader's file name reaches the file system.
    suffix = ".fit.gz" if filename.lower().endswith(".gz") else ".fit"
    return f"fit/{run.owner_id}/{uuid.uuid4().hex}{suffix}"


def shared_with(user: User) -> Q:
    """Which owned items (with `owner` and `visibility`) `user` may see: all their own, their
    athletes' items shared with coaches or clubs, their clubmates' items shared with clubs.
    Callers must not pass anonymous users (they see nothing)."""
    coached = User.objects.athletes_of(user).values("pk")
    clubmates = User.objects.clubmates_of(user).values("pk")
    return (
        Q(owner=user)
        | Q(owner__in=coached, visibility__in=SEEN_BY_COACHES)
        | Q(owner__in=clubmates, visibility=Visibility.CLUB)
    )


# A partial import starts at its first record, the complete file at its session's start: the
# same activity's two starts differ by a second or so, and one watch never starts two
# activities this close together.
SAME_START_WINDOW = timedelta(seconds=60)
# The headline figures of a run: columns of the same names as the fields of
# analysis.core.runs.run_summary.RunSummary, copied from it on import and shown by the API.
HEADLINE = (
    "sport",
    "sub_sport",
    "start_utc",
    "distance_m",
    "moving_time_s",
    "elapsed_time_s",
    "avg_cadence_spm",
    "time_in_target_pct",
)
# What an import reads from the file. Everything else (title, notes, effort, visibility, the
# run's id and so its comments and feed entry) is the member's and survives a replacement.
FROM_THE_FILE = (
    *HEADLINE,
    "utc_offset_s",
    "device_serial",
    "status",
    "target_low_spm",
    "target_high_spm",
    "summary",
    "series",
    "warnings",
    "original_name",
    "file_sha256",
)


class RunQuerySet(models.QuerySet["Run"]):
    def visible_to(self, user: User) -> RunQuerySet:
        return self.filter(shared_with(user)) if user.is_authenticated else self.none()


class Run(models.Model):
    class Source(models.TextChoices):
        FIT = "fit", "Watch file"
        MANUAL = "manual", "Entered by hand"

    class Status(models.TextChoices):
        IMPORTED = "imported", "Imported"
        PARTIAL = "partial", "Partial (file ended early)"

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="runs")
    source = models.CharField(max_length=8, choices=Source.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.IMPORTED)
    visibility = models.CharField(
        max_length=8, choices=Visibility.choices, default=Visibility.COACHES
    )
    title = models.CharField(max_length=120, blank=True)
    sport = models.CharField(max_length=32, default="running")
    sub_sport = models.CharField(max_length=32, blank=True)
    start_utc = models.DateTimeField(db_index=True)
    utc_offset_s = models.IntegerField(null=True, blank=True)
    distance_m = models.FloatField(null=True, blank=True)
    moving_time_s = models.FloatField(null=True, blank=True)
    elapsed_time_s = models.FloatField(null=True, blank=True)
    avg_cadence_spm = models.FloatField(null=True, blank=True)
    time_in_target_pct = models.FloatField(null=True, blank=True)
    target_low_spm = models.PositiveSmallIntegerField(null=True, blank=True)
    target_high_spm = models.PositiveSmallIntegerField(null=True, blank=True)
    perceived_effort = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    notes = models.TextField(blank=True)
    summary = models.JSONField(default=dict, blank=True)
    series = models.JSONField(default=dict, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    original = models.FileField(upload_to=_original_path, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    device_serial = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RunQuerySet.as_manager()

    HEADLINE = HEADLINE

    class Meta:
        ordering = ["-start_utc", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "file_sha256"],
                condition=~Q(file_sha256=""),
                name="run_unique_file_per_owner",
            ),
            models.UniqueConstraint(
                fields=["owner", "device_serial", "start_utc"],
                condition=Q(device_serial__isnull=False),
                name="run_unique_device_start_per_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.get_sport_display_name()} on {self.start_local:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("run-detail", args=[self.pk])

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """The row, then its original file once the deletion commits."""
        with transaction.atomic():
            remove_after_commit(self.stored_paths())
            return super().delete(*args, **kwargs)

    def stored_paths(self) -> list[Path]:
        return [Path(self.original.path)] if self.original else []

    def get_sport_display_name(self) -> str:
        return self.sport.replace("_", " ").capitalize()

    @property
    def start_local(self) -> datetime:
        """Wall-clock start where the run happened (the watch's offset), else the owner's zone."""
        if self.utc_offset_s is not None:
            return self.start_utc.astimezone(timezone(timedelta(seconds=self.utc_offset_s)))
        return self.start_utc.astimezone(self.owner.zone)

    @property
    def pace_s_per_km(self) -> float | None:
        if not self.distance_m or not self.moving_time_s:
            return None
        return self.moving_time_s / (self.distance_m / 1000)

    def find_duplicate(self) -> Run | None:
        """An earlier run of the same owner from the same bytes, or the same device and start
        (within SAME_START_WINDOW)."""
        same = Q(file_sha256=self.file_sha256) if self.file_sha256 else Q(pk__in=[])
        if self.device_serial is not None:
            window = (self.start_utc - SAME_START_WINDOW, self.start_utc + SAME_START_WINDOW)
            same |= Q(device_serial=self.device_serial, start_utc__range=window)
        return Run.objects.filter(owner_id=self.owner_id).filter(same).exclude(pk=self.pk).first()

    def is_completed_by(self, other: Run) -> bool:
        """Whether `other`, a fresh import, is the complete file of this partial import."""
        return (
            self.source == Run.Source.FIT
            and self.status == Run.Status.PARTIAL
            and other.status == Run.Status.IMPORTED
            and self.device_serial is not None
            and self.device_serial == other.device_serial
        )

    def take_file_figures(self, other: Run) -> None:
        """Everything read from the file comes from `other`; what the member set stays."""
        for name in FROM_THE_FILE:
            setattr(self, name, getattr(other, name))
