"""Analyse a running clip from the command line and print its report."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from analysis.video_report import analyse_clip


class Command(BaseCommand):
    help = "Analyse a running clip (side or rear view) and print the form report."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--user", help="store the analysis for this user (not built yet)")
        parser.add_argument("--view", choices=["auto", "side", "rear"], default="auto")
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
        if user:
            raise CommandError("Storing analyses for a user is not built yet; run without --user.")
        if not Path(path).is_file():
            report = {"status": "rejected", "error": f"no such file: {path}"}
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
