"""The coaching loop in two browsers: the coach assigns and comments, the athlete's open page
shows both without a reload; the athlete logs a session, the coach's open inbox shows it."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in, wait_live
from tests.coaching.helpers import assign_one
from tests.factories import VideoAnalysisFactory, form_report

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def coach_page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _open_live(page, url: str) -> None:
    page.goto(url)
    wait_live(page)
    page.evaluate("window.__noReload = true")  # a reload would wipe it


def test_an_assignment_appears_on_the_athletes_open_page(page, coach_page, asgi_server, personas):
    sign_in(page, asgi_server, personas.member)
    _open_live(page, f"{asgi_server.url}/todo/")
    expect(page.locator("#todo")).to_contain_text("Nothing assigned")

    sign_in(coach_page, asgi_server, personas.coach)
    coach_page.goto(f"{asgi_server.url}/coach/assign/?athlete={personas.member.pk}")
    coach_page.get_by_label("Pogo hops", exact=True).check()
    coach_page.fill("textarea[name=note]", "Two minutes before each run")
    coach_page.locator("#assign-form button").click()
    expect(coach_page.locator("h1")).to_contain_text("Pogo hops")

    expect(page.locator("#todo")).to_contain_text("Pogo hops")
    expect(page.locator(".toast")).to_contain_text("New from")
    assert page.evaluate("window.__noReload") is True


def test_a_logged_session_appears_in_the_coachs_open_inbox(page, coach_page, asgi_server, personas):
    assign_one(personas.coach, personas.member, "hip-hinge")
    sign_in(coach_page, asgi_server, personas.coach)
    _open_live(coach_page, f"{asgi_server.url}/coach/")
    expect(coach_page.locator("#sessions-done")).to_contain_text("None in the last two weeks")

    sign_in(page, asgi_server, personas.member)
    page.goto(f"{asgi_server.url}/todo/")
    page.get_by_role("button", name="Done today").click()
    expect(page.locator(".flash")).to_contain_text("Session logged")

    expect(coach_page.locator("#sessions-done")).to_contain_text("did Hip hinge")
    expect(coach_page.locator(".toast")).to_contain_text("did Hip hinge")
    assert coach_page.evaluate("window.__noReload") is True


def test_a_coach_comment_appears_under_the_athletes_open_analysis(
    page, coach_page, asgi_server, personas
):
    analysis = VideoAnalysisFactory(
        owner=personas.member, report=form_report({"overstride_pct_leg": 18.0})
    )
    url = f"{asgi_server.url}/form/{analysis.pk}/"
    sign_in(page, asgi_server, personas.member)
    _open_live(page, url)
    thread = page.locator(f"#feedback-analysis-{analysis.pk}")
    expect(thread).to_contain_text("No feedback yet")

    sign_in(coach_page, asgi_server, personas.coach)
    coach_page.goto(url)
    coach_page.fill("#feedback textarea[name=body]", "Land closer to your hips")
    coach_page.get_by_role("button", name="Send feedback").click()
    expect(coach_page.locator(f"#feedback-analysis-{analysis.pk}")).to_contain_text("Land closer")

    expect(thread).to_contain_text("Land closer to your hips")
    page.fill("#feedback textarea[name=body]", "Will try on Sunday")
    page.get_by_role("button", name="Reply").click()
    expect(coach_page.locator(f"#feedback-analysis-{analysis.pk}")).to_contain_text("Sunday")
    assert page.evaluate("window.__noReload") is True
