"""Test-retest repeatability of every metric and of the form score, from the shared clips.

    .venv/bin/python bench/repeatability.py [CLIP ...] [--json OUT]

CLIP defaults to the three shared clips. From each one it writes (into a scratch folder) and
analyses:

- the two halves (first and second half of the clip): the same runner a few seconds apart;
- three windows one second shorter than the clip, starting 0, 0.5 and 1 s in: the same
  footage but for a second, in pairs shifted by 0.5 s and by 1 s, and each against the whole;
- the clip mirrored left-right: the same running, the runner facing the other way.

Each pair is a test-retest pair of one runner on one day. Per metric and for the score it
prints the number of pairs, the mean absolute difference, the standard error of measurement
SEM = RMS(differences) / sqrt(2) over all pairs and over the independent ones only (halves:
no frame shared; mirrored: the pose model run again on a mirror image), the standard error
within a whole clip (its bootstrap interval / 1.96), the noise = the larger of the independent
SEM and the within-clip error (a couple of pairs can agree by luck; the strides of one clip
still scatter), the minimal detectable change MDC95 = 1.96 x sqrt(2) x noise, and the band
flips: pairs whose verdicts differ while neither is "borderline". Then the goals on
male_side.mp4: halves within 3 points, shifted windows and whole-against-window within 2, no
flip outside "borderline". The noise column is what analysis/core/metrics.py records as each
metric's noise, and the score's MDC95 what the leaderboard and the coach inbox call a real
change. Windows sharing most of their frames understate the noise: they show the score does
not jump with a second more or less, not how far two separate clips differ.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import pickle
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from analysis.core import metrics as registry  # noqa: E402
from analysis.core.video.pose_io import copy_frames, probe  # noqa: E402
from analysis.core.video.video_report import analyse_clip  # noqa: E402

VIDEO = ROOT.parent / "shared" / "data" / "video"
DEFAULT_CLIPS = ("male_side.mp4", "park_rear.mp4", "track_side.mp4")
GOALS = {"halves": 3.0, "shifted 0.5 s": 2.0, "shifted 1 s": 2.0, "whole vs window": 2.0}
SCORE = "form score"


@dataclass(frozen=True)
class Pair:
    clip: str
    kind: str
    a: dict
    b: dict


def derived_reports(source: Path, scratch: Path) -> dict[str, dict]:
    """The analysed parts of one clip, by name."""
    info = probe(source)
    frames, fps = info.frames, info.fps
    half, second = frames // 2, round(fps)
    parts = {
        "whole": {},
        "first half": {"stop": half},
        "second half": {"first": half},
        "window 0 s": {"stop": frames - second},
        "window 0.5 s": {"first": round(0.5 * fps), "stop": frames - second + round(0.5 * fps)},
        "window 1 s": {"first": second},
        "mirrored": {"mirror": True},
    }
    reports = {}
    for name, cut in parts.items():
        path = scratch / f"{source.stem} {name}.mp4"
        started = time.perf_counter()
        reports[name] = analyse_clip(copy_frames(source, path, **cut))
        took = time.perf_counter() - started
        print(
            f"  {source.name:<16} {name:<13} {_status(reports[name])}  ({took:.0f} s)", flush=True
        )
    return reports


def _status(report: dict) -> str:
    if report.get("status") != "done":
        return f"{report.get('status')}: {report.get('reason') or report.get('error')}"
    score = report.get("score")
    interval = report.get("score_interval") or {}
    shown = f"{score:.1f} +/- {interval.get('plus_minus', 0):.1f}" if score is not None else "none"
    return f"score {shown}, {report['quality']['verdict']} capture"


def cache_poses(folder: Path) -> None:
    """Landmarks of each part kept in `folder` by the part's content hash: tuning the science
    need not pay for MediaPipe again (the parts are written the same way every run)."""
    from analysis.core.video import pose_io, video_report

    folder.mkdir(parents=True, exist_ok=True)

    def extract(path: Path, **kwargs: object) -> pose_io.PoseSeries:
        stored = folder / f"{hashlib.sha256(Path(path).read_bytes()).hexdigest()[:24]}.pkl"
        if stored.is_file():
            return pickle.loads(stored.read_bytes())
        series = pose_io.extract_pose(path, **kwargs)
        stored.write_bytes(pickle.dumps(series))
        return series

    video_report.extract_pose = extract


def pairs_of(clip: str, r: dict[str, dict]) -> list[Pair]:
    return [
        Pair(clip, "halves", r["first half"], r["second half"]),
        Pair(clip, "shifted 0.5 s", r["window 0 s"], r["window 0.5 s"]),
        Pair(clip, "shifted 0.5 s", r["window 0.5 s"], r["window 1 s"]),
        Pair(clip, "shifted 1 s", r["window 0 s"], r["window 1 s"]),
        Pair(clip, "whole vs window", r["whole"], r["window 0 s"]),
        Pair(clip, "whole vs window", r["whole"], r["window 0.5 s"]),
        Pair(clip, "whole vs window", r["whole"], r["window 1 s"]),
        Pair(clip, "mirrored", r["whole"], r["mirrored"]),
    ]


INDEPENDENT = ("halves", "mirrored")


@dataclass
class Row:
    differences: list[float]
    independent: list[float]
    within: list[float]  # standard errors of whole-clip estimates
    flips: int = 0

    @property
    def mean_abs(self) -> float:
        return float(np.mean(np.abs(self.differences))) if self.differences else float("nan")

    @property
    def sem(self) -> float:
        return _sem(self.differences)

    @property
    def sem_independent(self) -> float:
        return _sem(self.independent)

    @property
    def se_within(self) -> float:
        return float(np.sqrt(np.mean(np.square(self.within)))) if self.within else 0.0

    @property
    def noise(self) -> float:
        return max(self.sem_independent, self.se_within)

    @property
    def mdc95(self) -> float:
        return registry.Z95_TWO_MEASURES * self.noise


def _sem(differences: list[float]) -> float:
    """RMS of test-retest differences over sqrt(2): each side carries the noise."""
    if not differences:
        return 0.0
    return float(np.sqrt(np.mean(np.square(differences))) / math.sqrt(2))


def tabulate(pairs: list[Pair]) -> dict[str, Row]:
    """Differences (b - a) per metric and for the score, over the pairs both sides measured."""
    rows: dict[str, Row] = defaultdict(lambda: Row([], [], []))
    wholes = {id(p.a): p.a for p in pairs if p.kind == "mirrored"}
    for report in wholes.values():
        for key, m in _values(report).items():
            rows[key].within.append(m["plus_minus"] / 1.96)
    for pair in pairs:
        if pair.a.get("status") != "done" or pair.b.get("status") != "done":
            continue
        va, vb = _values(pair.a), _values(pair.b)
        for key in va.keys() & vb.keys():
            difference = vb[key]["value"] - va[key]["value"]
            rows[key].differences.append(difference)
            if pair.kind in INDEPENDENT:
                rows[key].independent.append(difference)
            bands = {va[key].get("band"), vb[key].get("band")}
            if len(bands) == 2 and "borderline" not in bands and None not in bands:
                rows[key].flips += 1
    return rows


def _values(report: dict) -> dict[str, dict]:
    """The report's metrics, and its score as one more (value and +/-)."""
    if report.get("status") != "done":
        return {}
    out = dict(report["metrics"])
    if report.get("score") is not None:
        out[SCORE] = {"value": report["score"], **(report.get("score_interval") or {})}
    return out


def print_table(title: str, rows: dict[str, Row]) -> None:
    print(f"\n{title}")
    print(
        f"  {'metric':<38} {'unit':<13} {'pairs':>5} {'mean|d|':>8} {'SEM':>7} "
        f"{'SEM ind':>7} {'SE clip':>7} {'noise':>7} {'MDC95':>7} flips"
    )
    order = [SCORE] + [m.key for m in registry.METRICS]
    for key in [k for k in order if k in rows and rows[k].differences]:
        row = rows[key]
        unit = "points" if key == SCORE else registry.REGISTRY[key].unit
        print(
            f"  {key:<38} {unit:<13} {len(row.differences):>5} {row.mean_abs:>8.3f} "
            f"{row.sem:>7.3f} {row.sem_independent:>7.3f} {row.se_within:>7.3f} "
            f"{row.noise:>7.3f} {row.mdc95:>7.3f} {row.flips:>5}"
        )


def check_goals(pairs: list[Pair]) -> bool:
    """The issue's goals on male_side.mp4: score differences per pair kind, and flips."""
    print("\nGoals on male_side.mp4")
    ok = True
    for pair in (p for p in pairs if p.clip == "male_side.mp4"):
        a, b = pair.a.get("score"), pair.b.get("score")
        limit = GOALS.get(pair.kind)
        if limit is None:
            continue
        passed = a is not None and b is not None and abs(b - a) <= limit
        ok &= passed
        shown = f"{a:.1f} -> {b:.1f} ({b - a:+.1f})" if passed or (a and b) else "no score"
        print(f"  {pair.kind:<16} {shown:<24} within {limit:.0f}: {'yes' if passed else 'NO'}")
    flips = tabulate([p for p in pairs if p.clip == "male_side.mp4"])
    flipped = {k: r.flips for k, r in flips.items() if r.flips}
    print(f"  band flips outside borderline: {flipped or 'none'}")
    return ok and not flipped


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clips", nargs="*", default=list(DEFAULT_CLIPS))
    parser.add_argument("--json", type=Path, help="also write the per-metric rows as JSON")
    parser.add_argument(
        "--pose-cache", type=Path, help="keep each part's landmarks here (re-runs skip MediaPipe)"
    )
    args = parser.parse_args()
    if args.pose_cache:
        cache_poses(args.pose_cache)
    pairs: list[Pair] = []
    with tempfile.TemporaryDirectory() as scratch:
        for name in args.clips:
            source = Path(name) if Path(name).is_file() else VIDEO / name
            pairs += pairs_of(source.name, derived_reports(source, Path(scratch)))
    for clip in dict.fromkeys(p.clip for p in pairs):
        print_table(f"{clip}: test-retest pairs", tabulate([p for p in pairs if p.clip == clip]))
    pooled = tabulate(pairs)
    print_table("All clips pooled", pooled)
    if args.json:
        fields = ("noise", "mdc95", "sem", "sem_independent", "se_within", "flips")
        table = {k: {f: getattr(r, f) for f in fields} for k, r in pooled.items()}
        args.json.write_text(json.dumps(table, indent=1))
    return 0 if check_goals(pairs) else 1


if __name__ == "__main__":
    sys.exit(main())
