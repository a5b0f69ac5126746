"""Import FIT files (or whole folders of them) for a user, as the web upload would."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from analysis.fit_import import ImportOutcome, import_fit_bytes
from club.models import User
from config import limits


def is_fit_name(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith(".fit") or name.endswith(".fit.gz")


def expand(paths: list[str]) -> Iterator[Path]:
    """Files as given; folders walked recursively for .fit, .FIT and .fit.gz, in name order."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and is_fit_name(p))
        else:
            yield path


def import_path(user: User, path: Path) -> ImportOutcome:
    try:
        size = path.stat().st_size
        if size > limits.FIT_FILE.max_bytes:
            raise ValueError(limits.too_large(limits.FIT_FILE, size_bytes=size, name="the file"))
        data = path.read_bytes()
    except (OSError, ValueError) as exc:
        reason = "no such file" if isinstance(exc, FileNotFoundError) else str(exc)
        return ImportOutcome(file=str(path), status="rejected", error=f"cannot read: {reason}")
    return import_fit_bytes(owner=user, data=data, filename=str(path))


class Command(BaseCommand):
    help = "Import FIT files for a user. PATH may be a file or a folder (searched recursively)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--user", required=True, metavar="USERNAME")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="one JSON object per file per line"
        )

    def handle(
        self, *args: object, paths: list[str], user: str, as_json: bool, **opts: object
    ) -> None:
        owner = User.objects.filter(username=user).first()
        if owner is None:
            raise CommandError(f"No user named {user!r}.")
        files = list(expand(paths))
        if not files:
            raise CommandError("No FIT files found in the given paths.")
        outcomes = []
        for n, path in enumerate(files, 1):
            outcome = import_path(owner, path)
            outcomes.append(outcome)
            if as_json:
                self.stdout.write(_json_line(outcome))
            elif len(files) > 1:
                _progress(n, len(files))
        if not as_json:
            self.stdout.write(_table(outcomes))


def _json_line(outcome: ImportOutcome) -> str:
    return json.dumps(outcome.as_json(), ensure_ascii=False)


def _progress(done: int, total: int, width: int = 30) -> None:
    filled = round(width * done / total)
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def _table(outcomes: list[ImportOutcome]) -> str:
    rows = [("status", "run", "start (UTC)", "sport", "km", "spm", "file / note")]
    for o in outcomes:
        d = o.as_json()
        note = o.error or "; ".join(o.warnings)
        rows.append(
            (
                o.status,
                str(d["run_id"] or ""),
                (d["start_time"] or "")[:16],
                d["sport"] or "",
                f"{d['distance_m'] / 1000:.2f}" if d["distance_m"] else "",
                f"{d['avg_cadence_spm']:.1f}" if d["avg_cadence_spm"] else "",
                Path(o.file).name + (f"  ({note})" if note else ""),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=False)) + "  " + r[-1] for r in rows
    ]
    counts = {
        s: sum(o.status == s for o in outcomes)
        for s in ("imported", "partial", "replaced", "duplicate", "rejected")
    }
    lines.append(", ".join(f"{n} {s}" for s, n in counts.items()))
    return "\n".join(lines)
