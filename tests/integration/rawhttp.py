"""A client that streams a request body the way an attacker or a big upload would, and watches
the server's memory meanwhile: what `requests`-style clients cannot show (they finish sending
before they read the answer)."""

from __future__ import annotations

import json
import select
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

CHUNK = b"\0" * 2**20


@dataclass
class Answer:
    status: int
    body: str
    seconds: float  # from the end of the request head to the whole answer
    sent_bytes: int


def stream_post(
    port: int,
    path: str,
    body: Iterator[bytes],
    *,
    length: int | None,
    headers: dict[str, str] | None = None,
    time_limit_s: float = 60,
) -> Answer:
    """POST `body` with a Content-Length (or chunked when `length` is None), reading the answer
    as soon as it comes, even mid-body: the server may refuse before it has read anything."""
    head = [f"POST {path} HTTP/1.1", f"Host: 127.0.0.1:{port}"]
    head += [f"{k}: {v}" for k, v in (headers or {}).items()]
    head.append(f"Content-Length: {length}" if length is not None else "Transfer-Encoding: chunked")
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        start = time.monotonic()
        answer, sent = _exchange(sock, body, chunked=length is None, time_limit_s=time_limit_s)
    status, text = _parse(answer)
    return Answer(status, text, time.monotonic() - start, sent)


def _exchange(
    sock: socket.socket, body: Iterator[bytes], *, chunked: bool, time_limit_s: float
) -> tuple[bytes, int]:
    sock.setblocking(False)
    received, sent, pending, sending = b"", 0, b"", True
    deadline = time.monotonic() + time_limit_s
    while time.monotonic() < deadline and not _complete(received):
        readable, writable, _ = select.select([sock], [sock] if sending else [], [], 0.2)
        if readable:
            data = sock.recv(65536)
            if not data:
                break
            received += data
        elif writable:
            if not pending:
                piece = next(body, None)
                if piece is None:
                    pending, sending = (b"0\r\n\r\n" if chunked else b""), False
                else:
                    pending = f"{len(piece):x}\r\n".encode() + piece + b"\r\n" if chunked else piece
            try:
                n = sock.send(pending)
            except (BrokenPipeError, ConnectionResetError):
                sending = False  # the server closed its side: read what it said
                continue
            sent, pending = sent + n, pending[n:]
    return received, sent


def _complete(raw: bytes) -> bool:
    head, sep, rest = raw.partition(b"\r\n\r\n")
    if not sep:
        return False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(rest) >= int(value)
    return False


def _parse(raw: bytes) -> tuple[int, str]:
    head, _, rest = raw.partition(b"\r\n\r\n")
    if not head:
        return 0, ""
    return int(head.split()[1]), rest.decode(errors="replace")


def zeros(total: int) -> Iterator[bytes]:
    while total > 0:
        yield CHUNK[: min(total, len(CHUNK))]
        total -= len(CHUNK)


class PeakRss:
    """The highest resident memory of a process while the block runs, sampled every 10 ms."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.before_mb = self.peak_mb = rss_mb(pid)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak_mb = max(self.peak_mb, rss_mb(self.pid))

    @property
    def growth_mb(self) -> float:
        return self.peak_mb - self.before_mb

    def _sample(self) -> None:
        while not self._stop.wait(0.01):
            self.peak_mb = max(self.peak_mb, rss_mb(self.pid))


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmRSS for {pid}")


def api_token(base_url: str, username: str, password: str) -> str:
    data = json.dumps({"username": username, "password": password}).encode()
    request = urllib.request.Request(
        f"{base_url}/api/token/", data=data, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["token"]


def get_json(base_url: str, path: str, token: str) -> dict:
    request = urllib.request.Request(
        f"{base_url}{path}", headers={"Authorization": f"Token {token}"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def multipart(
    field: str, filename: str, content: Iterator[bytes], size: int
) -> tuple[Iterator[bytes], int, str]:
    """A one-file multipart body streamed from `content`: (pieces, total length, content type)."""
    boundary = "runclub-test-boundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
        f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()

    def pieces() -> Iterator[bytes]:
        yield head
        yield from content
        yield tail

    return pieces(), len(head) + size + len(tail), f"multipart/form-data; boundary={boundary}"
