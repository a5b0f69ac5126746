"""A stored report as a page shows it: plain labels, "value ± x", the good band in words; a
report stored by an earlier version (no intervals, keys since renamed) still reads in words."""

from analysis.core.video import presentation
from analysis.core.video.video_report import report_from_values


def test_rows_carry_labels_intervals_and_the_good_band():
    report = report_from_values({"trunk_lean_deg": 14.0, "arm_swing_deg": 30.0}, view="side")
    rows = {r.key: r for r in presentation.metric_rows(report)}
    lean = rows["trunk_lean_deg"]
    assert lean.label == "Forward lean of the trunk" and " ± " in lean.value
    assert lean.value.endswith(" deg") and lean.good == "good 4 to 11 deg"
    assert lean.band_words == "watch" and lean.strides == 12
    assert list(rows) == ["trunk_lean_deg", "arm_swing_deg"]  # banded first
    assert rows["arm_swing_deg"].good == "" and rows["arm_swing_deg"].band_words == ""


def test_an_earlier_report_reads_in_words_and_leaves_unknown_keys_out():
    old = {
        "metrics": {
            "knee_flexion_midstance_deg": {"value": 20.0, "band": "poor", "confidence": 1.0},
            "cadence_spm": {"value": 168.7, "band": "warn", "confidence": 1.0},
        },
        "not_measured": {"shoulder_hip_rotation_deg": "too rough"},
    }
    rows = presentation.metric_rows(old)
    assert [r.key for r in rows] == ["cadence_spm"]
    assert rows[0].value == "168.7 steps/min" and rows[0].good == "good 170 to 185 steps/min"
    assert presentation.not_measured_rows(old) == [
        ("Shoulders twisting against the hips", "too rough")
    ]
    assert presentation.headline_cadence(old) == "168.7 steps/min"


def test_a_borderline_verdict_names_both_bands():
    metric = {"value": 11.0, "plus_minus": 1.0, "band": "borderline", "between": ["good", "warn"]}
    (row,) = presentation.metric_rows({"metrics": {"trunk_lean_deg": metric}})
    assert row.band_words == "borderline (good / watch)"
