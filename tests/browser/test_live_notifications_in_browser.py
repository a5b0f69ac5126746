"""Notifications reach an open page without a reload, including ones sent while it was offline."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in, wait_live
from tests.servers import manage

pytestmark = pytest.mark.django_db(transaction=True)


def notify(user, *, title: str, link: str = "") -> None:
    # From a separate process, as an operator's `manage.py` would: a real push through Redis.
    manage("send_notification", user.username, title, *(["--link", link] if link else []))


def _mark_page(page) -> None:
    # A reload would wipe this; its survival proves the update came in place.
    page.evaluate("window.__noReload = true")


def test_notification_created_server_side_appears_live(page, asgi_server, personas):
    sign_in(page, asgi_server, personas.member)
    wait_live(page)
    _mark_page(page)
    notify(personas.member, title="Cora left you a comment", link="/notifications/")
    notify(personas.clubmate, title="Not for you")

    expect(page.locator(".toast")).to_contain_text("Cora left you a comment")
    expect(page.locator("#unread-badge")).to_have_text("1")
    expect(page.locator("#notification-items")).to_contain_text("Cora left you a comment")
    expect(page.locator("body")).not_to_contain_text("Not for you")
    assert page.evaluate("window.__noReload") is True


def test_notification_sent_while_disconnected_shows_after_reconnect(page, asgi_server, personas):
    sign_in(page, asgi_server, personas.member)
    wait_live(page)
    _mark_page(page)
    asgi_server.stop()
    expect(page.locator("body")).to_have_attribute("data-live", "closed")
    notify(personas.member, title="Sent while you were offline")
    asgi_server.start()

    # The page retries with a backoff capped at 5 s (static/js/app.js), plus the restart.
    wait_live(page, timeout_ms=15_000)
    expect(page.locator("#notification-items")).to_contain_text(
        "Sent while you were offline", timeout=30_000
    )
    expect(page.locator("#unread-badge")).to_have_text("1")
    assert page.evaluate("window.__noReload") is True


def test_mark_all_read_clears_the_badge_in_place(page, asgi_server, personas):
    notify(personas.member, title="One")
    notify(personas.member, title="Two")
    sign_in(page, asgi_server, personas.member)
    expect(page.locator("#unread-badge")).to_have_text("2")
    page.locator("#notification-tray").get_by_role("button", name="Mark all read").click()
    expect(page.locator("#unread-badge")).to_have_text("0")
    expect(page.locator("#notification-tray")).to_contain_text("Nothing new")
