"""The seeded drill catalogue: plain data, no Django.

Every drill here comes from the running-posture articles in the shared domain sources (coaches and
physios writing about mobility before a run, technique, torso and head, back and shoulders, and the
hip hinge); the wording is our own. `coaching.models.DrillQuerySet.sync_catalogue` copies these
specs into the database after every migrate, and the form analysis links its findings to drills by
slug, so the slugs below are a stable contract.

`targets` names the form metrics a drill works on (the metric names produced by the analysis); a
metric's drills, in catalogue order, come from `drills_for`.
"""

from __future__ import annotations

from dataclasses import dataclass

CATEGORY_LABELS: dict[str, str] = {
    "mobility": "Mobility",
    "technique": "Technique",
    "torso_head": "Torso and head",
    "back_shoulders": "Back and shoulders",
    "hip_hinge": "Hip hinge",
}

METRICS: frozenset[str] = frozenset(
    {
        "cadence_spm",
        "overstride_pct_leg",
        "foot_angle_contact_deg",
        "knee_flexion_stance_peak_deg",
        "trunk_lean_deg",
        "hip_flexion_midstance_deg",
        "trunk_variability_deg",
        "head_forward_pct_torso",
        "ear_shoulder_gap_pct_torso",
        "shoulder_rise_pct_torso_per_10s",
        "elbow_angle_deg",
        "arm_swing_deg",
        "vertical_oscillation_pct_leg",
        "pelvic_drop_deg",
        "lateral_trunk_lean_deg",
        "lateral_sway_pct_leg",
        "step_width_pct_leg",
        "shoulder_hip_rotation_deg",
    }
)


@dataclass(frozen=True)
class DrillSpec:
    """One catalogue drill. `stages` holds (name, seconds) pairs and is empty for drills that are
    counted in reps or sets rather than run as timed stages."""

    slug: str
    name: str
    category: str
    purpose: str
    steps: tuple[str, ...]
    dose: str
    stages: tuple[tuple[str, int], ...]
    equipment: str
    targets: tuple[str, ...]


DRILLS: tuple[DrillSpec, ...] = (
    # --- Mobility: before the run, worked from the feet upward. Stop if anything hurts.
    DrillSpec(
        slug="ankle-tilts-toe-pulls",
        name="Ankle tilts and toe pulls",
        category="mobility",
        purpose=(
            "Wakes up the feet and ankles, which take the load of every single step. "
            "Free-moving ankles make it easier to land under the body instead of out in front."
        ),
        steps=(
            "Stand tall on one leg, lightly holding a wall if you need balance.",
            "Tilt the raised foot slowly onto its outer edge, then onto its inner edge.",
            "Pull the toes up toward the shin, then point them away, under control.",
            "Switch feet and repeat; stop at once if anything hurts.",
        ),
        dose="2 x 10 tilts and 10 toe pulls per foot",
        stages=(),
        equipment="none",
        targets=("overstride_pct_leg", "foot_angle_contact_deg"),
    ),
    DrillSpec(
        slug="calf-stretch-three-way",
        name="Three-way calf stretch",
        category="mobility",
        purpose=(
            "Opens up ankle dorsiflexion, the shin-over-foot range that lets the foot stay under "
            "you as the body passes over it."
        ),
        steps=(
            "Face a wall in a short split stance and put your hands on it.",
            "Keep the back heel down and drive the front knee forward over the middle toes.",
            "Repeat with the knee aimed toward the little toe, then toward the big toe.",
            "Swap legs; ease off if you feel pinching at the front of the ankle.",
        ),
        dose="3 positions x 30 s per leg",
        stages=(
            ("Knee over the middle toes", 30),
            ("Knee toward the little toe", 30),
            ("Knee toward the big toe", 30),
        ),
        equipment="a wall",
        targets=("overstride_pct_leg", "foot_angle_contact_deg", "knee_flexion_stance_peak_deg"),
    ),
    DrillSpec(
        slug="hip-drills-rocking",
        name="Hip drills and all-fours rocking",
        category="mobility",
        purpose=(
            "Loosens hips that have stiffened from long hours of sitting, so the pelvis can stay "
            "level and the hips can fold freely when you lean from them."
        ),
        steps=(
            "Standing tall, draw slow, wide circles with one knee, both directions, each leg.",
            "Kneel on hands and knees with hands under shoulders and knees under hips.",
            "Rock your hips back toward your heels while keeping your back long.",
            "Rock forward again until your shoulders are over your hands.",
        ),
        dose="10 hip circles each way per leg, then 2 x 10 rocks",
        stages=(),
        equipment="none",
        targets=("hip_flexion_midstance_deg", "trunk_lean_deg"),
    ),
    DrillSpec(
        slug="hip-flexor-stretch",
        name="Hip-flexor stretch",
        category="mobility",
        purpose=(
            "Lengthens the front of the hip, which shortens with sitting and pulls runners into "
            "an arched, sitting-back posture."
        ),
        steps=(
            "Kneel on one knee (on a towel if the floor is hard), other foot flat in front.",
            "Tuck the pelvis under and squeeze the glute on the kneeling side.",
            "Shift your weight gently forward until the front of that hip stretches.",
            "Keep the chest tall, breathe slowly, then change sides.",
        ),
        dose="2 x 30-45 s per side",
        stages=(),
        equipment="none",
        targets=("trunk_lean_deg", "hip_flexion_midstance_deg"),
    ),
    DrillSpec(
        slug="thoracic-mobility",
        name="Thoracic spine mobility",
        category="mobility",
        purpose=(
            "Restores movement to the upper back, which desks, steering wheels and handlebars "
            "leave stiff; when it is stiff, the neck, shoulders and lower back pick up the slack."
        ),
        steps=(
            "Forward and back: on all fours, round the upper back slowly, then let it extend.",
            "Side to side: stand tall and slide one hand down the thigh, bending sideways.",
            "Rotation: lie on your side with knees bent and open the top arm like a book.",
            "Move slowly and keep the lower back quiet; the motion comes from the upper back.",
        ),
        dose="8-10 slow reps in each of the 3 planes",
        stages=(),
        equipment="none",
        targets=("head_forward_pct_torso", "ear_shoulder_gap_pct_torso"),
    ),
    DrillSpec(
        slug="shoulder-mobility",
        name="Shoulder mobility",
        category="mobility",
        purpose=(
            "Takes the shoulders, the most mobile joints in the body, through their range so they "
            "can sit low and swing freely instead of hunching."
        ),
        steps=(
            "Roll both shoulders up, back and down in slow circles.",
            "Make big arm circles, forward and then backward, with relaxed hands.",
            "Lift the shoulders toward your ears, then let them drop completely.",
            "Finish with a few easy arm swings as you would run, elbows bent.",
        ),
        dose="10 of each movement",
        stages=(),
        equipment="none",
        targets=(
            "ear_shoulder_gap_pct_torso",
            "shoulder_rise_pct_torso_per_10s",
            "elbow_angle_deg",
            "arm_swing_deg",
        ),
    ),
    # --- Technique: posture, cadence and relaxation, the three basics of the running pattern.
    DrillSpec(
        slug="pogo-hops",
        name="Pogo hops",
        category="technique",
        purpose=(
            "Teaches the feet and calves to work as springs, using elastic recoil rather than "
            "muscle effort. It builds foot reactivity, ankle strength and a quicker rhythm."
        ),
        steps=(
            "Stand tall with feet under the hips.",
            "Bounce in small, continuous hops, barely leaving the ground.",
            "Let the heels brush the floor lightly on each landing.",
            "Keep the knees soft, never locked; the feet do the work, not the thighs.",
        ),
        dose="3 x 30-60 s, with a short rest between sets",
        stages=(),
        equipment="none",
        targets=(
            "cadence_spm",
            "overstride_pct_leg",
            "foot_angle_contact_deg",
            "knee_flexion_stance_peak_deg",
            "vertical_oscillation_pct_leg",
        ),
    ),
    DrillSpec(
        slug="arms-overhead-run",
        name="Arms-overhead walk and run",
        category="technique",
        purpose=(
            "Holding the arms straight up keeps the spine upright, switches on the back muscles "
            "that hold posture, and stops the pelvis from swaying."
        ),
        steps=(
            "Raise both arms straight above your head, reaching up without shrugging.",
            "Walk tall, keeping the hips level and facing forward.",
            "Break into an easy jog with the arms still overhead.",
            "Lower the arms and run a few more steps holding the same tall, level feel.",
        ),
        dose="2-3 rounds of 60 s walking then 60 s running",
        stages=(("Walk with arms overhead", 60), ("Easy run with arms overhead", 60)),
        equipment="none",
        targets=(
            "pelvic_drop_deg",
            "lateral_trunk_lean_deg",
            "lateral_sway_pct_leg",
            "trunk_lean_deg",
            "vertical_oscillation_pct_leg",
        ),
    ),
    DrillSpec(
        slug="foot-reactivity-push",
        name="Foot reactivity: push the ground",
        category="technique",
        purpose=(
            "Trains the foot to press the ground away beneath you rather than reach out in front, "
            "which cuts braking and, over time, raises cadence."
        ),
        steps=(
            "Stand tall and start stepping on the spot.",
            "Press each foot down and back into the ground, directly under the hip.",
            "Let that push lift you forward into a slow jog.",
            "Keep landing under the body; never reach forward with the foot.",
        ),
        dose="3 x 20 m",
        stages=(),
        equipment="none",
        targets=("overstride_pct_leg", "cadence_spm", "foot_angle_contact_deg"),
    ),
    DrillSpec(
        slug="foot-reactivity-quick-contacts",
        name="Foot reactivity: quick contacts",
        category="technique",
        purpose=(
            "Shortens the time each foot spends on the ground; brief contacts mean less braking "
            "and a lighter, quicker step."
        ),
        steps=(
            "Stand tall on the balls of the feet.",
            "Alternate feet in fast, light touches, as if the ground were hot.",
            "Keep every contact as short as you can, with little up-and-down movement.",
            "Carry the quick rhythm into a few relaxed running strides.",
        ),
        dose="3 x 15-20 s",
        stages=(),
        equipment="none",
        targets=(
            "cadence_spm",
            "overstride_pct_leg",
            "foot_angle_contact_deg",
            "vertical_oscillation_pct_leg",
        ),
    ),
    DrillSpec(
        slug="relaxed-running",
        name="Relaxed walking, then relaxed running",
        category="technique",
        purpose=(
            "Removes needless tension, which makes movement clumsy and burns energy, and sets an "
            "easy, quick rhythm. Relaxed walking comes first, the simpler skill before the harder."
        ),
        steps=(
            "Walk tall with an open chest and a long spine.",
            "Let the shoulders, neck, jaw and hands go loose while you walk.",
            "Move into easy running, keeping the same loose upper body.",
            "Take short, light steps; a metronome near your target cadence can help.",
        ),
        dose="2 rounds of 2 min walking then 3 min running",
        stages=(("Relaxed walking", 120), ("Relaxed running", 180)),
        equipment="none",
        targets=(
            "cadence_spm",
            "overstride_pct_leg",
            "vertical_oscillation_pct_leg",
            "ear_shoulder_gap_pct_torso",
            "shoulder_rise_pct_torso_per_10s",
            "elbow_angle_deg",
        ),
    ),
    # --- Torso and head: a still, strong base for the arms and legs.
    DrillSpec(
        slug="anti-rotation-hold",
        name="Anti-rotation hold",
        category="torso_head",
        purpose=(
            "Strengthens the torso against twisting so that it stays a still base while running; "
            "sideways or rotational movement leaks energy and shifts strain onto the legs."
        ),
        steps=(
            "Anchor a band at chest height and stand side-on to it, feet hip-width apart.",
            "Hold the band at the middle of your chest with both hands.",
            "Press the hands straight out and hold; do not let the band turn you.",
            "Keep hips and shoulders square to the front, then change sides.",
        ),
        dose="3 x 20-30 s per side",
        stages=(),
        equipment="resistance band or cable machine",
        targets=(
            "shoulder_hip_rotation_deg",
            "trunk_variability_deg",
            "lateral_trunk_lean_deg",
            "lateral_sway_pct_leg",
        ),
    ),
    DrillSpec(
        slug="head-position",
        name="Head position",
        category="torso_head",
        purpose=(
            "Rebalances the head on top of the neck. A head carried in front of the body, common "
            "after screens and driving, strains the neck and upper back."
        ),
        steps=(
            "Look ahead at the horizon rather than down at your feet.",
            "Draw the chin slightly back, without tipping the head down.",
            "Picture a balloon tied to the crown, lifting the head a little.",
            "Hold the position while you run, and check it again whenever you tire.",
        ),
        dose="1-2 min at the start of each easy run, rechecked when tired",
        stages=(),
        equipment="none",
        targets=("head_forward_pct_torso", "ear_shoulder_gap_pct_torso"),
    ),
    # --- Back and shoulders: gentle engagement that keeps the upper body from swaying.
    DrillSpec(
        slug="lower-back-engagement",
        name="Lower-back engagement",
        category="back_shoulders",
        purpose=(
            "Completes the core around the back as well as the front, so the midsection holds "
            "steady. Find the balance between too tight and too loose."
        ),
        steps=(
            "Stand tall and gently draw the sides of the waist back toward each other.",
            "Tense and release a few times, noticing how each feels.",
            "Add the abs, glutes and inner thighs, alone and together with the lower back.",
            "Settle on the amount of tension that feels stable, not rigid.",
            "Walk around holding that balance.",
        ),
        dose="2 stages of 90-180 s",
        stages=(("Standing: engage and release", 120), ("Walking with the engagement", 90)),
        equipment="none",
        targets=("trunk_variability_deg", "lateral_trunk_lean_deg", "lateral_sway_pct_leg"),
    ),
    DrillSpec(
        slug="back-engagement",
        name="Back engagement up the spine",
        category="back_shoulders",
        purpose=(
            "Extends the lower-back engagement up the whole back, which steadies the upper body, "
            "opens the chest and brings the breastbone forward."
        ),
        steps=(
            "Start from the lower-back engagement.",
            "Carry the same gentle squeeze up the back, toward the shoulder blades.",
            "Notice the chest opening and the breastbone moving forward.",
            "Walk with lower and upper back engaged; try too much, too little, then the middle.",
            "Add the glutes, abs and inner thighs while you walk.",
        ),
        dose="2 stages of 90-180 s",
        stages=(("Standing: engage up the back", 120), ("Walking with the whole back", 120)),
        equipment="none",
        targets=(
            "trunk_variability_deg",
            "lateral_sway_pct_leg",
            "shoulder_hip_rotation_deg",
            "head_forward_pct_torso",
        ),
    ),
    DrillSpec(
        slug="scapula-t",
        name="Scapula rotation T",
        category="back_shoulders",
        purpose=(
            "Rotating the shoulder blades caps off the back engagement and counters the way "
            "shoulders tense and creep toward the ears as fatigue sets in."
        ),
        steps=(
            "Stretch your arms out to the sides to make a T, palms facing the floor.",
            "Turn the hands over until the palms face the sky.",
            "Feel the shoulder blades rotate and the chest open as you turn.",
            "Lower the arms and keep the shoulders low and wide as you walk, then jog.",
        ),
        dose="3 stages of 90-180 s",
        stages=(
            ("Standing: palms down to palms up", 90),
            ("Walking with shoulders set", 90),
            ("Easy running with shoulders set", 120),
        ),
        equipment="none",
        targets=(
            "ear_shoulder_gap_pct_torso",
            "shoulder_rise_pct_torso_per_10s",
            "elbow_angle_deg",
        ),
    ),
    DrillSpec(
        slug="relaxation-check",
        name="Relaxation check",
        category="back_shoulders",
        purpose=(
            "A quick scan for tension while running. Engagement should support form, not stiffen "
            "it, and tight shoulders or neck waste energy."
        ),
        steps=(
            "While running, notice where the shoulders sit relative to the ears.",
            "Let them drop and loosen the neck, jaw and hands.",
            "Let the arms swing easily from the shoulder, elbows near a right angle.",
            "Keep only as much back engagement as keeps you steady.",
        ),
        dose="1 check every 10 minutes of running, and whenever you tire",
        stages=(),
        equipment="none",
        targets=(
            "ear_shoulder_gap_pct_torso",
            "shoulder_rise_pct_torso_per_10s",
            "elbow_angle_deg",
            "arm_swing_deg",
        ),
    ),
    # --- Hip hinge: lean slightly forward from the hips, not the ankles or the waist.
    DrillSpec(
        slug="hip-hinge",
        name="Hip hinge",
        category="hip_hinge",
        purpose=(
            "Grooves the slight forward lean from the hips that lets them drive the body forward "
            "and lowers landing stress; an upright, arched stance tends to overstride and brake."
        ),
        steps=(
            "Stand tall, hands on hips, knees softly bent.",
            "Push the hips back while the chest tips forward, keeping the back long.",
            "Return to standing by driving the hips forward.",
            "Finish in a runner's start stance: one straight, angled line from back heel to head, "
            "front knee slightly bent.",
        ),
        dose="2 x 10 reps",
        stages=(),
        equipment="none",
        targets=(
            "trunk_lean_deg",
            "hip_flexion_midstance_deg",
            "overstride_pct_leg",
            "knee_flexion_stance_peak_deg",
        ),
    ),
    DrillSpec(
        slug="deadlift",
        name="Deadlift",
        category="hip_hinge",
        purpose=(
            "The classic loaded hip hinge: it builds the hip and core strength needed to hold a "
            "hips-back, torso-forward stance while running."
        ),
        steps=(
            "Stand with feet hip-width apart and the weight close to your shins.",
            "Hinge at the hips with a long, neutral back and grip the weight.",
            "Drive the hips forward to stand up tall, keeping the weight close to the legs.",
            "Lower it by pushing the hips back again, under control.",
        ),
        dose="3 x 8 reps at a moderate load",
        stages=(),
        equipment="kettlebell, dumbbells or barbell",
        targets=("trunk_lean_deg", "hip_flexion_midstance_deg", "overstride_pct_leg"),
    ),
    DrillSpec(
        slug="single-leg-plyometrics",
        name="Single-leg plyometrics",
        category="hip_hinge",
        purpose=(
            "Hops on one leg from a slight hinge build springy, stable hips that keep the pelvis "
            "level each time a foot lands."
        ),
        steps=(
            "Stand on one leg with a slight hinge at the hip and a soft knee.",
            "Hop a short distance forward and land quietly on the same leg.",
            "Keep the hips level and the knee in line with the toes on landing.",
            "Reset and repeat, then switch legs.",
        ),
        dose="2-3 x 8-10 hops per leg",
        stages=(),
        equipment="none",
        targets=(
            "pelvic_drop_deg",
            "lateral_trunk_lean_deg",
            "knee_flexion_stance_peak_deg",
            "step_width_pct_leg",
        ),
    ),
    DrillSpec(
        slug="uphill-hiking",
        name="Uphill hiking",
        category="hip_hinge",
        purpose=(
            "Climbing on foot naturally puts you into a hips-back, chest-forward position and "
            "strengthens the hips in it."
        ),
        steps=(
            "Pick a steady climb or set a treadmill to a steep incline.",
            "Lean into the hill from the hips, not by bending at the waist.",
            "Take short steps with each foot landing beneath you.",
            "Push through the whole foot and squeeze the glute as each leg straightens.",
        ),
        dose="10-20 min of steady climbing",
        stages=(),
        equipment="a hill or a treadmill with incline",
        targets=("trunk_lean_deg", "hip_flexion_midstance_deg", "overstride_pct_leg"),
    ),
    DrillSpec(
        slug="glute-activation",
        name="Glute activation",
        category="hip_hinge",
        purpose=(
            "Wakes up glutes that sitting has weakened; strong glutes power the hip hinge and "
            "hold the pelvis level over the landing leg."
        ),
        steps=(
            "Lie on your back, knees bent and feet flat.",
            "Squeeze the glutes and lift the hips into a bridge; hold 2 s, then lower.",
            "Lie on your side with knees bent and lift the top knee, feet together.",
            "Lower under control and switch sides; a mini band above the knees adds load.",
        ),
        dose="2 x 12 bridges and 2 x 12 side lifts per side",
        stages=(),
        equipment="none",
        targets=(
            "pelvic_drop_deg",
            "lateral_trunk_lean_deg",
            "lateral_sway_pct_leg",
            "trunk_lean_deg",
        ),
    ),
)


def drills_for(metric: str) -> tuple[str, ...]:
    """Slugs of the drills that target `metric`, in catalogue order (empty if none do)."""
    return tuple(d.slug for d in DRILLS if metric in d.targets)
