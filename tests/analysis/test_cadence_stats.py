"""Time-weighted cadence statistics, histogram, time in band, drift and running dynamics."""

import math

import numpy as np
import pytest

from analysis.core.runs import cadence

T600 = np.arange(600.0)
ONE_S = np.ones(600)
HALVES_SPM = np.where(T600 < 300, 170.0, 180.0)  # 300 s at 170 then 300 s at 180


def test_two_equal_halves_give_exact_mean_median_and_spread():
    stats = cadence.cadence_stats(cadence_spm=HALVES_SPM, weight_s=ONE_S)
    assert stats.mean_spm == pytest.approx(175.0, abs=1e-12)
    assert stats.median_spm == pytest.approx(175.0, abs=1e-12)  # between the halves
    assert (stats.p10_spm, stats.p90_spm) == pytest.approx((170.0, 180.0), abs=1e-12)
    assert stats.std_spm == pytest.approx(5.0, abs=1e-12)
    assert (stats.time_s, stats.samples) == (600.0, 600)


def test_statistics_are_weighted_by_time_not_by_record():
    # Smart recording: ten records 1 s apart at 160, then one record at 180 that stands for
    # 50 s (max_gap_s raised so that interval is kept), then a final record.
    t = np.array([*range(10), 10.0, 60.0])
    spm = np.array([160.0] * 10 + [180.0, 180.0])
    weight_s = cadence.interval_weights_s(timestamp_s=t, max_gap_s=60.0)
    assert weight_s[:11].tolist() == [1.0] * 10 + [50.0]
    stats = cadence.cadence_stats(cadence_spm=spm, weight_s=weight_s)
    # The final record stands for the median interval, 1 s.
    assert stats.mean_spm == pytest.approx((10 * 160 + 50 * 180 + 1 * 180) / 61, abs=1e-9)
    assert stats.mean_spm == pytest.approx((10 * 160 + 50 * 180) / 60, abs=0.1)
    assert stats.median_spm == pytest.approx(180.0)  # a record-weighted median would be 160


def test_zero_cadence_at_a_stop_does_not_drag_the_mean():
    spm = np.where((T600 > 200) & (T600 < 260), 0.0, 172.0)  # the watch writes 0 when stopped
    stats = cadence.cadence_stats(cadence_spm=spm, weight_s=ONE_S)
    assert stats.mean_spm == pytest.approx(172.0, abs=1e-12)
    assert stats.time_s == pytest.approx(541.0)


def test_a_standing_stretch_excluded_by_the_moving_mask_is_left_out():
    speed_mps = np.where((T600 >= 200) & (T600 < 260), 0.0, 3.0)
    spm = np.where(speed_mps > 0, 172.0, 120.0)  # shuffling at a crossing: plausible but idle
    moving = cadence.moving_mask(speed_mps=speed_mps, cadence_spm=spm)
    stats = cadence.cadence_stats(cadence_spm=spm, weight_s=np.where(moving, ONE_S, 0.0))
    assert stats.mean_spm == pytest.approx(172.0, abs=1e-12) and stats.time_s == 540.0


def test_implausible_values_are_dropouts():
    spm = np.array([59.0, 60.0, 170.0, 260.0, 261.0, np.inf, np.nan])
    stats = cadence.cadence_stats(cadence_spm=spm, weight_s=np.ones(7))
    assert stats.samples == 3 and stats.mean_spm == pytest.approx((60 + 170 + 260) / 3)


@pytest.mark.parametrize(
    "spm,weight_s",
    [
        (np.array([]), np.array([])),
        (np.full(10, np.nan), np.ones(10)),
        (np.zeros(10), np.ones(10)),
        (np.full(10, 170.0), np.zeros(10)),
        (np.full(3, 170.0), np.array([np.nan, -1.0, 0.0])),
    ],
)
def test_no_usable_cadence_gives_none_not_errors(spm, weight_s):
    stats = cadence.cadence_stats(cadence_spm=spm, weight_s=weight_s)
    assert stats == cadence.CadenceStats(None, None, None, None, None, time_s=0.0, samples=0)
    assert (
        cadence.time_in_band_pct(cadence_spm=spm, weight_s=weight_s, low_spm=170, high_spm=180)
        is None
    )
    assert cadence.cadence_drift(cadence_spm=spm, weight_s=weight_s).drift_spm is None
    edges, seconds = cadence.cadence_histogram(cadence_spm=spm, weight_s=weight_s)
    assert seconds.sum() == 0.0 and len(edges) == len(seconds) + 1


def test_time_in_band_is_inclusive_and_time_weighted():
    assert cadence.time_in_band_pct(
        cadence_spm=HALVES_SPM, weight_s=ONE_S, low_spm=170, high_spm=180
    ) == pytest.approx(100.0)
    assert cadence.time_in_band_pct(
        cadence_spm=HALVES_SPM, weight_s=ONE_S, low_spm=171, high_spm=185
    ) == pytest.approx(50.0)
    # Three times as much time at 180 as at 170.
    weight_s = np.where(T600 < 300, 1.0, 3.0)
    assert cadence.time_in_band_pct(
        cadence_spm=HALVES_SPM, weight_s=weight_s, low_spm=175, high_spm=185
    ) == pytest.approx(75.0)


def test_histogram_bins_seconds_and_adds_up_to_time_with_cadence():
    spm = 160 + 20 * np.sin(T600 / 30)
    spm[::50] = 0.0  # dropouts: not counted
    weight_s = cadence.interval_weights_s(timestamp_s=T600)
    edges, seconds = cadence.cadence_histogram(cadence_spm=spm, weight_s=weight_s)
    assert edges[0] == 120 and edges[-1] == 220 and np.diff(edges) == pytest.approx(5.0)
    assert seconds.sum() == pytest.approx(
        cadence.cadence_stats(cadence_spm=spm, weight_s=weight_s).time_s
    )


def test_histogram_puts_outliers_in_the_end_bins_and_keeps_every_second():
    spm = np.array([100.0, 172.0, 172.0, 240.0])
    edges, seconds = cadence.cadence_histogram(
        cadence_spm=spm, weight_s=np.array([2.0, 1.0, 1.0, 4.0]), low_spm=120, high_spm=222
    )
    assert edges[-1] == 225  # the last bin is whole, so it reaches past high_spm
    assert seconds[0] == 2.0 and seconds[-1] == 4.0
    assert seconds[np.searchsorted(edges, 172.0, side="right") - 1] == 2.0
    assert seconds.sum() == 8.0


def test_drift_compares_the_last_third_of_time_with_the_first():
    drift = cadence.cadence_drift(cadence_spm=HALVES_SPM, weight_s=ONE_S)
    assert (drift.first_third_spm, drift.last_third_spm) == pytest.approx((170.0, 180.0))
    assert drift.drift_spm == pytest.approx(10.0, abs=1e-12)
    assert drift.drift_pct == pytest.approx(100 * 10 / 170, abs=1e-12)


def test_drift_thirds_are_cut_by_time_not_by_record_count():
    # 300 records 1 s apart at 180, then 30 records 10 s apart at 170: 600 s in all. By record
    # count the first third would be all 180 and the last third all 170.
    t = np.concatenate([np.arange(300.0), 300.0 + 10 * np.arange(30)])
    spm = np.where(t < 300, 180.0, 170.0)
    weight_s = cadence.interval_weights_s(timestamp_s=t)
    drift = cadence.cadence_drift(cadence_spm=spm, weight_s=weight_s)
    assert drift.first_third_spm == pytest.approx(180.0)
    assert drift.last_third_spm == pytest.approx(170.0)
    assert drift.drift_spm == pytest.approx(-10.0)


def test_a_record_straddling_a_third_counts_for_its_share():
    # Three records of 100 s each at 170, 176, 182: each third is exactly one record...
    exact = cadence.cadence_drift(
        cadence_spm=np.array([170.0, 176.0, 182.0]), weight_s=np.full(3, 100.0)
    )
    assert exact.drift_spm == pytest.approx(12.0)
    # ...and with 150 s each the middle record is half in the first third and half in the last.
    straddled = cadence.cadence_drift(
        cadence_spm=np.array([170.0, 176.0]), weight_s=np.full(2, 150.0)
    )
    assert straddled.first_third_spm == pytest.approx(170.0)
    assert straddled.last_third_spm == pytest.approx(176.0)


def test_drift_needs_enough_time():
    short = cadence.cadence_drift(cadence_spm=HALVES_SPM[:120], weight_s=ONE_S[:120])
    assert short == cadence.Drift(None, None, None, None)
    allowed = cadence.cadence_drift(
        cadence_spm=HALVES_SPM[:120], weight_s=ONE_S[:120], min_time_s=60
    )
    assert allowed.drift_spm == pytest.approx(0.0)


@pytest.mark.parametrize(
    "values,weight_s,q,expected",
    [
        ([170.0, 180.0], [1.0, 1.0], 0.5, 175.0),  # on the border: the mean of both
        ([160.0, 180.0, 170.0], [1.0, 1.0, 1.0], 0.5, 170.0),
        ([160.0, 180.0], [10.0, 50.0], 0.5, 180.0),  # time decides, not record count
        ([160.0, 180.0], [10.0, 50.0], 0.1, 160.0),
        ([160.0, 180.0], [10.0, 50.0], 0.0, 160.0),
        ([160.0, 180.0], [10.0, 50.0], 1.0, 180.0),
        ([160.0, np.nan, 180.0], [1.0, 5.0, 0.0], 0.9, 160.0),  # NaN or timeless: ignored
        ([np.nan], [1.0], 0.5, None),
        ([], [], 0.5, None),
    ],
)
def test_weighted_quantile(values, weight_s, q, expected):
    found = cadence.weighted_quantile(
        values=np.array(values, dtype=float), weight_s=np.array(weight_s, dtype=float), q=q
    )
    assert found == (None if expected is None else pytest.approx(expected, abs=1e-12))


def test_distribution_is_time_weighted():
    values = np.array([10.0, 20.0, np.nan])
    found = cadence.distribution(values=values, weight_s=np.array([1.0, 3.0, 5.0]))
    assert found.mean == pytest.approx(17.5)
    assert found.time_s == 4.0
    assert found.p10 == pytest.approx(10.0) and found.p90 == pytest.approx(20.0)
    assert cadence.distribution(values=np.full(3, np.nan), weight_s=np.ones(3)) is None


def test_running_dynamics_summary_skips_absent_and_empty_series():
    stance_ms = np.where(T600 < 300, 240.0, 260.0)
    stance_ms[:10] = 0.0  # dropouts at the start
    summary = cadence.running_dynamics_summary(
        weight_s=ONE_S,
        stance_time_ms=stance_ms,
        vertical_oscillation_mm=np.full(600, np.nan),
        vertical_ratio_pct=np.full(600, 8.2),
    )
    assert set(summary) == {"stance_time_ms", "vertical_ratio_pct"}
    assert summary["stance_time_ms"].mean == pytest.approx((290 * 240 + 300 * 260) / 590)
    assert summary["stance_time_ms"].median == pytest.approx(260.0, abs=0.5)
    assert summary["vertical_ratio_pct"].p90 == pytest.approx(8.2)
    assert cadence.running_dynamics_summary(weight_s=ONE_S) == {}


def test_results_are_plain_floats():
    stats = cadence.cadence_stats(cadence_spm=HALVES_SPM, weight_s=ONE_S)
    for value in (stats.mean_spm, stats.median_spm, stats.p10_spm, stats.std_spm, stats.time_s):
        assert type(value) is float and math.isfinite(value)
