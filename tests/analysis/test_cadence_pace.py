"""Cadence against speed: bins and the fitted line (analysis.core.runs.cadence.cadence_vs_pace)."""

import numpy as np
import pytest

from analysis.core.runs import cadence

ONE_S = np.ones(600)


def test_a_linear_cadence_gives_its_slope_and_intercept():
    speed_mps = np.linspace(2.5, 4.5, 600)
    out = cadence.cadence_vs_pace(
        speed_mps=speed_mps, cadence_spm=150 + 8 * speed_mps, weight_s=ONE_S
    )
    assert out.slope_spm_per_mps == pytest.approx(8.0, abs=0.01)
    assert out.intercept_spm == pytest.approx(150.0, abs=0.05)
    assert out.r2 == pytest.approx(1.0, abs=1e-9)


def test_bins_report_time_and_mean_cadence_per_speed():
    speed_mps = np.where(np.arange(600) < 200, 2.6, 3.6)  # 200 s easy, 400 s faster
    spm = np.where(speed_mps < 3, 164.0, 176.0)
    out = cadence.cadence_vs_pace(speed_mps=speed_mps, cadence_spm=spm, weight_s=ONE_S)
    assert out.speed_mps == pytest.approx([2.625, 3.625])
    assert out.time_s == pytest.approx([200.0, 400.0])
    assert out.cadence_spm == pytest.approx([164.0, 176.0])
    assert out.slope_spm_per_mps == pytest.approx(12.0)


def test_the_fit_is_weighted_by_time():
    # At 3 m/s one record stands for 100 s at 168 and one for 20 s at 172: the time-weighted
    # mean there is 168.67, not the record mean 170, so the slope to 178 at 4 m/s is 9.33.
    speed_mps = np.array([3.0, 3.0, 4.0, 4.0])
    spm = np.array([168.0, 172.0, 178.0, 178.0])
    out = cadence.cadence_vs_pace(
        speed_mps=speed_mps, cadence_spm=spm, weight_s=np.array([100.0, 20.0, 30.0, 30.0])
    )
    assert out.slope_spm_per_mps == pytest.approx(178 - (100 * 168 + 20 * 172) / 120)
    assert out.speed_mps == pytest.approx([3.125, 4.125])
    assert out.time_s == pytest.approx([120.0, 60.0])


def test_too_little_time_at_other_speeds_gives_no_line():
    # 200 s at 3 m/s and 2 s at 4 m/s: the 10th to 90th percentile of speed is one pace.
    out = cadence.cadence_vs_pace(
        speed_mps=np.array([3.0, 3.0, 4.0]),
        cadence_spm=np.array([170.0, 170.0, 178.0]),
        weight_s=np.array([100.0, 100.0, 2.0]),
    )
    assert out.slope_spm_per_mps is None and out.speed_mps == pytest.approx([3.125])


def test_walk_breaks_show_in_the_bins_but_not_in_the_line():
    speed_mps = np.concatenate([np.linspace(2.5, 4.5, 500), np.full(100, 1.4)])
    spm = np.where(speed_mps > 2, 150 + 8 * speed_mps, 115.0)
    out = cadence.cadence_vs_pace(speed_mps=speed_mps, cadence_spm=spm, weight_s=ONE_S)
    assert out.speed_mps[0] == pytest.approx(1.375) and out.cadence_spm[0] == 115.0
    assert out.slope_spm_per_mps == pytest.approx(8.0, abs=0.01)


def test_one_steady_pace_has_no_slope():
    rng = np.random.default_rng(7)
    speed_mps = 3.2 + rng.normal(0, 0.05, 600)  # GPS noise around one pace
    out = cadence.cadence_vs_pace(
        speed_mps=speed_mps, cadence_spm=rng.normal(172, 2, 600), weight_s=ONE_S
    )
    assert (out.slope_spm_per_mps, out.intercept_spm, out.r2) == (None, None, None)
    assert sum(out.time_s) == pytest.approx(600.0, abs=20)  # bins keep what has enough time


def test_a_flat_cadence_has_zero_slope_and_no_r2():
    speed_mps = np.linspace(2.5, 4.5, 600)
    out = cadence.cadence_vs_pace(
        speed_mps=speed_mps, cadence_spm=np.full(600, 172.0), weight_s=ONE_S
    )
    assert out.slope_spm_per_mps == pytest.approx(0.0, abs=1e-9) and out.r2 is None


@pytest.mark.parametrize("n", [0, 2, 10])
def test_missing_data_gives_empty_bins_and_no_line(n):
    out = cadence.cadence_vs_pace(
        speed_mps=np.full(n, np.nan), cadence_spm=np.full(n, 170.0), weight_s=np.ones(n)
    )
    assert out == cadence.CadenceVsPace([], [], [], None, None, None)
