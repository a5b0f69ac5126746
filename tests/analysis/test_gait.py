"""Gait events and cadence on synthetic landmark sequences with known answers."""

import numpy as np
import pytest

from analysis.core.video import gait
from analysis.core.video.pose_io import VideoRejected, probe
from tests.analysis.synthetic_runner import side_runner

FPS = 30.0


def _runner(
    *, spm: float, seconds: float = 10.0, facing: int = -1
) -> tuple[np.ndarray, np.ndarray]:
    """A side-view stick runner: feet swing ahead of and behind the hip in antiphase, one
    stride (two steps) every 120/spm seconds."""
    t = np.arange(0, seconds, 1 / FPS)
    lm = np.full((t.size, 33, 4), 0.5)
    lm[..., 3] = 1.0
    phase = 2 * np.pi * (spm / 120.0) * t
    for hip, knee, ankle, sign in ((23, 25, 27, 1), (24, 26, 28, -1)):
        lm[:, hip, :2] = [0.5, 0.5]
        lm[:, ankle, 0] = 0.5 + facing * 0.15 * np.sin(phase) * sign
        lm[:, ankle, 1] = 0.9
        lm[:, knee, :2] = (lm[:, hip, :2] + lm[:, ankle, :2]) / 2
    lm[:, 11, :2] = lm[:, 12, :2] = [0.5, 0.2]  # shoulders overlap side-on
    lm[:, 0, 0] = 0.5 + 0.03 * facing  # nose ahead of the ears
    lm[:, 7, 0] = lm[:, 8, 0] = 0.5
    return lm, t


@pytest.mark.parametrize("spm", [150.0, 168.9, 182.0])
@pytest.mark.parametrize("facing", [-1, 1])
def test_cadence_of_a_synthetic_runner(spm, facing):
    lm, t, _ = side_runner(stride_frames=120 / spm * FPS, facing=facing, seconds=10)
    view = gait.detect_view(landmarks=lm)
    assert (view.name, view.facing) == ("side", facing)
    contacts = gait.foot_contacts_side(landmarks=lm, t_s=t, facing=view.facing, fps=FPS)
    assert gait.cadence_spm(contacts=contacts) == pytest.approx(spm, abs=0.5)


def test_a_missed_contact_does_not_halve_the_cadence():
    lm, t, _ = side_runner(stride_frames=120 / 170 * FPS, seconds=10)
    contacts = gait.foot_contacts_side(landmarks=lm, t_s=t, facing=-1, fps=FPS)
    holed = gait.Contacts(np.delete(contacts.left_s, 5), contacts.right_s)
    assert gait.cadence_spm(contacts=holed) == pytest.approx(170, abs=0.5)


def test_short_gaps_are_filled_and_long_ones_left_missing():
    lm, _ = _runner(spm=170)
    lm[10:13, 27, :] = np.nan
    lm[50:70, 27, :] = np.nan
    filled = gait.fill_gaps(landmarks=lm, max_gap=5)
    assert np.isfinite(filled[10:13, 27, 0]).all()
    assert not np.isfinite(filled[50:70, 27, 0]).any()


def test_square_units_make_a_portrait_frame_true_to_shape():
    lm = np.zeros((1, 33, 4))
    lm[0, :, 0] = 1.0
    assert gait.square_units(landmarks=lm, width=720, height=1280)[0, 0, 0] == pytest.approx(0.5625)


def test_rear_view_is_told_from_a_side_view():
    lm, _ = _runner(spm=170)
    lm[:, 11, 0], lm[:, 12, 0] = 0.4, 0.6  # shoulders a torso-width apart, left on image left
    lm[:, 23, 0], lm[:, 24, 0] = 0.42, 0.58
    assert gait.detect_view(landmarks=lm).name == "rear"
    lm[100:, :, :] = np.nan  # the runner leaves the frame: frames without them are no evidence
    assert gait.detect_view(landmarks=lm).name == "rear"


def test_probe_rejects_what_is_not_a_video(tmp_path):
    text = tmp_path / "notes.mp4"
    text.write_text("not a video")
    with pytest.raises(VideoRejected, match="not a video file"):
        probe(text)


def test_square_units_scale_depth_like_x():
    lm = np.ones((1, 33, 4))
    out = gait.square_units(landmarks=lm, width=1280, height=720)
    assert out[0, 0, 2] == pytest.approx(out[0, 0, 0]) and out[0, 0, 1] == 1.0
