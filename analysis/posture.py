"""Side-view and rear-view posture metrics from landmarks. Pure numpy.

Landmarks are (T, 33, 4) in square units (see :func:`analysis.gait.square_units`), y downwards.
`facing` is -1 when the runner faces image-left, +1 image-right. Angles are in degrees, lengths
in percent of leg length (`_pct_leg`) or torso length (`_pct_torso`). Each function returns
per-frame or per-event values; callers summarise with medians.
"""

from __future__ import annotations

import numpy as np

from analysis.gait import (
    L_ANKLE,
    L_EAR,
    L_HIP,
    L_KNEE,
    L_SHOULDER,
    R_ANKLE,
    R_EAR,
    R_HIP,
    R_KNEE,
    R_SHOULDER,
)

L_ELBOW, R_ELBOW, L_WRIST, R_WRIST = 13, 14, 15, 16
LEG = {"left": (L_HIP, L_KNEE, L_ANKLE), "right": (R_HIP, R_KNEE, R_ANKLE)}


def _mid(lm: np.ndarray, a: int, b: int) -> np.ndarray:
    return (lm[:, a, :2] + lm[:, b, :2]) / 2


def torso_length(*, landmarks: np.ndarray) -> float:
    """Median hip-centre to shoulder-centre distance over the clip."""
    d = _mid(landmarks, L_SHOULDER, R_SHOULDER) - _mid(landmarks, L_HIP, R_HIP)
    return float(np.nanmedian(np.hypot(d[:, 0], d[:, 1])))


def leg_length(*, landmarks: np.ndarray) -> float:
    """Median hip-knee-ankle length over the clip, both legs."""
    total = []
    for hip, knee, ankle in LEG.values():
        thigh = landmarks[:, hip, :2] - landmarks[:, knee, :2]
        shank = landmarks[:, knee, :2] - landmarks[:, ankle, :2]
        total.append(np.hypot(*thigh.T) + np.hypot(*shank.T))
    return float(np.nanmedian(np.concatenate(total)))


def trunk_lean_deg(*, landmarks: np.ndarray, facing: int) -> np.ndarray:
    """(T,) lean of the hip-to-shoulder line from vertical; positive = forward."""
    d = _mid(landmarks, L_SHOULDER, R_SHOULDER) - _mid(landmarks, L_HIP, R_HIP)
    return np.degrees(np.arctan2(facing * d[:, 0], -d[:, 1]))


def joint_angle_deg(*, a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """(T,) angle at b between b->a and b->c; inputs (T, 2)."""
    u, v = a - b, c - b
    cos = np.sum(u * v, axis=1) / (np.linalg.norm(u, axis=1) * np.linalg.norm(v, axis=1))
    return np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))


def knee_flexion_deg(*, landmarks: np.ndarray, side: str) -> np.ndarray:
    """(T,) 180 minus the hip-knee-ankle angle: 0 for a straight leg."""
    hip, knee, ankle = LEG[side]
    lm = landmarks[:, :, :2]
    return 180.0 - joint_angle_deg(a=lm[:, hip], b=lm[:, knee], c=lm[:, ankle])


def foot_ahead_pct_leg(*, landmarks: np.ndarray, side: str, facing: int, leg: float) -> np.ndarray:
    """(T,) horizontal distance of the ankle ahead of the hip centre, % leg length: at initial
    contact this is the overstride."""
    hip_x = _mid(landmarks, L_HIP, R_HIP)[:, 0]
    return 100.0 * facing * (landmarks[:, LEG[side][2], 0] - hip_x) / leg


def head_forward_pct_torso(*, landmarks: np.ndarray, facing: int, torso: float) -> np.ndarray:
    """(T,) ear centre ahead of shoulder centre, % torso length."""
    ear = _mid(landmarks, L_EAR, R_EAR)[:, 0]
    shoulder = _mid(landmarks, L_SHOULDER, R_SHOULDER)[:, 0]
    return 100.0 * facing * (ear - shoulder) / torso


def ear_shoulder_gap_pct_torso(*, landmarks: np.ndarray, torso: float) -> np.ndarray:
    """(T,) vertical gap from ear to shoulder, % torso length: it shrinks as shoulders rise."""
    ear = _mid(landmarks, L_EAR, R_EAR)[:, 1]
    shoulder = _mid(landmarks, L_SHOULDER, R_SHOULDER)[:, 1]
    return 100.0 * (shoulder - ear) / torso


def elbow_angle_deg(*, landmarks: np.ndarray, side: str) -> np.ndarray:
    shoulder, elbow, wrist = (
        (L_SHOULDER, L_ELBOW, L_WRIST) if side == "left" else (R_SHOULDER, R_ELBOW, R_WRIST)
    )
    lm = landmarks[:, :, :2]
    return joint_angle_deg(a=lm[:, shoulder], b=lm[:, elbow], c=lm[:, wrist])


def vertical_oscillation_pct_leg(
    *, landmarks: np.ndarray, contacts_frames: np.ndarray, leg: float
) -> float | None:
    """Median over steps of the hip centre's rise and fall (max - min of y between two
    consecutive contacts), % leg length."""
    hip_y = _mid(landmarks, L_HIP, R_HIP)[:, 1]
    ranges = [
        np.nanmax(hip_y[a:b]) - np.nanmin(hip_y[a:b])
        for a, b in zip(contacts_frames[:-1], contacts_frames[1:], strict=True)
        if b - a >= 3
    ]
    return 100.0 * float(np.median(ranges)) / leg if ranges else None


def pelvic_drop_deg(*, landmarks: np.ndarray) -> np.ndarray:
    """(T,) rear view: tilt of the hip line from horizontal, degrees, sign-free."""
    d = landmarks[:, R_HIP, :2] - landmarks[:, L_HIP, :2]
    return np.degrees(np.abs(np.arctan2(d[:, 1], np.abs(d[:, 0]))))


def lateral_trunk_lean_deg(*, landmarks: np.ndarray) -> np.ndarray:
    """(T,) rear view: sideways lean of the hip-to-shoulder line from vertical."""
    d = _mid(landmarks, L_SHOULDER, R_SHOULDER) - _mid(landmarks, L_HIP, R_HIP)
    return np.degrees(np.arctan2(d[:, 0], -d[:, 1]))


L_HEEL, R_HEEL, L_TOE, R_TOE = 29, 30, 31, 32


def hip_flexion_deg(*, landmarks: np.ndarray, side: str) -> np.ndarray:
    """(T,) 180 minus the shoulder-hip-knee angle: how far the thigh is bent away from the
    trunk line (sign-free in 2D; read it at midstance, where the thigh is ahead)."""
    hip, knee, _ = LEG[side]
    shoulder = L_SHOULDER if side == "left" else R_SHOULDER
    lm = landmarks[:, :, :2]
    return 180.0 - joint_angle_deg(a=lm[:, shoulder], b=lm[:, hip], c=lm[:, knee])


def foot_angle_deg(*, landmarks: np.ndarray, side: str, facing: int) -> np.ndarray:
    """(T,) angle of the heel-to-toe line from horizontal; positive = toes up (heel first)."""
    heel, toe = (L_HEEL, L_TOE) if side == "left" else (R_HEEL, R_TOE)
    d = landmarks[:, toe, :2] - landmarks[:, heel, :2]
    return np.degrees(np.arctan2(-d[:, 1], facing * d[:, 0]))


def strike_pattern(foot_angle_deg: float | None, *, margin_deg: float = 5.0) -> str | None:
    """Heel, midfoot or forefoot strike from the foot angle at initial contact."""
    if foot_angle_deg is None or not np.isfinite(foot_angle_deg):
        return None
    if foot_angle_deg > margin_deg:
        return "heel"
    if foot_angle_deg < -margin_deg:
        return "forefoot"
    return "midfoot"


def trend_per_10s(*, t_s: np.ndarray, values: np.ndarray) -> float | None:
    """Least-squares slope of values against time, per 10 seconds (e.g. shoulders creeping up
    over a clip show as a falling ear-shoulder gap)."""
    ok = np.isfinite(values) & np.isfinite(t_s)
    if ok.sum() < 3 or np.ptp(t_s[ok]) <= 0:
        return None
    slope = np.polyfit(t_s[ok], values[ok], 1)[0]
    return float(10.0 * slope)


def per_stride_spread(*, values: np.ndarray, boundaries: np.ndarray) -> float | None:
    """Standard deviation of the per-stride medians: stride-to-stride steadiness."""
    medians = [
        np.nanmedian(values[a:b])
        for a, b in zip(boundaries[:-1], boundaries[1:], strict=True)
        if b - a >= 2 and np.isfinite(values[a:b]).any()
    ]
    return float(np.std(medians)) if len(medians) >= 3 else None
