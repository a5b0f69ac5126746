"""Cadence and run analytics: arrays in, numbers out. Pure numpy: no Django, no fitparse.

Inputs are per-record series as in :class:`analysis.core.fit.rundata.Records`: shape (N,) float64,
NaN where the file had no value, records in time order. Every statistic is weighted by time, not by
record: a watch in "smart recording" writes a record every 1 to 10 s, and more often when
something changes, so a plain mean over records would over-count the moments of change.

The usual chain::

    weight_s = interval_weights_s(
        timestamp_s=rec.timestamp_s, pauses=run.pauses, distance_m=rec.distance_m
    )
    moving = moving_mask(speed_mps=rec.speed_mps, cadence_spm=rec.cadence_spm)
    weight_s = np.where(moving, weight_s, 0.0)
    stats = cadence_stats(cadence_spm=rec.cadence_spm, weight_s=weight_s)

Every later function takes that `weight_s`: the seconds each record stands for, zero for a
record to leave out (standing, paused, another sport's segment).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

# --- Thresholds -----------------------------------------------------------------------------
# Steps/min outside this range are sensor dropouts (the watch writes 0 at a stop) or glitches.
# A slow walk is near 90-100 steps/min and distance running 150-200; 60 leaves room for a
# shuffle, 260 for a hard sprint finish (elite sprinters peak a little higher, club runners
# do not).
PLAUSIBLE_SPM = (60.0, 260.0)
# GPS speed of a runner standing still rarely reads exactly zero and wanders by a few tenths of
# a m/s; the slowest walk is near 1 m/s. Below 0.5 m/s the runner is waiting, not moving.
MIN_MOVING_SPEED_MPS = 0.5
# Smart recording mostly writes every 1 to 8 s while the timer runs; a longer silence usually
# means recording stopped (auto-pause without a timer event, no signal, standing still). A
# watch can also skip a steady stretch: interval_weights_s keeps those when distance grew.
MAX_GAP_S = 10.0
# A final partial split shorter than this is the cool-down to the watch stop, not a split.
MIN_LAST_SPLIT_M = 100.0
# Cadence drift compares thirds of the run; under a minute each they say nothing of fatigue.
MIN_DRIFT_TIME_S = 180.0
# Walking steps rarely pass ~135 steps/min and running steps rarely fall under ~140: the
# cadence-speed line is fitted to running only, so walk breaks do not steepen it.
MIN_RUNNING_SPM = 140.0
# A slope needs speeds that differ: less than this between the 10th and 90th percentile of
# speed is GPS noise around one pace.
MIN_SPEED_SPREAD_MPS = 0.3
# A speed bin needs this much time before its mean cadence is shown.
MIN_BIN_TIME_S = 10.0
# Chart series carry two decimals: more is noise and doubles the JSON.
SERIES_DIGITS = 2
# A splits table longer than this is not read (and a damaged file could ask for millions):
# past MAX_SPLITS kilometres the split grows along 1-2-5 (2 km, 5 km, 10 km, ...) instead.
MAX_SPLITS = 200

# --- Cadence target band (personal_target_spm) --------------------------------------------
# Default 170-180 steps/min, the band the coaching sources give for most runners (design.md,
# section 2). Heiderscheit et al. 2011 ("Effects of step rate manipulation on joint mechanics
# during running", MSSE 43(2):296-302) found that raising step rate 5-10 % above a runner's
# preferred rate lowers hip and knee loading: for a runner who settles in the low 160s, the
# band asks for about that rise. The band is taken to fit a reference runner, 172 cm tall
# (about the mean of adult men and women together in Europe) at 3.0 m/s (5:33 /km), scaled:
#
#     band = (170, 180) x sqrt(172 / height_cm) x (1 + 0.04 x (speed_mps - 3.0))
#
# - Height: a leg swings like a pendulum, so between dynamically similar runners (equal Froude
#   number v^2 / (g L); Alexander & Jayes 1983, "A dynamic similarity hypothesis for the gaits
#   of quadrupedal mammals", J Zool 201:135-152) step frequency goes with sqrt(g / L). Leg
#   length L is a near-constant share of height, so the ratio of heights stands in for it.
#   This is the milder of the dynamic-similarity choices (compared at one absolute speed, the
#   relative-stride relations give an exponent nearer -0.7), on purpose: Cavanagh & Kram 1989
#   found body dimensions explain little of one runner's preferred stride (r <= 0.36), so
#   height only nudges the band.
# - Speed: Cavanagh & Kram 1989 ("Stride length in distance running: velocity, body
#   dimensions, and added mass effects", MSSE 21(4):467-479) measured stride frequency rising
#   only ~4 % from 3.15 to 4.12 m/s while stride length rose 28 %: +4 % per m/s. Speed is held
#   to 2.0-5.5 m/s, a little beyond their range; outside it the trend is not known.
# Both ends are scaled by one factor, itself limited so the band stays within 155-200
# steps/min (keeping its width), then rounded to whole steps/min.
DEFAULT_TARGET_SPM = (170, 180)
REFERENCE_HEIGHT_CM = 172.0
REFERENCE_SPEED_MPS = 3.0
SPEED_GAIN_PER_MPS = 0.04
TARGET_SPEED_RANGE_MPS = (2.0, 5.5)
TARGET_LIMITS_SPM = (155, 200)
# Heights outside this range are entry errors (metres, inches), not runners: ignored.
PLAUSIBLE_HEIGHT_CM = (100.0, 250.0)


# --- Time weights and moving time -----------------------------------------------------------


def interval_weights_s(
    *,
    timestamp_s: np.ndarray,
    pauses: Sequence[tuple[float, float]] = (),
    max_gap_s: float = MAX_GAP_S,
    distance_m: np.ndarray | None = None,
) -> np.ndarray:
    """Seconds each record stands for: the time to the next record, less timer pauses in it.

    timestamp_s: (N,) epoch seconds, ascending. pauses: (stop_s, start_s) epoch-second pairs.
    Returns (N,) float64 >= 0. An interval still longer than `max_gap_s` once pauses are taken
    out counts 0 (the watch stopped recording), as does a backward step in time; but when
    distance_m (N,) is given, a long interval over which the distance grew at a moving speed
    (MIN_MOVING_SPEED_MPS) is kept: smart recording skipped a steady stretch. The last record
    has no successor: it gets the median kept interval (1 s when there is none), or 0 when it
    lies inside a pause.
    """
    t = np.asarray(timestamp_s, dtype=float)
    if t.size == 0:
        return np.zeros(0)
    ends = np.append(t[1:], np.nan)
    with np.errstate(invalid="ignore"):
        dt = ends - t - _paused_s(starts_s=t, ends_s=ends, pauses=pauses)
        short = dt <= max_gap_s
        kept = np.isfinite(dt) & (dt > 0) & (short | _moved_through(distance_m, dt_s=dt))
    weight = np.where(kept, dt, 0.0)
    weight[-1] = _last_weight_s(last_s=t[-1], kept_s=dt[kept], pauses=pauses)
    return weight


def _moved_through(distance_m: np.ndarray | None, *, dt_s: np.ndarray) -> np.ndarray:
    """(N,) True where the distance to the next record grew at a moving speed."""
    if distance_m is None:
        return np.zeros(dt_s.shape, dtype=bool)
    gained_m = np.append(np.diff(np.asarray(distance_m, dtype=float)), np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        return gained_m / dt_s >= MIN_MOVING_SPEED_MPS


def _paused_s(
    *, starts_s: np.ndarray, ends_s: np.ndarray, pauses: Sequence[tuple[float, float]]
) -> np.ndarray:
    """Seconds of each interval [starts_s, ends_s] spent inside timer pauses. Shape (N,).

    Each interval looks only at the pauses it touches (found by binary search in the merged,
    sorted pauses), so thousands of pauses cost little more than one."""
    paused = np.zeros(starts_s.shape)
    since, until = _merged_pauses(pauses)
    if not since.size:
        return paused
    first = np.searchsorted(until, starts_s, side="right")  # the first pause ending after
    last = np.searchsorted(since, ends_s, side="left") - 1  # the last pause starting before
    touched = last - first + 1
    f, k = np.clip(first, 0, since.size - 1), np.clip(last, 0, since.size - 1)

    def inside_s(j: np.ndarray) -> np.ndarray:
        return np.clip(np.minimum(ends_s, until[j]) - np.maximum(starts_s, since[j]), 0.0, None)

    whole_s = np.concatenate([[0.0], np.cumsum(until - since)])
    paused = inside_s(f) + np.where(touched > 1, inside_s(k), 0.0)
    paused += np.where(touched > 2, whole_s[k] - whole_s[np.minimum(f + 1, k)], 0.0)
    return np.where(touched > 0, paused, 0.0)


def _merged_pauses(pauses: Sequence[tuple[float, float]]) -> tuple[np.ndarray, np.ndarray]:
    """(K,) starts and (K,) ends of the pauses that last, sorted, overlapping ones merged."""
    p = np.asarray(pauses, dtype=float).reshape(-1, 2)
    with np.errstate(invalid="ignore"):
        p = p[np.isfinite(p).all(axis=1) & (p[:, 1] > p[:, 0])]
    p = p[np.argsort(p[:, 0], kind="stable")]
    if not len(p):
        return p[:, 0], p[:, 1]
    reach = np.maximum.accumulate(p[:, 1])
    begins = np.flatnonzero(np.concatenate([[True], p[1:, 0] > reach[:-1]]))
    return p[begins, 0], np.maximum.reduceat(p[:, 1], begins)


def _last_weight_s(
    *, last_s: float, kept_s: np.ndarray, pauses: Sequence[tuple[float, float]]
) -> float:
    since, until = _merged_pauses(pauses)
    if not math.isfinite(last_s) or np.any((since <= last_s) & (last_s < until)):
        return 0.0
    return float(np.median(kept_s)) if kept_s.size else 1.0


def moving_mask(
    *,
    speed_mps: np.ndarray,
    cadence_spm: np.ndarray | None = None,
    min_speed_mps: float = MIN_MOVING_SPEED_MPS,
) -> np.ndarray:
    """True where the runner moves: speed at least `min_speed_mps` (see MIN_MOVING_SPEED_MPS).

    speed_mps, cadence_spm: (N,). Where speed is missing (a treadmill without a foot pod, a GPS
    dropout), a plausible step cadence (PLAUSIBLE_SPM) counts as moving; with neither the
    record is not moving. A known speed wins over cadence: a watch still counting arm swings
    at a crossing is not running. Returns (N,) bool.
    """
    speed = np.asarray(speed_mps, dtype=float)
    with np.errstate(invalid="ignore"):
        moving = speed >= min_speed_mps
    if cadence_spm is not None:
        moving |= ~np.isfinite(speed) & np.isfinite(_clean_spm(cadence_spm))
    return moving


def moving_time_s(*, weight_s: np.ndarray, moving: np.ndarray | None = None) -> float:
    """Total seconds of the records where `moving` is True (all records when None). (N,) in."""
    w = _clean_weights(weight_s)
    return float(w.sum() if moving is None else w[np.asarray(moving, dtype=bool)].sum())


# --- Shared helpers -------------------------------------------------------------------------


def _clean_weights(weight_s: np.ndarray) -> np.ndarray:
    """(N,) weights with NaN and negatives as 0, so a bad weight drops a record, not a sum."""
    w = np.asarray(weight_s, dtype=float)
    with np.errstate(invalid="ignore"):
        return np.where(np.isfinite(w) & (w > 0), w, 0.0)


def _clean_spm(cadence_spm: np.ndarray) -> np.ndarray:
    """(N,) cadence with implausible values (dropouts, glitches) as NaN."""
    spm = np.asarray(cadence_spm, dtype=float)
    with np.errstate(invalid="ignore"):
        plausible = (spm >= PLAUSIBLE_SPM[0]) & (spm <= PLAUSIBLE_SPM[1])
    return np.where(plausible, spm, np.nan)


def _positive(values: np.ndarray) -> np.ndarray:
    """(N,) values with zeros and negatives as NaN: a heart rate or a contact time of 0 is a
    dropout, not a reading."""
    v = np.asarray(values, dtype=float)
    with np.errstate(invalid="ignore"):
        return np.where(v > 0, v, np.nan)


def _usable(values: np.ndarray, weight_s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The finite values that carry time, and their weights: two (M,) arrays."""
    v = np.asarray(values, dtype=float)
    w = _clean_weights(weight_s)
    keep = np.isfinite(v) & (w > 0)
    return v[keep], w[keep]


def _weighted_mean(values: np.ndarray, weight_s: np.ndarray) -> float | None:
    v, w = _usable(values, weight_s)
    return float(np.average(v, weights=w)) if v.size else None


def weighted_quantile(*, values: np.ndarray, weight_s: np.ndarray, q: float) -> float | None:
    """Quantile q in [0, 1] of values (N,) where each counts for its weight in seconds.

    The values, sorted, are laid end to end in time, each for its own seconds; the quantile is
    the value in force at q of the total time. Exactly on the border between two values it is
    their mean, so with equal weights this is the usual median (two equal halves at 170 and
    180 give 175), and one record that stands for 50 s outweighs ten that stand for 1 s each.
    None when no finite value carries time.
    """
    v, w = _usable(values, weight_s)
    return _quantile(v, w, q) if v.size else None


def _quantile(v: np.ndarray, w: np.ndarray, q: float) -> float:
    """weighted_quantile on (M,) usable values and positive weights, M >= 1."""
    order = np.argsort(v, kind="stable")
    v, end_s = v[order], np.cumsum(w[order])
    at_s = q * end_s[-1]
    i = min(int(np.searchsorted(end_s, at_s)), v.size - 1)
    if i < v.size - 1 and math.isclose(end_s[i], at_s, rel_tol=1e-9, abs_tol=1e-9):
        return float(v[i] + v[i + 1]) / 2
    return float(v[i])


# --- Distributions --------------------------------------------------------------------------


@dataclass(frozen=True)
class Distribution:
    """Time-weighted summary of one series, in the series' own unit."""

    mean: float
    median: float
    p10: float
    p90: float
    time_s: float  # seconds with a value


def distribution(*, values: np.ndarray, weight_s: np.ndarray) -> Distribution | None:
    """Time-weighted mean, median, 10th and 90th percentile of values (N,); None when no
    finite value carries time. For any series: running dynamics, power, developer fields."""
    v, w = _usable(values, weight_s)
    if v.size == 0:
        return None
    return Distribution(
        mean=float(np.average(v, weights=w)),
        median=_quantile(v, w, 0.5),
        p10=_quantile(v, w, 0.1),
        p90=_quantile(v, w, 0.9),
        time_s=float(w.sum()),
    )


def running_dynamics_summary(
    *,
    weight_s: np.ndarray,
    vertical_oscillation_mm: np.ndarray | None = None,
    stance_time_ms: np.ndarray | None = None,
    stance_time_balance_pct: np.ndarray | None = None,
    step_length_mm: np.ndarray | None = None,
    vertical_ratio_pct: np.ndarray | None = None,
) -> dict[str, Distribution]:
    """Distribution of each running-dynamics series given, keyed by its argument name.

    All arrays (N,). Zeros count as dropouts (none of these is 0 while running); a series that
    is absent or has no value while moving is left out of the result.
    """
    given = {
        "vertical_oscillation_mm": vertical_oscillation_mm,
        "stance_time_ms": stance_time_ms,
        "stance_time_balance_pct": stance_time_balance_pct,
        "step_length_mm": step_length_mm,
        "vertical_ratio_pct": vertical_ratio_pct,
    }
    found = {
        name: distribution(values=_positive(values), weight_s=weight_s)
        for name, values in given.items()
        if values is not None
    }
    return {name: summary for name, summary in found.items() if summary is not None}


# --- Cadence --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CadenceStats:
    mean_spm: float | None
    median_spm: float | None
    p10_spm: float | None
    p90_spm: float | None
    std_spm: float | None
    time_s: float  # seconds with a plausible cadence
    samples: int  # records used


def cadence_stats(*, cadence_spm: np.ndarray, weight_s: np.ndarray) -> CadenceStats:
    """Time-weighted summary of plausible step cadence (PLAUSIBLE_SPM). Arrays (N,).

    Give weights that are zero where the runner is not moving. Every field but time_s and
    samples is None when no plausible cadence carries time.
    """
    v, w = _usable(_clean_spm(cadence_spm), weight_s)
    if v.size == 0:
        return CadenceStats(None, None, None, None, None, time_s=0.0, samples=0)
    mean = float(np.average(v, weights=w))
    return CadenceStats(
        mean_spm=mean,
        median_spm=_quantile(v, w, 0.5),
        p10_spm=_quantile(v, w, 0.1),
        p90_spm=_quantile(v, w, 0.9),
        std_spm=math.sqrt(float(np.average((v - mean) ** 2, weights=w))),
        time_s=float(w.sum()),
        samples=int(v.size),
    )


def cadence_histogram(
    *,
    cadence_spm: np.ndarray,
    weight_s: np.ndarray,
    bin_spm: float = 5.0,
    low_spm: float = 120.0,
    high_spm: float = 220.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Seconds spent in each cadence bin. cadence_spm, weight_s: (N,).

    Returns edges (B+1,) from low_spm in steps of bin_spm up to at least high_spm, and seconds
    (B,). Plausible values outside the edges count in the outermost bins, so the seconds add
    up to the time with a plausible cadence.
    """
    v, w = _usable(_clean_spm(cadence_spm), weight_s)
    count = max(1, math.ceil((high_spm - low_spm) / bin_spm))
    edges = low_spm + bin_spm * np.arange(count + 1, dtype=float)
    seconds, _ = np.histogram(np.clip(v, edges[0], edges[-1]), bins=edges, weights=w)
    return edges, seconds.astype(float)


def time_in_band_pct(
    *, cadence_spm: np.ndarray, weight_s: np.ndarray, low_spm: float, high_spm: float
) -> float | None:
    """Share of the time with a plausible cadence that lies in [low_spm, high_spm], percent.
    Arrays (N,). None when no plausible cadence carries time."""
    v, w = _usable(_clean_spm(cadence_spm), weight_s)
    if v.size == 0:
        return None
    inside = (v >= low_spm) & (v <= high_spm)
    return float(100.0 * w[inside].sum() / w.sum())


def personal_target_spm(
    *, height_cm: float | None = None, speed_mps: float | None = None
) -> tuple[int, int]:
    """Cadence target band (low, high) in whole steps/min, personalised when known.

    band = (170, 180) x sqrt(172 / height_cm) x (1 + 0.04 x (speed_mps - 3.0))

    - 170-180 fits the reference runner: 172 cm at 3.0 m/s (coaching sources; Heiderscheit
      et al. 2011, MSSE 43(2):296-302: +5-10 % step rate lowers hip and knee load).
    - Height: pendulum scaling under dynamic similarity, step frequency ~ leg length^-0.5
      (Alexander & Jayes 1983, J Zool 201:135-152). A shorter runner gets a higher band.
    - Speed: +4 % per m/s (Cavanagh & Kram 1989, MSSE 21(4):467-479: stride frequency +4 %
      from 3.15 to 4.12 m/s), speed held to 2.0-5.5 m/s. A faster runner gets a higher band.
    - The factor is limited so the band stays within 155-200 steps/min.

    A missing, non-finite or implausible height (outside 100-250 cm) or speed (<= 0) is
    left out of the formula. Module comment above DEFAULT_TARGET_SPM has the reasoning.
    """
    factor = _height_factor(height_cm) * _speed_factor(speed_mps)
    low_limit = TARGET_LIMITS_SPM[0] / DEFAULT_TARGET_SPM[0]
    high_limit = TARGET_LIMITS_SPM[1] / DEFAULT_TARGET_SPM[1]
    factor = min(max(factor, low_limit), high_limit)
    low, high = (round(spm * factor) for spm in DEFAULT_TARGET_SPM)
    return int(low), int(high)


def _height_factor(height_cm: float | None) -> float:
    if height_cm is None or not math.isfinite(height_cm):
        return 1.0
    if not PLAUSIBLE_HEIGHT_CM[0] <= height_cm <= PLAUSIBLE_HEIGHT_CM[1]:
        return 1.0
    return math.sqrt(REFERENCE_HEIGHT_CM / height_cm)


def _speed_factor(speed_mps: float | None) -> float:
    if speed_mps is None or not math.isfinite(speed_mps) or speed_mps <= 0:
        return 1.0
    held = min(max(speed_mps, TARGET_SPEED_RANGE_MPS[0]), TARGET_SPEED_RANGE_MPS[1])
    return 1.0 + SPEED_GAIN_PER_MPS * (held - REFERENCE_SPEED_MPS)


@dataclass(frozen=True)
class Drift:
    first_third_spm: float | None
    last_third_spm: float | None
    drift_spm: float | None  # last third minus first third
    drift_pct: float | None  # drift_spm as a share of the first third


def cadence_drift(
    *, cadence_spm: np.ndarray, weight_s: np.ndarray, min_time_s: float = MIN_DRIFT_TIME_S
) -> Drift:
    """Mean cadence of the last third of the time minus the first third: a fatigue sign.

    cadence_spm, weight_s: (N,). Thirds are cut by accumulated time with a plausible cadence,
    not by record count, and a record straddling a cut counts on each side for its share of
    time. All None when that time is under `min_time_s`.
    """
    spm = _clean_spm(cadence_spm)
    w = np.where(np.isfinite(spm), _clean_weights(weight_s), 0.0)
    total_s = float(w.sum())
    if total_s <= 0 or total_s < min_time_s:
        return Drift(None, None, None, None)
    first = _weighted_mean(spm, _time_window_s(weight_s=w, lo_s=0.0, hi_s=total_s / 3))
    last = _weighted_mean(spm, _time_window_s(weight_s=w, lo_s=2 * total_s / 3, hi_s=total_s))
    if first is None or last is None:
        return Drift(first, last, None, None)
    return Drift(first, last, last - first, 100.0 * (last - first) / first)


def _time_window_s(*, weight_s: np.ndarray, lo_s: float, hi_s: float) -> np.ndarray:
    """Seconds of each record inside [lo_s, hi_s] of accumulated time. (N,) in and out."""
    end_s = np.cumsum(weight_s)
    start_s = end_s - weight_s
    return np.clip(np.minimum(end_s, hi_s) - np.maximum(start_s, lo_s), 0.0, None)


# --- Splits ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Split:
    index: int  # from 1
    distance_m: float | None  # None for a lap whose distance is unknown
    moving_time_s: float
    pace_s_per_km: float | None
    avg_cadence_spm: float | None
    avg_hr_bpm: float | None


def splits(
    *,
    distance_m: np.ndarray,
    cadence_spm: np.ndarray,
    weight_s: np.ndarray,
    timestamp_s: np.ndarray | None = None,
    heart_rate_bpm: np.ndarray | None = None,
    every_m: float = 1000.0,
    min_last_m: float = MIN_LAST_SPLIT_M,
    max_splits: int = MAX_SPLITS,
) -> list[Split]:
    """Splits every `every_m` metres (kilometres by default). All arrays (N,).

    distance_m is the watch's cumulative distance. Record i covers the distance from its own
    value to the next record's, and its time is shared between splits in proportion. A drop
    in distance (a chained segment restarting at 0) adds nothing and the count carries on.
    Missing distances between known ones are interpolated in time (by record position when
    timestamp_s is None); records before the first or after the last known distance are left
    out. The final record, which covers no distance, counts in the split where it stands. A
    last partial split is kept when at least `min_last_m` long. Empty list without distance.
    More than `max_splits` splits: each is longer (split_every_m). Each split looks only at
    the records it covers, so the work stays near one pass over the records.
    """
    along_m = _along_m(distance_m=distance_m, timestamp_s=timestamp_s)
    total_m = float(np.nanmax(along_m)) if np.isfinite(along_m).any() else 0.0
    every_m = split_every_m(total_m=total_m, every_m=every_m, max_splits=max_splits)
    w, ends_m = _clean_weights(weight_s), _span_ends_m(along_m)
    between = _Stretch(along_m)
    out = []
    for index in range(math.ceil(total_m / every_m)):
        lo_m, hi_m = index * every_m, min((index + 1) * every_m, total_m)
        if index > 0 and hi_m - lo_m < min_last_m:
            break
        a, b = between.records(lo_m=lo_m, hi_m=hi_m)
        share = _distance_share(
            along_m=along_m[a:b], ends_m=ends_m[a:b], lo_m=lo_m, hi_m=hi_m, first=index == 0
        )
        hr = None if heart_rate_bpm is None else heart_rate_bpm[a:b]
        out.append(_split(index + 1, hi_m - lo_m, w[a:b] * share, cadence_spm[a:b], hr))
    return out


def split_every_m(
    *, total_m: float, every_m: float = 1000.0, max_splits: int = MAX_SPLITS
) -> float:
    """every_m, or the first of 2x, 5x, 10x, 20x, 50x ... every_m that cuts total_m into at
    most max_splits splits."""
    length, steps = every_m, (2.0, 2.5, 2.0)
    if not math.isfinite(total_m) or every_m <= 0:
        return every_m
    while math.ceil(total_m / length) > max(1, max_splits):
        length *= steps[0]
        steps = steps[1:] + steps[:1]
    return length


class _Stretch:
    """Finds the records whose distance span can touch a split, by binary search: along_m
    (N,) is NaN outside its known stretch and never decreases inside it (when it does, as
    with records out of time order, every record is looked at)."""

    def __init__(self, along_m: np.ndarray) -> None:
        known = np.flatnonzero(np.isfinite(along_m))
        self.first = int(known[0]) if known.size else 0
        self.along_m = along_m[self.first : int(known[-1]) + 1] if known.size else along_m[:0]
        self.size = along_m.size
        self.ordered = bool(np.all(self.along_m[1:] >= self.along_m[:-1]))

    def records(self, *, lo_m: float, hi_m: float) -> tuple[int, int]:
        """[a, b) of the records to look at for the split (lo_m, hi_m]."""
        if not self.ordered:
            return 0, self.size
        a = max(int(np.searchsorted(self.along_m, lo_m, side="left")) - 1, 0)
        b = int(np.searchsorted(self.along_m, hi_m, side="right"))
        return self.first + a, self.first + b


def _along_m(*, distance_m: np.ndarray, timestamp_s: np.ndarray | None) -> np.ndarray:
    """(N,) distance covered since the first known distance, never decreasing; NaN before the
    first and after the last known value."""
    d = np.asarray(distance_m, dtype=float)
    known = np.flatnonzero(np.isfinite(d))
    along = np.full(d.shape, np.nan)
    if known.size < 2:
        return along
    # A drop is a chained segment restarting its count (or a correction): it adds no distance.
    gained = np.concatenate([[0.0], np.cumsum(np.clip(np.diff(d[known]), 0.0, None))])
    x = np.arange(d.size, dtype=float) if timestamp_s is None else np.asarray(timestamp_s, float)
    inner = slice(known[0], known[-1] + 1)
    along[inner] = np.interp(x[inner], x[known], gained)
    return along


def _span_ends_m(along_m: np.ndarray) -> np.ndarray:
    """(N,) where each record's distance span ends: the next record's distance, or its own."""
    ends = np.append(along_m[1:], np.nan)
    return np.where(np.isfinite(ends), ends, along_m)


def _distance_share(
    *, along_m: np.ndarray, ends_m: np.ndarray, lo_m: float, hi_m: float, first: bool
) -> np.ndarray:
    """Share (M,) in [0, 1] of each record's distance span [along_i, ends_i] inside
    (lo_m, hi_m]. A span of zero length (standing, the final record) counts whole where it
    stands; the first split also takes the start point at lo_m."""
    length = ends_m - along_m
    with np.errstate(invalid="ignore", divide="ignore"):
        inside = np.clip(np.minimum(ends_m, hi_m) - np.maximum(along_m, lo_m), 0.0, None)
        share = np.where(length > 0, inside / length, 0.0)
        at_point = (length == 0) & ((along_m > lo_m) | first) & (along_m <= hi_m)
    return np.nan_to_num(np.where(at_point, 1.0, share))


def _split(
    index: int,
    distance_m: float | None,
    weight_s: np.ndarray,
    cadence_spm: np.ndarray,
    heart_rate_bpm: np.ndarray | None,
) -> Split:
    moving_s = float(weight_s.sum())
    pace = None
    if distance_m is not None and distance_m > 0 and moving_s > 0:
        pace = 1000.0 * moving_s / distance_m
    hr = None if heart_rate_bpm is None else _weighted_mean(_positive(heart_rate_bpm), weight_s)
    return Split(
        index=index,
        distance_m=distance_m,
        moving_time_s=moving_s,
        pace_s_per_km=pace,
        avg_cadence_spm=_weighted_mean(_clean_spm(cadence_spm), weight_s),
        avg_hr_bpm=hr,
    )


def lap_splits(
    *,
    laps: Sequence[tuple[int, int] | tuple[int, int, float | None]],
    cadence_spm: np.ndarray,
    weight_s: np.ndarray,
    heart_rate_bpm: np.ndarray | None = None,
    distance_m: np.ndarray | None = None,
    timestamp_s: np.ndarray | None = None,
) -> list[Split]:
    """One Split per lap. Arrays (N,); laps as (record_start, record_stop[, distance_m]).

    record_stop is exclusive, as in :class:`analysis.core.fit.rundata.Lap`. A lap without its own
    distance is measured on the `distance_m` array when given (as in `splits`); otherwise its
    distance and pace are None.
    """
    w = _clean_weights(weight_s)
    along_m = (
        None if distance_m is None else _along_m(distance_m=distance_m, timestamp_s=timestamp_s)
    )
    out = []
    for index, (first, stop, *given) in enumerate(laps, start=1):
        lap_m = given[0] if given and given[0] is not None else _span_m(along_m, first, stop)
        hr = None if heart_rate_bpm is None else heart_rate_bpm[first:stop]
        out.append(_split(index, lap_m, w[first:stop], cadence_spm[first:stop], hr))
    return out


def _span_m(along_m: np.ndarray | None, first: int, stop: int) -> float | None:
    """Distance from record `first` to record `stop` (the next lap's first record, which marks
    where this lap ended), or to the last record."""
    if along_m is None:
        return None
    span = along_m[first : min(stop + 1, along_m.size)]
    span = span[np.isfinite(span)]
    return float(span.max() - span.min()) if span.size else None


# --- Cadence against speed ------------------------------------------------------------------


@dataclass(frozen=True)
class CadenceVsPace:
    speed_mps: list[float]  # bin centres
    time_s: list[float]  # seconds in each bin
    cadence_spm: list[float]  # time-weighted mean cadence in each bin
    slope_spm_per_mps: float | None  # straight-line fit over running records
    intercept_spm: float | None  # the fitted line's cadence at 0 m/s
    r2: float | None


def cadence_vs_pace(
    *,
    speed_mps: np.ndarray,
    cadence_spm: np.ndarray,
    weight_s: np.ndarray,
    bin_mps: float = 0.25,
    min_bin_s: float = MIN_BIN_TIME_S,
) -> CadenceVsPace:
    """Which cadence the runner uses at each speed. Arrays (N,).

    Bins of `bin_mps` with at least `min_bin_s` of time report their mean cadence. The
    time-weighted least-squares line cadence = intercept + slope x speed is fitted over
    running cadences (MIN_RUNNING_SPM and up); slope, intercept and r2 are None when speed
    varies by less than MIN_SPEED_SPREAD_MPS (p10 to p90). r2 is None when cadence is flat.
    """
    speed = np.asarray(speed_mps, dtype=float)
    spm = _clean_spm(cadence_spm)
    w = _clean_weights(weight_s)
    with np.errstate(invalid="ignore"):
        ok = np.isfinite(spm) & np.isfinite(speed) & (speed > 0) & (w > 0)
    v, c, w = speed[ok], spm[ok], w[ok]
    centres, seconds, means = _speed_bins(v, c, w, bin_mps=bin_mps, min_bin_s=min_bin_s)
    running = c >= MIN_RUNNING_SPM
    slope, intercept, r2 = _weighted_line(v[running], c[running], w[running])
    return CadenceVsPace(centres, seconds, means, slope, intercept, r2)


def _speed_bins(
    v: np.ndarray, c: np.ndarray, w: np.ndarray, *, bin_mps: float, min_bin_s: float
) -> tuple[list[float], list[float], list[float]]:
    """Bin centres, seconds and mean cadence for each speed bin with enough time."""
    bins = np.floor(v / bin_mps).astype(int)
    order = np.argsort(bins, kind="stable")  # each bin's records in their own order
    groups = np.split(order, np.flatnonzero(np.diff(bins[order])) + 1) if v.size else []
    centres, seconds, means = [], [], []
    for sel in groups:  # one pass in all, however many bins
        if w[sel].sum() >= min_bin_s:
            centres.append(float((bins[sel[0]] + 0.5) * bin_mps))
            seconds.append(float(w[sel].sum()))
            means.append(float(np.average(c[sel], weights=w[sel])))
    return centres, seconds, means


def _weighted_line(
    x: np.ndarray, y: np.ndarray, w: np.ndarray
) -> tuple[float | None, float | None, float | None]:
    """Slope, intercept and r2 of the weighted least-squares line y ~ x; x, y, w (M,)."""
    if x.size < 3 or _quantile(x, w, 0.9) - _quantile(x, w, 0.1) < MIN_SPEED_SPREAD_MPS:
        return None, None, None
    mx, my = float(np.average(x, weights=w)), float(np.average(y, weights=w))
    slope = float(np.sum(w * (x - mx) * (y - my)) / np.sum(w * (x - mx) ** 2))
    total = float(np.sum(w * (y - my) ** 2))
    residual = float(np.sum(w * (y - my - slope * (x - mx)) ** 2))
    r2 = 1.0 - residual / total if total > 0 else None
    return slope, my - slope * mx, r2


# --- Chart series ---------------------------------------------------------------------------


def downsample_series(
    *,
    timestamp_s: np.ndarray,
    values: Mapping[str, np.ndarray],
    every_s: float = 1.0,
    max_points: int = 2000,
    max_gap_s: float = MAX_GAP_S,
) -> dict[str, list[float | None]]:
    """Compact, JSON-ready series for charts: bucket means over time.

    timestamp_s: (N,) epoch seconds; values: name -> (N,). Buckets are `every_s` long, or a
    whole multiple of it so that there are at most `max_points`. Only buckets holding a record
    are returned, plus one empty bucket after each recording gap longer than `max_gap_s`, so a
    line breaks at pauses but not between the sparse records of smart recording. Returns
    "t_s" (bucket start, seconds from the first record) and one list per name: NaN-safe
    means rounded to SERIES_DIGITS, None where a bucket has no value.
    """
    t = np.asarray(timestamp_s, dtype=float)
    order = np.flatnonzero(np.isfinite(t))
    order = order[np.argsort(t[order], kind="stable")]
    if order.size == 0:
        return {"t_s": [], **{name: [] for name in values}}
    t = t[order] - t[order[0]]
    bucket_s = _bucket_s(span_s=float(t[-1]), every_s=every_s, max_points=max_points)
    index = (t // bucket_s).astype(int)
    rows = _chart_rows(index=index, t_s=t, max_gap_s=max_gap_s)
    out: dict[str, list[float | None]] = {"t_s": [float(r * bucket_s) for r in rows]}
    for name, series in values.items():
        out[name] = _bucket_means(np.asarray(series, dtype=float)[order], index, rows)
    return out


def _bucket_s(*, span_s: float, every_s: float, max_points: int) -> float:
    # floor(span / bucket) + 1 buckets; a bucket of (span + every) / max_points keeps that
    # at or under max_points.
    return every_s * max(1, math.ceil((span_s / every_s + 1) / max(1, max_points)))


def _chart_rows(*, index: np.ndarray, t_s: np.ndarray, max_gap_s: float) -> np.ndarray:
    """Bucket numbers to show: every bucket with a record, and the first empty bucket after
    each recording gap (a None that makes the chart lift its pen)."""
    gap = np.diff(t_s) > max_gap_s
    after_gap = index[:-1][gap] + 1
    after_gap = after_gap[after_gap < index[1:][gap]]
    return np.unique(np.concatenate([index, after_gap]))


def _bucket_means(series: np.ndarray, index: np.ndarray, rows: np.ndarray) -> list[float | None]:
    finite = np.isfinite(series)
    size = int(index[-1]) + 1
    sums = np.bincount(index[finite], weights=series[finite], minlength=size)
    counts = np.bincount(index[finite], minlength=size)
    return [round(float(sums[r] / counts[r]), SERIES_DIGITS) if counts[r] else None for r in rows]
