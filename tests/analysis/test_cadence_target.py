"""The personalised cadence target band (analysis.core.runs.cadence.personal_target_spm)."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.core.runs import cadence

target = cadence.personal_target_spm
HEIGHTS_CM = st.floats(min_value=100, max_value=250)
SPEEDS_MPS = st.floats(min_value=0.1, max_value=12)


@pytest.mark.parametrize(
    "height_cm,speed_mps",
    [(None, None), (172, None), (None, 3.0), (172, 3.0), (math.nan, math.nan), (1.72, 0.0)],
)
def test_the_reference_runner_and_unknowns_get_the_default_band(height_cm, speed_mps):
    assert target(height_cm=height_cm, speed_mps=speed_mps) == (170, 180)


@pytest.mark.parametrize(
    "height_cm,speed_mps,expected",
    [
        (155, None, (179, 190)),  # sqrt(172/155) = 1.0534
        (195, None, (160, 169)),  # sqrt(172/195) = 0.9392
        (172, 4.5, (180, 191)),  # 1 + 0.04 x 1.5 = 1.06
        (172, 2.5, (167, 176)),  # 1 - 0.04 x 0.5 = 0.98
        (160, 4.0, (183, 194)),  # 1.0368 x 1.04 = 1.0783
        (172, 9.0, (187, 198)),  # speed held at 5.5 m/s: 1.10
        (172, 1.0, (163, 173)),  # speed held at 2.0 m/s: 0.96
        (120, 5.5, (189, 200)),  # limited: the band keeps its width under 200
        (250, 2.0, (155, 164)),  # limited: the band keeps its width over 155
    ],
)
def test_known_answers(height_cm, speed_mps, expected):
    assert target(height_cm=height_cm, speed_mps=speed_mps) == expected


def test_shorter_and_faster_runners_get_a_higher_band():
    assert target(height_cm=155) > target(height_cm=172) > target(height_cm=195)
    assert target(speed_mps=4.5) > target(speed_mps=3.0) > target(speed_mps=2.2)


@given(height_cm=HEIGHTS_CM, speed_mps=st.none() | SPEEDS_MPS)
def test_the_band_is_whole_ordered_and_within_limits(height_cm, speed_mps):
    low, high = target(height_cm=height_cm, speed_mps=speed_mps)
    assert type(low) is int and type(high) is int
    assert 155 <= low < high <= 200


@given(a=HEIGHTS_CM, b=HEIGHTS_CM, speed_mps=st.none() | SPEEDS_MPS)
def test_a_taller_runner_never_gets_a_higher_band(a, b, speed_mps):
    short, tall = min(a, b), max(a, b)
    short_band = target(height_cm=short, speed_mps=speed_mps)
    tall_band = target(height_cm=tall, speed_mps=speed_mps)
    assert tall_band[0] <= short_band[0] and tall_band[1] <= short_band[1]


@given(a=SPEEDS_MPS, b=SPEEDS_MPS, height_cm=st.none() | HEIGHTS_CM)
def test_a_faster_runner_never_gets_a_lower_band(a, b, height_cm):
    slow, fast = min(a, b), max(a, b)
    slow_band = target(height_cm=height_cm, speed_mps=slow)
    fast_band = target(height_cm=height_cm, speed_mps=fast)
    assert fast_band[0] >= slow_band[0] and fast_band[1] >= slow_band[1]
