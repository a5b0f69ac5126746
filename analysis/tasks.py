"""Thin Celery adapters: a job id in, the plain runner does the rest."""

from __future__ import annotations

import logging

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_ready

from analysis import jobs
from analysis.models import Job

log = logging.getLogger(__name__)

RETRY_DELAYS_S = (5, 30, 120)


def _run(task: Task, job_id: int) -> None:
    try:
        jobs.execute(job_id, worker=jobs.worker_identity(task.request.hostname))
    except SoftTimeLimitExceeded:
        Job.objects.filter(pk=job_id).first().fail("took longer than the time limit")
    except Exception as exc:
        job = Job.objects.filter(pk=job_id).first()
        if job is not None and job.state == Job.State.QUEUED:
            delay = RETRY_DELAYS_S[min(task.request.retries, len(RETRY_DELAYS_S) - 1)]
            raise task.retry(exc=exc, countdown=delay, max_retries=None) from exc


@shared_task(bind=True, name="analysis.tasks.run_job", acks_late=True)
def run_job(self: Task, job_id: int) -> None:
    _run(self, job_id)


@shared_task(bind=True, name="analysis.tasks.run_video_job", acks_late=True)
def run_video_job(self: Task, job_id: int) -> None:
    _run(self, job_id)


@worker_ready.connect
def _recover_jobs_on_start(sender: object = None, **kwargs: object) -> None:
    jobs.recover_orphans(node=sender.hostname)
