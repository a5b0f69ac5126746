"""Verdicts with borderline, continuous points, the score with its interval, and findings
that cite their values. Known answers are built from per-stride values whose median and
scatter are set by the test."""

import numpy as np
import pytest

from analysis.core import metrics as registry
from analysis.core.video import scoring
from analysis.core.video.uncertainty import median_estimate


def estimate(value, *, scatter=0.0, n=12):
    """An estimate whose median is `value`, per-stride values spread evenly +/- scatter."""
    return median_estimate(value + np.linspace(-scatter, scatter, n))


@pytest.mark.parametrize(
    "key,value,band",
    [
        ("cadence_spm", 175, "good"),
        ("cadence_spm", 163, "warn"),
        ("cadence_spm", 150, "poor"),
        ("overstride_pct_leg", 5, "good"),
        ("overstride_pct_leg", 12, "warn"),
        ("overstride_pct_leg", 25, "poor"),
        ("trunk_lean_deg", 8, "good"),
        ("trunk_lean_deg", 14, "warn"),
        ("trunk_lean_deg", -6, "poor"),
        ("knee_flexion_contact_deg", 17.8, "good"),
        ("knee_flexion_contact_deg", 3.0, "poor"),
        ("knee_flexion_stance_peak_deg", 46.3, "good"),
        ("knee_flexion_stance_peak_deg", 40.0, "warn"),
        ("pelvic_drop_deg", 9, "warn"),
        ("step_width_pct_leg", -4, "warn"),
        ("step_width_pct_leg", -9, "poor"),
    ],
)
def test_a_value_clearly_inside_a_band_gets_that_band(key, value, band):
    assert scoring.judge(key, estimate(value))["band"] == band


def test_an_interval_across_a_band_edge_is_borderline_not_flipped():
    """Trunk lean 11 +/- 1 straddles the good band's top (11 deg): neither good nor warn."""
    judged = scoring.judge("trunk_lean_deg", estimate(11.0, scatter=1.5))
    assert judged["band"] == "borderline" and judged["between"] == ["good", "warn"]
    assert judged["interval"][0] < 11.0 < judged["interval"][1]
    assert 0.3 < judged["confidence"] < 0.9  # the resampled strides disagree on the verdict


def test_confidence_is_measured_and_differs_between_metrics():
    steady = scoring.judge("trunk_lean_deg", estimate(7.5, scatter=0.5))
    scattered = scoring.judge("trunk_lean_deg", estimate(10.5, scatter=3.0))
    assert steady["confidence"] == 1.0 and scattered["confidence"] < 0.9
    assert scoring.judge("trunk_lean_deg", estimate(7.5), quality=0.4)["confidence"] == 0.4


def test_value_carries_its_interval_and_stride_count():
    judged = scoring.judge("cadence_spm", estimate(172.0, scatter=2.0, n=15))
    assert judged["strides"] == 15 and judged["unit"] == "steps/min"
    low, high = judged["interval"]
    assert low < 172.0 < high and judged["plus_minus"] == pytest.approx((high - low) / 2, abs=0.1)


@pytest.mark.parametrize("key", registry.BANDED)
def test_points_fall_smoothly_and_never_jump(key):
    metric = registry.REGISTRY[key]
    low, high = (e if np.isfinite(e) else None for e in metric.band.good)
    deep = 3 * metric.noise
    inside = low + deep if high is None else high - deep if low is None else (low + high) / 2
    assert scoring.points(key, inside) > 95
    start = high if high is not None else low
    direction = 1 if high is not None else -1
    width = (metric.band.warn[1] - high) if high is not None else (low - metric.band.warn[0])
    path = [start + direction * width * f for f in np.linspace(-0.5, 3, 200)]
    values = np.array([scoring.points(key, v) for v in path])
    assert np.all(np.diff(values) <= 1e-9)  # never rises moving away from the band
    assert np.max(np.abs(np.diff(values))) < 2.0  # no step: 200 steps over 3.5 warn widths
    one_width_out = scoring.points(key, start + direction * width)
    expected = 80 if width >= scoring.NOISE_WIDTHS * metric.noise else None
    if expected:
        assert one_width_out == pytest.approx(expected, abs=3)


def test_a_value_within_the_noise_of_an_edge_loses_almost_nothing():
    noise = registry.REGISTRY["trunk_lean_deg"].noise
    assert scoring.points("trunk_lean_deg", 11.0) > 90
    assert scoring.points("trunk_lean_deg", 11.0 + noise / 2) > 85


def test_score_is_the_confidence_weighted_mean_with_an_interval():
    estimates = {
        "cadence_spm": estimate(176.0, scatter=1.0),
        "overstride_pct_leg": estimate(22.0, scatter=3.0),
    }
    judged = {k: scoring.judge(k, e) for k, e in estimates.items()}
    score = scoring.form_score(judged, estimates=estimates)
    expected = sum(m["points"] * m["confidence"] for m in judged.values()) / sum(
        m["confidence"] for m in judged.values()
    )
    assert score.value == pytest.approx(expected)
    assert score.low < score.value < score.high and score.metrics == 2
    assert scoring.form_score({}) is None


def test_metrics_without_a_band_give_no_points_no_score_and_no_finding():
    judged = {"head_forward_pct_torso": scoring.judge("head_forward_pct_torso", estimate(40.0))}
    assert "points" not in judged["head_forward_pct_torso"]
    assert scoring.form_score(judged) is None and scoring.findings(judged) == []


def test_findings_cite_the_values_they_rest_on():
    judged = {
        "overstride_pct_leg": scoring.judge("overstride_pct_leg", estimate(22.0, scatter=1.0)),
        "vertical_oscillation_pct_leg": scoring.judge(
            "vertical_oscillation_pct_leg", estimate(15.0, scatter=0.5)
        ),
        "cadence_spm": scoring.judge("cadence_spm", estimate(176.0)),
    }
    found = scoring.findings(judged)
    assert [f["code"] for f in found] == [
        "overstride_pct_leg_high",
        "vertical_oscillation_pct_leg_high",
    ]
    first = found[0]
    assert first["evidence"].startswith("Heel landing ahead of the hip: 22.0 ± ")
    assert "good up to 8 % leg" in first["evidence"] and "pogo-hops" in first["drills"]


def test_no_finding_contradicts_a_good_metric():
    """The old cadence advice claimed a landing ahead of the body beside an overstride rated
    good. Messages now speak only of their own metric."""
    for metric in registry.METRICS:
        if metric.advice is None:
            continue
        for message in (metric.advice.low, metric.advice.high):
            others = [m for m in registry.METRICS if m.key != metric.key]
            assert not any(m.label.lower() in message.lower() for m in others), metric.key
    slow = {"cadence_spm": scoring.judge("cadence_spm", estimate(158.0))}
    assert "ahead" not in scoring.findings(slow)[0]["message"]


def test_borderline_and_unsure_metrics_make_no_finding():
    judged = {
        "trunk_lean_deg": scoring.judge("trunk_lean_deg", estimate(11.0, scatter=1.5)),
        "overstride_pct_leg": scoring.judge("overstride_pct_leg", estimate(22.0), quality=0.4),
    }
    assert scoring.findings(judged) == []


def test_at_most_three_findings_most_points_lost_first():
    far = {"cadence_spm": 140.0, "overstride_pct_leg": 40.0, "trunk_lean_deg": 25.0}
    near = {"elbow_angle_deg": 125.0}
    judged = {k: scoring.judge(k, estimate(v)) for k, v in {**far, **near}.items()}
    found = scoring.findings(judged)
    assert len(found) == 3 and "elbow_angle_deg" not in [f["metric"] for f in found]


@pytest.mark.parametrize(
    "value,good,band",
    [
        (168, None, "warn"),  # default 170-185
        (168, (175, 185), "warn"),  # personal band: warn moves along, 165-195
        (162, (175, 185), "poor"),
        (196, (160, 172), "poor"),  # a tall runner's band: warn 150-182
        (152, (160, 172), "warn"),
    ],
)
def test_personal_cadence_band_moves_the_warn_band_along(value, good, band):
    assert scoring.judge("cadence_spm", estimate(value), good=good)["band"] == band


def test_open_band_edges_stay_open_when_moved():
    band = registry.REGISTRY["overstride_pct_leg"].band
    assert band.warn_for((-20, 5)) == (-registry.INF, 12)


def test_finding_direction_follows_the_personal_band():
    judged = {"cadence_spm": scoring.judge("cadence_spm", estimate(172.0), good=(178, 188))}
    assert judged["cadence_spm"]["good"] == [178, 188]
    assert scoring.findings(judged)[0]["code"] == "cadence_spm_low"


def test_capture_quality_names_each_problem_and_how_to_film_next_time():
    good = scoring.capture_quality(
        runner_pct=100, whole_body_pct=98, strides=30, fps=30, camera_shift_per_s=0.003
    )
    assert (good["verdict"], good["reasons"], good["camera"]) == ("good", [], "fixed")
    bad = scoring.capture_quality(
        runner_pct=40, whole_body_pct=30, strides=2, fps=15, camera_shift_per_s=0.2
    )
    assert bad["verdict"] == "poor" and bad["camera"] == "panning" and len(bad["reasons"]) == 5
    assert len(bad["next_time"]) == 5 and all(tip for tip in bad["next_time"])
