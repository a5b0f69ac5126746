"""Analyse a running clip from the command line and print its report."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser

from analysis import job_runner
from analysis.core.video.pose_io import VideoRejected
from analysis.core.video.video_report import analyse_clip
from analysis.models import ClipView
from analysis.video_analysis import create_analysis
from club.models import User


class Command(BaseCommand):
    help = "Analyse a running clip (side or rear view) and print the form report."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--user", help="store the analysis for this user (and notify them)")
        parser.add_argument("--view", choices=ClipView.values, default=ClipView.AUTO)
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(
        self,
        *args: object,
        path: str,
        user: str | None,
        view: str,
        as_json: bool,
        **options: object,
    ) -> None:
        if not Path(path).is_file():
            report = {"status": "rejected", "error": f"no such file: {path}"}
        elif user:
            report = _store_for(user, Path(path), view)
        else:
            report = analyse_clip(
                Path(path), view=view, on_progress=_progress if not as_json else None
            )
        if as_json:
            self.stdout.write(json.dumps(report))
        else:
            for key, value in report.items():
                self.stdout.write(f"{key:>18}: {value}")


def _progress(done: int, total: int) -> None:
    sys.stderr.write(f"\rpose: {done}/{total} frames")
    if done >= total:
        sys.stderr.write("\n")


def _store_for(username: str, path: Path, view: str) -> dict:
    """The same path as a web upload: probe, store, run the job here, read the stored report.
    The job judges cadence against the member's own band (from their height)."""
    owner = User.objects.filter(username=username).first()
    if owner is None:
        raise CommandError(f"No user named {username!r}.")
    try:
        with path.open("rb") as handle:
            analysis = create_analysis(
                owner=owner, upload=File(handle), filename=path.name, view=view
            )
    except VideoRejected as exc:
        return {"status": "rejected", "error": str(exc)}
    job = job_runner.execute(analysis.job.pk, worker=job_runner.worker_identity())
    analysis.refresh_from_db()
    if job is None or job.state != "done":
        return {"status": "failed", "error": job.error if job else "the job did not run"}
    return {**analysis.report, "analysis_id": analysis.pk}
