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
