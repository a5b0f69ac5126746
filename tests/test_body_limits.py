"""Request bodies are bounded before they are read: the ASGI guard in front of Django answers
413 from the headers alone, or cuts a streamed body off at its limit. Called in-process here;
tests/integration/test_make_run_bodies.py does the same against the server `make run` starts."""

import asyncio
import itertools
import json
from collections.abc import Iterator

import pytest
from asgiref.sync import async_to_sync

from club.models.tokens import ApiToken
from config import limits
from config.asgi import application
from config.bodyguard import BodyGuard

pytestmark = pytest.mark.django_db
CHUNK = b"x" * (16 * limits.KIB)


class Exchange:
    """One HTTP request through the ASGI application, counting the body bytes it pulled."""

    def __init__(
        self, path: str, headers: dict[str, str], body: Iterator[bytes], app=application
    ) -> None:
        self.path, self.headers, self.body, self.app = path, headers, body, app
        self.pulled = 0
        self.messages: list[dict] = []

    def run(self) -> "Exchange":
        async_to_sync(self._run)()
        return self

    async def _run(self) -> None:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": self.path,
            "raw_path": self.path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [(b"host", b"localhost")]
            + [(k.lower().encode(), v.encode()) for k, v in self.headers.items()],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 80),
        }
        await self.app(scope, self._receive, self._send)

    async def _receive(self) -> dict:
        chunk = next(self.body, None)
        if chunk is None:
            await asyncio.Event().wait()  # the client stays until the response
        self.pulled += len(chunk)
        self.body, rest = itertools.tee(self.body)
        return {"type": "http.request", "body": chunk, "more_body": next(rest, None) is not None}

    async def _send(self, message: dict) -> None:
        self.messages.append(message)

    @property
    def status(self) -> int:
        return self.messages[0]["status"]

    @property
    def text(self) -> str:
        return b"".join(m.get("body", b"") for m in self.messages[1:]).decode()


def _endless() -> Iterator[bytes]:
    return itertools.repeat(CHUNK)


def _session_cookie(client_for, user) -> str:
    return f"sessionid={client_for(user).cookies['sessionid'].value}"


def test_an_anonymous_huge_post_is_refused_before_a_byte_is_read():
    sent = Exchange("/accounts/login/", {"content-length": str(600 * limits.MIB)}, _endless())
    sent.run()
    assert (sent.status, sent.pulled) == (413, 0)
    assert sent.text == "This request (600 MB) is too large: the limit for a form is 1 MB."
    headers = dict(sent.messages[0]["headers"])
    assert headers[b"connection"] == b"close" and b"content-security-policy" in headers


def test_an_anonymous_body_over_the_anonymous_limit_is_refused_before_reading():
    sent = Exchange("/api/token/", {"content-length": str(500 * limits.KIB)}, _endless()).run()
    assert (sent.status, sent.pulled) == (413, 0)
    assert json.loads(sent.text)["detail"].startswith("Sign in first")
    assert "at most 64 kB" in sent.text


def test_an_anonymous_body_without_a_length_is_cut_off_at_the_anonymous_limit():
    sent = Exchange("/accounts/login/", {"transfer-encoding": "chunked"}, _endless()).run()
    assert sent.status == 413 and "Sign in first" in sent.text
    assert (
        limits.ANONYMOUS_BODY.max_bytes
        < sent.pulled
        <= limits.ANONYMOUS_BODY.max_bytes + len(CHUNK)
    )


def test_a_forged_session_cookie_counts_as_anonymous():
    headers = {"content-length": str(limits.MIB), "cookie": "sessionid=forged0123456789abcdef"}
    sent = Exchange("/api/runs/upload/", headers, _endless()).run()
    assert (sent.status, sent.pulled) == (413, 0)


def test_a_signed_in_fit_upload_over_its_limit_is_refused_from_its_length(client_for, personas):
    headers = {
        "content-length": str(40 * limits.MIB),
        "content-type": "multipart/form-data; boundary=b",
        "cookie": _session_cookie(client_for, personas.member),
    }
    sent = Exchange("/api/runs/upload/", headers, _endless()).run()
    assert (sent.status, sent.pulled) == (413, 0)
    assert json.loads(sent.text) == {
        "detail": "This request (40 MB) is too large: the limit for a FIT file is 32 MB."
    }


def test_a_signed_in_clip_over_its_limit_is_refused_from_its_length(client_for, personas):
    headers = {
        "content-length": str(600 * limits.MIB),
        "cookie": _session_cookie(client_for, personas.member),
    }
    sent = Exchange("/form/upload/", headers, _endless()).run()
    assert (sent.status, sent.pulled) == (413, 0)
    assert "the limit for a clip is 500 MB" in sent.text


def test_a_signed_in_json_body_without_a_length_is_cut_off_at_the_json_limit(personas):
    _, key = ApiToken.issue(user=personas.member, name="script")
    headers = {
        "transfer-encoding": "chunked",
        "content-type": "application/json",
        "authorization": f"Token {key}",
    }
    sent = Exchange("/api/drills/", headers, _endless()).run()
    assert sent.status == 413 and "the limit for a JSON body is 1 MB" in sent.text
    assert limits.JSON_BODY.max_bytes < sent.pulled <= limits.JSON_BODY.max_bytes + len(CHUNK)


async def _count_the_body(scope, receive, send) -> None:
    """Stands in for Django: reads the whole body and answers with its length."""
    size, more = 0, True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            return
        size, more = size + len(message["body"]), message["more_body"]
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": str(size).encode()})


def test_a_signed_in_body_within_its_limit_passes_whole(client_for, personas):
    chunks = [b"n" * (100 * limits.KIB)] * 9  # 900 kB of JSON: over the anonymous limit
    headers = {
        "transfer-encoding": "chunked",
        "content-type": "application/json",
        "cookie": _session_cookie(client_for, personas.member),
    }
    sent = Exchange("/api/drills/", headers, iter(chunks), app=BodyGuard(_count_the_body)).run()
    assert (sent.status, sent.text) == (200, str(900 * limits.KIB))


def test_every_limit_has_one_home():
    from django.conf import settings

    from analysis.core.fit import fit_io

    assert fit_io.MAX_FIT_BYTES == limits.FIT_FILE.max_bytes
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == limits.FORM_BODY.max_bytes
