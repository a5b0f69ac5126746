"""The job runner: claim a row, compute, save the result and mark it done in one transaction.

A kind registers two plain functions:
- ``compute(job) -> value``: the slow part, outside any transaction (may set progress).
- ``save(job, value) -> dict``: writes the results; runs in the same transaction that marks the
  job done, so a crash before the commit leaves nothing behind and a re-run writes it once.

Celery tasks and the ``run_job`` management command both call :func:`execute`.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from analysis.models import Job

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobKind:
    name: str
    save: Callable[[Job, Any], dict]
    compute: Callable[[Job], Any] = lambda job: None
    queue: str = Job.Queue.DEFAULT


class PermanentJobError(Exception):
    """The input can never succeed (bad file, missing row): fail now, do not retry."""


_KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> JobKind:
    _KINDS[kind.name] = kind
    return kind


def kind_of(name: str) -> JobKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise PermanentJobError(f"no job kind named {name!r} is installed") from None


def worker_identity(node: str | None = None) -> str:
    """`node:pid`, node being the Celery node name (unique per running worker). A worker that
    starts again under the same name knows every job still held by `node:<pid>` lost its process."""
    return f"{node or 'cli@' + socket.gethostname()}:{os.getpid()}"


def enqueue(kind: str, *, payload: dict | None = None, owner: Any = None, ring: bool = True) -> Job:
    """Store the job, then ring the broker once the surrounding transaction commits (unless
    the caller will run it in this process, like a management command)."""
    spec = kind_of(kind)
    job = Job.objects.create(
        kind=kind,
        queue=spec.queue,
        payload=payload or {},
        owner=owner,
        max_attempts=settings.JOB_MAX_ATTEMPTS,
    )
    if ring:
        send_to_broker(job)
    return job


def send_to_broker(job: Job) -> None:
    """Ring the broker after commit. If it cannot be reached the job stays queued in the
    database, and the next worker to start picks it up: a lost bell loses no job."""
    from analysis.tasks import run_job, run_video_job  # tasks import this module

    task = run_video_job if job.queue == Job.Queue.VIDEO else run_job
    transaction.on_commit(lambda: _ring(task, job.pk))


def _ring(task: Any, job_id: int) -> None:
    try:
        task.delay(job_id)
    except Exception:  # broker down or unreachable; the row is the record of truth
        log.warning("could not reach the broker for job %s; it stays queued", job_id, exc_info=True)


@transaction.atomic
def claim(job_id: int, *, worker: str) -> Job | None:
    """Take the job for this process, or None when it is finished or held by a live worker."""
    job = Job.objects.select_for_update().filter(pk=job_id).first()
    if job is None or job.is_finished:
        return None
    now = timezone.now()
    if job.state == Job.State.RUNNING and job.worker != worker and _lease_valid(job, now):
        return None
    if job.attempts >= job.max_attempts:
        job.fail(f"gave up after {job.attempts} attempts; last error: {job.error or 'worker lost'}")
        return None
    job.state, job.worker, job.attempts = Job.State.RUNNING, worker, job.attempts + 1
    job.started_at = now
    job.lease_expires_at = now + timedelta(seconds=settings.JOB_TIME_LIMIT_S + 30)
    job.save(update_fields=["state", "worker", "attempts", "started_at", "lease_expires_at"])
    return job


def _lease_valid(job: Job, now: Any) -> bool:
    # A job still "running" past the hard time limit has certainly been killed.
    return job.lease_expires_at is not None and job.lease_expires_at > now


def execute(job_id: int, *, worker: str) -> Job | None:
    """Run one job to completion. Exceptions other than PermanentJobError propagate so the
    caller can retry; the row already says what happened."""
    job = claim(job_id, worker=worker)
    if job is None:
        return None
    announce(job)
    try:
        spec = kind_of(job.kind)
        value = spec.compute(job)
        with transaction.atomic():
            result = spec.save(job, value)
            job.mark_done(result)
    except PermanentJobError as exc:
        job.fail(str(exc))
    except Exception as exc:
        _record_failure(job, exc)
        raise
    finally:
        announce(job)
    return job


def announce(job: Job) -> None:
    """Tell the owner's open pages the job moved; they re-read it from the database."""
    if job.owner_id is not None:
        from club.services import push_to_user

        transaction.on_commit(lambda: push_to_user(job.owner_id, "job.changed", job.pk))


def _record_failure(job: Job, exc: BaseException) -> None:
    reason = f"{type(exc).__name__}: {exc}"
    if job.attempts >= job.max_attempts:
        job.fail(f"gave up after {job.attempts} attempts; last error: {reason}")
    else:
        job.requeue(reason)


def recover_orphans(*, node: str) -> list[int]:
    """Called when a worker starts: put back every job nobody is working on any more."""
    ids = []
    for job in Job.objects.orphaned(node=node).order_by("created_at"):
        if job.state == Job.State.RUNNING:
            job.requeue("worker lost while running")
        send_to_broker(job)
        ids.append(job.pk)
    if ids:
        log.warning("re-enqueued %d orphaned job(s): %s", len(ids), ids)
    return ids
