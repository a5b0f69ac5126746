"""Metric bands, the form score and ranked findings. Pure: numbers in, verdicts out.

Default bands come from the design brief's form model, each with its source:
- cadence 170-185 good, 160-195 warn (steps/min): Heiderscheit et al. 2011 (a 5-10 % higher
  step rate lowers hip and knee load); personalised per member like the FIT target.
- overstride <= 8 good, <= 15 warn (% leg length): Lieberman et al. 2010; Crowell & Davis 2011.
- trunk lean 5-12 good, 0-16 warn (deg): Novacheck 1998 (running kinematics).
- knee flexion at midstance 38-50 good (deg): Novacheck 1998.
- vertical oscillation <= 12 good, <= 18 warn (% leg length): Anderson 1996 (economy).
- pelvic drop <= 6 good, <= 10 warn (deg): Noehren et al. 2007.
- elbow angle 75-105 good (deg).
- step width >= 0 good, >= -5 warn (% leg length, rear view): below zero the feet land across
  the body's midline, which is what a crossover gait is; Meardon et al. 2012 (Sports Biomech
  11(4):464-72) found iliotibial band strain rising steadily as step width narrowed, with
  conditions 5 % of leg length apart, so a crossover that deep is past noise and a concern.
- cadence with a personal band (`band_of(good=...)`): the warn band keeps the default's
  distance from the good band on each side.
Reported without a band, so outside the score and the findings until a source gives a value:
head forward, ear-shoulder gap and shoulder rise, arm swing, alignment at midstance, hip and
knee angles other than above, contact time and duty factor, lateral trunk lean, lateral sway,
shoulder-hip rotation and the left/right asymmetries. Their advice is kept ready below.
2D pose is off by a few degrees: a value counts as outside a band only by more than its margin.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Band:
    good: tuple[float, float]
    warn: tuple[float, float]
    unit: str
    margin: float  # measurement noise: closer than this to an edge is not a verdict


INF = float("inf")
BANDS = {
    "cadence_spm": Band((170, 185), (160, 195), "spm", 2.0),
    "overstride_pct_leg": Band((-INF, 8), (-INF, 15), "% leg", 1.5),
    "trunk_lean_deg": Band((5, 12), (0, 16), "deg", 2.0),
    "knee_flexion_midstance_deg": Band((38, 50), (30, 58), "deg", 3.0),
    "vertical_oscillation_pct_leg": Band((-INF, 12), (-INF, 18), "% leg", 1.0),
    "pelvic_drop_deg": Band((-INF, 6), (-INF, 10), "deg", 2.0),
    "elbow_angle_deg": Band((75, 105), (60, 120), "deg", 5.0),
    "step_width_pct_leg": Band((0, INF), (-5, INF), "% leg", 2.0),
}
POINTS = {"good": 100.0, "warn": 60.0, "poor": 20.0}
MIN_CONFIDENCE = 0.5


def band_of(name: str, value: float, *, good: tuple[float, float] | None = None) -> str:
    """good, warn or poor; values within the margin of a better band get that band. A personal
    `good` band moves the warn band along with it (see :func:`warn_band`)."""
    spec = BANDS[name]
    low, high = good or spec.good
    warn_low, warn_high = warn_band(name, good=good)
    if low - spec.margin <= value <= high + spec.margin:
        return "good"
    if warn_low - spec.margin <= value <= warn_high + spec.margin:
        return "warn"
    return "poor"


def warn_band(name: str, *, good: tuple[float, float] | None = None) -> tuple[float, float]:
    """The warn band around a good band: the default one, or for a personal good band the
    same distance out on each side as the defaults have (cadence 170-185 / 160-195 makes a
    personal 175-185 warn from 165 to 195). Open edges stay open."""
    spec = BANDS[name]
    if good is None:
        return spec.warn
    low = good[0] - (spec.good[0] - spec.warn[0]) if spec.warn[0] > -INF else -INF
    high = good[1] + (spec.warn[1] - spec.good[1]) if spec.warn[1] < INF else INF
    return low, high


def form_score(metrics: dict[str, dict]) -> float | None:
    """0-100: the confidence-weighted mean of band points over metrics measured confidently."""
    used = [
        (POINTS[m["band"]], m["confidence"])
        for m in metrics.values()
        if m.get("band") and m.get("confidence", 0) >= MIN_CONFIDENCE
    ]
    if not used:
        return None
    return round(sum(p * c for p, c in used) / sum(c for _, c in used), 1)


@dataclass(frozen=True)
class Advice:
    message_low: str
    message_high: str
    cue: str
    drills: tuple[str, ...]


ADVICE = {
    "cadence_spm": Advice(
        "Your steps are long and slow, which tends to mean landing ahead of the body.",
        "Your step rate is very high; check that you are not shuffling.",
        "Quick, light feet: think of the ground as hot.",
        ("pogo-hops", "foot-reactivity-push", "relaxed-running"),
    ),
    "overstride_pct_leg": Advice(
        "",
        "Your foot lands well ahead of your hips, which brakes every step.",
        "Land with the foot under you, as if stepping onto a moving walkway.",
        ("pogo-hops", "foot-reactivity-push", "hip-hinge"),
    ),
    "trunk_lean_deg": Advice(
        "You run upright or sit back; a slight lean from the hips lets you fall forward.",
        "You lean a lot; the lean should come from the ankles and hips, not a bend at the waist.",
        "Tall through the crown, then tip forward a little from the ankles.",
        ("hip-hinge", "arms-overhead-run", "glute-activation"),
    ),
    "knee_flexion_midstance_deg": Advice(
        "Your knee stays quite straight under load, so it absorbs little of the landing.",
        "Your knee bends deeply under load, which costs effort to straighten again.",
        "Soft knees: land with a slight bend, spring off it.",
        ("pogo-hops", "single-leg-plyometrics"),
    ),
    "vertical_oscillation_pct_leg": Advice(
        "",
        "You bounce up and down a lot; that energy is not carrying you forward.",
        "Run forward, not up: keep your head at one height.",
        ("pogo-hops", "relaxed-running", "arms-overhead-run"),
    ),
    "pelvic_drop_deg": Advice(
        "",
        "Your hip drops on the side of the swinging leg, a sign of weak hip stabilisers.",
        "Stand tall on each landing leg, hips level like a tray of drinks.",
        ("single-leg-plyometrics", "glute-activation", "arms-overhead-run"),
    ),
    "elbow_angle_deg": Advice(
        "Your arms are tightly bent; that often goes with tense shoulders.",
        "Your arms are quite straight; a bend near 90 degrees swings faster.",
        "Elbows near a right angle, hands relaxed, swing from the shoulder.",
        ("scapula-t", "shoulder-mobility", "relaxation-check"),
    ),
    "head_forward_pct_torso": Advice(
        "",
        "Your head sits ahead of your shoulders, so your neck and upper back hold it up.",
        "Ears over shoulders, eyes on the road some way ahead.",
        ("head-position", "thoracic-mobility"),
    ),
    "ear_shoulder_gap_pct_torso": Advice(
        "Your shoulders ride up towards your ears; that tension costs energy.",
        "",
        "Let your shoulders drop and your neck grow long.",
        ("scapula-t", "shoulder-mobility", "relaxation-check"),
    ),
    "shoulder_rise_pct_torso_per_10s": Advice(
        "",
        "Your shoulders creep up during the run, a sign of tension building with fatigue.",
        "Every few minutes, shrug once and let the shoulders fall.",
        ("scapula-t", "shoulder-mobility", "relaxation-check"),
    ),
    "lateral_trunk_lean_deg": Advice(
        "",
        "Your upper body tips to the side; it should stay upright over the hips.",
        "Run tall and level, as if balancing a book on your head.",
        ("anti-rotation-hold", "single-leg-plyometrics", "glute-activation"),
    ),
    "lateral_sway_pct_leg": Advice(
        "",
        "Your hips swing from side to side, energy that does not carry you forward.",
        "Keep your hips travelling on one straight line.",
        ("anti-rotation-hold", "single-leg-plyometrics", "glute-activation"),
    ),
    "step_width_pct_leg": Advice(
        "Your feet land across the middle line, as if running on a tightrope.",
        "",
        "Land each foot on its own side of a line painted down the road.",
        ("anti-rotation-hold", "single-leg-plyometrics", "glute-activation"),
    ),
    "shoulder_hip_rotation_deg": Advice(
        "",
        "Your shoulders twist a lot against your hips; the torso should stay quiet.",
        "Chest to the front, arms swing forward and back, not across.",
        ("anti-rotation-hold", "thoracic-mobility"),
    ),
}
SEVERITY = {"poor": 2, "warn": 1}


def findings(metrics: dict[str, dict], *, limit: int = 3) -> list[dict]:
    """Metrics outside their good band, worst and most confident first, at most `limit`."""
    out = []
    for name, m in metrics.items():
        if (
            m.get("band") not in SEVERITY
            or m.get("confidence", 0) < MIN_CONFIDENCE
            or name not in ADVICE
        ):
            continue
        advice = ADVICE[name]
        high = _is_high(name, m, advice)
        out.append(
            {
                "code": f"{name}_{'high' if high else 'low'}",
                "severity": m["band"],
                "message": advice.message_high if high else advice.message_low,
                "cue": advice.cue,
                "drills": list(advice.drills),
                "_rank": (SEVERITY[m["band"]], m["confidence"]),
            }
        )
    out.sort(key=lambda f: f["_rank"], reverse=True)
    return [{k: v for k, v in f.items() if k != "_rank"} for f in out[:limit]]


def _is_high(name: str, metric: dict, advice: Advice) -> bool:
    """Above the good band (the metric's own `target` where it has one); a metric without a
    band can only be off in the one direction its advice speaks to."""
    if name in BANDS:
        return metric["value"] > (metric.get("target") or BANDS[name].good)[1]
    return bool(advice.message_high)


# Plain names for every metric a report can hold, for pages and messages.
METRIC_LABELS = {
    "cadence_spm": "Cadence (steps per minute)",
    "overstride_pct_leg": "Foot landing ahead of the hips",
    "foot_angle_contact_deg": "Foot angle at landing",
    "knee_flexion_contact_deg": "Knee bend at landing",
    "knee_flexion_midstance_deg": "Knee bend under load",
    "hip_flexion_midstance_deg": "Hip bend under load",
    "trunk_lean_deg": "Forward lean of the trunk",
    "trunk_variability_deg": "Trunk lean, stride-to-stride variation",
    "head_forward_pct_torso": "Head ahead of the shoulders",
    "ear_shoulder_gap_pct_torso": "Gap between ears and shoulders",
    "shoulder_rise_pct_torso_per_10s": "Shoulders rising during the clip",
    "elbow_angle_deg": "Elbow angle",
    "arm_swing_deg": "Arm swing (upper arm, per stride)",
    "vertical_oscillation_pct_leg": "Bounce (vertical oscillation)",
    "hip_ahead_of_ankle_midstance_pct_leg": "Hips ahead of the standing foot, mid-stance",
    "ear_ahead_of_ankle_midstance_pct_leg": "Head ahead of the standing foot, mid-stance",
    "ground_contact_time_s": "Ground contact time",
    "duty_factor_pct": "Share of the stride on the ground",
    "overstride_asymmetry_pct_leg": "Landing ahead of the hips, left minus right",
    "knee_contact_asymmetry_deg": "Knee bend at landing, left minus right",
    "ground_contact_asymmetry_s": "Ground contact time, left minus right",
    "pelvic_drop_deg": "Hip drop",
    "pelvic_drop_asymmetry_deg": "Hip drop, standing on left minus on right",
    "lateral_trunk_lean_deg": "Sideways lean of the trunk",
    "lateral_sway_pct_leg": "Side-to-side sway of the hips",
    "step_width_pct_leg": "Step width (below zero: feet cross the midline)",
    "shoulder_hip_rotation_deg": "Shoulders twisting against the hips",
}


PANNING_SHIFT_PER_S = 0.05  # frame widths per second; a fixed camera measures near 0.003


def capture_quality(
    *,
    runner_pct: float,
    whole_body_pct: float,
    strides: int | None,
    fps: float,
    camera_shift_per_s: float,
) -> dict:
    """A verdict on the clip (good, fair or poor) with the reasons, in words for the member."""
    reasons = []
    if runner_pct < 80:
        reasons.append(f"the runner is found in only {runner_pct:.0f} % of the frames")
    if whole_body_pct < 70:
        reasons.append(
            f"head and feet are both in the picture in only {whole_body_pct:.0f} % of the frames"
        )
    if strides is not None and strides < 6:
        reasons.append(f"only {strides} clean strides; film at least 10 seconds of steady running")
    if fps < 24:
        reasons.append(f"{fps:.0f} frames per second is too few to time foot contacts")
    panning = camera_shift_per_s > PANNING_SHIFT_PER_S
    if panning:
        reasons.append("the camera moves; positions against the ground are less reliable")
    verdict = (
        "good" if not reasons else "fair" if len(reasons) == 1 and not runner_pct < 50 else "poor"
    )
    return {
        "verdict": verdict,
        "reasons": reasons,
        "frames_with_runner_pct": round(runner_pct, 1),
        "whole_body_pct": round(whole_body_pct, 1),
        "strides_counted": strides,
        "fps": round(fps, 2),
        "camera": "panning" if panning else "fixed",
    }


MIN_REPORTED_CONFIDENCE = 0.3


def quality_factor(quality: dict) -> float:
    """How much the capture lets us trust its numbers: scales every metric's confidence."""
    return {"good": 1.0, "fair": 0.7, "poor": 0.4}[quality["verdict"]]
