"""Background jobs. The row is the record of truth; the broker message only rings the bell."""

from __future__ import annotations

import gzip
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from analysis.core import metrics as registry
from analysis.core.video import pose_track
from analysis.core.video.containers import Container, sniff_file
from club.files import remove_after_commit
from club.models import Visibility, shared_with


class JobQuerySet(models.QuerySet["Job"]):
    def for_user(self, user: models.Model) -> JobQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(owner=user)


class Job(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    class Queue(models.TextChoices):
        DEFAULT = "default", "Default"
        VIDEO = "video", "Video"

    kind = models.CharField(max_length=64)
    queue = models.CharField(max_length=16, choices=Queue.choices, default=Queue.DEFAULT)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="jobs",
    )
    payload = models.JSONField(default=dict, blank=True)
    state = models.CharField(
        max_length=8, choices=State.choices, default=State.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=3)
    error = models.TextField(blank=True)
    result = models.JSONField(default=dict, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    worker = models.CharField(max_length=200, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.state})"

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    def mark_done(self, result: dict | None = None) -> None:
        self.state, self.result, self.finished_at = self.State.DONE, result or {}, timezone.now()
        self.error, self.lease_expires_at = "", None
        self.save(update_fields=["state", "result", "finished_at", "error", "lease_expires_at"])

    def fail(self, reason: str) -> None:
        self.state, self.error, self.finished_at = self.State.FAILED, reason[:5000], timezone.now()
        self.lease_expires_at = None
        self.save(update_fields=["state", "error", "finished_at", "lease_expires_at"])

    def requeue(self, reason: str = "") -> None:
        """Back to the queue for another attempt, keeping the reason the last one ended."""
        self.state, self.worker, self.lease_expires_at = self.State.QUEUED, "", None
        self.error = reason[:5000] or self.error
        self.save(update_fields=["state", "worker", "lease_expires_at", "error"])

    def set_progress(self, done: int, total: int) -> None:
        """Progress is written on its own, outside any result transaction, so pages see it."""
        Job.objects.filter(pk=self.pk).update(progress_done=done, progress_total=total)
        self.progress_done, self.progress_total = done, total


def _clip_path(analysis: VideoAnalysis, filename: str) -> str:
    # Server-made name; only the (lower-cased) extension of the upload survives.
    suffix = "." + filename.rsplit(".", 1)[-1].lower()[:5] if "." in filename else ".mp4"
    return f"video/{analysis.owner_id}/{uuid.uuid4().hex}{suffix}"


ADEQUATE_QUALITY = ("good", "fair")


class ClipView(models.TextChoices):
    """How a clip was filmed: said by the uploader, or detected by the analysis (auto)."""

    AUTO = "auto", "Detect"
    SIDE = "side", "Side"
    REAR = "rear", "Rear"


# The views a finished analysis is of, and so the ones a coach may ask to re-film.
FILMED_VIEWS = (ClipView.SIDE, ClipView.REAR)


class VideoAnalysisQuerySet(models.QuerySet["VideoAnalysis"]):
    def visible_to(self, user: models.Model) -> VideoAnalysisQuerySet:
        """The same rule as runs: owner, coaches unless private, clubmates when shared."""
        return self.filter(shared_with(user)) if user.is_authenticated else self.none()

    def comparable(self) -> VideoAnalysisQuerySet:
        """Analyses one may compare over time: finished with a score, a known view, and a
        capture of adequate quality (a poor clip's numbers are too rough to track)."""
        # A score is only ever written by the transaction that finishes the job.
        return self.filter(score__isnull=False, quality__in=ADEQUATE_QUALITY).exclude(view="")


class VideoAnalysis(models.Model):
    """A running clip and, once its job is done, the form report made from it."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="video_analyses"
    )
    job = models.OneToOneField(Job, null=True, blank=True, on_delete=models.SET_NULL)
    clip = models.FileField(upload_to=_clip_path)
    clip_name = models.CharField(max_length=255, blank=True)
    requested_view = models.CharField(max_length=8, choices=ClipView.choices, default=ClipView.AUTO)
    visibility = models.CharField(
        max_length=8, choices=Visibility.choices, default=Visibility.COACHES
    )
    view = models.CharField(max_length=8, blank=True)
    score = models.FloatField(null=True, blank=True)
    cadence_spm = models.FloatField(null=True, blank=True)
    report = models.JSONField(default=dict, blank=True)
    quality = models.CharField(max_length=8, blank=True, help_text="good, fair or poor")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = VideoAnalysisQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "video analyses"
        indexes = [
            models.Index(fields=["owner", "view", "created_at"], name="analysis_owner_view_time")
        ]

    def __str__(self) -> str:
        return f"Form analysis {self.pk} of {self.owner}"

    def get_absolute_url(self) -> str:
        return reverse("analysis-detail", args=[self.pk])

    def fill_from_report(self, report: dict) -> None:
        """Copy the report's headline figures into columns that lists and boards query."""
        self.report, self.view = report, report.get("view", "")
        self.score, self.cadence_spm = report.get("score"), report.get("cadence_spm")
        self.quality = (report.get("quality") or {}).get("verdict", "")

    @property
    def state(self) -> str:
        return self.job.state if self.job else Job.State.DONE

    ADEQUATE_QUALITY = ADEQUATE_QUALITY

    @property
    def is_comparable(self) -> bool:
        """See VideoAnalysisQuerySet.comparable."""
        return self.score is not None and bool(self.view) and self.quality in ADEQUATE_QUALITY

    def previous_of_same_view(self, viewer: models.Model) -> VideoAnalysis | None:
        """The owner's last comparable analysis of this view made before this one, among those
        `viewer` may see now (a coach never compares against one made private); None when this
        one is not comparable itself."""
        if not self.is_comparable:
            return None
        earlier = (
            VideoAnalysis.objects.visible_to(viewer)
            .comparable()
            .filter(owner_id=self.owner_id, view=self.view, created_at__lt=self.created_at)
        )
        return earlier.exclude(pk=self.pk).order_by("-created_at").first()

    def compare_with(self, before: VideoAnalysis) -> list[dict]:
        """Before and after for each metric both analyses measured, when the two may be
        compared at all: the same view, both of adequate quality, `before` made earlier. A
        change counts as real only beyond the metric's minimal detectable change."""
        if not comparable_pair(before, self):
            return []
        mine, theirs = self.report.get("metrics") or {}, before.report.get("metrics") or {}
        return [
            comparison_row(name, theirs[name], m)
            for name, m in mine.items()
            if name in theirs and registry.get(name) is not None
        ]

    KEYFRAME_CAPTIONS = {
        "contact": "Initial contact: the first frame in contact",
        "midstance": "Midstance: the middle of the stance",
        "toe_off": "Toe-off: the last frame with the toe down",
    }
    KEYFRAMES = tuple(KEYFRAME_CAPTIONS)

    @property
    def keyframe_dir(self) -> Path:
        return Path(settings.MEDIA_ROOT) / "keyframes" / str(self.pk)

    def keyframe_names(self) -> list[str]:
        return [name for name in self.KEYFRAMES if (self.keyframe_dir / f"{name}.png").is_file()]

    def clip_container(self) -> Container | None:
        """What the stored clip is, read from its bytes (None without a readable clip). Clips
        stored before the upload checked containers are read the same way."""
        if not self.clip:
            return None
        try:
            return sniff_file(Path(self.clip.path))
        except OSError:  # missing from disk (or a folder, or unreadable): no clip to serve
            return None

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """The row, then its clip and keyframes once the deletion commits."""
        with transaction.atomic():
            remove_after_commit(self.stored_paths())
            return super().delete(*args, **kwargs)

    def stored_paths(self) -> list[Path]:
        clip = [Path(self.clip.path)] if self.clip else []
        return [*clip, self.keyframe_dir]


def comparable_pair(before: VideoAnalysis, after: VideoAnalysis) -> bool:
    """Before and after may be compared: the same view, both comparable, before earlier."""
    return (
        before.pk != after.pk
        and before.view == after.view
        and before.is_comparable
        and after.is_comparable
        and before.created_at < after.created_at
    )


def comparison_row(name: str, before: dict, after: dict) -> dict:
    """One metric before and after, with whether the change is beyond its measured MDC."""
    metric = registry.REGISTRY[name]
    change = after["value"] - before["value"]
    mdc = registry.mdc95(name)
    return {
        "name": name,
        "label": metric.label,
        "unit": metric.unit,
        "before": before["value"],
        "after": after["value"],
        "change": metric.rounded(change),
        "mdc": metric.rounded(mdc),
        "real": abs(change) > mdc,
    }


class PoseTrack(models.Model):
    """The pose of an analysis's clip as the video room draws it (see analysis.pose_track),
    written with the report by the video job and served by `GET /api/analyses/{id}/pose/`.
    Stored gzipped, as it is sent: the room asks for it on every visit."""

    analysis = models.OneToOneField(
        VideoAnalysis, primary_key=True, on_delete=models.CASCADE, related_name="pose_track"
    )
    gzipped = models.BinaryField()
    raw_bytes = models.PositiveIntegerField()
    etag = models.CharField(max_length=64)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Pose of analysis {self.analysis_id}"

    @classmethod
    def store(cls, analysis: VideoAnalysis, track: dict) -> PoseTrack:
        packed = pose_track.pack(track)
        made, _ = cls.objects.update_or_create(
            analysis=analysis,
            defaults={
                "gzipped": packed.gzipped,
                "raw_bytes": packed.raw_bytes,
                "etag": packed.etag,
                "width": track["width"],
                "height": track["height"],
            },
        )
        return made

    def track(self) -> dict:
        return pose_track.unpack(bytes(self.gzipped))

    def json_bytes(self) -> bytes:
        return gzip.decompress(bytes(self.gzipped))
