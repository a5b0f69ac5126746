"""FIT import speed: fitparse's bare parse beside our full import, side by side.

    .venv/bin/python bench/fit_import.py [--repeat 3]

For each of the larger corpus files it prints the bare parse (fitparse iterating every
message, nothing else) and our whole import (parse, cadence analytics, database write, file
stored), in seconds and records per second, and their ratio. The goal is a ratio of at most
1.3: our own work should never be the bottleneck. Uses the embedded SQLite under var/ unless
DATABASE_URL is set; the runs it creates are deleted again.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from analysis.core.fit.fit_io import bare_parse, read_fit  # noqa: E402
from analysis.fit_import import import_fit_bytes  # noqa: E402
from club.models import Run, User  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "fit"
FILES = [
    "garmin-edge-500-activity.fit",
    "sample-activity.fit",
    "developer-types-sample.fit",
    "activity-small-fenix2-run.fit",
    "sample_mulitple_header.fit",
]


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def our_import(user: User, data: bytes, name: str) -> None:
    outcome = import_fit_bytes(owner=user, data=data, filename=name)
    assert outcome.status in ("imported", "partial"), outcome.as_json()
    outcome.run.original.delete(save=False)
    outcome.run.delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    user, _ = User.objects.get_or_create(username="bench-importer")
    Run.objects.filter(owner=user).delete()
    print(
        f"{'file':<32}{'records':>8}{'bare s':>9}{'bare rec/s':>12}{'ours s':>9}"
        f"{'ours rec/s':>12}{'ratio':>7}"
    )
    ratios = []
    for name in FILES:
        data = (DATA / name).read_bytes()
        records = len(read_fit(data).records)
        bare = best_of(args.repeat, lambda data=data: bare_parse(data))
        ours = best_of(args.repeat, lambda data=data, name=name: our_import(user, data, name))
        ratios.append(ours / bare)
        print(
            f"{name:<32}{records:>8}{bare:>9.3f}{records / bare:>12.0f}{ours:>9.3f}"
            f"{records / ours:>12.0f}{ours / bare:>7.2f}"
        )
    print(f"median ratio ours/bare: {statistics.median(ratios):.2f} (goal <= 1.30)")


if __name__ == "__main__":
    main()
