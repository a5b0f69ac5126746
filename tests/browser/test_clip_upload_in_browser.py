"""A member uploads a clip; a real worker on the video queue analyses it; the report opens."""

import pytest
from playwright.sync_api import expect

from tests.analysis.videodata import clip
from tests.browser.conftest import sign_in, wait_live

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_clip_upload_runs_live_and_opens_the_report(page, asgi_server, personas, worker):
    sign_in(page, asgi_server, personas.member)
    page.get_by_role("link", name="Form").click()
    wait_live(page)
    page.set_input_files("#clip-upload input[type=file]", str(clip("male_side.mp4")))
    page.click("#clip-upload button")

    row = page.locator("#clip-jobs .job").first
    expect(row).to_have_attribute("data-state", "done", timeout=90_000)
    row.get_by_role("link", name="open report").click()
    expect(page.locator("#score")).not_to_have_text("—")
    expect(page.locator("#metrics [data-metric=cadence_spm]")).to_contain_text(" ± ")
    expect(page.locator("#metrics [data-metric=cadence_spm]")).to_contain_text("steps/min")
    expect(page.locator("#findings")).to_be_visible()


def test_a_text_file_is_refused_in_the_page(page, asgi_server, personas, tmp_path):
    fake = tmp_path / "run.mp4"
    fake.write_text("not a video")
    sign_in(page, asgi_server, personas.member)
    page.goto(asgi_server.url + "/form/")
    page.set_input_files("#clip-upload input[type=file]", str(fake))
    page.click("#clip-upload button")
    expect(page.locator("#clip-jobs .job-failed")).to_contain_text("not a video file")
