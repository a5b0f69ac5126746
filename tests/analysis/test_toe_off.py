"""Initial contact, toe-off, contact time and duty factor on synthetic side-view runners whose
events are known, between frames as in a real clip. The synthetic foot stops dead and jumps to
the ground's speed at contact; a velocity read from two frames spreads that jump over one
frame, so contact is placed up to half a frame late (inside the frame the jump happened in).
A toe that starts rising between two frames is likewise placed up to about a third of a frame
early. Tolerance: a little over half a frame per event, twice that for a stance's length."""

import numpy as np
import pytest

from analysis.core.video import gait, video_report
from tests.analysis.synthetic_runner import FPS
from tests.analysis.synthetic_runner import side_runner as _side_runner

HALF = 0.6  # frames: half a frame, and the rounding of a swing that slows into contact


def side_runner(**kwargs):
    """A foot that rises over a fifth of its swing (about 0.1 s), as real toes leave the ground:
    events are read between frames, which needs a foot that moves through them."""
    return _side_runner(ramp=0.2, **kwargs)


def _stances(lm, facing):
    return {
        side: gait.side_stances(landmarks=lm, facing=facing, fps=FPS, side=side)
        for side in ("left", "right")
    }


def _nearest_error(found, truth):
    """For each true event, how far the nearest found one is (frames)."""
    found = found[np.isfinite(found)]
    return np.array([np.min(np.abs(found - t)) for t in truth])


@pytest.mark.parametrize("facing", [-1, 1])
@pytest.mark.parametrize("duty", [0.28, 0.35])
@pytest.mark.parametrize("stride_frames", [21.0, 21.31, 17.7])
def test_contacts_and_toe_offs_between_frames(facing, duty, stride_frames):
    lm, _, truth = side_runner(facing=facing, duty=duty, stride_frames=stride_frames)
    for side, found in _stances(lm, facing).items():
        assert found.contact_at.size >= 10 and found.paired[:-1].all()  # the clip may end first
        assert _nearest_error(found.contact_at, truth.contact[side]).max() <= HALF
        assert _nearest_error(found.toe_off_at, truth.toe_off[side]).max() <= HALF
        # each toe-off ends the stance its contact began
        stance = (found.toe_off_at - found.contact_at)[found.paired]
        assert stance == pytest.approx(duty * stride_frames, abs=2 * HALF)


def test_a_panning_camera_does_not_move_the_events():
    """Relative to the hip, a planted foot slides back at the runner's speed whatever the
    camera does: the whole picture drifting sideways changes nothing."""
    lm, _, truth = side_runner()
    drift = 0.004 * np.arange(len(lm)) + 0.05 * np.sin(np.arange(len(lm)) / 40)
    lm[..., 0] += drift[:, None]
    found = _stances(lm, -1)["left"]
    assert _nearest_error(found.contact_at, truth.contact["left"]).max() <= HALF


def test_a_foot_swapped_for_two_frames_does_not_make_a_contact():
    """Pose models sometimes put both feet's labels on one foot for a frame or two; the
    swinging foot then seems to stop on the ground. A contact needs the foot to stay planted."""
    lm, _, truth = side_runner()
    for frame in (30, 31, 72, 73):  # mid-swing of the left foot, onto the planted right one
        lm[frame, [27, 29, 31], :2] = lm[frame, [28, 30, 32], :2]
    found = _stances(lm, -1)["left"]
    assert _nearest_error(found.contact_at, truth.contact["left"]).max() <= HALF
    # one contact per stride, no extra ones (the clip may end in a stance the truth leaves out)
    assert found.contact_at.size - truth.contact["left"].size in (0, 1)


def test_toe_off_times_are_on_the_clip_clock():
    lm, t, truth = side_runner()
    found = _stances(lm, -1)["left"]
    clock = t + 100.0
    expected = 100.0 + truth.toe_off["left"][: found.paired.sum()] / FPS
    assert found.toe_off_s(t_s=clock) == pytest.approx(expected, abs=HALF / FPS)


def test_a_foot_that_never_lifts_has_no_stance():
    lm, _, _ = side_runner()
    lm[:, [27, 29, 31], 1] = np.array([0.86, 0.9, 0.9])  # left foot dragged along the ground
    found = _stances(lm, -1)["left"]
    assert not np.isfinite(found.toe_off_at).any()


def test_report_gives_contact_time_and_duty_factor():
    lm, t, _ = side_runner(duty=0.3)  # stride 21 frames: 6.3 frames = 0.21 s on the ground
    report = video_report._gait_report(lm, t, gait.View("side", -1, 1.0), FPS)
    metrics = report["metrics"]
    assert metrics["ground_contact_time_s"]["value"] == pytest.approx(0.21, abs=2 * HALF / FPS)
    assert metrics["duty_factor_pct"]["value"] == pytest.approx(30.0, abs=100 * 2 * HALF / 21)
    assert "band" not in metrics["duty_factor_pct"]  # no source gives a band: not scored


def test_report_gives_events_per_foot_in_seconds():
    lm, t, truth = side_runner(duty=0.3)
    events = video_report._gait_report(lm, t, gait.View("side", -1, 1.0), FPS)["events"]
    contacts = np.array(events["left"]["contact_s"])[: truth.contact["left"].size]
    assert contacts * FPS == pytest.approx(truth.contact["left"][: contacts.size], abs=HALF)
    assert len(events["right"]["toe_off_s"]) == len(events["right"]["contact_s"])
