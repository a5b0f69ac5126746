"""The live channel as a member sees it away from the dashboard: what arrived while the server
was restarting shows up on whatever page is open (toast and badge), and signing out in one tab
stops the live updates of the others with a notice instead of errors."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections
from playwright.sync_api import ConsoleMessage, expect

from club.services import notify
from tests.browser.conftest import sign_in, wait_live
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def _notify_from_another_thread(user, title: str) -> None:
    """Pushes bridge to async code, which refuses to run beside Playwright's event loop."""

    def work() -> None:
        try:
            notify(user, title=title)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(1) as pool:
        pool.submit(work).result()


def test_a_notification_sent_during_a_restart_shows_on_the_runs_page(page, asgi_server, personas):
    sign_in(page, asgi_server, personas.member)
    page.goto(f"{asgi_server.url}/runs/")
    wait_live(page)
    page.evaluate("window.__noReload = true")
    asgi_server.stop()
    expect(page.locator("body")).to_have_attribute("data-live", "closed")
    _notify_from_another_thread(personas.member, "Sent while the server was down")
    asgi_server.start()

    wait_live(page, timeout_ms=15_000)  # backoff capped at 5 s (static/js/app.js)
    expect(page.locator(".toast")).to_contain_text("Sent while the server was down")
    expect(page.locator("#unread-badge")).to_have_text("1")
    assert page.evaluate("window.__noReload") is True


def test_signing_out_in_one_tab_ends_the_live_updates_of_the_others(page, asgi_server, personas):
    sign_in(page, asgi_server, personas.member)
    page.goto(f"{asgi_server.url}/todo/")
    wait_live(page)
    errors = _console_errors(page)

    other_tab = page.context.new_page()
    other_tab.goto(f"{asgi_server.url}/")
    other_tab.get_by_role("button", name="Sign out").click()
    other_tab.wait_for_load_state()

    expect(page.locator("body")).to_have_attribute("data-live", "ended")
    expect(page.locator("#live-ended")).to_contain_text("signed out")
    _notify_from_another_thread(personas.member, "After signing out")
    page.wait_for_timeout(2_000)
    expect(page.locator("body")).not_to_contain_text("After signing out")
    assert errors == []


def _console_errors(page) -> list[str]:
    found: list[str] = []

    def keep(message: ConsoleMessage) -> None:
        if message.type == "error":
            found.append(message.text)

    page.on("console", keep)
    return found


def test_a_password_change_in_another_tab_keeps_this_tab_live(page, asgi_server, personas):
    sign_in(page, asgi_server, personas.member)
    page.goto(f"{asgi_server.url}/runs/")
    wait_live(page)
    errors = _console_errors(page)

    other_tab = page.context.new_page()
    other_tab.goto(f"{asgi_server.url}/accounts/password/")
    other_tab.fill("input[name=old_password]", PASSWORD)
    other_tab.fill("input[name=new_password1]", "a fresh passphrase 4 runs")
    other_tab.fill("input[name=new_password2]", "a fresh passphrase 4 runs")
    other_tab.locator("main form button").click()
    other_tab.wait_for_load_state()

    # This tab's socket was opened under the old session key: it is closed (4409), reconnects
    # with the cookie the password change set, and is live again.
    expect(page.locator("body")).to_have_attribute("data-live", "closed", timeout=5_000)
    wait_live(page, timeout_ms=10_000)
    _notify_from_another_thread(personas.member, "Still signed in here")
    expect(page.locator(".toast")).to_contain_text("Still signed in here")
    assert errors == []
