"""Cadence analytics end to end on one synthetic run, and every function on empty input."""

import numpy as np
import pytest

from analysis.core.runs import cadence


def _synthetic_run():
    """25 min at 1 Hz: 10 min at 170 spm and 3.0 m/s, a 2 min timer pause (no records), a
    minute standing at a crossing (cadence 0, speed 0), then 10 min at 180 spm and 3.5 m/s.
    Heart rate 150, stance time 250 ms."""
    first = np.arange(600.0)
    crossing = 720.0 + np.arange(60.0)
    second = 780.0 + np.arange(600.0)
    t = 1_700_000_000 + np.concatenate([first, crossing, second])
    speed = np.concatenate([np.full(600, 3.0), np.zeros(60), np.full(600, 3.5)])
    spm = np.concatenate([np.full(600, 170.0), np.zeros(60), np.full(600, 180.0)])
    dist = np.concatenate([[0.0], np.cumsum(speed[:-1])])
    pause = (t[0] + 600.0, t[0] + 720.0)
    return t, speed, spm, dist, [pause]


def test_a_whole_run_from_weights_to_splits():
    t, speed, spm, dist, pauses = _synthetic_run()
    weight_s = cadence.interval_weights_s(timestamp_s=t, pauses=pauses)
    moving = cadence.moving_mask(speed_mps=speed, cadence_spm=spm)
    assert cadence.moving_time_s(weight_s=weight_s, moving=moving) == pytest.approx(1200.0)
    w = np.where(moving, weight_s, 0.0)

    stats = cadence.cadence_stats(cadence_spm=spm, weight_s=w)
    assert stats.mean_spm == pytest.approx(175.0, abs=1e-9)
    assert stats.median_spm == pytest.approx(175.0, abs=1e-9)
    assert stats.time_s == pytest.approx(1200.0)
    band = cadence.time_in_band_pct(cadence_spm=spm, weight_s=w, low_spm=170, high_spm=180)
    assert band == pytest.approx(100.0)
    assert cadence.cadence_drift(cadence_spm=spm, weight_s=w).drift_spm == pytest.approx(10.0)

    edges, seconds = cadence.cadence_histogram(cadence_spm=spm, weight_s=w)
    assert seconds.sum() == pytest.approx(1200.0)
    assert seconds[list(edges).index(170.0)] == pytest.approx(600.0)

    versus = cadence.cadence_vs_pace(speed_mps=speed, cadence_spm=spm, weight_s=w)
    assert versus.cadence_spm == pytest.approx([170.0, 180.0])
    assert versus.slope_spm_per_mps == pytest.approx(20.0)  # 10 spm over 0.5 m/s

    out = cadence.splits(distance_m=dist, timestamp_s=t, cadence_spm=spm, weight_s=w)
    # 600 s at 3.0 m/s, then 599 recorded intervals at 3.5 m/s: 3896.5 m.
    assert [s.distance_m for s in out] == pytest.approx([1000, 1000, 1000, 896.5])
    assert out[0].pace_s_per_km == pytest.approx(1000 / 3)
    # The last split also holds the final record's nominal second.
    assert out[-1].moving_time_s == pytest.approx(896.5 / 3.5 + 1)
    assert (out[0].avg_cadence_spm, out[-1].avg_cadence_spm) == pytest.approx((170.0, 180.0))
    assert sum(s.moving_time_s for s in out) == pytest.approx(1200.0)


def test_the_chart_series_breaks_at_the_pause():
    t, speed, spm, _, _ = _synthetic_run()
    out = cadence.downsample_series(timestamp_s=t, values={"speed_mps": speed}, max_points=300)
    assert len(out["t_s"]) <= 300
    pause_rows = [i for i, v in enumerate(out["speed_mps"]) if v is None]
    assert len(pause_rows) == 1 and 600 <= out["t_s"][pause_rows[0]] < 720


EMPTY = np.array([])
NANS = np.full(10, np.nan)


@pytest.mark.parametrize("x", [EMPTY, NANS], ids=["empty", "all-nan"])
def test_no_data_gives_none_or_empty_and_no_warnings(x):
    w = np.ones(x.size)
    with np.errstate(all="raise"):
        assert cadence.moving_time_s(weight_s=x * 0 + w * 0) == 0.0
        assert not cadence.moving_mask(speed_mps=x, cadence_spm=x).any()
        assert cadence.cadence_stats(cadence_spm=x, weight_s=w).mean_spm is None
        assert cadence.time_in_band_pct(cadence_spm=x, weight_s=w, low_spm=1, high_spm=2) is None
        assert cadence.cadence_drift(cadence_spm=x, weight_s=w).drift_spm is None
        assert cadence.cadence_histogram(cadence_spm=x, weight_s=w)[1].sum() == 0
        assert cadence.splits(distance_m=x, cadence_spm=x, weight_s=w) == []
        assert cadence.lap_splits(laps=[], cadence_spm=x, weight_s=w) == []
        assert cadence.cadence_vs_pace(speed_mps=x, cadence_spm=x, weight_s=w).r2 is None
        assert cadence.distribution(values=x, weight_s=w) is None
        assert cadence.running_dynamics_summary(weight_s=w, stance_time_ms=x) == {}
        assert cadence.weighted_quantile(values=x, weight_s=w, q=0.5) is None
