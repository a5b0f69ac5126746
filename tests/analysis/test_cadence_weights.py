"""Time weights and moving time: what each record stands for (analysis.core.runs.cadence)."""

import numpy as np
import pytest

from analysis.core.runs import cadence


def test_one_hertz_records_each_stand_for_one_second():
    weight_s = cadence.interval_weights_s(timestamp_s=np.arange(600.0))
    assert weight_s.shape == (600,)
    assert weight_s == pytest.approx(np.ones(600), abs=1e-12)


def test_smart_recording_records_stand_for_their_own_interval():
    t = np.array([0.0, 1.0, 3.0, 8.0, 9.0])
    weight_s = cadence.interval_weights_s(timestamp_s=t)
    # The last record gets the median of the intervals 1, 2, 5, 1: 1.5 s.
    assert weight_s.tolist() == pytest.approx([1.0, 2.0, 5.0, 1.0, 1.5], abs=1e-12)


def test_a_recording_gap_longer_than_max_gap_counts_nothing():
    t = np.concatenate([np.arange(100.0), 400.0 + np.arange(100.0)])
    weight_s = cadence.interval_weights_s(timestamp_s=t)
    assert weight_s[99] == 0.0  # the 301 s to the next record: the watch was not recording
    assert weight_s.sum() == pytest.approx(199.0, abs=1e-9)
    assert cadence.interval_weights_s(timestamp_s=t, max_gap_s=400.0).sum() == pytest.approx(
        500.0, abs=1e-9
    )


def test_a_long_interval_counts_when_the_distance_shows_movement():
    # Smart recording skipped 14 s of steady walking (21 m), then 115 s of standing (1 m).
    t = np.array([0.0, 1.0, 15.0, 16.0, 131.0, 132.0])
    dist = np.array([0.0, 1.5, 22.5, 24.0, 25.0, 26.5])
    weight_s = cadence.interval_weights_s(timestamp_s=t, distance_m=dist)
    assert weight_s.tolist() == pytest.approx([1.0, 14.0, 1.0, 0.0, 1.0, 1.0])
    assert cadence.interval_weights_s(timestamp_s=t)[1] == 0.0  # without distance: a gap
    nan_dist = np.full(6, np.nan)
    assert cadence.interval_weights_s(timestamp_s=t, distance_m=nan_dist)[1] == 0.0


def test_a_timer_pause_contributes_no_time():
    t = np.concatenate([np.arange(100.0), 220.0 + np.arange(380.0)])  # stopped 100-220 s
    weight_s = cadence.interval_weights_s(timestamp_s=t, pauses=[(99.5, 220.0)])
    # The record at 99 s stands for the half second before the stop, not for the pause.
    assert weight_s[99] == pytest.approx(0.5, abs=1e-12)
    assert weight_s.sum() == pytest.approx(99.5 + 380.0, abs=1e-9)


def test_a_short_pause_is_taken_out_of_the_interval_it_falls_in():
    t = np.array([0.0, 1.0, 9.0, 10.0])
    weight_s = cadence.interval_weights_s(timestamp_s=t, pauses=[(2.0, 8.0)])
    assert weight_s.tolist() == pytest.approx([1.0, 2.0, 1.0, 1.0], abs=1e-12)


def test_records_written_during_a_pause_count_nothing():
    t = np.arange(600.0)
    weight_s = cadence.interval_weights_s(timestamp_s=t, pauses=[(100.0, 220.0)])
    assert weight_s[100:220].sum() == 0.0
    assert weight_s.sum() == pytest.approx(600.0 - 120.0, abs=1e-9)


def test_the_last_record_counts_nothing_when_the_timer_is_stopped():
    t = np.arange(10.0)
    weight_s = cadence.interval_weights_s(timestamp_s=t, pauses=[(9.0, 30.0)])
    assert weight_s[-1] == 0.0 and weight_s.sum() == pytest.approx(9.0)


@pytest.mark.parametrize(
    "t,expected",
    [
        ([], []),
        ([5.0], [1.0]),  # a lone record: the 1 s default
        ([0.0, 0.0, 1.0], [0.0, 1.0, 1.0]),  # a duplicate timestamp stands for nothing
        ([0.0, 2.0, 1.0, 3.0], [2.0, 0.0, 2.0, 2.0]),  # a backward step counts nothing
        ([0.0, np.nan, 2.0], [0.0, 0.0, 1.0]),  # no interval survives a missing time
    ],
)
def test_degenerate_timestamps_give_finite_non_negative_weights(t, expected):
    weight_s = cadence.interval_weights_s(timestamp_s=np.array(t, dtype=float))
    assert np.all(np.isfinite(weight_s)) and np.all(weight_s >= 0)
    assert weight_s.tolist() == pytest.approx(expected)


def test_standing_still_is_not_moving():
    speed_mps = np.array([3.0, 0.6, 0.5, 0.4, 0.0])
    moving = cadence.moving_mask(speed_mps=speed_mps)
    assert moving.tolist() == [True, True, True, False, False]


def test_without_speed_a_plausible_cadence_means_moving():
    speed_mps = np.full(5, np.nan)
    cadence_spm = np.array([0.0, 168.0, np.nan, 300.0, 110.0])
    moving = cadence.moving_mask(speed_mps=speed_mps, cadence_spm=cadence_spm)
    assert moving.tolist() == [False, True, False, False, True]
    assert not cadence.moving_mask(speed_mps=speed_mps).any()


def test_a_known_speed_wins_over_cadence():
    moving = cadence.moving_mask(speed_mps=np.array([0.0]), cadence_spm=np.array([170.0]))
    assert moving.tolist() == [False]


def test_moving_time_leaves_out_standing_and_paused_time():
    t = np.arange(600.0)
    speed_mps = np.where((t >= 200) & (t < 260), 0.0, 3.0)  # a minute at a crossing
    weight_s = cadence.interval_weights_s(timestamp_s=t, pauses=[(400.0, 520.0)])
    moving = cadence.moving_mask(speed_mps=speed_mps)
    assert cadence.moving_time_s(weight_s=weight_s, moving=moving) == pytest.approx(
        600.0 - 60.0 - 120.0, abs=1e-9
    )
    assert cadence.moving_time_s(weight_s=weight_s) == pytest.approx(480.0, abs=1e-9)
