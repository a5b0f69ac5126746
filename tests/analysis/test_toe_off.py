"""Toe-off, contact time and duty factor on a synthetic side-view gait whose foot contacts and
toe-offs are known. Tolerance: one frame."""

import numpy as np
import pytest

from analysis import gait, video_report
from tests.analysis.synthetic_runner import FPS, LEG, side_runner


def _stances(lm, t, facing):
    contacts = gait.foot_contacts_side(landmarks=lm, t_s=t, facing=facing, fps=FPS)
    return {
        side: gait.stances(
            landmarks=lm,
            reach_frames=np.round((times - t[0]) * FPS).astype(int),
            side=side,
            fps=FPS,
            leg=LEG,
        )
        for side, times in (("left", contacts.left_s), ("right", contacts.right_s))
    }


def _nearest_error(found, truth):
    return np.array([np.min(np.abs(truth - f)) for f in found])


@pytest.mark.parametrize("facing", [-1, 1])
@pytest.mark.parametrize("duty", [0.28, 0.35])
def test_contacts_and_toe_offs_within_a_frame(facing, duty):
    lm, t, truth = side_runner(facing=facing, duty=duty)
    for side, found in _stances(lm, t, facing).items():
        assert found.contact_at.size >= 10
        assert _nearest_error(found.contact_at, truth.contact[side]).max() <= 1.0
        assert _nearest_error(found.toe_off_at, truth.toe_off[side]).max() <= 1.0
        # each toe-off ends the stance its contact began
        assert np.all(found.toe_off_at - found.contact_at == pytest.approx(duty * 21, abs=1.0))


def test_toe_off_times_are_on_the_clip_clock():
    lm, t, truth = side_runner()
    found = _stances(lm, t + 100.0, -1)["left"]
    expected = 100.0 + truth.toe_off["left"][: found.toe_off_at.size] / FPS
    assert found.toe_off_s(t_s=t + 100.0) == pytest.approx(expected, abs=1 / FPS)


def test_a_foot_that_never_lifts_has_no_toe_off():
    lm, t, _ = side_runner()
    lm[:, 31, 1] = lm[:, 29, 1] = lm[:, 27, 1] = 0.86  # left foot dragged along the ground
    lm[:, 29, 1] += 0.04
    lm[:, 31, 1] += 0.04
    toe_off = gait.toe_off_frames(
        landmarks=lm, contact_frames=np.array([4, 25, 46]), side="left", fps=FPS, leg=LEG
    )
    assert list(toe_off) == [-1, -1, -1]


def test_report_gives_contact_time_and_duty_factor():
    lm, t, _ = side_runner(duty=0.3)  # stride 21 frames: 6.3 frames = 0.21 s on the ground
    report = video_report._gait_report(lm, t, gait.View("side", -1, 1.0), FPS)
    metrics = report["metrics"]
    assert metrics["ground_contact_time_s"]["value"] == pytest.approx(0.21, abs=1 / FPS)
    assert metrics["duty_factor_pct"]["value"] == pytest.approx(30.0, abs=100 / 21)
    assert "band" not in metrics["duty_factor_pct"]  # no source gives a band: not scored


def test_duty_factor_needs_stances_and_a_stride():
    assert gait.duty_factor_pct(contact_time_s=np.zeros(0), stride_s=np.ones(3)) is None
    assert gait.duty_factor_pct(
        contact_time_s=np.array([0.2, 0.22]), stride_s=np.array([0.7])
    ) == pytest.approx(30.0)
