"""Synthetic runners with known gait events and postures, side-on and from behind.

Landmarks are (T, 33, 4) in square units, y downwards, visibility 1. Lengths: each leg segment
0.2 (leg 0.4), torso 0.3. Strides may last a fractional number of frames: events then fall
between frames, as they do in a real clip.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

FPS = 30.0
LEG = 0.4
GROUND_Y = 0.90  # the foot's lowest point while it is down
FOOT_DROP = 0.04  # ankle above the sole
LIFT = 0.10  # how high the sole rises in swing
RAMP = 0.05  # share of the swing the foot takes to rise (and to come down): a quick lift-off


@dataclass(frozen=True)
class SideTruth:
    contact: dict[str, np.ndarray]  # frame positions of initial contacts, per foot
    toe_off: dict[str, np.ndarray]
    stride_frames: float


def _phase(frames: np.ndarray, first: float, stride: float) -> np.ndarray:
    return ((frames - first) / stride) % 1.0


def _swing_lift(swing: np.ndarray, ramp: float = RAMP) -> np.ndarray:
    """Sole height over the swing (0..1): up at an even rate over a share `ramp` of the swing,
    held, down again."""
    return LIFT * np.clip(np.minimum(swing, 1 - swing) / ramp, 0, 1)


def _knee(hip: np.ndarray, ankle: np.ndarray, facing: int) -> np.ndarray:
    """Knee with both segments exactly 0.2 long, bent forward."""
    d = ankle - hip
    dist = np.hypot(d[:, 0], d[:, 1])
    normal = np.stack([-d[:, 1], d[:, 0]], axis=1) / dist[:, None]
    normal *= np.sign(facing * normal[:, 0])[:, None]
    rise = np.sqrt(np.clip(0.2**2 - (dist / 2) ** 2, 0, None))
    return hip + d / 2 + normal * rise[:, None]


def side_runner(
    *,
    stride_frames: float = 21,
    duty: float = 0.3,
    first_contact: float = 3.5,
    ahead: float = 0.04,
    behind: float = 0.12,
    arm_swing_deg: float = 40.0,
    lean_deg: float = 8.0,
    head_ahead: float = 0.0,
    facing: int = -1,
    seconds: float = 8.0,
    ramp: float = RAMP,
) -> tuple[np.ndarray, np.ndarray, SideTruth]:
    """A treadmill runner seen side-on. Each foot lands `ahead` in front of the hip, slides back
    at an even speed to `behind` the hip at toe-off (a share `duty` of the stride later), then
    swings forward again, its sole rising and falling over a share `ramp` of the swing. The
    upper arms swing `arm_swing_deg` from front to back."""
    frames = np.arange(int(seconds * FPS), dtype=float)
    lm = np.zeros((frames.size, 33, 4))
    lm[..., 3] = 1.0
    hip = np.tile([0.5, 0.5], (frames.size, 1))
    truth = SideTruth({}, {}, stride_frames)
    starts = {"left": first_contact, "right": first_contact + stride_frames / 2}
    for side, (h, k, a, heel, toe) in {
        "left": (23, 25, 27, 29, 31),
        "right": (24, 26, 28, 30, 32),
    }.items():
        phase = _phase(frames, starts[side], stride_frames)
        swing = (phase - duty) / (1 - duty)
        forward = np.where(
            phase < duty,
            ahead - (ahead + behind) * phase / duty,
            -behind + (ahead + behind) * (1 - np.cos(np.pi * swing)) / 2,
        )
        sole = GROUND_Y - np.where(phase < duty, 0.0, _swing_lift(swing, ramp))
        ankle = np.stack([0.5 + facing * forward, sole - FOOT_DROP], axis=1)
        lm[:, h, :2], lm[:, a, :2] = hip, ankle
        lm[:, k, :2] = _knee(hip, ankle, facing)
        lm[:, heel, :2] = ankle + [-facing * 0.02, FOOT_DROP]
        lm[:, toe, :2] = ankle + [facing * 0.06, FOOT_DROP]
        strides = np.arange(-1, int(frames.size // stride_frames) + 2)
        contacts = starts[side] + stride_frames * strides
        inside = (contacts >= 0) & (contacts + duty * stride_frames < frames.size - 1)
        truth.contact[side] = contacts[inside]
        truth.toe_off[side] = contacts[inside] + duty * stride_frames
    lean = math.radians(lean_deg)
    shoulder = hip + 0.3 * np.array([facing * math.sin(lean), -math.cos(lean)])
    for sh, ear, elbow, wrist, sign in ((11, 7, 13, 15, 1), (12, 8, 14, 16, -1)):
        lm[:, sh, :2] = shoulder
        lm[:, ear, :2] = shoulder + [facing * head_ahead, -0.08]
        # The left arm comes forward as the right leg does: half a stride after a left contact.
        arm = math.radians(arm_swing_deg / 2) * np.cos(
            2 * np.pi * _phase(frames, starts["left"], stride_frames) + (sign > 0) * np.pi
        )
        lm[:, elbow, :2] = shoulder + 0.15 * np.stack([facing * np.sin(arm), np.cos(arm)], axis=1)
        lm[:, wrist, :2] = lm[:, elbow, :2] + 0.12 * np.stack(
            [facing * np.cos(arm), -np.sin(arm)], axis=1
        )
    lm[:, 0, :2] = lm[:, 7, :2] + [facing * 0.03, 0.0]
    return lm, frames / FPS, truth


def rear_runner(
    *,
    stride_frames: int = 21,
    first_event: int = 5,
    foot_out: float = 0.03,
    sway: float = 0.0,
    drop_deg: tuple[float, float] = (0.0, 0.0),
    twist_deg: tuple[float, float] = (0.0, 0.0),
    drift_per_s: float = 0.0,
    shrink_per_s: float = 0.0,
    seconds: float = 8.0,
) -> tuple[np.ndarray, np.ndarray]:
    """A runner seen from behind, left side on image left. Each foot is lowest (in stance) at
    its event, the left one at `first_event` + k strides. Ankles sit `foot_out` from the
    centre line each side; the hips sway `sway` towards the standing foot; the pelvis drops
    `drop_deg` (standing on left, on right) on the swinging side; shoulders and hips twist in
    opposite directions by `twist_deg` (shoulders, hips) each way, the depth in z. The runner
    may drift across the picture and shrink into the distance (about the image centre)."""
    frames = np.arange(int(seconds * FPS), dtype=float)
    lm = np.zeros((frames.size, 33, 4))
    lm[..., 3] = 1.0
    cycle = 2 * np.pi * _phase(frames, first_event, stride_frames)  # 0 at a left event
    base = 0.5 + drift_per_s * frames / FPS
    centre = base - sway * np.cos(cycle)
    tilt = np.radians(drop_deg[0]) * np.clip(np.cos(cycle), 0, None) - np.radians(
        drop_deg[1]
    ) * np.clip(-np.cos(cycle), 0, None)
    hip_y = GROUND_Y - FOOT_DROP - LEG  # a standing leg is 0.4 long
    _pair(lm, (23, 24), centre, hip_y, 0.05, tilt, np.radians(twist_deg[1]) * -np.sin(cycle))
    _pair(
        lm, (11, 12), centre, hip_y - 0.3, 0.09, 0 * tilt, np.radians(twist_deg[0]) * np.sin(cycle)
    )
    for ear, sign in ((7, -1), (8, 1)):
        lm[:, ear, 0], lm[:, ear, 1] = centre + sign * 0.03, hip_y - 0.38
    lm[:, 0, 0], lm[:, 0, 1] = centre, hip_y - 0.38
    for (hip, knee, ankle), sign, shift in (((23, 25, 27), -1, 0.0), ((24, 26, 28), 1, np.pi)):
        lift = LIFT * np.clip(-np.cos(cycle + shift), 0, None)
        lm[:, ankle, 0] = base + sign * foot_out
        lm[:, ankle, 1] = GROUND_Y - FOOT_DROP - lift
        lm[:, knee, :2] = (lm[:, hip, :2] + lm[:, ankle, :2]) / 2
    scale = 1.0 / (1.0 + shrink_per_s * frames / FPS)
    lm[..., :2] = 0.5 + (lm[..., :2] - 0.5) * scale[:, None, None]
    lm[..., 2] *= scale[:, None]
    return lm, frames / FPS


def _pair(
    lm: np.ndarray,
    points: tuple[int, int],
    centre: np.ndarray,
    y: float,
    half: float,
    tilt: np.ndarray,
    yaw: np.ndarray,
) -> None:
    """Left and right points `half` either side of `centre`, the right one `tilt` lower and
    `yaw` further from the camera."""
    left, right = points
    lm[:, left, 0] = centre - half * np.cos(yaw)
    lm[:, right, 0] = centre + half * np.cos(yaw)
    lm[:, left, 1] = y - half * np.sin(tilt)
    lm[:, right, 1] = y + half * np.sin(tilt)
    lm[:, left, 2] = -half * np.sin(yaw)
    lm[:, right, 2] = half * np.sin(yaw)
