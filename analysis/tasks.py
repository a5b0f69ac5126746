"""Thin Celery adapters: a job id in, the plain runner does the rest; and the worker's part in
recovery (JobRecovery, added to every worker's consumer in config.celery)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from celery import Task, bootsteps, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import close_old_connections

from analysis import job_runner
from analysis.models import Job

log = logging.getLogger(__name__)

RETRY_DELAYS_S = (5, 30, 120)


def _run(task: Task, job_id: int) -> None:
    try:
        job_runner.execute(job_id, worker=job_runner.worker_identity(task.request.hostname))
    except SoftTimeLimitExceeded:
        log.exception("job %s: over its time limit; failed", job_id)
        Job.objects.filter(pk=job_id).first().fail("took longer than the time limit")
    except Exception as exc:
        log.exception("job %s: attempt failed", job_id)
        job = Job.objects.filter(pk=job_id).first()
        if job is not None and job.state == Job.State.QUEUED:
            delay = RETRY_DELAYS_S[min(task.request.retries, len(RETRY_DELAYS_S) - 1)]
            raise task.retry(exc=exc, countdown=delay, max_retries=None) from exc


@shared_task(bind=True, name=job_runner.TASKS[Job.Queue.DEFAULT], acks_late=True)
def run_job(self: Task, job_id: int) -> None:
    _run(self, job_id)


@shared_task(bind=True, name=job_runner.TASKS[Job.Queue.VIDEO], acks_late=True)
def run_video_job(self: Task, job_id: int) -> None:
    _run(self, job_id)


class JobRecovery(bootsteps.StartStopStep):
    """Each time the worker connects to the broker (at start, and again after the broker came
    back), ring every job the database says nobody is working on: a restarted broker has
    forgotten its messages. While connected, sweep lost leases every JOB_SWEEP_INTERVAL_S, so a
    job whose process died is re-queued without restarting anything. Runs in the worker's main
    process, which outlives its pool children."""

    requires = {"celery.worker.consumer.tasks:Tasks"}

    def __init__(self, parent: object, **kwargs: object) -> None:
        super().__init__(parent, **kwargs)
        self.sweeper: object | None = None

    def start(self, consumer: object) -> None:
        _guarded(job_runner.recover_orphans)
        self.sweeper = consumer.timer.call_repeatedly(
            settings.JOB_SWEEP_INTERVAL_S, _guarded, (job_runner.sweep_lost_leases,)
        )

    def stop(self, consumer: object) -> None:
        if self.sweeper is not None:
            self.sweeper.cancel()
            self.sweeper = None


def _guarded(step: Callable[[], object]) -> None:
    """A database outage must not stop the worker's consumer; the next round tries again."""
    close_old_connections()
    try:
        step()
    except Exception:
        log.exception("job recovery failed; trying again at the next sweep")
