"""The shared clips (../shared/data/video) and derived clips made from them for tests."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import struct
import tempfile
from pathlib import Path
from unittest import mock

import cv2
import numpy as np
from django.core.files import File

from analysis.core.video import pose_io

VIDEO_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "video"


def clip(name: str) -> Path:
    path = VIDEO_DIR / name
    assert path.is_file(), f"test data missing: {path} (CI keeps ../shared beside the clone)"
    return path


def measured_cadence_spm() -> float:
    return json.loads(clip("male_side.groundtruth.json").read_text())["cadence_spm"]["value"]


def annotation() -> dict:
    """The hand annotation of male_side.mp4 (gait events and joint positions, no pose model)."""
    return json.loads(clip("male_side.annotation.json").read_text())


# MediaPipe runs at about 50 frames/s here: a test session poses each distinct clip once.
_POSES: dict[str, pose_io.PoseSeries] = {}


def cached_extract_pose(path: Path, **kwargs: object) -> pose_io.PoseSeries:
    """pose_io.extract_pose, run once per distinct file content in this test session (the
    real MediaPipe output, kept; progress is still reported)."""
    key = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    if key not in _POSES:
        _POSES[key] = pose_io.extract_pose(path, **kwargs)
    elif kwargs.get("on_progress") is not None:
        done = len(_POSES[key].landmarks)
        kwargs["on_progress"](done, done)
    series = _POSES[key]
    return dataclasses.replace(series, landmarks=series.landmarks.copy())


@functools.cache
def report_of(name: str) -> dict:
    """analyse_clip's report on a shared clip, once per session (callers must not change it)."""
    return analysed(clip(name))


def analysed(path: Path, **kwargs: object) -> dict:
    """analyse_clip on a file, its pose taken from this session's cache."""
    from analysis.core.video import video_report

    with mock.patch.object(video_report, "extract_pose", cached_extract_pose):
        return video_report.analyse_clip(path, **kwargs)


def pattern_clip(target: Path, *, seconds: float = 6.0, fps: float = 30.0) -> Path:
    """A clip with no person in it: colour bars, a moving block and a frame counter, like
    ffmpeg's testsrc (written with OpenCV, which every machine running the tests has)."""
    width, height = 640, 480
    out = cv2.VideoWriter(str(target), cv2.VideoWriter_fourcc(*"mp4v"), fps, (width, height))
    bars = [(255, 255, 255), (0, 255, 255), (255, 255, 0), (0, 255, 0), (255, 0, 255)]
    for i in range(int(seconds * fps)):
        image = np.zeros((height, width, 3), np.uint8)
        for k, colour in enumerate(bars):
            image[:, k * width // len(bars) : (k + 1) * width // len(bars)] = colour
        x = (i * 7) % (width - 80)
        cv2.rectangle(image, (x, 200), (x + 80, 280), (0, 0, 0), -1)
        cv2.putText(image, str(i), (20, 50), cv2.FONT_HERSHEY_SIMPLEX, 1.5, (0, 0, 0), 3)
        out.write(image)
    out.release()
    return target


def window(source: Path, target: Path, *, first: int, stop: int) -> Path:
    """A copy of frames [first, stop) of the clip."""
    cap = cv2.VideoCapture(str(source))
    fps = cap.get(cv2.CAP_PROP_FPS)
    size = (int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)))
    out = cv2.VideoWriter(str(target), cv2.VideoWriter_fourcc(*"mp4v"), fps, size)
    for index in range(stop):
        ok, frame = cap.read()
        if not ok:
            break
        if index >= first:
            out.write(frame)
    cap.release()
    out.release()
    return target


def rewrite(
    source: Path,
    target: Path,
    *,
    mirror: bool = False,
    speed: float = 1.0,
    limit: int | None = None,
) -> Path:
    """Write a copy of the clip, mirrored left-right and/or played `speed` times faster,
    and/or only its first `limit` frames."""
    cap = cv2.VideoCapture(str(source))
    fps = cap.get(cv2.CAP_PROP_FPS)
    size = (int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)))
    out = cv2.VideoWriter(str(target), cv2.VideoWriter_fourcc(*"mp4v"), fps * speed, size)
    written = 0
    while limit is None or written < limit:
        ok, frame = cap.read()
        if not ok:
            break
        out.write(cv2.flip(frame, 1) if mirror else frame)
        written += 1
    cap.release()
    out.release()
    return target


def stored_sideways(source: Path, target: Path, *, limit: int | None = None) -> Path:
    """A copy whose pixels are stored turned a quarter left, with the MP4 track matrix telling
    players to turn them a quarter right: what a phone filming upright writes."""
    cap = cv2.VideoCapture(str(source))
    fps = cap.get(cv2.CAP_PROP_FPS)
    size = (int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)), int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)))
    out = cv2.VideoWriter(str(target), cv2.VideoWriter_fourcc(*"mp4v"), fps, size)
    count = 0
    while limit is None or count < limit:
        ok, frame = cap.read()
        if not ok:
            break
        out.write(cv2.rotate(frame, cv2.ROTATE_90_COUNTERCLOCKWISE))
        count += 1
    cap.release()
    out.release()
    _set_track_matrix(target, quarter_turns_clockwise=1)
    return target


def _set_track_matrix(path: Path, *, quarter_turns_clockwise: int) -> None:
    """Overwrite the identity display matrix in the file's track header (tkhd)."""
    identity = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
    turned = struct.pack(">9I", 0, 0x10000, 0, 0xFFFF0000, 0, 0, 0, 0, 0x40000000)
    assert quarter_turns_clockwise == 1, "only the common phone case is needed"
    data = bytearray(path.read_bytes())
    at = data.find(identity, data.find(b"tkhd"))
    assert at > 0, "no identity matrix in the track header"
    data[at : at + 36] = turned
    path.write_bytes(bytes(data))


def mirrored_webm(source: Path, target: Path) -> Path:
    """The clip mirrored left-right, as VP8 in WebM: a browser plays it (OpenCV here cannot
    write H.264, and no browser plays the MPEG-4 Part 2 that `rewrite` writes)."""
    cap = cv2.VideoCapture(str(source))
    fps = cap.get(cv2.CAP_PROP_FPS)
    size = (int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)))
    out = cv2.VideoWriter(str(target), cv2.VideoWriter_fourcc(*"VP80"), fps, size)
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        out.write(cv2.flip(frame, 1))
    cap.release()
    out.release()
    return target


@functools.cache
def mirrored_male_side() -> Path:
    """male_side.mp4 mirrored (VP8, WebM), made once per test session in a scratch folder."""
    folder = Path(tempfile.mkdtemp(prefix="runclub-mirror-"))
    return mirrored_webm(clip("male_side.mp4"), folder / "male_side_mirrored.webm")


def analyse_stored(owner: object, path: Path, *, view: str = "auto") -> object:
    """A clip analysed as an upload is: probed and stored, then its video job run in this
    process (its pose from this session's cache). Returns the refreshed VideoAnalysis."""
    from analysis import job_runner  # models: only once Django is set up
    from analysis.core.video import video_report
    from analysis.video_analysis import create_analysis

    with path.open("rb") as handle:
        analysis = create_analysis(owner=owner, upload=File(handle), filename=path.name, view=view)
    with mock.patch.object(video_report, "extract_pose", cached_extract_pose):
        job_runner.execute(analysis.job.pk, worker="test@host:1")
    analysis.refresh_from_db()
    return analysis
