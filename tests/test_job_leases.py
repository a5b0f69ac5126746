"""A job's lease: lost when its process has ended or it ran out, renewed while the job runs,
and a process that lost it commits nothing."""

import socket
import subprocess
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

import tests.jobkinds  # noqa: F401  (registers the test kinds)
from analysis import job_runner
from analysis.models import Job
from club.models import Notification

pytestmark = pytest.mark.django_db
HOST = socket.gethostname()


def _ended_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def _job(personas, kind="test.slow_write", **payload):
    payload.setdefault("title", "effect")
    return job_runner.enqueue(kind, owner=personas.member, payload=payload)


def test_a_job_held_by_a_process_that_has_ended_is_taken_over_at_once(personas):
    job = _job(personas)
    job_runner.claim(job.pk, worker=f"w@node:{HOST}:{_ended_pid()}")  # lease still has 60 s to run
    assert job_runner.execute(job.pk, worker=job_runner.worker_identity("w@node")) is not None
    job.refresh_from_db()
    assert (job.state, job.attempts) == ("done", 2)
    assert Notification.objects.filter(title="effect").count() == 1


def test_a_job_held_by_a_live_process_on_this_machine_is_left_alone(personas):
    job = _job(personas)
    holder = job_runner.worker_identity("w@node")  # this very process: alive
    job_runner.claim(job.pk, worker=holder)
    assert job_runner.execute(job.pk, worker=f"other@node:{HOST}:1") is None
    assert Job.objects.get(pk=job.pk).worker == holder


def test_a_live_lease_held_on_another_machine_is_trusted_until_it_runs_out(personas):
    job = _job(personas)
    job_runner.claim(job.pk, worker="w@node:another-host:1")
    assert not job_runner.lease_lost(Job.objects.get(pk=job.pk), now=timezone.now())
    later = timezone.now() + timedelta(seconds=61)
    assert job_runner.lease_lost(Job.objects.get(pk=job.pk), now=later)


def test_the_sweep_requeues_only_lost_leases_and_rings_them(
    personas, django_capture_on_commit_callbacks
):
    ended, alive, expired, queued = (_job(personas) for _ in range(4))
    job_runner.claim(ended.pk, worker=f"w@node:{HOST}:{_ended_pid()}")
    job_runner.claim(alive.pk, worker=job_runner.worker_identity("w@node"))
    job_runner.claim(expired.pk, worker="w@node:another-host:1")
    Job.objects.filter(pk=expired.pk).update(lease_expires_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=False) as rung:
        swept = job_runner.sweep_lost_leases()
    assert sorted(swept) == sorted([ended.pk, expired.pk])
    assert len(rung) == 2
    states = dict(Job.objects.values_list("pk", "state"))
    assert (states[ended.pk], states[expired.pk]) == ("queued", "queued")
    assert (states[alive.pk], states[queued.pk]) == ("running", "queued")


def test_a_worker_that_lost_its_lease_meanwhile_commits_nothing(personas):
    job = _job(personas, kind="test.taken_over")
    assert job_runner.execute(job.pk, worker=job_runner.worker_identity("w@node")) is None
    job.refresh_from_db()
    assert (job.state, job.worker) == ("running", "thief@elsewhere:other-host:1")
    assert not Notification.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_lease_is_renewed_while_the_job_computes(personas, settings):
    settings.JOB_LEASE_S = 4  # renewed every second
    job = _job(personas, kind="test.lease_watch", sleep_s=2.5)
    job_runner.execute(job.pk, worker=job_runner.worker_identity("w@node"))
    seen = Job.objects.get(pk=job.pk).result
    renewed_by = datetime.fromisoformat(seen["after"]) - datetime.fromisoformat(seen["before"])
    assert renewed_by >= timedelta(seconds=1.5)
