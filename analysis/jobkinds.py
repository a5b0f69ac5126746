"""Job kinds of the analysis app: a FIT upload from the web, imported in the background."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction

from analysis.jobs import JobKind, PermanentJobError, enqueue, register
from analysis.models import Job
from analysis.pipeline import Parsed, parse_upload, save_upload
from club.models import User

INCOMING = "incoming"


def stash_upload(upload: File) -> str:
    """Keep the upload on disk under a server-made name until its job has read it (copied in
    chunks: an upload is never held whole in memory)."""
    relative = f"{INCOMING}/{uuid.uuid4().hex}.upload"
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    upload.seek(0)
    with open(path, "wb") as stashed:
        shutil.copyfileobj(upload, stashed)
    return relative


def enqueue_fit_import(*, owner: User, upload: File, filename: str) -> Job:
    with transaction.atomic():
        return enqueue(
            "fit.import", owner=owner, payload={"path": stash_upload(upload), "filename": filename}
        )


def _stashed(job: Job) -> Path:
    return Path(settings.MEDIA_ROOT) / job.payload["path"]


def _compute(job: Job) -> Parsed:
    try:
        data = _stashed(job).read_bytes()
    except FileNotFoundError:
        raise PermanentJobError("the uploaded file is gone; upload it again") from None
    return parse_upload(owner=job.owner, data=data)


def _save(job: Job, parsed: Parsed) -> dict:
    outcome = save_upload(owner=job.owner, parsed=parsed, filename=job.payload["filename"])
    stashed = _stashed(job)
    transaction.on_commit(lambda: stashed.unlink(missing_ok=True))
    return outcome.as_json()


FIT_IMPORT = register(JobKind(name="fit.import", compute=_compute, save=_save))
