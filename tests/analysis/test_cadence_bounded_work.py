"""Splits, lap splits, timer pauses and speed bins do about one pass of work whatever the input
(at most MAX_SPLITS splits; each split, pause and bin looks only at its own records), and give
the same answers as the plain definitions, written out here over every record."""

import math

import numpy as np
import pytest

from analysis.core.runs import cadence


def _walk(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A run with stops, GPS gaps (NaN distances) and irregular sampling: t, distance, spm."""
    rng = np.random.default_rng(seed)
    t = np.cumsum(rng.integers(1, 6, n)).astype(float)
    distance = np.cumsum(rng.choice([0.0, 2.5, 3.0, 3.5], n) * np.diff(t, prepend=t[0]))
    distance[rng.random(n) < 0.05] = np.nan
    return t, distance, rng.normal(172, 6, n)


def _plain_splits(t, distance, spm, weight, every_m):
    """The definition: each record's distance span shared between the splits it crosses."""
    along = cadence._along_m(distance_m=distance, timestamp_s=t)
    ends = np.append(along[1:], np.nan)
    ends = np.where(np.isfinite(ends), ends, along)
    total = np.nanmax(along)
    out = []
    for i in range(math.ceil(total / every_m)):
        lo, hi = i * every_m, min((i + 1) * every_m, total)
        if i > 0 and hi - lo < cadence.MIN_LAST_SPLIT_M:
            break
        length = ends - along
        with np.errstate(invalid="ignore", divide="ignore"):
            inside = np.clip(np.minimum(ends, hi) - np.maximum(along, lo), 0, None)
            share = np.where(length > 0, inside / length, 0.0)
            point = (length == 0) & ((along > lo) | (i == 0)) & (along <= hi)
        share = np.nan_to_num(np.where(point, 1.0, share))
        w = weight * share
        mean = np.average(spm[w > 0], weights=w[w > 0]) if (w > 0).any() else None
        out.append((hi - lo, w.sum(), mean))
    return out


@pytest.mark.parametrize("seed", range(5))
def test_splits_match_their_definition(seed):
    t, distance, spm = _walk(3000, seed)
    weight = cadence.interval_weights_s(timestamp_s=t, distance_m=distance)
    ours = cadence.splits(distance_m=distance, cadence_spm=spm, weight_s=weight, timestamp_s=t)
    plain = _plain_splits(t, distance, spm, weight, 1000.0)
    assert len(ours) == len(plain) > 5
    for split, (length, seconds, mean) in zip(ours, plain, strict=True):
        assert split.distance_m == pytest.approx(length)
        assert split.moving_time_s == pytest.approx(seconds, rel=1e-12)
        assert split.avg_cadence_spm == pytest.approx(mean, rel=1e-12)


@pytest.mark.parametrize(
    "total_m,every_m",
    [(900, 1000), (200_000, 1000), (200_001, 2000), (400_001, 5000), (2e6, 10_000)],
)
def test_split_length_grows_along_one_two_five(total_m, every_m):
    assert cadence.split_every_m(total_m=total_m) == every_m


def test_a_forty_thousand_km_distance_makes_at_most_max_splits():
    distance = np.where(np.arange(10) % 2, 4e7, 0.0)
    out = cadence.splits(distance_m=distance, cadence_spm=np.full(10, 170.0), weight_s=np.ones(10))
    assert len(out) <= cadence.MAX_SPLITS
    assert sum(s.distance_m for s in out) == pytest.approx(2e8)  # 5 jumps of 40,000 km
    assert sum(s.moving_time_s for s in out) == pytest.approx(10)


def test_lap_splits_look_only_at_their_records():
    t, distance, spm = _walk(500, 7)
    weight = np.ones(500)
    laps = [(0, 100, None), (100, 350, 1000.0), (350, 500, None)]
    out = cadence.lap_splits(laps=laps, cadence_spm=spm, weight_s=weight, distance_m=distance)
    for split, (first, stop, _) in zip(out, laps, strict=True):
        assert split.moving_time_s == stop - first
        assert split.avg_cadence_spm == pytest.approx(spm[first:stop].mean())
    assert out[1].distance_m == 1000.0


def _plain_paused_weights(t, pauses):
    dt = np.append(np.diff(t), np.nan)
    for stop, start in pauses:
        dt -= np.clip(np.minimum(np.append(t[1:], np.nan), start) - np.maximum(t, stop), 0, None)
    return dt


def test_many_timer_pauses_are_taken_out_as_their_definition_says():
    rng = np.random.default_rng(3)
    t = np.cumsum(rng.integers(1, 4, 20_000)).astype(float)
    cuts = np.sort(rng.choice(np.arange(t[0], t[-1]), 4000, replace=False))
    pauses = [(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=True)]
    ours = cadence.interval_weights_s(timestamp_s=t, pauses=pauses, max_gap_s=1e9)
    plain = _plain_paused_weights(t, pauses)
    kept = np.isfinite(plain) & (plain > 0)
    assert np.allclose(ours[:-1][kept[:-1]], plain[:-1][kept[:-1]], rtol=0, atol=1e-9)
    assert (ours[:-1][~kept[:-1]] == 0).all()


def test_overlapping_pauses_count_once():
    t = np.array([0.0, 10.0, 20.0])
    weight = cadence.interval_weights_s(timestamp_s=t, pauses=[(2, 6), (4, 8)])
    assert list(weight[:2]) == [4.0, 10.0]


def test_speed_bins_match_their_definition():
    rng = np.random.default_rng(5)
    speed = rng.uniform(2, 6, 5000)
    spm = 150 + 6 * speed + rng.normal(0, 2, 5000)
    out = cadence.cadence_vs_pace(speed_mps=speed, cadence_spm=spm, weight_s=np.ones(5000))
    bins = np.floor(speed / 0.25)
    for centre, seconds, mean in zip(out.speed_mps, out.time_s, out.cadence_spm, strict=True):
        chosen = bins == math.floor(centre / 0.25)
        assert seconds == chosen.sum() and mean == pytest.approx(spm[chosen].mean(), rel=1e-12)
    assert len(out.speed_mps) == 16
