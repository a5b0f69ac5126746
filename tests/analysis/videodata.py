"""The shared clips (../shared/data/video) and derived clips made from them for tests."""

from __future__ import annotations

import json
from pathlib import Path

import cv2

VIDEO_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "video"


def clip(name: str) -> Path:
    path = VIDEO_DIR / name
    assert path.is_file(), f"test data missing: {path} (CI keeps ../shared beside the clone)"
    return path


def measured_cadence_spm() -> float:
    return json.loads(clip("male_side.groundtruth.json").read_text())["cadence_spm"]["value"]


def rewrite(source: Path, target: Path, *, mirror: bool = False, speed: float = 1.0) -> Path:
    """Write a copy of the clip, mirrored left-right and/or played `speed` times faster."""
    cap = cv2.VideoCapture(str(source))
    fps = cap.get(cv2.CAP_PROP_FPS)
    size = (int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)))
    out = cv2.VideoWriter(str(target), cv2.VideoWriter_fourcc(*"mp4v"), fps * speed, size)
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        out.write(cv2.flip(frame, 1) if mirror else frame)
    cap.release()
    out.release()
    return target
