"""A clip in, a report out: probe, pose, then the pure gait core. No Django.

Every metric is the median of per-stride values (per stance, per step) with a bootstrap interval and
the number of strides it rests on (:mod:`analysis.core.video.uncertainty`); its label, unit, band
and advice come from the registry (:mod:`analysis.core.metrics`); verdicts, points, confidence and
the score from :mod:`analysis.core.video.scoring`. A clip without a runner, or with too few gait
cycles to time, ends as "no runner found" with the reason: no numbers are made up for it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from analysis.core import metrics as registry
from analysis.core.video import gait, posture, render, scoring
from analysis.core.video.pose_io import VideoRejected, extract_pose, probe, save_keyframe
from analysis.core.video.uncertainty import Estimate, bootstrap, median_estimate

NO_RUNNER = "no_runner"
MIN_RUNNER_PCT = 30.0  # of the frames: below this there is no runner to speak of
MIN_STRIDES = 3  # clean stride periods: fewer cannot time a gait
# Side-on, a leg's stance is clean when its foot is clearly seen (the pose model's own
# visibility) through it; a left/right comparison needs this many clean stances of each leg.
CLEAN_VISIBILITY = 0.8
MIN_CLEAN_STANCES = 6
# MediaPipe's depth (z) is its roughest coordinate: a metric built on it is trusted less, and
# not at all when the hip line it gives turns further per stride than a running pelvis can
# (a few tens of degrees at most): then z follows the swinging legs, not the pelvis.
DEPTH_CONFIDENCE = 0.7
MAX_PELVIS_TURN_DEG = 30.0


@dataclass(frozen=True)
class Scale:
    """What turns leg lengths into metres (a later source: the watch). Without it, bounce
    stays in % leg and the vertical ratio is not given."""

    leg_length_m: float
    speed_m_s: float


def analyse_clip(
    path: Path,
    *,
    view: str = "auto",
    on_progress: Callable[[int, int], None] | None = None,
    keyframe_dir: Path | None = None,
    cadence_good_spm: tuple[float, float] | None = None,
    scale: Scale | None = None,
    on_pose: Callable[[Any, np.ndarray], None] | None = None,
) -> dict[str, Any]:
    """The report as a JSON-ready dict (the `analyze_video --json` contract): status "done",
    "rejected" (not a usable video) or "no_runner" (with the reason). Keyframe images are
    written only when `keyframe_dir` is given (a stored analysis). `cadence_good_spm` is the
    runner's own good cadence band (see
    :func:`analysis.core.runs.cadence.personal_target_spm`). `on_pose`, when given, receives
    the pose series and the cleaned landmarks the report is read from ((T, 33, 4), square
    units) once a runner is found (the video room's skeleton)."""
    started = time.perf_counter()
    try:
        info = probe(path)
    except VideoRejected as exc:
        return {"status": "rejected", "error": str(exc)}
    series = extract_pose(path, info=info, on_progress=on_progress)
    clip = {
        "fps": info.fps,
        "frames": int(series.landmarks.shape[0]),
        "frames_with_pose": int(series.found.sum()),
        "duration_s": round(info.duration_s, 2),
    }
    runner_pct = 100.0 * float(np.mean(series.found)) if series.found.size else 0.0
    if runner_pct < MIN_RUNNER_PCT:
        return _no_runner(clip, started, _absent_reason(runner_pct))
    landmarks = _clean(series.landmarks, info.width, info.height)
    if on_pose is not None:
        on_pose(series, landmarks)
    seen = gait.detect_view(landmarks=landmarks)
    chosen = seen if view == "auto" else gait.View(view, seen.facing, 1.0)
    report = _gait_report(landmarks, series.t_s, chosen, info.fps, cadence_good_spm, scale)
    if report["quality"]["strides_counted"] < MIN_STRIDES:
        return _no_runner(clip, started, _too_few_reason(report, chosen))
    _apply_quality(report, series, info)
    if keyframe_dir is not None and chosen.name == "side" and chosen.facing:
        report["keyframes"] = _keyframes(
            path, series, landmarks, chosen.facing, report["events"], keyframe_dir
        )
    report.update(clip)
    report.update(
        {
            "status": "done",
            "view": chosen.name,
            "view_confidence": round(chosen.confidence, 2),
            "processing_s": round(time.perf_counter() - started, 2),
            "error": None,
        }
    )
    return report


def _clean(raw: np.ndarray, width: int, height: int) -> np.ndarray:
    """Square units, one- or two-frame jumps of a point dropped, short gaps bridged."""
    square = gait.square_units(landmarks=raw, width=width, height=height)
    return gait.fill_gaps(landmarks=gait.drop_glitches(landmarks=square))


FILMING_TIPS = [
    "film from the side (or from behind), the whole body in the picture",
    "keep the phone still and run at least 10 seconds at a steady pace",
]


def _absent_reason(runner_pct: float) -> str:
    if runner_pct == 0:
        return "no person was found in any frame of the clip"
    return f"a person was found in only {runner_pct:.0f} % of the frames"


def _too_few_reason(report: dict, view: gait.View) -> str:
    strides = report["quality"]["strides_counted"]
    what = "foot contacts" if view.name == "side" else "stance phases"
    return (
        f"a person is in the picture, but only {strides} strides could be timed from their "
        f"{what} (at least {MIN_STRIDES} are needed): the runner may not be running, may be "
        "too small or cut off, or the camera may move too much"
    )


def _no_runner(clip: dict, started: float, reason: str) -> dict[str, Any]:
    """The report of a clip with nothing to measure: the reason and how to film next time."""
    return {
        "status": NO_RUNNER,
        "reason": reason,
        "next_time": FILMING_TIPS,
        "view": "",
        "metrics": {},
        "score": None,
        "findings": [],
        "events": {},
        **clip,
        "processing_s": round(time.perf_counter() - started, 2),
        "error": None,
    }


def _gait_report(
    landmarks: np.ndarray,
    t_s: np.ndarray,
    view: gait.View,
    fps: float,
    cadence_good_spm: tuple[float, float] | None = None,
    scale: Scale | None = None,
) -> dict[str, Any]:
    """Events, estimates, judged metrics, score and findings of one clip, before the capture
    quality scales the confidences (see :func:`_apply_quality`)."""
    coverage = float(np.mean(np.isfinite(landmarks[:, gait.L_HIP, 0]))) if len(landmarks) else 0.0
    found = Found()
    if view.name == "side" and view.facing:
        found = _side(landmarks, t_s, view.facing, fps, scale)
    elif view.name == "rear":
        found = _rear(landmarks, t_s, fps)
    goods = {"cadence_spm": tuple(cadence_good_spm)} if cadence_good_spm else {}
    report = {
        "metrics": {},
        "events": found.events,
        "near_leg": found.near_leg,
        "quality": {"frames_with_runner_pct": round(100 * coverage, 1)},
        "keyframes": [],
        "series": _side_series(landmarks, t_s, view.facing) if found.near_leg else {},
        "not_measured": found.not_measured,
        "_estimates": found.estimates,
        "_goods": goods,
        "_scales": found.scales,
    }
    report["quality"]["strides_counted"] = found.strides
    _judge_all(report, quality=1.0)
    return report


@dataclass
class Found:
    """What one clip measured: an estimate per metric key, the reason for each metric it could
    not measure, the events, the near leg (side view) and how many stride periods were timed.
    `scales` lower the confidence of metrics built on weak inputs (the depth estimate)."""

    estimates: dict[str, Estimate] = field(default_factory=dict)
    not_measured: dict[str, str] = field(default_factory=dict)
    events: dict[str, dict] = field(default_factory=dict)
    near_leg: str | None = None
    strides: int = 0
    scales: dict[str, float] = field(default_factory=dict)

    def put(self, key: str, estimate: Estimate | None, reason: str) -> None:
        """Keep an estimate, or record why the metric was not measured."""
        if estimate is None:
            self.not_measured[key] = reason
        else:
            self.estimates[key] = estimate


def _judge_all(report: dict, *, quality: float) -> None:
    """Judge every estimate at this capture quality; then the score and the findings."""
    estimates, goods = report["_estimates"], report["_goods"]
    report["metrics"] = {
        key: scoring.judge(
            key,
            estimate,
            quality=quality * report["_scales"].get(key, 1.0),
            good=goods.get(key),
        )
        for key, estimate in estimates.items()
    }
    cadence = report["metrics"].get("cadence_spm")
    report["cadence_spm"] = cadence["value"] if cadence else None
    score = scoring.form_score(report["metrics"], estimates=estimates, goods=goods)
    report["score"] = round(score.value, 1) if score else None
    report["score_interval"] = score.as_dict() if score else None
    report["findings"] = scoring.findings(report["metrics"])


# -- side view ---------------------------------------------------------------------------------

TOO_FEW = "too few clean strides to measure it"


def _side(lm: np.ndarray, t_s: np.ndarray, facing: int, fps: float, scale: Scale | None) -> Found:
    phases = {
        side: gait.side_stances(landmarks=lm, facing=facing, fps=fps, side=side)
        for side in ("left", "right")
    }
    near = _near_side(lm)
    found = Found(events=_events(phases, t_s), near_leg=near)
    contacts = _contacts(phases, t_s)
    periods = gait.stride_periods_s(contacts=contacts)
    found.strides = int(periods.size)
    found.put("cadence_spm", median_estimate(120.0 / periods), TOO_FEW)
    leg = gait.leg_length(landmarks=lm)
    _at_events(found, lm, phases[near], near, facing, leg, fps)
    _over_strides(found, lm, t_s, phases[near], facing)
    bounce = posture.bounce_per_step_pct_leg(
        landmarks=lm, contact_frames=np.round(contacts.all_s * fps).astype(int), leg=leg
    )
    found.put("vertical_oscillation_pct_leg", median_estimate(bounce), TOO_FEW)
    _vertical_ratio(found, bounce, periods, scale)
    _asymmetry(found, lm, phases, fps)
    return found


def _at_events(
    found: Found,
    lm: np.ndarray,
    phases: gait.Stances,
    side: str,
    facing: int,
    leg: float,
    fps: float,
) -> None:
    """The near leg's values at each initial contact, at each midstance (the middle of the
    stance in time, full load), over each stance, and its timing."""
    contact, paired = phases.contact_at, phases.paired
    mid = phases.midstance_at[paired]
    knee = posture.knee_flexion_deg(landmarks=lm, side=side)
    at_contact = {
        "overstride_pct_leg": posture.heel_ahead_of_hip_pct_leg(
            landmarks=lm, side=side, facing=facing, leg=leg
        ),
        "foot_angle_contact_deg": posture.foot_angle_deg(landmarks=lm, side=side, facing=facing),
        "knee_flexion_contact_deg": knee,
    }
    for key, values in at_contact.items():
        found.put(key, median_estimate(_sample(values, contact)), TOO_FEW)
    at_mid = {
        "hip_flexion_midstance_deg": posture.hip_flexion_deg(landmarks=lm, side=side),
        **{
            f"{part}_ahead_of_ankle_midstance_pct_leg": posture.ahead_of_ankle_pct_leg(
                landmarks=lm, part=part, side=side, facing=facing, leg=leg
            )
            for part in ("hip", "ear")
        },
    }
    for key, values in at_mid.items():
        found.put(key, median_estimate(_sample(values, mid)), TOO_FEW)
    peak = _stance_peak(knee, phases)
    found.put("knee_flexion_stance_peak_deg", median_estimate(peak), TOO_FEW)
    _timing(found, phases, fps)


def _stance_peak(values: np.ndarray, phases: gait.Stances) -> np.ndarray:
    """(N,) the largest value of each paired stance, between its contact and toe-off."""
    out = []
    for start, end in zip(phases.contact_at, phases.toe_off_at, strict=True):
        if np.isfinite(end):
            part = values[int(np.ceil(start)) : int(np.floor(end)) + 1]
            out.append(np.nanmax(part) if np.isfinite(part).any() else np.nan)
    return np.array(out, dtype=float)


# Running has no double support: a duty factor at 50 % or more is a timing failure.
MAX_DUTY_PCT = 50.0


def _timing(found: Found, phases: gait.Stances, fps: float) -> None:
    """Ground contact time per stance and, against the stride it starts, the duty factor."""
    contact_s = (phases.toe_off_at - phases.contact_at) / fps
    stride_s = np.append(np.diff(phases.contact_at), np.nan) / fps
    typical = np.nanmedian(stride_s) if np.isfinite(stride_s).any() else np.nan
    steady = np.abs(stride_s / typical - 1) < gait.STRIDE_SPREAD - 1
    duty = np.where(steady, 100.0 * contact_s / stride_s, np.nan)
    duty_estimate = median_estimate(duty)
    if duty_estimate is not None and duty_estimate.value >= MAX_DUTY_PCT:
        found.put("ground_contact_time_s", None, "foot contacts could not be timed cleanly")
        found.put("duty_factor_pct", None, "foot contacts could not be timed cleanly")
        return
    found.put("ground_contact_time_s", median_estimate(contact_s), TOO_FEW)
    found.put("duty_factor_pct", duty_estimate, TOO_FEW)


def _over_strides(
    found: Found, lm: np.ndarray, t_s: np.ndarray, phases: gait.Stances, facing: int
) -> None:
    """Posture over each stride of the near leg (contact to its next contact)."""
    bounds = np.round(phases.contact_at).astype(int)
    torso = posture.torso_length(landmarks=lm)
    arm = _near_side(lm)

    def per(values: np.ndarray, reduce: str = "median") -> np.ndarray:
        return posture.per_stride(values=values, boundaries=bounds, reduce=reduce)

    lean = per(posture.trunk_lean_deg(landmarks=lm, facing=facing))
    gap = per(posture.ear_shoulder_gap_pct_torso(landmarks=lm, torso=torso))
    head = posture.head_forward_pct_torso(landmarks=lm, facing=facing, torso=torso)
    swing = posture.upper_arm_angle_deg(landmarks=lm, side=arm, facing=facing)
    found.put("trunk_lean_deg", median_estimate(lean), TOO_FEW)
    found.put("trunk_variability_deg", bootstrap(lean, statistic=np.std), TOO_FEW)
    found.put("head_forward_pct_torso", median_estimate(per(head)), TOO_FEW)
    found.put("ear_shoulder_gap_pct_torso", median_estimate(gap), TOO_FEW)
    elbow = per(posture.elbow_angle_deg(landmarks=lm, side=arm))
    found.put("elbow_angle_deg", median_estimate(elbow), TOO_FEW)
    found.put("arm_swing_deg", median_estimate(per(swing, "range")), TOO_FEW)
    middle = np.interp((bounds[:-1] + bounds[1:]) / 2, np.arange(len(t_s)), t_s)
    rise = bootstrap(gap, statistic=_falling_per_10s, times=middle)
    found.put("shoulder_rise_pct_torso_per_10s", rise, TOO_FEW)


def _falling_per_10s(values: np.ndarray, times: np.ndarray) -> float:
    """How fast values fall, per 10 s (least squares); NaN for strides all at one time."""
    if np.ptp(times) <= 0:
        return float("nan")
    return float(-10.0 * np.polyfit(times, values, 1)[0])


def _vertical_ratio(
    found: Found, bounce: np.ndarray, periods: np.ndarray, scale: Scale | None
) -> None:
    if scale is None:
        found.not_measured["vertical_ratio_pct"] = (
            "needs the runner's speed and leg length (for example from a watch)"
        )
        return
    cadence = 120.0 / float(np.median(periods)) if periods.size else float("nan")
    ratio = np.array(
        [
            posture.vertical_ratio_pct(
                bounce_pct_leg=b,
                leg_length_m=scale.leg_length_m,
                speed_m_s=scale.speed_m_s,
                cadence_spm=cadence,
            )
            for b in bounce
        ]
    )
    found.put("vertical_ratio_pct", median_estimate(ratio), TOO_FEW)


ASYMMETRY = {"ground_contact_asymmetry_s": "contact_s", "knee_contact_asymmetry_deg": "knee"}


def _asymmetry(found: Found, lm: np.ndarray, phases: dict[str, gait.Stances], fps: float) -> None:
    """Left minus right, only when each leg has MIN_CLEAN_STANCES clean stances: side-on the
    far leg is often hidden, and a difference of guesses is not an asymmetry."""
    clean = {side: _clean_stances(lm, side, p) for side, p in phases.items()}
    if min(int(c.sum()) for c in clean.values()) < MIN_CLEAN_STANCES:
        seen = {side: int(c.sum()) for side, c in clean.items()}
        reason = (
            f"a left/right comparison needs {MIN_CLEAN_STANCES} clearly seen stances of each "
            f"leg; this clip has {seen['left']} left and {seen['right']} right"
        )
        for key in ASYMMETRY:
            found.not_measured[key] = reason
        return
    per_side = {}
    for side, p in phases.items():
        ok = clean[side] & p.paired
        knee = posture.knee_flexion_deg(landmarks=lm, side=side)
        per_side[side] = {
            "contact_s": median_estimate(((p.toe_off_at - p.contact_at) / fps)[ok]),
            "knee": median_estimate(_sample(knee, p.contact_at[ok])),
        }
    for key, part in ASYMMETRY.items():
        found.put(key, _difference(per_side["left"][part], per_side["right"][part]), TOO_FEW)


def _clean_stances(lm: np.ndarray, side: str, phases: gait.Stances) -> np.ndarray:
    """(N,) bool: the foot's heel, toe and ankle seen clearly from contact to toe-off."""
    points = (
        [gait.L_HEEL, gait.L_TOE, gait.L_ANKLE]
        if side == "left"
        else [
            gait.R_HEEL,
            gait.R_TOE,
            gait.R_ANKLE,
        ]
    )
    seen = np.nanmean(lm[:, points, 3], axis=1)
    out = []
    for start, end in zip(phases.contact_at, phases.toe_off_at, strict=True):
        if not np.isfinite(end):
            out.append(False)
            continue
        part = seen[int(np.floor(start)) : int(np.ceil(end)) + 1]
        out.append(bool(part.size and np.nanmin(part) >= CLEAN_VISIBILITY))
    return np.array(out, dtype=bool)


def _difference(left: Estimate | None, right: Estimate | None) -> Estimate | None:
    """Left minus right, its replicates the difference of the two sides' own."""
    return _combined(left, right, sign=-1.0)


def _combined(a: Estimate | None, b: Estimate | None, *, sign: float) -> Estimate | None:
    """a + sign * b, each side resampled on its own."""
    if a is None or b is None:
        return None
    replicates = a.replicates + sign * b.replicates
    low, high = np.percentile(replicates, [2.5, 97.5])
    value = a.value + sign * b.value
    return Estimate(
        value, min(float(low), value), max(float(high), value), min(a.n, b.n), replicates
    )


def _contacts(phases: dict[str, gait.Stances], t_s: np.ndarray) -> gait.Contacts:
    frames = np.arange(len(t_s))
    return gait.Contacts(
        np.interp(phases["left"].contact_at, frames, t_s),
        np.interp(phases["right"].contact_at, frames, t_s),
    )


def _events(phases: dict[str, gait.Stances], t_s: np.ndarray) -> dict[str, dict]:
    """Per foot, each stance's initial contact and toe-off in seconds on the clip's clock
    (toe-off None where it was not seen)."""
    frames = np.arange(len(t_s))

    def seconds(at: np.ndarray) -> list[float | None]:
        times = np.interp(at, frames, t_s)
        return [
            round(float(t), 3) if np.isfinite(a) else None for a, t in zip(at, times, strict=True)
        ]

    return {
        side: {"contact_s": seconds(p.contact_at), "toe_off_s": seconds(p.toe_off_at)}
        for side, p in phases.items()
    }


MAX_SERIES_POINTS = 300


def _side_series(lm: np.ndarray, t_s: np.ndarray, facing: int) -> dict[str, list]:
    """Per-frame values across the clip for the charts the registry lists, thinned to at most
    MAX_SERIES_POINTS."""
    step = max(1, int(np.ceil(len(t_s) / MAX_SERIES_POINTS)))
    torso = posture.torso_length(landmarks=lm)
    values = {
        "trunk_lean_deg": posture.trunk_lean_deg(landmarks=lm, facing=facing),
        "knee_flexion_deg": posture.knee_flexion_deg(landmarks=lm, side=_near_side(lm)),
        "ear_shoulder_gap_pct_torso": posture.ear_shoulder_gap_pct_torso(landmarks=lm, torso=torso),
    }
    out = {"t_s": [round(float(t), 3) for t in t_s[::step]]}
    for chart in registry.SERIES:
        series = values[chart.key]
        out[chart.key] = [round(float(v), 1) if np.isfinite(v) else None for v in series[::step]]
    return out


def _sample(series: np.ndarray, frames: np.ndarray) -> np.ndarray:
    """Values at fractional frame positions, linear between frames (NaN next to a gap)."""
    frames = frames[np.isfinite(frames)]
    if frames.size == 0:
        return np.zeros(0)
    below = np.clip(np.floor(frames).astype(int), 0, len(series) - 1)
    above = np.clip(below + 1, 0, len(series) - 1)
    share = frames - below
    return (1 - share) * series[below] + share * series[above]


def _near_side(lm: np.ndarray) -> str:
    """The side nearer the camera is the better seen one (elbows, knees, feet)."""
    joints = {"left": [13, 25, 27, 29, 31], "right": [14, 26, 28, 30, 32]}
    seen = {side: np.nanmean(lm[:, j, 3]) for side, j in joints.items()}
    return "left" if seen["left"] >= seen["right"] else "right"


def _at(t_s: np.ndarray, fps: float, n: int) -> np.ndarray:
    return np.clip(np.round(t_s * fps).astype(int), 0, n - 1)


# -- rear view ---------------------------------------------------------------------------------


def _rear(lm: np.ndarray, t_s: np.ndarray, fps: float) -> Found:
    """From behind, with stance events at each foot's lowest moment. The runner usually runs
    away from the camera and shrinks, so lengths use the leg length of each frame."""
    contacts = gait.foot_contacts_rear(landmarks=lm, t_s=t_s, fps=fps)
    periods = gait.stride_periods_s(contacts=contacts)
    found = Found(strides=int(periods.size))
    found.put("cadence_spm", median_estimate(120.0 / periods), TOO_FEW)
    leg = gait.leg_length_per_frame(landmarks=lm, fps=fps)
    events = {
        "left": _at(contacts.left_s, fps, len(lm)),
        "right": _at(contacts.right_s, fps, len(lm)),
    }
    strides = max(events.values(), key=len)
    tilt = gait.smooth(series=posture.pelvic_drop_deg(landmarks=lm), window=max(3, int(fps / 10)))
    found.put(
        "pelvic_drop_deg",
        median_estimate(posture.per_stride(values=tilt, boundaries=strides, reduce="max")),
        TOO_FEW,
    )
    lean = np.abs(posture.lateral_trunk_lean_deg(landmarks=lm))
    found.put(
        "lateral_trunk_lean_deg",
        median_estimate(posture.per_stride(values=lean, boundaries=strides)),
        TOO_FEW,
    )
    sway = posture.lateral_sway_per_stride(landmarks=lm, boundaries=strides, leg_per_frame=leg)
    found.put("lateral_sway_pct_leg", median_estimate(sway), TOO_FEW)
    found.put("step_width_pct_leg", _step_width(lm, events, leg), TOO_FEW)
    drop = {side: _pelvic_drop_at(lm, side, frames, fps) for side, frames in events.items()}
    found.put(
        "pelvic_drop_asymmetry_deg",
        _difference(median_estimate(drop["left"]), median_estimate(drop["right"])),
        TOO_FEW,
    )
    _rotation(found, lm, strides)
    return found


def _rotation(found: Found, lm: np.ndarray, strides: np.ndarray) -> None:
    """The shoulder-against-hip twist per stride, only when the hip line's own turning looks
    like a pelvis (see MAX_PELVIS_TURN_DEG); trusted less, being built on depth."""
    pelvis = posture.per_stride(
        values=posture.line_yaw_deg(landmarks=lm, line="hips"), boundaries=strides, reduce="range"
    )
    pelvis = pelvis[np.isfinite(pelvis)]
    if pelvis.size < 2 or np.median(pelvis) > MAX_PELVIS_TURN_DEG:
        found.not_measured["shoulder_hip_rotation_deg"] = (
            "the pose model's depth estimate is too rough on this clip"
        )
        return
    twist = posture.shoulder_hip_rotation_deg(landmarks=lm)
    per = posture.per_stride(values=twist, boundaries=strides, reduce="range")
    found.put("shoulder_hip_rotation_deg", median_estimate(per), TOO_FEW)
    found.scales["shoulder_hip_rotation_deg"] = DEPTH_CONFIDENCE


def _step_width(lm: np.ndarray, events: dict[str, np.ndarray], leg: np.ndarray) -> Estimate | None:
    """The width between the two footprint lines: each foot's median distance out from the
    pelvis midline at its stance events, summed; below zero the feet cross over."""
    per_side = {
        side: median_estimate(
            posture.foot_outside_midline_pct_leg(landmarks=lm, side=side, leg_per_frame=leg)[frames]
        )
        for side, frames in events.items()
    }
    return _combined(per_side["left"], per_side["right"], sign=1.0)


def _pelvic_drop_at(lm: np.ndarray, side: str, frames: np.ndarray, fps: float) -> np.ndarray:
    """The contralateral pelvic drop at each of one foot's stance events, smoothed over a
    tenth of a second against pose jitter."""
    drop = posture.pelvic_drop_signed_deg(landmarks=lm, stance_side=side)
    return gait.smooth(series=drop, window=max(3, int(fps / 10)))[frames]


# -- capture quality and keyframes -------------------------------------------------------------


def _apply_quality(report: dict[str, Any], series: Any, info: Any) -> None:
    """The capture-quality verdict, and every metric judged again with its confidence scaled
    by it; metrics the capture cannot support move to `not_measured` with the reason."""
    quality = scoring.capture_quality(
        runner_pct=100.0 * float(np.mean(series.found)) if series.found.size else 0.0,
        whole_body_pct=gait.whole_body_pct(landmarks=series.landmarks),
        strides=report["quality"]["strides_counted"],
        fps=info.fps,
        camera_shift_per_s=series.camera_shift_per_s,
    )
    report["quality"] = quality
    _judge_all(report, quality=scoring.quality_factor(quality))
    shaky = [
        k for k, m in report["metrics"].items() if m["confidence"] < scoring.MIN_REPORTED_CONFIDENCE
    ]
    if shaky:
        why = "; ".join(quality["reasons"]) or "its strides scatter too widely"
        for key in shaky:
            report["not_measured"][key] = f"too uncertain on this clip ({why})"
            report["_estimates"].pop(key)
        _judge_all(report, quality=scoring.quality_factor(quality))
    if quality["verdict"] == "poor":  # a score from a poor capture would be tracked as real
        report["score"] = report["score_interval"] = None
        report["score_withheld"] = "the capture is too poor to give a form score"
    for private in ("_estimates", "_goods", "_scales"):
        report.pop(private)


def finish_report(report: dict[str, Any]) -> dict[str, Any]:
    """A report from :func:`_gait_report` without a clip behind it (tests, the demo): judged
    at full quality, its private working parts dropped."""
    for private in ("_estimates", "_goods", "_scales"):
        report.pop(private, None)
    return report


def _keyframes(
    path: Path, series: Any, lm: np.ndarray, facing: int, events: dict, out_dir: Path
) -> list[str]:
    """The near leg's initial contact, midstance and toe-off, drawn at the detected events of
    its stance nearest mid-clip: the first frame in contact, the middle frame, the last frame
    with the toe down."""
    info, side = series.info, _near_side(lm)
    stance = _middle_stance(events.get(side) or {}, info.fps, len(lm))
    if stance is None:
        return []
    contact, toe_off = stance
    leg = gait.leg_length(landmarks=lm)
    frames = {
        "contact": int(np.ceil(contact)),
        "midstance": int(round((contact + toe_off) / 2)),
        "toe_off": int(np.floor(toe_off)),
    }
    written = []
    for name, frame in frames.items():
        frame = min(max(frame, 0), len(lm) - 1)
        overlay = render.stance_overlay(
            landmarks=series.landmarks[frame],
            width=info.width,
            height=info.height,
            side=side,
            labels=[name.replace("_", "-"), *_frame_labels(lm, frame, side, facing, leg)],
        )
        out = out_dir / f"{name}.png"
        save_keyframe(
            path,
            info=info,
            frame_index=frame,
            landmarks=series.landmarks[frame],
            overlay=overlay,
            out=out,
        )
        written.append(str(out))
    return written


def _middle_stance(events: dict, fps: float, frames: int) -> tuple[float, float] | None:
    """(contact, toe-off) as fractional frames of the paired stance nearest mid-clip."""
    pairs = [
        (c * fps, t * fps)
        for c, t in zip(events.get("contact_s", []), events.get("toe_off_s", []), strict=True)
        if c is not None and t is not None
    ]
    return min(pairs, key=lambda p: abs(p[0] - frames / 2)) if pairs else None


def _frame_labels(lm: np.ndarray, frame: int, side: str, facing: int, leg: float) -> list[str]:
    one = lm[frame : frame + 1]
    lean = posture.trunk_lean_deg(landmarks=one, facing=facing)[0]
    knee = posture.knee_flexion_deg(landmarks=one, side=side)[0]
    heel = posture.heel_ahead_of_hip_pct_leg(landmarks=one, side=side, facing=facing, leg=leg)[0]
    return [f"trunk {lean:.0f} deg", f"knee {knee:.0f} deg", f"heel ahead {heel:.0f} % leg"]


def report_from_values(
    values: dict[str, float], *, view: str, strides: int = 12, spread: float = 1.0
) -> dict[str, Any]:
    """A done report, without a clip, for metric values (the demo history, tests): each
    metric gets `strides` per-stride values scattered `spread` times its noise around the
    value (their median exactly the value, the scatter the same every time), and the real
    judging, score and findings. Capture quality good."""
    rng = np.random.default_rng(7)
    estimates = {}
    for key, value in values.items():
        scatter = rng.standard_normal(strides)
        per_stride = value + spread * registry.REGISTRY[key].noise * (scatter - np.median(scatter))
        estimates[key] = median_estimate(per_stride)
    report = {
        "metrics": {},
        "events": {},
        "near_leg": None,
        "quality": {
            "verdict": "good",
            "reasons": [],
            "next_time": [],
            "camera": "fixed",
            "strides_counted": strides,
        },
        "keyframes": [],
        "series": {},
        "not_measured": {},
        "_estimates": estimates,
        "_goods": {},
        "_scales": {},
    }
    _judge_all(report, quality=1.0)
    report.update({"status": "done", "view": view, "view_confidence": 1.0, "error": None})
    return finish_report(report)
