"""The job runner's state machine, run in-process (the worker calls the very same function)."""

from datetime import timedelta

import pytest
from django.utils import timezone

import tests.jobkinds  # noqa: F401  (registers the test kinds)
from analysis import job_runner
from analysis.models import Job
from club.models import Notification

pytestmark = pytest.mark.django_db
ME = "test@host:1"


def _job(personas, kind="test.slow_write", **payload):
    payload.setdefault("title", "effect")
    return job_runner.enqueue(kind, owner=personas.member, payload=payload)


def test_enqueue_stores_a_queued_row_and_rings_after_commit(
    personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = _job(personas)
    assert job.state == Job.State.QUEUED and job.attempts == 0
    assert len(callbacks) == 1


def test_execute_writes_the_effect_and_marks_done(personas):
    job = _job(personas)
    job_runner.execute(job.pk, worker=ME)
    job.refresh_from_db()
    assert (job.state, job.attempts, job.result) == ("done", 1, {"wrote": "effect"})
    assert Notification.objects.filter(title="effect").count() == 1


def test_a_finished_job_is_never_run_again(personas):
    job = _job(personas)
    job_runner.execute(job.pk, worker=ME)
    assert job_runner.execute(job.pk, worker="other@host:2") is None
    assert Notification.objects.filter(title="effect").count() == 1


def test_a_job_held_by_a_live_worker_is_left_alone(personas):
    job = _job(personas)
    job_runner.claim(job.pk, worker="a@host:1")
    assert job_runner.execute(job.pk, worker="b@host:2") is None
    assert Job.objects.get(pk=job.pk).worker == "a@host:1"


def test_a_job_whose_lease_ran_out_is_taken_over(personas):
    job = _job(personas)
    job_runner.claim(job.pk, worker="a@host:1")
    Job.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    job_runner.execute(job.pk, worker="b@host:2")
    job.refresh_from_db()
    assert (job.state, job.attempts) == ("done", 2)


def test_failure_requeues_with_reason_then_gives_up(personas):
    job = _job(personas, kind="test.breaks")
    for attempt in (1, 2):
        with pytest.raises(ValueError):
            job_runner.execute(job.pk, worker=ME)
        job.refresh_from_db()
        assert (job.state, job.attempts) == ("queued", attempt)
        assert f"attempt {attempt}" in job.error
    with pytest.raises(ValueError):
        job_runner.execute(job.pk, worker=ME)
    job.refresh_from_db()
    assert job.state == "failed" and job.error.startswith("gave up after 3 attempts")


def test_permanent_error_fails_at_once_without_effect(personas):
    job = _job(personas, kind="test.rejects")
    job_runner.execute(job.pk, worker=ME)
    job.refresh_from_db()
    assert (job.state, job.attempts, job.error) == ("failed", 1, "this file is not a FIT file")
    assert not Notification.objects.exists()


def test_a_job_that_keeps_killing_its_worker_is_quarantined(personas):
    job = _job(personas)
    for n in range(3):  # each claim is an attempt whose worker then died
        job_runner.claim(job.pk, worker=f"w@host:{n}")
        Job.objects.get(pk=job.pk).requeue("worker lost while running")
    assert job_runner.execute(job.pk, worker=ME) is None
    job.refresh_from_db()
    assert job.state == "failed" and "gave up after 3 attempts" in job.error
    assert not Notification.objects.exists()


def test_recovery_requeues_jobs_of_the_restarted_node_only(
    personas, django_capture_on_commit_callbacks
):
    mine, elsewhere, queued = _job(personas), _job(personas), _job(personas)
    job_runner.claim(mine.pk, worker="w1@host:10")
    job_runner.claim(elsewhere.pk, worker="w2@host:20")
    with django_capture_on_commit_callbacks(execute=False):
        ids = job_runner.recover_orphans(node="w1@host")
    assert set(ids) == {mine.pk, queued.pk}
    assert Job.objects.get(pk=mine.pk).state == "queued"
    assert Job.objects.get(pk=elsewhere.pk).state == "running"


def test_unknown_kind_fails_with_reason(personas):
    job = Job.objects.create(kind="no.such.kind", owner=personas.member)
    job_runner.execute(job.pk, worker=ME)
    job.refresh_from_db()
    assert job.state == "failed" and "no job kind named 'no.such.kind'" in job.error


def test_run_job_command_runs_the_same_code(personas):
    from django.core.management import call_command

    job = _job(personas)
    call_command("run_job", str(job.pk))
    assert Job.objects.get(pk=job.pk).state == "done"


def test_club_announcement_reaches_every_other_member_once(personas):
    job = job_runner.enqueue(
        "club.announce",
        owner=personas.coach,
        payload={"club_id": personas.club.pk, "title": "Hill reps Thursday", "body": ""},
    )
    job_runner.execute(job.pk, worker=ME)
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {"owner", "member", "clubmate"}
