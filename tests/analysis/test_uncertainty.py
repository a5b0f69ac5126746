"""Medians of per-stride values with bootstrap intervals: repeatable, and as wide as the
strides scatter. Known answers: normal per-stride values with a set spread; the standard error
of a median of n normal values is about 1.25 sigma / sqrt(n)."""

import numpy as np
import pytest

from analysis.core.video.uncertainty import MIN_VALUES, bootstrap, median_estimate


def test_the_same_values_always_give_the_same_interval():
    values = np.random.default_rng(1).normal(10, 2, 15)
    a, b = median_estimate(values), median_estimate(values.copy())
    assert (a.value, a.low, a.high, a.n) == (b.value, b.low, b.high, b.n)


@pytest.mark.parametrize("sigma,n", [(1.0, 16), (3.0, 16), (1.0, 64)])
def test_interval_width_follows_the_scatter_and_the_count(sigma, n):
    values = np.random.default_rng(2).normal(50, sigma, n)
    found = median_estimate(values)
    expected_half = 1.96 * 1.2533 * sigma / np.sqrt(n)
    assert found.plus_minus == pytest.approx(expected_half, rel=0.45)
    assert found.low <= found.value <= found.high and found.n == n


def test_interval_covers_the_true_median_about_95_times_in_100():
    rng = np.random.default_rng(3)
    covered = [(e := median_estimate(rng.normal(0, 1, 16))).low <= 0 <= e.high for _ in range(200)]
    assert 0.88 <= np.mean(covered) <= 0.995


def test_too_few_values_give_no_estimate():
    assert median_estimate(np.array([1.0, 2.0, np.nan, 3.0])) is None
    assert median_estimate(np.arange(MIN_VALUES, dtype=float)) is not None


def test_a_trend_is_resampled_with_its_times():
    times = np.arange(12.0)
    values = 2.0 * times + np.random.default_rng(4).normal(0, 0.1, 12)
    found = bootstrap(values, statistic=lambda v, t: np.polyfit(t, v, 1)[0], times=times)
    assert found.value == pytest.approx(2.0, abs=0.05) and found.low < 2.0 < found.high
