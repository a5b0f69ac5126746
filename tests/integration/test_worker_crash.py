"""A real Celery worker on the machine's Redis, killed mid-job, then started again."""

import time

import pytest
import redis
from django.conf import settings

import tests.jobkinds  # noqa: F401  (registers the test kinds in this process too)
from analysis import job_runner
from analysis.models import Job
from club.models import Notification
from tests.servers import start_worker

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def clean_broker():
    # Messages left by an earlier run would only be skipped, but they blur what this test sees.
    redis.Redis.from_url(settings.REDIS_URL).flushdb()


def _wait_until(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def test_job_whose_worker_is_killed_mid_run_completes_exactly_once(
    personas, clean_broker, tmp_path
):
    marker = tmp_path / "started"
    # A short visibility timeout makes the broker also re-deliver the killed worker's message:
    # the job must still run to completion once.
    env = {"CELERY_VISIBILITY_TIMEOUT_S": "4"}
    worker = start_worker("crashy@test", **env)
    job = job_runner.enqueue(
        "test.slow_write",
        owner=personas.member,
        payload={"title": "once", "sleep_s": 3, "started_marker": str(marker)},
    )
    _wait_until(marker.exists, 30, "the worker to start the job")
    worker.kill()
    assert Job.objects.get(pk=job.pk).state == Job.State.RUNNING

    worker = start_worker("crashy@test", **env)
    try:
        _wait_until(lambda: Job.objects.get(pk=job.pk).is_finished, 60, "the job to finish")
        time.sleep(6)  # room for a late duplicate delivery to do damage, if it could
    finally:
        worker.stop()
    job.refresh_from_db()
    assert (job.state, job.attempts) == (Job.State.DONE, 2)
    assert Notification.objects.filter(title="once").count() == 1
    assert marker.read_text().split() == ["1", "2"]


def test_worker_runs_a_club_announcement_end_to_end(personas, clean_broker):
    worker = start_worker("announcer@test")
    try:
        job = job_runner.enqueue(
            "club.announce",
            owner=personas.owner,
            payload={"club_id": personas.club.pk, "title": "Track night", "body": ""},
        )
        _wait_until(lambda: Job.objects.get(pk=job.pk).is_finished, 30, "the announcement")
    finally:
        worker.stop()
    assert Job.objects.get(pk=job.pk).state == Job.State.DONE
    assert Notification.objects.filter(title__endswith="Track night").count() == 3
