"""The shared FIT corpus (../shared/data/fit beside the clone). Missing data fails the test; it
never skips."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta, timezone
from pathlib import Path

FIT_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "fit"
FIT_EPOCH_S = 631065600
# The record CSVs print US Pacific times with their abbreviation.
CSV_ZONES = {"PDT": timezone(timedelta(hours=-7)), "PST": timezone(timedelta(hours=-8))}


def fit_bytes(name: str) -> bytes:
    path = FIT_DIR / name
    assert path.is_file(), f"test data missing: {path} (CI keeps ../shared beside the clone)"
    return path.read_bytes()


def corpus() -> list[str]:
    names = sorted(p.name for p in FIT_DIR.glob("*.fit"))
    assert names, f"no FIT files in {FIT_DIR}"
    return names


def csv_rows(name: str) -> list[dict[str, str]]:
    path = FIT_DIR / name
    assert path.is_file(), f"test data missing: {path}"
    with path.open(newline="") as handle:
        return [{k.strip(): v.strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def csv_time_s(text: str) -> float:
    """'Sun Jun 11 07:34:09 PDT 2017' -> Unix seconds; raw FIT seconds pass as FIT time."""
    if text.isdigit():
        return float(int(text) + FIT_EPOCH_S)
    weekday, month, day, clock, zone, year = text.split()
    naive = datetime.strptime(f"{month} {day} {year} {clock}", "%b %d %Y %H:%M:%S")
    return naive.replace(tzinfo=CSV_ZONES[zone]).timestamp()


def number(text: str) -> float | None:
    return None if text in ("", "null", "None") else float(text)
