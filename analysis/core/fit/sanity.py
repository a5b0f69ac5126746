"""What a body wearing a watch can do: limits by sport, and the checks that drop what breaks them.

Pure numpy: no Django, no fitparse. :mod:`analysis.core.fit.fit_io` calls these on every file and
turns what they find into warnings. A damaged or crafted file can say anything (a distance that
flips between 0 and 40,000 km, a time 68 years away); everything after the reader trusts these
checks to have kept such values out. Real watch files pass untouched: GPS noise makes distance
run a few tens of metres ahead of any speed limit at the start of a run, so the distance check
allows DISTANCE_SLACK_M of that, and the tests hold every corpus file to "nothing dropped".

Three checks, each naming the FIT field it drops:

* timestamp: records are written in time order, so within one FIT file of a chain a record
  whose time goes back is damaged (the longest run of non-decreasing times is kept); a record
  more than MAX_TIME_LEAP_S away from the rest, outside every session's own span, is too.
  These records are dropped whole: without a time there is nothing to place them by.
* speed: above the sport's MAX_SPEED_MPS the value is dropped (the record stays).
* distance: a watch's distance only grows, and never faster than the sport allows
  (speed limit x elapsed time + DISTANCE_SLACK_M, counted from the segment's start). A value
  that goes back or jumps ahead is dropped (the record stays; splits interpolate over it).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from analysis.core.fit.rundata import RPM_SPORTS, STEP_SPORTS

# --- Limits ---------------------------------------------------------------------------------
# On foot (and in the water) nobody passes 12.5 m/s: Usain Bolt's fastest 10 m of the 2009
# 100 m world record averaged about 12.3 m/s (45 km/h).
HUMAN_MAX_SPEED_MPS = 12.5
# On a bicycle, fast road descents reach 100-130 km/h; 40 m/s (144 km/h) leaves room for that.
# Transitions count as cycling: a triathlete may cross the line still on the bike.
CYCLING_MAX_SPEED_MPS = 40.0
# Any other sport (skiing, paddling, flying, generic): nothing a watch is worn for goes faster
# than sound at sea level.
ANY_MAX_SPEED_MPS = 343.0
FOOT_SPORTS = STEP_SPORTS | {"swimming"}
WHEEL_SPORTS = RPM_SPORTS | {"transition"}
# Distance may run ahead of the speed limit by this much: real files reach ~30 m when the GPS
# settles after the start (activity-small-fenix2-run.fit: 30 m in its 9th second), and an urban
# canyon can throw a fix a few hundred metres.
DISTANCE_SLACK_M = 200.0
# A gap longer than a day between records, not covered by a session's own span, is not a pause
# but a damaged time (a flipped bit of a FIT timestamp moves it by up to 136 years).
MAX_TIME_LEAP_S = 24 * 3600.0


def max_speed_mps(sport: str) -> float:
    """The fastest the sport allows, m/s (see the limits above)."""
    if sport in FOOT_SPORTS:
        return HUMAN_MAX_SPEED_MPS
    if sport in WHEEL_SPORTS:
        return CYCLING_MAX_SPEED_MPS
    return ANY_MAX_SPEED_MPS


def possible_distance(*, distance_m: float | None, elapsed_s: float | None, sport: str) -> bool:
    """Whether a session's or lap's total distance can be covered in its elapsed time."""
    if distance_m is None:
        return True
    allowed = max_speed_mps(sport) * max(elapsed_s or 0.0, 0.0) + DISTANCE_SLACK_M
    return 0.0 <= distance_m <= allowed


# --- Time -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimeCheck:
    """keep: (N,) bool, the records whose time is possible; the other counts say why not."""

    keep: np.ndarray
    backwards: int
    leaps: int


def check_times(
    *, time_s: np.ndarray, part: np.ndarray, spans_s: Sequence[tuple[float, float]] = ()
) -> TimeCheck:
    """time_s (N,) seconds in file order; part (N,) int, the chained FIT file each record came
    from (times may restart between files); spans_s: (start, end) seconds of the sessions."""
    keep = np.zeros(time_s.shape, dtype=bool)
    for first, stop in _runs(part):
        keep[first:stop] = _non_decreasing(time_s[first:stop])
    in_order = int(keep.sum())
    keep[keep] = _main_cluster(time_s[keep], spans_s=spans_s)
    return TimeCheck(keep=keep, backwards=len(keep) - in_order, leaps=in_order - int(keep.sum()))


def near_in_time(moment_s: float, *, time_s: np.ndarray) -> bool:
    """Whether a session or lap starting at moment_s lies within MAX_TIME_LEAP_S of the
    records, time_s (N,) ascending. With no records there is nothing to compare: True."""
    if not time_s.size:
        return True
    return time_s[0] - MAX_TIME_LEAP_S <= moment_s <= time_s[-1] + MAX_TIME_LEAP_S


def _runs(labels: np.ndarray) -> list[tuple[int, int]]:
    """[first, stop) of each run of equal labels. labels (N,)."""
    cuts = np.flatnonzero(np.diff(labels)) + 1
    bounds = [0, *cuts.tolist(), len(labels)]
    return [(a, b) for a, b in zip(bounds[:-1], bounds[1:], strict=True) if b > a]


def _non_decreasing(values: np.ndarray) -> np.ndarray:
    """(N,) bool: the longest subsequence of values (N,) that never decreases. O(N log N)."""
    if np.all(values[1:] >= values[:-1]):
        return np.ones(values.shape, dtype=bool)  # every real file: no search needed
    tails: list[float] = []  # tails[k]: smallest last value of a subsequence of length k + 1
    tail_at: list[int] = []
    previous = [-1] * len(values)
    for i, value in enumerate(values.tolist()):
        k = bisect.bisect_right(tails, value)
        if k == len(tails):
            tails.append(value)
            tail_at.append(i)
        else:
            tails[k], tail_at[k] = value, i
        previous[i] = tail_at[k - 1] if k else -1
    keep = np.zeros(values.shape, dtype=bool)
    i = tail_at[-1] if tail_at else -1
    while i >= 0:
        keep[i] = True
        i = previous[i]
    return keep


def _main_cluster(time_s: np.ndarray, *, spans_s: Sequence[tuple[float, float]]) -> np.ndarray:
    """(N,) bool: the records of the largest group whose gaps are all short or inside a
    session. Ties go to the earliest group."""
    if time_s.size < 2:
        return np.ones(time_s.shape, dtype=bool)
    order = np.argsort(time_s, kind="stable")
    t = time_s[order]
    leap = np.diff(t) > MAX_TIME_LEAP_S
    if not leap.any():
        return np.ones(time_s.shape, dtype=bool)
    for start, end in spans_s:  # a long pause inside a session is real
        leap &= ~((t[:-1] >= start) & (t[1:] <= end))
    group = np.concatenate([[0], np.cumsum(leap)])
    largest = int(np.argmax(np.bincount(group)))
    keep = np.zeros(time_s.shape, dtype=bool)
    keep[order[group == largest]] = True
    return keep


# --- Speed and distance ---------------------------------------------------------------------


def impossible_speed(*, speed_mps: np.ndarray, limit_mps: np.ndarray) -> np.ndarray:
    """(N,) bool: speeds (N,) above their record's limit (N,), or negative."""
    with np.errstate(invalid="ignore"):
        return (speed_mps > limit_mps) | (speed_mps < 0)


@dataclass(frozen=True)
class DistanceCheck:
    """backwards, too_fast: (N,) bool, the values to drop and why; covered_m: per segment, the
    distance its kept records cover (None without any)."""

    backwards: np.ndarray
    too_fast: np.ndarray
    covered_m: list[float | None]


@dataclass(frozen=True)
class Span:
    """The records [first, stop) of one segment, when it started and the sport's limit."""

    first: int
    stop: int
    start_s: float
    limit_mps: float


def check_distance(
    *, distance_m: np.ndarray, timestamp_s: np.ndarray, spans: Sequence[Span]
) -> DistanceCheck:
    """Which cumulative distances (N,) in time order (timestamp_s (N,)) cannot be right.

    Each segment's chain starts where the previous one ended, or from 0 when most of its
    values lie below that (a chained file restarting its count); within it, each kept value
    is at least the last kept one and no further from any earlier one than the limit allows.
    """
    n = len(distance_m)
    backwards, too_fast = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    covered: list[float | None] = []
    base = 0.0
    for span in spans:
        d = distance_m[span.first : span.stop]
        known = np.flatnonzero(np.isfinite(d))
        if not known.size:
            covered.append(None)
            continue
        if np.median(d[known]) < base:
            base = 0.0
        t = timestamp_s[span.first : span.stop][known]
        back, fast, end = _chain(d[known], t, base=base, span=span)
        backwards[span.first + known[back]] = True
        too_fast[span.first + known[fast]] = True
        covered.append(end - base)
        base = end
    return DistanceCheck(backwards=backwards, too_fast=too_fast, covered_m=covered)


def _chain(
    d: np.ndarray, t: np.ndarray, *, base: float, span: Span
) -> tuple[np.ndarray, np.ndarray, float]:
    """Indexes into d (M,) that go back and that jump too far, and the last kept distance.

    Works on d - limit x t (M,): a distance within the limit never lets it rise more than the
    slack above its lowest point so far. Seconds are counted from the chain's start."""
    zero_s = min(span.start_s, float(t[0]))
    ahead = np.concatenate([[base], d - span.limit_mps * (t - zero_s)])
    rise = ahead - np.minimum.accumulate(ahead)
    if d[0] >= base and np.all(d[1:] >= d[:-1]) and np.all(rise <= DISTANCE_SLACK_M):
        return np.zeros(0, dtype=int), np.zeros(0, dtype=int), float(d[-1])
    back, fast = [], []
    last, lowest = base, base
    for i, (value, excess) in enumerate(zip(d.tolist(), ahead[1:].tolist(), strict=True)):
        if value < last:
            back.append(i)
        elif excess - lowest > DISTANCE_SLACK_M:
            fast.append(i)
        else:
            last, lowest = value, min(lowest, excess)
    return np.array(back, dtype=int), np.array(fast, dtype=int), last
