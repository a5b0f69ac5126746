"""What to draw on keyframes: pure geometry from landmarks, no image library.

A keyframe shows the runner, not the room: the frame is cropped to the box around the points
the pose model saw, with a margin, and scaled to KEYFRAME_HEIGHT_PX. Over the runner: the
skeleton, the trunk line (hip centre to shoulder centre) and the vertical through the stance
ankle. Above the picture, on a strip of its own so no text hides a limb: the moment's name and
the values the report quotes for that frame, in letters sized to the picture so they stay
readable on a phone.
"""

from __future__ import annotations

import numpy as np

from analysis.core.video.gait import (
    L_ANKLE,
    L_HIP,
    L_SHOULDER,
    MIN_VISIBILITY,
    R_ANKLE,
    R_HIP,
    R_SHOULDER,
)
from analysis.core.video.pose_io import Overlay

# Each side, as a share of the runner's height in the frame; more above, where the landmarks
# stop at the eyes and ears and the top of the head goes on.
MARGIN = 0.12
HEAD_ROOM = 0.10
# Width to height at least this: a foot or an arm in full swing stays in the picture, and the
# three keyframes of a clip come out about the same shape.
MIN_ASPECT = 0.6
KEYFRAME_HEIGHT_PX = 900
MIN_POINTS = 6  # fewer seen points than this give no box worth cropping to
# The caption's title for each moment the report draws (its labels name them in short).
TITLES = {"contact": "Initial contact", "midstance": "Midstance", "toe-off": "Toe-off"}


def runner_box(*, landmarks: np.ndarray, width: int, height: int) -> tuple[int, int, int, int]:
    """(x0, y0, x1, y1) in frame pixels: the runner with a margin, inside the frame. The whole
    frame when too few points were seen. `landmarks` (33, 4) in fractions of the frame."""
    seen = np.isfinite(landmarks[:, :2]).all(axis=1) & (
        np.nan_to_num(landmarks[:, 3]) >= MIN_VISIBILITY
    )
    if seen.sum() < MIN_POINTS:
        return 0, 0, width, height
    xs, ys = landmarks[seen, 0] * width, landmarks[seen, 1] * height
    tall = max(float(ys.max() - ys.min()), 1.0)
    x0, x1 = xs.min() - MARGIN * tall, xs.max() + MARGIN * tall
    y0, y1 = ys.min() - (MARGIN + HEAD_ROOM) * tall, ys.max() + MARGIN * tall
    if x1 - x0 < MIN_ASPECT * (y1 - y0):
        grow = (MIN_ASPECT * (y1 - y0) - (x1 - x0)) / 2
        x0, x1 = x0 - grow, x1 + grow
    x0, x1 = _inside(x0, x1, width)
    y0, y1 = _inside(y0, y1, height)
    return int(x0), int(y0), int(np.ceil(x1)), int(np.ceil(y1))


def _inside(low: float, high: float, size: int) -> tuple[float, float]:
    """The span moved (not shrunk) to fit in [0, size] where it can, else cut to it."""
    if low < 0:
        low, high = 0.0, high - low
    if high > size:
        low, high = max(0.0, low - (high - size)), float(size)
    return low, high


def stance_overlay(
    *, landmarks: np.ndarray, width: int, height: int, side: str, labels: list[str]
) -> Overlay:
    """Overlay for one frame. `landmarks` (33, 4) as MediaPipe gives them (fractions of the
    frame); `labels` are the caption's lines: the moment's name, then the values."""
    px = landmarks[:, :2] * np.array([width, height])
    hip = (px[L_HIP] + px[R_HIP]) / 2
    shoulder = (px[L_SHOULDER] + px[R_SHOULDER]) / 2
    ankle = px[L_ANKLE if side == "left" else R_ANKLE]
    lines = [
        (*hip, *shoulder, "trunk"),
        (ankle[0], 0.0, ankle[0], float(height), "vertical"),
    ]
    return Overlay(
        lines=tuple(
            tuple(float(v) if not isinstance(v, str) else v for v in line) for line in lines
        ),
        labels=(),
        caption=tuple([TITLES.get(labels[0], labels[0]), *labels[1:]]) if labels else (),
        crop=runner_box(landmarks=landmarks, width=width, height=height),
        out_height_px=KEYFRAME_HEIGHT_PX,
    )
