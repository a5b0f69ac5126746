"""A file over its limit chosen on an upload page is refused on the page with the limit, and
nothing is sent or stored."""

import pytest
from playwright.sync_api import expect

from analysis.models import Job
from config import limits
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_fit_file_over_the_limit_is_refused_with_the_limit(page, asgi_server, personas, tmp_path):
    too_big = tmp_path / "huge.fit"
    with open(too_big, "wb") as handle:
        handle.truncate(limits.FIT_FILE.max_bytes + 1)
    sign_in(page, asgi_server, personas.member)
    page.goto(f"{asgi_server.url}/runs/")
    expect(page.locator("#fit-upload")).to_contain_text("up to 32 MB each")
    sent = []
    page.on("request", lambda r: sent.append(r.url) if r.method == "POST" else None)
    page.set_input_files("#fit-upload input[type=file]", str(too_big))
    page.click("#fit-upload button")
    expect(page.locator("#import-list .job-failed")).to_contain_text(
        "too large: the limit is 32 MB"
    )
    assert sent == [] and not Job.objects.exists()
