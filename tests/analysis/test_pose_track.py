"""The pose track the video room draws: integers per mille that decode back to the landmarks
within half a per mille, frames without a runner kept as gaps, midstance between each
contact and toe-off, the same bytes every time it is packed."""

import json

import numpy as np
import pytest

from analysis.core.video import gait, pose_track


def _landmarks(frames: int = 40, seed: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    out = rng.uniform(0.05, 0.95, size=(frames, 33, 4))
    out[..., 3] = rng.uniform(0, 1, size=(frames, 33))
    out[5] = np.nan  # no runner in frame 5
    out[9, 27, :2] = np.nan  # one ankle unseen in frame 9
    return out


def _encode(landmarks: np.ndarray, **overrides: object) -> dict:
    values = {
        "t_s": np.arange(len(landmarks)) / 30.0,
        "landmarks": landmarks,
        "fps": 30.0,
        "width": 720,
        "height": 1280,
        "events": {"left": {"contact_s": [0.2, 0.9], "toe_off_s": [0.5, None]}},
        "near_leg": "left",
    }
    return pose_track.encode(**{**values, **overrides})


def test_landmarks_decode_within_half_a_per_mille():
    landmarks = _landmarks()
    t_s, points = pose_track.decode(_encode(landmarks))
    kept = landmarks[:, list(pose_track.JOINTS), :]
    seen = np.isfinite(kept[..., 0])
    assert np.nanmax(np.abs(points[..., :2] - kept[..., :2])[seen]) <= 0.0005 + 1e-9
    assert np.nanmax(np.abs(points[..., 2] - kept[..., 3])[seen]) <= 0.005 + 1e-9
    assert np.allclose(t_s, np.round(np.arange(40) / 30.0, 3), atol=0.0005)


def test_a_frame_without_a_runner_and_an_unseen_point_stay_gaps():
    track = _encode(_landmarks())
    assert track["frames"][5] is None
    ankle = pose_track.JOINTS_INDEX["left_ankle"]
    assert track["frames"][9][3 * ankle : 3 * ankle + 3] == [None, None, 0]
    _, points = pose_track.decode(track)
    assert np.isnan(points[5]).all() and np.isnan(points[9, ankle]).all()


def test_the_track_names_its_joints_and_bones_and_units():
    track = _encode(_landmarks())
    assert track["format"] == "runclub-pose" and track["version"] == 1
    assert track["scale"] == {"xy": 1000, "visibility": 100}
    assert len(track["joints"]) == 19 and "left_heel" in track["joints"]
    assert all(0 <= a < 19 and 0 <= b < 19 for a, b in track["bones"])
    assert ["left_knee", "left_ankle"] in [
        [track["joints"][a], track["joints"][b]] for a, b in track["bones"]
    ]
    assert all(len(frame) == 3 * 19 for frame in track["frames"] if frame is not None)


def test_midstance_is_the_middle_of_each_stance_in_time():
    events = _encode(_landmarks())["events"]
    assert events["left"] == {
        "contact_s": [0.2, 0.9],
        "midstance_s": [0.35, None],
        "toe_off_s": [0.5, None],
    }
    assert events["right"] == {"contact_s": [], "midstance_s": [], "toe_off_s": []}


def test_square_units_turn_back_into_fractions_of_the_frame():
    landmarks = _landmarks()
    square = gait.square_units(landmarks=landmarks, width=720, height=1280)
    back = pose_track.to_frame_fractions(landmarks=square, width=720, height=1280)
    assert np.allclose(back, landmarks, equal_nan=True)


def test_off_frame_guesses_are_clamped_and_nothing_is_not_a_number():
    landmarks = _landmarks()
    landmarks[3, 0, 0] = 55.0
    landmarks[4, 0, 3] = np.nan
    track = _encode(landmarks)
    assert track["frames"][3][0] == pose_track.XY_LIMITS[1]
    json.dumps(track, allow_nan=False)  # raises on NaN or infinity


def test_packing_is_deterministic_and_the_tag_follows_the_content():
    track = _encode(_landmarks())
    first, again = pose_track.pack(track), pose_track.pack(track)
    assert first == again
    assert pose_track.unpack(first.gzipped) == json.loads(json.dumps(track))
    other = pose_track.pack(_encode(_landmarks(seed=4)))
    assert other.etag != first.etag


@pytest.mark.parametrize("frames", [300, 3600])
def test_a_frame_costs_at_most_about_250_bytes_before_compression(frames):
    packed = pose_track.pack(_encode(_landmarks(frames=frames)))
    assert packed.raw_bytes / frames <= 260
