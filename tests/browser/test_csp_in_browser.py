"""Under the Content-Security-Policy the main pages raise no violation in a real Chromium, at
desktop and phone widths, while htmx, its WebSocket extension, the confirm prompts, the API
docs and the admin keep working."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in, wait_live

pytestmark = pytest.mark.django_db(transaction=True)

# Every violation the page sees, whatever the directive, is kept for the test to read.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline"));
});
"""

LIVE_PAGES = ["/", "/runs/", "/form/", "/todo/", "/coach/", "/notifications/", "/drills/"]


def _violations(page: Page, console: list[str]) -> list[str]:
    return page.evaluate("window.__csp") + [m for m in console if "Content Security" in m]


@pytest.mark.parametrize("width", [1280, 390])
def test_the_main_pages_run_with_no_policy_violation(browser, asgi_server, personas, width):
    personas.owner.is_staff = personas.owner.is_superuser = True
    personas.owner.save()
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(15_000)
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    sign_in(page, asgi_server, personas.owner)
    seen = {}
    for path in [*LIVE_PAGES, f"/clubs/{personas.club.slug}/", "/accounts/profile/"]:
        page.goto(asgi_server.url + path)
        wait_live(page)  # htmx and its ws extension run under the policy
        seen[path] = _violations(page, console)
    for path in ["/api/docs/", "/admin/", "/admin/club/user/", "/static/js/confirm.js"]:
        page.goto(asgi_server.url + path)
        page.wait_for_load_state("networkidle")
        seen[path] = _violations(page, console)
    context.close()
    assert {path: found for path, found in seen.items() if found} == {}


def test_the_api_docs_still_run_requests(page, asgi_server, personas):
    sign_in(page, asgi_server, personas.member)
    page.goto(asgi_server.url + "/api/docs/")
    operation = page.locator("#operations-me-me_retrieve")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    status = operation.locator(".live-responses-table tr.response .response-col_status")
    expect(status.first).to_have_text("200")


def test_a_destructive_form_asks_first_without_inline_script(page, asgi_server, personas):
    sign_in(page, asgi_server, personas.member)
    page.goto(asgi_server.url + "/accounts/profile/")
    page.fill("#tokens input[name=name]", "bridge")
    page.locator("#tokens").get_by_role("button", name="Make a token").click()
    expect(page.locator("#new-token-key")).to_have_count(1)
    prompts: list[str] = []

    def answer(dialog, accept: bool) -> None:
        prompts.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda d: answer(d, accept=False))
    page.locator("#tokens").get_by_role("button", name="Revoke").click()
    expect(page.locator("#tokens tbody tr")).to_have_count(1)
    page.once("dialog", lambda d: answer(d, accept=True))
    page.locator("#tokens").get_by_role("button", name="Revoke").click()
    expect(page.locator("#tokens")).to_contain_text("You have no API tokens")
    assert prompts == ["Revoke “bridge”? Programs using it will be signed out."] * 2


def test_a_clip_with_a_page_inside_opens_as_a_video_for_the_coach(
    page, browser, asgi_server, personas, tmp_path
):
    """The reproduction: an MP4 with HTML appended, named form.html, ran its script as the
    coach. Uploaded through the page, opened by the coach in a tab of its own."""
    from analysis.models import VideoAnalysis
    from tests.analysis.videodata import clip

    polyglot = tmp_path / "form.html"
    marker = b"<script>document.title = 'ran as ' + document.domain</script>"
    polyglot.write_bytes(clip("male_side.mp4").read_bytes() + marker)
    sign_in(page, asgi_server, personas.member)
    page.goto(asgi_server.url + "/form/")
    page.set_input_files("#clip-upload input[type=file]", str(polyglot))
    page.click("#clip-upload button")
    expect(page.locator("#clip-jobs .job[data-state=queued]").first).to_be_visible()
    analysis = VideoAnalysis.objects.get(owner=personas.member)

    coach = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    console: list[str] = []
    coach.on("console", lambda message: console.append(message.text))
    sign_in(coach, asgi_server, personas.coach)
    response = coach.goto(f"{asgi_server.url}/form/{analysis.pk}/clip/")
    assert response.headers["content-type"] == "video/mp4"
    assert "sandbox" in response.headers["content-security-policy"]
    expect(coach.locator("video")).to_have_count(1)  # the browser's own player, not a page
    coach.wait_for_timeout(1_000)
    assert not coach.title().startswith("ran as")
    assert [m for m in console if "Content Security" in m] == []  # the player may load it
    coach.context.close()
