"""A tiny FIT writer for the tests: just enough to build the files the corpus lacks.

Every data message is preceded by its own definition (local message 0), which FIT allows.
Values are raw FIT integers: scale them as the profile says (distance x100, speed x1000, ...).
"""

from __future__ import annotations

import struct

FIT_EPOCH_S = 631065600
# struct code -> FIT base type number
BASE_TYPES = {"B": 0x02, "H": 0x84, "I": 0x86, "i": 0x85, "16s": 0x0D, "24s": 0x07, "8s": 0x07}
TIMER, START, STOP_ALL = 0, 0, 4  # event.event and event.event_type numbers
SPORTS = {"generic": 0, "running": 1, "cycling": 2, "walking": 11}


def crc16(data: bytes) -> int:
    """FIT's CRC (CRC-16/ARC), bit by bit: independent of the reader's table version."""
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def message(
    global_number: int,
    fields: dict[int, tuple[str, object]],
    *,
    developer: dict[int, tuple[str, object]] | None = None,
) -> bytes:
    """A definition plus one data message; fields: FIT field number -> (struct code, value).
    `developer`: developer field number (of developer data index 0) -> (struct code, value)."""
    header = 0x60 if developer else 0x40
    definition = struct.pack("<BBBHB", header, 0, 0, global_number, len(fields))
    for number, (code, _) in fields.items():
        definition += struct.pack("<BBB", number, struct.calcsize(code), BASE_TYPES[code])
    if developer:
        definition += bytes([len(developer)])
        for number, (code, _) in developer.items():
            definition += struct.pack("<BBB", number, struct.calcsize(code), 0)
    values = [*fields.values(), *(developer or {}).values()]
    return definition + b"\x00" + b"".join(struct.pack("<" + code, value) for code, value in values)


def fit_file(*messages: bytes) -> bytes:
    body = b"".join(messages)
    header = struct.pack("<BBHI4s", 14, 0x10, 2093, len(body), b".FIT")
    content = header + struct.pack("<H", crc16(header)) + body
    return content + struct.pack("<H", crc16(content))


def fit_time(unix_s: float) -> int:
    return int(unix_s) - FIT_EPOCH_S


def file_id(kind: int = 4, *, serial: int = 12345) -> bytes:  # 4: activity; maker garmin
    return message(0, {0: ("B", kind), 1: ("H", 1), 3: ("I", serial)})


def record(
    t: int, *, cadence: int | None = None, distance_cm: int = 0, speed_mmps: int | None = None
) -> bytes:
    fields = {253: ("I", t), 5: ("I", distance_cm), 3: ("B", 150)}
    if cadence is not None:
        fields[4] = ("B", cadence)
    if speed_mmps is not None:
        fields[6] = ("H", speed_mmps)
    return message(20, fields)


def lap(start: int, elapsed_s: int, *, distance_cm: int) -> bytes:
    return message(
        19,
        {
            253: ("I", start + elapsed_s),
            2: ("I", start),
            7: ("I", elapsed_s * 1000),
            8: ("I", elapsed_s * 1000),
            9: ("I", distance_cm),
        },
    )


def untimed_record() -> bytes:
    return message(20, {3: ("B", 150)})


def session(
    start: int, elapsed_s: int, sport: str, *, avg_cadence: int = 80, distance_cm: int | None = None
) -> bytes:
    """A session of `elapsed_s` seconds: 1 km by default, or 3 m/s x elapsed_s when that is
    shorter, so that a short synthetic session stays physically possible."""
    if distance_cm is None:
        distance_cm = min(100_000, 300 * elapsed_s)
    return message(
        18,
        {
            253: ("I", start + elapsed_s),
            2: ("I", start),
            7: ("I", elapsed_s * 1000),
            8: ("I", elapsed_s * 1000),
            9: ("I", distance_cm),
            5: ("B", SPORTS[sport]),
            6: ("B", 0),
            18: ("B", avg_cadence),
        },
    )


def sport(name: str) -> bytes:
    return message(12, {0: ("B", SPORTS[name]), 1: ("B", 0)})


def event(t: int, event_type: int) -> bytes:
    return message(21, {253: ("I", t), 0: ("B", TIMER), 1: ("B", event_type)})


def activity(t: int, *, local: int) -> bytes:
    return message(34, {253: ("I", t), 5: ("I", local)})


def developer_data_id(*, app_id: bytes = bytes(16), manufacturer: int | None = None) -> bytes:
    fields: dict[int, tuple[str, object]] = {1: ("16s", app_id), 3: ("B", 0)}
    if manufacturer is not None:
        fields[2] = ("H", manufacturer)
    return message(207, fields)


def field_description(number: int, name: str, units: str) -> bytes:
    """A uint16 developer field of developer data index 0."""
    fields = {0: ("B", 0), 1: ("B", number), 2: ("B", 0x84), 3: ("24s", name.encode())}
    return message(206, {**fields, 8: ("8s", units.encode())})


def developer_record(t: int, value: int) -> bytes:
    return message(20, {253: ("I", t)}, developer={0: ("H", value)})
