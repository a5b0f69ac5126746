"""Video in, pose landmarks out. The only module that imports cv2 or mediapipe.

Frames are streamed (never the whole clip in memory), rotation metadata is applied by us, and
MediaPipe Pose is created inside the process that uses it (never at import time), so web
processes that import this module pay nothing.
"""

from __future__ import annotations

import itertools
import logging
import math
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from analysis.core.video.containers import Container, accepted_names, sniff_file

log = logging.getLogger(__name__)
# What a pose process said last on stderr (MediaPipe's own messages, a traceback), logged
# with the reason when it fails.
STDERR_TAIL_LINES = 40

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
    # What the file's own bytes say it is (never its name): decides how it is stored and served.
    container: Container | None = None


@dataclass
class PoseSeries:
    """Landmarks per frame: (T, 33, 4) x, y (0..1 of width and height), z, visibility; NaN
    where no runner was found. `t_s` (T,) are frame times in seconds."""

    t_s: np.ndarray
    landmarks: np.ndarray
    info: VideoInfo
    # How fast the whole picture slides sideways, in frame widths per second (median): near 0
    # for a fixed camera, large when it pans with the runner. Phase correlation of small grey
    # frames, measured on the pose pass itself (_shift_sample).
    camera_shift_per_s: float = 0.0

    @property
    def found(self) -> np.ndarray:
        return np.isfinite(self.landmarks[:, 0, 0])


def probe(path: Path, *, max_duration_s: float = 120.0, max_pixels: int = 3840 * 2160) -> VideoInfo:
    """Check the file before any analysis: a container we accept (by its first bytes), a real
    video stream, sane rate, size and length."""
    import cv2

    container = sniff_file(path)
    if container is None:
        raise VideoRejected(f"not a video file we can read (we take {accepted_names()})")
    cap = cv2.VideoCapture(str(path))
    try:
        if not cap.isOpened():
            raise VideoRejected("not a video file we can read")
        info = replace(_info(cap), container=container)
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
        raise VideoRejected(
            f"{info.width}x{info.height} pixels is more than the limit of {max_pixels:,}"
        )


def frames(path: Path, info: VideoInfo) -> Iterator[np.ndarray]:
    """RGB frames one at a time, upright (rotation metadata applied here, not by OpenCV)."""
    for _, rgb in frames_where(path, info, wanted=lambda _: True):
        yield rgb


def frames_where(
    path: Path, info: VideoInfo, *, wanted: Callable[[int], bool | None]
) -> Iterator[tuple[int, np.ndarray]]:
    """(index, RGB frame) for the frames `wanted` accepts, until it returns None (stop). The
    others are only grabbed: decoded enough to move on, never converted, which is most of the
    cost of a frame nobody looks at."""
    import cv2

    cap = cv2.VideoCapture(str(path))
    cap.set(cv2.CAP_PROP_ORIENTATION_AUTO, 0)
    rotate = getattr(cv2, ROTATIONS[info.rotation_deg]) if info.rotation_deg in ROTATIONS else None
    try:
        for index in itertools.count():
            want = wanted(index)
            if want is None or not cap.grab():
                return
            if not want:
                continue
            ok, frame = cap.retrieve()
            if not ok:
                return
            if rotate is not None:
                frame = cv2.rotate(frame, rotate)
            yield index, cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
    finally:
        cap.release()


def _track(
    path: Path, info: VideoInfo, first: int, stop: int | None, tick: Callable[[], None]
) -> np.ndarray:
    """Pose for frames [first, stop) (stop None: to the end), shape (frames, 33, 4). Frames
    before `first` are only grabbed, so a later part starts with little decoding."""
    import mediapipe as mp

    def wanted(index: int) -> bool | None:
        return None if stop is not None and index >= stop else index >= first

    rows, shifts, previous = [], [], None
    with mp.solutions.pose.Pose(model_complexity=1, static_image_mode=False) as pose:
        for index, rgb in frames_where(path, info, wanted=wanted):
            rgb = _shrunk(rgb)
            result = pose.process(rgb)
            row = np.full((N_LANDMARKS, 4), np.nan)
            if result.pose_landmarks:
                row[:] = [(p.x, p.y, p.z, p.visibility) for p in result.pose_landmarks.landmark]
            rows.append(row)
            if index % SHIFT_STEP == 0:
                previous = _shift_sample(rgb, previous, shifts)
            tick()
    return np.array(rows).reshape(-1, N_LANDMARKS, 4), np.array(shifts)


INFERENCE_LONG_SIDE_PX = 640


def _shrunk(rgb: np.ndarray) -> np.ndarray:
    """MediaPipe scales every frame down to 256 px for its networks anyway; handing it a
    640 px frame instead of a 4K one saves the copies and resampling of millions of pixels.
    Landmarks are normalised to the frame, so the scale does not change them."""
    import cv2

    height, width = rgb.shape[:2]
    scale = INFERENCE_LONG_SIDE_PX / max(height, width)
    if scale >= 1:
        return rgb
    size = (round(width * scale), round(height * scale))
    return cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)


def extract_pose(
    path: Path,
    *,
    info: VideoInfo | None = None,
    workers: int = 2,
    on_progress: Callable[[int, int], None] | None = None,
) -> PoseSeries:
    """Run MediaPipe Pose over the clip, split in `workers` parts, one per pose process.

    The pose processes are plain subprocesses (`python -m analysis.core.video.pose_io --serve`), not
    multiprocessing children: a Celery prefork worker is itself a daemonic process and may
    not have those. They stay up between clips, so MediaPipe is imported once per worker."""
    info = info or probe(path)
    # The container's frame count can be off by a few; the last part runs to the real end.
    total = max(info.frames, 1)
    bounds = [int(b) for b in np.linspace(0, total, workers + 1)]
    stops: list[int | None] = [*bounds[1:-1], None]
    with _POOL_LOCK, tempfile.TemporaryDirectory() as scratch:
        pool = _pool(workers)
        outputs = [Path(scratch) / f"part{i}.npz" for i in range(workers)]
        for worker, first, stop, out in zip(pool, bounds[:-1], stops, outputs, strict=True):
            worker.send(path, first, stop, out)
        _wait(pool, total, on_progress)
        parts = [np.load(out) for out in outputs]
    landmarks = np.concatenate([part["landmarks"] for part in parts])
    shifts = np.concatenate([part["shifts"] for part in parts])
    return PoseSeries(
        t_s=np.arange(len(landmarks)) / info.fps,
        landmarks=landmarks,
        info=info,
        camera_shift_per_s=_shift_rate(shifts, info.fps),
    )


class _PoseWorker:
    """One long-lived pose process. A request is one line (path, first, stop, out); the answer
    is progress lines (frames done) and then `done` or `failed <reason>`."""

    def __init__(self) -> None:
        # The folder this module's package hangs from, so `-m <this module>` resolves.
        root = Path(__file__).resolve().parents[__name__.count(".")]
        self.proc = subprocess.Popen(
            [sys.executable, "-m", __name__, "--serve"],
            cwd=root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.done, self.answer = 0, ""
        self.reader: threading.Thread | None = None
        self.stderr_tail: deque[str] = deque(maxlen=STDERR_TAIL_LINES)
        self.stderr_reader = threading.Thread(target=self._drain_stderr, daemon=True)
        self.stderr_reader.start()

    def _drain_stderr(self) -> None:
        """Read stderr as it comes (a full pipe would stall the process), keeping the tail."""
        for line in self.proc.stderr:
            log.debug("pose process %s: %s", self.proc.pid, line.rstrip())
            self.stderr_tail.append(line.rstrip())

    def log_failure(self) -> None:
        self.stderr_reader.join(timeout=1.0)  # the process has ended: its last lines come now
        log.error(
            "pose process %s failed: %s\n%s",
            self.proc.pid,
            self.answer,
            "\n".join(self.stderr_tail) or "(nothing on stderr)",
        )

    def alive(self) -> bool:
        return self.proc.poll() is None

    def send(self, path: Path, first: int, stop: int | None, out: Path) -> None:
        self.done, self.answer = 0, ""
        end = "end" if stop is None else str(stop)
        self.proc.stdin.write(f"{path}\t{first}\t{end}\t{out}\n")
        self.proc.stdin.flush()
        self.reader = threading.Thread(target=self._follow, daemon=True)
        self.reader.start()

    def _follow(self) -> None:
        for line in self.proc.stdout:
            line = line.strip()
            if line.isdigit():
                self.done = int(line)
            elif line == "done" or line.startswith("failed"):
                self.answer = line
                return
        self.answer = f"failed: the pose process ended (exit {self.proc.wait()})"

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait()


_POOL: list[_PoseWorker] = []
_POOL_LOCK = threading.Lock()


def _pool(size: int) -> list[_PoseWorker]:
    """The live pose processes of this process, started or replaced as needed."""
    _POOL[:] = [w for w in _POOL if w.alive()]
    while len(_POOL) < size:
        _POOL.append(_PoseWorker())
    return _POOL[:size]


def _wait(
    pool: list[_PoseWorker], total: int, on_progress: Callable[[int, int], None] | None
) -> None:
    while any(w.reader is not None and w.reader.is_alive() for w in pool):
        if on_progress is not None:
            on_progress(sum(w.done for w in pool), total)
        time.sleep(0.25)
    failed = [w for w in pool if w.answer != "done"]
    if failed:
        reason = failed[0].answer
        for worker in failed:  # a fresh process next time, with no half-read output
            worker.stop()
            worker.log_failure()
        raise RuntimeError(f"pose estimation {reason}")
    if on_progress is not None:
        on_progress(total, total)


def _serve() -> None:
    """The pose process: one request per input line until the parent closes its end."""
    for line in sys.stdin:
        path, first, end, out = line.rstrip("\n").split("\t")
        try:
            _run_part(Path(path), int(first), None if end == "end" else int(end), Path(out))
        except Exception as exc:  # the parent logs it and replaces this process
            traceback.print_exc(file=sys.stderr)
            sys.stderr.flush()
            print(f"failed: {type(exc).__name__}: {exc}", flush=True)
            return
        print("done", flush=True)


def _run_part(path: Path, first: int, stop: int | None, out: Path) -> None:
    """One part: frames [first, stop) of PATH into OUT (.npz), printing frames done."""
    counter = [0]

    def tick() -> None:
        counter[0] += 1
        if counter[0] % 10 == 0:
            print(counter[0], flush=True)

    landmarks, shifts = _track(path, probe(path), first, stop, tick)
    with out.open("wb") as handle:
        np.savez(handle, landmarks=landmarks, shifts=shifts)


SKELETON = (
    (11, 12),
    (11, 23),
    (12, 24),
    (23, 24),
    (11, 13),
    (13, 15),
    (12, 14),
    (14, 16),
    (23, 25),
    (25, 27),
    (27, 29),
    (29, 31),
    (27, 31),
    (24, 26),
    (26, 28),
    (28, 30),
    (30, 32),
    (28, 32),
    (7, 11),
    (8, 12),
)


@dataclass(frozen=True)
class Overlay:
    """What to draw on a keyframe, in frame pixels: lines (x1, y1, x2, y2, colour name) and
    labels (x, y, text); `crop` (x0, y0, x1, y1) keeps that part of the frame, scaled to
    `out_height_px`; `caption` lines go on a strip above the picture. Built by pure code
    (analysis.render); drawn here."""

    lines: tuple[tuple[float, float, float, float, str], ...]
    labels: tuple[tuple[float, float, str], ...]
    caption: tuple[str, ...] = ()
    crop: tuple[int, int, int, int] | None = None
    out_height_px: int | None = None


COLOURS = {
    "bone": (255, 255, 255),
    "trunk": (0, 200, 255),
    "vertical": (80, 220, 80),
    "joint": (0, 140, 255),
    "strip": (48, 36, 29),  # the pages' ink colour
    "title": (153, 246, 228),
    "text": (255, 255, 255),
}


def save_keyframe(
    path: Path,
    *,
    info: VideoInfo,
    frame_index: int,
    landmarks: np.ndarray,
    overlay: Overlay,
    out: Path,
) -> Path:
    """Draw the skeleton (landmarks (33, 4) as MediaPipe gives them) and the overlay onto one
    frame of the clip, cropped and scaled as the overlay says, and write it as PNG."""
    import cv2

    def only(index: int) -> bool | None:
        return None if index > frame_index else index == frame_index

    found = [rgb for _, rgb in frames_where(path, info, wanted=only)]
    if not found:
        raise ValueError(f"the clip has no frame {frame_index}")
    frame = cv2.cvtColor(found[0], cv2.COLOR_RGB2BGR)
    h, w = frame.shape[:2]
    x0, y0, x1, y1 = overlay.crop or (0, 0, w, h)
    scale = overlay.out_height_px / (y1 - y0) if overlay.out_height_px else 1.0
    size = (max(1, round((x1 - x0) * scale)), max(1, round((y1 - y0) * scale)))
    shrink = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    image = cv2.resize(frame[y0:y1, x0:x1], size, interpolation=shrink)

    def at(x: float, y: float) -> tuple[int, int]:
        return int((x - x0) * scale), int((y - y0) * scale)

    points = {
        j: at(landmarks[j, 0] * w, landmarks[j, 1] * h)
        for j in range(N_LANDMARKS)
        if np.isfinite(landmarks[j, 0])
    }
    thick = max(2, size[0] // 250)
    for a, b in SKELETON:
        if a in points and b in points:
            cv2.line(image, points[a], points[b], COLOURS["bone"], thick, cv2.LINE_AA)
    for ax, ay, bx, by, colour in overlay.lines:
        cv2.line(image, at(ax, ay), at(bx, by), COLOURS[colour], thick, cv2.LINE_AA)
    for x, y, text in overlay.labels:
        # A dark outline under the coloured text keeps labels legible on any background.
        for colour, weight in (((0, 0, 0), thick + 2), (COLOURS["joint"], thick)):
            cv2.putText(
                image,
                text,
                at(x, y),
                cv2.FONT_HERSHEY_SIMPLEX,
                size[0] / 900,
                colour,
                weight,
                cv2.LINE_AA,
            )
    if overlay.caption:
        image = np.vstack([_caption_strip(overlay.caption, width=size[0]), image])
    out.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(out), image, [cv2.IMWRITE_PNG_COMPRESSION, 9])
    return out


# Caption letters about this share of the picture's width tall: on a phone, where a keyframe
# is shown about 350 px wide, that is 15 px or more.
CAPTION_TEXT_SHARE = 0.045


def _caption_strip(lines: tuple[str, ...], *, width: int) -> np.ndarray:
    """A dark strip with the caption: the first line as a title, then the values, as many to
    a row as fit the width."""
    import cv2

    font, pad = cv2.FONT_HERSHEY_DUPLEX, max(8, width // 40)
    scale = CAPTION_TEXT_SHARE * width / cv2.getTextSize("Hg", font, 1.0, 1)[0][1]
    weight = max(1, round(scale * 1.5))

    def fits(text: str) -> bool:
        return cv2.getTextSize(text, font, scale, weight)[0][0] <= width - 2 * pad

    rows = [(lines[0], COLOURS["title"])] + [(r, COLOURS["text"]) for r in _packed(lines[1:], fits)]
    line_h = int(cv2.getTextSize("Hg", font, scale, weight)[0][1] * 1.8)
    strip = np.zeros((pad + line_h * len(rows), width, 3), np.uint8)
    strip[:] = COLOURS["strip"]
    for i, (text, colour) in enumerate(rows):
        baseline = pad // 2 + line_h * (i + 1) - line_h // 4
        cv2.putText(strip, text, (pad, baseline), font, scale, colour, weight, cv2.LINE_AA)
    return strip


def _packed(items: tuple[str, ...], fits: Callable[[str], bool]) -> list[str]:
    """Items joined into rows that fit; an item too long for a row of its own is broken
    between words."""
    rows: list[str] = []
    for item in items:
        joined = f"{rows[-1]}   {item}" if rows else item
        if rows and fits(joined):
            rows[-1] = joined
            continue
        rows.append("")
        for word in item.split():
            longer = f"{rows[-1]} {word}".strip()
            if rows[-1] and not fits(longer):
                rows.append(word)
            else:
                rows[-1] = longer
    return rows


def copy_frames(
    source: Path, target: Path, *, first: int = 0, stop: int | None = None, mirror: bool = False
) -> Path:
    """Write frames [first, stop) of a clip to a new MP4, mirrored left-right if asked, at the
    same frame rate: test-retest pairs (halves, shifted windows, the mirror image) for
    `bench/repeatability.py`. The pixels are decoded and encoded again, as a phone would."""
    import cv2

    info = probe(source)
    out = cv2.VideoWriter(
        str(target), cv2.VideoWriter_fourcc(*"mp4v"), info.fps, (info.width, info.height)
    )
    try:
        for _, rgb in frames_where(
            source, info, wanted=lambda i: None if stop is not None and i >= stop else i >= first
        ):
            frame = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
            out.write(cv2.flip(frame, 1) if mirror else frame)
    finally:
        out.release()
    return target


SHIFT_STEP, SHIFT_WIDTH_PX = 3, 160


def _shift_sample(rgb: np.ndarray, previous: np.ndarray | None, shifts: list) -> np.ndarray:
    """Shrink one frame to grey, append its sideways shift from `previous`; return it."""
    import cv2

    size = (SHIFT_WIDTH_PX, int(SHIFT_WIDTH_PX * rgb.shape[0] / rgb.shape[1]))
    small = np.float32(cv2.resize(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), size))
    if previous is not None and previous.shape == small.shape:
        (dx, _), _ = cv2.phaseCorrelate(previous, small)
        shifts.append(abs(dx) / SHIFT_WIDTH_PX)
    return small


def _shift_rate(shifts: np.ndarray, fps: float) -> float:
    return float(np.median(shifts)) * fps / SHIFT_STEP if shifts.size else 0.0


if __name__ == "__main__":
    _serve()
