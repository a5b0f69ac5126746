"""Arm swing: the upper arm's angle from hanging straight down and its range per stride.
Tolerance +/-1 degree."""

import math

import numpy as np
import pytest

from analysis.core.video import gait, posture, video_report
from tests.analysis.synthetic_runner import FPS, side_runner


@pytest.mark.parametrize("facing", [-1, 1])
@pytest.mark.parametrize("angle", [-30.0, 0.0, 25.0])
def test_upper_arm_angle(facing, angle):
    lm = np.zeros((1, 33, 4))
    a = math.radians(angle)
    lm[0, 11, :2] = [0.5, 0.3]
    lm[0, 13, :2] = [0.5 + facing * 0.15 * math.sin(a), 0.3 + 0.15 * math.cos(a)]
    value = posture.upper_arm_angle_deg(landmarks=lm, side="left", facing=facing)[0]
    assert value == pytest.approx(angle, abs=1)


def test_per_stride_range_needs_two_strides():
    values = np.tile(np.r_[np.linspace(-10, 20, 10), np.linspace(20, -10, 10)], 3)
    assert posture.per_stride_range(values=values, boundaries=np.arange(0, 61, 20)) == (
        pytest.approx(30.0)
    )
    assert posture.per_stride_range(values=values, boundaries=np.array([0, 20])) is None


@pytest.mark.parametrize("facing", [-1, 1])
@pytest.mark.parametrize("swing", [20.0, 45.0, 70.0])
def test_arm_swing_of_a_synthetic_runner(facing, swing):
    lm, t, _ = side_runner(arm_swing_deg=swing, facing=facing)
    metrics = video_report._gait_report(lm, t, gait.View("side", facing, 1.0), FPS)["metrics"]
    assert metrics["arm_swing_deg"]["value"] == pytest.approx(swing, abs=1)
    assert metrics["elbow_angle_deg"]["value"] == pytest.approx(90.0, abs=1)
