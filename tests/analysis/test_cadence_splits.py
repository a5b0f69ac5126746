"""Distance splits and lap splits (analysis.core.runs.cadence.splits, lap_splits)."""

import numpy as np
import pytest

from analysis.core.runs import cadence


def _run(*, speed_mps, seconds, hz=1.0):
    """A steady run: timestamps, cumulative distance and 1/hz-second weights."""
    t = np.arange(round(seconds * hz) + 1) / hz
    return t, speed_mps * t, cadence.interval_weights_s(timestamp_s=t)


def test_three_splits_at_a_steady_three_metres_per_second():
    t, dist, weight_s = _run(speed_mps=3.0, seconds=700)  # 2100 m
    out = cadence.splits(
        distance_m=dist, timestamp_s=t, cadence_spm=np.full(t.size, 172.0), weight_s=weight_s
    )
    assert [s.index for s in out] == [1, 2, 3]
    assert [s.distance_m for s in out] == pytest.approx([1000.0, 1000.0, 100.0])
    assert [s.pace_s_per_km for s in out[:2]] == pytest.approx([1000 / 3] * 2, abs=1e-6)
    assert [s.avg_cadence_spm for s in out] == pytest.approx([172.0] * 3)
    # The final record covers no distance; it stands for one nominal second in the last split.
    assert out[2].moving_time_s == pytest.approx(100 / 3 + 1, abs=1e-6)
    # A record straddling a kilometre shares its time, so no time is lost or counted twice.
    assert sum(s.moving_time_s for s in out) == pytest.approx(weight_s.sum(), abs=1e-9)


def test_without_the_final_nominal_second_every_split_has_the_exact_pace():
    t, dist, weight_s = _run(speed_mps=3.0, seconds=700)
    weight_s[-1] = 0.0
    out = cadence.splits(
        distance_m=dist, timestamp_s=t, cadence_spm=np.full(t.size, 172.0), weight_s=weight_s
    )
    assert [s.pace_s_per_km for s in out] == pytest.approx([1000 / 3] * 3, abs=1e-6)


def test_each_split_has_its_own_cadence_and_heart_rate():
    # 2.5 m/s: records fall on the kilometre marks, so each record lies in one split.
    t, dist, weight_s = _run(speed_mps=2.5, seconds=840)  # 2100 m
    spm = np.select([dist < 1000, dist < 2000], [170.0, 176.0], 182.0)
    hr = np.select([dist < 1000, dist < 2000], [140.0, 150.0], 160.0)
    hr[5] = 0.0  # a strap dropout
    out = cadence.splits(
        distance_m=dist, timestamp_s=t, cadence_spm=spm, weight_s=weight_s, heart_rate_bpm=hr
    )
    assert [s.avg_cadence_spm for s in out] == pytest.approx([170.0, 176.0, 182.0], abs=1e-9)
    assert [s.avg_hr_bpm for s in out] == pytest.approx([140.0, 150.0, 160.0], abs=1e-9)
    assert [s.pace_s_per_km for s in out[:2]] == pytest.approx([400.0, 400.0], abs=1e-9)


def test_a_short_last_piece_is_dropped_and_a_long_one_kept():
    t, dist, weight_s = _run(speed_mps=3.0, seconds=680)  # 2040 m
    spm = np.full(t.size, 172.0)
    out = cadence.splits(distance_m=dist, timestamp_s=t, cadence_spm=spm, weight_s=weight_s)
    assert [round(s.distance_m) for s in out] == [1000, 1000]
    out = cadence.splits(
        distance_m=dist, timestamp_s=t, cadence_spm=spm, weight_s=weight_s, min_last_m=30
    )
    assert [round(s.distance_m) for s in out] == [1000, 1000, 40]


def test_other_split_lengths():
    t, dist, weight_s = _run(speed_mps=3.0, seconds=700)
    out = cadence.splits(
        distance_m=dist,
        timestamp_s=t,
        cadence_spm=np.full(t.size, 172.0),
        weight_s=weight_s,
        every_m=1609.344,  # miles
    )
    assert [round(s.distance_m) for s in out] == [1609, 491]
    assert out[0].pace_s_per_km == pytest.approx(1000 / 3, abs=1e-6)


def test_standing_time_excluded_by_weights_does_not_slow_the_split():
    t = np.arange(761.0)
    speed = np.where((t >= 100) & (t < 160), 0.0, 3.0)  # a minute at a crossing
    dist = np.concatenate([[0.0], np.cumsum(speed[:-1])])  # 2100 m
    weight_s = cadence.interval_weights_s(timestamp_s=t)
    moving = cadence.moving_mask(speed_mps=speed)
    out = cadence.splits(
        distance_m=dist,
        timestamp_s=t,
        cadence_spm=np.full(t.size, 172.0),
        weight_s=np.where(moving, weight_s, 0.0),
    )
    assert out[0].pace_s_per_km == pytest.approx(1000 / 3, abs=1e-6)


def test_missing_distances_are_interpolated_in_time():
    t, dist, weight_s = _run(speed_mps=3.0, seconds=700)
    dist[300:400] = np.nan  # a GPS dropout across the first kilometre mark
    out = cadence.splits(
        distance_m=dist, timestamp_s=t, cadence_spm=np.full(t.size, 172.0), weight_s=weight_s
    )
    assert out[0].moving_time_s == pytest.approx(1000 / 3, abs=1e-6)


def test_records_before_the_first_distance_are_left_out():
    t, dist, weight_s = _run(speed_mps=3.0, seconds=710)  # 2130 m
    dist[:10] = np.nan  # no GPS fix for 30 m; the count starts at the first fix
    out = cadence.splits(
        distance_m=dist, timestamp_s=t, cadence_spm=np.full(t.size, 172.0), weight_s=weight_s
    )
    assert [s.distance_m for s in out] == pytest.approx([1000.0, 1000.0, 100.0])
    assert out[0].moving_time_s == pytest.approx(1000 / 3, abs=1e-6)


def test_a_distance_reset_between_chained_segments_carries_on():
    t, dist, weight_s = _run(speed_mps=3.0, seconds=710)  # 2130 m
    dist[350:] -= dist[350]  # a second session starting its own count at 0 (1050 m in)
    out = cadence.splits(
        distance_m=dist, timestamp_s=t, cadence_spm=np.full(t.size, 172.0), weight_s=weight_s
    )
    # The 3 m between the first session's last record and the reset are not in the data.
    assert [s.distance_m for s in out] == pytest.approx([1000.0, 1000.0, 127.0])
    assert out[0].pace_s_per_km == pytest.approx(1000 / 3, abs=1e-6)


def test_no_distance_gives_no_splits():
    nan = np.full(10, np.nan)
    assert cadence.splits(distance_m=nan, cadence_spm=nan, weight_s=np.ones(10)) == []
    assert cadence.splits(distance_m=np.zeros(10), cadence_spm=nan, weight_s=np.ones(10)) == []
    empty = np.array([])
    assert cadence.splits(distance_m=empty, cadence_spm=empty, weight_s=empty) == []


def test_without_timestamps_gaps_are_interpolated_by_record_position():
    t, dist, weight_s = _run(speed_mps=3.0, seconds=700)
    out = cadence.splits(distance_m=dist, cadence_spm=np.full(t.size, 172.0), weight_s=weight_s)
    assert [round(s.distance_m) for s in out] == [1000, 1000, 100]


def test_lap_splits_use_the_lap_distance_or_measure_it():
    t, dist, weight_s = _run(speed_mps=2.5, seconds=840)
    spm = np.where(t < 400, 170.0, 180.0)
    laps = [(0, 400, 1000.0), (400, 841, None)]
    out = cadence.lap_splits(laps=laps, cadence_spm=spm, weight_s=weight_s)
    assert [s.moving_time_s for s in out] == pytest.approx([400.0, 441.0])
    assert out[0].pace_s_per_km == pytest.approx(400.0)
    assert out[1].distance_m is None and out[1].pace_s_per_km is None
    assert [s.avg_cadence_spm for s in out] == pytest.approx([170.0, 180.0])
    measured = cadence.lap_splits(
        laps=[(0, 400), (400, 841)], cadence_spm=spm, weight_s=weight_s, distance_m=dist
    )
    assert [s.distance_m for s in measured] == pytest.approx([1000.0, 1100.0])
    assert measured[0] == out[0]


def test_an_empty_lap_has_no_time_and_no_averages():
    out = cadence.lap_splits(
        laps=[(5, 5, 0.0)], cadence_spm=np.full(10, 170.0), weight_s=np.ones(10)
    )
    assert out == [cadence.Split(1, 0.0, 0.0, None, None, None)]
