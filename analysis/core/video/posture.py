"""Side-view and rear-view posture metrics from landmarks. Pure numpy.

Landmarks are (T, 33, 4) in square units (see :func:`analysis.core.video.gait.square_units`), y
downwards. `facing` is -1 when the runner faces image-left, +1 image-right. Angles are in degrees,
lengths in percent of leg length (`_pct_leg`) or torso length (`_pct_torso`). Each function returns
per-frame or per-event values; callers summarise with medians. Rear-view lengths take the leg length
of each frame (:func:`analysis.core.video.gait.leg_length_per_frame`): a runner filmed from behind
shrinks into the distance.
"""

from __future__ import annotations

import numpy as np

from analysis.core.video.gait import (
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
    leg_length,  # noqa: F401  (the unit of every "% leg" here, defined once with the gait)
)

L_ELBOW, R_ELBOW, L_WRIST, R_WRIST = 13, 14, 15, 16
LEG = {"left": (L_HIP, L_KNEE, L_ANKLE), "right": (R_HIP, R_KNEE, R_ANKLE)}


def _mid(lm: np.ndarray, a: int, b: int) -> np.ndarray:
    return (lm[:, a, :2] + lm[:, b, :2]) / 2


def torso_length(*, landmarks: np.ndarray) -> float:
    """Median hip-centre to shoulder-centre distance over the clip."""
    d = _mid(landmarks, L_SHOULDER, R_SHOULDER) - _mid(landmarks, L_HIP, R_HIP)
    return float(np.nanmedian(np.hypot(d[:, 0], d[:, 1])))


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


def ahead_of_ankle_pct_leg(
    *, landmarks: np.ndarray, part: str, side: str, facing: int, leg: float
) -> np.ndarray:
    """(T,) horizontal distance of the hip centre (`part` "hip") or the ear centre ("ear") ahead
    of one leg's ankle, % leg length; positive = ahead in the running direction. Read at
    midstance: under full load the sources want ankle, hip and the nape of the neck stacked."""
    a, b = (L_HIP, R_HIP) if part == "hip" else (L_EAR, R_EAR)
    x = _mid(landmarks, a, b)[:, 0]
    return 100.0 * facing * (x - landmarks[:, LEG[side][2], 0]) / leg


def upper_arm_angle_deg(*, landmarks: np.ndarray, side: str, facing: int) -> np.ndarray:
    """(T,) angle of the upper arm (shoulder to elbow) from hanging straight down; positive =
    elbow ahead of the shoulder."""
    shoulder, elbow = (L_SHOULDER, L_ELBOW) if side == "left" else (R_SHOULDER, R_ELBOW)
    d = landmarks[:, elbow, :2] - landmarks[:, shoulder, :2]
    return np.degrees(np.arctan2(facing * d[:, 0], d[:, 1]))


def per_stride_range(*, values: np.ndarray, boundaries: np.ndarray) -> float | None:
    """Median over strides of max - min within the stride (e.g. how far the arm swings), from
    at least two strides with at least half their frames seen."""
    ranges = [
        float(np.nanmax(values[a:b]) - np.nanmin(values[a:b]))
        for a, b in zip(boundaries[:-1], boundaries[1:], strict=True)
        if b - a >= 3 and np.isfinite(values[a:b]).mean() >= 0.5
    ]
    return float(np.median(ranges)) if len(ranges) >= 2 else None


def foot_outside_midline_pct_leg(
    *, landmarks: np.ndarray, side: str, leg_per_frame: np.ndarray
) -> np.ndarray:
    """(T,) rear view: how far the ankle is out from the pelvis midline towards its own side
    (from behind, the runner's left is image left), % leg length. Below zero the foot has
    crossed the midline."""
    hip_x = _mid(landmarks, L_HIP, R_HIP)[:, 0]
    outward = -1.0 if side == "left" else 1.0
    return 100.0 * outward * (landmarks[:, LEG[side][2], 0] - hip_x) / leg_per_frame


def shoulder_hip_rotation_deg(*, landmarks: np.ndarray) -> np.ndarray:
    """(T,) rear view: twist of the shoulder line against the hip line about the vertical,
    from the depth (z) difference of each pair against its sideways spread.

    Why depth: the other proxy, a line's apparent width, shrinks with the cosine of the twist,
    so 10 degrees shortens it by 1.5 %, less than pose jitter, and cannot tell which way it
    turned. The depth difference grows with the sine (10 degrees: 17 % of the width) and keeps
    the sign. z is the pose model's roughest coordinate, so callers lower the confidence."""
    return line_yaw_deg(landmarks=landmarks, line="shoulders") - line_yaw_deg(
        landmarks=landmarks, line="hips"
    )


def line_yaw_deg(*, landmarks: np.ndarray, line: str) -> np.ndarray:
    """(T,) rear view: turn of the shoulder line (`line` "shoulders") or the hip line ("hips")
    about the vertical, from the right point's depth (z) beyond the left one against their
    sideways spread; 0 = square to the camera."""
    left, right = (L_SHOULDER, R_SHOULDER) if line == "shoulders" else (L_HIP, R_HIP)
    d = landmarks[:, right, :3] - landmarks[:, left, :3]
    return np.degrees(np.arctan2(d[:, 2], d[:, 0]))


def pelvic_drop_signed_deg(*, landmarks: np.ndarray, stance_side: str) -> np.ndarray:
    """(T,) rear view: tilt of the hip line, positive when the hip of the side opposite
    `stance_side` is the lower one: the contralateral drop while that leg bears the weight."""
    d = landmarks[:, R_HIP, :2] - landmarks[:, L_HIP, :2]
    right_lower = np.degrees(np.arctan2(d[:, 1], np.abs(d[:, 0])))
    return right_lower if stance_side == "left" else -right_lower


def lateral_sway_pct_leg(
    *, landmarks: np.ndarray, boundaries: np.ndarray, leg_per_frame: np.ndarray
) -> float | None:
    """Rear view: median over strides of the hip centre's side-to-side travel, % leg length
    (see :func:`lateral_sway_per_stride`)."""
    ranges = lateral_sway_per_stride(
        landmarks=landmarks, boundaries=boundaries, leg_per_frame=leg_per_frame
    )
    ranges = ranges[np.isfinite(ranges)]
    return float(np.median(ranges)) if ranges.size >= 2 else None


def lateral_sway_per_stride(
    *, landmarks: np.ndarray, boundaries: np.ndarray, leg_per_frame: np.ndarray
) -> np.ndarray:
    """Rear view: (N,) the hip centre's side-to-side travel (max - min) over each stride, % leg
    length. The runner's drift across the picture goes first: a moving average exactly one
    stride long averages a whole sway cycle away and leaves only the drift."""
    if boundaries.size < 3:
        return np.zeros(0)
    window = int(np.median(np.diff(boundaries)))
    hip_x = _mid(landmarks, L_HIP, R_HIP)[:, 0]
    sway = 100.0 * (hip_x - _moving_mean(hip_x, window)) / leg_per_frame
    inside = boundaries[(boundaries >= window // 2) & (boundaries <= len(hip_x) - window // 2)]
    return per_stride(values=sway, boundaries=inside, reduce="range")


def _moving_mean(values: np.ndarray, window: int) -> np.ndarray:
    """Centred mean over exactly `window` frames (NaN where any is missing)."""
    kernel = np.ones(window) / window
    padded = np.convolve(values, kernel, mode="full")
    start = (window - 1) // 2
    return padded[start : start + len(values)]


def per_stride(*, values: np.ndarray, boundaries: np.ndarray, reduce: str = "median") -> np.ndarray:
    """(N,) one value per stride between consecutive `boundaries` (frame indices): the
    median of `values` over the stride, or with `reduce` "range" its max - min, or "max".
    NaN for a stride with fewer than half of its frames seen."""
    out = []
    for a, b in zip(boundaries[:-1], boundaries[1:], strict=True):
        part = values[int(a) : int(b)]
        if part.size < 2 or np.isfinite(part).mean() < 0.5:
            out.append(np.nan)
        elif reduce == "range":
            out.append(float(np.nanmax(part) - np.nanmin(part)))
        elif reduce == "max":
            out.append(float(np.nanmax(part)))
        else:
            out.append(float(np.nanmedian(part)))
    return np.array(out, dtype=float)


def heel_ahead_of_hip_pct_leg(
    *, landmarks: np.ndarray, side: str, facing: int, leg: float
) -> np.ndarray:
    """(T,) horizontal distance of one foot's heel ahead of the same leg's hip, % leg length:
    at initial contact this is the overstride (where the foot lands against the hip it hangs
    from, as the hand annotation measures it)."""
    hip = L_HIP if side == "left" else R_HIP
    heel = L_HEEL if side == "left" else R_HEEL
    return 100.0 * facing * (landmarks[:, heel, 0] - landmarks[:, hip, 0]) / leg


def bounce_per_step_pct_leg(
    *, landmarks: np.ndarray, contact_frames: np.ndarray, leg: float
) -> np.ndarray:
    """(N,) the hip centre's rise and fall over each step (max - min of its height between two
    consecutive contacts of either foot), % leg length."""
    hip_y = _mid(landmarks, L_HIP, R_HIP)[:, 1]
    bounds = np.sort(np.asarray(contact_frames, dtype=int))
    steps = [(a, b) for a, b in zip(bounds[:-1], bounds[1:], strict=True) if b - a >= 3]
    return np.array(
        [100.0 * (np.nanmax(hip_y[a:b]) - np.nanmin(hip_y[a:b])) / leg for a, b in steps],
        dtype=float,
    )


def vertical_ratio_pct(
    *, bounce_pct_leg: float, leg_length_m: float, speed_m_s: float, cadence_spm: float
) -> float:
    """Vertical ratio, the watches' measure: bounce over step length, %. Needs a scale: the
    leg length in metres turns the bounce into metres, and the speed over the cadence gives
    the step length."""
    step_length_m = speed_m_s / (cadence_spm / 60.0)
    return 100.0 * (bounce_pct_leg / 100.0 * leg_length_m) / step_length_m
