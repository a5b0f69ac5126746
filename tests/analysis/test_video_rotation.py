"""Rotation metadata is honoured: a clip stored sideways with a display matrix is analysed
upright, with the same numbers as the upright original."""

import cv2
import numpy as np
import pytest

from analysis.core.video.pose_io import frames, probe
from analysis.core.video.video_report import analyse_clip
from tests.analysis.videodata import clip, stored_sideways


def test_probe_reads_the_rotation_and_reports_the_upright_size(tmp_path):
    sideways = stored_sideways(clip("male_side.mp4"), tmp_path / "r.mp4", limit=60)
    info = probe(sideways)
    assert info.rotation_deg == 90 and (info.width, info.height) == (720, 1280)


def test_frames_come_out_upright(tmp_path):
    sideways = stored_sideways(clip("male_side.mp4"), tmp_path / "r.mp4", limit=90)
    first = next(frames(sideways, probe(sideways)))
    ok, original = cv2.VideoCapture(str(clip("male_side.mp4"))).read()
    assert ok and first.shape == original.shape
    difference = np.abs(first.astype(int) - cv2.cvtColor(original, cv2.COLOR_BGR2RGB)).mean()
    assert difference < 8  # re-encoding noise only; a wrong turn differs by tens


@pytest.mark.slow
def test_a_sideways_stored_clip_gives_the_same_cadence_and_view(tmp_path):
    sideways = stored_sideways(clip("male_side.mp4"), tmp_path / "r.mp4")
    report = analyse_clip(sideways)
    assert report["view"] == "side"
    assert report["cadence_spm"] == pytest.approx(168.9, abs=2.0)
