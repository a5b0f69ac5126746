"""The pose of a clip as the video room draws it: compact, self-describing JSON. No Django.

What the skeleton shows is what the numbers were read from: the landmarks after the report's
own cleaning (one- or two-frame jumps dropped, short gaps bridged), turned back from square
units into fractions of the frame. Coordinates are integers per mille of the frame's width (x)
and height (y), visibility an integer per cent: at 1280 px a per mille is 1.3 px, finer than the
pose model's own jitter, and integers make the JSON a third of the size of decimals.

Format (version 1)::

    {"format": "runclub-pose", "version": 1,
     "fps": 30.0, "width": 720, "height": 1280, "frame_count": T,
     "scale": {"xy": 1000, "visibility": 100},
     "joints": ["nose", "left_ear", ...],      K names (MediaPipe's)
     "bones": [[1, 3], ...],                   pairs of indices into joints
     "t_ms": [0, 33, ...],                     (T,) each frame's time on the clip's clock
     "frames": [null | [x, y, v, x, y, v, ...]],  per frame K triples; null: no runner;
                                               a point not seen: null, null, 0
     "events": {"left": {"contact_s": [...], "midstance_s": [...], "toe_off_s": [...]},
                "right": {...}},              per foot, per stance (None where not seen)
     "near_leg": "left" | "right" | null}

Its size is bounded by the clip limits (duration and frame rate): 19 joints x 3 integers per
frame, about 250 bytes a frame before compression.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
from dataclasses import dataclass

import numpy as np

from analysis.core.video.pose_io import SKELETON

FORMAT, VERSION = "runclub-pose", 1
XY_SCALE, VISIBILITY_SCALE = 1000, 100
# Far off-frame guesses of the model are clamped: nothing is drawn that far out anyway.
XY_LIMITS = (-1000, 2000)

# MediaPipe Pose's landmark index -> name, for the points the room draws (the hands' finger
# points are left out: too small and jittery in a running clip to mean anything).
JOINTS: dict[int, str] = {
    0: "nose",
    7: "left_ear",
    8: "right_ear",
    11: "left_shoulder",
    12: "right_shoulder",
    13: "left_elbow",
    14: "right_elbow",
    15: "left_wrist",
    16: "right_wrist",
    23: "left_hip",
    24: "right_hip",
    25: "left_knee",
    26: "right_knee",
    27: "left_ankle",
    28: "right_ankle",
    29: "left_heel",
    30: "right_heel",
    31: "left_toe",
    32: "right_toe",
}
_KEPT = list(JOINTS)
JOINTS_INDEX = {name: i for i, name in enumerate(JOINTS.values())}
BONES = [[_KEPT.index(a), _KEPT.index(b)] for a, b in SKELETON if a in JOINTS and b in JOINTS]


def to_frame_fractions(*, landmarks: np.ndarray, width: int, height: int) -> np.ndarray:
    """(T, 33, 4) in square units (x in fractions of the height, see gait.square_units) to
    fractions of the frame's width and height, as MediaPipe gives them."""
    out = landmarks.copy()
    out[..., 0] *= height / width
    out[..., 2] *= height / width
    return out


def encode(
    *,
    t_s: np.ndarray,
    landmarks: np.ndarray,
    fps: float,
    width: int,
    height: int,
    events: dict,
    near_leg: str | None,
) -> dict:
    """The track of one clip. `t_s` (T,) frame times in seconds; `landmarks` (T, 33, 4) x, y
    in fractions of the frame, z, visibility 0..1, NaN where not seen; `events` per foot
    `contact_s` and `toe_off_s` lists as the report gives them."""
    kept = landmarks[:, _KEPT, :]
    return {
        "format": FORMAT,
        "version": VERSION,
        "fps": round(float(fps), 3),
        "width": int(width),
        "height": int(height),
        "frame_count": int(len(t_s)),
        "scale": {"xy": XY_SCALE, "visibility": VISIBILITY_SCALE},
        "joints": list(JOINTS.values()),
        "bones": BONES,
        "t_ms": [int(round(1000 * float(t))) for t in t_s],
        "frames": [_frame(points) for points in kept],
        "events": {side: with_midstance(events.get(side) or {}) for side in ("left", "right")},
        "near_leg": near_leg,
    }


def _frame(points: np.ndarray) -> list | None:
    """(K, 4) -> flat integer triples, or None when no point of the frame was seen."""
    seen = np.isfinite(points[:, 0]) & np.isfinite(points[:, 1])
    if not seen.any():
        return None
    out: list[int | None] = []
    low, high = XY_LIMITS
    for (x, y, _z, v), ok in zip(points, seen, strict=True):
        if not ok:
            out += [None, None, 0]
            continue
        visibility = float(v) if math.isfinite(v) else 0.0
        out += [
            int(np.clip(round(x * XY_SCALE), low, high)),
            int(np.clip(round(y * XY_SCALE), low, high)),
            int(np.clip(round(visibility * VISIBILITY_SCALE), 0, VISIBILITY_SCALE)),
        ]
    return out


def with_midstance(foot: dict) -> dict:
    """A foot's events with each stance's midstance: the middle of the stance in time (where
    the report reads its midstance values), None where the toe-off was not seen."""
    contacts, toe_offs = foot.get("contact_s") or [], foot.get("toe_off_s") or []
    middle = [
        round((c + t) / 2, 3) if c is not None and t is not None else None
        for c, t in zip(contacts, toe_offs, strict=False)
    ]
    return {"contact_s": list(contacts), "midstance_s": middle, "toe_off_s": list(toe_offs)}


def decode(track: dict) -> tuple[np.ndarray, np.ndarray]:
    """(t_s (T,), points (T, K, 3)): x, y fractions of the frame and visibility 0..1, NaN
    where not seen. The inverse of :func:`encode` up to its rounding."""
    k = len(track["joints"])
    points = np.full((len(track["frames"]), k, 3), np.nan)
    for i, frame in enumerate(track["frames"]):
        if frame is None:
            continue
        values = np.array([np.nan if v is None else v for v in frame], dtype=float)
        points[i] = values.reshape(k, 3)
    points[..., :2] /= track["scale"]["xy"]
    points[..., 2] /= track["scale"]["visibility"]
    points[~np.isfinite(points[..., 0]), 2] = np.nan
    return np.asarray(track["t_ms"], dtype=float) / 1000.0, points


@dataclass(frozen=True)
class Packed:
    """A track ready to store and serve: the gzip of its JSON, its size unpacked, and an
    entity tag that changes whenever a byte does."""

    gzipped: bytes
    raw_bytes: int
    etag: str


def pack(track: dict) -> Packed:
    raw = json.dumps(track, separators=(",", ":"), allow_nan=False).encode()
    digest = hashlib.sha256(raw).hexdigest()[:32]
    # mtime=0: the same track always packs to the same bytes.
    return Packed(gzip.compress(raw, compresslevel=9, mtime=0), len(raw), digest)


def unpack(gzipped: bytes) -> dict:
    return json.loads(gzip.decompress(gzipped))
