"""Reading FIT files: bytes in, :class:`~analysis.rundata.RunData` out.

The only module that imports fitparse. Every failure, whatever fitparse or a damaged file
throws, leaves here as :class:`FitRejected` with a reason a member can read.
"""

from __future__ import annotations

import gzip
import io
import math
import struct
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import fitparse
import numpy as np
from fitparse.records import DevFieldDefinition
from fitparse.utils import FitEOFError, FitHeaderError

from analysis.rundata import (
    RPM_SPORTS,
    STEP_SPORTS,
    Device,
    Lap,
    Records,
    RunData,
    Segment,
    cadence_unit,
)

MAX_UNZIPPED_BYTES = 64 * 1024 * 1024
SEMICIRCLE_DEG = 180.0 / 2**31
FIT_EPOCH_S = 631065600  # 1989-12-31T00:00:00Z, where FIT's raw timestamps count from
ACTIVITY_TYPES = {"activity", 4}

# fitparse raises its own errors, and on damaged input also plain Python ones from deep inside.
_PARSE_ERRORS = (
    fitparse.FitParseError,
    AttributeError,
    TypeError,
    KeyError,
    ValueError,
    IndexError,
    struct.error,
    OverflowError,
    UnicodeDecodeError,
    RecursionError,
    EOFError,
)

_RECORD_FIELDS = {
    # our column: FIT fields in order of preference
    "distance_m": ("distance",),
    "speed_mps": ("enhanced_speed", "speed"),
    "heart_rate_bpm": ("heart_rate",),
    "altitude_m": ("enhanced_altitude", "altitude"),
    "power_w": ("power",),
    "vertical_oscillation_mm": ("vertical_oscillation",),
    "stance_time_ms": ("stance_time",),
    "stance_time_balance_pct": ("stance_time_balance",),
    "step_length_mm": ("step_length",),
    "vertical_ratio_pct": ("vertical_ratio",),
}


class FitRejected(Exception):
    """The input cannot be imported; the message says why, in words a member understands."""


@dataclass
class _Collected:
    """Everything one pass over the messages gathers, before it becomes arrays."""

    file_type: Any = None
    device: Device = field(default_factory=lambda: Device(None, None, None))
    rows: list[dict[str, Any]] = field(default_factory=list)
    developer: dict[tuple[str, str], dict[int, float]] = field(default_factory=dict)
    developer_units: dict[tuple[str, str], str] = field(default_factory=dict)
    sessions: list[dict[str, Any]] = field(default_factory=list)
    laps: list[dict[str, Any]] = field(default_factory=list)
    timer_events: list[tuple[float, str]] = field(default_factory=list)
    sports: list[dict[str, Any]] = field(default_factory=list)
    activity: dict[str, Any] | None = None
    app_names: dict[int, str] = field(default_factory=dict)
    error: str | None = None
    header_error: str | None = None


def bare_parse(data: bytes) -> int:
    """fitparse alone, iterating every message with the same options read_fit uses: the
    baseline of bench/fit_import.py."""
    return sum(1 for _ in fitparse.FitFile(io.BytesIO(data), check_crc=False).get_messages())


def read_fit(data: bytes, *, fallback_tz: str | None = None) -> RunData:
    """Read an activity FIT file (optionally gzipped; several chained files are read whole).

    Raises FitRejected for anything that is not a readable activity.
    """
    data = _unzip(data)
    _check_header(data)
    collected = _collect(data)
    if collected.header_error:
        raise FitRejected(collected.header_error)
    if collected.file_type is not None and collected.file_type not in ACTIVITY_TYPES:
        raise FitRejected(f"this is a FIT {collected.file_type} file, not an activity recording")
    if not collected.rows:
        reason = f" ({collected.error})" if collected.error else ""
        raise FitRejected(f"the file holds no activity records{reason}")
    try:
        return _assemble(collected, fallback_tz=fallback_tz)
    except _PARSE_ERRORS as exc:  # values too damaged to make sense of
        raise FitRejected(f"the file is damaged: {type(exc).__name__}: {exc}") from None


def _unzip(data: bytes) -> bytes:
    if not data:
        raise FitRejected("the file is empty")
    if data[:2] != b"\x1f\x8b":
        return data
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as unzipped:
            out = unzipped.read(MAX_UNZIPPED_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise FitRejected(f"the gzip file is damaged: {exc}") from None
    if len(out) > MAX_UNZIPPED_BYTES:
        raise FitRejected(f"the unzipped file is larger than {MAX_UNZIPPED_BYTES // 2**20} MB")
    return out


def _check_header(data: bytes) -> None:
    if len(data) < 12 or data[8:12] != b".FIT":
        raise FitRejected("not a FIT file (no '.FIT' signature in its header)")
    if data[0] not in (12, 14):
        raise FitRejected(f"the FIT header is corrupt (header size {data[0]}, expected 12 or 14)")


def _collect(data: bytes) -> _Collected:
    """One pass over the messages. A damaged tail stops the pass but keeps what was read."""
    out = _Collected()
    try:
        # A bad checksum with readable data is still the member's run; damage shows up as
        # parse errors, which stop the pass and mark the import partial.
        fit = fitparse.FitFile(io.BytesIO(data), check_crc=False)
        for message in fit.get_messages():
            _take(out, message)
    except FitHeaderError as exc:
        # A broken header (of the file or of a chained part) means we cannot trust the framing.
        out.header_error = f"the FIT header is corrupt ({exc}); the file cannot be read safely"
    except _PARSE_ERRORS as exc:
        out.error = _describe(exc)
    return out


def _describe(exc: BaseException) -> str:
    if isinstance(exc, FitEOFError):
        return "the file ends early"
    return f"the file is damaged: {type(exc).__name__}: {exc}"


def _take(out: _Collected, message: Any) -> None:
    name = message.name
    if name == "record":
        _take_record(out, message)
    elif name == "file_id" and out.file_type is None:
        values = message.get_values()
        out.file_type = values.get("type")
        product = values.get("garmin_product") or values.get("product")
        out.device = Device(
            _text(values.get("manufacturer")), _text(product), values.get("serial_number")
        )
    elif name == "session":
        out.sessions.append(message.get_values())
    elif name == "lap":
        out.laps.append(message.get_values())
    elif name == "event":
        _take_event(out, message.get_values())
    elif name == "sport":
        out.sports.append(message.get_values())
    elif name == "activity":
        out.activity = message.get_values()
    elif name == "developer_data_id":
        values = message.get_values()
        app = values.get("application_id")
        out.app_names[values.get("developer_data_index", 0)] = _app_name(values, app, out.device)


def _take_record(out: _Collected, message: Any) -> None:
    row: dict[str, Any] = {}
    for f in message.fields:
        value = f.value
        if value is None:
            continue
        if type(f.field_def) is DevFieldDefinition:
            _take_developer(out, f, len(out.rows))
        else:
            row[f.name] = value
    # Compressed-timestamp records arrive as raw FIT seconds rather than datetimes.
    if isinstance(row.get("timestamp"), datetime | int):
        out.rows.append(row)


def _take_developer(out: _Collected, f: Any, index: int) -> None:
    if not isinstance(f.value, int | float) or isinstance(f.value, bool):
        return
    app = out.app_names.get(f.field_def.dev_data_index, f"app {f.field_def.dev_data_index}")
    key = (app, f.name)
    out.developer.setdefault(key, {})[index] = float(f.value)
    if f.units:
        out.developer_units[key] = f.units


def _app_name(values: dict[str, Any], app_id: Any, device: Device) -> str:
    """FIT names no application in developer_data_id: use its manufacturer when given, else the
    file's own maker (a Stryd pod writes Stryd's fields), else the index."""
    maker = values.get("manufacturer_id")
    if isinstance(maker, str):
        return maker.capitalize()
    if device.manufacturer and device.manufacturer not in ("garmin", "dynastream", "development"):
        return device.manufacturer.capitalize()
    return f"app {values.get('developer_data_index', 0)}"


def _take_event(out: _Collected, values: dict[str, Any]) -> None:
    if values.get("event") != "timer" or not isinstance(values.get("timestamp"), datetime):
        return
    out.timer_events.append((_epoch(values["timestamp"]), str(values.get("event_type"))))


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _epoch(moment: datetime | int) -> float:
    if isinstance(moment, int):
        return float(moment + FIT_EPOCH_S)
    # fitparse gives naive datetimes that are UTC.
    return moment.replace(tzinfo=UTC).timestamp()


def _assemble(c: _Collected, *, fallback_tz: str | None) -> RunData:
    timestamps = np.array([_epoch(row["timestamp"]) for row in c.rows])
    order = np.argsort(timestamps, kind="stable")
    if np.any(np.diff(order) != 1):  # chained files may interleave; keep developer values aligned
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        c.rows = [c.rows[i] for i in order]
        c.developer = {k: {int(rank[i]): v for i, v in d.items()} for k, d in c.developer.items()}
        timestamps = timestamps[order]
    segments = _segments(c, timestamps)
    index = _segment_index(segments, len(timestamps))
    records = _records(c, timestamps, segments, index)
    warnings = _warnings(c)
    start = segments[0].start if segments else datetime.fromtimestamp(timestamps[0], UTC)
    return RunData(
        records=records,
        segments=segments,
        laps=_laps(c.laps, timestamps),
        pauses=_pauses(c.timer_events),
        device=c.device,
        start=start,
        local_offset_s=_local_offset(c.activity, start, fallback_tz),
        partial=c.error is not None,
        warnings=warnings,
    )


def _warnings(c: _Collected) -> list[str]:
    warnings = []
    if c.error:
        warnings.append(f"{c.error} after {len(c.rows)} records; kept what was read")
    if not c.sessions:
        warnings.append("the file has no session summary; figures are computed from its records")
    return warnings


def _segments(c: _Collected, timestamps: np.ndarray) -> list[Segment]:
    sessions = [s for s in c.sessions if isinstance(s.get("start_time"), datetime)]
    if not sessions:
        return [_whole_file_segment(c, timestamps)]
    sessions.sort(key=lambda s: s["start_time"])
    bounds = [_epoch(s["start_time"]) for s in sessions] + [math.inf]
    cuts = np.searchsorted(timestamps, bounds, side="left")
    cuts[0] = 0  # records written just before the first session start belong to it
    return [_segment(s, int(cuts[i]), int(cuts[i + 1])) for i, s in enumerate(sessions)]


def _segment(s: dict[str, Any], first: int, stop: int) -> Segment:
    sport = _sport_name(s.get("sport"))
    return Segment(
        sport=sport,
        sub_sport=_sport_name(s.get("sub_sport")),
        start=s["start_time"].replace(tzinfo=UTC),
        elapsed_s=_float(s.get("total_elapsed_time")) or 0.0,
        timer_s=_float(s.get("total_timer_time")),
        distance_m=_float(s.get("total_distance")),
        avg_cadence=_session_cadence(s, sport),
        cadence_unit=cadence_unit(sport),
        record_start=first,
        record_stop=stop,
    )


def _whole_file_segment(c: _Collected, timestamps: np.ndarray) -> Segment:
    sport = _sport_name(c.sports[0].get("sport")) if c.sports else "generic"
    sub = _sport_name(c.sports[0].get("sub_sport")) if c.sports else "generic"
    distances = [row.get("distance") for row in c.rows if row.get("distance") is not None]
    return Segment(
        sport=sport,
        sub_sport=sub,
        start=datetime.fromtimestamp(timestamps[0], UTC),
        elapsed_s=float(timestamps[-1] - timestamps[0]),
        timer_s=None,
        distance_m=_float(max(distances)) if distances else None,
        avg_cadence=None,
        cadence_unit=cadence_unit(sport),
        record_start=0,
        record_stop=len(timestamps),
    )


def _sport_name(value: Any) -> str:
    if value is None:
        return "generic"
    return str(value).lower() if isinstance(value, str) else f"sport_{value}"


def _float(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _session_cadence(s: dict[str, Any], sport: str) -> float | None:
    whole = _float(s.get("avg_running_cadence")) if sport in STEP_SPORTS else None
    whole = whole if whole is not None else _float(s.get("avg_cadence"))
    if whole is None or sport not in STEP_SPORTS | RPM_SPORTS:
        return None
    total = whole + (_float(s.get("avg_fractional_cadence")) or 0.0)
    # FIT counts running cadence per leg (strides/min); steps/min is twice that.
    return 2 * total if sport in STEP_SPORTS else total


def _segment_index(segments: list[Segment], n: int) -> np.ndarray:
    index = np.zeros(n, dtype=np.int64)
    for i, seg in enumerate(segments):
        index[seg.record_start : seg.record_stop] = i
    return index


def _column(rows: list[dict[str, Any]], names: tuple[str, ...]) -> np.ndarray:
    out = np.full(len(rows), np.nan)
    for i, row in enumerate(rows):
        for name in names:
            value = row.get(name)
            if isinstance(value, int | float) and not isinstance(value, bool):
                out[i] = value
                break
    return out


def _records(c: _Collected, ts: np.ndarray, segments: list[Segment], index: np.ndarray) -> Records:
    columns = {col: _column(c.rows, names) for col, names in _RECORD_FIELDS.items()}
    raw = _column(c.rows, ("cadence",)) + np.nan_to_num(_column(c.rows, ("fractional_cadence",)))
    sports = np.array([seg.sport for seg in segments])[index] if segments else np.array([])
    steps = np.isin(sports, list(STEP_SPORTS))
    pedals = np.isin(sports, list(RPM_SPORTS))
    return Records(
        timestamp_s=ts,
        segment_index=index,
        lat_deg=_column(c.rows, ("position_lat",)) * SEMICIRCLE_DEG,
        lon_deg=_column(c.rows, ("position_long",)) * SEMICIRCLE_DEG,
        cadence_spm=np.where(steps, 2 * raw, np.nan),
        cadence_rpm=np.where(pedals, raw, np.nan),
        developer={k: _sparse(v, len(ts)) for k, v in c.developer.items()},
        developer_units=dict(c.developer_units),
        **columns,
    )


def _sparse(values: dict[int, float], n: int) -> np.ndarray:
    out = np.full(n, np.nan)
    for i, value in values.items():
        if i < n:
            out[i] = value
    return out


def _laps(laps: list[dict[str, Any]], ts: np.ndarray) -> list[Lap]:
    usable = sorted(
        (lap for lap in laps if isinstance(lap.get("start_time"), datetime)),
        key=lambda lap: lap["start_time"],
    )
    out = []
    for lap in usable:
        start = _epoch(lap["start_time"])
        elapsed = _float(lap.get("total_elapsed_time")) or 0.0
        first, stop = np.searchsorted(ts, [start, start + elapsed], side="left")
        out.append(
            Lap(
                start=lap["start_time"].replace(tzinfo=UTC),
                elapsed_s=elapsed,
                timer_s=_float(lap.get("total_timer_time")),
                distance_m=_float(lap.get("total_distance")),
                record_start=int(first),
                record_stop=int(max(first, stop)),
            )
        )
    return out


def _pauses(events: list[tuple[float, str]]) -> list[tuple[float, float]]:
    """(stop, start) pairs: from each timer stop to the next timer start."""
    pauses, stopped_at = [], None
    for moment, kind in sorted(events):
        if kind in ("stop", "stop_all", "stop_disable", "stop_disable_all") and stopped_at is None:
            stopped_at = moment
        elif kind == "start" and stopped_at is not None:
            pauses.append((stopped_at, moment))
            stopped_at = None
    return pauses


def _local_offset(
    activity: dict[str, Any] | None, start: datetime, fallback_tz: str | None
) -> int | None:
    if activity and isinstance(activity.get("timestamp"), datetime):
        local = activity.get("local_timestamp")
        if isinstance(local, int):  # some writers leave it as raw seconds since 1989-12-31
            local = datetime(1989, 12, 31) + timedelta(seconds=local)
        if isinstance(local, datetime):
            offset = (local - activity["timestamp"]).total_seconds()
            if abs(offset) <= 14 * 3600:
                return int(round(offset / 900) * 900)  # zones are whole quarter hours
    return _zone_offset(fallback_tz, start)


def _zone_offset(zone: str | None, moment: datetime) -> int | None:
    if not zone:
        return None
    try:
        offset = moment.astimezone(ZoneInfo(zone)).utcoffset()
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return int(offset.total_seconds()) if offset is not None else None
