"""Whole-body alignment at midstance: hip and ear ahead of the standing ankle, % leg length.
Tolerance +/-1 % of leg length."""

import math

import numpy as np
import pytest

from analysis.core.video import gait, posture, video_report
from tests.analysis.synthetic_runner import FPS, LEG, side_runner


def _standing(*, hip_ahead: float, ear_ahead: float, facing: int) -> np.ndarray:
    """One frame: hip and ears placed ahead of the left ankle by the given distances."""
    lm = np.zeros((1, 33, 4))
    lm[..., 3] = 1.0
    lm[0, 27, :2] = [0.5, 0.9]
    lm[0, [23, 24], 0] = 0.5 + facing * hip_ahead
    lm[0, [7, 8], 0] = 0.5 + facing * ear_ahead
    return lm


@pytest.mark.parametrize("facing", [-1, 1])
@pytest.mark.parametrize("hip,ear", [(0.0, 0.0), (0.04, 0.08), (-0.02, 0.03)])
def test_offsets_from_the_ankle_in_percent_of_leg(facing, hip, ear):
    lm = _standing(hip_ahead=hip, ear_ahead=ear, facing=facing)
    for part, distance in (("hip", hip), ("ear", ear)):
        value = posture.ahead_of_ankle_pct_leg(
            landmarks=lm, part=part, side="left", facing=facing, leg=LEG
        )[0]
        assert value == pytest.approx(100 * distance / LEG, abs=1)


@pytest.mark.parametrize("facing", [-1, 1])
@pytest.mark.parametrize(
    "ahead,behind,lean,head",
    [(0.04, 0.12, 8.0, 0.0), (0.10, 0.06, 2.0, 0.03), (0.02, 0.10, 12.0, 0.02)],
)
def test_alignment_at_midstance_of_a_synthetic_runner(facing, ahead, behind, lean, head):
    """The foot slides back evenly from `ahead` of the hip to `behind` it: in the middle of the
    stance the hip is (behind - ahead) / 2 ahead of the ankle; the ear further by the lean of a
    0.3 torso and the head's own offset."""
    lm, t, _ = side_runner(
        ahead=ahead, behind=behind, lean_deg=lean, head_ahead=head, facing=facing
    )
    metrics = video_report._gait_report(lm, t, gait.View("side", facing, 1.0), FPS)["metrics"]
    hip = 100 * (behind - ahead) / 2 / LEG
    ear = hip + 100 * (0.3 * math.sin(math.radians(lean)) + head) / LEG
    assert metrics["hip_ahead_of_ankle_midstance_pct_leg"]["value"] == pytest.approx(hip, abs=1)
    assert metrics["ear_ahead_of_ankle_midstance_pct_leg"]["value"] == pytest.approx(ear, abs=1)
