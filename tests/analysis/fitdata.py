"""The shared FIT corpus (../shared/data/fit). Missing data fails the test; it never skips."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

FIT_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "fit"
FIT_EPOCH_S = 631065600


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
    """'Sun Jun 11 07:34:09 PDT 2017' (US Pacific) or raw FIT seconds -> Unix seconds."""
    if text.isdigit():
        return float(int(text) + FIT_EPOCH_S)
    naive = datetime.strptime(text.replace(" PDT", "").replace(" PST", ""), "%a %b %d %H:%M:%S %Y")
    return naive.replace(tzinfo=ZoneInfo("America/Los_Angeles")).timestamp()


def number(text: str) -> float | None:
    return None if text in ("", "null", "None") else float(text)
