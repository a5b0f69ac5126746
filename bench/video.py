"""Video analysis speed: a naive one-process pose loop beside our full analysis, side by side.

    .venv/bin/python bench/video.py [PATH] [--repeat 1]

PATH defaults to the shared male_side.mp4. For that one clip it prints four rows, each as
frames, wall seconds (best of --repeat), frames per second and multiple of real time (clip
duration / wall seconds; above 1.00 means faster than the clip plays):

- naive: OpenCV decodes a frame, MediaPipe Pose (the options of
  analysis/core/video/pose_io.py) runs on it, next frame, all in this process. Model load is
  timed; the mediapipe import is not.
- ours, pose, 1st call: analysis.core.video.pose_io.extract_pose once, paying for starting its 2
  pose processes (they stay up between clips, so only a worker's first clip sees this).
- ours, pose only: extract_pose again, processes already up: the steady state.
- ours, full: analysis.core.video.video_report.analyse_clip, i.e. probe, pose, gait metrics,
  quality.

Below them: the ratio of our steady-state fps to the naive fps (goal: the full analysis at
least 1.5x the naive loop) and whether the full analysis finishes in less time than the clip
lasts. On a 2-core machine, run nothing else heavy alongside; the load average is printed
before and after for that reason (our own 3 processes push it up during the run).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import cv2  # noqa: E402
import mediapipe as mp  # noqa: E402

from analysis.core.video.pose_io import VideoInfo, extract_pose, probe  # noqa: E402
from analysis.core.video.video_report import analyse_clip  # noqa: E402

DEFAULT_CLIP = ROOT.parent / "shared" / "data" / "video" / "male_side.mp4"
GOAL = 1.5


@dataclass(frozen=True)
class Timing:
    label: str
    frames: int
    seconds: float

    @property
    def fps(self) -> float:
        return self.frames / self.seconds


def best_of(repeat: int, fn: Callable[[], int]) -> tuple[int, float]:
    """Frames the last call handled and its fastest wall time."""
    times, frames = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        frames = fn()
        times.append(time.perf_counter() - started)
    return frames, min(times)


def naive(path: Path) -> int:
    """The loop anyone would write first: the same Pose settings, no splitting, no extras."""
    cap = cv2.VideoCapture(str(path))
    count = 0
    with mp.solutions.pose.Pose(model_complexity=1, static_image_mode=False) as pose:
        while True:
            ok, frame = cap.read()
            if not ok:
                break
            pose.process(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))  # MediaPipe wants RGB
            count += 1
    cap.release()
    return count


def ours_pose(path: Path, info: VideoInfo) -> int:
    return int(extract_pose(path, info=info).landmarks.shape[0])


def ours_full(path: Path) -> int:
    report = analyse_clip(path)
    assert report["status"] == "done", report
    return int(report["frames"])


def measure(path: Path, info: VideoInfo, repeat: int) -> list[Timing]:
    """Naive, our first call, our steady state, our full analysis; in that order because the
    first call of ours is what starts the pose processes the later ones reuse."""
    timings = [Timing("naive (1 process)", *best_of(repeat, lambda: naive(path)))]
    timings.append(Timing("ours, pose, 1st call", *best_of(1, lambda: ours_pose(path, info))))
    runs: list[tuple[str, Callable[[], int]]] = [
        ("ours, pose only (2 procs)", lambda: ours_pose(path, info)),
        ("ours, full analysis", lambda: ours_full(path)),
    ]
    return timings + [Timing(label, *best_of(repeat, fn)) for label, fn in runs]


def print_table(info: VideoInfo, timings: list[Timing]) -> None:
    print(f"{'run':<28}{'frames':>8}{'wall s':>9}{'fps':>8}{'x real time':>13}")
    for t in timings:
        realtime = info.duration_s / t.seconds
        print(f"{t.label:<28}{t.frames:>8}{t.seconds:>9.2f}{t.fps:>8.1f}{realtime:>13.2f}")


def print_verdict(info: VideoInfo, timings: list[Timing]) -> None:
    plain, _, pose_only, full = timings
    print(f"ratio ours/naive, pose only:     {pose_only.fps / plain.fps:.2f}")
    print(f"ratio ours/naive, full analysis: {full.fps / plain.fps:.2f} (goal >= {GOAL:.2f})")
    faster = "yes" if full.seconds < info.duration_s else "no"
    print(
        f"faster than real time: {faster} "
        f"({full.seconds:.2f} s to analyse a {info.duration_s:.2f} s clip)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_CLIP)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    # The pose subprocesses run from the repo root, so a relative path would point elsewhere.
    path = args.path.resolve()
    info = probe(path)
    print(
        f"clip: {path.name}  {info.width}x{info.height}  {info.fps:.2f} fps  "
        f"{info.duration_s:.2f} s  {info.frames} frames  best of {args.repeat}  "
        f"load before: {os.getloadavg()[0]:.2f}"
    )
    timings = measure(path, info, args.repeat)
    print_table(info, timings)
    print_verdict(info, timings)
    print(f"load after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
