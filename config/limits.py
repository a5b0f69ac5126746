"""Every limit on what a request may send, in one place.

Plain constants and two small functions, no Django: settings, the ASGI body guard
(config.bodyguard) and the upload views import them from here. The FIT file's number is the
FIT reader's own bound (the science imports nothing of config).
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.core.fit.limits import MAX_FIT_BYTES

KIB = 2**10
MIB = 2**20


@dataclass(frozen=True)
class BodyLimit:
    max_bytes: int
    what: str  # finishes "the limit for ...", e.g. "a FIT file"
    framing_bytes: int = 0  # what a request carries beside the limited content

    @property
    def body_max_bytes(self) -> int:
        return self.max_bytes + self.framing_bytes

    @property
    def shown(self) -> str:
        return shown_size(self.max_bytes)


# The FIT reader's own bound (analysis.core.fit.limits, with its reasons); it holds unzipped too, so
# a .fit.gz cannot expand past it.
FIT_FILE = BodyLimit(MAX_FIT_BYTES, "a FIT file")
# Clips run 10-30 s (at most VIDEO_MAX_DURATION_S); 30 s of 4K phone video is about 400 MB.
CLIP_FILE = BodyLimit(500 * MIB, "a clip")
# Every JSON body of the API is a few kB (a run, an assignment, a comment).
JSON_BODY = BodyLimit(1 * MIB, "a JSON body")
# Form posts without a file: the longest is a drill's text. Django enforces it too
# (DATA_UPLOAD_MAX_MEMORY_SIZE), on the non-file part of any form.
FORM_BODY = BodyLimit(1 * MIB, "a form")
# Before signing in only the sign-in, sign-up and token forms take a body, each under 1 kB.
ANONYMOUS_BODY = BodyLimit(64 * KIB, "a request from someone not signed in")
# Room for the multipart boundaries and the small fields that travel beside an uploaded file.
MULTIPART_OVERHEAD_BYTES = 64 * KIB
# Bodies and uploads beyond this go to a temporary file on disk instead of staying in memory.
IN_MEMORY_BODY_BYTES = 256 * KIB

# URL names of the views that take one uploaded file, and what that file may weigh.
UPLOAD_ROUTES: dict[str, BodyLimit] = {
    "run-upload": FIT_FILE,
    "api-run-upload": FIT_FILE,
    "analysis-upload": CLIP_FILE,
    "api-analysis-upload": CLIP_FILE,
}


def body_limit(*, url_name: str | None, content_type: str) -> BodyLimit:
    """The most a request to this route may send, multipart framing included."""
    upload = UPLOAD_ROUTES.get(url_name or "")
    if upload is not None:
        return BodyLimit(upload.max_bytes, upload.what, framing_bytes=MULTIPART_OVERHEAD_BYTES)
    if content_type.split(";")[0].strip().lower() == "application/json":
        return JSON_BODY
    return FORM_BODY


def shown_size(n_bytes: int) -> str:
    if n_bytes >= MIB:
        return f"{n_bytes / MIB:.0f} MB" if n_bytes % MIB == 0 else f"{n_bytes / MIB:.1f} MB"
    return f"{n_bytes / KIB:.0f} kB"


def too_large(limit: BodyLimit, *, size_bytes: int | None = None, name: str = "") -> str:
    """The message a member reads when a body or a file is over its limit."""
    subject = name or "This request"
    size = f" ({shown_size(size_bytes)})" if size_bytes is not None else ""
    return f"{subject}{size} is too large: the limit for {limit.what} is {limit.shown}."


# A live page sends nothing bigger than a ping over its socket.
WEBSOCKET_MESSAGE_BYTES = 64 * KIB
