"""The job runner: claim a row, compute, save the result and mark it done in one transaction.

A kind registers two plain functions:
- ``compute(job) -> value``: the slow part, outside any transaction (may set progress).
- ``save(job, value) -> dict``: writes the results; runs in the same transaction that marks the
  job done, so a crash before the commit leaves nothing behind and a re-run writes it once.

Celery tasks and the ``run_job`` management command both call :func:`execute`.

Leases: a claimed job is held by one process (``node:host:pid``) for ``JOB_LEASE_S``, renewed
while it computes. The lease is lost when it runs out (the holder stopped renewing it: its
machine died) or when the holder is a process on this machine that has ended (a killed pool
child). A lost job is taken over by the next delivery of its message, and put back in the queue
by :func:`sweep_lost_leases`, which every worker runs periodically (analysis.tasks). A holder
that lost its lease commits nothing: the result is saved only by the process still holding it.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

from analysis.models import Job

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobKind:
    name: str
    save: Callable[[Job, Any], dict]
    compute: Callable[[Job], Any] = lambda job: None
    queue: str = Job.Queue.DEFAULT


# The Celery task (analysis.tasks) that runs a job of each queue, by name: the broker is rung
# by name, so this module does not import the tasks that import it. Settings route the video
# task to its own queue.
TASKS = {
    Job.Queue.DEFAULT: "analysis.tasks.run_job",
    Job.Queue.VIDEO: "analysis.tasks.run_video_job",
}


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
    """`node:host:pid`, node being the Celery node name. The host and pid let any process on
    the same machine tell whether the holder of a job is still alive."""
    return f"{node or 'cli@' + socket.gethostname()}:{socket.gethostname()}:{os.getpid()}"


def _holder(worker: str) -> tuple[str, int] | None:
    """(host, pid) of a `node:host:pid` identity; None for anything else."""
    parts = worker.rsplit(":", 2)
    if len(parts) != 3 or not parts[2].isdigit():
        return None
    return parts[1], int(parts[2])


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    try:  # a killed child not yet reaped by its parent is a zombie: gone all the same
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def lease_lost(job: Job, *, now: datetime) -> bool:
    """A running job's lease is lost when it ran out or its holder on this machine has ended."""
    if job.lease_expires_at is None or job.lease_expires_at <= now:
        return True
    holder = _holder(job.worker)
    return (
        holder is not None and holder[0] == socket.gethostname() and not _process_alive(holder[1])
    )


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
    database, and every worker rings it again when it (re)connects: a lost bell loses no job."""
    task = TASKS[Job.Queue(job.queue)]
    transaction.on_commit(lambda: _ring(task, job.pk))


def _ring(task: str, job_id: int) -> None:
    try:
        current_app.send_task(task, args=[job_id])
    except Exception as exc:  # broker down or unreachable; the row is the record of truth
        log.warning(
            "could not reach the broker for job %s (%s); it stays queued, and a worker rings it "
            "again when it reconnects",
            job_id,
            exc,
        )


@transaction.atomic
def claim(job_id: int, *, worker: str) -> Job | None:
    """Take the job for this process, or None when it is finished or held by a live worker."""
    job = Job.objects.select_for_update().filter(pk=job_id).first()
    if job is None or job.is_finished:
        return None
    now = timezone.now()
    if job.state == Job.State.RUNNING and job.worker != worker:
        if not lease_lost(job, now=now):
            return None
        job.error = job.error or "worker lost while running"
    if job.attempts >= job.max_attempts:
        job.fail(f"gave up after {job.attempts} attempts; last error: {job.error or 'worker lost'}")
        return None
    job.state, job.worker, job.attempts = Job.State.RUNNING, worker, job.attempts + 1
    job.started_at = now
    job.lease_expires_at = now + timedelta(seconds=settings.JOB_LEASE_S)
    job.save(
        update_fields=["state", "worker", "attempts", "started_at", "lease_expires_at", "error"]
    )
    return job


def execute(job_id: int, *, worker: str) -> Job | None:
    """Run one job to completion. Exceptions other than PermanentJobError propagate so the
    caller can retry; the row already says what happened. None when there was nothing to do
    (finished, held by a live process) or the lease was lost before the end."""
    job = claim(job_id, worker=worker)
    if job is None:
        return None
    announce(job)
    try:
        spec = kind_of(job.kind)
        with _lease_kept(job, worker):
            value = spec.compute(job)
        with transaction.atomic():
            if not _still_held(job, worker):
                return None
            result = spec.save(job, value)
            job.mark_done(result)
    except PermanentJobError as exc:
        log.warning("job %s (%s) failed for good: %s", job.pk, job.kind, exc, exc_info=True)
        with transaction.atomic():
            if _still_held(job, worker):
                job.fail(str(exc))
    except Exception as exc:
        with transaction.atomic():
            if _still_held(job, worker):
                _record_failure(job, exc)
        raise
    finally:
        announce(job)
    return job


def _still_held(job: Job, worker: str) -> bool:
    """Whether this process still holds the job; call inside the transaction that ends it."""
    held = (
        Job.objects.select_for_update()
        .filter(pk=job.pk, state=Job.State.RUNNING, worker=worker)
        .exists()
    )
    if not held:
        log.warning("job %s: lease lost to another worker; dropping this attempt's result", job.pk)
    return held


@contextmanager
def _lease_kept(job: Job, worker: str) -> Iterator[None]:
    """Renew the lease from a side thread while the job computes."""
    stop = threading.Event()
    thread = threading.Thread(
        target=_renew_lease, args=(job.pk, worker, stop), name=f"lease-{job.pk}", daemon=True
    )
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _renew_lease(job_id: int, worker: str, stop: threading.Event) -> None:
    lease = timedelta(seconds=settings.JOB_LEASE_S)
    try:
        while not stop.wait(settings.JOB_LEASE_S / 4):
            try:
                Job.objects.filter(pk=job_id, state=Job.State.RUNNING, worker=worker).update(
                    lease_expires_at=timezone.now() + lease
                )
            except Exception:  # a database hiccup; the next beat tries again
                log.warning("job %s: could not renew its lease", job_id, exc_info=True)
    finally:
        connections.close_all()  # this thread's own connections


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


def recover_orphans(*, node: str = "") -> list[int]:
    """Ring the broker again for every job nobody is working on: all queued jobs (a restarted
    broker has forgotten them) and running jobs whose lease is lost. A worker does this each time
    it connects to the broker. `node` names a Celery node known to be gone (an operator's
    `recover_jobs --node`): its jobs count as lost too."""
    now = timezone.now()
    ids = []
    for job in Job.objects.filter(state=Job.State.QUEUED).order_by("created_at"):
        send_to_broker(job)
        ids.append(job.pk)
    ids += _requeue_lost(now=now, node=node)
    if ids:
        log.warning("re-enqueued %d job(s) nobody was working on: %s", len(ids), ids)
    return ids


def sweep_lost_leases() -> list[int]:
    """Put back in the queue every running job whose lease is lost; run periodically by every
    worker, so a job recovers without any restart."""
    ids = _requeue_lost(now=timezone.now())
    if ids:
        log.warning("re-enqueued %d job(s) whose worker was lost: %s", len(ids), ids)
    return ids


def _requeue_lost(*, now: datetime, node: str = "") -> list[int]:
    running = Job.objects.filter(state=Job.State.RUNNING).order_by("created_at")
    lost = [j.pk for j in running if lease_lost(j, now=now) or _on_node(j, node)]
    return [job_id for job_id in lost if _requeue_if_still_lost(job_id, now=now, node=node)]


def _on_node(job: Job, node: str) -> bool:
    return bool(node) and job.worker.startswith(f"{node}:")


@transaction.atomic
def _requeue_if_still_lost(job_id: int, *, now: datetime, node: str) -> bool:
    job = Job.objects.select_for_update().filter(pk=job_id, state=Job.State.RUNNING).first()
    if job is None or not (lease_lost(job, now=now) or _on_node(job, node)):
        return False  # finished or taken over meanwhile
    job.requeue("worker lost while running")
    send_to_broker(job)
    return True
