"""A member uploads FIT files in the browser; a real worker imports them; the page updates live."""

import pytest
from playwright.sync_api import expect

from tests.analysis.fitdata import FIT_DIR
from tests.browser.conftest import sign_in, wait_live

pytestmark = pytest.mark.django_db(transaction=True)


def test_upload_two_files_watch_them_import_and_open_the_chart(page, asgi_server, personas, worker):
    sign_in(page, asgi_server, personas.member)
    page.get_by_role("link", name="Runs").click()
    wait_live(page)
    page.evaluate("window.__noReload = true")
    page.set_input_files(
        "#fit-upload input[type=file]",
        [str(FIT_DIR / "activity-small-fenix2-run.fit"), str(FIT_DIR / "Settings.fit")],
    )
    page.click("#fit-upload button")

    imported = page.locator("#import-list .job[data-status=imported]")
    expect(imported).to_have_count(1, timeout=30_000)
    expect(page.locator("#import-list .job[data-status=rejected]")).to_contain_text(
        "not an activity"
    )
    assert page.evaluate("window.__noReload") is True

    imported.get_by_role("link", name="open run").click()
    expect(page.locator("#avg-cadence")).to_have_text("163.0")
    expect(page.locator("#cadence-over-time svg .band")).to_be_visible()
    expect(page.locator("#cadence-over-time svg path.line")).to_be_visible()
    expect(page.locator("#splits tr")).to_have_count(10)  # header + 9 km
