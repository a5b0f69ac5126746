"""A clip in, a report out: probe, pose, then the pure gait core. No Django."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from analysis import gait
from analysis.pose_io import VideoRejected, extract_pose, probe


def analyse_clip(
    path: Path, *, view: str = "auto", on_progress: Callable[[int, int], None] | None = None
) -> dict[str, Any]:
    """The report as a JSON-ready dict (the `analyze_video --json` contract)."""
    started = time.perf_counter()
    try:
        info = probe(path)
    except VideoRejected as exc:
        return {"status": "rejected", "error": str(exc)}
    series = extract_pose(path, info=info, on_progress=on_progress)
    landmarks = gait.fill_gaps(
        landmarks=gait.square_units(
            landmarks=series.landmarks, width=info.width, height=info.height
        )
    )
    seen = gait.detect_view(landmarks=landmarks)
    chosen = seen if view == "auto" else gait.View(view, seen.facing, 1.0)
    report = _gait_report(landmarks, series.t_s, chosen, info.fps)
    report.update(
        {
            "status": "done",
            "view": chosen.name,
            "view_confidence": round(chosen.confidence, 2),
            "fps": info.fps,
            "frames": int(series.landmarks.shape[0]),
            "frames_with_pose": int(series.found.sum()),
            "duration_s": round(info.duration_s, 2),
            "processing_s": round(time.perf_counter() - started, 2),
            "error": None,
        }
    )
    return report


def _gait_report(
    landmarks: np.ndarray, t_s: np.ndarray, view: gait.View, fps: float
) -> dict[str, Any]:
    cadence = None
    strides = 0
    if view.name == "side" and view.facing:
        contacts = gait.foot_contacts_side(
            landmarks=landmarks, t_s=t_s, facing=view.facing, fps=fps
        )
        cadence = gait.cadence_spm(contacts=contacts)
        strides = int(gait.stride_periods_s(contacts=contacts).size)
    return {
        "cadence_spm": round(cadence, 1) if cadence else None,
        "metrics": {},
        "score": None,
        "findings": [],
        "quality": {"strides_counted": strides},
        "keyframes": [],
    }
