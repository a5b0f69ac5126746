"""Job kinds that exist only for the tests of the job spine. The integration tests start a real
worker with `--include tests.jobkinds` so it knows them too."""

from __future__ import annotations

import time

from analysis.job_runner import JobKind, PermanentJobError, register
from analysis.models import Job
from club.models import Notification


def _slow(job: Job) -> None:
    # The marker file lets a test know the worker is mid-run before it pulls the plug.
    started = job.payload.get("started_marker")
    if started:
        with open(started, "a") as marker:
            marker.write(f"{job.attempts}\n")
    time.sleep(job.payload.get("sleep_s", 0))


def _write_effect(job: Job, _: object) -> dict:
    Notification.objects.create(recipient_id=job.owner_id, title=job.payload["title"])
    return {"wrote": job.payload["title"]}


def _always_breaks(job: Job) -> None:
    raise ValueError(f"broken input on attempt {job.attempts}")


def _rejects(job: Job) -> None:
    raise PermanentJobError("this file is not a FIT file")


def _taken_over(job: Job) -> None:
    # As if the sweep had given the job to another worker while this one computed.
    Job.objects.filter(pk=job.pk).update(worker="thief@elsewhere:other-host:1")


def _watch_lease(job: Job) -> dict:
    before = Job.objects.get(pk=job.pk).lease_expires_at
    time.sleep(job.payload["sleep_s"])
    after = Job.objects.get(pk=job.pk).lease_expires_at
    return {"before": before.isoformat(), "after": after.isoformat()}


SLOW_WRITE = register(JobKind(name="test.slow_write", compute=_slow, save=_write_effect))
BREAKS = register(JobKind(name="test.breaks", compute=_always_breaks, save=_write_effect))
REJECTS = register(JobKind(name="test.rejects", compute=_rejects, save=_write_effect))
TAKEN_OVER = register(JobKind(name="test.taken_over", compute=_taken_over, save=_write_effect))
LEASE_WATCH = register(
    JobKind(name="test.lease_watch", compute=_watch_lease, save=lambda job, seen: seen)
)
