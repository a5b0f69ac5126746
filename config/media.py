"""Members' stored files (clips, keyframes, FIT originals, the export) served with byte ranges.

A video player asks for the part of the clip it needs (`Range: bytes=...`) to start quickly and
to seek; Safari on iOS plays nothing from a server that does not answer ranges. So every file
view answers a single range with 206 and `Content-Range`, a range past the end with 416, and
says `Accept-Ranges: bytes` on every answer. Access is checked by the view before it calls in.

Files stream from disk a block at a time, never whole into memory: under the ASGI server the
body is an asynchronous iterator reading blocks in a worker thread (Django would otherwise
collect a synchronous iterator into one list first, the whole clip in memory); under the test
client, a plain one.

Every answer carries the policy under which nothing in a member's file runs (config.csp), and
`Cache-Control: private, no-cache`: a browser may keep the bytes, but asks again (a cheap 304 or
206) each time, so access is decided at every read.
"""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.core.handlers.asgi import ASGIRequest
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header, http_date, parse_http_date_safe

from config.csp import HEADER, UPLOADED_FILE_POLICY

BLOCK_BYTES = 256 * 1024
CACHE_CONTROL = "private, no-cache"
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$", re.IGNORECASE)


class Unsatisfiable(Exception):
    """A well-formed range that starts past the end of the file."""


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # inclusive, as in Content-Range

    @property
    def length(self) -> int:
        return self.end - self.start + 1


def parse_range(header: str, *, size: int) -> ByteRange | None:
    """The one range a `Range` header asks of a file of `size` bytes: None to send the whole
    file (no header, another unit, several ranges, or a malformed one, all of which a server
    may ignore), else the range cut to the file. Raises Unsatisfiable for a range that starts
    at or past the end, or asks for the last 0 bytes."""
    match = _RANGE.match(header.strip().replace(" ", ""))
    if match is None:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the last N bytes
        if int(last) == 0 or size == 0:
            raise Unsatisfiable
        return ByteRange(max(0, size - int(last)), size - 1)
    start = int(first)
    if last and int(last) < start:
        return None
    if start >= size:
        raise Unsatisfiable
    return ByteRange(start, min(int(last), size - 1) if last else size - 1)


def stored_file_response(
    request: HttpRequest,
    path: Path,
    *,
    content_type: str,
    filename: str,
    as_attachment: bool = False,
) -> HttpResponseBase:
    """A stored file, or 404 when it is not on disk (a missing file is a missing page, not a
    server error)."""
    try:
        handle = path.open("rb")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise Http404("The file is no longer stored.") from None
    stat = os.fstat(handle.fileno())
    return file_response(
        request,
        handle,
        content_type=content_type,
        filename=filename,
        as_attachment=as_attachment,
        etag=f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"',
        modified_s=stat.st_mtime,
    )


def file_response(
    request: HttpRequest,
    handle: IO[bytes],
    *,
    content_type: str,
    filename: str,
    as_attachment: bool = False,
    etag: str | None = None,
    modified_s: float | None = None,
) -> HttpResponseBase:
    """The open file `handle` (closed when the answer is sent): 200, 206 for a range, 304 when
    the browser's copy is current, 416 for a range past the end."""
    size = os.fstat(handle.fileno()).st_size
    validators = _validators(etag, modified_s)
    if etag is not None and _matches(request.headers.get("If-None-Match", ""), etag):
        handle.close()
        return _headed(HttpResponse(status=304), validators)
    try:
        wanted = _wanted_range(request, size=size, etag=etag, modified_s=modified_s)
    except Unsatisfiable:
        handle.close()
        response = HttpResponse(
            f"The file is {size} bytes long.", status=416, content_type="text/plain"
        )
        response["Content-Range"] = f"bytes */{size}"
        return _headed(response, validators)
    part = wanted or ByteRange(0, size - 1)
    body = _body(request, handle, part) if request.method != "HEAD" and size else iter(())
    response = StreamingHttpResponse(body, status=206 if wanted else 200, content_type=content_type)
    response._resource_closers.append(handle.close)
    response["Content-Length"] = str(part.length if size else 0)
    if wanted:
        response["Content-Range"] = f"bytes {part.start}-{part.end}/{size}"
    response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
    return _headed(response, validators)


def _wanted_range(
    request: HttpRequest, *, size: int, etag: str | None, modified_s: float | None
) -> ByteRange | None:
    header = request.headers.get("Range", "")
    if not header or request.method not in ("GET", "HEAD"):
        return None
    if_range = request.headers.get("If-Range", "")
    if if_range and not _still_current(if_range, etag=etag, modified_s=modified_s):
        return None  # the browser's part is of an older file: send the whole new one
    return parse_range(header, size=size)


def _still_current(if_range: str, *, etag: str | None, modified_s: float | None) -> bool:
    if if_range.startswith(('"', "W/")):
        return etag is not None and if_range == etag  # a strong comparison
    since = parse_http_date_safe(if_range)
    return since is not None and modified_s is not None and int(modified_s) <= since


def _matches(if_none_match: str, etag: str) -> bool:
    tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
    return "*" in tags or etag.removeprefix("W/") in tags


def _validators(etag: str | None, modified_s: float | None) -> dict[str, str]:
    headers = {
        "Accept-Ranges": "bytes",
        "Cache-Control": CACHE_CONTROL,
        HEADER: UPLOADED_FILE_POLICY,
    }
    if etag is not None:
        headers["ETag"] = etag
    if modified_s is not None:
        headers["Last-Modified"] = http_date(modified_s)
    return headers


def _headed(response: HttpResponseBase, headers: dict[str, str]) -> HttpResponseBase:
    for name, value in headers.items():
        response[name] = value
    return response


def _body(
    request: HttpRequest, handle: IO[bytes], part: ByteRange
) -> Iterator[bytes] | AsyncIterator[bytes]:
    if isinstance(request, ASGIRequest):
        return _blocks_async(handle.fileno(), part)
    return _blocks(handle.fileno(), part)


def _blocks(fd: int, part: ByteRange) -> Iterator[bytes]:
    at, end = part.start, part.end + 1
    while at < end:
        block = os.pread(fd, min(BLOCK_BYTES, end - at), at)
        if not block:  # the file shrank under us: stop rather than spin
            return
        at += len(block)
        yield block


async def _blocks_async(fd: int, part: ByteRange) -> AsyncIterator[bytes]:
    at, end = part.start, part.end + 1
    while at < end:
        block = await asyncio.to_thread(os.pread, fd, min(BLOCK_BYTES, end - at), at)
        if not block:
            return
        at += len(block)
        yield block
