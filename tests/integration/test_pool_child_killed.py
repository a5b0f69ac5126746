"""A real Celery worker on the machine's Redis analysing a real clip: its pool child is killed
mid-clip, and the job still finishes exactly once, without restarting the worker."""

import os
import signal
import time
from pathlib import Path

import pytest
import redis
from django.core.files import File

from analysis.models import Job
from analysis.video_analysis import create_analysis
from club.models import FeedItem, Notification
from tests.servers import start_worker

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
CLIP = Path(__file__).resolve().parents[3] / "shared" / "data" / "video" / "male_side.mp4"


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "uploads"
    redis.Redis.from_url(settings.REDIS_URL).flushdb()  # nothing left from earlier runs
    return settings.MEDIA_ROOT


def _wait_until(predicate, timeout: float, what: str) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if predicate():
            return time.monotonic() - start
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def _children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, IndexError):
            continue
    return found


def test_a_pool_child_killed_mid_clip_leaves_a_job_that_finishes_exactly_once(personas, media):
    worker = start_worker("poolkill@test", MEDIA_ROOT=str(media))
    try:
        with open(CLIP, "rb") as clip:
            analysis = create_analysis(
                owner=personas.member, upload=File(clip), filename="male_side.mp4", view="side"
            )
        job = Job.objects.filter(pk=analysis.job_id)
        _wait_until(lambda: job.get().progress_done > 0, 120, "the clip to be under way")
        child = int(job.get().worker.rsplit(":", 1)[1])
        assert child != worker.proc.pid
        pose_processes = _children_of(child)
        os.kill(child, signal.SIGKILL)
        recovered_in_s = _wait_until(lambda: job.get().is_finished, 60, "the job to finish")
        time.sleep(3)  # room for a duplicate delivery to do damage, if it could
        worker_survived = worker.proc.poll() is None
    finally:
        worker.stop()
    print(f"finished {recovered_in_s:.1f} s after the pool child was killed")
    assert worker_survived  # no restart was needed
    assert (job.get().state, job.get().attempts) == ("done", 2), job.get().error
    assert Notification.objects.filter(recipient=personas.member, kind="analysis").count() == 1
    assert FeedItem.objects.filter(analysis=analysis).count() == 1
    assert not [pid for pid in pose_processes if Path(f"/proc/{pid}").exists()]
