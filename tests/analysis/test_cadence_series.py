"""Compact chart series (analysis.core.runs.cadence.downsample_series)."""

import json

import numpy as np
import pytest

from analysis.core.runs import cadence


def test_one_hertz_records_give_one_point_per_second():
    t = 1_700_000_000 + np.arange(5.0)
    out = cadence.downsample_series(timestamp_s=t, values={"spm": np.arange(170.0, 175.0)})
    assert out == {"t_s": [0.0, 1.0, 2.0, 3.0, 4.0], "spm": [170.0, 171.0, 172.0, 173.0, 174.0]}


def test_long_runs_get_coarser_buckets_with_nan_safe_means():
    t = np.arange(10.0)
    spm = np.array([170.0, 172, np.nan, np.nan, 180, 180, 180, 180, 180, 181])
    out = cadence.downsample_series(timestamp_s=t, values={"spm": spm}, max_points=5)
    assert out["t_s"] == [0.0, 2.0, 4.0, 6.0, 8.0]
    assert out["spm"] == [171.0, None, 180.0, 180.0, 180.5]


@pytest.mark.parametrize("seconds,max_points", [(3600, 2000), (7200, 2000), (10, 3), (11, 5)])
def test_never_more_than_max_points(seconds, max_points):
    t = np.arange(seconds + 1.0)
    out = cadence.downsample_series(timestamp_s=t, values={"x": t}, max_points=max_points)
    assert 0 < len(out["t_s"]) <= max_points and len(out["x"]) == len(out["t_s"])


def test_sparse_smart_recording_stays_one_line():
    t = np.array([0.0, 4.0, 9.0, 12.0, 19.0])  # records up to 7 s apart
    out = cadence.downsample_series(timestamp_s=t, values={"spm": np.full(5, 172.0)})
    assert out["t_s"] == [0.0, 4.0, 9.0, 12.0, 19.0]
    assert None not in out["spm"]


def test_a_recording_gap_breaks_the_line_once():
    t = np.concatenate([np.arange(3.0), 100 + np.arange(3.0)])
    out = cadence.downsample_series(timestamp_s=t, values={"spm": np.full(6, 172.0)})
    assert out["t_s"] == [0.0, 1.0, 2.0, 3.0, 100.0, 101.0, 102.0]
    assert out["spm"] == [172.0, 172.0, 172.0, None, 172.0, 172.0, 172.0]


def test_values_are_rounded_and_json_ready():
    t = np.arange(4.0)
    values = {"speed_mps": np.array([3.14159, np.nan, np.inf, 2.0]), "hr": np.full(4, np.nan)}
    out = cadence.downsample_series(timestamp_s=t, values=values)
    assert out["speed_mps"] == [3.14, None, None, 2.0]
    assert out["hr"] == [None] * 4
    json.dumps(out, allow_nan=False)


def test_unsorted_and_missing_timestamps_are_handled():
    t = np.array([2.0, np.nan, 0.0, 1.0])
    out = cadence.downsample_series(timestamp_s=t, values={"x": np.array([12.0, 99, 10, 11])})
    assert out == {"t_s": [0.0, 1.0, 2.0], "x": [10.0, 11.0, 12.0]}


def test_coarser_every_s():
    t = np.arange(10.0)
    out = cadence.downsample_series(timestamp_s=t, values={"x": t}, every_s=5.0)
    assert out == {"t_s": [0.0, 5.0], "x": [2.0, 7.0]}


def test_no_records_give_empty_lists():
    out = cadence.downsample_series(timestamp_s=np.array([]), values={"spm": np.array([])})
    assert out == {"t_s": [], "spm": []}


def test_ten_points_thinned_to_five_average_each_pair():
    t = np.arange(10.0)
    out = cadence.downsample_series(timestamp_s=t, values={"x": t}, max_points=5)
    assert out["t_s"] == [0.0, 2.0, 4.0, 6.0, 8.0] and out["x"] == [0.5, 2.5, 4.5, 6.5, 8.5]
