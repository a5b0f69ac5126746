"""The shared clips (../shared/data/video) and derived clips made from them for tests."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import cv2

VIDEO_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "video"


def clip(name: str) -> Path:
    path = VIDEO_DIR / name
    assert path.is_file(), f"test data missing: {path} (CI keeps ../shared beside the clone)"
    return path


def measured_cadence_spm() -> float:
    return json.loads(clip("male_side.groundtruth.json").read_text())["cadence_spm"]["value"]


def rewrite(
    source: Path,
    target: Path,
    *,
    mirror: bool = False,
    speed: float = 1.0,
    limit: int | None = None,
) -> Path:
    """Write a copy of the clip, mirrored left-right and/or played `speed` times faster,
    and/or only its first `limit` frames."""
    cap = cv2.VideoCapture(str(source))
    fps = cap.get(cv2.CAP_PROP_FPS)
    size = (int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)))
    out = cv2.VideoWriter(str(target), cv2.VideoWriter_fourcc(*"mp4v"), fps * speed, size)
    written = 0
    while limit is None or written < limit:
        ok, frame = cap.read()
        if not ok:
            break
        out.write(cv2.flip(frame, 1) if mirror else frame)
        written += 1
    cap.release()
    out.release()
    return target


def stored_sideways(source: Path, target: Path, *, limit: int | None = None) -> Path:
    """A copy whose pixels are stored turned a quarter left, with the MP4 track matrix telling
    players to turn them a quarter right: what a phone filming upright writes."""
    cap = cv2.VideoCapture(str(source))
    fps = cap.get(cv2.CAP_PROP_FPS)
    size = (int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)), int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)))
    out = cv2.VideoWriter(str(target), cv2.VideoWriter_fourcc(*"mp4v"), fps, size)
    count = 0
    while limit is None or count < limit:
        ok, frame = cap.read()
        if not ok:
            break
        out.write(cv2.rotate(frame, cv2.ROTATE_90_COUNTERCLOCKWISE))
        count += 1
    cap.release()
    out.release()
    _set_track_matrix(target, quarter_turns_clockwise=1)
    return target


def _set_track_matrix(path: Path, *, quarter_turns_clockwise: int) -> None:
    """Overwrite the identity display matrix in the file's track header (tkhd)."""
    identity = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
    turned = struct.pack(">9I", 0, 0x10000, 0, 0xFFFF0000, 0, 0, 0, 0, 0x40000000)
    assert quarter_turns_clockwise == 1, "only the common phone case is needed"
    data = bytearray(path.read_bytes())
    at = data.find(identity, data.find(b"tkhd"))
    assert at > 0, "no identity matrix in the track header"
    data[at : at + 36] = turned
    path.write_bytes(bytes(data))
