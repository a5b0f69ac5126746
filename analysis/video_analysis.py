"""Form analysis of an uploaded clip: probe first, then a job on the `video` queue; a finished
analysis is announced (analysis.events.AnalysisFinished)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np
from django.conf import settings
from django.core.files import File
from django.db import transaction

from analysis.core.runs.cadence import personal_target_spm
from analysis.core.video import pose_track
from analysis.core.video.pose_io import PoseSeries, VideoRejected, probe
from analysis.core.video.video_report import NO_RUNNER, analyse_clip
from analysis.events import AnalysisFinished
from analysis.job_runner import JobKind, PermanentJobError, announce, enqueue, register
from analysis.models import Job, PoseTrack, VideoAnalysis
from club.events import publish
from club.models import User

PROGRESS_EVERY_S = 1.0


def create_analysis(
    *, owner: User, upload: File, filename: str, view: str = "auto"
) -> VideoAnalysis:
    """Probe the upload before keeping anything; a clip that passes is stored and queued.
    Raises VideoRejected with the reason otherwise."""
    # Nothing of the uploader's file name decides how the clip is read, stored or served: the
    # probe names the container from the bytes, and the stored suffix is that container's.
    with tempfile.NamedTemporaryFile(suffix=".upload") as scratch:
        for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
            scratch.write(chunk)
        scratch.flush()
        info = probe(
            Path(scratch.name),
            max_duration_s=settings.VIDEO_MAX_DURATION_S,
            max_pixels=settings.VIDEO_MAX_PIXELS,
        )
        with transaction.atomic():
            analysis = VideoAnalysis(
                owner=owner,
                clip_name=filename[:255],
                requested_view=view,
                visibility=owner.default_visibility,
            )
            with open(scratch.name, "rb") as handle:
                analysis.clip.save(f"clip{info.container.suffix}", File(handle), save=False)
            analysis.job = enqueue("video.analyse", owner=owner, payload={"filename": filename})
            analysis.save()
            Job.objects.filter(pk=analysis.job.pk).update(
                payload={"filename": filename, "analysis_id": analysis.pk}
            )
    return analysis


def cadence_good_spm(owner: User) -> tuple[int, int] | None:
    """The member's own good cadence band from their height; a clip has no speed, so the
    formula's reference speed stands. None without a height (the default band applies)."""
    if not owner.height_cm:
        return None
    return personal_target_spm(height_cm=float(owner.height_cm))


def _analysis_of(job: Job) -> VideoAnalysis:
    analysis = VideoAnalysis.objects.filter(pk=job.payload.get("analysis_id")).first()
    if analysis is None:
        raise PermanentJobError("the analysis was deleted before it ran")
    return analysis


def _compute(job: Job) -> dict:
    analysis = _analysis_of(job)
    last = [0.0]

    def progress(done: int, total: int) -> None:
        # Progress is a hint for open pages; write it at most once a second.
        if time.monotonic() - last[0] >= PROGRESS_EVERY_S or done >= total:
            last[0] = time.monotonic()
            job.set_progress(done, total)
            announce(job)

    poses: list = []
    report = analyse_clip(
        Path(analysis.clip.path),
        view=analysis.requested_view,
        cadence_good_spm=cadence_good_spm(analysis.owner),
        on_progress=progress,
        keyframe_dir=analysis.keyframe_dir,
        on_pose=lambda series, landmarks: poses.append((series, landmarks)),
    )
    if report["status"] == "rejected":
        raise PermanentJobError(report["error"])
    if poses:
        report[POSE_KEY] = _track(*poses[0], report)
    return report


# The track rides from compute to save in the report under this key, and is taken out before
# the report is stored.
POSE_KEY = "_pose_track"


def _track(series: PoseSeries, landmarks: np.ndarray, report: dict) -> dict:
    """The room's skeleton: the landmarks the report was read from, and its events."""
    info = series.info
    return pose_track.encode(
        t_s=series.t_s,
        landmarks=pose_track.to_frame_fractions(
            landmarks=landmarks, width=info.width, height=info.height
        ),
        fps=info.fps,
        width=info.width,
        height=info.height,
        events=report.get("events") or {},
        near_leg=report.get("near_leg"),
    )


def _save(job: Job, report: dict) -> dict:
    """The report, announced to the apps above (club.life.receivers tells the owner and their
    coaches and refreshes the feed and boards; coaching.receivers proposes drills)."""
    analysis = _analysis_of(job)
    report = dict(report)
    track = report.pop(POSE_KEY, None)
    analysis.fill_from_report(report)
    analysis.save(update_fields=["report", "view", "score", "cadence_spm", "quality"])
    if track is not None:
        PoseTrack.store(analysis, track)
    publish(AnalysisFinished(analysis))
    if report.get("status") == NO_RUNNER:
        return {"status": NO_RUNNER, "analysis_id": analysis.pk, "reason": report["reason"]}
    return {"status": "done", "analysis_id": analysis.pk, "score": analysis.score}


VIDEO_ANALYSE = register(
    JobKind(name="video.analyse", compute=_compute, save=_save, queue=Job.Queue.VIDEO)
)

__all__ = ["VideoRejected", "create_analysis"]
