"""Cadence analytics on synthetic series with known answers (tolerances stated per test)."""

import numpy as np
import pytest

from analysis import cadence

T600 = np.arange(600.0)


def _weights(t, **kw):
    return cadence.interval_weights_s(timestamp_s=t, **kw)


def test_two_halves_give_the_exact_mean_drift_and_band():
    spm = np.where(T600 < 300, 170.0, 180.0)
    w = _weights(T600)
    stats = cadence.cadence_stats(cadence_spm=spm, weight_s=w)
    assert stats.mean_spm == pytest.approx(175.0, abs=1e-9)
    assert cadence.time_in_band_pct(cadence_spm=spm, weight_s=w, low_spm=170, high_spm=180) == 100
    assert cadence.cadence_drift(cadence_spm=spm, weight_s=w).drift_spm == pytest.approx(
        10.0, abs=1e-9
    )


def test_statistics_are_weighted_by_time_not_records():
    t = np.array([*range(10), 10.0, 60.0])  # smart recording: one record stands for 50 s
    spm = np.array([160.0] * 10 + [180.0, 180.0])
    stats = cadence.cadence_stats(cadence_spm=spm, weight_s=_weights(t, max_gap_s=60))
    # ten 1 s records at 160, one 50 s record at 180, and the last one at the median 1 s
    assert stats.mean_spm == pytest.approx((10 * 160 + 50 * 180 + 1 * 180) / 61, abs=1e-9)
    assert stats.mean_spm > 176  # a record-weighted mean would say 163.3


def test_timer_pause_and_long_gaps_count_no_time():
    t = np.concatenate([np.arange(100.0), 400 + np.arange(100.0)])
    w = _weights(t)
    assert w.sum() == pytest.approx(199.0, abs=1e-9)  # the 300 s gap is not running
    paused = _weights(T600, pauses=[(100.0, 220.0)])
    assert paused.sum() == pytest.approx(600 - 120, abs=1e-9)


def test_standing_still_is_not_moving_and_zero_cadence_does_not_drag_the_mean():
    speed = np.where((T600 > 200) & (T600 < 260), 0.0, 3.0)
    spm = np.where(speed > 0, 172.0, 0.0)
    moving = cadence.moving_mask(speed_mps=speed, cadence_spm=spm)
    w = np.where(moving, _weights(T600), 0.0)
    assert cadence.moving_time_s(weight_s=_weights(T600), moving=moving) == pytest.approx(
        541, abs=1
    )
    assert cadence.cadence_stats(cadence_spm=spm, weight_s=w).mean_spm == pytest.approx(172.0)


def test_treadmill_without_speed_moves_on_cadence():
    moving = cadence.moving_mask(
        speed_mps=np.full(3, np.nan), cadence_spm=np.array([0.0, 168, np.nan])
    )
    assert moving.tolist() == [False, True, False]


def test_kilometre_splits_at_constant_speed():
    t = np.arange(701.0)  # 3.0 m/s for 2100 m
    dist = 3.0 * t
    spm = np.select([dist <= 1000, dist <= 2000], [170.0, 176.0], 182.0)
    out = cadence.splits(distance_m=dist, cadence_spm=spm, weight_s=_weights(t))
    assert [round(s.distance_m) for s in out] == [1000, 1000, 100]
    assert out[0].pace_s_per_km == pytest.approx(1000 / 3, rel=0.01)
    assert [s.avg_cadence_spm for s in out] == pytest.approx([170, 176, 182], abs=0.01)


def test_cadence_rises_linearly_with_speed():
    speed = np.linspace(2.5, 4.5, 600)
    out = cadence.cadence_vs_pace(
        speed_mps=speed, cadence_spm=150 + 8 * speed, weight_s=_weights(T600)
    )
    assert out.slope_spm_per_mps == pytest.approx(8.0, abs=0.01)
    assert out.r2 == pytest.approx(1.0, abs=1e-6)


def test_histogram_seconds_add_up_to_time_with_cadence():
    spm = 160 + 20 * np.sin(T600 / 30)
    w = _weights(T600)
    edges, seconds = cadence.cadence_histogram(cadence_spm=spm, weight_s=w)
    assert seconds.sum() == pytest.approx(w.sum()) and len(edges) == len(seconds) + 1


def test_missing_and_empty_input_give_none_not_errors():
    empty = np.array([])
    assert cadence.cadence_stats(cadence_spm=empty, weight_s=empty).mean_spm is None
    nans = np.full(10, np.nan)
    assert (
        cadence.time_in_band_pct(cadence_spm=nans, weight_s=np.ones(10), low_spm=170, high_spm=180)
        is None
    )
    assert cadence.cadence_drift(cadence_spm=nans, weight_s=np.ones(10)).drift_spm is None
    assert cadence.splits(distance_m=nans, cadence_spm=nans, weight_s=np.ones(10)) == []


@pytest.mark.parametrize(
    "height,speed,expected", [(None, None, (170, 180)), (172, 3.0, (170, 180))]
)
def test_default_target_band(height, speed, expected):
    assert cadence.personal_target_spm(height_cm=height, speed_mps=speed) == expected


def test_shorter_and_faster_runners_get_a_higher_target():
    base = cadence.personal_target_spm(height_cm=172)
    assert (
        cadence.personal_target_spm(height_cm=155)
        > base
        > cadence.personal_target_spm(height_cm=195)
    )
    assert cadence.personal_target_spm(height_cm=172, speed_mps=4.5) > base
    # sqrt(172/155) = 1.0534: 170 -> 179, 180 -> 190
    assert cadence.personal_target_spm(height_cm=155) == (179, 190)


def test_target_stays_within_sane_limits():
    assert cadence.personal_target_spm(height_cm=100, speed_mps=9) == (200, 200)
    low, high = cadence.personal_target_spm(height_cm=250, speed_mps=1)
    assert low >= 155 and high >= low


def test_downsampled_series_keeps_means_and_gaps():
    t = np.arange(10.0)
    values = {"spm": np.array([170.0, 172, np.nan, np.nan, 180, 180, 180, 180, 180, 180])}
    out = cadence.downsample(t_s=t, values=values, max_points=5)
    assert out["t_s"] == [0, 2, 4, 6, 8]
    assert out["spm"] == [171.0, None, 180.0, 180.0, 180.0]
