"""Reading FIT files: bytes in, :class:`~analysis.core.fit.rundata.RunData` out.

The only module that imports fitparse. Whatever the bytes, :func:`read_fit` returns a RunData
or raises :class:`FitRejected`, whose message tells the member why in plain words.

Choices worth knowing:

* Chained files (several FIT files back to back) are read whole. fitparse follows the chain
  itself; we walk the headers first only to find where the chain ends, reject a broken link,
  ignore zero padding after the last file, and check each file's CRC.
* fitparse's own CRC check is off: it would stop a readable run at the first bad checksum (or
  before any message, for a bad header CRC). A mismatch only adds a warning; real damage shows
  up as parse errors, which end the pass and mark the import partial.
* fitparse's data processors are replaced by a no-op: their per-field method lookups cost
  ~40 % of a parse, and they only turn date_time integers into naive datetimes, which we do
  ourselves (we want epoch seconds anyway).
* fitparse keeps developer-field definitions in a module global (``fitparse.records.DEV_TYPES``);
  each parse clears it under a lock, so one file's definitions never leak into another's.
* fitparse raises anything on damaged bytes (its own errors, AttributeError, struct.error, ...).
  Only the calls into fitparse catch broadly; what was read before the error is kept. Anything
  raised by our own code is logged with its traceback and becomes FitRejected("the file is
  damaged: <type>: <message>"), so a bug of ours is loud in the logs, never silent.
"""

from __future__ import annotations

import gzip
import io
import logging
import math
import threading
import uuid
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import fitparse
import numpy as np
from fitparse.profile import FIELD_TYPE_TIMESTAMP, MESSAGE_TYPES
from fitparse.records import DEV_TYPES, DevField
from fitparse.utils import FitEOFError

from analysis.core.fit import sanity
from analysis.core.fit.limits import MAX_FIT_BYTES
from analysis.core.fit.rundata import (
    RPM_SPORTS,
    STEP_SPORTS,
    Device,
    Lap,
    Records,
    RunData,
    Segment,
    cadence_unit,
)

log = logging.getLogger(__name__)

GZIP_MAGIC = b"\x1f\x8b"
FIT_SIGNATURE = b".FIT"
FIT_HEADER_SIZES = (12, 14)
MAX_CHAINED_FILES = 256
FIT_EPOCH_S = 631065600  # 1989-12-31T00:00:00Z: FIT date_time values count from here
RELATIVE_TIME_LIMIT = 0x10000000  # FIT: smaller date_time values count from device power-on
MAX_RAW_TIME = 2**32  # date_time is a uint32; larger values come from a damaged definition
SEMICIRCLE_DEG = 180.0 / 2**31
MAX_ZONE_OFFSET_S = 14 * 3600
ZONE_STEP_S = 900  # time zones are whole quarter hours
MAX_DEVELOPER_FIELDS = 32  # a Stryd pod writes about ten; more is a crafted file
MAX_WARNING_CHARS = 300  # a warning quotes fitparse's error, whose text we do not control
ACTIVITY_FILE_TYPES = ("activity", 4)  # file_id.type by name, or raw if fitparse lacks the name
STOP_EVENT_TYPES = frozenset({"stop", "stop_all", "stop_disable", "stop_disable_all"})

# FIT record fields we keep, with the unit fitparse's profile gives each (tests assert these,
# so a fitparse upgrade that changes a unit fails loudly). Values arrive already scaled.
RECORD_FIELDS: dict[str, str] = {
    "timestamp": "s",
    "distance": "m",
    "speed": "m/s",
    "enhanced_speed": "m/s",
    "heart_rate": "bpm",
    "altitude": "m",
    "enhanced_altitude": "m",
    "position_lat": "semicircles",
    "position_long": "semicircles",
    "cadence": "rpm",  # per leg for running: steps/min is twice this
    "fractional_cadence": "rpm",
    "power": "watts",
    "vertical_oscillation": "mm",
    "stance_time": "ms",
    "stance_time_balance": "percent",
    "step_length": "mm",
    "vertical_ratio": "percent",
}
COLUMN = {name: i for i, name in enumerate(RECORD_FIELDS)}
RUNNING_DYNAMICS_FIELDS = ("vertical_oscillation", "stance_time", "step_length")

# FIT global message numbers. Dispatching on the number skips fitparse's name property chain.
FILE_ID = 0
SPORT = 12
SESSION = 18
LAP = 19
RECORD = 20
EVENT = 21
ACTIVITY = 34
DEVELOPER_DATA_ID = 207
SUMMARY_MESSAGES = (FILE_ID, SPORT, SESSION, LAP, EVENT, ACTIVITY, DEVELOPER_DATA_ID)
_NUMBER_TYPES = (int, float)  # exact classes: bool is an int but never a measurement

_FITPARSE_LOCK = threading.Lock()


class FitRejected(Exception):
    """The input cannot be imported; str(exc) says why, in words a member understands."""


def _record_columns() -> dict[Any, int]:
    """fitparse's profile field objects of the record message -> our column number.

    Keyed by the object itself (fitparse hands the same object on every record, including the
    fields it derives from components), so each value costs one identity-hashed lookup."""
    by_name = {f.name: f for f in MESSAGE_TYPES[RECORD].fields.values()}
    columns = {by_name[name]: column for name, column in COLUMN.items()}
    columns[FIELD_TYPE_TIMESTAMP] = COLUMN["timestamp"]  # compressed-timestamp headers use it
    return columns


_RECORD_COLUMNS = _record_columns()


def profile_units() -> dict[str, str | None]:
    """The unit fitparse's profile gives each record field we read. RECORD_FIELDS states the
    units our column names assume; the tests compare the two."""
    by_name = {f.name: f for f in MESSAGE_TYPES[RECORD].fields.values()}
    return {name: by_name[name].units for name in RECORD_FIELDS}


class _RawValues(fitparse.FitFileDataProcessor):
    """Leaves values as fitparse decodes them (scaled, enums named) and skips its per-field
    processor lookups. date_time values stay raw seconds since the FIT epoch."""

    def run_type_processor(self, field_data: Any) -> None:
        pass

    def run_field_processor(self, field_data: Any) -> None:
        pass

    def run_unit_processor(self, field_data: Any) -> None:
        pass

    def run_message_processor(self, data_message: Any) -> None:
        pass


def read_fit(data: bytes, *, fallback_tz: str | None = None) -> RunData:
    """Read an activity FIT file: plain or gzipped, one file or several chained.

    `fallback_tz` (IANA name) gives the local time offset when the file does not.
    Raises FitRejected, and nothing else, for anything that is not a readable activity.
    """
    try:
        return _read(data, fallback_tz=fallback_tz)
    except FitRejected:
        raise
    except Exception as exc:
        # fitparse's errors were caught where it was called: this is our code meeting a shape
        # of damage it did not expect, or a bug. Loud in the logs; a reason for the member.
        log.exception("read_fit failed on a %s", type(data).__name__)
        raise FitRejected(f"the file is damaged: {type(exc).__name__}: {exc}") from exc


def bare_parse(data: bytes) -> int:
    """fitparse alone, iterating every message, configured as read_fit configures it: the
    baseline of bench/fit_import.py. Returns the number of messages."""
    with _FITPARSE_LOCK:
        DEV_TYPES.clear()
        fit = fitparse.FitFile(io.BytesIO(data), check_crc=False, data_processor=_RawValues())
        return sum(1 for _ in fit.get_messages())


def _read(data: bytes, *, fallback_tz: str | None) -> RunData:
    if not isinstance(data, bytes | bytearray | memoryview):
        raise FitRejected(f"not a FIT file (expected bytes, got {type(data).__name__})")
    data = _unzip(bytes(data))
    data, frame_warnings = _frame(data)
    collected = _parse(data)
    _reject_unless_activity(collected)
    return _assemble(collected, fallback_tz=fallback_tz, frame_warnings=frame_warnings)


# --- bytes: gzip, size, the chain of FIT headers, CRCs -------------------------------------


def _unzip(data: bytes) -> bytes:
    if not data:
        raise FitRejected("the file is empty")
    if data[:2] == GZIP_MAGIC:
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as unzipped:
                data = unzipped.read(MAX_FIT_BYTES + 1)  # bounded: a gzip bomb stops here
        except (OSError, EOFError, zlib.error) as exc:
            raise FitRejected(f"the gzip data is corrupt ({exc})") from None
        if not data:
            raise FitRejected("the file is empty once unzipped")
    if len(data) > MAX_FIT_BYTES:
        raise FitRejected(f"the file is too large (over {MAX_FIT_BYTES // 2**20} MiB unzipped)")
    return data


@dataclass(frozen=True)
class _Part:
    """One FIT file of a chain: header at `start`, then `data_size` bytes, then a 2-byte CRC."""

    start: int
    header_size: int
    data_size: int

    @property
    def data_end(self) -> int:
        return self.start + self.header_size + self.data_size

    @property
    def end(self) -> int:
        return self.data_end + 2


def _frame(data: bytes) -> tuple[bytes, list[str]]:
    """The bytes fitparse should read, and warnings about the framing.

    Trailing zero padding is cut off (fitparse would take it for a broken chained header); a
    file whose data is complete but whose final CRC is missing gets two zero bytes, so that
    fitparse does not call it truncated."""
    parts = _walk_chain(data)
    warnings = []
    if _crc_mismatch(data, parts=parts):
        warnings.append("the file's checksum does not match; imported anyway")
    last = parts[-1]
    if last.end < len(data):
        warnings.append(f"ignored {len(data) - last.end} bytes after the end of the FIT data")
        data = data[: last.end]
    elif last.data_end <= len(data) < last.end:
        warnings.append("the file's checksum is missing")
        data = data + bytes(last.end - len(data))
    return data, warnings


def _walk_chain(data: bytes) -> list[_Part]:
    """Every chained FIT header in order (shape: one _Part per file). Rejects broken headers."""
    parts = [_header_at(data, offset=0)]
    while parts[-1].end < len(data) and not _is_padding(data, offset=parts[-1].end):
        if len(parts) == MAX_CHAINED_FILES:  # a watch chains a handful; this is a crafted file
            raise FitRejected(f"the file chains more than {MAX_CHAINED_FILES} FIT files")
        parts.append(_header_at(data, offset=parts[-1].end))
    return parts


def _header_at(data: bytes, *, offset: int) -> _Part:
    header = data[offset : offset + 12]
    if len(header) < 12 or header[8:12] != FIT_SIGNATURE:
        if offset == 0:
            raise FitRejected("not a FIT file (no '.FIT' signature in the header)")
        raise FitRejected(
            f"the FIT header is corrupt: the file chained at byte {offset} has no '.FIT' signature"
        )
    if header[0] not in FIT_HEADER_SIZES:
        raise FitRejected(f"the FIT header is corrupt (header size {header[0]}, expected 12 or 14)")
    return _Part(offset, header[0], int.from_bytes(header[4:8], "little"))


def _is_padding(data: bytes, *, offset: int) -> bool:
    """Whether data[offset:] is too short to hold a header, or all zeros: filler some writers
    leave after the data. A signature is checked first, so a chain costs no copies."""
    if len(data) - offset < 12:
        return True
    return data[offset + 8 : offset + 12] != FIT_SIGNATURE and not data[offset:].strip(b"\x00")


def _crc_mismatch(data: bytes, *, parts: list[_Part]) -> bool:
    """Whether any complete part's header CRC or file CRC disagrees with its bytes. A CRC of
    zero means the writer did not compute one."""
    for part in parts:
        if part.end > len(data):
            continue  # truncated: no CRC to compare
        header_crc = int.from_bytes(data[part.start + 12 : part.start + 14], "little")
        if (
            part.header_size == 14
            and header_crc
            and header_crc != _crc16(data, start=part.start, size=12)
        ):
            return True
        stored = int.from_bytes(data[part.data_end : part.end], "little")
        if stored and stored != _crc16(data, start=part.start, size=part.data_end - part.start):
            return True
    return False


def _crc_table() -> tuple[int, ...]:
    """FIT's CRC is CRC-16/ARC (reflected polynomial 0xA001, initial 0): a byte-wise table."""
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return tuple(table)


_CRC_TABLE = _crc_table()


def _crc16(data: bytes, *, start: int, size: int) -> int:
    """CRC of data[start:start+size]; ~50 ms per MB, a few % of a parse."""
    crc, table = 0, _CRC_TABLE
    for byte in memoryview(data)[start : start + size]:
        crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
    return crc


# --- one pass over fitparse's messages -------------------------------------------------------


class _Collected:
    """Everything one pass over the messages gathers, before it becomes arrays.

    rows: one list per record message, len(RECORD_FIELDS) numbers each (NaN where absent).
    developer: (app, field) -> (row numbers, values), two lists of equal length.
    messages: FIT message number -> get_values() dicts of the summary messages we read.
    """

    def __init__(self) -> None:
        self.rows: list[list[float]] = []
        self.developer: dict[tuple[str, str], tuple[list[int], list[float]]] = {}
        self.developer_units: dict[tuple[str, str], str] = {}
        self.messages: dict[int, list[dict[Any, Any]]] = {n: [] for n in SUMMARY_MESSAGES}
        self.stop: Exception | None = None  # the error that ended the pass early, if any
        self.part_starts: list[int] = []  # len(rows) when each chained FIT file began
        self._blank = [math.nan] * len(RECORD_FIELDS)
        self._app_names: dict[Any, str] = {}
        self._developer_keys: dict[Any, tuple[str, str]] = {}

    def take(self, message: Any) -> None:
        number = message.def_mesg.mesg_num
        if number == RECORD:
            self._take_record(message.fields)
        elif number in self.messages:
            values = message.get_values()
            self.messages[number].append(values)
            if number == DEVELOPER_DATA_ID:
                self._name_app(values)

    def begin_part(self) -> None:
        self.part_starts.append(len(self.rows))

    def part_of(self, rows: np.ndarray) -> np.ndarray:
        """(M,) row numbers -> (M,) number of the chained FIT file each came from."""
        return np.searchsorted(np.asarray(self.part_starts), rows, side="right") - 1

    def first(self, number: int) -> dict[Any, Any]:
        found = self.messages[number]
        return found[0] if found else {}

    def _take_record(self, fields: list[Any]) -> None:
        row = self._blank[:]
        columns = _RECORD_COLUMNS
        for field_data in fields:
            column = columns.get(field_data.field)
            if column is not None:
                value = field_data.value
                if value.__class__ in _NUMBER_TYPES:  # not None, not a tuple from a bad size
                    row[column] = value
            elif field_data.field.__class__ is DevField:
                self._take_developer(field_data)
        self.rows.append(row)

    def _take_developer(self, field_data: Any) -> None:
        value = field_data.value
        if value.__class__ not in _NUMBER_TYPES:
            return  # text and arrays are not a per-record series
        key = self._developer_keys.get(field_data.field)
        if key is None:
            key = self._developer_key(field_data.field)
        rows, values = self.developer.setdefault(key, ([], []))
        rows.append(len(self.rows))  # the row this record is about to append
        values.append(value)

    def _developer_key(self, dev_field: Any) -> tuple[str, str]:
        app = self._app_names.get(dev_field.dev_data_index, f"app {dev_field.dev_data_index}")
        key = (app, str(dev_field.name))
        self._developer_keys[dev_field] = key
        if dev_field.units:
            self.developer_units[key] = str(dev_field.units)
        return key

    def _name_app(self, values: dict[Any, Any]) -> None:
        maker = self.first(FILE_ID).get("manufacturer")
        self._app_names[values.get("developer_data_index")] = _app_name(values, file_maker=maker)


def _app_name(values: dict[Any, Any], *, file_maker: Any) -> str:
    """FIT gives a developer app no name: only a manufacturer id and a 16-byte application id.

    Prefer the manufacturer's name; then the application id; an unset application id means the
    file's own maker wrote the fields (a Stryd pod's file), so name that maker; else the index.
    """
    manufacturer = values.get("manufacturer_id")
    if isinstance(manufacturer, str):
        return _maker_name(manufacturer)
    app_id = values.get("application_id")
    if isinstance(app_id, tuple) and len(app_id) == 16 and any(app_id):
        return f"app {uuid.UUID(bytes=bytes(app_id))}"
    if isinstance(file_maker, str) and file_maker != "development":
        return _maker_name(file_maker)
    return f"app {values.get('developer_data_index')}"


def _maker_name(fit_name: str) -> str:
    return fit_name.replace("_", " ").capitalize()


class _ChainAwareFitFile(fitparse.FitFile):
    """fitparse's reader, calling `on_header` as each FIT file of a chain begins (times may
    restart there, so the time check runs per file)."""

    def __init__(self, fileish: Any, *, on_header: Any, **kwargs: Any) -> None:
        self._on_header = on_header
        super().__init__(fileish, **kwargs)

    def _parse_file_header(self) -> None:
        self._on_header()
        super()._parse_file_header()


def _parse(data: bytes) -> _Collected:
    """One pass over the messages. A fitparse error ends it; what was read before is kept."""
    collected = _Collected()
    with _FITPARSE_LOCK:
        DEV_TYPES.clear()  # fitparse's global: a previous file's developer fields must not leak
        try:
            fit = _ChainAwareFitFile(
                io.BytesIO(data),
                on_header=collected.begin_part,
                check_crc=False,
                data_processor=_RawValues(),
            )
            messages = fit.get_messages()
        except Exception as exc:  # fitparse reads the header here
            collected.stop = exc
            return collected
        _drain(messages, into=collected)
    return collected


def _drain(messages: Iterator[Any], *, into: _Collected) -> None:
    """Hand each message fitparse yields to `into`. Only fitparse's next() is guarded: damaged
    bytes make it raise anything, while an error in our own code must propagate."""
    take = into.take
    while True:
        try:
            message = next(messages)
        except StopIteration:
            return
        except Exception as exc:
            into.stop = exc
            return
        take(message)


def _reject_unless_activity(c: _Collected) -> None:
    kind = c.first(FILE_ID).get("type")
    if isinstance(kind, str) and kind not in ACTIVITY_FILE_TYPES:
        raise FitRejected(f"this FIT file is a {kind} file, not an activity recording")
    if kind.__class__ is int and kind not in ACTIVITY_FILE_TYPES:  # a number FIT has no name for
        raise FitRejected(f"this FIT file is of unknown type {kind}, not an activity recording")
    # Anything else (a damaged file_id): the records decide.
    if not c.rows and not c.messages[SESSION]:
        raise FitRejected(f"no activity records in the file{_stop_detail(c.stop)}")


def _stop_detail(stop: Exception | None) -> str:
    if stop is None:
        return ""
    if isinstance(stop, FitEOFError):
        return " (it ends early, before the first record)"
    return f" (it is damaged: {type(stop).__name__}: {stop})"


# --- from collected values to RunData --------------------------------------------------------


@dataclass(frozen=True)
class _Clock:
    """Turns FIT date_time values (seconds since the FIT epoch) into Unix seconds.

    Old watches without a clock fix count seconds from power-on (values below 0x10000000);
    `shift_s` moves those onto the real time line when the file says where they belong."""

    shift_s: float = 0.0
    anchored: bool = False  # times were placed from activity.local_timestamp
    local_offset_s: int | None = None  # known only when anchored with a time zone
    warning: str | None = None

    def epoch_s(self, raw: np.ndarray) -> np.ndarray:
        """(N,) raw FIT seconds -> (N,) Unix seconds."""
        return raw + FIT_EPOCH_S + np.where(raw < RELATIVE_TIME_LIMIT, self.shift_s, 0.0)

    def moment_s(self, raw: Any) -> float | None:
        """One raw FIT date_time -> Unix seconds; None when absent or impossible."""
        value = _raw_time(raw)
        if value is None:
            return None
        return value + FIT_EPOCH_S + (self.shift_s if value < RELATIVE_TIME_LIMIT else 0.0)


UNSET_CLOCK_WARNING = "the watch's clock was not set: the date and time of this run are not real"


def _number(value: Any) -> float | None:
    """A finite int or float as float; None for anything else (None, text, tuples, bool)."""
    if value.__class__ not in _NUMBER_TYPES or not math.isfinite(value):
        return None
    return float(value)


def _raw_time(value: Any) -> float | None:
    """A FIT date_time (uint32 seconds) as float; None when absent or out of its range."""
    number = _number(value)
    return number if number is not None and 0 <= number < MAX_RAW_TIME else None


def _utc(epoch_s: float) -> datetime:
    return datetime.fromtimestamp(float(epoch_s), UTC)


def _text(value: Any) -> str | None:
    return str(value) if isinstance(value, str) or value.__class__ is int else None


def _sport_name(value: Any) -> str:
    """fitparse names known sports ("running"); an unknown number stays visible as sport_N."""
    if isinstance(value, str):
        return value.lower()
    return f"sport_{value}" if value.__class__ is int else "generic"


@dataclass(frozen=True)
class _Timeline:
    """The timed records in time order, and how the file's times were read.

    columns: (len(RECORD_FIELDS), N) float64, NaN where a record had no value;
    time_s: (N,) Unix seconds, ascending; position: (rows read,) int64, the index in time
    order of each record as read, -1 for a record without a usable time or dropped for its
    time (`untimed` and `times` count those).
    """

    columns: np.ndarray
    time_s: np.ndarray
    position: np.ndarray
    clock: _Clock
    untimed: int = 0
    times: sanity.TimeCheck | None = None

    def column(self, name: str) -> np.ndarray:
        return self.columns[COLUMN[name]]


def _timeline(c: _Collected, *, fallback_tz: str | None) -> _Timeline:
    table = np.array(c.rows, dtype=np.float64).reshape(-1, len(RECORD_FIELDS))
    table[~np.isfinite(table)] = np.nan  # inf from a damaged float field is no measurement
    raw = table[:, COLUMN["timestamp"]]
    timed = (raw >= 0) & (raw < MAX_RAW_TIME)  # NaN compares False: untimed records drop out
    clock = _clock(c, raw_time=raw[timed], fallback_tz=fallback_tz)
    rows = np.flatnonzero(timed)
    time_s = clock.epoch_s(raw[rows])
    times = sanity.check_times(
        time_s=time_s, part=c.part_of(rows), spans_s=_session_spans(c, clock=clock)
    )
    rows, time_s = rows[times.keep], time_s[times.keep]
    order = np.argsort(time_s, kind="stable")  # chained parts may interleave in time
    position = np.full(len(table), -1, dtype=np.int64)
    position[rows[order]] = np.arange(len(order))
    columns = np.ascontiguousarray(table[rows[order]].T)
    return _Timeline(
        columns=columns,
        time_s=time_s[order],
        position=position,
        clock=clock,
        untimed=len(table) - len(times.keep),
        times=times,
    )


def _session_spans(c: _Collected, *, clock: _Clock) -> list[tuple[float, float]]:
    """(start, end) Unix seconds of each session, as the file states them."""
    placed = _placed(c.messages[SESSION], clock=clock)
    return [(start, start + _elapsed_s(v, start_s=start, clock=clock)) for start, v in placed]


def _clock(c: _Collected, *, raw_time: np.ndarray, fallback_tz: str | None) -> _Clock:
    """How to read the file's times: as they are, or shifted off a power-on count.

    raw_time: (N,) raw FIT seconds of the timed records."""
    if not raw_time.size:  # a summary-only file: its sessions tell
        starts = [_raw_time(s.get("start_time")) for s in c.messages[SESSION]]
        raw_time = np.array([s for s in starts if s is not None])
    if not raw_time.size or np.median(raw_time) >= RELATIVE_TIME_LIMIT:
        return _Clock()
    anchored = _anchored_clock(c.messages[ACTIVITY], fallback_tz=fallback_tz)
    return anchored or _Clock(warning=UNSET_CLOCK_WARNING)


def _anchored_clock(activities: list[dict[Any, Any]], *, fallback_tz: str | None) -> _Clock | None:
    """activity.local_timestamp is wall-clock time even on watches whose other times count
    from power-on: it puts the count on the real time line (in fallback_tz, else taken as UTC)."""
    for activity in activities:
        raw, local = (
            _raw_time(activity.get("timestamp")),
            _raw_time(activity.get("local_timestamp")),
        )
        if raw is None or local is None or not raw < RELATIVE_TIME_LIMIT <= local:
            continue
        offset = _zone_offset_at_local(fallback_tz, local_raw=local)
        where = f"in {fallback_tz}" if offset is not None else "taken as UTC: time zone unknown"
        return _Clock(
            shift_s=local - (offset or 0) - raw,
            anchored=True,
            local_offset_s=offset,
            warning="the watch counted time from power-on; times are placed by its clock "
            f"at the end of the activity ({where})",
        )
    return None


def _zone(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # an unknown or malformed zone name
        return None


def _zone_offset_at_local(name: str | None, *, local_raw: float) -> int | None:
    """UTC offset of zone `name` at a wall-clock time given as raw FIT seconds."""
    zone = _zone(name)
    if zone is None:
        return None
    wall = datetime(1989, 12, 31) + timedelta(seconds=local_raw)
    offset = wall.replace(tzinfo=zone).utcoffset()
    return int(offset.total_seconds()) if offset is not None else None


def _local_offset(
    activities: list[dict[Any, Any]], *, clock: _Clock, start: datetime, fallback_tz: str | None
) -> int | None:
    """Seconds to add to UTC for the wall clock: activity.local_timestamp - timestamp, else
    the fallback zone's offset at the start, else None."""
    if clock.anchored:
        return clock.local_offset_s
    for activity in activities:
        raw, local = (
            _raw_time(activity.get("timestamp")),
            _raw_time(activity.get("local_timestamp")),
        )
        if raw is None or local is None or min(raw, local) < RELATIVE_TIME_LIMIT:
            continue
        if abs(local - raw) <= MAX_ZONE_OFFSET_S:
            # Rounded: some writers take the two values a second or so apart.
            return int(round((local - raw) / ZONE_STEP_S) * ZONE_STEP_S)
    zone = _zone(fallback_tz)
    offset = start.astimezone(zone).utcoffset() if zone else None
    return int(offset.total_seconds()) if offset is not None else None


def _start_s(values: dict[Any, Any], *, clock: _Clock) -> float | None:
    """A session's or lap's start, Unix seconds: start_time, else its end minus its length."""
    start = clock.moment_s(values.get("start_time"))
    if start is not None:
        return start
    end, elapsed = (
        clock.moment_s(values.get("timestamp")),
        _number(values.get("total_elapsed_time")),
    )
    return end - elapsed if end is not None and elapsed is not None else None


def _elapsed_s(values: dict[Any, Any], *, start_s: float, clock: _Clock) -> float:
    elapsed = _number(values.get("total_elapsed_time"))
    if elapsed is None:
        end = clock.moment_s(values.get("timestamp"))
        elapsed = end - start_s if end is not None else 0.0
    return max(elapsed, 0.0)


def _placed(messages: list[dict[Any, Any]], *, clock: _Clock) -> list[tuple[float, dict[Any, Any]]]:
    """(start Unix seconds, values) of the sessions or laps that have a start, by start."""
    placed = [(_start_s(values, clock=clock), values) for values in messages]
    return sorted(((s, v) for s, v in placed if s is not None), key=lambda sv: sv[0])


def _sessions(c: _Collected, *, timeline: _Timeline) -> list[tuple[float, dict[Any, Any]]]:
    """(start, values) of the sessions by start, leaving out any that starts far from every
    record: its time is damaged, and it would claim the activity's date."""
    placed = _placed(c.messages[SESSION], clock=timeline.clock)
    return [(s, v) for s, v in placed if sanity.near_in_time(s, time_s=timeline.time_s)]


def _segments(
    c: _Collected, *, sessions: list[tuple[float, dict[Any, Any]]], timeline: _Timeline
) -> list[Segment]:
    """One segment per session, records split at the session starts.

    A record belongs to the last session started at or before it: records in a gap between
    sessions stay with the one before, records before the first session go to the first."""
    n = len(timeline.time_s)
    if not sessions:
        return [_whole_file_segment(c, timeline=timeline)] if n else []
    cuts = np.searchsorted(timeline.time_s, [start for start, _ in sessions[1:]], side="left")
    bounds = [0, *(int(cut) for cut in cuts), n]
    return [
        _segment(values, start_s=start, clock=timeline.clock, first=bounds[i], stop=bounds[i + 1])
        for i, (start, values) in enumerate(sessions)
    ]


def _segment(
    values: dict[Any, Any], *, start_s: float, clock: _Clock, first: int, stop: int
) -> Segment:
    sport = _sport_name(values.get("sport"))
    return Segment(
        sport=sport,
        sub_sport=_sport_name(values.get("sub_sport")),
        start=_utc(start_s),
        elapsed_s=_elapsed_s(values, start_s=start_s, clock=clock),
        timer_s=_number(values.get("total_timer_time")),
        distance_m=_number(values.get("total_distance")),
        avg_cadence=_session_cadence(values, sport=sport),
        cadence_unit=cadence_unit(sport),
        record_start=first,
        record_stop=stop,
    )


def _session_cadence(values: dict[Any, Any], *, sport: str) -> float | None:
    """In the segment's unit: FIT's per-leg running cadence doubled to steps/min; rpm as is.

    fitparse names the field avg_running_cadence on running sessions, avg_cadence elsewhere."""
    unit = cadence_unit(sport)
    whole = _number(values.get("avg_running_cadence"))
    whole = whole if whole is not None else _number(values.get("avg_cadence"))
    if unit is None or whole is None:
        return None
    total = whole + (_number(values.get("avg_fractional_cadence")) or 0.0)
    return 2 * total if unit == "spm" else total


def _whole_file_segment(c: _Collected, *, timeline: _Timeline) -> Segment:
    """No session summary (a file cut short, usually): one segment over every record. Its
    distance is measured on the records once their values are checked (_settle_distances)."""
    sport, sub_sport, _ = _file_sport(c, timeline=timeline)
    time_s = timeline.time_s
    return Segment(
        sport=sport,
        sub_sport=sub_sport,
        start=_utc(time_s[0]),
        elapsed_s=float(time_s[-1] - time_s[0]),
        timer_s=None,
        distance_m=None,
        avg_cadence=None,
        cadence_unit=cadence_unit(sport),
        record_start=0,
        record_stop=len(time_s),
    )


def _file_sport(c: _Collected, *, timeline: _Timeline) -> tuple[str, str, str | None]:
    """(sport, sub_sport, warning) of a file without sessions: its sport message, else its
    first lap's sport. A file naming neither but with running dynamics was a run (only running
    pods and straps measure them): without that, a run cut short would lose its cadence."""
    for values in (c.first(SPORT), *c.messages[LAP]):
        if values.get("sport") is not None:
            return _sport_name(values["sport"]), _sport_name(values.get("sub_sport")), None
    if any(np.isfinite(timeline.column(name)).any() for name in RUNNING_DYNAMICS_FIELDS):
        return "running", "generic", "the file names no sport; its running dynamics say a run"
    return "generic", "generic", None


def _segment_index(segments: list[Segment], *, n: int) -> np.ndarray:
    """(n,) int64: each record's segment."""
    index = np.zeros(n, dtype=np.int64)
    for i, segment in enumerate(segments):
        index[segment.record_start : segment.record_stop] = i
    return index


def _prefer(first: np.ndarray, *, otherwise: np.ndarray) -> np.ndarray:
    """(N,) first where it has a value, else otherwise (enhanced_* over their 16-bit twins)."""
    return np.where(np.isfinite(first), first, otherwise)


def _degrees(semicircles: np.ndarray, *, limit_deg: float) -> np.ndarray:
    """(N,) semicircles -> (N,) degrees."""
    degrees = semicircles * SEMICIRCLE_DEG
    degrees[np.abs(degrees) > limit_deg] = np.nan  # a latitude past the pole is damage
    return degrees


def _records(timeline: _Timeline, *, segments: list[Segment], c: _Collected) -> Records:
    """Every series (N,) in time order; cadence split by each record's segment sport."""
    col = timeline.column
    index = _segment_index(segments, n=len(timeline.time_s))
    steps = np.array([s.sport in STEP_SPORTS for s in segments], dtype=bool)[index]
    pedals = np.array([s.sport in RPM_SPORTS for s in segments], dtype=bool)[index]
    per_leg = col("cadence") + np.nan_to_num(col("fractional_cadence"))  # fraction may be absent
    return Records(
        timestamp_s=timeline.time_s,
        segment_index=index,
        distance_m=col("distance"),
        speed_mps=_prefer(col("enhanced_speed"), otherwise=col("speed")),
        heart_rate_bpm=col("heart_rate"),
        altitude_m=_prefer(col("enhanced_altitude"), otherwise=col("altitude")),
        lat_deg=_degrees(col("position_lat"), limit_deg=90.0),
        lon_deg=_degrees(col("position_long"), limit_deg=180.0),
        # Never mixed: steps/min only where the segment is a step sport, rpm only on the bike.
        cadence_spm=np.where(steps, 2.0 * per_leg, np.nan),
        cadence_rpm=np.where(pedals, per_leg, np.nan),
        power_w=col("power"),
        vertical_oscillation_mm=col("vertical_oscillation"),
        stance_time_ms=col("stance_time"),
        stance_time_balance_pct=col("stance_time_balance"),
        step_length_mm=col("step_length"),
        vertical_ratio_pct=col("vertical_ratio"),
        developer=(developer := _developer(c, timeline=timeline)),
        developer_units={k: u for k, u in c.developer_units.items() if k in developer},
    )


def _developer(c: _Collected, *, timeline: _Timeline) -> dict[tuple[str, str], np.ndarray]:
    """(app, field) -> (N,) float64 in time order; fields with no usable value are left out."""
    out = {}
    for key, (rows, values) in list(c.developer.items())[:MAX_DEVELOPER_FIELDS]:
        where = timeline.position[np.asarray(rows, dtype=np.int64)]
        kept = where >= 0
        series = np.full(len(timeline.time_s), np.nan)
        series[where[kept]] = np.asarray(values, dtype=np.float64)[kept]
        series[~np.isfinite(series)] = np.nan
        if np.isfinite(series).any():
            out[key] = series
    return out


def _laps(laps: list[dict[Any, Any]], *, timeline: _Timeline) -> list[Lap]:
    """Laps in time order, each with the [record_start, record_stop) records of its span."""
    placed = _placed(laps, clock=timeline.clock)
    return [_lap(values, start_s=start, timeline=timeline) for start, values in placed]


def _lap(values: dict[Any, Any], *, start_s: float, timeline: _Timeline) -> Lap:
    elapsed = _elapsed_s(values, start_s=start_s, clock=timeline.clock)
    first, stop = np.searchsorted(timeline.time_s, [start_s, start_s + elapsed], side="left")
    return Lap(
        start=_utc(start_s),
        elapsed_s=elapsed,
        timer_s=_number(values.get("total_timer_time")),
        distance_m=_number(values.get("total_distance")),
        record_start=int(first),
        record_stop=int(max(first, stop)),
    )


def _pauses(events: list[dict[Any, Any]], *, clock: _Clock) -> list[tuple[float, float]]:
    """(stop_s, start_s) Unix-second pairs: from each timer stop to the next timer start."""
    timer = sorted(
        (moment, str(values.get("event_type")))
        for values in events
        if values.get("event") == "timer"
        and (moment := clock.moment_s(values.get("timestamp"))) is not None
    )
    pauses, stopped_at = [], None
    for moment, kind in timer:
        if kind in STOP_EVENT_TYPES and stopped_at is None:
            stopped_at = moment
        elif kind == "start" and stopped_at is not None:
            pauses.append((stopped_at, moment))
            stopped_at = None
    return pauses


def _device(file_id: dict[Any, Any]) -> Device:
    """fitparse names the product field garmin_product when the maker is Garmin."""
    product = file_id.get("garmin_product")
    product = product if product is not None else file_id.get("product")
    serial = file_id.get("serial_number")
    return Device(
        manufacturer=_text(file_id.get("manufacturer")),
        product=_text(product),
        serial=serial if serial.__class__ is int else None,
    )


# --- physically impossible values (analysis.core.fit.sanity decides, this says what was dropped)


@dataclass
class _Findings:
    """What the checks dropped: FIT field -> how many records (sessions and laps for
    total_distance, session for start_time), and one warning per finding naming both."""

    dropped: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def add(self, field_name: str, count: int, warning: str) -> None:
        if count:
            self.dropped[field_name] = self.dropped.get(field_name, 0) + count
            self.warnings.append(warning)


def _many(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _time_findings(timeline: _Timeline, *, ignored_sessions: int, found: _Findings) -> None:
    times = timeline.times
    back, leaps = (times.backwards, times.leaps) if times else (0, 0)
    found.add("timestamp", back, f"dropped {_many(back, 'record')} whose timestamp goes back")
    found.add(
        "timestamp",
        leaps,
        f"dropped {_many(leaps, 'record')} whose timestamp lies more than a day away from "
        "the rest of the activity",
    )
    found.add(
        "start_time",
        ignored_sessions,
        f"ignored {_many(ignored_sessions, 'session')} whose start_time lies more than a day "
        "away from the records",
    )


def _limit_text(segments: list[Segment], which: np.ndarray) -> str:
    """'running allows (12.5 m/s)' for the sports of segments[which]; which: (M,) indexes."""
    sports = sorted({segments[i].sport for i in np.unique(which).tolist()})
    if len(sports) != 1:
        return "their sports allow"
    return f"{sports[0]} allows ({sanity.max_speed_mps(sports[0]):g} m/s)"


def _check_speed(records: Records, *, segments: list[Segment], found: _Findings) -> None:
    limits = np.array([sanity.max_speed_mps(s.sport) for s in segments])[records.segment_index]
    fast = sanity.impossible_speed(speed_mps=records.speed_mps, limit_mps=limits)
    records.speed_mps[fast] = np.nan
    n, why = int(fast.sum()), _limit_text(segments, records.segment_index[fast])
    found.add("speed", n, f"dropped the speed of {_many(n, 'record')}: faster than {why}")


def _check_distance(
    records: Records, *, segments: list[Segment], found: _Findings
) -> list[float | None]:
    """Drops impossible distances in place; returns what each segment's kept records cover."""
    spans = [
        sanity.Span(
            s.record_start, s.record_stop, s.start.timestamp(), sanity.max_speed_mps(s.sport)
        )
        for s in segments
    ]
    check = sanity.check_distance(
        distance_m=records.distance_m, timestamp_s=records.timestamp_s, spans=spans
    )
    records.distance_m[check.backwards | check.too_fast] = np.nan
    back, fast = int(check.backwards.sum()), int(check.too_fast.sum())
    limit = _limit_text(segments, records.segment_index[check.too_fast]) if fast else ""
    if back and fast:
        why = f"{back} went back, {fast} jumped further than {limit}"
    else:
        why = "it went back" if back else f"it jumped further than {limit}"
    n = back + fast
    found.add("distance", n, f"dropped the distance of {_many(n, 'record')}: {why}")
    return check.covered_m


def _settle_distances(
    segments: list[Segment], *, covered_m: list[float | None], records: Records, found: _Findings
) -> list[Segment]:
    """Each segment's distance: the session's total when possible, else what its records
    cover (always so for the one segment of a file without sessions)."""
    settled, ignored = [], 0
    for segment, covered in zip(segments, covered_m, strict=True):
        if segment.distance_m is None or not _possible_total(segment, records=records):
            ignored += segment.distance_m is not None
            segment = replace(segment, distance_m=covered)
        settled.append(segment)
    found.add(
        "total_distance",
        ignored,
        f"ignored the total distance of {_many(ignored, 'session')}: longer than possible in "
        "its time; measured on the records instead",
    )
    return settled


def _possible_total(segment: Segment, *, records: Records) -> bool:
    """A session's distance against its time: its elapsed time, and with records, the time
    they span (plus a minute)."""
    elapsed = segment.elapsed_s
    if segment.record_stop > segment.record_start:
        t = records.timestamp_s[segment.record_start : segment.record_stop]
        elapsed = min(elapsed, float(t[-1] - t[0]) + 60.0)
    return sanity.possible_distance(
        distance_m=segment.distance_m, elapsed_s=elapsed, sport=segment.sport
    )


def _check_laps(
    laps: list[Lap], *, segments: list[Segment], records: Records, found: _Findings
) -> list[Lap]:
    """A lap's distance that cannot be covered in its time is dropped (measured instead)."""
    last = len(segments) - 1
    index = records.segment_index
    checked, ignored = [], 0
    for lap in laps:
        sport = segments[int(index[lap.record_start]) if lap.record_start < len(index) else last]
        if not sanity.possible_distance(
            distance_m=lap.distance_m, elapsed_s=lap.elapsed_s, sport=sport.sport
        ):
            lap, ignored = replace(lap, distance_m=None), ignored + 1
        checked.append(lap)
    found.add(
        "total_distance",
        ignored,
        f"ignored the distance of {_many(ignored, 'lap')}: longer than possible in its time",
    )
    return checked


def _warnings(
    c: _Collected, *, frame_warnings: list[str], timeline: _Timeline, found: _Findings
) -> list[str]:
    """What the member should know, the reason an import is partial first."""
    warnings = [_stop_warning(c.stop, records=len(c.rows))] if c.stop is not None else []
    warnings += frame_warnings
    if timeline.clock.warning:
        warnings.append(timeline.clock.warning)
    if timeline.untimed:
        warnings.append(f"skipped {timeline.untimed} records without a usable time")
    warnings += found.warnings
    if len(c.developer) > MAX_DEVELOPER_FIELDS:
        warnings.append(
            f"kept the first {MAX_DEVELOPER_FIELDS} of the file's {len(c.developer)} "
            "developer fields"
        )
    if not _sessions(c, timeline=timeline):
        warnings.append("the file has no session summary; figures come from its records")
        sport_warning = _file_sport(c, timeline=timeline)[2]
        warnings += [sport_warning] if sport_warning else []
    return [
        w if len(w) <= MAX_WARNING_CHARS else w[: MAX_WARNING_CHARS - 1] + "…" for w in warnings
    ]


def _stop_warning(stop: Exception, *, records: int) -> str:
    if isinstance(stop, FitEOFError):
        return f"the file ends early after {records} records; kept what was read"
    return (
        f"the file is damaged after {records} records ({type(stop).__name__}: {stop}); "
        "kept what was read"
    )


def _assemble(c: _Collected, *, fallback_tz: str | None, frame_warnings: list[str]) -> RunData:
    timeline = _timeline(c, fallback_tz=fallback_tz)
    sessions = _sessions(c, timeline=timeline)
    segments = _segments(c, sessions=sessions, timeline=timeline)
    if not segments:
        raise FitRejected("no activity records with a usable time in the file")
    found = _Findings()
    records, segments, laps = _checked(c, timeline=timeline, segments=segments, found=found)
    start = segments[0].start  # the first session's start, else the first record's time
    return RunData(
        records=records,
        segments=segments,
        laps=laps,
        pauses=_pauses(c.messages[EVENT], clock=timeline.clock),
        device=_device(c.first(FILE_ID)),
        start=start,
        local_offset_s=_local_offset(
            c.messages[ACTIVITY], clock=timeline.clock, start=start, fallback_tz=fallback_tz
        ),
        partial=c.stop is not None,
        warnings=_warnings(c, frame_warnings=frame_warnings, timeline=timeline, found=found),
        dropped=found.dropped,
    )


def _checked(
    c: _Collected, *, timeline: _Timeline, segments: list[Segment], found: _Findings
) -> tuple[Records, list[Segment], list[Lap]]:
    """Records, segments and laps, without what analysis.core.fit.sanity finds impossible."""
    far = len(_placed(c.messages[SESSION], clock=timeline.clock)) - len(
        _sessions(c, timeline=timeline)
    )
    _time_findings(timeline, ignored_sessions=far, found=found)
    records = _records(timeline, segments=segments, c=c)
    _check_speed(records, segments=segments, found=found)
    covered = _check_distance(records, segments=segments, found=found)
    segments = _settle_distances(segments, covered_m=covered, records=records, found=found)
    laps = _laps(c.messages[LAP], timeline=timeline)
    return records, segments, _check_laps(laps, segments=segments, records=records, found=found)
