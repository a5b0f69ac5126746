"""FIT import: bytes in, a stored Run (or a clear reason why not) out.

`manage.py import_fit` calls :func:`import_fit_bytes`; an upload from the pages or the API is
stashed and imported by the `fit.import` job, which runs its two halves on either side of its
transaction boundary. A new run is announced (club.events.RunAdded) for the apps above.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from analysis.core.fit.fit_io import FitRejected, read_fit
from analysis.core.runs.run_summary import RunSummary, SummaryTooLarge, summarise_run
from analysis.job_runner import JobKind, PermanentJobError, enqueue, register
from analysis.models import Job
from club.events import RunAdded, publish
from club.models import Run, User

log = logging.getLogger(__name__)


@dataclass
class ImportOutcome:
    file: str
    status: str  # imported | partial | replaced | duplicate | rejected
    run: Run | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The contract of `import_fit --json`: one object per file."""
        run = self.run
        summary = run.summary if run else {}
        return {
            "file": self.file,
            "status": self.status,
            "run_id": run.pk if run else None,
            "sport": run.sport if run else None,
            "start_time": run.start_utc.isoformat() if run else None,
            "start_local": run.start_local.isoformat()
            if run and run.utc_offset_s is not None
            else None,
            "distance_m": run.distance_m if run else None,
            "moving_time_s": run.moving_time_s if run else None,
            "avg_cadence_spm": run.avg_cadence_spm if run else None,
            "time_in_target_pct": run.time_in_target_pct if run else None,
            "target_spm": [run.target_low_spm, run.target_high_spm]
            if run and run.target_low_spm
            else None,
            "segments": summary.get("segments", []),
            "running_dynamics": summary.get("running_dynamics") or None,
            "warnings": self.warnings,
            "error": self.error,
        }


@dataclass
class Parsed:
    """What the slow half hands to the saving half."""

    data: bytes
    sha256: str
    summary: RunSummary | None = None
    duplicate: Run | None = None
    rejection: str | None = None


def parse_upload(*, owner: User, data: bytes) -> Parsed:
    """The slow half: hash, catch byte-identical re-uploads early, read and summarise."""
    digest = hashlib.sha256(data).hexdigest()
    parsed = Parsed(data=data, sha256=digest)
    parsed.duplicate = Run.objects.filter(owner=owner, file_sha256=digest).first()
    if parsed.duplicate is None:
        try:
            run_data = read_fit(data, fallback_tz=owner.time_zone)
            parsed.summary = summarise_run(run_data, height_cm=owner.height_cm)
        except FitRejected as exc:
            parsed.rejection = str(exc)
        except SummaryTooLarge as exc:  # a bound of ours is missing: loud in the logs
            log.exception("summary over its bound for a %d-byte file", len(data))
            parsed.rejection = f"this file could not be summarised within bounds ({exc})"
    return parsed


def save_upload(*, owner: User, parsed: Parsed, filename: str) -> ImportOutcome:
    """The saving half: one transaction. A duplicate by device and start time stores nothing,
    unless it is the complete file of a partial import: then it takes that run's place."""
    if parsed.rejection:
        return ImportOutcome(file=filename, status="rejected", error=parsed.rejection)
    if parsed.duplicate:
        return _duplicate(filename, parsed.duplicate)
    run = _new_run(owner=owner, parsed=parsed, filename=filename)
    existing = run.find_duplicate()
    if existing and existing.is_completed_by(run):
        return _replace(existing, run=run, data=parsed.data, filename=filename)
    if existing:
        return _duplicate(filename, existing)
    try:
        with transaction.atomic():
            run.original.save(run.original.name or filename, ContentFile(parsed.data), save=False)
            run.save()
            publish(RunAdded(run))
    except IntegrityError:  # the same file arrived twice at once; the other one won
        run.original.delete(save=False)
        return _duplicate(filename, run.find_duplicate())
    return ImportOutcome(file=filename, status=run.status, run=run, warnings=run.warnings)


def import_fit_bytes(*, owner: User, data: bytes, filename: str) -> ImportOutcome:
    return save_upload(owner=owner, parsed=parse_upload(owner=owner, data=data), filename=filename)


def _replace(partial: Run, *, run: Run, data: bytes, filename: str) -> ImportOutcome:
    """The same run (id, title, notes, visibility, comments, feed entry) gets the complete
    file's figures and original; the partial file's original is deleted once committed."""
    try:
        with transaction.atomic():
            partial = Run.objects.select_for_update().get(pk=partial.pk)
            if not partial.is_completed_by(run):  # another upload completed it first
                return _duplicate(filename, partial)
            old = partial.original.name
            partial.take_file_figures(run)
            partial.original.save(filename, ContentFile(data), save=False)
            partial.save()
            if old:
                storage = partial.original.storage
                transaction.on_commit(lambda: storage.delete(old))
    except IntegrityError:  # the same complete file arrived twice at once; the other won
        partial.original.delete(save=False)
        return _duplicate(filename, run.find_duplicate())
    note = f"replaced the partial import of this activity (run {partial.pk}), keeping its "
    note += "title, notes, visibility and comments"
    return ImportOutcome(
        file=filename, status="replaced", run=partial, warnings=[note, *partial.warnings]
    )


def _duplicate(filename: str, existing: Run | None) -> ImportOutcome:
    message = (
        f"already imported as run {existing.pk} ({existing})" if existing else "already imported"
    )
    return ImportOutcome(file=filename, status="duplicate", run=existing, warnings=[message])


def _new_run(*, owner: User, parsed: Parsed, filename: str) -> Run:
    s = parsed.summary
    assert s is not None
    return Run(
        owner=owner,
        visibility=owner.default_visibility,
        source=Run.Source.FIT,
        status=Run.Status.PARTIAL if s.partial else Run.Status.IMPORTED,
        **{name: getattr(s, name) for name in Run.HEADLINE},
        utc_offset_s=s.utc_offset_s,
        target_low_spm=s.target_spm[0] if s.target_spm else None,
        target_high_spm=s.target_spm[1] if s.target_spm else None,
        summary=s.details,
        series=s.series,
        warnings=s.warnings,
        original_name=filename[:255],
        file_sha256=parsed.sha256,
        device_serial=s.device_serial,
    )


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
