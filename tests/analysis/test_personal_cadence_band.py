"""A member's own cadence band replaces the default one and is recorded in the report."""

import pytest

from analysis.core.runs.cadence import personal_target_spm
from analysis.core.video import gait, video_report
from analysis.video_analysis import cadence_good_spm
from club.models import User
from tests.analysis.synthetic_runner import FPS, side_runner

SIDE = gait.View("side", -1, 1.0)


def test_personal_band_is_used_and_recorded():
    lm, t, _ = side_runner()  # 171.4 steps/min
    default = video_report._gait_report(lm, t, SIDE, FPS)["metrics"]["cadence_spm"]
    assert default["band"] == "good" and default["good"] == [170, 185]
    personal = video_report._gait_report(lm, t, SIDE, FPS, (178.0, 188.0))["metrics"]
    assert personal["cadence_spm"]["good"] == [178.0, 188.0]
    assert personal["cadence_spm"]["band"] == "warn"
    assert personal["cadence_spm"]["value"] == pytest.approx(default["value"])


def test_analyse_clip_takes_the_band_as_a_keyword():
    import inspect

    parameter = inspect.signature(video_report.analyse_clip).parameters["cadence_good_spm"]
    assert parameter.kind is inspect.Parameter.KEYWORD_ONLY and parameter.default is None


def test_command_band_comes_from_the_members_height():
    assert cadence_good_spm(User(username="short", height_cm=155)) == personal_target_spm(
        height_cm=155.0
    )
    assert cadence_good_spm(User(username="unknown", height_cm=None)) is None
