"""What to draw on keyframes: pure geometry from landmarks, no image library.

The overlay shows the trunk line (hip centre to shoulder centre), the vertical through the
stance ankle, and the angles and distances the report quotes for that frame.
"""

from __future__ import annotations

import numpy as np

from analysis.core.video.gait import L_ANKLE, L_HIP, L_SHOULDER, R_ANKLE, R_HIP, R_SHOULDER
from analysis.core.video.pose_io import Overlay


def stance_overlay(
    *, landmarks: np.ndarray, width: int, height: int, side: str, labels: list[str]
) -> Overlay:
    """Overlay for one frame. `landmarks` (33, 4) as MediaPipe gives them (fractions of the
    frame); `labels` are the lines of text to print, top left."""
    px = landmarks[:, :2] * np.array([width, height])
    hip = (px[L_HIP] + px[R_HIP]) / 2
    shoulder = (px[L_SHOULDER] + px[R_SHOULDER]) / 2
    ankle = px[L_ANKLE if side == "left" else R_ANKLE]
    lines = [
        (*hip, *shoulder, "trunk"),
        (ankle[0], 0.0, ankle[0], float(height), "vertical"),
    ]
    step = height / 28
    texts = tuple((width * 0.03, step * (i + 1.5), text) for i, text in enumerate(labels))
    return Overlay(
        lines=tuple(
            tuple(float(v) if not isinstance(v, str) else v for v in line) for line in lines
        ),
        labels=texts,
    )
