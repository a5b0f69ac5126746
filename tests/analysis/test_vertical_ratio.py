"""Vertical oscillation as % leg now, and as vertical ratio (bounce over step length, the
watches' measure) once a scale is known. Known answer: 10 % of a 0.9 m leg is 9 cm of bounce;
at 3 m/s and 180 steps/min a step is 1.0 m long: a vertical ratio of 9 %."""

import pytest

from analysis.core.video import gait, posture, video_report
from tests.analysis.synthetic_runner import FPS, side_runner


def test_vertical_ratio_from_bounce_leg_speed_and_cadence():
    ratio = posture.vertical_ratio_pct(
        bounce_pct_leg=10.0, leg_length_m=0.9, speed_m_s=3.0, cadence_spm=180.0
    )
    assert ratio == pytest.approx(9.0)


def test_the_report_gives_it_only_with_a_scale():
    lm, t, _ = side_runner()
    view = gait.View("side", -1, 1.0)
    without = video_report._gait_report(lm, t, view, FPS)
    assert "vertical_ratio_pct" not in without["metrics"]
    assert "watch" in without["not_measured"]["vertical_ratio_pct"]
    scale = video_report.Scale(leg_length_m=0.9, speed_m_s=3.0)
    found = video_report._gait_report(lm, t, view, FPS, scale=scale)["metrics"]
    assert found["vertical_ratio_pct"]["unit"] == "%"
    assert "vertical_oscillation_pct_leg" in found
