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
