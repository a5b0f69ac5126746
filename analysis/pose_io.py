"""Video in, pose landmarks out. The only module that imports cv2 or mediapipe.

Frames are streamed (never the whole clip in memory), rotation metadata is applied by us, and
MediaPipe Pose is created inside the process that uses it (never at import time), so web
processes that import this module pay nothing.
"""

from __future__ import annotations

import math
import multiprocessing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

N_LANDMARKS = 33
ROTATIONS = {90: "ROTATE_90_CLOCKWISE", 180: "ROTATE_180", 270: "ROTATE_90_COUNTERCLOCKWISE"}


class VideoRejected(Exception):
    """The file is not a video we can analyse; the message says why."""


@dataclass(frozen=True)
class VideoInfo:
    frames: int
    fps: float
    width: int  # after rotation
    height: int
    duration_s: float
    rotation_deg: int


@dataclass
class PoseSeries:
    """Landmarks per frame: (T, 33, 4) x, y (0..1 of width and height), z, visibility; NaN
    where no runner was found. `t_s` (T,) are frame times in seconds."""

    t_s: np.ndarray
    landmarks: np.ndarray
    info: VideoInfo

    @property
    def found(self) -> np.ndarray:
        return np.isfinite(self.landmarks[:, 0, 0])


def probe(path: Path, *, max_duration_s: float = 120.0, max_pixels: int = 3840 * 2160) -> VideoInfo:
    """Check the file before any analysis: a real video stream, sane rate, size and length."""
    import cv2

    cap = cv2.VideoCapture(str(path))
    try:
        if not cap.isOpened():
            raise VideoRejected("not a video file we can read")
        info = _info(cap)
        ok, _ = cap.read()
    finally:
        cap.release()
    if not ok or info.frames <= 0:
        raise VideoRejected("the file has no video frames")
    _check_limits(info, max_duration_s=max_duration_s, max_pixels=max_pixels)
    return info


def _info(cap: object) -> VideoInfo:
    import cv2

    fps = float(cap.get(cv2.CAP_PROP_FPS) or 0.0)
    frames = int(cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
    width, height = int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT))
    rotation = int(cap.get(cv2.CAP_PROP_ORIENTATION_META) or 0) % 360
    if rotation in (90, 270):
        width, height = height, width
    duration = frames / fps if fps > 0 else 0.0
    return VideoInfo(frames, fps, width, height, duration, rotation)


def _check_limits(info: VideoInfo, *, max_duration_s: float, max_pixels: int) -> None:
    if not 5.0 <= info.fps <= 480.0 or not math.isfinite(info.fps):
        raise VideoRejected(f"frame rate {info.fps:.1f}/s is not one a camera records at")
    if info.duration_s > max_duration_s:
        raise VideoRejected(
            f"the clip lasts {info.duration_s:.0f} s; the limit is {max_duration_s:.0f} s"
        )
    if info.duration_s < 2.0:
        raise VideoRejected(f"the clip lasts {info.duration_s:.1f} s; at least 2 s is needed")
    if info.width * info.height > max_pixels:
        raise VideoRejected(f"{info.width}x{info.height} is larger than the limit of 4K")


def frames(path: Path, info: VideoInfo) -> Iterator[np.ndarray]:
    """RGB frames one at a time, upright (rotation metadata applied here, not by OpenCV)."""
    import cv2

    cap = cv2.VideoCapture(str(path))
    cap.set(cv2.CAP_PROP_ORIENTATION_AUTO, 0)
    rotate = getattr(cv2, ROTATIONS[info.rotation_deg]) if info.rotation_deg in ROTATIONS else None
    try:
        while True:
            ok, frame = cap.read()
            if not ok:
                return
            if rotate is not None:
                frame = cv2.rotate(frame, rotate)
            yield cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
    finally:
        cap.release()


def _track(
    path: str, info: VideoInfo, first: int, stop: int, progress: object = None
) -> np.ndarray:
    """Pose for frames [first, stop): decode from the start (cheap), infer only our share."""
    import mediapipe as mp

    out = np.full((stop - first, N_LANDMARKS, 4), np.nan)
    with mp.solutions.pose.Pose(model_complexity=1, static_image_mode=False) as pose:
        for index, rgb in enumerate(frames(Path(path), info)):
            if index >= stop:
                break
            if index < first:
                continue
            result = pose.process(rgb)
            if result.pose_landmarks:
                out[index - first] = [
                    (p.x, p.y, p.z, p.visibility) for p in result.pose_landmarks.landmark
                ]
            if progress is not None:
                with progress.get_lock():
                    progress.value += 1
    return out


def extract_pose(
    path: Path,
    *,
    info: VideoInfo | None = None,
    workers: int = 2,
    on_progress: Callable[[int, int], None] | None = None,
) -> PoseSeries:
    """Run MediaPipe Pose over the clip, split in `workers` parts in parallel processes."""
    info = info or probe(path)
    total = _count_frames(path, info)
    bounds = np.linspace(0, total, workers + 1).astype(int)
    context = multiprocessing.get_context("spawn")
    progress = context.Value("i", 0)
    with context.Pool(workers, initializer=_keep_counter, initargs=(progress,)) as pool:
        parts = [
            pool.apply_async(_track_part, (str(path), info, int(a), int(b)))
            for a, b in zip(bounds[:-1], bounds[1:], strict=True)
        ]
        _report(parts, progress, total, on_progress)
        landmarks = np.concatenate([p.get() for p in parts])
    return PoseSeries(t_s=np.arange(total) / info.fps, landmarks=landmarks, info=info)


_counter = None


def _keep_counter(counter: object) -> None:
    global _counter
    _counter = counter


def _track_part(path: str, info: VideoInfo, first: int, stop: int) -> np.ndarray:
    return _track(path, info, first, stop, _counter)


def _report(parts: list, progress: object, total: int, on_progress: Callable | None) -> None:
    import time

    while not all(p.ready() for p in parts):
        if on_progress is not None:
            on_progress(progress.value, total)
        time.sleep(0.5)
    if on_progress is not None:
        on_progress(total, total)


def _count_frames(path: Path, info: VideoInfo) -> int:
    """The container's frame count can be off by a few; count what actually decodes."""
    import cv2

    cap = cv2.VideoCapture(str(path))
    count = 0
    try:
        while cap.grab():
            count += 1
    finally:
        cap.release()
    return count or info.frames
