"""The read side of the video room: what its pages need to know about an analysis's clip, and
the metrics two analyses shown side by side differ in beyond their measured noise."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from analysis.core import metrics as registry
from analysis.core.video import pose_track
from analysis.core.video.pose_io import VideoRejected, probe
from analysis.models import ADEQUATE_QUALITY, Job, PoseTrack, VideoAnalysis

# Frame rate assumed for a clip whose report does not say (a failed or unfinished analysis):
# stepping is then only as exact as the guess, and the page says so.
GUESSED_FPS = 30.0


def player(analysis: VideoAnalysis) -> dict | None:
    """What a player of the analysis's clip needs on the page: None when there is no clip to
    play. Events per foot (with midstance) come from the report; the skeleton is fetched from
    the pose endpoint only when one is stored, so the page never asks for a missing one."""
    if analysis.clip_container() is None:
        return None
    report = analysis.report or {}
    events = report.get("events") or {}
    return {
        "analysis": analysis,
        "clip_url": reverse("analysis-clip", args=[analysis.pk]),
        "pose_url": reverse("api-analysis-pose", args=[analysis.pk]),
        "has_pose": PoseTrack.objects.filter(analysis=analysis).exists(),
        "fps": report.get("fps") or GUESSED_FPS,
        "fps_known": bool(report.get("fps")),
        "frames": report.get("frames") or 0,
        "duration_s": report.get("duration_s") or 0,
        "events": {side: pose_track.with_midstance(events.get(side) or {}) for side in SIDES},
        "near_leg": report.get("near_leg") or "",
        "finished": analysis.state == Job.State.DONE,
    }


SIDES = ("left", "right")


def choices_for(viewer: object, *, limit: int = 100) -> list[VideoAnalysis]:
    """Analyses the viewer may see that have a finished report, newest first: what the side
    by side page offers to put beside each other (one without a clip still brings its numbers)."""
    return list(
        VideoAnalysis.objects.visible_to(viewer)
        .filter(Q(job__isnull=True) | Q(job__state=Job.State.DONE))
        .select_related("owner")
        .order_by("-created_at")[:limit]
    )


def frame_size(analysis: VideoAnalysis) -> tuple[int, int] | None:
    """(width, height) of the clip's upright frames: from its stored pose, else read from the
    clip itself (analyses made before poses were kept); None without a readable clip."""
    stored = PoseTrack.objects.filter(analysis=analysis).values_list("width", "height").first()
    if stored is not None:
        return stored
    if analysis.clip_container() is None:
        return None
    try:
        info = probe(Path(analysis.clip.path), max_duration_s=math.inf, max_pixels=2**62)
    except VideoRejected:
        return None
    return info.width, info.height


def clip_time(seconds: float) -> str:
    """A moment of a clip as a coach reads it: 0:03.43."""
    minutes, rest = divmod(round(max(0.0, seconds), 2), 60)
    return f"{int(minutes)}:{rest:05.2f}"


def clip_duration_s(analysis: VideoAnalysis) -> float:
    """How long the clip lasts, as the analysis measured it; the longest clip an upload may be
    when the report does not say."""
    duration = (analysis.report or {}).get("duration_s")
    return float(duration) if duration else float(settings.VIDEO_MAX_DURATION_S)


@dataclass(frozen=True)
class Difference:
    name: str
    label: str
    unit: str
    left: float
    right: float
    difference: float  # right minus left
    mdc: float


def differences(left: VideoAnalysis, right: VideoAnalysis) -> tuple[list[Difference], str]:
    """The metrics both analyses measured that differ by more than the metric's minimal
    detectable change (what it moves between two clips of one run), largest first against
    that noise; and, when none can be compared at all, why."""
    why = _not_comparable(left, right)
    if why:
        return [], why
    mine, theirs = left.report.get("metrics") or {}, right.report.get("metrics") or {}
    rows = []
    for name in mine.keys() & theirs.keys():
        metric = registry.get(name)
        if metric is None:
            continue
        change, mdc = theirs[name]["value"] - mine[name]["value"], registry.mdc95(name)
        if abs(change) > mdc:
            rows.append(
                Difference(
                    name,
                    metric.label,
                    metric.unit,
                    mine[name]["value"],
                    theirs[name]["value"],
                    metric.rounded(change),
                    metric.rounded(mdc),
                )
            )
    rows.sort(key=lambda row: -abs(row.difference) / (row.mdc or 1))
    return rows, ""


def _not_comparable(left: VideoAnalysis, right: VideoAnalysis) -> str:
    if left.view != right.view or not left.view:
        return "The two clips are not filmed from the same side, so their numbers differ anyway."
    poor = [a for a in (left, right) if a.quality not in ADEQUATE_QUALITY]
    if poor:
        return "One of the clips is too rough a capture to compare its numbers."
    return ""
