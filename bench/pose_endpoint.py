"""The video room's pose endpoint, `GET /api/analyses/{id}/pose/`: bytes and milliseconds, ours
beside a naive answer, in one run.

    .venv/bin/python bench/pose_endpoint.py [CLIP] [--repeat 50]

Analyses CLIP (male_side.mp4 by default) as an upload is analysed (MediaPipe and all) into a
scratch SQLite database and media folder, then asks for its pose through Django's whole stack
(middleware, sign-in, access check) with the test client, and prints per answer the bytes sent
and the median and 90th-percentile milliseconds:

- ours: the stored gzip as it is (a browser), unpacked JSON (a client without gzip), and the
  304 a browser gets when its copy is current;
- naive: the raw landmarks (33 points x, y, z, visibility as floats, every frame) put into JSON
  and gzipped on each request, what serving the pose without a stored compact track costs.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
SCRATCH = Path(tempfile.mkdtemp(prefix="runclub-pose-bench-"))
os.environ["DATABASE_URL"] = f"sqlite:///{SCRATCH}/bench.sqlite3"
os.environ["MEDIA_ROOT"] = str(SCRATCH / "uploads")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.core.files import File  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from analysis import job_runner  # noqa: E402
from analysis.core.video import video_report  # noqa: E402
from analysis.models import PoseTrack, VideoAnalysis  # noqa: E402
from analysis.video_analysis import create_analysis  # noqa: E402
from club.models import User  # noqa: E402

DEFAULT_CLIP = ROOT.parent / "shared" / "data" / "video" / "male_side.mp4"


def analysed(path: Path) -> tuple[VideoAnalysis, np.ndarray]:
    """The clip stored and analysed by the video job; also the raw landmarks, for the naive."""
    owner = User.objects.create_user("bench-runner", password="x")
    raw: list[np.ndarray] = []
    real = video_report.extract_pose

    def keeping(*args: object, **kwargs: object) -> object:
        series = real(*args, **kwargs)
        raw.append(series.landmarks)
        return series

    video_report.extract_pose = keeping
    with path.open("rb") as handle:
        analysis = create_analysis(owner=owner, upload=File(handle), filename=path.name)
    job_runner.execute(analysis.job.pk, worker=job_runner.worker_identity())
    return VideoAnalysis.objects.get(pk=analysis.pk), raw[0]


def timed(call: Callable[[], object], repeat: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = call()
        times.append(1000 * (time.perf_counter() - started))
    return times, result


def naive_body(landmarks: np.ndarray) -> bytes:
    rows = np.where(np.isfinite(landmarks), landmarks, None).tolist()
    return gzip.compress(json.dumps({"landmarks": rows}).encode())


def row(name: str, times: list[float], sent: int, unpacked: int | None = None) -> None:
    p90 = float(np.percentile(times, 90))
    raw = f"{unpacked:>9,}" if unpacked is not None else " " * 9
    print(
        f"{name:<38} {sent:>9,} {raw}   {statistics.median(times):7.2f} {p90:7.2f}",
        flush=True,
    )


def quiet() -> None:
    """No broker or live channel runs for the bench: the job's bell and pushes fail quietly
    (the rows are what counts)."""
    for name in ("analysis.job_runner", "club.services"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def main() -> None:
    quiet()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("clip", nargs="?", default=str(DEFAULT_CLIP))
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    analysis, landmarks = analysed(Path(args.clip))
    track = PoseTrack.objects.get(analysis=analysis)
    client = Client()
    client.force_login(analysis.owner)
    url = f"/api/analyses/{analysis.pk}/pose/"

    def get(**headers: str) -> object:
        return client.get(url, headers=headers)

    frames = track.track()["frame_count"]
    print(f"{Path(args.clip).name}: {frames} frames, {args.repeat} requests each")
    print(f"{'answer':<38} {'bytes sent':>9} {'unpacked':>9}   {'median':>7} {'p90':>7} ms")
    times, zipped = timed(lambda: get(**{"Accept-Encoding": "gzip"}), args.repeat)
    row("ours: stored gzip", times, len(zipped.content), track.raw_bytes)
    times, plain = timed(lambda: get(), args.repeat)
    row("ours: plain JSON (no gzip accepted)", times, len(plain.content), track.raw_bytes)
    tag = zipped["ETag"]
    current = {"Accept-Encoding": "gzip", "If-None-Match": tag}
    times, same = timed(lambda: get(**current), args.repeat)
    assert same.status_code == 304
    row("ours: 304, the browser's copy current", times, len(same.content))
    times, body = timed(lambda: naive_body(landmarks), args.repeat)
    unpacked = len(gzip.decompress(body))
    row("naive: float JSON gzipped per request", times, len(body), unpacked)
    print("(naive: serialisation alone, without the request around it)")


if __name__ == "__main__":
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        main()
