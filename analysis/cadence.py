"""Cadence and run analytics: arrays in, numbers out. Pure numpy, no Django.

Every statistic is weighted by time, not by record: watches in "smart recording" write a record
every 1 to 10 s, and a plain mean over records would over-count the stretches where the runner
changed pace (that is when the watch writes more often).

Arrays are shape (N,) float64 with NaN for missing values unless stated.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# Steps/min outside this range are sensor dropouts (0 at a stop) or glitches, not running.
PLAUSIBLE_SPM = (60.0, 260.0)
# Below walking pace a runner is standing, tying a shoe or waiting at a crossing.
MIN_MOVING_SPEED_MPS = 0.5
# A gap this long between records means the watch stopped recording (auto-pause, no signal).
MAX_GAP_S = 10.0

DEFAULT_TARGET_SPM = (170, 180)
# Personalised target (see personal_target_spm): the default band fits this runner.
REFERENCE_HEIGHT_CM = 172.0
REFERENCE_SPEED_MPS = 3.0
SPEED_GAIN_PER_MPS = 0.03
SPEED_GAIN_LIMIT = 0.10
TARGET_CLAMP_SPM = (155, 200)


def interval_weights_s(
    *,
    timestamp_s: np.ndarray,
    pauses: Sequence[tuple[float, float]] = (),
    max_gap_s: float = MAX_GAP_S,
) -> np.ndarray:
    """Seconds each record stands for: the time to the next record, or 0 across a timer pause
    or a recording gap longer than `max_gap_s`. Shape (N,)."""
    n = timestamp_s.shape[0]
    if n == 0:
        return np.zeros(0)
    dt = np.diff(timestamp_s, append=timestamp_s[-1])
    dt[-1] = float(np.median(dt[:-1])) if n > 1 else 1.0
    dt[(dt < 0) | (dt > max_gap_s)] = 0.0
    for stop_s, start_s in pauses:
        dt[(timestamp_s >= stop_s) & (timestamp_s < start_s)] = 0.0
    return np.clip(dt, 0.0, max_gap_s)


def moving_mask(
    *,
    speed_mps: np.ndarray,
    cadence_spm: np.ndarray | None = None,
    min_speed_mps: float = MIN_MOVING_SPEED_MPS,
) -> np.ndarray:
    """True where the runner moves. Where speed is missing (treadmill without a foot pod
    speed), a plausible step cadence counts as moving. Shape (N,) bool."""
    moving = speed_mps >= min_speed_mps
    if cadence_spm is not None:
        no_speed = ~np.isfinite(speed_mps)
        moving |= no_speed & _plausible(cadence_spm)
    return moving


def moving_time_s(*, weight_s: np.ndarray, moving: np.ndarray) -> float:
    return float(np.sum(weight_s[moving]))


def _plausible(cadence_spm: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return (cadence_spm >= PLAUSIBLE_SPM[0]) & (cadence_spm <= PLAUSIBLE_SPM[1])


def _usable(values: np.ndarray, weight_s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    keep = np.isfinite(values) & (weight_s > 0)
    return values[keep], weight_s[keep]


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """Quantile q in [0, 1] of values where each counts for its weight (seconds)."""
    order = np.argsort(values)
    v, w = values[order], weights[order]
    cumulative = np.cumsum(w) - 0.5 * w
    return float(np.interp(q * w.sum(), cumulative, v))


@dataclass(frozen=True)
class CadenceStats:
    mean_spm: float | None
    median_spm: float | None
    p10_spm: float | None
    p90_spm: float | None
    std_spm: float | None
    seconds: float


def cadence_stats(*, cadence_spm: np.ndarray, weight_s: np.ndarray) -> CadenceStats:
    """Time-weighted summary of plausible step cadence. Pass weights that are zero where the
    runner is not moving."""
    values, w = _usable(np.where(_plausible(cadence_spm), cadence_spm, np.nan), weight_s)
    if values.size == 0:
        return CadenceStats(None, None, None, None, None, 0.0)
    mean = float(np.average(values, weights=w))
    std = math.sqrt(float(np.average((values - mean) ** 2, weights=w)))
    return CadenceStats(
        mean_spm=mean,
        median_spm=weighted_quantile(values, w, 0.5),
        p10_spm=weighted_quantile(values, w, 0.1),
        p90_spm=weighted_quantile(values, w, 0.9),
        std_spm=std,
        seconds=float(w.sum()),
    )


def cadence_histogram(
    *,
    cadence_spm: np.ndarray,
    weight_s: np.ndarray,
    bin_spm: float = 5.0,
    low_spm: float = 120.0,
    high_spm: float = 220.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Seconds spent per cadence bin. Returns edges (B+1,) and seconds (B,); values outside
    [low, high] fall into the outermost bins so no moving time is lost."""
    values, w = _usable(np.where(_plausible(cadence_spm), cadence_spm, np.nan), weight_s)
    edges = np.arange(low_spm, high_spm + bin_spm / 2, bin_spm)
    clipped = np.clip(values, low_spm, high_spm - 1e-9)
    seconds, _ = np.histogram(clipped, bins=edges, weights=w)
    return edges, seconds


def time_in_band_pct(
    *, cadence_spm: np.ndarray, weight_s: np.ndarray, low_spm: float, high_spm: float
) -> float | None:
    """Share of the time with a plausible cadence that lies inside [low, high], in percent."""
    values, w = _usable(np.where(_plausible(cadence_spm), cadence_spm, np.nan), weight_s)
    if w.sum() <= 0:
        return None
    inside = (values >= low_spm) & (values <= high_spm)
    return float(100.0 * w[inside].sum() / w.sum())


def personal_target_spm(
    *, height_cm: float | None = None, speed_mps: float | None = None
) -> tuple[int, int]:
    """Cadence target band in steps/min, personalised when height and/or speed are known.

    Default 170-180 spm (the band the coaching sources give for most runners; Heiderscheit et
    al. 2011 found +5-10 % cadence lowers hip and knee load). It is taken to fit a runner of
    REFERENCE_HEIGHT_CM at REFERENCE_SPEED_MPS and scaled:

    - height: legs swing like pendulums, so at dynamically similar speeds step frequency goes
      with 1/sqrt(leg length) (Alexander & Jayes 1983, dynamic similarity); leg length is
      taken proportional to height: factor = sqrt(172 / height_cm).
    - speed: runners raise step rate a little as they speed up, mostly lengthening the stride
      (Cavanagh & Kram 1989, MSSE 21(4):467-479): +3 % per m/s above 3.0 m/s (and -3 % per
      m/s below), limited to +/-10 %.

    Both ends are multiplied by the factors, rounded, and kept within 155-200 spm.
    """
    factor = 1.0
    if height_cm and height_cm > 0:
        factor *= math.sqrt(REFERENCE_HEIGHT_CM / height_cm)
    if speed_mps and math.isfinite(speed_mps) and speed_mps > 0:
        gain = SPEED_GAIN_PER_MPS * (speed_mps - REFERENCE_SPEED_MPS)
        factor *= 1.0 + max(-SPEED_GAIN_LIMIT, min(SPEED_GAIN_LIMIT, gain))
    low, high = (
        round(min(max(x * factor, TARGET_CLAMP_SPM[0]), TARGET_CLAMP_SPM[1]))
        for x in DEFAULT_TARGET_SPM
    )
    return int(low), int(high)


@dataclass(frozen=True)
class Drift:
    first_third_spm: float | None
    last_third_spm: float | None
    drift_spm: float | None
    drift_pct: float | None


def cadence_drift(*, cadence_spm: np.ndarray, weight_s: np.ndarray) -> Drift:
    """Mean cadence over the last third of moving time minus the first third: a fatigue sign.
    Thirds are cut by accumulated time with a cadence, not by record count."""
    ok = _plausible(cadence_spm) & (weight_s > 0)
    cumulative = np.cumsum(np.where(ok, weight_s, 0.0))
    total = cumulative[-1] if cumulative.size else 0.0
    if total <= 0:
        return Drift(None, None, None, None)
    first = ok & (cumulative <= total / 3)
    last = ok & (cumulative > 2 * total / 3)
    if not first.any() or not last.any():
        return Drift(None, None, None, None)
    a = float(np.average(cadence_spm[first], weights=weight_s[first]))
    b = float(np.average(cadence_spm[last], weights=weight_s[last]))
    return Drift(a, b, b - a, 100.0 * (b - a) / a)


@dataclass(frozen=True)
class Split:
    index: int
    distance_m: float
    moving_time_s: float
    pace_s_per_km: float | None
    avg_cadence_spm: float | None
    avg_hr_bpm: float | None


def _split(
    index: int,
    sel: np.ndarray,
    distance_m: float,
    cadence_spm: np.ndarray,
    weight_s: np.ndarray,
    heart_rate_bpm: np.ndarray | None,
) -> Split:
    seconds = float(weight_s[sel].sum())
    stats = cadence_stats(cadence_spm=cadence_spm[sel], weight_s=weight_s[sel])
    hr = None
    if heart_rate_bpm is not None:
        values, w = _usable(heart_rate_bpm[sel], weight_s[sel])
        hr = float(np.average(values, weights=w)) if values.size else None
    pace = seconds / (distance_m / 1000) if distance_m > 0 and seconds > 0 else None
    return Split(index, distance_m, seconds, pace, stats.mean_spm, hr)


def splits(
    *,
    distance_m: np.ndarray,
    cadence_spm: np.ndarray,
    weight_s: np.ndarray,
    heart_rate_bpm: np.ndarray | None = None,
    every_m: float = 1000.0,
    min_last_m: float = 100.0,
) -> list[Split]:
    """Per-kilometre (every_m) splits from cumulative distance, counted from the first record
    with a distance (records without one are left out). The last partial split is kept when it
    is at least min_last_m long."""
    idx = np.flatnonzero(np.isfinite(distance_m))
    if idx.size < 2:
        return []
    along = np.fmax.accumulate(distance_m[idx]) - distance_m[idx[0]]  # never backwards
    total = float(along[-1])
    out = []
    for i in range(int(math.ceil(total / every_m))):
        length = min(every_m, total - i * every_m)
        if length < min_last_m and i > 0:
            break
        inside = (along > i * every_m) & (along <= (i + 1) * every_m) | ((i == 0) & (along == 0))
        sel = np.zeros(distance_m.shape[0], dtype=bool)
        sel[idx[inside]] = True
        out.append(_split(i + 1, sel, length, cadence_spm, weight_s, heart_rate_bpm))
    return out


def lap_splits(
    *,
    laps: Sequence[tuple[int, int, float | None]],
    cadence_spm: np.ndarray,
    weight_s: np.ndarray,
    heart_rate_bpm: np.ndarray | None = None,
) -> list[Split]:
    """Splits for laps given as (record_start, record_stop, distance_m)."""
    out = []
    for i, (first, stop, dist) in enumerate(laps):
        sel = np.zeros(weight_s.shape[0], dtype=bool)
        sel[first:stop] = True
        out.append(_split(i + 1, sel, float(dist or 0.0), cadence_spm, weight_s, heart_rate_bpm))
    return out


@dataclass(frozen=True)
class CadenceVsPace:
    speed_mps: list[float]  # bin centres
    seconds: list[float]
    cadence_spm: list[float]
    slope_spm_per_mps: float | None
    r2: float | None


def cadence_vs_pace(
    *,
    speed_mps: np.ndarray,
    cadence_spm: np.ndarray,
    weight_s: np.ndarray,
    bin_mps: float = 0.25,
    min_seconds: float = 10.0,
) -> CadenceVsPace:
    """Mean cadence per speed bin, and a time-weighted straight-line fit cadence ~ speed."""
    ok = _plausible(cadence_spm) & np.isfinite(speed_mps) & (speed_mps > 0) & (weight_s > 0)
    v, c, w = speed_mps[ok], cadence_spm[ok], weight_s[ok]
    if v.size < 3:
        return CadenceVsPace([], [], [], None, None)
    bins = np.floor(v / bin_mps).astype(int)
    centres, secs, means = [], [], []
    for b in np.unique(bins):
        sel = bins == b
        if w[sel].sum() >= min_seconds:
            centres.append((b + 0.5) * bin_mps)
            secs.append(float(w[sel].sum()))
            means.append(float(np.average(c[sel], weights=w[sel])))
    slope, r2 = _weighted_fit(v, c, w)
    return CadenceVsPace(centres, secs, means, slope, r2)


def _weighted_fit(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[float | None, float | None]:
    mx, my = np.average(x, weights=w), np.average(y, weights=w)
    sxx = float(np.sum(w * (x - mx) ** 2))
    if sxx <= 1e-9 * w.sum() or np.ptp(x) < 0.3:  # too little spread in speed to say anything
        return None, None
    slope = float(np.sum(w * (x - mx) * (y - my)) / sxx)
    residual = y - (my + slope * (x - mx))
    syy = float(np.sum(w * (y - my) ** 2))
    r2 = 1.0 - float(np.sum(w * residual**2)) / syy if syy > 0 else 1.0
    return slope, r2


@dataclass(frozen=True)
class Distribution:
    mean: float
    median: float
    p10: float
    p90: float


def distribution(*, values: np.ndarray, weight_s: np.ndarray) -> Distribution | None:
    """Time-weighted mean and quantiles of any series (running dynamics, power...)."""
    v, w = _usable(values, weight_s)
    if v.size == 0 or w.sum() <= 0:
        return None
    return Distribution(
        mean=float(np.average(v, weights=w)),
        median=weighted_quantile(v, w, 0.5),
        p10=weighted_quantile(v, w, 0.1),
        p90=weighted_quantile(v, w, 0.9),
    )


def downsample(
    *, t_s: np.ndarray, values: dict[str, np.ndarray], max_points: int = 1500
) -> dict[str, list[float | None]]:
    """Bucket means for charts: at most max_points per series, 1 s buckets for short runs.
    Returns JSON-ready lists keyed like `values`, plus "t_s" (bucket start from t_s[0])."""
    if t_s.size == 0:
        return {"t_s": [], **{k: [] for k in values}}
    span = float(t_s[-1] - t_s[0])
    bucket_s = max(1.0, math.ceil(span / max_points))
    index = ((t_s - t_s[0]) // bucket_s).astype(int)
    n = int(index[-1]) + 1
    out: dict[str, list[float | None]] = {"t_s": [i * bucket_s for i in range(n)]}
    for name, series in values.items():
        finite = np.isfinite(series)
        sums = np.bincount(index[finite], weights=series[finite], minlength=n)
        counts = np.bincount(index[finite], minlength=n)
        with np.errstate(invalid="ignore", divide="ignore"):
            means = sums / counts
        out[name] = [round(float(m), 2) if c else None for m, c in zip(means, counts, strict=True)]
    return out
