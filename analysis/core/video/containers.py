"""Which video container a file is, read from its first bytes: never from the uploader's name.

The result decides the suffix a clip is stored under and the one media type it is served with,
so a file that is also an HTML page (a valid MP4 with markup appended, named `form.html`) is
still only ever a `video/mp4` to a browser. Plain Python: no Django, no cv2.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

HEAD_BYTES = 64


@dataclass(frozen=True)
class Container:
    name: str
    suffix: str
    media_type: str


MP4 = Container("MP4", ".mp4", "video/mp4")
MOV = Container("QuickTime", ".mov", "video/quicktime")
WEBM = Container("WebM", ".webm", "video/webm")
MATROSKA = Container("Matroska", ".mkv", "video/x-matroska")
AVI = Container("AVI", ".avi", "video/x-msvideo")
ACCEPTED = (MP4, MOV, WEBM, MATROSKA, AVI)

# Top-level boxes an ISO media file (MP4, QuickTime) may open with; QuickTime files written
# before the `ftyp` box existed open straight with their movie or data box.
_QUICKTIME_FIRST_BOXES = (b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot")
_EBML_MAGIC = b"\x1a\x45\xdf\xa3"


def sniff(head: bytes) -> Container | None:
    """The container whose signature opens `head` (the file's first HEAD_BYTES), else None."""
    box = head[4:8]
    if box == b"ftyp":
        return MOV if head[8:12] == b"qt  " else MP4
    if box in _QUICKTIME_FIRST_BOXES:
        return MOV
    if head.startswith(_EBML_MAGIC):
        return WEBM if b"webm" in head[:HEAD_BYTES] else MATROSKA
    if head.startswith(b"RIFF") and head[8:12] == b"AVI ":
        return AVI
    return None


def sniff_file(path: Path) -> Container | None:
    with path.open("rb") as handle:
        return sniff(handle.read(HEAD_BYTES))


def accepted_names() -> str:
    return ", ".join(c.name for c in ACCEPTED)
