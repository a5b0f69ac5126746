"""A clip in, a report out: probe, pose, then the pure gait core. No Django."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from analysis import gait, posture, render, scoring
from analysis.pose_io import VideoRejected, extract_pose, probe, save_keyframe


def analyse_clip(
    path: Path,
    *,
    view: str = "auto",
    on_progress: Callable[[int, int], None] | None = None,
    keyframe_dir: Path | None = None,
    cadence_good_spm: tuple[float, float] | None = None,
) -> dict[str, Any]:
    """The report as a JSON-ready dict (the `analyze_video --json` contract). Keyframe images
    are written only when `keyframe_dir` is given (a stored analysis). `cadence_good_spm` is
    the runner's own good cadence band (see :func:`analysis.cadence.personal_target_spm`),
    used instead of the default and recorded as the cadence metric's `target`."""
    started = time.perf_counter()
    try:
        info = probe(path)
    except VideoRejected as exc:
        return {"status": "rejected", "error": str(exc)}
    series = extract_pose(path, info=info, on_progress=on_progress)
    landmarks = gait.fill_gaps(
        landmarks=gait.square_units(
            landmarks=series.landmarks, width=info.width, height=info.height
        )
    )
    seen = gait.detect_view(landmarks=landmarks)
    chosen = seen if view == "auto" else gait.View(view, seen.facing, 1.0)
    report = _gait_report(landmarks, series.t_s, chosen, info.fps, cadence_good_spm)
    _apply_quality(report, series, info, path)
    if keyframe_dir is not None and chosen.name == "side" and chosen.facing:
        report["keyframes"] = _keyframes(path, series, landmarks, chosen.facing, keyframe_dir)
    report.update(
        {
            "status": "done",
            "view": chosen.name,
            "view_confidence": round(chosen.confidence, 2),
            "fps": info.fps,
            "frames": int(series.landmarks.shape[0]),
            "frames_with_pose": int(series.found.sum()),
            "duration_s": round(info.duration_s, 2),
            "processing_s": round(time.perf_counter() - started, 2),
            "error": None,
        }
    )
    return report


def _gait_report(
    landmarks: np.ndarray,
    t_s: np.ndarray,
    view: gait.View,
    fps: float,
    cadence_good_spm: tuple[float, float] | None = None,
) -> dict[str, Any]:
    coverage = float(np.mean(np.isfinite(landmarks[:, gait.L_HIP, 0]))) if len(landmarks) else 0.0
    metrics: dict[str, dict] = {}
    series: dict[str, list] = {}
    not_measured: dict[str, str] = {}
    cadence, strides = None, 0
    if view.name == "side" and view.facing:
        contacts = gait.foot_contacts_side(
            landmarks=landmarks, t_s=t_s, facing=view.facing, fps=fps
        )
        cadence = gait.cadence_spm(contacts=contacts)
        strides = int(gait.stride_periods_s(contacts=contacts).size)
        metrics = _side_metrics(landmarks, contacts, view.facing, fps, t_s)
        series = _side_series(landmarks, t_s, view.facing)
    elif view.name == "rear":
        # The stance events from behind time strides as well as side-on contacts do.
        contacts = gait.foot_contacts_rear(landmarks=landmarks, t_s=t_s, fps=fps)
        cadence = gait.cadence_spm(contacts=contacts)
        strides = int(gait.stride_periods_s(contacts=contacts).size)
        metrics, not_measured = _rear_metrics(landmarks, contacts, fps)
    if cadence:
        metrics["cadence_spm"] = {"value": round(cadence, 1)}
        if cadence_good_spm:
            metrics["cadence_spm"]["target"] = [float(v) for v in cadence_good_spm]
    confidence = min(1.0, coverage * view.confidence * min(1.0, strides / 6 + 0.3))
    for name, metric in metrics.items():
        _judge(name, metric, confidence, cadence_good_spm if name == "cadence_spm" else None)
    return {
        "cadence_spm": round(cadence, 1) if cadence else None,
        "metrics": metrics,
        "score": scoring.form_score(metrics),
        "findings": scoring.findings(metrics),
        "quality": {"frames_with_runner_pct": round(100 * coverage, 1), "strides_counted": strides},
        "keyframes": [],
        "series": series,
        "not_measured": not_measured,
    }


def _judge(name: str, metric: dict, confidence: float, good: tuple[float, float] | None) -> None:
    """Unit, confidence and (where the metric has a band) the band, in place. A metric may
    carry its own `confidence_scale` for a weaker input (the pose model's depth estimate)."""
    metric.setdefault("unit", scoring.BANDS[name].unit if name in scoring.BANDS else "")
    metric["confidence"] = round(confidence * metric.pop("confidence_scale", 1.0), 2)
    if name in scoring.BANDS:
        metric["band"] = scoring.band_of(name, metric["value"], good=good)


MAX_SERIES_POINTS = 300


def _side_series(lm: np.ndarray, t_s: np.ndarray, facing: int) -> dict[str, list]:
    """Per-frame values across the clip for charts, thinned to at most MAX_SERIES_POINTS."""
    step = max(1, int(np.ceil(len(t_s) / MAX_SERIES_POINTS)))
    torso = posture.torso_length(landmarks=lm)
    values = {
        "trunk_lean_deg": posture.trunk_lean_deg(landmarks=lm, facing=facing),
        "knee_flexion_deg": posture.knee_flexion_deg(landmarks=lm, side=_near_side(lm)),
        "ear_shoulder_gap_pct_torso": posture.ear_shoulder_gap_pct_torso(landmarks=lm, torso=torso),
    }
    out = {"t_s": [round(float(t), 3) for t in t_s[::step]]}
    for name, series in values.items():
        out[name] = [round(float(v), 1) if np.isfinite(v) else None for v in series[::step]]
    return out


def _median(values: np.ndarray) -> float | None:
    values = values[np.isfinite(values)]
    return float(np.median(values)) if values.size else None


def _at(t_s: np.ndarray, fps: float, n: int) -> np.ndarray:
    return np.clip(np.round(t_s * fps).astype(int), 0, n - 1)


def _side_metrics(
    lm: np.ndarray, contacts: gait.Contacts, facing: int, fps: float, t_s: np.ndarray
) -> dict[str, dict]:
    leg, torso = posture.leg_length(landmarks=lm), posture.torso_length(landmarks=lm)
    per_side = {
        side: _stance_values(lm, times, side, facing, fps, leg)
        for side, times in (("left", contacts.left_s), ("right", contacts.right_s))
    }
    pooled = {
        k: np.concatenate([per_side["left"][k], per_side["right"][k]]) for k in per_side["left"]
    }
    lean = posture.trunk_lean_deg(landmarks=lm, facing=facing)
    gap = posture.ear_shoulder_gap_pct_torso(landmarks=lm, torso=torso)
    all_contacts = _at(contacts.all_s, fps, len(lm))
    found = {
        "overstride_pct_leg": (_median(pooled["ahead"]), "% leg"),
        "foot_angle_contact_deg": (_median(pooled["foot"]), "deg"),
        "knee_flexion_contact_deg": (_median(pooled["knee_ic"]), "deg"),
        "knee_flexion_midstance_deg": (_median(pooled["knee_mid"]), "deg"),
        "hip_flexion_midstance_deg": (_median(pooled["hip_mid"]), "deg"),
        "trunk_lean_deg": (_median(lean), "deg"),
        "trunk_variability_deg": (
            posture.per_stride_spread(values=lean, boundaries=all_contacts),
            "deg",
        ),
        "head_forward_pct_torso": (
            _median(posture.head_forward_pct_torso(landmarks=lm, facing=facing, torso=torso)),
            "% torso",
        ),
        "ear_shoulder_gap_pct_torso": (_median(gap), "% torso"),
        "shoulder_rise_pct_torso_per_10s": (
            _negated(posture.trend_per_10s(t_s=t_s, values=gap)),
            "% torso/10 s",
        ),
        "elbow_angle_deg": (
            _median(posture.elbow_angle_deg(landmarks=lm, side=_near_side(lm))),
            "deg",
        ),
        "vertical_oscillation_pct_leg": (
            posture.vertical_oscillation_pct_leg(
                landmarks=lm, contacts_frames=all_contacts, leg=leg
            ),
            "% leg",
        ),
        "hip_ahead_of_ankle_midstance_pct_leg": (_median(pooled["hip_align"]), "% leg"),
        "ear_ahead_of_ankle_midstance_pct_leg": (_median(pooled["ear_align"]), "% leg"),
        "arm_swing_deg": (_arm_swing_deg(lm, contacts, facing, fps), "deg"),
        **_contact_timing(pooled["contact_s"], contacts),
    }
    if _both_legs_seen(lm):  # side-on, the far leg is often hidden: no asymmetry from guesses
        found["overstride_asymmetry_pct_leg"] = (_difference(per_side, "ahead"), "% leg")
        found["knee_contact_asymmetry_deg"] = (_difference(per_side, "knee_ic"), "deg")
        found["ground_contact_asymmetry_s"] = (_difference(per_side, "contact_s"), "s")
    metrics = {
        k: {"value": _rounded(v, u), "unit": u} for k, (v, u) in found.items() if v is not None
    }
    if "foot_angle_contact_deg" in metrics:
        metrics["foot_angle_contact_deg"]["pattern"] = posture.strike_pattern(
            metrics["foot_angle_contact_deg"]["value"]
        )
    return metrics


def _stance_values(
    lm: np.ndarray, times: np.ndarray, side: str, facing: int, fps: float, leg: float
) -> dict[str, np.ndarray]:
    """One leg's values at each initial contact and the midstance after it, and over each
    stance (contact to toe-off), whose middle in time is the moment of full load."""
    reach = _at(times, fps, len(lm))
    frames = gait.touchdown_frames(landmarks=lm, reach_frames=reach, side=side, fps=fps, leg=leg)
    ahead = posture.foot_ahead_pct_leg(landmarks=lm, side=side, facing=facing, leg=leg)
    knee = posture.knee_flexion_deg(landmarks=lm, side=side)
    mid = _midstance(ahead, frames, int(0.2 * fps))
    phases = gait.stances(landmarks=lm, reach_frames=reach, side=side, fps=fps, leg=leg)
    full_load = phases.midstance_at
    return {
        "ahead": ahead[frames],
        "knee_ic": knee[frames],
        "foot": posture.foot_angle_deg(landmarks=lm, side=side, facing=facing)[frames],
        "knee_mid": knee[mid],
        "hip_mid": posture.hip_flexion_deg(landmarks=lm, side=side)[mid],
        "contact_s": phases.contact_time_s(fps=fps),
        **{
            f"{part}_align": _sample(
                posture.ahead_of_ankle_pct_leg(
                    landmarks=lm, part=part, side=side, facing=facing, leg=leg
                ),
                full_load,
            )
            for part in ("hip", "ear")
        },
    }


def _sample(series: np.ndarray, frames: np.ndarray) -> np.ndarray:
    """Values at fractional frame positions, linear between frames (NaN next to a gap)."""
    if frames.size == 0:
        return np.zeros(0)
    below = np.clip(np.floor(frames).astype(int), 0, len(series) - 1)
    above = np.clip(below + 1, 0, len(series) - 1)
    share = frames - below
    return (1 - share) * series[below] + share * series[above]


def _arm_swing_deg(
    lm: np.ndarray, contacts: gait.Contacts, facing: int, fps: float
) -> float | None:
    """Median per-stride range of the near upper arm's angle; strides run from one contact of
    a foot to its next (the arms swing once per stride)."""
    times = max((contacts.left_s, contacts.right_s), key=len)
    angle = posture.upper_arm_angle_deg(landmarks=lm, side=_near_side(lm), facing=facing)
    return posture.per_stride_range(values=angle, boundaries=_at(times, fps, len(lm)))


# 30 fps times a stance to a frame (~15 % of it): report ground contact only from enough
# stances, and never a duty factor that running cannot have (it has no double support).
MIN_STANCES = 6


def _contact_timing(contact_s: np.ndarray, contacts: gait.Contacts) -> dict[str, tuple]:
    strides = gait.stride_periods_s(contacts=contacts)
    duty = gait.duty_factor_pct(contact_time_s=contact_s, stride_s=strides)
    if contact_s.size < MIN_STANCES or duty is None or not 0 < duty < 50:
        return {}
    return {
        "ground_contact_time_s": (float(np.median(contact_s)), "s"),
        "duty_factor_pct": (duty, "% stride"),
    }


def _rounded(value: float, unit: str) -> float:
    """One decimal; seconds to the millisecond."""
    return round(value, 3 if unit == "s" else 1)


def _difference(per_side: dict[str, dict[str, np.ndarray]], key: str) -> float | None:
    """Left minus right of the per-leg medians, when both legs were seen."""
    return _left_minus_right({side: values[key] for side, values in per_side.items()})


def _both_legs_seen(lm: np.ndarray, *, min_visibility: float = 0.7) -> bool:
    legs = lm[:, [gait.L_KNEE, gait.R_KNEE, gait.L_ANKLE, gait.R_ANKLE], 3]
    return bool(np.all(np.nanmean(legs, axis=0) >= min_visibility))


def _negated(value: float | None) -> float | None:
    return None if value is None else -value


def _midstance(ahead: np.ndarray, contacts: np.ndarray, window: int) -> np.ndarray:
    """After each contact, the frame where the foot passes under the hip (smallest |ahead|)."""
    out = []
    for frame in contacts:
        part = np.abs(ahead[frame : frame + window])
        if part.size and np.isfinite(part).any():
            out.append(frame + int(np.nanargmin(part)))
    return np.array(out, dtype=int)


def _near_side(lm: np.ndarray) -> str:
    """The arm nearer the camera is the better seen one."""
    left, right = np.nanmean(lm[:, 13, 3]), np.nanmean(lm[:, 14, 3])
    return "left" if left >= right else "right"


# MediaPipe's depth (z) is its roughest coordinate: a metric built on it is trusted less, and
# not at all when the hip line it gives turns further per stride than a running pelvis can
# (a few tens of degrees at most): then z follows the swinging legs, not the pelvis.
DEPTH_CONFIDENCE = 0.7
MAX_PELVIS_TURN_DEG = 30.0


def _rear_metrics(
    lm: np.ndarray, contacts: gait.Contacts, fps: float
) -> tuple[dict[str, dict], dict[str, str]]:
    """From behind, with stance events at each foot's lowest moment. The runner usually runs
    away from the camera and shrinks, so lengths use the leg length of each frame. Returns
    the metrics and, for those the clip cannot support, the reason."""
    leg = gait.leg_length_per_frame(landmarks=lm, fps=fps)
    events = {
        "left": _at(contacts.left_s, fps, len(lm)),
        "right": _at(contacts.right_s, fps, len(lm)),
    }
    strides = max(events.values(), key=len)
    drop = {side: _pelvic_drop_at(lm, side, frames, fps) for side, frames in events.items()}
    found = {
        "pelvic_drop_deg": (_quantile(posture.pelvic_drop_deg(landmarks=lm), 0.9), "deg"),
        "lateral_trunk_lean_deg": (
            _median(np.abs(posture.lateral_trunk_lean_deg(landmarks=lm))),
            "deg",
        ),
        "lateral_sway_pct_leg": (
            posture.lateral_sway_pct_leg(landmarks=lm, boundaries=strides, leg_per_frame=leg),
            "% leg",
        ),
        "step_width_pct_leg": (_step_width(lm, events, leg), "% leg"),
        "pelvic_drop_asymmetry_deg": (_left_minus_right(drop), "deg"),
        "shoulder_hip_rotation_deg": (_rotation_deg(lm, strides), "deg"),
    }
    metrics = {k: {"value": round(v, 1), "unit": u} for k, (v, u) in found.items() if v is not None}
    not_measured = {}
    if "shoulder_hip_rotation_deg" in metrics:
        metrics["shoulder_hip_rotation_deg"]["confidence_scale"] = DEPTH_CONFIDENCE
    elif strides.size >= 3:
        not_measured["shoulder_hip_rotation_deg"] = "the pose model's depth estimate is too rough"
    return metrics, not_measured


def _rotation_deg(lm: np.ndarray, strides: np.ndarray) -> float | None:
    """Median per-stride range of the shoulder-against-hip twist, only when the hip line's own
    turning looks like a pelvis (see MAX_PELVIS_TURN_DEG)."""
    pelvis = posture.per_stride_range(
        values=posture.line_yaw_deg(landmarks=lm, line="hips"), boundaries=strides
    )
    if pelvis is None or pelvis > MAX_PELVIS_TURN_DEG:
        return None
    twist = posture.shoulder_hip_rotation_deg(landmarks=lm)
    return posture.per_stride_range(values=twist, boundaries=strides)


def _step_width(lm: np.ndarray, events: dict[str, np.ndarray], leg: np.ndarray) -> float | None:
    """Sum of each foot's median distance out from the pelvis midline during its stance: the
    width between the two footprint lines; below zero the feet cross over."""
    out = {
        side: _median(
            posture.foot_outside_midline_pct_leg(landmarks=lm, side=side, leg_per_frame=leg)[frames]
        )
        for side, frames in events.items()
    }
    return None if None in out.values() else out["left"] + out["right"]


def _pelvic_drop_at(lm: np.ndarray, side: str, frames: np.ndarray, fps: float) -> np.ndarray:
    """The contralateral pelvic drop at each of one foot's stance events, smoothed over a
    tenth of a second against pose jitter."""
    drop = posture.pelvic_drop_signed_deg(landmarks=lm, stance_side=side)
    return gait.smooth(series=drop, window=max(3, int(fps / 10)))[frames]


def _left_minus_right(per_side: dict[str, np.ndarray]) -> float | None:
    left, right = _median(per_side["left"]), _median(per_side["right"])
    return None if left is None or right is None else left - right


def _quantile(values: np.ndarray, q: float) -> float | None:
    values = values[np.isfinite(values)]
    return float(np.quantile(values, q)) if values.size else None


def _keyframes(path: Path, series: Any, lm: np.ndarray, facing: int, out_dir: Path) -> list[str]:
    """Initial contact and midstance of the near leg, at the contact nearest mid-clip."""
    info, fps = series.info, series.info.fps
    side = _near_side(lm)
    contacts = gait.foot_contacts_side(landmarks=lm, t_s=series.t_s, facing=facing, fps=fps)
    leg = posture.leg_length(landmarks=lm)
    times = contacts.left_s if side == "left" else contacts.right_s
    touch = gait.touchdown_frames(
        landmarks=lm, reach_frames=_at(times, fps, len(lm)), side=side, fps=fps, leg=leg
    )
    if touch.size == 0:
        return []
    contact = int(touch[np.argmin(np.abs(touch - len(lm) // 2))])
    ahead = posture.foot_ahead_pct_leg(landmarks=lm, side=side, facing=facing, leg=leg)
    mids = _midstance(ahead, np.array([contact]), int(0.2 * fps))
    written = []
    for name, frame in (("contact", contact), ("midstance", int(mids[0]) if mids.size else None)):
        if frame is None:
            continue
        labels = _frame_labels(lm, frame, side, facing, leg)
        overlay = render.stance_overlay(
            landmarks=series.landmarks[frame],
            width=info.width,
            height=info.height,
            side=side,
            labels=[name, *labels],
        )
        written.append(
            str(
                save_keyframe(
                    path,
                    info=info,
                    frame_index=frame,
                    landmarks=series.landmarks[frame],
                    overlay=overlay,
                    out=out_dir / f"{name}.png",
                )
            )
        )
    return written


def _frame_labels(lm: np.ndarray, frame: int, side: str, facing: int, leg: float) -> list[str]:
    one = lm[frame : frame + 1]
    lean = posture.trunk_lean_deg(landmarks=one, facing=facing)[0]
    knee = posture.knee_flexion_deg(landmarks=one, side=side)[0]
    ahead = posture.foot_ahead_pct_leg(landmarks=one, side=side, facing=facing, leg=leg)[0]
    return [f"trunk {lean:.0f} deg", f"knee {knee:.0f} deg", f"foot ahead {ahead:.0f} % leg"]


def _apply_quality(report: dict[str, Any], series: Any, info: Any, path: Path) -> None:
    """The capture-quality verdict, and every metric's confidence scaled by it."""
    quality = scoring.capture_quality(
        runner_pct=100.0 * float(np.mean(series.found)) if series.found.size else 0.0,
        whole_body_pct=gait.whole_body_pct(landmarks=series.landmarks),
        strides=report["quality"]["strides_counted"],  # from behind too, by stance events
        fps=info.fps,
        camera_shift_per_s=series.camera_shift_per_s,
    )
    factor = scoring.quality_factor(quality)
    for metric in report["metrics"].values():
        metric["confidence"] = round(metric["confidence"] * factor, 2)
    # Too shaky to show is not measured: say so instead of printing a number.
    shaky = {
        k for k, m in report["metrics"].items() if m["confidence"] < scoring.MIN_REPORTED_CONFIDENCE
    }
    report["not_measured"] = {
        **report.get("not_measured", {}),
        **{k: "the clip does not support it (see quality)" for k in sorted(shaky)},
    }
    report["metrics"] = {k: m for k, m in report["metrics"].items() if k not in shaky}
    report["quality"] = quality
    report["score"] = scoring.form_score(report["metrics"])
    report["findings"] = scoring.findings(report["metrics"])
