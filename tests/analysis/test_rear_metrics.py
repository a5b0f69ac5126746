"""Rear-view gait: stance events, step width and crossover, pelvic drop left against right,
hip sway and the shoulder-hip twist, on a synthetic runner seen from behind.
Tolerances: one frame, +/-1 degree, +/-1 % of leg length."""

import numpy as np
import pytest

from analysis.core.video import gait, posture, video_report
from tests.analysis.synthetic_runner import FPS, LEG, rear_runner

REAR = gait.View("rear", 0, 1.0)


def _metrics(**kwargs):
    lm, t = rear_runner(**kwargs)
    return video_report._gait_report(lm, t, REAR, FPS)


def test_the_synthetic_runner_is_seen_from_behind():
    lm, _ = rear_runner()
    assert gait.detect_view(landmarks=lm).name == "rear"


@pytest.mark.parametrize("shrink", [0.0, 0.15])
def test_stance_events_at_each_foots_lowest_moment(shrink):
    lm, t = rear_runner(first_event=5, shrink_per_s=shrink, drift_per_s=0.02)
    contacts = gait.foot_contacts_rear(landmarks=lm, t_s=t, fps=FPS)
    left, right = contacts.left_s * FPS, contacts.right_s * FPS
    assert left.size >= 10 and right.size >= 10
    assert np.abs((left - 5) - 21 * np.round((left - 5) / 21)).max() <= 1
    assert np.abs((right - 15.5) - 21 * np.round((right - 15.5) / 21)).max() <= 1
    assert gait.cadence_spm(contacts=contacts) == pytest.approx(120 * FPS / 21, abs=0.5)


def test_leg_length_follows_a_runner_into_the_distance():
    lm, t = rear_runner(shrink_per_s=0.1)
    leg = gait.leg_length_per_frame(landmarks=lm, fps=FPS)
    expected = LEG / (1 + 0.1 * t)
    middle = slice(30, -30)  # the one-second smoothing is one-sided at the ends
    assert leg[middle] == pytest.approx(expected[middle], rel=0.02)


@pytest.mark.parametrize(
    "out,sway,expected",
    [(0.03, 0.0, 15.0), (0.03, 0.01, 10.0), (0.0, 0.0, 0.0), (-0.02, 0.0, -10.0)],
)
@pytest.mark.parametrize("shrink", [0.0, 0.12])
def test_step_width_and_crossover(out, sway, expected, shrink):
    """Each ankle `out` from the centre line, the hips `sway` towards the standing foot: the
    standing foot is out - sway from the midline, both feet together 2 (out - sway)."""
    metrics = _metrics(foot_out=out, sway=sway, shrink_per_s=shrink, drift_per_s=0.02)["metrics"]
    assert metrics["step_width_pct_leg"]["value"] == pytest.approx(expected, abs=1)
    assert metrics["step_width_pct_leg"]["band"] == ("poor" if expected < -5 else "good")


@pytest.mark.parametrize("left,right", [(6.0, 2.0), (3.0, 3.0), (0.0, 5.0)])
def test_pelvic_drop_left_against_right(left, right):
    metrics = _metrics(drop_deg=(left, right))["metrics"]
    assert metrics["pelvic_drop_asymmetry_deg"]["value"] == pytest.approx(left - right, abs=1)
    assert metrics["pelvic_drop_deg"]["value"] <= max(left, right) + 1


def test_signed_pelvic_drop_is_the_swinging_sides_hip_going_down():
    lm, _ = rear_runner()
    lm[:, 23, :2], lm[:, 24, :2] = [0.45, 0.5], [0.55, 0.5 + 0.1 * np.tan(np.radians(7))]
    assert posture.pelvic_drop_signed_deg(landmarks=lm, stance_side="left")[0] == (
        pytest.approx(7.0, abs=1)
    )
    assert posture.pelvic_drop_signed_deg(landmarks=lm, stance_side="right")[0] == (
        pytest.approx(-7.0, abs=1)
    )


@pytest.mark.parametrize("sway", [0.0, 0.01, 0.02])
@pytest.mark.parametrize("drift,shrink", [(0.0, 0.0), (0.03, 0.0), (0.03, 0.1)])
def test_lateral_sway_per_stride_without_the_drift_across_the_picture(sway, drift, shrink):
    metrics = _metrics(sway=sway, drift_per_s=drift, shrink_per_s=shrink)["metrics"]
    assert metrics["lateral_sway_pct_leg"]["value"] == pytest.approx(100 * 2 * sway / LEG, abs=1)


@pytest.mark.parametrize("shoulders,hips", [(8.0, 4.0), (3.0, 2.0), (0.0, 0.0)])
def test_shoulder_hip_twist_from_depth(shoulders, hips):
    """Shoulders and hips turn the opposite way: the twist between them ranges over
    2 (shoulders + hips) per stride. Built on depth, it is trusted less than the rest."""
    report = _metrics(twist_deg=(shoulders, hips))
    twist = report["metrics"]["shoulder_hip_rotation_deg"]
    assert twist["value"] == pytest.approx(2 * (shoulders + hips), abs=1)
    assert twist["confidence"] < report["metrics"]["step_width_pct_leg"]["confidence"]
    assert "band" not in twist


def test_twist_is_not_reported_when_the_depth_does_not_track_the_pelvis():
    report = _metrics(twist_deg=(10.0, 40.0))  # a pelvis swinging 80 degrees a stride: no
    assert "shoulder_hip_rotation_deg" not in report["metrics"]
    assert "shoulder_hip_rotation_deg" in report["not_measured"]


def test_a_rear_view_reports_no_side_view_metrics():
    metrics = _metrics(foot_out=0.03)["metrics"]
    for name in ("overstride_pct_leg", "arm_swing_deg", "hip_ahead_of_ankle_midstance_pct_leg"):
        assert name not in metrics
