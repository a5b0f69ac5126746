"""The registry of form metrics: each one defined once, here. Pure data, no Django.

A metric has a key (as stored in reports), a plain label, a unit, the view that shows it, when
in the stride it is read, and its measurement noise: the standard error of measurement (SEM)
between two analyses of the same running, measured by `bench/repeatability.py` (see NOISE_NOTE).
Metrics with a band (good, warn, and the source the band comes from) enter the form score and
the findings; advice says what a value outside the good band means, one cue, and the drills.
Report, score, findings, pages, charts, leaderboards and the API all read this module.

Knee and trunk norms: Heiderscheit et al. 2011 (Med Sci Sports Exerc 43:296-302), 45
recreational runners at their preferred step rate: knee flexion at initial contact 17.8 +/- 4.0
deg, peak knee flexion in stance 46.3 +/- 4.5 deg; good = mean +/- 1 SD, warn = mean +/- 2 SD.
Teng & Powers 2015 (Med Sci Sports Exerc 47:625-30): trunk flexion of recreational runners at
3.4 m/s from 3.6 +/- 2.8 deg to 10.8 +/- 2.2 deg, so about 4-11 deg.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

INF = float("inf")


@dataclass(frozen=True)
class Band:
    good: tuple[float, float]
    warn: tuple[float, float]
    source: str

    def verdict(self, value: float, *, good: tuple[float, float] | None = None) -> str:
        """good, warn or poor for one value; a personal `good` band moves the warn band
        along with it (see :meth:`warn_for`)."""
        low, high = good or self.good
        warn_low, warn_high = self.warn_for(good)
        if low <= value <= high:
            return "good"
        return "warn" if warn_low <= value <= warn_high else "poor"

    def warn_for(self, good: tuple[float, float] | None) -> tuple[float, float]:
        """The warn band around a good band: the default one, or for a personal good band the
        same distance out on each side as the defaults have (cadence 170-185 / 160-195 makes
        a personal 175-185 warn from 165 to 195). Open edges stay open."""
        if good is None:
            return self.warn
        low = good[0] - (self.good[0] - self.warn[0]) if self.warn[0] > -INF else -INF
        high = good[1] + (self.warn[1] - self.good[1]) if self.warn[1] < INF else INF
        return low, high

    def edges(self, good: tuple[float, float] | None = None) -> list[float]:
        """The finite band edges, for telling a value on an edge from one inside a band."""
        return [e for e in (*(good or self.good), *self.warn_for(good)) if abs(e) < INF]


@dataclass(frozen=True)
class Advice:
    low: str  # what a value below the good band means ("" = not a concern)
    high: str  # above it
    cue: str
    drills: tuple[str, ...]


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str
    view: str  # side | rear | both
    read_at: str  # when in the stride it is read, in plain words
    noise: float  # SEM between repeat analyses, in `unit` (see NOISE_NOTE)
    decimals: int = 1
    band: Band | None = None
    advice: Advice | None = None
    board: str = ""  # title of the club's per-metric board; "" = none
    personal: bool = False  # the good band is personal (cadence: from height)
    noise_note: str = ""  # where the noise is not the bench's measurement, why

    def rounded(self, value: float) -> float:
        return round(float(value), self.decimals)

    def text(self, value: float) -> str:
        return f"{value:.{self.decimals}f} {self.unit}".strip()


CADENCE_SOURCE = (
    "design band 170-185 steps/min; Heiderscheit et al. 2011: a step rate 5-10 % above "
    "preferred lowers hip and knee load; personalised from height (README)"
)
HEIDERSCHEIT = "Heiderscheit et al. 2011, 45 runners at preferred step rate"

METRICS: tuple[Metric, ...] = (
    Metric(
        "cadence_spm",
        "Cadence",
        "steps/min",
        "both",
        "from each stride's contact-to-contact time",
        noise=1.6,
        band=Band((170, 185), (160, 195), CADENCE_SOURCE),
        advice=Advice(
            "Your step rate is low: fewer, longer steps.",
            "Your step rate is very high; check that you are not shuffling.",
            "Quick, light feet: think of the ground as hot.",
            ("pogo-hops", "foot-reactivity-push", "relaxed-running"),
        ),
        board="Cadence closer to the personal target",
        personal=True,
    ),
    Metric(
        "overstride_pct_leg",
        "Heel landing ahead of the hip",
        "% leg",
        "side",
        "at initial contact",
        noise=1.5,
        band=Band(
            (-INF, 8),
            (-INF, 15),
            "design band; Lieberman et al. 2010, Crowell & Davis 2011 (landing position)",
        ),
        advice=Advice(
            "",
            "Your heel lands well ahead of your hip, which brakes every step.",
            "Land with the foot under you, as if stepping onto a moving walkway.",
            ("pogo-hops", "foot-reactivity-push", "hip-hinge"),
        ),
        board="Overstride reduced",
    ),
    Metric(
        "foot_angle_contact_deg",
        "Foot angle at landing (toes up +)",
        "deg",
        "side",
        "at initial contact",
        noise=3.5,
    ),
    Metric(
        "knee_flexion_contact_deg",
        "Knee bend at landing",
        "deg",
        "side",
        "at initial contact",
        noise=1.4,
        band=Band((13.8, 21.8), (9.8, 25.8), f"{HEIDERSCHEIT}: 17.8 +/- 4.0 deg"),
        advice=Advice(
            "Your knee is nearly straight as the foot lands, so the landing is stiff.",
            "Your knee is already deeply bent as the foot lands.",
            "Soft knees: let the knee give a little as the foot meets the ground.",
            ("pogo-hops", "single-leg-plyometrics"),
        ),
    ),
    Metric(
        "knee_flexion_stance_peak_deg",
        "Knee bend under load (deepest in stance)",
        "deg",
        "side",
        "its peak between contact and toe-off",
        noise=1.4,
        band=Band((41.8, 50.8), (37.3, 55.3), f"{HEIDERSCHEIT}: 46.3 +/- 4.5 deg"),
        advice=Advice(
            "Your knee stays quite straight under load, so it absorbs little of the landing.",
            "Your knee bends deeply under load, which costs effort to straighten again.",
            "Soft knees: land with a slight bend, spring off it.",
            ("pogo-hops", "single-leg-plyometrics"),
        ),
    ),
    Metric(
        "hip_flexion_midstance_deg",
        "Hip bend under load",
        "deg",
        "side",
        "at midstance",
        noise=1.2,
    ),
    Metric(
        "trunk_lean_deg",
        "Forward lean of the trunk",
        "deg",
        "side",
        "over each stride",
        noise=0.5,
        band=Band(
            (4, 11),
            (0, 16),
            "Teng & Powers 2015: recreational runners 3.6 +/- 2.8 to 10.8 +/- 2.2 deg",
        ),
        advice=Advice(
            "You run upright or sit back; a slight lean from the hips lets you fall forward.",
            "You lean a lot; the lean should come from the ankles and hips, not the waist.",
            "Tall through the crown, then tip forward a little from the ankles.",
            ("hip-hinge", "arms-overhead-run", "glute-activation"),
        ),
        board="Trunk lean into its band",
    ),
    Metric(
        "trunk_variability_deg",
        "Trunk lean, stride-to-stride variation",
        "deg",
        "side",
        "spread of the per-stride lean",
        noise=0.4,
    ),
    Metric(
        "head_forward_pct_torso",
        "Head ahead of the shoulders",
        "% torso",
        "side",
        "over each stride",
        noise=1.2,
    ),
    Metric(
        "ear_shoulder_gap_pct_torso",
        "Gap between ears and shoulders",
        "% torso",
        "side",
        "over each stride",
        noise=0.4,
    ),
    Metric(
        "shoulder_rise_pct_torso_per_10s",
        "Shoulders rising during the clip",
        "% torso/10 s",
        "side",
        "trend over the clip",
        noise=3.4,
    ),
    Metric(
        "elbow_angle_deg",
        "Elbow angle",
        "deg",
        "side",
        "over each stride",
        noise=5.5,
        band=Band((75, 105), (60, 120), "design band (arm carriage near a right angle)"),
        advice=Advice(
            "Your arms are tightly bent; that often goes with tense shoulders.",
            "Your arms are quite straight; a bend near 90 degrees swings faster.",
            "Elbows near a right angle, hands relaxed, swing from the shoulder.",
            ("scapula-t", "shoulder-mobility", "relaxation-check"),
        ),
    ),
    Metric(
        "arm_swing_deg",
        "Arm swing (upper arm, per stride)",
        "deg",
        "side",
        "range over each stride",
        noise=2.2,
    ),
    Metric(
        "vertical_oscillation_pct_leg",
        "Bounce (vertical oscillation)",
        "% leg",
        "side",
        "rise and fall of the hip over each step",
        noise=0.7,
        band=Band(
            (-INF, 12), (-INF, 18), "design band; Anderson 1996 (vertical motion and economy)"
        ),
        advice=Advice(
            "",
            "You bounce up and down a lot; that energy is not carrying you forward.",
            "Run forward, not up: keep your head at one height.",
            ("pogo-hops", "relaxed-running", "arms-overhead-run"),
        ),
        board="Less bounce",
    ),
    Metric(
        "vertical_ratio_pct",
        "Vertical ratio (bounce per step length)",
        "%",
        "side",
        "bounce over each step against the step length (needs a scale)",
        noise=0.5,
        noise_note="assumed: no shared clip comes with a watch scale yet",
    ),
    Metric(
        "hip_ahead_of_ankle_midstance_pct_leg",
        "Hip ahead of the standing foot, mid-stance",
        "% leg",
        "side",
        "at midstance",
        noise=1.8,
    ),
    Metric(
        "ear_ahead_of_ankle_midstance_pct_leg",
        "Head ahead of the standing foot, mid-stance",
        "% leg",
        "side",
        "at midstance",
        noise=0.6,
    ),
    Metric(
        "ground_contact_time_s",
        "Ground contact time",
        "s",
        "side",
        "initial contact to toe-off",
        noise=0.015,
        noise_note=(
            "published error of a video gait event, 0.01-0.02 s (Stenum 2021, Young 2023), "
            "over two events; the bench measured 0.009 s on two independent pairs"
        ),
        decimals=3,
    ),
    Metric(
        "duty_factor_pct",
        "Share of the stride on the ground",
        "% stride",
        "side",
        "contact time over stride time",
        noise=2.0,
        noise_note="ground contact time's 0.015 s over a 0.7 s stride; the bench measured 1.1 %",
    ),
    Metric(
        "ground_contact_asymmetry_s",
        "Ground contact time, left minus right",
        "s",
        "side",
        "initial contact to toe-off, each leg",
        noise=0.015,
        noise_note="assumed: side-on, no shared clip shows the far leg clearly",
        decimals=3,
    ),
    Metric(
        "knee_contact_asymmetry_deg",
        "Knee bend at landing, left minus right",
        "deg",
        "side",
        "at initial contact, each leg",
        noise=3.0,
        noise_note="assumed: side-on, no shared clip shows the far leg clearly",
    ),
    Metric(
        "pelvic_drop_deg",
        "Hip drop",
        "deg",
        "rear",
        "at each stance",
        noise=0.7,
        band=Band((-INF, 6), (-INF, 10), "design band; Noehren et al. 2007 (hip drop)"),
        advice=Advice(
            "",
            "Your hip drops on the side of the swinging leg, a sign of weak hip stabilisers.",
            "Stand tall on each landing leg, hips level like a tray of drinks.",
            ("single-leg-plyometrics", "glute-activation", "arms-overhead-run"),
        ),
        board="Less pelvic drop",
    ),
    Metric(
        "pelvic_drop_asymmetry_deg",
        "Hip drop, standing on left minus on right",
        "deg",
        "rear",
        "at each stance, each leg",
        noise=4.0,
    ),
    Metric(
        "lateral_trunk_lean_deg",
        "Sideways lean of the trunk",
        "deg",
        "rear",
        "over each stride",
        noise=0.4,
        advice=Advice(
            "",
            "Your upper body tips to the side; it should stay upright over the hips.",
            "Run tall and level, as if balancing a book on your head.",
            ("anti-rotation-hold", "single-leg-plyometrics", "glute-activation"),
        ),
    ),
    Metric(
        "lateral_sway_pct_leg",
        "Side-to-side sway of the hips",
        "% leg",
        "rear",
        "range over each stride",
        noise=0.6,
    ),
    Metric(
        "step_width_pct_leg",
        "Step width (below zero: feet cross the midline)",
        "% leg",
        "rear",
        "at each stance",
        noise=6.1,
        band=Band(
            (0, INF),
            (-5, INF),
            "Meardon et al. 2012: iliotibial band strain rises as step width narrows",
        ),
        advice=Advice(
            "Your feet land across the middle line, as if running on a tightrope.",
            "",
            "Land each foot on its own side of a line painted down the road.",
            ("anti-rotation-hold", "single-leg-plyometrics", "glute-activation"),
        ),
    ),
    Metric(
        "shoulder_hip_rotation_deg",
        "Shoulders twisting against the hips",
        "deg",
        "rear",
        "range over each stride (from the pose model's rough depth)",
        noise=3.0,
        noise_note="assumed: the shared rear clip is too small for the depth estimate",
    ),
)
REGISTRY: dict[str, Metric] = {m.key: m for m in METRICS}
BANDED: tuple[str, ...] = tuple(m.key for m in METRICS if m.band is not None)
BOARDS: tuple[str, ...] = tuple(m.key for m in METRICS if m.board)


def get(key: str) -> Metric | None:
    return REGISTRY.get(key)


def label(key: str) -> str:
    """The plain label; a key this version no longer knows reads as "an earlier measure"
    rather than as a raw key."""
    metric = REGISTRY.get(key)
    return metric.label if metric else "An earlier measure"


@dataclass(frozen=True)
class Series:
    """A per-frame value drawn as a chart across the clip, with the band of `band_of`."""

    key: str
    label: str
    band_of: str = ""


SERIES: tuple[Series, ...] = (
    Series("trunk_lean_deg", "Trunk lean (deg)", band_of="trunk_lean_deg"),
    Series("knee_flexion_deg", "Knee bend, near leg (deg)"),
    Series("ear_shoulder_gap_pct_torso", "Ear to shoulder gap (% torso): falls as shoulders rise"),
)

Z95_TWO_MEASURES = 1.96 * math.sqrt(2)  # MDC95 = this x SEM (two measurements, each noisy)


def mdc95(key: str) -> float:
    """The minimal detectable change of a metric: a change smaller than this between two
    analyses is within the measurement noise."""
    return Z95_TWO_MEASURES * REGISTRY[key].noise


@dataclass(frozen=True)
class Repeatability:
    sem: float  # standard error of measurement, form-score points
    how: str

    @property
    def mdc95(self) -> float:
        return Z95_TWO_MEASURES * self.sem


SCORE_REPEATABILITY = Repeatability(
    sem=1.37,
    how=(
        "bench/repeatability.py, 2026-11: RMS of the form-score differences between the two "
        "halves of male_side.mp4 and between the clip and its mirror image, over sqrt(2): "
        "1.37 points (the score's own bootstrap error on the whole clip is 0.87)"
    ),
)
SCORE_MDC = round(SCORE_REPEATABILITY.mdc95, 1)  # form-score points: smaller is no change

NOISE_NOTE = (
    "Measurement noise is the larger of the standard error of measurement between independent "
    "test-retest pairs of the shared clips (halves, and the clip against its mirror image) and "
    "the standard error of a whole clip's median (bootstrap), as bench/repeatability.py prints "
    "them (2026-11, male_side.mp4 for side metrics, park_rear.mp4 for rear ones); the minimal "
    "detectable change is MDC95 = 1.96 x sqrt(2) x noise."
)
