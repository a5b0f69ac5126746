"""Every metric a report can hold has a plain label."""

from analysis import gait, scoring, video_report
from tests.analysis.synthetic_runner import FPS, rear_runner, side_runner


def test_every_reported_metric_has_a_label():
    side, t, _ = side_runner()
    rear, t_rear = rear_runner(foot_out=0.03, sway=0.01, twist_deg=(6.0, 3.0))
    names = set(video_report._gait_report(side, t, gait.View("side", -1, 1.0), FPS)["metrics"])
    names |= set(video_report._gait_report(rear, t_rear, gait.View("rear", 0, 1.0), FPS)["metrics"])
    assert names <= set(scoring.METRIC_LABELS), names - set(scoring.METRIC_LABELS)
    assert {"arm_swing_deg", "step_width_pct_leg", "shoulder_hip_rotation_deg"} <= names
    assert all(label and label[0].isupper() for label in scoring.METRIC_LABELS.values())
