"""Keyframes show the runner, not the room: cropped to the points the pose model saw with a
margin (more above the head), scaled up, with the caption on a strip of its own above the
picture, never over a limb."""

import cv2
import numpy as np
import pytest

from analysis.core.video import render
from tests.analysis.videodata import analyse_stored, clip

WIDTH, HEIGHT = 720, 1280


def _runner(x0: float, y0: float, x1: float, y1: float) -> np.ndarray:
    """(33, 4): points spread over the box (fractions), all clearly seen."""
    rng = np.random.default_rng(1)
    points = np.ones((33, 4))
    points[:, 0] = rng.uniform(x0, x1, 33)
    points[:, 1] = rng.uniform(y0, y1, 33)
    points[0, :2], points[1, :2] = (x0, y0), (x1, y1)  # the corners are reached
    return points


def test_the_box_holds_every_seen_point_with_a_margin():
    landmarks = _runner(0.3, 0.4, 0.6, 0.9)
    x0, y0, x1, y1 = render.runner_box(landmarks=landmarks, width=WIDTH, height=HEIGHT)
    tall = 0.5 * HEIGHT
    assert y0 == pytest.approx(0.4 * HEIGHT - (render.MARGIN + render.HEAD_ROOM) * tall, abs=1)
    assert y1 == pytest.approx(0.9 * HEIGHT + render.MARGIN * tall, abs=1)
    assert x0 <= 0.3 * WIDTH - render.MARGIN * tall + 1 and x1 >= 0.6 * WIDTH + render.MARGIN * tall
    assert (x1 - x0) >= render.MIN_ASPECT * (y1 - y0) - 1


def test_a_runner_at_the_edge_is_boxed_inside_the_frame_without_shrinking():
    landmarks = _runner(0.0, 0.5, 0.2, 0.98)
    x0, y0, x1, y1 = render.runner_box(landmarks=landmarks, width=WIDTH, height=HEIGHT)
    assert x0 == 0 and y1 == HEIGHT and y0 > 0
    assert x1 - x0 >= render.MIN_ASPECT * (y1 - y0) - 1


def test_points_barely_seen_do_not_stretch_the_box():
    landmarks = _runner(0.3, 0.4, 0.6, 0.9)
    landmarks[5, :2], landmarks[5, 3] = (0.99, 0.01), 0.05  # a guess far off, hardly seen
    landmarks[6, :2] = np.nan
    x0, y0, x1, y1 = render.runner_box(landmarks=landmarks, width=WIDTH, height=HEIGHT)
    assert x1 < 0.9 * WIDTH and y0 > 0.1 * HEIGHT


def test_too_few_points_keep_the_whole_frame():
    landmarks = np.full((33, 4), np.nan)
    landmarks[:3] = [0.5, 0.5, 0, 1]
    assert render.runner_box(landmarks=landmarks, width=WIDTH, height=HEIGHT) == (
        0,
        0,
        WIDTH,
        HEIGHT,
    )


@pytest.mark.django_db
@pytest.mark.slow
def test_keyframes_of_male_side_are_the_runner_scaled_up_under_a_caption(
    personas, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    analysis = analyse_stored(personas.member, clip("male_side.mp4"))
    assert analysis.keyframe_names() == ["contact", "midstance", "toe_off"]
    for name in analysis.keyframe_names():
        image = cv2.imread(str(analysis.keyframe_dir / f"{name}.png"))
        height, width = image.shape[:2]
        # The runner is about half the 1280 px frame: cropped and scaled to 900 px, plus the
        # caption strip; narrower than the frame, which was mostly room.
        assert render.KEYFRAME_HEIGHT_PX + 60 < height < render.KEYFRAME_HEIGHT_PX + 300
        assert width < WIDTH
        strip = image[:20].reshape(-1, 3)
        assert (np.abs(strip.astype(int) - (48, 36, 29)).max(axis=1) < 8).mean() > 0.9
