"""Posture metrics on synthetic figures drawn with known angles and distances.
Tolerances: +/-1 degree, +/-1 % of leg or torso length."""

import math

import numpy as np
import pytest

from analysis.core.video import posture

HIP = np.array([0.5, 0.6])


def _figure(*, lean_deg=0.0, knee_deg=0.0, foot_ahead=0.0, head_ahead=0.0, facing=-1, frames=5):
    """Thigh and shank 0.2 long each, torso 0.3; angles put in by construction."""
    lm = np.full((frames, 33, 4), np.nan)
    lm[..., 3] = 1.0
    lean = math.radians(lean_deg)
    shoulder = HIP + 0.3 * np.array([facing * math.sin(lean), -math.cos(lean)])
    for hip, sh, ear in ((23, 11, 7), (24, 12, 8)):
        lm[:, hip, :2], lm[:, sh, :2] = HIP, shoulder
        lm[:, ear, :2] = shoulder + np.array([facing * head_ahead, -0.08])
    for _hip, knee, ankle in ((23, 25, 27), (24, 26, 28)):
        knee_at = HIP + np.array([0.0, 0.2])
        bend = math.radians(knee_deg)
        lm[:, knee, :2] = knee_at
        lm[:, ankle, :2] = knee_at + 0.2 * np.array([-facing * math.sin(bend), math.cos(bend)])
        lm[:, ankle, 0] += facing * foot_ahead
    return lm


@pytest.mark.parametrize("lean", [-5.0, 0.0, 7.5, 14.0])
@pytest.mark.parametrize("facing", [-1, 1])
def test_trunk_lean(lean, facing):
    lm = _figure(lean_deg=lean, facing=facing)
    assert posture.trunk_lean_deg(landmarks=lm, facing=facing) == pytest.approx(
        np.full(5, lean), abs=1
    )


@pytest.mark.parametrize("bend", [0.0, 20.0, 45.0])
def test_knee_flexion(bend):
    lm = _figure(knee_deg=bend)
    assert posture.knee_flexion_deg(landmarks=lm, side="left") == pytest.approx(
        np.full(5, bend), abs=1
    )


def test_overstride_in_percent_of_leg_length():
    lm = _figure(foot_ahead=0.04)  # leg 0.4 long: 10 %
    leg = posture.leg_length(landmarks=_figure())
    assert leg == pytest.approx(0.4, abs=1e-9)
    ahead = posture.foot_ahead_pct_leg(landmarks=lm, side="left", facing=-1, leg=leg)
    assert ahead == pytest.approx(np.full(5, 10.0), abs=1)


def test_head_forward_in_percent_of_torso():
    lm = _figure(head_ahead=0.03)  # torso 0.3: 10 %
    torso = posture.torso_length(landmarks=lm)
    assert posture.head_forward_pct_torso(landmarks=lm, facing=-1, torso=torso) == pytest.approx(
        np.full(5, 10), abs=1
    )
    assert posture.ear_shoulder_gap_pct_torso(landmarks=lm, torso=torso) == pytest.approx(
        np.full(5, 26.7), abs=1
    )


def test_vertical_oscillation_per_step():
    lm = _figure(frames=60)
    bounce = 0.02 * np.abs(np.sin(np.linspace(0, 6 * np.pi, 60)))  # 2 % of height, leg 0.4: 5 %
    lm[:, 23, 1] += bounce
    lm[:, 24, 1] += bounce
    contacts = np.array([0, 10, 20, 30, 40, 50, 59])
    value = posture.vertical_oscillation_pct_leg(landmarks=lm, contacts_frames=contacts, leg=0.4)
    assert value == pytest.approx(5.0, abs=1)


@pytest.mark.parametrize("drop", [0.0, 6.0, 10.0])
def test_pelvic_drop_from_behind(drop):
    lm = _figure()
    lm[:, 23, :2] = [0.45, 0.6]
    lm[:, 24, :2] = [
        0.45 + 0.1 * math.cos(math.radians(drop)),
        0.6 + 0.1 * math.sin(math.radians(drop)),
    ]
    assert posture.pelvic_drop_deg(landmarks=lm) == pytest.approx(np.full(5, drop), abs=1)


def test_elbow_angle():
    lm = _figure()
    lm[:, 11, :2], lm[:, 13, :2], lm[:, 15, :2] = [0.5, 0.3], [0.5, 0.45], [0.4, 0.45]
    assert posture.elbow_angle_deg(landmarks=lm, side="left") == pytest.approx(
        np.full(5, 90.0), abs=1
    )


@pytest.mark.parametrize("flex", [0.0, 20.0, 35.0])
def test_hip_flexion_from_trunk_and_thigh(flex):
    lm = _figure()
    thigh = math.radians(flex)
    lm[:, 25, :2] = HIP + 0.2 * np.array([-math.sin(thigh), math.cos(thigh)])  # facing left
    assert posture.hip_flexion_deg(landmarks=lm, side="left") == pytest.approx(
        np.full(5, flex), abs=1
    )


@pytest.mark.parametrize("angle,pattern", [(15.0, "heel"), (0.0, "midfoot"), (-12.0, "forefoot")])
def test_foot_angle_and_strike_pattern(angle, pattern):
    lm = _figure()
    a = math.radians(angle)
    lm[:, 29, :2] = [0.5, 0.95]
    lm[:, 31, :2] = [0.5 - 0.06 * math.cos(a), 0.95 - 0.06 * math.sin(a)]  # toe ahead (left)
    value = posture.foot_angle_deg(landmarks=lm, side="left", facing=-1)[0]
    assert value == pytest.approx(angle, abs=1)
    assert posture.strike_pattern(value) == pattern


def test_trend_and_stride_spread():
    t = np.arange(0, 12, 1 / 30)
    gap = 25 - 0.5 * t  # shoulders rising: the gap falls 5 % torso per 10 s
    assert posture.trend_per_10s(t_s=t, values=gap) == pytest.approx(-5.0, abs=0.01)
    steady = np.repeat([8.0, 8.0, 8.0, 8.0], 20)
    assert posture.per_stride_spread(values=steady, boundaries=np.arange(0, 81, 20)) == 0
    wobbly = np.repeat([6.0, 10.0, 6.0, 10.0], 20)
    assert posture.per_stride_spread(
        values=wobbly, boundaries=np.arange(0, 81, 20)
    ) == pytest.approx(2.0)
