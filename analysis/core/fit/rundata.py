"""The plain shape of an activity file once read: numpy arrays and small dataclasses.

Produced by :mod:`analysis.core.fit.fit_io` (the only module that knows fitparse), consumed by the
pure analytics in :mod:`analysis.core.runs.cadence` and by the importer. No Django here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

# Sports whose cadence counts steps (reported in steps/min); cycling cadence is crank rpm.
STEP_SPORTS = frozenset({"running", "walking", "hiking"})
RPM_SPORTS = frozenset({"cycling", "e_biking"})


def cadence_unit(sport: str) -> str | None:
    if sport in STEP_SPORTS:
        return "spm"
    if sport in RPM_SPORTS:
        return "rpm"
    return None


@dataclass(frozen=True)
class Segment:
    """One FIT session: a sport from start to end. `record_start:record_stop` indexes Records."""

    sport: str  # FIT sport name, lower case: running, walking, cycling, swimming, transition, ...
    sub_sport: str  # treadmill, trail, road, generic, ...
    start: datetime  # aware, UTC
    elapsed_s: float  # total_elapsed_time (wall clock, pauses included)
    timer_s: float | None  # total_timer_time (pauses excluded)
    distance_m: float | None
    avg_cadence: float | None  # in `cadence_unit`; None when the file has none
    cadence_unit: str | None  # "spm" for step sports, "rpm" for cycling, else None
    record_start: int
    record_stop: int


@dataclass(frozen=True)
class Lap:
    start: datetime  # aware, UTC
    elapsed_s: float
    timer_s: float | None
    distance_m: float | None
    record_start: int
    record_stop: int


@dataclass(frozen=True)
class Device:
    manufacturer: str | None
    product: str | None
    serial: int | None


@dataclass
class Records:
    """Per-record series, all shape (N,), float64 with NaN where the file had no value.

    Units are in the names. Cadence is already split by sport: `cadence_spm` holds steps/min
    (2 x (cadence + fractional_cadence)) only on records of step sports, `cadence_rpm` holds
    crank rpm only on cycling records; each is NaN elsewhere.
    """

    timestamp_s: np.ndarray  # seconds since the Unix epoch, UTC
    segment_index: np.ndarray  # (N,) int64: index into RunData.segments
    distance_m: np.ndarray
    speed_mps: np.ndarray
    heart_rate_bpm: np.ndarray
    altitude_m: np.ndarray
    lat_deg: np.ndarray
    lon_deg: np.ndarray
    cadence_spm: np.ndarray
    cadence_rpm: np.ndarray
    power_w: np.ndarray
    vertical_oscillation_mm: np.ndarray
    stance_time_ms: np.ndarray
    stance_time_balance_pct: np.ndarray  # left share, percent
    step_length_mm: np.ndarray
    vertical_ratio_pct: np.ndarray
    # Developer fields by (application, field name), e.g. ("Stryd", "Form Power"): (N,) float64.
    developer: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)
    developer_units: dict[tuple[str, str], str] = field(default_factory=dict)

    def __len__(self) -> int:
        return int(self.timestamp_s.shape[0])


RUNNING_DYNAMICS = (
    "vertical_oscillation_mm",
    "stance_time_ms",
    "stance_time_balance_pct",
    "step_length_mm",
    "vertical_ratio_pct",
)


@dataclass
class RunData:
    records: Records
    segments: list[Segment]
    laps: list[Lap]
    # Timer pauses as (stop_s, start_s) epoch-second pairs, from timer events.
    pauses: list[tuple[float, float]]
    device: Device
    start: datetime  # aware UTC: first session start, else first record
    local_offset_s: int | None  # from activity.local_timestamp - activity.timestamp
    partial: bool  # the file ended early; what was read before the cut is kept
    warnings: list[str]
    # What analysis.core.fit.sanity found impossible: FIT field (timestamp, speed, distance,
    # total_distance, start_time) -> how many records (or sessions and laps) lost it.
    dropped: dict[str, int] = field(default_factory=dict)

    @property
    def has_running_dynamics(self) -> bool:
        return any(np.isfinite(getattr(self.records, name)).any() for name in RUNNING_DYNAMICS)
