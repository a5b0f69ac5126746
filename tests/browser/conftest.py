"""Playwright for Python driving Debian's Chromium against the live ASGI server (uvicorn, as
`make run` starts it). Screenshots of every test's last page are kept in test-artifacts/ for CI."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import pytest
from django.db import connections
from playwright.sync_api import Browser, Page, expect, sync_playwright

from club.models import User
from tests.factories import PASSWORD
from tests.servers import ARTIFACTS, LiveServer, Process, start_worker

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def asgi_server(django_db_setup: None, django_db_blocker: object) -> Iterator[LiveServer]:
    server = LiveServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser(django_db_setup: None) -> Iterator[Browser]:
    # Playwright's sync API keeps an event loop on the main thread; Django would take the test's
    # plain synchronous ORM calls for calls made from async code and refuse them.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    assert os.path.exists(CHROMIUM), (
        f"{CHROMIUM} is missing: `apt-get install chromium` (make test does)"
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.name)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()


def sign_in(page: Page, asgi_server: LiveServer, user: User) -> None:
    page.goto(f"{asgi_server.url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button")
    expect(page.locator("h1")).to_contain_text("Hello")


def wait_live(page: Page, *, timeout_ms: float = 5_000) -> None:
    expect(page.locator("body")).to_have_attribute("data-live", "open", timeout=timeout_ms)


@pytest.fixture
def worker() -> Iterator[Process]:
    """A real Celery worker on both queues, against the test database and Redis."""
    process = start_worker("browser-worker@test")
    yield process
    process.stop()


T = TypeVar("T")


def in_thread(work: Callable[[], T]) -> T:
    """Run `work` in a thread of its own: pushes bridge to async code, which refuses to run
    beside Playwright's event loop on the main thread."""

    def run() -> T:
        try:
            return work()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result()
