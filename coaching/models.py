"""The coaching loop: drills, assignments of drills, sessions done, feedback and suggestions."""

from __future__ import annotations

import datetime as dt
import math
import secrets
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from analysis.core.video import marks
from analysis.models import FILMED_VIEWS, VideoAnalysis
from club.bounds import LONG_TEXT_CHARS
from club.models import Club, CoachLink, Membership, Run, User

CATEGORIES = [
    ("mobility", "Mobility"),
    ("technique", "Technique"),
    ("torso_head", "Torso and head"),
    ("back_shoulders", "Back and shoulders"),
    ("hip_hinge", "Hip hinge"),
]


def is_coach(user: User) -> bool:
    """Holds the coach role in a club, or coaches (or has invited) someone one to one."""
    if not user.is_authenticated:
        return False
    in_club = Membership.objects.coaching().filter(user=user).exists()
    return in_club or CoachLink.objects.filter(coach=user).exists()


class DrillQuerySet(models.QuerySet["Drill"]):
    def sync_catalogue(self) -> int:
        """Write the seeded catalogue (coaching.catalogue) into the table: new drills are
        added and seeded ones restored to the catalogue's text. Coaches' drills are untouched."""
        from coaching.catalogue import DRILLS

        for spec in DRILLS:
            self.update_or_create(
                slug=spec.slug,
                author=None,
                defaults={
                    "name": spec.name,
                    "category": spec.category,
                    "purpose": spec.purpose,
                    "steps": list(spec.steps),
                    "dose": spec.dose,
                    "stages": [list(stage) for stage in spec.stages],
                    "equipment": spec.equipment,
                    "targets": list(spec.targets),
                },
            )
        return len(DRILLS)

    def visible_to(self, user: User) -> DrillQuerySet:
        """The seeded catalogue, the user's own drills, and coaches' drills assigned to them."""
        if not user.is_authenticated:
            return self.none()
        assigned = AssignmentItem.objects.filter(
            Q(assignment__athlete=user) | Q(assignment__coach=user)
        ).values("drill_id")
        return self.filter(Q(author__isnull=True) | Q(author=user) | Q(pk__in=assigned))


# A drill's written parts, bounded for the form and the API alike.
MAX_DRILL_STEPS = 30
MAX_STEP_CHARS = 300
MAX_DRILL_STAGES = 20
MAX_STAGE_SECONDS = 3600


class Drill(models.Model):
    """One exercise. Seeded drills (no author) are the shared catalogue and stay read-only;
    a coach's own drills are editable by that coach alone."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    category = models.CharField(max_length=16, choices=CATEGORIES)
    purpose = models.TextField(max_length=LONG_TEXT_CHARS)
    steps = models.JSONField(default=list, blank=True)
    dose = models.CharField(max_length=120)
    stages = models.JSONField(default=list, blank=True)
    equipment = models.CharField(max_length=120, default="none")
    targets = models.JSONField(default=list, blank=True)
    author = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="drills"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DrillQuerySet.as_manager()

    class Meta:
        ordering = ["category", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("drill-detail", args=[self.slug])

    @staticmethod
    def new_slug(name: str) -> str:
        # A random tail keeps coaches' slugs apart from the catalogue's and from each other's.
        return f"{slugify(name)[:60] or 'drill'}-{secrets.token_hex(2)}"

    @property
    def is_seeded(self) -> bool:
        return self.author_id is None

    def editable_by(self, user: User) -> bool:
        return user.is_authenticated and self.author_id == user.pk


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def visible_to(self, user: User) -> AssignmentQuerySet:
        """An athlete sees what they were given; a coach what they gave, and only while they
        still coach the athlete (a coach who left the club or whose link ended sees none)."""
        if not user.is_authenticated:
            return self.none()
        coached = User.objects.athletes_of(user).values("pk")
        return self.filter(Q(athlete=user) | Q(coach=user, athlete__in=coached))

    def current(self, today: dt.date) -> AssignmentQuerySet:
        return self.filter(cancelled_at__isnull=True, starts_on__lte=today, ends_on__gte=today)

    def open(self, today: dt.date) -> AssignmentQuerySet:
        """Not cancelled and not over: running now or starting later."""
        return self.filter(cancelled_at__isnull=True, ends_on__gte=today)


# A plan starts within a year of today, either way, and lasts at most a year: wide enough
# for any real plan, narrow enough that its dates never near the calendar's ends.
PLAN_WINDOW = dt.timedelta(days=366)
PLAN_MAX_LENGTH = dt.timedelta(weeks=52)


def schedule_errors(starts_on: dt.date, ends_on: dt.date, *, today: dt.date) -> dict[str, str]:
    """What is wrong with a plan's dates, by field; empty when they are sane."""
    errors = {}
    earliest, latest = today - PLAN_WINDOW, today + PLAN_WINDOW
    if not earliest <= starts_on <= latest:
        errors["starts_on"] = (
            f"A plan starts within a year of today ({earliest:%d %b %Y} to {latest:%d %b %Y})."
        )
    if ends_on < starts_on:
        errors["ends_on"] = "The end date must not be before the start date."
    elif ends_on - starts_on > PLAN_MAX_LENGTH:
        errors["ends_on"] = "A plan lasts at most 52 weeks; set up the next one when it ends."
    return errors


@dataclass(frozen=True)
class Adherence:
    done: int
    due: int

    @property
    def pct(self) -> float | None:
        return None if self.due == 0 else round(100.0 * min(self.done, self.due) / self.due, 0)

    @property
    def missed(self) -> int:
        return max(0, self.due - self.done)

    def __add__(self, other: Adherence) -> Adherence:
        """Totals over several plans; sessions beyond a plan's schedule do not make up for
        another plan's missed ones."""
        return Adherence(self.done + min(other.done, other.due), self.due + other.due)


class Assignment(models.Model):
    """One athlete's plan of one or more drills, with a schedule. A whole-club assignment is
    one row per athlete sharing a `batch`, so adherence is always per athlete."""

    REFILM_VIEWS = [
        ("", "no re-film"),
        *((view.value, f"{view.value} view") for view in FILMED_VIEWS),
    ]

    coach = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assignments_given")
    athlete = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assignments")
    club = models.ForeignKey(Club, null=True, blank=True, on_delete=models.SET_NULL)
    batch = models.UUIDField(default=uuid.uuid4, db_index=True)
    title = models.CharField(max_length=120)
    note = models.TextField(blank=True, max_length=LONG_TEXT_CHARS)
    starts_on = models.DateField()
    ends_on = models.DateField()
    sessions_per_week = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(14)]
    )
    refilm_after_weeks = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(52)]
    )
    refilm_view = models.CharField(max_length=4, choices=REFILM_VIEWS, blank=True)
    baseline = models.ForeignKey(
        VideoAnalysis, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="assignment_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} for {self.athlete}"

    def get_absolute_url(self) -> str:
        return reverse("assignment-detail", args=[self.pk])

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The end date must not be before the start date."})

    def due_by(self, day: dt.date) -> int:
        """Sessions scheduled from the start up to and including `day` (spread evenly)."""
        last = min(day, self.ends_on)
        if last < self.starts_on:
            return 0
        return ((last - self.starts_on).days + 1) * self.sessions_per_week // 7

    def adherence(self, today: dt.date | None = None) -> Adherence:
        today = today or timezone.localdate()
        done = self.sessions.filter(done_on__lte=today).count()
        return Adherence(done=done, due=self.due_by(today))

    @property
    def refilm_due_on(self) -> dt.date | None:
        if not self.refilm_after_weeks:
            return None
        try:
            return self.starts_on + dt.timedelta(weeks=self.refilm_after_weeks)
        except OverflowError:  # a row stored before plan dates were bounded
            return None

    @property
    def targets(self) -> list[str]:
        """Metric names the plan's drills address, in first-seen order."""
        seen: dict[str, None] = {}
        for item in self.items.all():
            seen.update(dict.fromkeys(item.drill.targets))
        return list(seen)

    def baseline_for(self, viewer: User) -> VideoAnalysis | None:
        """The analysis the plan started from, if `viewer` may see it now."""
        if self.baseline_id is None:
            return None
        return VideoAnalysis.objects.visible_to(viewer).filter(pk=self.baseline_id).first()

    def refilm_analysis(self, viewer: User) -> VideoAnalysis | None:
        """The athlete's latest comparable analysis of the re-film view since the plan started
        (and after its baseline), among those `viewer` may see now: same view, adequate
        quality, later than "before"."""
        if not self.refilm_view:
            return None
        after = (
            VideoAnalysis.objects.visible_to(viewer)
            .comparable()
            .filter(
                owner_id=self.athlete_id,
                view=self.refilm_view,
                created_at__date__gte=self.starts_on,
            )
        )
        if self.baseline is not None:  # "after" is always later than "before"
            after = after.filter(created_at__gt=self.baseline.created_at)
        return after.exclude(pk=self.baseline_id).order_by("-created_at").first()


class AssignmentItem(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="items")
    drill = models.ForeignKey(Drill, on_delete=models.PROTECT, related_name="plan_items")
    dose = models.CharField(max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.drill} ({self.dose or self.drill.dose})"


class DrillSession(models.Model):
    """The athlete's log of one session of an assignment."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="sessions")
    done_on = models.DateField()
    sets_done = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    minutes_done = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    effort = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="How hard it felt, 1 (very easy) to 10 (maximal).",
    )
    note = models.TextField(blank=True, max_length=LONG_TEXT_CHARS)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-done_on", "-id"]

    def __str__(self) -> str:
        return f"{self.assignment.title} on {self.done_on}"


def validate_pin_time(value: float) -> None:
    """A moment of a clip: from its start to the longest clip an upload may be."""
    if not (math.isfinite(value) and 0 <= value <= settings.VIDEO_MAX_DURATION_S):
        raise ValidationError(
            f"Pin the comment to a moment from 0 to {settings.VIDEO_MAX_DURATION_S:.0f} s.",
            code="pin_time",
        )


def validate_drawing(value: object) -> None:
    try:
        marks.parse(value)
    except marks.BadDrawing as exc:
        raise ValidationError(str(exc), code="drawing") from None


class CommentQuerySet(models.QuerySet["Comment"]):
    def on(self, target: VideoAnalysis | Run) -> CommentQuerySet:
        field = "analysis" if isinstance(target, VideoAnalysis) else "run"
        return self.filter(**{field: target}).select_related("author").order_by("created_at")


class Comment(models.Model):
    """Feedback on an analysis (optionally one metric or keyframe) or on a run; the comments
    on one item form its thread."""

    author = models.ForeignKey(User, on_delete=models.CASCADE, related_name="comments")
    analysis = models.ForeignKey(
        VideoAnalysis, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    run = models.ForeignKey(
        Run, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    metric = models.CharField(max_length=64, blank=True)
    keyframe = models.CharField(max_length=32, blank=True)
    body = models.TextField(max_length=2000)
    # A comment pinned to a moment of the analysis's clip (seconds on the clip's clock), with
    # optionally a line or an angle drawn on that frame and the angle measured from it.
    at_s = models.FloatField(null=True, blank=True, validators=[validate_pin_time])
    drawing = models.JSONField(null=True, blank=True, validators=[validate_drawing])
    drawing_deg = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(0.0), MaxValueValidator(180.0)]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(analysis__isnull=False) & Q(run__isnull=True))
                | (Q(analysis__isnull=True) & Q(run__isnull=False)),
                name="comment_on_exactly_one_item",
            ),
            models.CheckConstraint(
                condition=Q(at_s__isnull=True) | Q(analysis__isnull=False),
                name="comment_pinned_only_on_a_clip",
            ),
            models.CheckConstraint(
                condition=Q(drawing__isnull=True) | Q(at_s__isnull=False),
                name="comment_drawing_on_a_pinned_moment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:40]}"

    @property
    def target(self) -> VideoAnalysis | Run:
        return self.analysis if self.analysis_id else self.run

    @property
    def is_pinned(self) -> bool:
        return self.at_s is not None


class SuggestionQuerySet(models.QuerySet["Suggestion"]):
    def for_coach(self, coach: User) -> SuggestionQuerySet:
        """A coach's suggestions, only for athletes they still coach and analyses they may
        still see (an athlete who makes an analysis private takes its suggestions back)."""
        if not coach.is_authenticated:
            return self.none()
        return self.filter(
            coach=coach,
            athlete__in=User.objects.athletes_of(coach),
            analysis__in=VideoAnalysis.objects.visible_to(coach),
        )

    def copies_of(self, suggestion: Suggestion) -> SuggestionQuerySet:
        """Every coach's copy of one finding of one analysis (the given one included)."""
        return self.filter(analysis_id=suggestion.analysis_id, finding_code=suggestion.finding_code)

    def pending(self) -> SuggestionQuerySet:
        return self.filter(status=Suggestion.Status.PENDING)


class Suggestion(models.Model):
    """Drills proposed to a coach from one finding of a finished analysis."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        APPROVED = "approved", "Approved"
        PLANNED = "planned", "Planned by another coach"
        DISMISSED = "dismissed", "Dismissed"

    analysis = models.ForeignKey(
        VideoAnalysis, on_delete=models.CASCADE, related_name="suggestions"
    )
    coach = models.ForeignKey(User, on_delete=models.CASCADE, related_name="suggestions")
    athlete = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    finding_code = models.CharField(max_length=80)
    severity = models.CharField(max_length=8)
    message = models.TextField()
    drills = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    assignment = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["analysis", "coach", "finding_code"], name="one_suggestion_per_finding"
            )
        ]

    def __str__(self) -> str:
        return f"{self.finding_code} for {self.athlete} ({self.status})"

    @property
    def metric(self) -> str:
        return self.finding_code.rsplit("_", 1)[0]

    @property
    def planned_by(self) -> User | None:
        """The coach whose plan settled this copy, when another coach approved theirs."""
        if self.status != self.Status.PLANNED or self.assignment is None:
            return None
        return self.assignment.coach

    def drill_objects(self) -> list[Drill]:
        by_slug = Drill.objects.in_bulk(self.drills, field_name="slug")
        return [by_slug[s] for s in self.drills if s in by_slug]
