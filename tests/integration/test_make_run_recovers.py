"""`make run` keeps serving when one of its processes dies: the supervisor starts it again with
backoff, and a job queued meanwhile still finishes. Run as a newcomer runs it (embedded mode,
a var/ of its own, its own port)."""

import json
import os
import signal
import time
import urllib.request
from collections.abc import Iterator

import pytest

from tests.analysis.fitdata import fit_bytes
from tests.integration.rawhttp import api_token, get_json, multipart, stream_post
from tests.servers import MakeRun

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def make_run(tmp_path_factory) -> Iterator[MakeRun]:
    server = MakeRun(tmp_path_factory.mktemp("var"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def token(make_run) -> str:
    return api_token(make_run.url, "mia", "riverside-demo")


@pytest.mark.parametrize("victim", ["redis", "worker", "web"])
def test_a_killed_process_is_restarted_and_a_job_queued_meanwhile_finishes(make_run, token, victim):
    before = make_run.children()
    os.kill(before[victim], signal.SIGKILL)
    killed_at = time.monotonic()
    _wait_until_the_site_answers(make_run)
    answered_in_s = time.monotonic() - killed_at
    assert answered_in_s < 10
    job_id = _upload_fit(make_run, token)  # while the victim may still be coming back
    job = _wait_for_job(make_run, token, job_id, timeout_s=60)
    assert (job["state"], job["attempts"]) == ("done", 1)
    done_in_s = time.monotonic() - killed_at
    print(f"{victim} killed: site answered in {answered_in_s:.2f} s, job done in {done_in_s:.1f} s")
    after = make_run.children()
    assert after[victim] != before[victim]
    others = set(before) - {victim}
    assert {n: after[n] for n in others} == {n: before[n] for n in others}  # left serving


def _wait_until_the_site_answers(make_run: MakeRun) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{make_run.url}/accounts/login/", timeout=2) as page:
                if page.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("the site did not answer within 10 s")


def _upload_fit(make_run: MakeRun, token: str) -> int:
    data = fit_bytes("activity-small-fenix2-run.fit")
    body, length, content_type = multipart("file", "run.fit", iter([data]), len(data))
    headers = {"Authorization": f"Token {token}", "Content-Type": content_type}
    answer = stream_post(make_run.port, "/api/runs/upload/", body, length=length, headers=headers)
    assert answer.status == 202, answer.body
    return json.loads(answer.body)["id"]


def _wait_for_job(make_run: MakeRun, token: str, job_id: int, *, timeout_s: float) -> dict:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        job = get_json(make_run.url, f"/api/jobs/{job_id}/", token)
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.5)
    raise AssertionError(f"job {job_id} did not finish within {timeout_s} s")
