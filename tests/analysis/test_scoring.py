"""Bands with margins, the form score and ranked findings."""

import pytest

from analysis import scoring


@pytest.mark.parametrize(
    "name,value,band",
    [
        ("cadence_spm", 175, "good"),
        ("cadence_spm", 168.5, "good"),  # within the 2 spm margin
        ("cadence_spm", 163, "warn"),
        ("cadence_spm", 150, "poor"),
        ("overstride_pct_leg", 5, "good"),
        ("overstride_pct_leg", 12, "warn"),
        ("overstride_pct_leg", 25, "poor"),
        ("trunk_lean_deg", 8, "good"),
        ("trunk_lean_deg", 15, "warn"),
        ("trunk_lean_deg", -6, "poor"),
        ("pelvic_drop_deg", 9, "warn"),
    ],
)
def test_bands(name, value, band):
    assert scoring.band_of(name, value) == band


def test_score_uses_only_confident_metrics():
    metrics = {
        "cadence_spm": {"value": 175, "band": "good", "confidence": 1.0},
        "overstride_pct_leg": {"value": 20, "band": "poor", "confidence": 1.0},
        "trunk_lean_deg": {"value": 30, "band": "poor", "confidence": 0.2},  # not trusted
    }
    assert scoring.form_score(metrics) == pytest.approx(60.0)
    assert scoring.form_score({}) is None


def test_findings_rank_poor_first_and_carry_cue_and_drills():
    metrics = {
        "vertical_oscillation_pct_leg": {"value": 15, "band": "warn", "confidence": 1.0},
        "overstride_pct_leg": {"value": 20, "band": "poor", "confidence": 0.9},
        "cadence_spm": {"value": 175, "band": "good", "confidence": 1.0},
    }
    found = scoring.findings(metrics)
    assert [f["code"] for f in found] == [
        "overstride_pct_leg_high",
        "vertical_oscillation_pct_leg_high",
    ]
    assert found[0]["cue"] and "pogo-hops" in found[0]["drills"] and found[0]["severity"] == "poor"


def test_at_most_three_findings():
    metrics = {name: {"value": 1e6, "band": "poor", "confidence": 1.0} for name in scoring.ADVICE}
    assert len(scoring.findings(metrics)) == 3


def test_capture_quality_names_each_problem():
    good = scoring.capture_quality(
        runner_pct=100, whole_body_pct=98, strides=30, fps=30, camera_shift_per_s=0.003
    )
    assert (good["verdict"], good["reasons"], good["camera"]) == ("good", [], "fixed")
    bad = scoring.capture_quality(
        runner_pct=40, whole_body_pct=30, strides=2, fps=15, camera_shift_per_s=0.2
    )
    assert bad["verdict"] == "poor" and bad["camera"] == "panning" and len(bad["reasons"]) == 5
    rear = scoring.capture_quality(
        runner_pct=100, whole_body_pct=98, strides=None, fps=30, camera_shift_per_s=0.0
    )
    assert rear["verdict"] == "good"  # strides are not counted from behind: no complaint


DRILLS = {
    "ankle-tilts-toe-pulls",
    "calf-stretch-three-way",
    "hip-drills-rocking",
    "hip-flexor-stretch",
    "thoracic-mobility",
    "shoulder-mobility",
    "pogo-hops",
    "arms-overhead-run",
    "foot-reactivity-push",
    "foot-reactivity-quick-contacts",
    "relaxed-running",
    "anti-rotation-hold",
    "head-position",
    "lower-back-engagement",
    "back-engagement",
    "scapula-t",
    "relaxation-check",
    "hip-hinge",
    "deadlift",
    "single-leg-plyometrics",
    "uphill-hiking",
    "glute-activation",
}


def test_every_advice_has_a_message_a_cue_and_catalogue_drills():
    for name, advice in scoring.ADVICE.items():
        assert advice.cue and (advice.message_low or advice.message_high), name
        assert advice.drills and set(advice.drills) <= DRILLS, name
        assert name in scoring.METRIC_LABELS


@pytest.mark.parametrize(
    "value,good,band",
    [
        (168, None, "good"),  # default 170-185, within the margin
        (168, (175, 185), "warn"),  # personal band: warn moves along, 165-195
        (163.5, (175, 185), "warn"),  # within the margin of 165
        (162, (175, 185), "poor"),
        (196, (160, 172), "poor"),  # a tall runner's band: warn 150-182
        (152, (160, 172), "warn"),
    ],
)
def test_personal_cadence_band_moves_the_warn_band_along(value, good, band):
    assert scoring.band_of("cadence_spm", value, good=good) == band


def test_open_band_edges_stay_open_when_moved():
    assert scoring.warn_band("overstride_pct_leg", good=(-20, 5)) == (-scoring.INF, 12)


def test_finding_direction_follows_the_personal_target():
    metrics = {"cadence_spm": {"value": 172, "target": [176, 186], "band": "warn", "confidence": 1}}
    assert scoring.findings(metrics)[0]["code"] == "cadence_spm_low"


@pytest.mark.parametrize("value,band", [(6, "good"), (-1.5, "good"), (-4, "warn"), (-9, "poor")])
def test_step_width_band_flags_a_crossover(value, band):
    assert scoring.band_of("step_width_pct_leg", value) == band


def test_crossover_finding_carries_its_drills():
    metrics = {"step_width_pct_leg": {"value": -9, "band": "poor", "confidence": 0.8}}
    (finding,) = scoring.findings(metrics)
    assert finding["code"] == "step_width_pct_leg_low"
    assert "anti-rotation-hold" in finding["drills"]


def test_metrics_without_a_band_give_no_finding_and_no_score():
    metrics = {
        "head_forward_pct_torso": {"value": 40, "confidence": 1.0},
        "shoulder_hip_rotation_deg": {"value": 50, "confidence": 1.0},
    }
    assert scoring.findings(metrics) == [] and scoring.form_score(metrics) is None


@pytest.mark.parametrize(
    "name,code,drill",
    [
        ("head_forward_pct_torso", "head_forward_pct_torso_high", "head-position"),
        ("ear_shoulder_gap_pct_torso", "ear_shoulder_gap_pct_torso_low", "scapula-t"),
        ("shoulder_rise_pct_torso_per_10s", "shoulder_rise_pct_torso_per_10s_high", "scapula-t"),
        ("lateral_trunk_lean_deg", "lateral_trunk_lean_deg_high", "anti-rotation-hold"),
        ("lateral_sway_pct_leg", "lateral_sway_pct_leg_high", "glute-activation"),
        ("shoulder_hip_rotation_deg", "shoulder_hip_rotation_deg_high", "thoracic-mobility"),
    ],
)
def test_advice_for_unbanded_metrics_is_ready_for_a_band(name, code, drill):
    """Should a band be set (say per athlete), the advice speaks in its one direction."""
    (finding,) = scoring.findings({name: {"value": 1.0, "band": "warn", "confidence": 1.0}})
    assert finding["code"] == code and drill in finding["drills"] and finding["cue"]
