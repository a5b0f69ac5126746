"""The pose processes stay up between clips, and one that fails is replaced, not reused."""

import pytest

from analysis.core.video import pose_io
from tests.analysis.videodata import clip, rewrite

pytestmark = pytest.mark.slow


def test_a_failed_part_raises_with_its_reason_and_the_next_clip_still_works(tmp_path):
    short = rewrite(clip("male_side.mp4"), tmp_path / "short.mp4", limit=75)
    info = pose_io.probe(short)
    broken = tmp_path / "broken.mp4"
    broken.write_text("this is not a video")
    with pytest.raises(RuntimeError, match="failed: VideoRejected"):
        pose_io.extract_pose(broken, info=info)
    series = pose_io.extract_pose(short)
    assert series.landmarks.shape == (75, 33, 4) and series.found.all()


def test_the_same_processes_serve_the_next_clip(tmp_path):
    short = rewrite(clip("male_side.mp4"), tmp_path / "short.mp4", limit=75)
    pose_io.extract_pose(short)
    first = [w.proc.pid for w in pose_io._POOL]
    pose_io.extract_pose(short)
    assert [w.proc.pid for w in pose_io._POOL] == first
