"""How sure a number is: the median of per-stride values with a bootstrap interval. Pure numpy.

A clip of 12 s holds about 16 strides; each stride gives one value of a metric (or one per
stance, or per step). The metric is their median, and its 95 % interval comes from resampling
the strides with replacement (a percentile bootstrap), so it is measured from this runner on this
clip rather than assumed. The generator is seeded: the same clip always gives the same interval.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

REPLICATES = 1000
LEVEL = 0.95
MIN_VALUES = 4  # fewer per-stride values than this make no interval worth showing
SEED = 20260101


@dataclass(frozen=True)
class Estimate:
    """A metric's value with its interval and the number of strides (or stances, steps) it
    rests on. `replicates` (REPLICATES,) are the bootstrap values, for judging bands and for
    the score's own interval."""

    value: float
    low: float
    high: float
    n: int
    replicates: np.ndarray

    @property
    def plus_minus(self) -> float:
        """Half the interval's width, for "value +/- x"."""
        return (self.high - self.low) / 2.0


def median_estimate(values: np.ndarray) -> Estimate | None:
    """The median of per-stride `values` (N,) with its bootstrap interval; None when fewer
    than MIN_VALUES are finite."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    if values.size < MIN_VALUES:
        return None
    replicates = np.median(values[_picks(values.size)], axis=1)
    return _estimate(float(np.median(values)), replicates, values.size)


def bootstrap(
    values: np.ndarray,
    *,
    statistic: Callable[[np.ndarray], float],
    times: np.ndarray | None = None,
) -> Estimate | None:
    """Any statistic of per-stride `values` (N,) with its bootstrap interval. With `times` (N,)
    the statistic is called as statistic(values, times) on the same resampled strides (for a
    trend over the clip)."""
    ok = np.isfinite(values) if times is None else np.isfinite(values) & np.isfinite(times)
    values = np.asarray(values, dtype=float)[ok]
    if values.size < MIN_VALUES:
        return None
    picks = _picks(values.size)
    if times is None:
        value = float(statistic(values))
        replicates = np.array([statistic(values[p]) for p in picks], dtype=float)
    else:
        times = np.asarray(times, dtype=float)[ok]
        value = float(statistic(values, times))
        replicates = np.array([statistic(values[p], times[p]) for p in picks], dtype=float)
    return _estimate(value, replicates, values.size)


def _picks(n: int) -> np.ndarray:
    """(REPLICATES, n) indices of the resampled strides, the same for every clip of n."""
    return np.random.default_rng(SEED).integers(0, n, size=(REPLICATES, n))


def _estimate(value: float, replicates: np.ndarray, n: int) -> Estimate | None:
    replicates = replicates[np.isfinite(replicates)]
    if not np.isfinite(value) or replicates.size == 0:
        return None
    tail = 100 * (1 - LEVEL) / 2
    low, high = np.percentile(replicates, [tail, 100 - tail])
    # A percentile interval of a skewed statistic can sit beside the value; keep it around.
    return Estimate(value, float(min(low, value)), float(max(high, value)), int(n), replicates)
